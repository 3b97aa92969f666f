package zoo_test

import (
	"context"
	"testing"

	"fugo/optim"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

// toySpeakers makes n sequences of length l over ids 2..vocab-1, padded at the front,
// where class c is marked by its own token (id 2+c) somewhere in the line and the rest is
// noise shared by all classes.
func toySpeakers(seed uint64, n, l, vocab, classes int) (*tensor.Tensor, []int) {
	rng := tensor.NewRNG(seed)
	x := tensor.New(n, l)
	labels := make([]int, n)
	for i := range labels {
		c := rng.IntN(classes)
		labels[i] = c
		length := 3 + rng.IntN(l-3)
		row := x.Data[i*l : i*l+l]
		for j := l - length; j < l; j++ {
			row[j] = float32(2 + classes + rng.IntN(vocab-2-classes))
		}
		row[l-length+rng.IntN(length)] = float32(2 + c)
	}
	return x, labels
}

func accuracy(probs *tensor.Tensor, labels []int) float64 {
	k, ok := probs.Cols(), 0
	for i, c := range labels {
		best := 0
		for j := 1; j < k; j++ {
			if probs.Data[i*k+j] > probs.Data[i*k+best] {
				best = j
			}
		}
		if best == c {
			ok++
		}
	}
	return float64(ok) / float64(len(labels))
}

// The post's classifier and the bag-of-words baseline must both learn a marker-token task
// from a short training, and survive Save/Load.
func TestSpeakerLearns(t *testing.T) {
	const vocab, l, classes = 40, 12, 4
	x, labels := toySpeakers(1, 512, l, vocab, classes)
	tx, tl := toySpeakers(2, 200, l, vocab, classes)
	y := zoo.OneHot(labels, classes)
	rng := tensor.NewRNG(3)
	cfg := zoo.DefaultSpeakerConfig(vocab, l, classes)
	cfg.Units = 16
	m := zoo.NewSpeaker(cfg, rng)
	ctx := context.Background()
	h, err := train.Fit(ctx, m, train.Config{Epochs: 15, BatchSize: 32, Shuffle: true, RNG: rng, X: x, Y: y,
		Optimizer: optim.NewAdam(paramVars(m))})
	if err != nil {
		t.Fatal(err)
	}
	acc := accuracy(train.Predict(m.Probs, tx, 64), tl)
	t.Logf("speaker: loss %.3f → %.3f, held-out accuracy %.2f", h[0].Loss, h[len(h)-1].Loss, acc)
	if h[len(h)-1].Loss > 0.5*h[0].Loss || acc < 0.8 {
		t.Fatalf("loss %.3f → %.3f, accuracy %.2f: want the loss halved and ≥ 0.8", h[0].Loss, h[len(h)-1].Loss, acc)
	}
	dir := t.TempDir()
	if err := zoo.Save(dir, m, nil); err != nil {
		t.Fatal(err)
	}
	lm, err := zoo.Load(dir, tensor.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := train.Predict(m.Probs, tx, 64), train.Predict(lm.(*zoo.Speaker).Probs, tx, 64)
	for i := range p1.Data {
		if p1.Data[i] != p2.Data[i] {
			t.Fatalf("loaded model differs at %d", i)
		}
	}

	counts := zoo.Counts(x, vocab)
	if counts.Data[0] != 0 {
		t.Fatal("padding counted")
	}
	bag := zoo.NewSpeakerBag(zoo.BagConfig{Vocab: vocab, Classes: classes}, rng)
	if _, err := train.Fit(ctx, bag, train.Config{Epochs: 80, BatchSize: 32, Shuffle: true, RNG: rng, X: counts, Y: y,
		Optimizer: optim.NewAdam(paramVars(bag))}); err != nil {
		t.Fatal(err)
	}
	if acc := accuracy(train.Predict(bag.Probs, zoo.Counts(tx, vocab), 64), tl); acc < 0.9 {
		t.Fatalf("bag-of-words accuracy %.2f on a marker-token task, want ≥ 0.9", acc)
	}
}

func TestSpeakerConfigValidate(t *testing.T) {
	for _, c := range []zoo.SpeakerConfig{
		{},
		{Vocab: 10, Length: 1, EmbedDim: 2, Filters: 2, KernelSize: 3, PoolSize: 2, Units: 2, Classes: 4},
		{Vocab: 10, Length: 8, EmbedDim: 2, Filters: 2, KernelSize: 3, PoolSize: 2, Units: 2, Classes: 1},
	} {
		if c.Validate() == nil {
			t.Errorf("%+v accepted", c)
		}
	}
	if err := zoo.DefaultSpeakerConfig(100, 40, 4).Validate(); err != nil {
		t.Error(err)
	}
}
