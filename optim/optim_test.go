package optim_test

import (
	"math"
	"testing"

	"fugo/autodiff"
	"fugo/optim"
	"fugo/tensor"
)

// firstStep applies one step with gradient g to a parameter starting at 0 and returns the
// change of the weight.
func firstStep(t *testing.T, name string, g float32) float64 {
	t.Helper()
	p := autodiff.NewParam(tensor.New(1))
	o, err := optim.New(name, []*autodiff.Var{p})
	if err != nil {
		t.Fatal(err)
	}
	p.Grad.Data[0] = g
	o.Step()
	if p.Grad.Data[0] != 0 {
		t.Errorf("%s: gradient not cleared after Step", name)
	}
	return float64(p.Value.Data[0])
}

// The first step of each optimizer has a closed form, worked out by hand from the update
// rules (all accumulators start at zero).
func TestFirstStepClosedForms(t *testing.T) {
	const g = 0.5
	cases := []struct {
		name string
		want float64
	}{
		{"sgd", -0.01 * g},
		// a = 0.1·g²; Δw = −0.001·g/(√0.1·|g| + 1e-7)
		{"rmsprop", -0.001 * g / (math.Sqrt(0.1)*g + 1e-7)},
		// m = 0.1g, v = 0.001g², η₁ = 0.001·√0.001/0.1; Δw = −η₁·0.1g/(√0.001·g + 1e-7)
		{"adam", -0.001 * math.Sqrt(0.001) / 0.1 * 0.1 * g / (math.Sqrt(0.001)*g + 1e-7)},
		// a = 0.05g²; Δ = g·√1e-7/√(0.05g² + 1e-7)
		{"adadelta", -g * math.Sqrt(1e-7) / math.Sqrt(0.05*g*g+1e-7)},
		// a = g²; Δw = −0.01·g/(|g| + 1e-7)
		{"adagrad", -0.01 * g / (g + 1e-7)},
	}
	for _, c := range cases {
		// float32 arithmetic: relative tolerance 1e-6
		if got := firstStep(t, c.name, g); math.Abs(got-c.want) > 1e-6*math.Abs(c.want) {
			t.Errorf("%s: first step %.9g, want %.9g", c.name, got, c.want)
		}
	}
}

func TestSGDMomentum(t *testing.T) {
	for _, nesterov := range []bool{false, true} {
		p := autodiff.NewParam(tensor.New(1))
		o := optim.NewSGD([]*autodiff.Var{p})
		o.LR, o.Momentum, o.Nesterov = 0.1, 0.9, nesterov
		// Two steps with g = 1: v1 = −0.1, v2 = −0.19.
		// plain: w = v1 + v2 = −0.29; Nesterov: w = (0.9·v1 − 0.1) + (0.9·v2 − 0.1) = −0.461.
		for range 2 {
			p.Grad.Data[0] = 1
			o.Step()
		}
		want := -0.29
		if nesterov {
			want = -0.461
		}
		if got := float64(p.Value.Data[0]); math.Abs(got-want) > 1e-6 {
			t.Errorf("nesterov=%v: w = %.7g, want %.7g", nesterov, got, want)
		}
	}
}

// Every optimizer must find the minimum of a convex quadratic.
func TestMinimisesQuadratic(t *testing.T) {
	for _, name := range []string{"sgd", "rmsprop", "adam", "adadelta", "adagrad"} {
		p := autodiff.NewParam(tensor.FromSlice([]float32{3, -2}, 2))
		o, _ := optim.New(name, []*autodiff.Var{p})
		if a, ok := o.(*optim.Adagrad); ok {
			a.LR = 0.1 // the default 0.01 shrinks its steps too fast to get there in time
		}
		target := []float32{1, 0.5}
		for range 20000 {
			for j, w := range p.Value.Data {
				p.Grad.Data[j] = 2 * (w - target[j])
			}
			o.Step()
		}
		for j, w := range p.Value.Data {
			if math.Abs(float64(w-target[j])) > 0.05 {
				t.Errorf("%s: w = %v, want %v", name, p.Value.Data, target)
				break
			}
		}
	}
}

func TestUnknownOptimizer(t *testing.T) {
	if _, err := optim.New("lbfgs", nil); err == nil {
		t.Error("unknown optimizer accepted")
	}
}
