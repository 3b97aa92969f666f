package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"fugo/autodiff"
	"fugo/optim"
	"fugo/plot"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

// gridSpec is the manifold's grid of latent values along each axis.
type gridSpec struct {
	kind   string // "quantile" or "linear"
	n      int
	radius float64 // linear only
}

func parseGrid(s string) (gridSpec, error) {
	parts := strings.Split(s, ":")
	bad := fmt.Errorf("train: --grid %q: want quantile:N or linear:N[:R]", s)
	if len(parts) < 2 || len(parts) > 3 {
		return gridSpec{}, bad
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil || n < 2 || n > 100 {
		return gridSpec{}, fmt.Errorf("train: --grid %q: N must be a whole number from 2 to 100", s)
	}
	g := gridSpec{kind: parts[0], n: n, radius: 15}
	switch {
	case g.kind == "quantile" && len(parts) == 2:
	case g.kind == "linear":
		if len(parts) == 3 {
			r, err := strconv.ParseFloat(parts[2], 64)
			if err != nil || !(r > 0) || r > 1e6 {
				return gridSpec{}, fmt.Errorf("train: --grid %q: R must be a positive number", s)
			}
			g.radius = r
		}
	default:
		return gridSpec{}, bad
	}
	return g, nil
}

// values returns the grid's n latent values, increasing: Gaussian quantiles
// Φ⁻¹(linspace(0.05, 0.95, n)) as in the later Keras example, or linspace(−R, R, n) as in
// the post.
func (g gridSpec) values() []float64 {
	v := make([]float64, g.n)
	for i := range v {
		t := float64(i) / float64(g.n-1)
		if g.kind == "quantile" {
			v[i] = distuv.UnitNormal.Quantile(0.05 + 0.9*t)
		} else {
			v[i] = -g.radius + 2*g.radius*t
		}
	}
	return v
}

func trainVAE(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("train vae")
	var f trainFlags
	f.register(fs, "vae", 10, 100)
	latent := fs.Int("latent", 2, "")
	gridFlag := fs.String("grid", "quantile:15", "")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("train vae: unexpected argument %q", rest[0])
	}
	if err := f.check(); err != nil {
		return err
	}
	if *latent < 1 || *latent > 1024 {
		return usagef("train vae: --latent must be from 1 to 1024, got %d", *latent)
	}
	grid, err := parseGrid(*gridFlag)
	if err != nil {
		return &usageError{err.Error()}
	}

	trainSet, testSet, err := loadMNIST(e, f.data)
	if err != nil {
		return err
	}
	cfg := zoo.DefaultVAEConfig()
	cfg.OriginalDim = trainSet.Rows * trainSet.Cols
	cfg.LatentDim = *latent
	res, err := fitAndSave(ctx, e, &f, fitSpec{
		kind:      "vae",
		lossTitle: "VAE on MNIST: loss per image (784·BCE + KL)",
		build:     func(rng *rand.Rand) fitModel { return zoo.NewVAE(cfg, rng) },
		optimizer: func(params []*autodiff.Var) optim.Optimizer { return optim.NewRMSprop(params) },
		check: func(m zoo.Model) error {
			v, ok := m.(*zoo.VAE)
			switch {
			case !ok:
				return fmt.Errorf("the saved model is a %s, not a vae", m.Kind())
			case v.Cfg.OriginalDim != cfg.OriginalDim:
				return fmt.Errorf("the model takes %d pixels, the data has %d", v.Cfg.OriginalDim, cfg.OriginalDim)
			case latentSet(fs) && *latent != v.Cfg.LatentDim:
				return usagef("--latent %d, but the saved run has %d latent dimensions", *latent, v.Cfg.LatentDim)
			}
			return nil
		},
		x: trainSet.Images, valX: testSet.Images,
	})
	if err != nil {
		return err
	}
	model := res.model.(*zoo.VAE)
	cfg = model.Cfg
	files := append(res.files, "latent.png")

	// The encoder alone: test images → z_mean.
	codes := train.Predict(model.EncodeMean, testSet.Images, f.batch)
	labels := make([]int, testSet.Len())
	for i, l := range testSet.Labels {
		labels[i] = int(l)
	}
	xs, ys := column(codes, 0), column(codes, min(1, cfg.LatentDim-1))
	if err := plot.Scatter(filepath.Join(f.out, "latent.png"), xs, ys, labels, plot.ScatterOptions{
		Title:         "VAE: test-set z_mean by digit",
		YLabel:        fmt.Sprintf("z[%d]", min(1, cfg.LatentDim-1)),
		ColorBarLabel: "digit",
	}); err != nil {
		return err
	}
	if cfg.LatentDim == 2 {
		if err := writeManifold(filepath.Join(f.out, "manifold.png"), model, grid, trainSet.Rows, trainSet.Cols); err != nil {
			return err
		}
		files = append(files, "manifold.png")
	} else {
		fmt.Fprintf(e.stderr, "fugo: manifold.png needs --latent 2; skipped\n")
	}
	listFiles(e.stdout, f.out, files)
	return res.after
}

// latentSet reports whether --latent was given on the command line.
func latentSet(fs *flag.FlagSet) bool {
	set := false
	fs.Visit(func(fl *flag.Flag) { set = set || fl.Name == "latent" })
	return set
}

func column(t *tensor.Tensor, j int) []float64 {
	c := t.Cols()
	out := make([]float64, t.Rows())
	for i := range out {
		out[i] = float64(t.Data[i*c+j])
	}
	return out
}

// writeManifold decodes a grid of latent points with the decoder alone and tiles the
// digits: column j has z[0] = values[j] (left to right, increasing) and row i has
// z[1] = values[n−1−i], so that up is +z[1] as in latent.png.
func writeManifold(path string, model *zoo.VAE, grid gridSpec, rows, cols int) error {
	v := grid.values()
	n := len(v)
	z := tensor.New(n*n, 2)
	for i := range n {
		for j := range n {
			z.Data[(i*n+j)*2] = float32(v[j])
			z.Data[(i*n+j)*2+1] = float32(v[n-1-i])
		}
	}
	digits := train.Predict(model.Decode, z, n*n)
	images := make([][]float32, n*n)
	for k := range images {
		images[k] = digits.Data[k*rows*cols : (k+1)*rows*cols]
	}
	return plot.ImageGrid(path, images, n, n, rows, cols, 1, plot.GridOptions{Scale: 2})
}

func plotLoss(path, title string, history []train.Epoch) error {
	var xs, loss, xv, val []float64
	for _, ep := range history {
		xs = append(xs, float64(ep.Epoch))
		loss = append(loss, ep.Loss)
		if ep.ValLoss != nil {
			xv = append(xv, float64(ep.Epoch))
			val = append(val, *ep.ValLoss)
		}
	}
	series := []plot.Series{{Name: "training", X: xs, Y: loss}}
	if len(val) > 0 {
		series = append(series, plot.Series{Name: "validation", X: xv, Y: val})
	}
	return plot.Lines(path, title, "epoch", "loss", series)
}
