package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"fugo/data/arrays"
	"fugo/data/images"
	"fugo/data/mnist"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

func init() {
	register(&verb{
		name:    "encode",
		summary: "map inputs to codes with a trained model's encoder",
		usage: `usage: fugo encode --model DIR [--out FILE] INPUT...

Runs the encoder of the model saved in DIR (by fugo train) on INPUT and writes one
code per input row to --out FILE, as NumPy .npy or CSV by its extension (default
codes.npy). For the VAE the code is z_mean.

INPUT is one or more of:
  IDX file     MNIST-style images (gzipped or not), bytes scaled to [0, 1]
  .png .jpg    image files, or folders of them: resized to the model's input
               size, composited onto white, values in [0, 1]
  .npy .csv    arrays [N, …] whose per-row size is the model's input size,
               taken as they are (scale them to the range the model trained on)
Inputs are concatenated in the order given.

Flags:
  --model DIR   the saved model (model.json + model.safetensors)
  --out FILE    output file, .npy or .csv (default codes.npy)
  --batch N     rows per forward pass (default 256)`,
		run: runEncode,
	})
}

// maxBatch bounds --batch so that a typo cannot ask for a huge buffer.
const maxBatch = 1 << 16

// loadAutoencoder loads the model in dir and returns its encoder/decoder view. Errors
// name the directory and say when the model has no separate parts.
func loadAutoencoder(dir string, seed uint64) (zoo.Model, zoo.Autoencoder, error) {
	if dir == "" {
		return nil, nil, usagef("--model DIR is required")
	}
	m, err := zoo.Load(dir, tensor.NewRNG(seed))
	if err != nil {
		return nil, nil, fmt.Errorf("--model: %w", err)
	}
	ae, ok := zoo.AsAutoencoder(m)
	if !ok {
		return nil, nil, fmt.Errorf("--model %s: a %q model has no separate encoder and decoder", dir, m.Kind())
	}
	return m, ae, nil
}

func runEncode(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("encode")
	model := fs.String("model", "", "")
	out := fs.String("out", "codes.npy", "")
	batch := fs.Int("batch", 256, "")
	inputs, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(inputs) == 0 {
		return usagef("encode: no INPUT; see 'fugo help encode'")
	}
	if *batch < 1 || *batch > maxBatch {
		return usagef("encode: --batch must be from 1 to %d, got %d", maxBatch, *batch)
	}
	if err := checkArrayName("--out", *out); err != nil {
		return err
	}
	_, ae, err := loadAutoencoder(*model, 1)
	if err != nil {
		return err
	}
	x, err := readInputs(inputs, ae.InputShape())
	if err != nil {
		return err
	}
	codes := train.Predict(ae.Encode, x, *batch)
	codes = codes.Reshape(codes.Shape[0], codes.Cols())
	if err := arrays.SaveFile(*out, codes); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "encoded %d inputs to codes of shape %v: wrote %s\n", x.Shape[0], ae.CodeShape(), *out)
	return nil
}

// checkArrayName refuses an output name that is neither .npy nor .csv.
func checkArrayName(flag, name string) error {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".npy", ".csv":
		return nil
	}
	return usagef("%s %q: want a .npy or .csv file name", flag, name)
}

// readInputs reads every input (see 'fugo help encode') into one [N, InputShape…] batch.
func readInputs(paths []string, shape []int) (*tensor.Tensor, error) {
	size := tensor.Numel(shape)
	var parts []*tensor.Tensor
	total := 0
	for _, p := range paths {
		t, err := readInput(p, shape)
		if err != nil {
			return nil, err
		}
		if t.Shape[0] == 0 {
			return nil, fmt.Errorf("%s: no rows", p)
		}
		if !t.AllFinite() {
			return nil, fmt.Errorf("%s: contains NaN or infinite values", p)
		}
		if t.Size() != t.Shape[0]*size {
			return nil, fmt.Errorf("%s: rows of shape %v (%d values), the model takes %v (%d values)", p, t.Shape[1:], t.Size()/t.Shape[0], shape, size)
		}
		parts = append(parts, t)
		total += t.Shape[0]
	}
	x := tensor.New(append([]int{total}, shape...)...)
	off := 0
	for _, t := range parts {
		off += copy(x.Data[off:], t.Data)
	}
	return x, nil
}

func readInput(path string, shape []int) (*tensor.Tensor, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		h, w, c, err := imageGeometry(shape)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		t, _, err := images.LoadDir(path, images.Options{Width: w, Height: h, Channels: c})
		return t, err
	}
	switch ext := strings.ToLower(filepath.Ext(path)); {
	case ext == ".npy" || ext == ".csv":
		return arrays.LoadFile(path)
	case images.IsImageName(path):
		h, w, c, err := imageGeometry(shape)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		t, _, err := images.Load([]string{path}, images.Options{Width: w, Height: h, Channels: c})
		return t, err
	}
	return readIDXImages(path)
}

// readIDXImages reads an IDX file of unsigned bytes [N, …] as [N, …] floats in [0, 1].
func readIDXImages(path string) (*tensor.Tensor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	x, err := mnist.ReadIDX(f)
	if err != nil {
		if errors.Is(err, mnist.ErrBadMagic) {
			return nil, fmt.Errorf("%s: not an IDX file, .npy, .csv or image (%w)", path, err)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(x.Dims) < 2 {
		return nil, fmt.Errorf("%s: IDX dimensions %v, want [N, …] images", path, x.Dims)
	}
	t := tensor.New(x.Dims...)
	for i, b := range x.Data {
		t.Data[i] = float32(b) / 255
	}
	return t, nil
}

// imageGeometry gives the image height, width and channels of one model input or
// output: a shape [H, W, C] (C 1 or 3) as it is; a flat shape [D] as a square grey image
// when D is a square (784 → 28×28), else a square RGB image when D/3 is one.
func imageGeometry(shape []int) (h, w, c int, err error) {
	switch {
	case len(shape) == 3 && (shape[2] == 1 || shape[2] == 3):
		return shape[0], shape[1], shape[2], nil
	case len(shape) == 2:
		return shape[0], shape[1], 1, nil
	case len(shape) == 1:
		d := shape[0]
		if s := isqrt(d); s*s == d {
			return s, s, 1, nil
		}
		if d%3 == 0 {
			if s := isqrt(d / 3); s*s == d/3 {
				return s, s, 3, nil
			}
		}
	}
	return 0, 0, 0, fmt.Errorf("the model's data of shape %v are not images", shape)
}

func isqrt(n int) int {
	s := int(math.Sqrt(float64(n)))
	for s*s > n {
		s--
	}
	for (s+1)*(s+1) <= n {
		s++
	}
	return s
}
