package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"

	"fugo/autodiff"
	"fugo/optim"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

func init() {
	registerTrainer(&trainer{
		name:    "seq",
		summary: "LSTM(64) → RepeatVector → LSTM sequence autoencoder on MNIST rows as 28 steps (Adam, MSE, batch 128, 10 epochs): recon.png",
		run:     trainSeq,
	})
}

// trainSeq trains the tutorial's sequence-to-sequence autoencoder on MNIST digits read
// as sequences of 28 rows of 28 pixels, with Adam and the mean squared error, and writes
// recon.png: 10 test sequences (drawn as images, one row per time step) above their
// reconstructions.
func trainSeq(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("train seq")
	var f trainFlags
	f.register(fs, "seq", 10, 128)
	latent := fs.Int("latent", 64, "")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("train seq: unexpected argument %q", rest[0])
	}
	if err := f.check(); err != nil {
		return err
	}
	if *latent < 1 || *latent > 4096 {
		return usagef("train seq: --latent must be from 1 to 4096, got %d", *latent)
	}
	trainSet, testSet, err := loadMNIST(e, f.data)
	if err != nil {
		return err
	}
	cfg := zoo.SeqConfig{Timesteps: trainSet.Rows, Features: trainSet.Cols, Latent: *latent}
	res, err := fitAndSave(ctx, e, &f, fitSpec{
		kind: "seq", lossTitle: "sequence autoencoder on MNIST rows: mean squared error",
		build:     func(rng *rand.Rand) fitModel { return zoo.NewSeq(cfg, rng) },
		optimizer: func(ps []*autodiff.Var) optim.Optimizer { return optim.NewAdam(ps) },
		check: func(m zoo.Model) error {
			if c := m.(*zoo.Seq).Cfg; c.Timesteps != cfg.Timesteps || c.Features != cfg.Features {
				return fmt.Errorf("the model reads %d steps of %d, the data has %d of %d", c.Timesteps, c.Features, cfg.Timesteps, cfg.Features)
			}
			return nil
		},
		x: trainSet.Images, valX: testSet.Images,
	})
	if err != nil {
		return err
	}
	model := res.model.(*zoo.Seq)
	recon := train.Predict(model.Reconstruct, testSet.Images, 500)
	flat := tensor.FromSlice(recon.Data, testSet.Len(), trainSet.Rows*trainSet.Cols)
	if err := writePairs(filepath.Join(f.out, "recon.png"), testSet.Images, flat, 10, trainSet.Rows, trainSet.Cols, 1,
		[2]string{"sequence", "reconstructed"}, ""); err != nil {
		return err
	}
	var se float64
	for i, v := range flat.Data {
		d := float64(v - testSet.Images.Data[i])
		se += d * d
	}
	fmt.Fprintf(e.stdout, "test MSE (mean per element, %d sequences of %d×%d): %.5f\n", testSet.Len(), trainSet.Rows, trainSet.Cols, se/float64(len(flat.Data)))
	listFiles(e.stdout, f.out, append(res.files, "recon.png"))
	return res.after
}
