package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"fugo/optim"
	"fugo/train"
	"fugo/zoo"
)

// pcgStream is the second word of tensor.NewRNG's PCG: a run's source is
// rand.NewPCG(seed, pcgStream), the same stream as tensor.NewRNG(seed), kept so that its
// state can be saved (zoo tests check the two agree).
const pcgStream = 0x9e3779b97f4a7c15

// trainRun is the randomness and resume state of one `fugo train` run. Every model's
// trainer uses it the same way:
//
//	run, err := startRun(f)                       // --seed, or the state in --resume DIR
//	m, err := run.model("vae", build)             // built from run.rng, or reloaded
//	opt := optim.NewRMSprop(params)
//	err = run.restore(m, opt)                     // optimizer slots and random state
//	cfg := train.Config{…}; err = run.configure(&cfg)  // RNG, InitialEpoch, Order
//	history, fitErr := train.Fit(ctx, m, cfg)
//	history, err = run.save(dir, m, opt, history, fitErr, meta) // weights + state, all epochs
//
// One source (rng) initialises, shuffles and samples, so one saved state covers all three.
type trainRun struct {
	seed      uint64
	resumeDir string // "" for a fresh run
	pcg       *rand.PCG
	rng       *rand.Rand
	state     *zoo.RunState // the saved run, when resuming
	order     []int
}

// startRun seeds a fresh run from f.seed, or, with --resume DIR, reads DIR's state.json.
func startRun(f *trainFlags) (*trainRun, error) {
	r := &trainRun{seed: f.seed, resumeDir: f.resume}
	r.pcg = rand.NewPCG(f.seed, pcgStream)
	r.rng = rand.New(r.pcg)
	if f.resume == "" {
		return r, nil
	}
	st, err := zoo.ReadRunState(f.resume)
	if err != nil {
		return nil, fmt.Errorf("--resume: %w", err)
	}
	r.state = st
	r.seed = st.Seed
	return r, nil
}

func (r *trainRun) resuming() bool { return r.state != nil }

// model returns the model to train: build(rng) for a fresh run; when resuming, the model
// saved in the run directory, which must be of the given kind.
func (r *trainRun) model(kind string, build func(rng *rand.Rand) zoo.Model) (zoo.Model, error) {
	if !r.resuming() {
		return build(r.rng), nil
	}
	if r.state.Kind != kind {
		return nil, fmt.Errorf("--resume %s: the run trained a %q model, not %q", r.resumeDir, r.state.Kind, kind)
	}
	m, st, err := zoo.LoadRun(r.resumeDir, r.rng)
	if err != nil {
		return nil, fmt.Errorf("--resume: %w", err)
	}
	r.state = st
	return m, nil
}

// restore loads the saved optimizer state into opt and the saved random state into the
// run's source. A fresh run has nothing to restore.
func (r *trainRun) restore(m zoo.Model, opt optim.Optimizer) error {
	if !r.resuming() {
		return nil
	}
	if err := r.state.RestoreOptimizer(r.resumeDir, opt, m); err != nil {
		return fmt.Errorf("--resume: %w", err)
	}
	if err := r.state.RestoreRNG("rng", r.pcg); err != nil {
		return fmt.Errorf("--resume %s: %w", r.resumeDir, err)
	}
	return nil
}

// warning is a line to print before training when the resumed run cannot continue bit
// for bit, or "".
func (r *trainRun) warning() string {
	if r.resuming() && r.state.MidEpoch {
		return fmt.Sprintf("fugo: %s stopped inside epoch %d; resuming repeats that epoch from its start with the weights it had reached", r.resumeDir, r.state.Epochs+1)
	}
	return ""
}

// configure sets cfg's RNG, InitialEpoch and Order (the row order the saved run ended
// with, which must be for as many rows as cfg.X has).
func (r *trainRun) configure(cfg *train.Config) error {
	cfg.RNG = r.rng
	n := cfg.X.Shape[0]
	if r.resuming() {
		cfg.InitialEpoch = r.state.Epochs
		if r.state.Order != nil && len(r.state.Order) != n {
			return fmt.Errorf("--resume %s: the run trained on %d rows, the data now has %d", r.resumeDir, len(r.state.Order), n)
		}
		r.order = r.state.Order
	}
	if r.order == nil {
		r.order = make([]int, n)
		for i := range r.order {
			r.order[i] = i
		}
	}
	cfg.Order = r.order
	return nil
}

// save writes the model and what resuming needs (zoo.SaveRun) into dir and returns the
// whole history: the saved run's epochs followed by this run's. metadata gains "epochs"
// (all of them) and "seed".
func (r *trainRun) save(dir string, m zoo.Model, opt optim.Optimizer, history []train.Epoch, fitErr error, metadata map[string]string) ([]train.Epoch, error) {
	var all []train.Epoch
	if r.resuming() {
		all = append(all, r.state.History...)
	}
	all = append(all, history...)
	if metadata == nil {
		metadata = map[string]string{}
	}
	metadata["epochs"] = strconv.Itoa(len(all))
	metadata["seed"] = strconv.FormatUint(r.seed, 10)
	st := zoo.RunState{
		Epochs:  len(all),
		Seed:    r.seed,
		Order:   r.order,
		History: all,
		// Fit stopped early (Ctrl-C, non-finite loss): the weights and the random state
		// are from inside an epoch.
		MidEpoch: fitErr != nil,
	}
	if err := zoo.SaveRun(dir, m, opt, map[string]*rand.PCG{"rng": r.pcg}, st, metadata); err != nil {
		return all, err
	}
	return all, nil
}

// initialEpoch is the number of epochs the resumed run had done (0 for a fresh run).
func (r *trainRun) initialEpoch() int {
	if r.resuming() {
		return r.state.Epochs
	}
	return 0
}
