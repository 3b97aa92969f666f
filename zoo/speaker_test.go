package zoo_test

import (
	"context"
	"math"
	"testing"

	"fugo/autodiff"
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
		{Vocab: 10, Length: 8, EmbedDim: 2, Filters: 2, KernelSize: 3, PoolSize: 2, Units: 2, Classes: 2, Dropout: 1},
		{Vocab: 10, Length: 8, EmbedDim: 2, Filters: 2, KernelSize: 3, PoolSize: 2, Units: 2, Classes: 2, L2: -1e-4},
	} {
		if c.Validate() == nil {
			t.Errorf("%+v accepted", c)
		}
	}
	if err := zoo.DefaultSpeakerConfig(100, 40, 4).Validate(); err != nil {
		t.Error(err)
	}
}

// One training step of the post's classifier (forward, backward, Adam) on a batch of 64
// random id sequences: the corpus' length (26 ids, vocabulary 565, 4 speakers) and the
// post's IMDB setting (500 ids, vocabulary 5000, 2 classes). A warm step allocates nothing.
func BenchmarkSpeakerStep(b *testing.B) {
	for _, c := range []struct {
		name                   string
		length, vocab, classes int
	}{{"corpus-64x26", 26, 565, 4}, {"imdb-64x500", 500, 5000, 2}} {
		b.Run(c.name, func(b *testing.B) {
			rng := tensor.NewRNG(1)
			m := zoo.NewSpeaker(zoo.DefaultSpeakerConfig(c.vocab, c.length, c.classes), rng)
			x := tensor.New(64, c.length)
			labels := make([]int, 64)
			for i := range x.Data {
				x.Data[i] = float32(rng.IntN(c.vocab))
			}
			for i := range labels {
				labels[i] = rng.IntN(c.classes)
			}
			y := zoo.OneHot(labels, c.classes)
			opt := optim.NewAdam(paramVars(m))
			tp := autodiff.NewTape()
			step := func() {
				tp.Reset()
				tp.Backward(m.Loss(tp, tp.Constant(x), tp.Constant(y), true))
				opt.Step()
			}
			step()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				step()
			}
		})
	}
}

// Dropout acts in training only: two training losses of the same batch differ, the
// probabilities (and the evaluation loss) do not; the L2 penalty adds L2·Σw² of the
// kernels; both survive Save/Load.
func TestSpeakerDropoutL2(t *testing.T) {
	x, labels := toySpeakers(4, 16, 10, 30, 4)
	y := zoo.OneHot(labels, 4)
	cfg := zoo.DefaultSpeakerConfig(30, 10, 4)
	cfg.Units, cfg.Dropout = 8, 0.5
	m := zoo.NewSpeaker(cfg, tensor.NewRNG(5))
	loss := func(m *zoo.Speaker, training bool) float32 {
		tp := autodiff.NewTape()
		return m.Loss(tp, tp.Constant(x), tp.Constant(y), training).Scalar()
	}
	if a, b := loss(m, true), loss(m, true); a == b {
		t.Errorf("two training losses with dropout are equal (%v)", a)
	}
	if a, b := loss(m, false), loss(m, false); a != b {
		t.Errorf("evaluation losses differ: %v, %v", a, b)
	}
	p1, p2 := train.Predict(m.Probs, x, 8), train.Predict(m.Probs, x, 8)
	for i := range p1.Data {
		if p1.Data[i] != p2.Data[i] {
			t.Fatal("Probs is not deterministic")
		}
	}
	plain := loss(m, false)
	m.Cfg.L2 = 0.01
	var sq float64
	for _, w := range []*autodiff.Var{m.Embed.Embeddings, m.Conv.Kernel, m.LSTM.Kernel, m.LSTM.Recurrent, m.Out.Kernel} {
		for _, v := range w.Value.Data {
			sq += float64(v) * float64(v)
		}
	}
	if got, want := float64(loss(m, false)), float64(plain)+0.01*sq; math.Abs(got-want) > 1e-5*want {
		t.Errorf("loss with l2 0.01: %v, want %v + %v", got, plain, 0.01*sq)
	}
	dir := t.TempDir()
	if err := zoo.Save(dir, m, nil); err != nil {
		t.Fatal(err)
	}
	lm, err := zoo.Load(dir, tensor.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	if c := lm.(*zoo.Speaker).Cfg; c.Dropout != 0.5 || c.L2 != 0.01 {
		t.Errorf("loaded config %+v", c)
	}
}

// The other dropouts: each acts in training only, each alone changes the training loss,
// the rates travel with model.json, the baseline's L2 is cross-entropy + L2·Σw², and a
// warm training step with every dropout allocates nothing.
func TestSpeakerMoreDropout(t *testing.T) {
	x, labels := toySpeakers(6, 16, 10, 30, 4)
	y := zoo.OneHot(labels, 4)
	loss := func(m *zoo.Speaker, training bool) float32 {
		tp := autodiff.NewTape()
		return m.Loss(tp, tp.Constant(x), tp.Constant(y), training).Scalar()
	}
	for _, set := range []func(c *zoo.SpeakerConfig){
		func(c *zoo.SpeakerConfig) { c.SpatialDropout = 0.4 },
		func(c *zoo.SpeakerConfig) { c.LSTMDropout = 0.4 },
		func(c *zoo.SpeakerConfig) { c.RecurrentDropout = 0.4 },
	} {
		cfg := zoo.DefaultSpeakerConfig(30, 10, 4)
		cfg.Units = 8
		set(&cfg)
		m := zoo.NewSpeaker(cfg, tensor.NewRNG(5))
		if a, b := loss(m, true), loss(m, true); a == b {
			t.Errorf("%+v: two training losses are equal (%v)", cfg, a)
		}
		if a, b := loss(m, false), loss(m, false); a != b {
			t.Errorf("%+v: evaluation losses differ: %v, %v", cfg, a, b)
		}
	}
	cfg := zoo.DefaultSpeakerConfig(30, 10, 4)
	cfg.Units, cfg.EmbedDim, cfg.Dropout, cfg.SpatialDropout, cfg.LSTMDropout, cfg.RecurrentDropout = 8, 12, 0.3, 0.2, 0.1, 0.25
	m := zoo.NewSpeaker(cfg, tensor.NewRNG(5))
	dir := t.TempDir()
	if err := zoo.Save(dir, m, nil); err != nil {
		t.Fatal(err)
	}
	lm, err := zoo.Load(dir, tensor.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	if c := lm.(*zoo.Speaker).Cfg; c != cfg {
		t.Errorf("loaded config %+v, saved %+v", c, cfg)
	}
	bad := cfg
	bad.RecurrentDropout = 1
	if bad.Validate() == nil {
		t.Error("recurrent dropout 1 accepted")
	}

	tp := autodiff.NewTape()
	ps := paramVars(m)
	step := func() {
		tp.Reset()
		tp.Backward(m.Loss(tp, tp.Constant(x), tp.Constant(y), true))
		autodiff.ZeroGrad(ps)
	}
	step()
	if a := testing.AllocsPerRun(5, step); a != 0 {
		t.Errorf("%v allocations per warm training step with every dropout, want 0", a)
	}

	counts := zoo.Counts(x, 30)
	b := zoo.NewSpeakerBag(zoo.BagConfig{Vocab: 30, Classes: 4}, tensor.NewRNG(2))
	bl := func() float32 {
		tp := autodiff.NewTape()
		return b.Loss(tp, tp.Constant(counts), tp.Constant(y), true).Scalar()
	}
	plain := bl()
	b.Cfg.L2 = 0.01
	var sq float64
	for _, v := range b.Out.Kernel.Value.Data {
		sq += float64(v) * float64(v)
	}
	if got, want := float64(bl()), float64(plain)+0.01*sq; math.Abs(got-want) > 1e-5*want {
		t.Errorf("baseline loss with l2 0.01: %v, want %v + %v", got, plain, 0.01*sq)
	}
}
