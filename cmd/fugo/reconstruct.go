package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"fugo/autodiff"
	"fugo/data/images"
	"fugo/data/mnist"
	"fugo/plot"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

func init() {
	register(&verb{
		name:    "reconstruct",
		summary: "apply a saved image autoencoder to images and write originals above reconstructions",
		usage: `usage: fugo reconstruct --model DIR [--out FILE] [-n N] FILE...

Loads the model saved in DIR (by 'fugo train': illust, conv, denoise, simple,
sparse, deep, vae or seq), passes each image through its encoder and decoder,
and writes one PNG with the originals on top and their reconstructions below
(default reconstruct.png). Prints each image's reconstruction error as mean
per-pixel BCE and PSNR.

Inputs are PNG or JPEG files (resized to the model's input size; transparency
composited onto white; grey for the MNIST models, which expect white digits on
black) or IDX image files such as MNIST's t10k-images-idx3-ubyte(.gz), whose
first -n images are used. The denoising model is given the images as they are
(add noise yourself to see it denoise).

Flags:
  --model DIR   the saved model (model.json and model.safetensors)
  --out FILE    the PNG to write (default reconstruct.png)
  -n N          images to take from each IDX file (default 10)`,
		run: runReconstruct,
	})
}

// imageAE is a saved model seen as an image autoencoder: inputs of h×w×c in [0, 1]
// (rows of h·w·c values) and the map to their reconstructions.
type imageAE struct {
	h, w, c     int
	reconstruct func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var
}

func asImageAE(m zoo.Model) (imageAE, error) {
	square := func(n int) (int, bool) {
		for s := 1; s*s <= n; s++ {
			if s*s == n {
				return s, true
			}
		}
		return 0, false
	}
	flat := func(n int, f func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var) (imageAE, error) {
		s, ok := square(n)
		if !ok {
			return imageAE{}, fmt.Errorf("a %s model of %d inputs is not a square image model", m.Kind(), n)
		}
		return imageAE{s, s, 1, f}, nil
	}
	switch m := m.(type) {
	case *zoo.ConvAE:
		return imageAE{m.Cfg.Height, m.Cfg.Width, m.Cfg.Channels, m.Reconstruct}, nil
	case *zoo.DenseAE:
		return flat(m.Cfg.Input, m.Reconstruct)
	case *zoo.VAE:
		// The mean of the posterior, decoded: the deterministic reconstruction.
		return flat(m.Cfg.OriginalDim, func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
			return m.Decode(tp, m.EncodeMean(tp, x))
		})
	case *zoo.Seq:
		return imageAE{m.Cfg.Timesteps, m.Cfg.Features, 1, m.Reconstruct}, nil
	}
	return imageAE{}, fmt.Errorf("a %s model does not reconstruct images", m.Kind())
}

func runReconstruct(_ context.Context, e *env, args []string) error {
	fs := newFlagSet("reconstruct")
	modelDir := fs.String("model", "", "")
	out := fs.String("out", "reconstruct.png", "")
	n := fs.Int("n", 10, "")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *modelDir == "":
		return usagef("reconstruct: --model DIR is required")
	case len(files) == 0:
		return usagef("reconstruct: no image files given")
	case *n < 1 || *n > 1000:
		return usagef("reconstruct: -n must be from 1 to 1000, got %d", *n)
	case *out == "":
		return usagef("reconstruct: --out must not be empty")
	}
	m, err := zoo.Load(*modelDir, tensor.NewRNG(1))
	if err != nil {
		return fmt.Errorf("--model: %w", err)
	}
	ae, err := asImageAE(m)
	if err != nil {
		return fmt.Errorf("--model %s: %w", *modelDir, err)
	}
	size := ae.h * ae.w * ae.c
	var data []float32
	var names []string
	for _, file := range files {
		x, rowNames, err := loadInput(file, ae, *n)
		if err != nil {
			return err
		}
		data = append(data, x.Data...)
		names = append(names, rowNames...)
	}
	if len(names) > 100 {
		return usagef("reconstruct: %d images; at most 100 fit one figure", len(names))
	}
	x := tensor.FromSlice(data, len(names), size)
	recon := train.Predict(ae.reconstruct, x, 16)
	recon = tensor.FromSlice(recon.Data, len(names), size)
	if dir := filepath.Dir(*out); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
	}
	scale := max(1, 64/max(ae.h, ae.w))
	if err := plot.ImageGrid(*out, append(rowsOf(x, len(names)), rowsOf(recon, len(names))...), 2, len(names), ae.h, ae.w, ae.c,
		plot.GridOptions{Scale: scale, Gap: 2, RowLabels: []string{"original", "reconstructed"}, Title: fmt.Sprintf("%s model of %s", m.Kind(), *modelDir)}); err != nil {
		return err
	}
	writeErrorTable(e.stdout, []errorRows{{"input", names, x, recon}})
	fmt.Fprintf(e.stdout, "wrote %s\n", *out)
	return nil
}

// loadInput reads one input file: a PNG or JPEG image (by its extension) resized to the
// model's input, or an IDX image file [N, h, w] of the model's size (first n images).
func loadInput(file string, ae imageAE, n int) (*tensor.Tensor, []string, error) {
	if images.IsImageName(file) {
		x, _, err := images.Load([]string{file}, images.Options{Width: ae.w, Height: ae.h, Channels: ae.c})
		if err != nil {
			return nil, nil, err
		}
		return x, []string{filepath.Base(file)}, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	// An IDX file starts with two zero bytes (or is gzipped): anything else is refused
	// here with a message that says what was expected.
	var head [4]byte
	k, _ := io.ReadFull(f, head[:])
	if k < 4 || !(head[0] == 0 && head[1] == 0 || head[0] == 0x1f && head[1] == 0x8b) {
		return nil, nil, fmt.Errorf("%s: neither a PNG or JPEG (by its extension) nor an IDX image file", file)
	}
	idx, err := mnist.ReadIDX(io.MultiReader(bytes.NewReader(head[:k]), f))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(idx.Dims) != 3 || idx.Dims[1] != ae.h || idx.Dims[2] != ae.w || ae.c != 1 {
		return nil, nil, fmt.Errorf("%s: IDX images of dimensions %v, the model takes %d×%d×%d", file, idx.Dims, ae.h, ae.w, ae.c)
	}
	k = min(n, idx.Dims[0])
	if k == 0 {
		return nil, nil, fmt.Errorf("%s: no images", file)
	}
	size := ae.h * ae.w
	x := tensor.New(k, size)
	for i := range x.Data {
		x.Data[i] = float32(idx.Data[i]) / 255
	}
	names := make([]string, k)
	for i := range names {
		names[i] = fmt.Sprintf("%s[%d]", filepath.Base(file), i)
	}
	return x, names, nil
}
