package zoo_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fugo/autodiff"
	"fugo/checkpoint"
	"fugo/optim"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

const pcgStream = 0x9e3779b97f4a7c15 // tensor.NewRNG's second PCG word

// The PCG built here must be the source behind tensor.NewRNG, or the runs below would
// not be the ones the CLI makes.
func TestPCGMatchesNewRNG(t *testing.T) {
	a, b := tensor.NewRNG(5), rand.New(rand.NewPCG(5, pcgStream))
	for range 10 {
		if a.Uint64() != b.Uint64() {
			t.Fatal("tensor.NewRNG is no longer rand.NewPCG(seed, 0x9e3779b97f4a7c15)")
		}
	}
}

type vaeRun struct {
	pcg   *rand.PCG
	rng   *rand.Rand
	m     *zoo.VAE
	opt   optim.Optimizer
	order []int
}

func fit(t *testing.T, r *vaeRun, x, val *tensor.Tensor, initial, epochs int) []train.Epoch {
	t.Helper()
	h, err := train.Fit(context.Background(), r.m, train.Config{
		Epochs: epochs, BatchSize: 50, Shuffle: true, RNG: r.rng, X: x, ValX: val,
		Optimizer: r.opt, InitialEpoch: initial, Order: r.order,
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func newRun(seed uint64, n int) *vaeRun {
	pcg := rand.NewPCG(seed, pcgStream)
	rng := rand.New(pcg)
	m := zoo.NewVAE(zoo.VAEConfig{OriginalDim: 784, IntermediateDim: 64, LatentDim: 2, EpsilonStd: 1}, rng)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	return &vaeRun{pcg: pcg, rng: rng, m: m, opt: optim.NewRMSprop(paramVars(m)), order: order}
}

// resume reloads a run saved in dir into fresh objects seeded differently, so that only
// what was saved can make it continue the same way.
func resume(t *testing.T, dir string) (*vaeRun, *zoo.RunState) {
	t.Helper()
	pcg := rand.NewPCG(12345, 678)
	rng := rand.New(pcg)
	m, st, err := zoo.LoadRun(dir, rng)
	if err != nil {
		t.Fatal(err)
	}
	v := m.(*zoo.VAE)
	opt := optim.NewRMSprop(paramVars(v))
	if err := st.RestoreOptimizer(dir, opt, v); err != nil {
		t.Fatal(err)
	}
	if err := st.RestoreRNG("rng", pcg); err != nil {
		t.Fatal(err)
	}
	return &vaeRun{pcg: pcg, rng: rng, m: v, opt: opt, order: st.Order}, st
}

// 2 epochs, saved, reloaded into fresh objects and trained 3 more give bit-identical
// weights, optimizer state and losses to 5 uninterrupted epochs with the same seed.
func TestResumeEqualsUninterrupted(t *testing.T) {
	trainSet, testSet := loadMNIST(t, 300)
	x, val := trainSet.Images, testSet.Images.RowSlice(0, 100)

	whole := newRun(11, 300)
	hWhole := fit(t, whole, x, val, 0, 5)

	first := newRun(11, 300)
	h1 := fit(t, first, x, val, 0, 2)
	dir := t.TempDir()
	if err := zoo.SaveRun(dir, first.m, first.opt, map[string]*rand.PCG{"rng": first.pcg},
		zoo.RunState{Epochs: 2, Seed: 11, Order: first.order, History: h1}, nil); err != nil {
		t.Fatal(err)
	}
	second, st := resume(t, dir)
	if st.Epochs != 2 || st.Iterations != 12 || second.opt.Iterations() != 12 || st.Optimizer != "rmsprop" {
		t.Fatalf("state after 2 epochs of 6 steps: epochs %d, iterations %d (optimizer %d), optimizer %q", st.Epochs, st.Iterations, second.opt.Iterations(), st.Optimizer)
	}
	h2 := fit(t, second, x, val, st.Epochs, 3)
	hResumed := append(st.History, h2...)

	if len(hResumed) != len(hWhole) {
		t.Fatalf("%d epochs resumed, %d uninterrupted", len(hResumed), len(hWhole))
	}
	for i := range hWhole {
		a, b := hWhole[i], hResumed[i]
		if a.Epoch != b.Epoch || a.Loss != b.Loss || *a.ValLoss != *b.ValLoss {
			t.Errorf("epoch %d: uninterrupted loss %v val %v, resumed epoch %d loss %v val %v", a.Epoch, a.Loss, *a.ValLoss, b.Epoch, b.Loss, *b.ValLoss)
		}
	}
	wp, rp := whole.m.Params(), second.m.Params()
	for i := range wp {
		if !slices.Equal(wp[i].Var.Value.Data, rp[i].Var.Value.Data) {
			t.Errorf("%s differs after resuming", wp[i].Name)
		}
	}
	_, ws := whole.opt.Slots()
	_, rs := second.opt.Slots()
	for i := range ws[0] {
		if !slices.Equal(ws[0][i], rs[0][i]) {
			t.Errorf("optimizer accumulator %d differs after resuming", i)
		}
	}
	if whole.rng.Uint64() != second.rng.Uint64() {
		t.Error("random streams differ after resuming")
	}

	// Without the optimizer state or the random state the run would diverge: the test
	// above can fail.
	noOpt, _ := resume(t, dir)
	noOpt.opt = optim.NewRMSprop(paramVars(noOpt.m))
	h3 := fit(t, noOpt, x, val, 2, 1)
	if h3[0].Loss == hWhole[2].Loss {
		t.Error("resetting the optimizer state did not change the next epoch's loss")
	}
}

// A run directory whose files do not belong together, or are missing or broken, is
// refused with an error naming the file.
func TestLoadRunRefusesBrokenDirs(t *testing.T) {
	r := newRun(3, 20)
	x := tensor.New(20, 784)
	x.FillUniform(tensor.NewRNG(1), 0, 1)
	h := fit(t, r, x, nil, 0, 1)
	save := func(t *testing.T) string {
		dir := t.TempDir()
		if err := zoo.SaveRun(dir, r.m, r.opt, map[string]*rand.PCG{"rng": r.pcg}, zoo.RunState{Epochs: 1, History: h}, nil); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	cases := []struct {
		name  string
		spoil func(dir string)
		want  string
	}{
		{"weights newer than state", func(dir string) {
			r.m.DecOut.Bias.Value.Data[0] += 1
			defer func() { r.m.DecOut.Bias.Value.Data[0] -= 1 }()
			if err := zoo.Save(dir, r.m, nil); err != nil {
				t.Fatal(err)
			}
		}, "half-written"},
		{"no state", func(dir string) { os.Remove(filepath.Join(dir, zoo.RunStateName)) }, "not a resumable run"},
		{"truncated state", func(dir string) {
			b, _ := os.ReadFile(filepath.Join(dir, zoo.RunStateName))
			os.WriteFile(filepath.Join(dir, zoo.RunStateName), b[:len(b)/2], 0o644)
		}, "not a fugo run state"},
		{"no optimizer", func(dir string) { os.Remove(filepath.Join(dir, zoo.OptimizerStateName)) }, zoo.OptimizerStateName},
		{"optimizer of another run", func(dir string) {
			_, bufs := r.opt.Slots()
			bufs[0][0][0] += 1
			defer func() { bufs[0][0][0] -= 1 }()
			ots, _ := zoo.OptimizerTensors(r.opt, r.m.Params())
			checkpoint.SaveFile(filepath.Join(dir, zoo.OptimizerStateName), ots, nil)
		}, "half-written"},
		{"optimizer file of another model", func(dir string) {
			checkpoint.SaveFile(filepath.Join(dir, zoo.OptimizerStateName), []checkpoint.Tensor{{Name: "m/x", Shape: []int{1}, Data: []float32{0}}}, nil)
		}, "does not match"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := save(t)
			c.spoil(dir)
			pcg := rand.NewPCG(1, 2)
			m, st, err := zoo.LoadRun(dir, rand.New(pcg))
			if err == nil {
				opt := optim.NewRMSprop(paramVars(m))
				err = st.RestoreOptimizer(dir, opt, m)
				if err == nil {
					t.Fatal("no error")
				}
				// A refused optimizer file leaves the optimizer untouched.
				if _, bufs := opt.Slots(); slices.ContainsFunc(bufs[0], func(b []float32) bool { return slices.ContainsFunc(b, func(v float32) bool { return v != 0 }) }) {
					t.Error("refused optimizer state was partly loaded")
				}
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
	t.Run("wrong optimizer", func(t *testing.T) {
		dir := save(t)
		m, st, err := zoo.LoadRun(dir, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		err = st.RestoreOptimizer(dir, optim.NewAdam(paramVars(m)), m)
		if err == nil || !strings.Contains(err.Error(), `"rmsprop"`) {
			t.Errorf("got %v, want an error naming rmsprop", err)
		}
	})
	t.Run("unknown rng", func(t *testing.T) {
		_, st, err := zoo.LoadRun(save(t), rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.RestoreRNG("model", rand.NewPCG(1, 2)); err == nil || !strings.Contains(err.Error(), "have rng") {
			t.Errorf("got %v", err)
		}
	})
}

// A NaN in the loss stops Fit before the step is applied: the error names the epoch and
// step, and the weights are those of the last good step.
func TestNonFiniteLossKeepsLastGoodWeights(t *testing.T) {
	r := newRun(4, 40)
	x := tensor.New(40, 784)
	x.FillUniform(tensor.NewRNG(2), 0, 1)
	poison := &poisoned{VAE: r.m, at: 6} // epoch 2 (4 steps of 10 per epoch), step 2
	var before [][]float32
	_, err := train.Fit(context.Background(), poison, train.Config{
		Epochs: 3, BatchSize: 10, Shuffle: true, RNG: r.rng, X: x, Optimizer: r.opt,
		OnBatch: func(epoch, step, steps int, _ float64) {
			if epoch == 2 && step == 1 {
				before = nil
				for _, p := range r.m.Params() {
					before = append(before, slices.Clone(p.Var.Value.Data))
				}
			}
		},
	})
	var nf *train.NonFiniteLossError
	if !errors.As(err, &nf) || nf.Epoch != 2 || nf.Step != 2 || !math.IsNaN(float64(nf.Loss)) {
		t.Fatalf("got %v, want a NaN loss at epoch 2, step 2", err)
	}
	if !strings.Contains(err.Error(), "epoch 2, step 2") {
		t.Errorf("message %q does not name the epoch and step", err)
	}
	for i, p := range r.m.Params() {
		if !slices.Equal(before[i], p.Var.Value.Data) {
			t.Errorf("%s changed by the step with a NaN loss", p.Name)
		}
	}
	if r.opt.Iterations() != 5 {
		t.Errorf("optimizer took %d steps, want 5", r.opt.Iterations())
	}
}

// poisoned is a VAE whose loss turns NaN at the given call.
type poisoned struct {
	*zoo.VAE
	at, calls int
}

func (p *poisoned) Loss(tp *autodiff.Tape, x, y *autodiff.Var, training bool) *autodiff.Var {
	p.calls++
	l := p.VAE.Loss(tp, x, y, training)
	if p.calls == p.at {
		return tp.Scale(l, float32(math.NaN()))
	}
	return l
}
