package nn

import (
	"math"
	"testing"
)

// lstmExp, lstmSigmoid and lstmTanh against package math over the range the gates see.
func TestLSTMMath(t *testing.T) {
	for x := -100.0; x <= 100; x += 0.01234 {
		f := float32(x)
		if e, want := float64(lstmExp(f)), math.Exp(float64(f)); x > -87 && x < 88 && math.Abs(e-want) > 4e-7*want {
			t.Fatalf("lstmExp(%v) = %v, want %v", f, e, want)
		}
		if s, want := float64(lstmSigmoid(f)), 1/(1+math.Exp(-float64(f))); math.Abs(s-want) > 3e-7 || math.IsNaN(s) {
			t.Fatalf("lstmSigmoid(%v) = %v, want %v", f, s, want)
		}
		if th, want := float64(lstmTanh(f)), math.Tanh(float64(f)); math.Abs(th-want) > 3e-7 || math.IsNaN(th) {
			t.Fatalf("lstmTanh(%v) = %v, want %v", f, th, want)
		}
	}
	if v := lstmExp(float32(math.NaN())); v == v {
		t.Errorf("lstmExp(NaN) = %v", v)
	}
}

func BenchmarkLSTMExp(b *testing.B) {
	xs := make([]float32, 1024)
	for i := range xs {
		xs[i] = float32(i%200-100) * 0.05
	}
	var s float32
	for i := 0; i < b.N; i++ {
		for _, x := range xs {
			s += lstmExp(x)
		}
	}
	if s == 0 {
		b.Log(s)
	}
}
