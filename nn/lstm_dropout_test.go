package nn_test

import (
	"math"
	"testing"

	"fugo/autodiff"
	"fugo/internal/gradcheck"
	"fugo/nn"
	"fugo/tensor"
)

// Recurrent dropout: gradients at batch 1 and odd sizes, full 8-unit blocks and tails,
// both output modes; the mask drawn from the same seed at every evaluation.
func TestLSTMRecurrentDropoutGradients(t *testing.T) {
	rng := tensor.NewRNG(41)
	for _, c := range []struct{ b, t, f, u int }{{1, 1, 2, 3}, {1, 4, 3, 5}, {3, 5, 2, 9}, {2, 3, 3, 17}} {
		for _, rs := range []bool{false, true} {
			l := nn.NewLSTM("lstm", c.f, c.u, rs, rng)
			l.Bias.Value.FillUniform(rng, -0.5, 0.5)
			x := gradcheck.Random(rng, -1, 1, c.b, c.t, c.f)
			inputs := []*autodiff.Var{x, l.Kernel, l.Recurrent, l.Bias}
			gradcheck.Check(t, "LSTM recurrent dropout", inputs, func(tp *autodiff.Tape) *autodiff.Var {
				return l.CallRecurrentDropout(tp, x, 0.4, tensor.NewRNG(3))
			}, gradcheck.Options{})
		}
	}
}

// With rate 0 the layer is Call bit for bit; with a rate, the outputs differ from Call's
// from the second step on but not at the first (h_{−1} = 0 is masked to 0).
func TestLSTMRecurrentDropoutForward(t *testing.T) {
	rng := tensor.NewRNG(42)
	l := nn.NewLSTM("lstm", 3, 6, true, rng)
	x := tensor.New(2, 4, 3)
	x.FillUniform(rng, -1, 1)
	tp := autodiff.NewTape()
	plain := tp.Constant(x)
	a := l.Call(tp, plain).Value.Data
	b := l.CallRecurrentDropout(tp, plain, 0, tensor.NewRNG(1)).Value.Data
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("rate 0: element %d %v, Call %v", i, b[i], a[i])
		}
	}
	d := l.CallRecurrentDropout(tp, plain, 0.5, tensor.NewRNG(1)).Value.Data
	diff := 0.0
	for bt := 0; bt < 2*4; bt++ {
		for j := 0; j < 6; j++ {
			i := bt*6 + j
			if bt%4 == 0 && d[i] != a[i] {
				t.Fatalf("first step changed by recurrent dropout: %v vs %v", d[i], a[i])
			}
			diff += math.Abs(float64(d[i] - a[i]))
		}
	}
	if diff == 0 {
		t.Error("recurrent dropout 0.5 changed nothing")
	}
}

// A warm training step with recurrent and spatial dropout allocates nothing.
func TestLSTMDropoutStepAllocs(t *testing.T) {
	rng := tensor.NewRNG(5)
	l := nn.NewLSTM("lstm", 6, 20, false, rng)
	sd := nn.NewSpatialDropout1D("sd", 0.3)
	x := tensor.New(8, 7, 6)
	x.FillUniform(rng, -1, 1)
	tp := autodiff.NewTape()
	ps := []*autodiff.Var{l.Kernel, l.Recurrent, l.Bias}
	step := func() {
		tp.Reset()
		h := sd.Call(tp, tp.Constant(x), true, rng)
		tp.Backward(tp.Mean(l.CallRecurrentDropout(tp, h, 0.3, rng)))
		autodiff.ZeroGrad(ps)
	}
	step()
	if a := testing.AllocsPerRun(5, step); a != 0 {
		t.Errorf("%v allocations per warm step, want 0", a)
	}
}

func TestSpatialDropout1D(t *testing.T) {
	rng := tensor.NewRNG(6)
	d := nn.NewSpatialDropout1D("sd", 0.25)
	x := gradcheck.Random(rng, 0.5, 1.5, 100, 5, 40)
	tp := autodiff.NewTape()
	if y := d.Call(tp, x, false, rng); y != x {
		t.Fatal("spatial dropout changed its input outside training")
	}
	y := d.Call(tp, x, true, rng).Value.Data
	dropped := 0
	for b := 0; b < 100; b++ {
		for f := 0; f < 40; f++ {
			zero := y[(b*5)*40+f] == 0
			if zero {
				dropped++
			}
			for s := 0; s < 5; s++ {
				i := (b*5+s)*40 + f
				want := x.Value.Data[i] / 0.75
				if zero {
					want = 0
				}
				if math.Abs(float64(y[i]-want)) > 1e-6 {
					t.Fatalf("b %d step %d f %d: %v, want %v (one mask per sequence and channel)", b, s, f, y[i], want)
				}
			}
		}
	}
	// 4000 Bernoulli(0.25) channels: mean 1000, standard deviation 27.
	if dropped < 1000-5*27 || dropped > 1000+5*27 {
		t.Errorf("%d of 4000 channels dropped, want about 1000", dropped)
	}
	for _, c := range [][3]int{{1, 1, 1}, {1, 3, 5}, {3, 4, 7}} {
		x := gradcheck.Random(rng, -1, 1, c[0], c[1], c[2])
		gradcheck.Check(t, "SpatialDropout1D", []*autodiff.Var{x}, func(tp *autodiff.Tape) *autodiff.Var {
			return d.Call(tp, x, true, tensor.NewRNG(9))
		}, gradcheck.Options{})
	}
	for _, r := range []float32{-0.1, 1, float32(math.NaN())} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("rate %v accepted", r)
				}
			}()
			nn.NewSpatialDropout1D("d", r)
		}()
	}
}
