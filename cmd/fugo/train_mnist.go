package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strconv"

	"fugo/autodiff"
	"fugo/data/mnist"
	"fugo/nn"
	"fugo/optim"
	"fugo/plot"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

// fitModel is a zoo model that train.Fit can train.
type fitModel interface {
	train.Model
	zoo.Model
}

// loadMNIST finds MNIST through --data, $FUGO_DATA or the module cache and loads both
// splits.
func loadMNIST(e *env, dataFlag string) (trainSet, testSet *mnist.Dataset, err error) {
	dir, err := mnist.Locate(dataFlag, e.getenv)
	if err != nil {
		return nil, nil, err
	}
	return mnist.Load(dir)
}

// fitSpec is one training run of the shared flags.
type fitSpec struct {
	kind      string // model name, for history.json and messages
	lossTitle string // title of loss.png
	// build makes a fresh model from the run's random source; optimizer makes its
	// optimizer (Keras' defaults).
	build     func(rng *rand.Rand) fitModel
	optimizer func(params []*autodiff.Var) optim.Optimizer
	// check, if set, vets a model reloaded by --resume against the data (shapes).
	check func(m zoo.Model) error
	// x, y are the training inputs and targets (y nil: x); valX, valY the validation
	// data, evaluated after every epoch as the tutorial's validation_data.
	x, y, valX, valY *tensor.Tensor
	metadata         map[string]string // extra entries for the weights' header
	// printEvery > 1 prints only every printEvery-th epoch (and the last), and the
	// progress bar counts epochs instead of steps: for thousands of one-step epochs.
	printEvery int
}

// fitResult is what fitAndSave hands back for the model's own figures.
type fitResult struct {
	model   fitModel
	history []train.Epoch // every epoch, those of a resumed run first
	files   []string      // names written into --out, for the summary
	// after is the interruption or non-finite loss that stopped training early, to be
	// returned once the model's figures are written too.
	after error
}

// fitAndSave builds (or, with --resume, reloads) the model, trains it with the shared
// flags printing each epoch, then writes history.json, loss.png, the weights, model.json
// and the resume state (optimizer.safetensors, state.json) into f.out.
func fitAndSave(ctx context.Context, e *env, f *trainFlags, spec fitSpec) (*fitResult, error) {
	run, err := startRun(f)
	if err != nil {
		return nil, err
	}
	m, err := run.model(spec.kind, func(rng *rand.Rand) zoo.Model { return spec.build(rng) })
	if err != nil {
		return nil, err
	}
	model, ok := m.(fitModel)
	if !ok {
		return nil, fmt.Errorf("--resume %s: a %s model cannot be trained", f.resume, m.Kind())
	}
	if run.resuming() && spec.check != nil {
		if err := spec.check(model); err != nil {
			return nil, fmt.Errorf("--resume %s: %w", f.resume, err)
		}
	}
	opt := spec.optimizer(paramVars(model))
	if err := run.restore(model, opt); err != nil {
		return nil, err
	}
	if w := run.warning(); w != "" {
		fmt.Fprintln(e.stderr, w)
	}
	if err := mkdirOut(f.out); err != nil {
		return nil, err
	}
	bar := &progress{e: e, quiet: f.quiet, epochs: f.epochs + run.initialEpoch()}
	cfg := train.Config{
		Epochs: f.epochs, BatchSize: f.batch, Shuffle: true,
		X: spec.x, Y: spec.y, ValX: spec.valX, ValY: spec.valY,
		Optimizer: opt,
		OnBatch:   bar.onBatch,
		OnEpoch: func(ep train.Epoch) {
			bar.clear()
			printEpoch(e.stdout, bar.epochs, ep)
		},
	}
	if every := spec.printEvery; every > 1 {
		var sum, secs float64 // the loss is noisy from epoch to epoch: print the mean since the last line
		var n int
		first := run.initialEpoch() + 1
		cfg.OnBatch = nil
		cfg.OnEpoch = func(ep train.Epoch) {
			sum += ep.Loss
			secs += ep.Seconds
			n++
			// The bar counts epochs: one step of the bar per epoch.
			bar.onBatch(ep.Epoch, ep.Epoch-first+1, f.epochs, sum/float64(n))
			if (ep.Epoch-first+1)%every == 0 || ep.Epoch == bar.epochs {
				bar.clear()
				fmt.Fprintf(e.stdout, "epochs %d–%d/%d  mean loss %.4f  (%.1f ms/epoch)\n", ep.Epoch-n+1, ep.Epoch, bar.epochs, sum/float64(n), 1000*secs/float64(n))
				sum, secs, n = 0, 0, 0
			}
		}
	}
	if err := run.configure(&cfg); err != nil {
		return nil, err
	}
	history, fitErr := train.Fit(ctx, model, cfg)
	bar.clear()
	fatal, after := trainOutcome(fitErr)
	if fatal != nil {
		return nil, fatal
	}
	md := map[string]string{"batch": strconv.Itoa(f.batch)}
	for k, v := range spec.metadata {
		md[k] = v
	}
	if history, err = run.save(f.out, model, opt, history, fitErr, md); err != nil {
		return nil, err
	}
	if err := writeHistory(filepath.Join(f.out, "history.json"), spec.kind, history); err != nil {
		return nil, err
	}
	files := []string{"history.json"}
	if len(history) > 0 {
		if err := plotLoss(filepath.Join(f.out, "loss.png"), spec.lossTitle, history); err != nil {
			return nil, err
		}
		files = append(files, "loss.png")
	}
	files = append(files, zoo.WeightsName, zoo.ConfigName, zoo.OptimizerStateName, zoo.RunStateName)
	return &fitResult{model: model, history: history, files: files, after: after}, nil
}

// paramVars lists a model's parameters for an optimizer.
func paramVars(m zoo.Model) []*autodiff.Var {
	ps := m.Params()
	vs := make([]*autodiff.Var, len(ps))
	for i, p := range ps {
		vs[i] = p.Var
	}
	return vs
}

// meanBCE is the mean per-element binary cross-entropy of predictions p against targets
// t, with p clipped to [1e-7, 1−1e-7] as Keras does: what Keras' evaluate reports for
// an autoencoder compiled with loss='binary_crossentropy'. Summed in float64.
func meanBCE(t, p *tensor.Tensor) float64 {
	if len(t.Data) != len(p.Data) || len(t.Data) == 0 {
		panic(fmt.Sprintf("meanBCE: %d targets, %d predictions", len(t.Data), len(p.Data)))
	}
	var s float64
	for i, y := range t.Data {
		q := float64(min(max(p.Data[i], nn.Epsilon), 1-nn.Epsilon))
		s -= float64(y)*math.Log(q) + float64(1-y)*math.Log(1-q)
	}
	return s / float64(len(t.Data))
}

// meanValue is the mean of all elements.
func meanValue(t *tensor.Tensor) float64 {
	var s float64
	for _, v := range t.Data {
		s += float64(v)
	}
	return s / float64(max(len(t.Data), 1))
}

// rowsOf returns the first n rows of t as slices (views).
func rowsOf(t *tensor.Tensor, n int) [][]float32 {
	c := t.Cols()
	n = min(n, t.Rows())
	out := make([][]float32, n)
	for i := range out {
		out[i] = t.Data[i*c : (i+1)*c]
	}
	return out
}

// writePairs writes n images of top above the same n images of bottom, each h×w×channels,
// with row labels: the tutorial's figure of originals above reconstructions.
func writePairs(path string, top, bottom *tensor.Tensor, n, h, w, channels int, labels [2]string, title string) error {
	n = min(n, top.Rows(), bottom.Rows())
	images := append(rowsOf(top, n), rowsOf(bottom, n)...)
	scale := 3 // 28-pixel digits and 64-pixel illustrations both read well at 2–3×
	if h >= 48 {
		scale = 2
	}
	return plot.ImageGrid(path, images, 2, n, h, w, channels, plot.GridOptions{Scale: scale, Gap: 2, RowLabels: labels[:], Title: title})
}
