package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"path"
	"path/filepath"

	"fugo/assets"
	"fugo/autodiff"
	"fugo/data/images"
	"fugo/optim"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

func init() {
	registerTrainer(&trainer{
		name:    "illust",
		summary: "convolutional autoencoder of the second post on 64×64 colour illustrations, code 8×8×8 (Adadelta, BCE, batch 3, 10000 epochs): train.png, unseen.png, per-image BCE and PSNR",
		run:     trainIllust,
	})
}

// loadIllust loads the images of dir, or of the shipped illustrations' folder sub
// ("train" or "unseen") when dir is empty, as [N, 64, 64, 3].
func loadIllust(dir, sub string, opt images.Options) (*tensor.Tensor, []string, error) {
	if dir == "" {
		x, names, err := images.LoadFS(assets.Illust(), sub, opt)
		if err != nil {
			return nil, nil, err
		}
		for i, n := range names {
			names[i] = path.Base(n)
		}
		return x, names, nil
	}
	x, names, err := images.LoadDir(dir, opt)
	if err != nil {
		return nil, nil, err
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	return x, names, nil
}

// trainIllust is the second origin post: the convolutional autoencoder trained on three
// colour illustrations, then applied to illustrations it never saw.
func trainIllust(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("train illust")
	var f trainFlags
	f.register(fs, "illust", 10000, 3)
	imagesDir := fs.String("images", "", "")
	unseenDir := fs.String("unseen", "", "")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("train illust: unexpected argument %q", rest[0])
	}
	if err := f.check(); err != nil {
		return err
	}
	cfg := zoo.IllustConfig()
	opt := images.Options{Width: cfg.Width, Height: cfg.Height, Channels: cfg.Channels}
	x, names, err := loadIllust(*imagesDir, "train", opt)
	if err != nil {
		return fmt.Errorf("--images: %w", err)
	}
	unseen, unseenNames, err := loadIllust(*unseenDir, "unseen", opt)
	if err != nil {
		return fmt.Errorf("--unseen: %w", err)
	}
	res, err := fitAndSave(ctx, e, &f, fitSpec{
		kind: "illust", lossTitle: "convolutional autoencoder on the illustrations: mean BCE per pixel",
		build:     func(rng *rand.Rand) fitModel { return zoo.NewConvAE("illust", cfg, rng) },
		optimizer: func(ps []*autodiff.Var) optim.Optimizer { return optim.NewAdadelta(ps) },
		check: func(m zoo.Model) error {
			if c := m.(*zoo.ConvAE).Cfg; c.Height != cfg.Height || c.Width != cfg.Width || c.Channels != cfg.Channels {
				return fmt.Errorf("the model takes %d×%d×%d images, not %d×%d×%d", c.Height, c.Width, c.Channels, cfg.Height, cfg.Width, cfg.Channels)
			}
			return nil
		},
		x:          x,
		printEvery: max(1, f.epochs/20),
	})
	if err != nil {
		return err
	}
	model := res.model.(*zoo.ConvAE)
	files := res.files
	recon := train.Predict(model.Reconstruct, x, 16)
	unseenRecon := train.Predict(model.Reconstruct, unseen, 16)
	for _, fig := range []struct {
		name, title string
		orig, rec   *tensor.Tensor
	}{
		{"train.png", "training images", x, recon},
		{"unseen.png", "unseen images", unseen, unseenRecon},
	} {
		if err := writePairs(filepath.Join(f.out, fig.name), fig.orig, fig.rec, fig.orig.Rows(), cfg.Height, cfg.Width, cfg.Channels,
			[2]string{"original", "reconstructed"}, fig.title); err != nil {
			return err
		}
		files = append(files, fig.name)
	}
	fmt.Fprintln(e.stdout)
	writeErrorTable(e.stdout, []errorRows{{"train", names, x, recon}, {"unseen", unseenNames, unseen, unseenRecon}})
	listFiles(e.stdout, f.out, files)
	return res.after
}

// errorRows are the images of one set with their reconstructions, for writeErrorTable.
type errorRows struct {
	set          string
	names        []string
	orig, recons *tensor.Tensor
}

// writeErrorTable prints, for every image, its reconstruction error as mean per-pixel BCE
// (clipped as Keras does) and as PSNR = 10·log10(1/MSE) dB (values in [0, 1]), then the
// mean of each set.
func writeErrorTable(w io.Writer, sets []errorRows) {
	width := len("image")
	for _, s := range sets {
		for _, n := range s.names {
			width = max(width, len([]rune(n)))
		}
	}
	fmt.Fprintf(w, "%-*s  %-6s  %7s  %9s\n", width, "image", "set", "BCE", "PSNR (dB)")
	for _, s := range sets {
		var bceSum, psnrSum float64
		c := s.orig.Cols()
		for i, n := range s.names {
			o := tensor.FromSlice(s.orig.Data[i*c:(i+1)*c], c)
			r := tensor.FromSlice(s.recons.Data[i*c:(i+1)*c], c)
			b, p := meanBCE(o, r), psnr(o, r)
			bceSum += b
			psnrSum += p
			fmt.Fprintf(w, "%-*s  %-6s  %7.4f  %9.2f\n", width, n, s.set, b, p)
		}
		if k := float64(len(s.names)); k > 0 {
			fmt.Fprintf(w, "%-*s  %-6s  %7.4f  %9.2f\n", width, "mean", s.set, bceSum/k, psnrSum/k)
		}
	}
}

// psnr is the peak signal-to-noise ratio of a reconstruction of values in [0, 1]:
// 10·log10(1/MSE) dB, +Inf for a perfect one.
func psnr(orig, recon *tensor.Tensor) float64 {
	var se float64
	for i, v := range orig.Data {
		d := float64(recon.Data[i] - v)
		se += d * d
	}
	mse := se / float64(len(orig.Data))
	if mse == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(1/mse)
}
