package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// lstmSigmoid, lstmTanh and lstmExp (the Go fallback's scalar functions) against package
// math over the range the gates see.
func TestLSTMScalarMath(t *testing.T) {
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

// lstmRef is the reference loop of LSTMCell and LSTMCellBackward in float64.
func lstmRef(z, bias, cprev, dy, dh, dc []float32) (gates, c, tc, h, dz, dcOut []float64) {
	u := len(z) / 4
	if bias != nil {
		a := make([]float32, len(z))
		for j := range a {
			a[j] = z[j] + bias[j]
		}
		z = a
	}
	sig := func(x float32) float64 { return 1 / (1 + math.Exp(-float64(x))) }
	gates, dz = make([]float64, 4*u), make([]float64, 4*u)
	c, tc, h, dcOut = make([]float64, u), make([]float64, u), make([]float64, u), make([]float64, u)
	for j := 0; j < u; j++ {
		i, f, g, o := sig(z[j]), sig(z[u+j]), math.Tanh(float64(z[2*u+j])), sig(z[3*u+j])
		gates[j], gates[u+j], gates[2*u+j], gates[3*u+j] = i, f, g, o
		var cp float64
		if cprev != nil {
			cp = float64(cprev[j])
		}
		c[j] = i*g + f*cp
		tc[j] = math.Tanh(c[j])
		h[j] = o * tc[j]
		dH := float64(dh[j])
		if dy != nil {
			dH += float64(dy[j])
		}
		dC := float64(dc[j]) + dH*o*(1-tc[j]*tc[j])
		dz[j] = dC * g * i * (1 - i)
		dz[u+j] = dC * cp * f * (1 - f)
		dz[2*u+j] = dC * i * (1 - g*g)
		dz[3*u+j] = dH * tc[j] * o * (1 - o)
		dcOut[j] = dC * f
	}
	return
}

// The gate kernels (assembly where available, and the Go loops) against the float64
// reference at unit counts around the vector width, with and without c_{t−1} and an
// output gradient, and with guard bands around every output.
func TestLSTMCell(t *testing.T) {
	saved := useAsm
	defer func() { useAsm = saved }()
	rng := rand.New(rand.NewPCG(3, 4))
	rnd := func(s float64) func(int) float32 {
		return func(int) float32 { return float32(s * (2*rng.Float64() - 1)) }
	}
	for _, asm := range []bool{false, true} {
		if asm && !saved {
			continue
		}
		useAsm = asm
		for _, u := range []int{1, 3, 7, 8, 9, 15, 16, 17, 31, 100} {
			for _, variant := range []struct{ cprev, dy bool }{{true, true}, {false, true}, {true, false}, {false, false}} {
				z, zb := guarded(4*u, rnd(6))
				z0 := append([]float32(nil), z...)
				c, cb := guarded(u, rnd(0))
				tc, tcb := guarded(u, rnd(0))
				h, hb := guarded(u, rnd(0))
				var cprev, dy, bias []float32
				if variant.cprev {
					cprev, _ = guarded(u, rnd(3))
				}
				if variant.dy { // a bias with and without dy
					bias, _ = guarded(4*u, rnd(1))
				}
				if variant.dy {
					dy, _ = guarded(u, rnd(1))
				}
				dh, _ := guarded(u, rnd(1))
				dc, dcb := guarded(u, rnd(1))
				dc0 := append([]float32(nil), dc...)
				gates, wc, wtc, wh, wdz, wdc := lstmRef(z0, bias, cprev, dy, dh, dc0)

				LSTMCell(z, bias, c, tc, cprev, h)
				for _, b := range [][]float32{zb, cb, tcb, hb} {
					checkGuards(t, "LSTMCell", b)
				}
				const tol = 2e-6
				for j := range z {
					if d := math.Abs(float64(z[j]) - gates[j]); d > tol {
						t.Fatalf("asm %v u %d %+v: gate %d = %v, want %v", asm, u, variant, j, z[j], gates[j])
					}
				}
				for j := 0; j < u; j++ {
					for _, p := range []struct {
						name string
						got  float32
						want float64
					}{{"c", c[j], wc[j]}, {"tanh c", tc[j], wtc[j]}, {"h", h[j], wh[j]}} {
						if math.Abs(float64(p.got)-p.want) > tol*(1+math.Abs(p.want)) {
							t.Fatalf("asm %v u %d %+v: %s[%d] = %v, want %v", asm, u, variant, p.name, j, p.got, p.want)
						}
					}
				}

				LSTMCellBackward(z, tc, cprev, dy, dh, dc)
				checkGuards(t, "LSTMCellBackward z", zb)
				checkGuards(t, "LSTMCellBackward dc", dcb)
				for j := range z {
					if d := math.Abs(float64(z[j]) - wdz[j]); d > 1e-5 {
						t.Fatalf("asm %v u %d %+v: dz[%d] = %v, want %v", asm, u, variant, j, z[j], wdz[j])
					}
				}
				for j := range dc {
					if d := math.Abs(float64(dc[j]) - wdc[j]); d > 1e-5 {
						t.Fatalf("asm %v u %d %+v: dc[%d] = %v, want %v", asm, u, variant, j, dc[j], wdc[j])
					}
				}
			}
		}
	}
}

// Saturated and non-finite pre-activations: gates stay in [0, 1] and [−1, 1] without NaN
// for huge finite inputs; NaN propagates.
func TestLSTMCellExtremes(t *testing.T) {
	const u = 9
	z := make([]float32, 4*u)
	for j := range z {
		z[j] = float32(1e30) * float32(1-2*(j%2))
	}
	c, tc, h := make([]float32, u), make([]float32, u), make([]float32, u)
	LSTMCell(z, nil, c, tc, nil, h)
	for j, v := range z {
		if !(v >= -1 && v <= 1) {
			t.Fatalf("gate %d = %v for a pre-activation of ±1e30", j, v)
		}
	}
	for j := range h {
		if !(h[j] >= -1 && h[j] <= 1) || math.IsNaN(float64(c[j])) {
			t.Fatalf("unit %d: c %v, h %v", j, c[j], h[j])
		}
	}
	z[3] = float32(math.NaN())
	LSTMCell(z, nil, c, tc, nil, h)
	if h[3] == h[3] {
		t.Errorf("NaN pre-activation gave h = %v", h[3])
	}
}

func TestLSTMCellLengths(t *testing.T) {
	for _, f := range []func(){
		func() {
			LSTMCell(make([]float32, 7), nil, make([]float32, 2), make([]float32, 2), nil, make([]float32, 2))
		},
		func() {
			LSTMCell(make([]float32, 8), nil, make([]float32, 2), make([]float32, 2), make([]float32, 1), make([]float32, 2))
		},
		func() {
			LSTMCell(make([]float32, 8), make([]float32, 7), make([]float32, 2), make([]float32, 2), nil, make([]float32, 2))
		},
		func() {
			LSTMCellBackward(make([]float32, 8), make([]float32, 2), nil, make([]float32, 3), make([]float32, 2), make([]float32, 2))
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("wrong lengths accepted")
				}
			}()
			f()
		}()
	}
}

// Forward and backward of one batch of the speaker model's LSTM step (64 rows, 100
// units), assembly or Go.
func BenchmarkLSTMCell(b *testing.B) {
	saved := useAsm
	defer func() { useAsm = saved }()
	const rows, u = 64, 100
	rng := rand.New(rand.NewPCG(1, 2))
	z := make([]float32, rows*4*u)
	z0 := make([]float32, len(z))
	for i := range z0 {
		z0[i] = float32(4 * (2*rng.Float64() - 1))
	}
	c, tc, h, cp := make([]float32, rows*u), make([]float32, rows*u), make([]float32, rows*u), make([]float32, rows*u)
	dh, dc := make([]float32, rows*u), make([]float32, rows*u)
	for _, asm := range []bool{false, true} {
		if asm && !saved {
			continue
		}
		name := "go"
		if asm {
			name = "asm"
		}
		b.Run(name, func(b *testing.B) {
			useAsm = asm
			for i := 0; i < b.N; i++ {
				copy(z, z0)
				for r := 0; r < rows; r++ {
					s := r * u
					LSTMCell(z[4*s:4*s+4*u], nil, c[s:s+u], tc[s:s+u], cp[s:s+u], h[s:s+u])
				}
				for r := 0; r < rows; r++ {
					s := r * u
					LSTMCellBackward(z[4*s:4*s+4*u], tc[s:s+u], cp[s:s+u], h[s:s+u], dh[s:s+u], dc[s:s+u])
				}
			}
		})
	}
}

// GemmPackedB with PackB against Gemm, at shapes around the block sizes (k across KC,
// partial MR and NR strips), both transB, alpha and beta, with guard bands around C and
// a strided A and C (as the LSTM's steps use them).
func TestGemmPackedB(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	fill := func(n int) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(2*rng.Float64() - 1)
		}
		return s
	}
	for _, sh := range []struct{ m, n, k int }{{1, 1, 1}, {5, 17, 3}, {6, 16, 100}, {64, 400, 100}, {64, 100, 400}, {13, 33, 257}, {200, 40, 30}} {
		for _, transB := range []bool{false, true} {
			lda, ldc := sh.k+3, sh.n+5
			a := fill(sh.m * lda)
			var b []float32
			ldb := sh.n + 2
			if transB {
				ldb = sh.k + 2
				b = fill(sh.n * ldb)
			} else {
				b = fill(sh.k * ldb)
			}
			c0 := fill(sh.m * ldc)
			want := append([]float32(nil), c0...)
			Gemm(false, transB, sh.m, sh.n, sh.k, 0.5, a, lda, b, ldb, 1.5, want, ldc)
			bp := make([]float32, PackedBSize(sh.k, sh.n))
			PackB(bp, transB, sh.k, sh.n, b, ldb)
			c, buf := guarded(len(c0), func(i int) float32 { return c0[i] })
			GemmPackedB(sh.m, sh.n, sh.k, 0.5, a, lda, bp, 1.5, c, ldc)
			checkGuards(t, "GemmPackedB", buf)
			for i := range c {
				if d := math.Abs(float64(c[i] - want[i])); d > 1e-5*(1+math.Abs(float64(want[i]))) {
					t.Fatalf("%+v transB %v: c[%d] = %v, Gemm gives %v", sh, transB, i, c[i], want[i])
				}
			}
		}
	}
}
