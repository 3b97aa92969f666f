package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"fugo/data/arrays"
	"fugo/plot"
	"fugo/tensor"
	"fugo/train"
)

func init() {
	register(&verb{
		name:    "decode",
		summary: "turn codes into images with a trained model's decoder",
		usage: `usage: fugo decode --model DIR [--out FILE] CODES

Runs the decoder of the model saved in DIR on the codes in CODES (.npy or .csv,
[N, code size], as fugo encode writes them) and writes the outputs as one PNG grid
of images (--out FILE.png, default decoded.png), or as an array (.npy or .csv).

Flags:
  --model DIR   the saved model (model.json + model.safetensors)
  --out FILE    .png (an image grid), .npy or .csv (default decoded.png)
  --cols N      images per row of the grid (default: about √N)
  --scale N     pixel upscaling of the grid (default 2)`,
		run: runDecode,
	})
}

// maxGridImages bounds an image grid: past it, write an array instead.
const maxGridImages = 10000

// outputFlags are the flags of the verbs that write decoder outputs.
type outputFlags struct {
	out         string
	cols, scale int
}

func (o *outputFlags) register(fs interface {
	StringVar(*string, string, string, string)
	IntVar(*int, string, int, string)
}, def string) {
	fs.StringVar(&o.out, "out", def, "")
	fs.IntVar(&o.cols, "cols", 0, "")
	fs.IntVar(&o.scale, "scale", 2, "")
}

func (o *outputFlags) check(verb string) error {
	switch strings.ToLower(filepath.Ext(o.out)) {
	case ".png", ".npy", ".csv":
	default:
		return usagef("%s: --out %q: want a .png, .npy or .csv file name", verb, o.out)
	}
	if o.cols < 0 || o.cols > maxGridImages {
		return usagef("%s: --cols must be from 1 to %d", verb, maxGridImages)
	}
	if o.scale < 1 || o.scale > 16 {
		return usagef("%s: --scale must be from 1 to 16, got %d", verb, o.scale)
	}
	return nil
}

// write saves decoder outputs y [N, OutputShape…]: as an image grid for .png, else as
// an array [N, size].
func (o *outputFlags) write(y *tensor.Tensor, shape []int, title string) error {
	n := y.Shape[0]
	if ext := strings.ToLower(filepath.Ext(o.out)); ext != ".png" {
		return arrays.SaveFile(o.out, y.Reshape(n, y.Cols()))
	}
	if n > maxGridImages {
		return fmt.Errorf("%d images are too many for one picture (at most %d); write --out FILE.npy instead", n, maxGridImages)
	}
	h, w, c, err := imageGeometry(shape)
	if err != nil {
		return err
	}
	cols := o.cols
	if cols == 0 {
		cols = max(1, isqrt(n))
		if cols*cols < n {
			cols++
		}
	}
	cols = min(cols, n)
	rows := (n + cols - 1) / cols
	imgs := make([][]float32, n)
	size := h * w * c
	for i := range imgs {
		imgs[i] = y.Data[i*size : (i+1)*size]
	}
	return plot.ImageGrid(o.out, imgs, rows, cols, h, w, c, plot.GridOptions{Scale: o.scale, Gap: o.scale, Title: title})
}

func runDecode(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("decode")
	model := fs.String("model", "", "")
	var o outputFlags
	o.register(fs, "decoded.png")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("decode: want one CODES file; see 'fugo help decode'")
	}
	if err := o.check("decode"); err != nil {
		return err
	}
	_, ae, err := loadAutoencoder(*model, 1)
	if err != nil {
		return err
	}
	if err := checkArrayInput("CODES", rest[0]); err != nil {
		return err
	}
	z, err := arrays.LoadFile(rest[0])
	if err != nil {
		return err
	}
	z, err = asBatch(rest[0], z, ae.CodeShape(), "codes")
	if err != nil {
		return err
	}
	y := train.Predict(ae.Decode, z, 256)
	if err := o.write(y, ae.InputShape(), ""); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "decoded %d codes: wrote %s\n", z.Shape[0], o.out)
	return nil
}

// checkArrayInput refuses an input name that is neither .npy nor .csv.
func checkArrayInput(what, name string) error {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".npy", ".csv":
		return nil
	}
	return usagef("%s %q: want a .npy or .csv file", what, name)
}

// asBatch reshapes an array read from path into [N, shape…], or says why it cannot.
func asBatch(path string, t *tensor.Tensor, shape []int, what string) (*tensor.Tensor, error) {
	size := tensor.Numel(shape)
	if len(t.Shape) == 0 || t.Shape[0] == 0 {
		return nil, fmt.Errorf("%s: no %s", path, what)
	}
	if len(t.Shape) == 1 && t.Size() == size { // a single code
		t = t.Reshape(1, size)
	}
	n := t.Shape[0]
	if t.Size() != n*size {
		return nil, fmt.Errorf("%s: %s of shape %v, the model wants [N %s]", path, what, t.Shape, strings.Trim(fmt.Sprint(shape), "[]"))
	}
	if !t.AllFinite() {
		return nil, fmt.Errorf("%s: %s contain NaN or infinite values", path, what)
	}
	return t.Reshape(append([]int{n}, shape...)...), nil
}
