package nn_test

import (
	"math"
	"testing"

	"fugo/autodiff"
	"fugo/internal/gradcheck"
	"fugo/nn"
	"fugo/tensor"
)

func TestRegularizerGradients(t *testing.T) {
	rng := tensor.NewRNG(5)
	for _, r := range []nn.L1L2{nn.L1(0.3), nn.L2(0.7), {L1: 0.2, L2: 0.5}} {
		for _, shape := range [][]int{{1, 1}, {3, 5}, {2, 3, 4}} {
			x := gradcheck.AwayFromZero(rng, shape...)
			gradcheck.Check(t, "L1L2.Penalty", []*autodiff.Var{x}, func(tp *autodiff.Tape) *autodiff.Var {
				return r.Penalty(tp, x)
			}, gradcheck.Options{})
			for _, per := range []bool{false, true} {
				ar := nn.ActivityRegularizer{L1L2: r, PerExample: per}
				gradcheck.Check(t, "ActivityRegularizer", []*autodiff.Var{x}, func(tp *autodiff.Tape) *autodiff.Var {
					return ar.Loss(tp, x)
				}, gradcheck.Options{})
			}
		}
	}
	// Through a layer: the penalty of a Dense output reaches the kernel and the bias.
	d := nn.NewDense("code", 5, 4, autodiff.ReLU, rng)
	copy(d.Bias.Value.Data, []float32{0.3, -0.2, 0.25, 0.4})
	x := gradcheck.AwayFromZero(rng, 3, 5)
	ar := nn.ActivityRegularizer{L1L2: nn.L1(0.5)}
	gradcheck.Check(t, "Dense+activity L1", []*autodiff.Var{x, d.Kernel, d.Bias}, func(tp *autodiff.Tape) *autodiff.Var {
		return ar.Loss(tp, d.Call(tp, x))
	}, gradcheck.Options{})
}

// Golden values: Keras 2.0's sum over the batch, and tf.keras' division by the batch size.
func TestRegularizerValues(t *testing.T) {
	tp := autodiff.NewTape()
	x := tp.Constant(tensor.FromSlice([]float32{1, -2, 0, 3, -0.5, 0.5}, 2, 3))
	near := func(name string, got float32, want float64) {
		t.Helper()
		if math.Abs(float64(got)-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	// Σ|x| = 7, Σx² = 1+4+0+9+0.25+0.25 = 14.5
	near("L1", nn.L1(0.1).Penalty(tp, x).Scalar(), 0.7)
	near("L2", nn.L2(0.01).Penalty(tp, x).Scalar(), 0.145)
	near("L1L2", nn.L1L2{L1: 0.1, L2: 0.01}.Penalty(tp, x).Scalar(), 0.845)
	near("activity sum", nn.ActivityRegularizer{L1L2: nn.L1(1e-4)}.Loss(tp, x).Scalar(), 7e-4)
	near("activity per example", nn.ActivityRegularizer{L1L2: nn.L1(1e-4), PerExample: true}.Loss(tp, x).Scalar(), 3.5e-4)
	if nn.L1(0).IsZero() != true || nn.L1(1).IsZero() {
		t.Error("IsZero")
	}
	for _, bad := range []nn.L1L2{{L1: -1}, {L2: float32(math.NaN())}, {L1: float32(math.Inf(1))}} {
		if bad.Validate() == nil {
			t.Errorf("Validate(%+v) = nil, want an error", bad)
		}
	}
	if (nn.L1L2{L1: 1e-4}).Validate() != nil {
		t.Error("Validate rejects a good regularizer")
	}
}

// At zero the subgradient is 0 (TensorFlow's sign(0) = 0): only L2's 2·l2·x, also 0.
func TestRegularizerZeroSubgradient(t *testing.T) {
	x := autodiff.NewParam(tensor.FromSlice([]float32{0, 2, -3}, 3))
	tp := autodiff.NewTape()
	tp.Backward(nn.L1L2{L1: 0.5, L2: 0.25}.Penalty(tp, x))
	want := []float32{0, 0.5 + 1, -0.5 - 1.5}
	for i, g := range x.Grad.Data {
		if g != want[i] {
			t.Fatalf("grad = %v, want %v", x.Grad.Data, want)
		}
	}
}
