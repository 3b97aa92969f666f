package nn_test

import (
	"math"
	"testing"

	"fugo/autodiff"
	"fugo/internal/gradcheck"
	"fugo/nn"
	"fugo/tensor"
)

func TestDenseGradients(t *testing.T) {
	rng := tensor.NewRNG(2)
	for _, f := range []autodiff.Activation{autodiff.Linear, autodiff.ReLU, autodiff.Sigmoid, autodiff.Tanh, autodiff.Softmax} {
		for _, shape := range [][]int{{1, 3}, {5, 7}, {2, 3, 4}} {
			in := shape[len(shape)-1]
			d := nn.NewDense("d", in, 6, f, rng)
			copy(d.Bias.Value.Data, []float32{0.1, -0.2, 0.3, -0.4, 0.5, -0.6})
			x := gradcheck.AwayFromZero(rng, shape...)
			inputs := []*autodiff.Var{x, d.Kernel, d.Bias}
			gradcheck.Check(t, "Dense/"+f.String(), inputs, func(tp *autodiff.Tape) *autodiff.Var { return d.Call(tp, x) }, gradcheck.Options{})
		}
	}
}

func TestDenseForward(t *testing.T) {
	d := nn.NewDense("d", 2, 3, autodiff.ReLU, tensor.NewRNG(1))
	copy(d.Kernel.Value.Data, []float32{1, 2, 3, 4, 5, 6})
	copy(d.Bias.Value.Data, []float32{0.5, -100, 0})
	tp := autodiff.NewTape()
	y := d.Call(tp, tp.Constant(tensor.FromSlice([]float32{1, -1}, 1, 2)))
	// x·W = [1−4, 2−5, 3−6] = [−3, −3, −3]; + b = [−2.5, −103, −3]; relu → 0
	// and with x = [1, 1]: [5, 7, 9] + b = [5.5, −93, 9] → [5.5, 0, 9]
	for _, v := range y.Value.Data {
		if v != 0 {
			t.Fatalf("relu(xW+b) = %v, want zeros", y.Value.Data)
		}
	}
	y = d.Call(tp, tp.Constant(tensor.FromSlice([]float32{1, 1}, 1, 2)))
	want := []float32{5.5, 0, 9}
	for i, v := range y.Value.Data {
		if v != want[i] {
			t.Fatalf("Dense = %v, want %v", y.Value.Data, want)
		}
	}
}

func TestGlorotUniformRange(t *testing.T) {
	w := nn.GlorotUniform(tensor.NewRNG(3), 784, 256, 784, 256)
	limit := math.Sqrt(6.0 / (784 + 256))
	var sum, sq float64
	for _, v := range w.Data {
		if math.Abs(float64(v)) > limit {
			t.Fatalf("value %v outside ±%v", v, limit)
		}
		sum += float64(v)
		sq += float64(v) * float64(v)
	}
	n := float64(len(w.Data))
	// U(−l, l) has mean 0 and variance l²/3.
	if mean := sum / n; math.Abs(mean) > 0.01*limit {
		t.Errorf("mean %v, want ≈ 0", mean)
	}
	if v := sq / n; math.Abs(v-limit*limit/3) > 0.02*limit*limit/3 {
		t.Errorf("variance %v, want ≈ %v", v, limit*limit/3)
	}
}

func TestLossGradients(t *testing.T) {
	rng := tensor.NewRNG(4)
	prob := func(shape ...int) *autodiff.Var { return gradcheck.Random(rng, 0.05, 0.95, shape...) }
	for _, shape := range [][]int{{1, 1}, {3, 5}, {2, 2, 3}} {
		target, output := prob(shape...), prob(shape...)
		gradcheck.Check(t, "BinaryCrossentropy", []*autodiff.Var{target, output}, func(tp *autodiff.Tape) *autodiff.Var {
			return nn.BinaryCrossentropy(tp, target, output)
		}, gradcheck.Options{})
		a, b := gradcheck.Random(rng, -1, 1, shape...), gradcheck.Random(rng, -1, 1, shape...)
		gradcheck.Check(t, "MeanSquaredError", []*autodiff.Var{a, b}, func(tp *autodiff.Tape) *autodiff.Var {
			return nn.MeanSquaredError(tp, a, b)
		}, gradcheck.Options{})
		gradcheck.Check(t, "KLNormal", []*autodiff.Var{a, b}, func(tp *autodiff.Tape) *autodiff.Var {
			return nn.KLNormal(tp, a, b)
		}, gradcheck.Options{})
		gradcheck.Check(t, "CategoricalCrossentropy", []*autodiff.Var{target, output}, func(tp *autodiff.Tape) *autodiff.Var {
			return nn.CategoricalCrossentropy(tp, target, output)
		}, gradcheck.Options{})
	}
}

// Golden values worked out by hand from the Keras formulas.
func TestLossValues(t *testing.T) {
	tp := autodiff.NewTape()
	c := func(shape []int, v ...float32) *autodiff.Var { return tp.Constant(tensor.FromSlice(v, shape...)) }
	near := func(name string, got []float32, want ...float64) {
		t.Helper()
		for i := range want {
			if math.Abs(float64(got[i])-want[i]) > 1e-6*math.Max(1, math.Abs(want[i])) {
				t.Errorf("%s = %v, want %v", name, got, want)
				return
			}
		}
	}
	// BCE: row 1 = mean(−ln 0.8, −ln(1−0.4)); row 2 hits both clips: p=0 with t=1 costs −ln(1e-7).
	bce := nn.BinaryCrossentropy(tp, c([]int{2, 2}, 1, 0, 1, 0), c([]int{2, 2}, 0.8, 0.4, 0, 0))
	near("BCE", bce.Value.Data, (-math.Log(0.8)-math.Log(0.6))/2, -math.Log(float64(float32(1e-7)))/2-math.Log(1-float64(float32(1e-7)))/2)
	mse := nn.MeanSquaredError(tp, c([]int{1, 3}, 1, 2, 3), c([]int{1, 3}, 1, 0, 6))
	near("MSE", mse.Value.Data, (0+4+9)/3.0)
	// KL of N(1, e^0) and N(0, e^ln2): ½(μ² + σ² − 1 − ln σ²) summed.
	kl := nn.KLNormal(tp, c([]int{1, 2}, 1, 0), c([]int{1, 2}, 0, float32(math.Log(2))))
	near("KLNormal", kl.Value.Data, 0.5*(1+1-1-0)+0.5*(0+2-1-math.Log(2)))
	cce := nn.CategoricalCrossentropy(tp, c([]int{1, 3}, 0, 1, 0), c([]int{1, 3}, 0.2, 0.5, 0.3))
	near("CCE", cce.Value.Data, -math.Log(0.5))
}
