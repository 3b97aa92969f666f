package nn_test

import (
	"testing"

	"fugo/autodiff"
	"fugo/nn"
	"fugo/tensor"
)

// benchStep runs forward and backward of f on x once per iteration on a reused tape:
// the warm step must not allocate.
func benchStep(b *testing.B, x *tensor.Tensor, params []nn.Param, f func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var) {
	tp := autodiff.NewTape()
	ps := make([]*autodiff.Var, len(params))
	for i, p := range params {
		ps[i] = p.Var
	}
	step := func() {
		tp.Reset()
		xv := tp.Constant(x)
		tp.Backward(tp.Mean(f(tp, xv)))
		autodiff.ZeroGrad(ps)
	}
	step()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step()
	}
}

// The speaker model's LSTM (batch 64, 16 steps after pooling, 32 channels, 100 units)
// and the original post's (250 steps after pooling).
func BenchmarkLSTM(b *testing.B) {
	for _, c := range []struct {
		name       string
		nb, nt, nf int
		u          int
		seq        bool
	}{
		{"speaker-64x16x32-100", 64, 16, 32, 100, false},
		{"imdb-64x250x32-100", 64, 250, 32, 100, false},
		{"seq-128x28x28-64", 128, 28, 28, 64, false},
		{"seqdec-128x28x64-28", 128, 28, 64, 28, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			rng := tensor.NewRNG(1)
			l := nn.NewLSTM("lstm", c.nf, c.u, c.seq, rng)
			x := tensor.New(c.nb, c.nt, c.nf)
			x.FillUniform(rng, -1, 1)
			benchStep(b, x, l.Params(), l.Call)
		})
	}
}

func BenchmarkConv1D(b *testing.B) {
	rng := tensor.NewRNG(2)
	c := nn.NewConv1D("conv", 32, 32, 3, "same", autodiff.ReLU, rng)
	x := tensor.New(64, 500, 32)
	x.FillUniform(rng, -1, 1)
	// The input must require a gradient for the col2im path: use a parameter.
	xp := autodiff.NewParam(x)
	params := append(c.Params(), nn.Param{Name: "x", Var: xp})
	benchStep(b, x, params, func(tp *autodiff.Tape, _ *autodiff.Var) *autodiff.Var { return c.Call(tp, xp) })
}

func BenchmarkEmbeddingPool(b *testing.B) {
	rng := tensor.NewRNG(3)
	e := nn.NewEmbedding("emb", 5000, 32, rng)
	p := nn.NewMaxPooling1D(2, "valid")
	ids := tensor.New(64, 500)
	for i := range ids.Data {
		ids.Data[i] = float32(rng.IntN(5000))
	}
	benchStep(b, ids, e.Params(), func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var { return p.Call(tp, e.Call(tp, x)) })
}

func BenchmarkRepeatVector(b *testing.B) {
	rng := tensor.NewRNG(4)
	r := nn.NewRepeatVector(28)
	x := autodiff.NewParam(tensor.New(128, 64))
	x.Value.FillUniform(rng, -1, 1)
	benchStep(b, x.Value.Reshape(128, 64), []nn.Param{{Name: "x", Var: x}}, func(tp *autodiff.Tape, _ *autodiff.Var) *autodiff.Var { return r.Call(tp, x) })
}
