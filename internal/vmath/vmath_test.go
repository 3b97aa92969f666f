package vmath

import (
	"math"
	"testing"
)

// ulps returns the distance in units in the last place between got and the correctly
// rounded float32 of want.
func ulps(got float32, want float64) float64 {
	w := float32(want)
	if got == w {
		return 0
	}
	u := math.Abs(float64(math.Nextafter32(w, float32(math.Inf(1)))) - float64(w))
	return math.Abs(float64(got)-want) / u
}

func TestExpAccuracy(t *testing.T) {
	worst := 0.0
	for x := float32(-87); x < 88.7; x += 0.00137 {
		if d := ulps(Exp(x), math.Exp(float64(x))); d > worst {
			worst = d
			if d > 2 {
				t.Fatalf("Exp(%v) = %v, want %v (%.1f ulp)", x, Exp(x), math.Exp(float64(x)), d)
			}
		}
	}
	t.Logf("worst Exp error %.2f ulp", worst)
}

func TestLogAccuracy(t *testing.T) {
	worst := 0.0
	check := func(x float32) {
		if d := ulps(Log(x), math.Log(float64(x))); d > worst {
			worst = d
			if d > 2 {
				t.Fatalf("Log(%v) = %v, want %v (%.1f ulp)", x, Log(x), math.Log(float64(x)), d)
			}
		}
	}
	for x := float32(1e-7); x < 1; x *= 1.0001 {
		check(x)
		check(1 - x)
	}
	for x := float32(1.2e-38); x < 3e38; x *= 1.01 {
		check(x)
	}
	for _, x := range []float32{1e-45, 3e-44, 1e-40, 5.9e-39} { // subnormals
		check(x)
	}
	t.Logf("worst Log error %.2f ulp", worst)
}

func TestSpecialValues(t *testing.T) {
	inf := float32(math.Inf(1))
	cases := []struct {
		name      string
		got, want float32
	}{
		{"Exp(0)", Exp(0), 1},
		{"Exp(100)", Exp(100), inf},
		{"Exp(-100)", Exp(-100), 0},
		{"Exp(-Inf)", Exp(-inf), 0},
		{"Log(1)", Log(1), 0},
		{"Log(0)", Log(0), -inf},
		{"Log(Inf)", Log(inf), inf},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if v := Log(-1); v == v {
		t.Errorf("Log(-1) = %v, want NaN", v)
	}
	if v := Exp(float32(math.NaN())); v == v {
		t.Errorf("Exp(NaN) = %v, want NaN", v)
	}
}

func BenchmarkExp(b *testing.B) {
	var s float32
	for i := range b.N {
		s += Exp(float32(i&1023) * 0.01)
	}
	_ = s
}

func BenchmarkMathExp(b *testing.B) {
	var s float32
	for i := range b.N {
		s += float32(math.Exp(float64(float32(i&1023) * 0.01)))
	}
	_ = s
}

func BenchmarkLog(b *testing.B) {
	var s float32
	for i := range b.N {
		s += Log(float32(i&1023)*0.01 + 0.001)
	}
	_ = s
}

func BenchmarkMathLog(b *testing.B) {
	var s float32
	for i := range b.N {
		s += float32(math.Log(float64(float32(i&1023)*0.01 + 0.001)))
	}
	_ = s
}
