package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

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

// merge adds member r's fit to the ensemble's: times add up, the first member's epochs and
// validation values stay.
func (f *speakerFit) merge(r speakerFit, k int) {
	if k == 0 {
		*f = r
		return
	}
	f.took += r.took
}

// fitSpeakers trains max(o.ensemble, 1) LSTM classifiers (fitSpeaker with the member
// seeds).
func fitSpeakers(ctx context.Context, e *env, s *speakerSetup, o fitOpts) (ensemble[*zoo.Speaker], speakerFit, error) {
	var ms ensemble[*zoo.Speaker]
	var f speakerFit
	for k := 0; k < max(o.ensemble, 1); k++ {
		oo := o
		oo.seed = memberSeed(o.seed, k)
		m, r, err := fitSpeaker(ctx, e, s, oo)
		f.merge(r, k)
		if err != nil {
			return nil, f, err
		}
		ms = append(ms, m)
	}
	return ms, f, nil
}

// fitBags trains o.bagEnsemble baselines (0: as many as o.ensemble, at least one;
// fitBag with the member seeds).
func fitBags(ctx context.Context, s *speakerSetup, o fitOpts) (ensemble[*zoo.SpeakerBag], speakerFit, error) {
	var ms ensemble[*zoo.SpeakerBag]
	var f speakerFit
	n := o.bagEnsemble
	if n == 0 {
		n = o.ensemble
	}
	for k := 0; k < max(n, 1); k++ {
		oo := o
		oo.seed = memberSeed(o.seed, k)
		m, r, err := fitBag(ctx, s, oo)
		f.merge(r, k)
		if err != nil {
			return nil, f, err
		}
		ms = append(ms, m)
	}
	return ms, f, nil
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
