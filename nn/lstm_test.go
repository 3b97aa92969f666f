package nn_test

import (
	"testing"

	"fugo/autodiff"
	"fugo/internal/gradcheck"
	"fugo/nn"
	"fugo/tensor"
)

// Gradient checks at unit counts that use the gate kernels' full 8-unit blocks and their
// masked tails (TestLSTMGradients covers U ≤ 5, tails only).
func TestLSTMGradientsWide(t *testing.T) {
	rng := tensor.NewRNG(21)
	for _, c := range []struct{ b, t, f, u int }{{2, 3, 3, 8}, {3, 4, 2, 9}, {2, 3, 4, 17}} {
		for _, rs := range []bool{false, true} {
			l := nn.NewLSTM("lstm", c.f, c.u, rs, rng)
			l.Bias.Value.FillUniform(rng, -0.5, 0.5)
			x := gradcheck.Random(rng, -1, 1, c.b, c.t, c.f)
			inputs := []*autodiff.Var{x, l.Kernel, l.Recurrent, l.Bias}
			gradcheck.Check(t, "LSTM", inputs, func(tp *autodiff.Tape) *autodiff.Var { return l.Call(tp, x) }, gradcheck.Options{})
		}
	}
}

// A warm training step of the LSTM allocates nothing.
func TestLSTMStepAllocs(t *testing.T) {
	rng := tensor.NewRNG(5)
	l := nn.NewLSTM("lstm", 6, 20, false, rng)
	x := tensor.New(8, 7, 6)
	x.FillUniform(rng, -1, 1)
	tp := autodiff.NewTape()
	ps := []*autodiff.Var{l.Kernel, l.Recurrent, l.Bias}
	step := func() {
		tp.Reset()
		tp.Backward(tp.Mean(l.Call(tp, tp.Constant(x))))
		autodiff.ZeroGrad(ps)
	}
	step()
	if a := testing.AllocsPerRun(5, step); a != 0 {
		t.Errorf("%v allocations per warm step, want 0", a)
	}
}
