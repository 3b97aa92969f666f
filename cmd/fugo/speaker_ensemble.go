package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"fugo/autodiff"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

// ensemble is N trained models whose softmax outputs are averaged: p(x) = (1/N) Σ_k p_k(x).
// One member is the plain model. Member k (from 0) trains with seed --seed + 1000·k, so
// it draws its own initial weights, dropout masks, shuffles and validation split.
type ensemble[M interface {
	Probs(*autodiff.Tape, *autodiff.Var) *autodiff.Var
}] []M

// predict returns the averaged probabilities [N, classes] of x.
func (m ensemble[M]) predict(x *tensor.Tensor) *tensor.Tensor {
	var sum *tensor.Tensor
	for _, member := range m {
		p := train.Predict(member.Probs, x, 256)
		if sum == nil {
			sum = p
			continue
		}
		for i, v := range p.Data {
			sum.Data[i] += v
		}
	}
	inv := 1 / float32(len(m))
	for i := range sum.Data {
		sum.Data[i] *= inv
	}
	return sum
}

// memberSeed is the seed of ensemble member k.
func memberSeed(seed uint64, k int) uint64 { return seed + 1000*uint64(k) }

// memberDir is where member k (from 0) of an ensemble saved in dir lives: dir itself for
// the first, dir/member2, dir/member3, … for the others.
func memberDir(dir string, k int) string {
	if k == 0 {
		return dir
	}
	return filepath.Join(dir, "member"+strconv.Itoa(k+1))
}

// fitMembers trains the n members of an ensemble, member k by fit(k), up to GOMAXPROCS at
// a time: the members are independent, and one member's steps are too small to gain much
// from a second core (the default speaker LSTM: 4.7 s at GOMAXPROCS=2, 5.0 s at 1), so
// running members side by side is what uses the machine. Each member's result depends only
// on its seed, so the ensemble is the same for any GOMAXPROCS. The fit returned is the
// first member's, with took the wall time of the whole ensemble; the error, that of the
// first member that failed (Ctrl-C stops every member).
func fitMembers[M any](n int, fit func(k int) (M, speakerFit, error)) ([]M, speakerFit, error) {
	start := time.Now()
	ms := make([]M, n)
	fits := make([]speakerFit, n)
	errs := make([]error, n)
	lanes := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for k := range n {
		wg.Add(1)
		lanes <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-lanes }()
			ms[k], fits[k], errs[k] = fit(k)
		}()
	}
	wg.Wait()
	f := fits[0]
	f.took = time.Since(start)
	for _, err := range errs {
		if err != nil {
			return nil, f, err
		}
	}
	return ms, f, nil
}

// fitSpeakers trains max(o.ensemble, 1) LSTM classifiers (fitSpeaker with the member
// seeds); only the first member draws a progress bar.
func fitSpeakers(ctx context.Context, e *env, s *speakerSetup, o fitOpts) (ensemble[*zoo.Speaker], speakerFit, error) {
	return fitMembers(max(o.ensemble, 1), func(k int) (*zoo.Speaker, speakerFit, error) {
		oo := o
		oo.seed = memberSeed(o.seed, k)
		oo.quiet = o.quiet || k > 0
		return fitSpeaker(ctx, e, s, oo)
	})
}

// fitBags trains o.bagEnsemble baselines (0: as many as o.ensemble, at least one;
// fitBag with the member seeds).
func fitBags(ctx context.Context, s *speakerSetup, o fitOpts) (ensemble[*zoo.SpeakerBag], speakerFit, error) {
	n := o.bagEnsemble
	if n == 0 {
		n = o.ensemble
	}
	return fitMembers(max(n, 1), func(k int) (*zoo.SpeakerBag, speakerFit, error) {
		oo := o
		oo.seed = memberSeed(o.seed, k)
		return fitBag(ctx, s, oo)
	})
}

// saveMembers writes every member into its memberDir of dir and returns the files
// written, relative to dir.
func saveMembers[M zoo.Model](dir string, ms []M, meta map[string]string) ([]string, error) {
	var files []string
	for k, m := range ms {
		d := memberDir(dir, k)
		if err := zoo.Save(d, m, meta); err != nil {
			return nil, err
		}
		rel, _ := filepath.Rel(dir, d)
		files = append(files, filepath.Join(rel, zoo.ConfigName), filepath.Join(rel, zoo.WeightsName))
	}
	return files, nil
}

// loadMembers loads member 2, 3, … of the ensemble whose first member is first, saved in
// dir, until a member folder is missing; each must have first's kind and config.
func loadMembers[M interface {
	zoo.Model
	comparable
}](dir string, first M) ([]M, error) {
	ms := []M{first}
	for k := 1; ; k++ {
		d := memberDir(dir, k)
		if _, err := os.Stat(filepath.Join(d, zoo.ConfigName)); err != nil {
			return ms, nil
		}
		m, err := zoo.Load(d, tensor.NewRNG(1))
		if err != nil {
			return nil, err
		}
		mm, ok := m.(M)
		if !ok || fmt.Sprint(mm.Config()) != fmt.Sprint(first.Config()) {
			return nil, fmt.Errorf("%s: not a member of the ensemble in %s (kind %q, config %+v)", d, dir, m.Kind(), m.Config())
		}
		ms = append(ms, mm)
	}
}
