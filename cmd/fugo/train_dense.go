package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"

	"fugo/autodiff"
	"fugo/nn"
	"fugo/optim"
	"fugo/train"
	"fugo/zoo"
)

func init() {
	registerTrainer(&trainer{
		name:    "simple",
		summary: "784-32-784 autoencoder (Adadelta, BCE, batch 256, 50 epochs): recon.png",
		run:     func(ctx context.Context, e *env, args []string) error { return trainDense(ctx, e, "simple", 50, args) },
	})
	registerTrainer(&trainer{
		name:    "sparse",
		summary: "simple + L1 activity penalty 1e-4 on the code (100 epochs): recon.png, mean code activation",
		run:     func(ctx context.Context, e *env, args []string) error { return trainDense(ctx, e, "sparse", 100, args) },
	})
	registerTrainer(&trainer{
		name:    "deep",
		summary: "784-128-64-32-64-128-784 autoencoder (batch 256, 100 epochs): recon.png",
		run:     func(ctx context.Context, e *env, args []string) error { return trainDense(ctx, e, "deep", 100, args) },
	})
}

// trainDense trains the tutorial's simple, sparse or deep autoencoder on MNIST with
// Adadelta and BCE, validating on the test set after each epoch as the tutorial does,
// and writes recon.png: the first 10 test digits above their reconstructions.
func trainDense(ctx context.Context, e *env, kind string, epochs int, args []string) error {
	fs := newFlagSet("train " + kind)
	var f trainFlags
	f.register(fs, kind, epochs, 256)
	var l1 float64
	var batchSum bool
	if kind == "sparse" {
		fs.Float64Var(&l1, "l1", zoo.SparseL1, "")
		fs.BoolVar(&batchSum, "batch-sum", false, "")
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
	if kind == "sparse" && !(l1 >= 0 && l1 <= 1e3) {
		return usagef("train sparse: --l1 must be from 0 to 1000, got %v", l1)
	}

	trainSet, testSet, err := loadMNIST(e, f.data)
	if err != nil {
		return err
	}
	var cfg zoo.DenseConfig
	switch kind {
	case "simple":
		cfg = zoo.SimpleConfig()
	case "sparse":
		cfg = zoo.SparseConfig()
		cfg.Activity = &nn.ActivityRegularizer{L1L2: nn.L1(float32(l1)), PerExample: !batchSum}
	case "deep":
		cfg = zoo.DeepConfig()
	}
	cfg.Input = trainSet.Rows * trainSet.Cols
	res, err := fitAndSave(ctx, e, &f, fitSpec{
		kind: kind, lossTitle: fmt.Sprintf("%s autoencoder on MNIST: mean BCE per pixel", kind),
		build:     func(rng *rand.Rand) fitModel { return zoo.NewDenseAE(kind, cfg, rng) },
		optimizer: func(ps []*autodiff.Var) optim.Optimizer { return optim.NewAdadelta(ps) },
		check: func(m zoo.Model) error {
			if in := m.(*zoo.DenseAE).Cfg.Input; in != cfg.Input {
				return fmt.Errorf("the model takes %d pixels, the data has %d", in, cfg.Input)
			}
			return nil
		},
		x: trainSet.Images, valX: testSet.Images,
	})
	if err != nil {
		return err
	}
	model := res.model.(*zoo.DenseAE)
	recon := train.Predict(model.Reconstruct, testSet.Images, 1000)
	codes := train.Predict(model.Encode, testSet.Images, 1000)
	files := res.files
	if err := writePairs(filepath.Join(f.out, "recon.png"), testSet.Images, recon, 10, trainSet.Rows, trainSet.Cols, 1,
		[2]string{"original", "reconstructed"}, ""); err != nil {
		return err
	}
	files = append(files, "recon.png")
	fmt.Fprintf(e.stdout, "test BCE (mean per pixel, %d images): %.4f\n", testSet.Len(), meanBCE(testSet.Images, recon))
	fmt.Fprintf(e.stdout, "mean code activation (test set, %d units): %.3f\n", model.Cfg.CodeDim(), meanValue(codes))
	listFiles(e.stdout, f.out, files)
	return res.after
}
