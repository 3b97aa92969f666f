package nn_test

import (
	"math"
	"runtime"
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

// A layer large enough for the steps to split the batch rows over two workers: the
// output matches the float64 reference, and output and gradients are bit for bit those
// of a one-worker run.
func TestLSTMParallelSteps(t *testing.T) {
	const nb, nt, f, u = 64, 4, 8, 40
	rng := tensor.NewRNG(31)
	for _, rs := range []bool{false, true} {
		l := nn.NewLSTM("lstm", f, u, rs, rng)
		l.Bias.Value.FillUniform(rng, -0.5, 0.5)
		x := autodiff.NewParam(tensor.New(nb, nt, f))
		x.Value.FillUniform(rng, -2, 2)
		ps := []*autodiff.Var{x, l.Kernel, l.Recurrent, l.Bias}
		run := func(procs int) (out []float32, grads [][]float32) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			autodiff.ZeroGrad(ps)
			tp := autodiff.NewTape()
			y := l.Call(tp, x)
			tp.Backward(tp.Mean(tp.Mul(y, y)))
			for _, p := range ps {
				grads = append(grads, append([]float32(nil), p.Grad.Data...))
			}
			return append([]float32(nil), y.Value.Data...), grads
		}
		y1, g1 := run(1)
		y2, g2 := run(2)
		for i := range y1 {
			if y1[i] != y2[i] {
				t.Fatalf("seq=%v: output %d: %v with one worker, %v with two", rs, i, y1[i], y2[i])
			}
		}
		for k := range g1 {
			for i := range g1[k] {
				if g1[k][i] != g2[k][i] {
					t.Fatalf("seq=%v: gradient of input %d at %d: %v with one worker, %v with two", rs, k, i, g1[k][i], g2[k][i])
				}
			}
		}
		ref := lstmReference(l, x.Value.Data, nb, nt)
		for b := 0; b < nb; b++ {
			tt, row := nt-1, y2[b*u:b*u+u]
			if rs {
				row = y2[(b*nt+tt)*u : (b*nt+tt)*u+u]
			}
			for j, v := range row {
				if want := ref[b*nt+tt][j]; math.Abs(float64(v)-want) > 1e-5 {
					t.Fatalf("seq=%v: h[%d,%d,%d] = %v, want %v", rs, b, tt, j, v, want)
				}
			}
		}
	}
}
