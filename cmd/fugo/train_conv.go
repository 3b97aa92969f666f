package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"

	"fugo/autodiff"
	"fugo/optim"
	"fugo/plot"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

func init() {
	registerTrainer(&trainer{
		name:    "conv",
		summary: "convolutional autoencoder, code 4×4×8 (Adadelta, BCE, batch 128, 50 epochs): recon.png, codes.png",
		run:     func(ctx context.Context, e *env, args []string) error { return trainConv(ctx, e, "conv", 50, args) },
	})
	registerTrainer(&trainer{
		name:    "denoise",
		summary: "denoising convolutional autoencoder, noise 0.5, code 7×7×32 (batch 128, 100 epochs): denoise.png",
		run:     func(ctx context.Context, e *env, args []string) error { return trainConv(ctx, e, "denoise", 100, args) },
	})
}

// noiseSeed derives the seed of the fixed noise drawn on the test images for denoise.png
// and the reported denoising BCE, so that figures and numbers repeat for a given --seed.
const noiseSeed = 0x6e6f697365

// trainConv trains the tutorial's convolutional ("conv") or denoising ("denoise")
// autoencoder on MNIST as 28×28×1 images, validating on the test set after every epoch.
func trainConv(ctx context.Context, e *env, kind string, epochs int, args []string) error {
	fs := newFlagSet("train " + kind)
	var f trainFlags
	f.register(fs, kind, epochs, 128)
	noise := 0.5
	if kind == "denoise" {
		fs.Float64Var(&noise, "noise", 0.5, "")
	}
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("train %s: unexpected argument %q", kind, rest[0])
	}
	if err := f.check(); err != nil {
		return err
	}
	if !(noise > 0 && noise <= 10) {
		return usagef("train denoise: --noise must be above 0 and at most 10, got %v", noise)
	}
	trainSet, testSet, err := loadMNIST(e, f.data)
	if err != nil {
		return err
	}
	cfg := zoo.ConvModelConfig()
	if kind == "denoise" {
		cfg = zoo.DenoiseConfig()
		cfg.NoiseFactor = float32(noise)
	}
	cfg.Height, cfg.Width = trainSet.Rows, trainSet.Cols
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("--data: %d×%d images: %w", trainSet.Rows, trainSet.Cols, err)
	}
	title := "convolutional autoencoder on MNIST: mean BCE per pixel"
	if kind == "denoise" {
		title = fmt.Sprintf("denoising autoencoder on MNIST (noise %g): mean BCE per pixel", noise)
	}
	res, err := fitAndSave(ctx, e, &f, fitSpec{
		kind: kind, lossTitle: title,
		build:     func(rng *rand.Rand) fitModel { return zoo.NewConvAE(kind, cfg, rng) },
		optimizer: func(ps []*autodiff.Var) optim.Optimizer { return optim.NewAdadelta(ps) },
		check: func(m zoo.Model) error {
			if c := m.(*zoo.ConvAE).Cfg; c.Height != cfg.Height || c.Width != cfg.Width || c.Channels != 1 {
				return fmt.Errorf("the model takes %d×%d×%d images, the data has %d×%d×1", c.Height, c.Width, c.Channels, cfg.Height, cfg.Width)
			}
			return nil
		},
		x: trainSet.Images, valX: testSet.Images,
	})
	if err != nil {
		return err
	}
	model := res.model.(*zoo.ConvAE)
	files := res.files
	h, w := trainSet.Rows, trainSet.Cols
	if kind == "denoise" {
		noisy := tensor.New(testSet.Images.Shape...)
		model.Corrupt(noisy.Data, testSet.Images.Data, tensor.NewRNG(f.seed^noiseSeed))
		clean := train.Predict(model.Reconstruct, noisy, 500)
		if err := writePairs(filepath.Join(f.out, "denoise.png"), noisy, clean, 10, h, w, 1,
			[2]string{"noisy input", "denoised"}, ""); err != nil {
			return err
		}
		files = append(files, "denoise.png")
		fmt.Fprintf(e.stdout, "test BCE (mean per pixel, %d images, denoised output against the clean image, noise %g): %.4f\n",
			testSet.Len(), model.Cfg.NoiseFactor, meanBCE(testSet.Images, clean))
		fmt.Fprintf(e.stdout, "BCE of the noisy input itself against the clean image (for scale): %.4f\n", meanBCE(testSet.Images, noisy))
	} else {
		recon := train.Predict(model.Reconstruct, testSet.Images, 500)
		if err := writePairs(filepath.Join(f.out, "recon.png"), testSet.Images, recon, 10, h, w, 1,
			[2]string{"original", "reconstructed"}, ""); err != nil {
			return err
		}
		codes := train.Predict(model.Encode, testSet.Images.RowSlice(0, 10), 10)
		if err := writeCodes(filepath.Join(f.out, "codes.png"), codes); err != nil {
			return err
		}
		files = append(files, "recon.png", "codes.png")
		fmt.Fprintf(e.stdout, "test BCE (mean per pixel, %d images): %.4f\n", testSet.Len(), meanBCE(testSet.Images, recon))
	}
	listFiles(e.stdout, f.out, files)
	return res.after
}

// writeCodes draws codes [n, h, w, c] as the tutorial does,
// imshow(code.reshape(h, w·c).T): each code becomes a (w·c)×h grey image whose column y
// is the code's row y, scaled so that the largest value shown is white.
func writeCodes(path string, codes *tensor.Tensor) error {
	n, h := codes.Shape[0], codes.Shape[1]
	wc := codes.Cols() / h
	var top float32
	for _, v := range codes.Data {
		top = max(top, v)
	}
	if top <= 0 {
		top = 1
	}
	images := make([][]float32, n)
	for k := range images {
		src := codes.Data[k*h*wc : (k+1)*h*wc]
		img := make([]float32, h*wc)
		for y := range h {
			for j := range wc {
				img[j*h+y] = src[y*wc+j] / top
			}
		}
		images[k] = img
	}
	return plot.ImageGrid(path, images, 1, n, wc, h, 1, plot.GridOptions{Scale: 6, Gap: 6,
		Title: fmt.Sprintf("codes of %d test digits", n)})
}
