package main

import (
	"context"
	"fmt"

	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

func init() {
	register(&verb{
		name:    "sample",
		summary: "draw new images from a trained VAE's prior",
		usage: `usage: fugo sample --model DIR [-n N] [--seed S] [--out FILE]

Draws N codes from the prior of the generative model saved in DIR (the VAE:
z ~ N(0, I)) and decodes them into a PNG grid (--out FILE.png, default
samples.png) or an array (.npy or .csv).

Flags:
  --model DIR   the saved model (a vae)
  -n N          number of samples, 1 to 10000 (default 64)
  --seed S      random seed (default 1)
  --out FILE    .png, .npy or .csv (default samples.png)
  --cols N      images per row of the grid (default: about √N)
  --scale N     pixel upscaling of the grid (default 2)`,
		run: runSample,
	})
}

func runSample(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("sample")
	model := fs.String("model", "", "")
	n := fs.Int("n", 64, "")
	seed := fs.Uint64("seed", 1, "")
	var o outputFlags
	o.register(fs, "samples.png")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("sample: unexpected argument %q", rest[0])
	}
	if *n < 1 || *n > maxGridImages {
		return usagef("sample: -n must be from 1 to %d, got %d", maxGridImages, *n)
	}
	if err := o.check("sample"); err != nil {
		return err
	}
	m, ae, err := loadAutoencoder(*model, *seed)
	if err != nil {
		return err
	}
	ps, ok := m.(zoo.PriorSampler)
	if !ok {
		return fmt.Errorf("--model %s: a %q model has no prior to sample from (a vae has)", *model, m.Kind())
	}
	z := ps.SamplePrior(tensor.NewRNG(*seed), *n)
	y := train.Predict(ae.Decode, z, 256)
	if err := o.write(y, ae.InputShape(), ""); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "sampled %d images: wrote %s\n", *n, o.out)
	return nil
}
