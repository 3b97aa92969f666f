package nn_test

import (
	"math"
	"testing"

	"fugo/autodiff"
	"fugo/internal/gradcheck"
	"fugo/nn"
	"fugo/tensor"
)

func TestDropout(t *testing.T) {
	rng := tensor.NewRNG(4)
	d := nn.NewDropout("dropout", 0.25)
	x := gradcheck.Random(rng, 0.5, 1.5, 200, 50)
	tp := autodiff.NewTape()
	if y := d.Call(tp, x, false, rng); y != x {
		t.Fatal("dropout changed its input outside training")
	}
	y := d.Call(tp, x, true, rng)
	zeros := 0
	var sum, sumX float64
	for i, v := range y.Value.Data {
		xv := x.Value.Data[i]
		switch {
		case v == 0:
			zeros++
		case math.Abs(float64(v-xv/0.75)) > 1e-6:
			t.Fatalf("element %d: %v, want 0 or %v/0.75", i, v, xv)
		}
		sum += float64(v)
		sumX += float64(xv)
	}
	// 10 000 Bernoulli(0.25) draws: mean 2500, standard deviation 43.
	if zeros < 2500-5*43 || zeros > 2500+5*43 {
		t.Errorf("%d of 10000 elements dropped, want about 2500", zeros)
	}
	if math.Abs(sum-sumX)/sumX > 0.02 {
		t.Errorf("sum %v after dropout, %v before: the scaling should keep the expectation", sum, sumX)
	}
	gradcheck.Check(t, "Dropout", []*autodiff.Var{x}, func(tp *autodiff.Tape) *autodiff.Var {
		return d.Call(tp, x, true, tensor.NewRNG(9)) // the same mask at every evaluation
	}, gradcheck.Options{})
}

func TestDropoutRate(t *testing.T) {
	for _, r := range []float32{-0.1, 1, float32(math.NaN())} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("rate %v accepted", r)
				}
			}()
			nn.NewDropout("d", r)
		}()
	}
}
