package kernels

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

var ewLengths = []int{0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 1000, 78400 + 3}

const guardLen = 19 // odd, so that outputs start unaligned

var guardVal = float32(-7.25e33)

// guarded returns a slice of n elements inside a buffer with guard bands on both sides,
// and the buffer.
func guarded(n int, fill func(i int) float32) (s, buf []float32) {
	buf = make([]float32, n+2*guardLen)
	for i := range buf {
		buf[i] = guardVal
	}
	s = buf[guardLen : guardLen+n]
	for i := range s {
		s[i] = fill(i)
	}
	return s, buf
}

func checkGuards(t *testing.T, name string, buf []float32) {
	t.Helper()
	n := len(buf) - 2*guardLen
	for i := 0; i < guardLen; i++ {
		if buf[i] != guardVal || buf[guardLen+n+i] != guardVal {
			t.Fatalf("%s: n=%d: guard band overwritten", name, n)
		}
	}
}

// ulps is the distance of got from the float32 rounding of want, in units of the last
// place of that float32 (subnormal spacing 2⁻¹⁴⁹ for tiny results); Inf when exactly one
// of them overflows, 0 when both are the same infinity.
func ulps(got float32, want float64) float64 {
	w := float32(want)
	if got == w {
		return 0
	}
	if math.IsInf(float64(w), 0) || math.IsInf(float64(got), 0) {
		return math.Inf(1)
	}
	u := math.Abs(float64(math.Nextafter32(w, float32(math.Inf(1)))) - float64(w))
	if d := math.Abs(float64(math.Nextafter32(w, float32(math.Inf(-1)))) - float64(w)); d < u {
		u = d // the finer spacing below a power of two
	}
	return math.Abs(float64(got)-want) / u
}

// sweep returns the float32 values lo, lo+step, … below hi.
func sweep(lo, hi, step float64) []float32 {
	var xs []float32
	for x := lo; x < hi; x += step {
		xs = append(xs, float32(x))
	}
	return xs
}

// geometric returns lo, lo·f, … below hi.
func geometric(lo, hi, f float64) []float32 {
	var xs []float32
	for x := lo; x < hi; x *= f {
		xs = append(xs, float32(x))
	}
	return xs
}

type accuracyCase struct {
	name  string
	f     func(dst, src []float32)
	ref   func(x float64) float64
	xs    []float32
	bound float64
	// tiny: results below the smallest normal float32 may be 0 instead.
	tiny bool
}

func accuracyCases() []accuracyCase {
	var expXs, logXs, sigXs, tanhXs []float32
	expXs = append(sweep(-87.3, 88.72, 0.00137), sweep(-110, -87.3, 0.01)...)
	expXs = append(expXs, 88.7228, 88.72283, 88.7229, 89, -87.33654, -87.33655, -87.4, -1e-30, 1e-30, 0)
	logXs = append(geometric(1e-45, 3.4e38, 1.0007), sweep(0.5, 2, 1e-5)...)
	logXs = append(logXs, geometric(1e-7, 0.5, 1.0003)...)
	logXs = append(logXs, 1, math.MaxFloat32, math.SmallestNonzeroFloat32, 0x1p-126, 0x1.fffffcp-127)
	for _, x := range geometric(1e-7, 0.5, 1.0003) {
		logXs = append(logXs, 1-x)
	}
	sigXs = append(sweep(-104, 30, 0.0013), geometric(1e-30, 1, 1.01)...)
	for _, x := range geometric(1e-30, 1, 1.01) {
		sigXs = append(sigXs, -x)
	}
	tanhXs = append(sweep(-12, 12, 0.00071), geometric(1e-38, 2, 1.003)...)
	for _, x := range geometric(1e-38, 2, 1.003) {
		tanhXs = append(tanhXs, -x)
	}
	tanhXs = append(tanhXs, 0.625, -0.625, 0.62499994, 0.62500006, 1e-45, 30, -30)
	return []accuracyCase{
		{"Exp", Exp, math.Exp, expXs, 1, true},
		{"Log", Log, math.Log, logXs, 1, false},
		{"Sigmoid", Sigmoid, func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }, sigXs, 3, true},
		{"Tanh", Tanh, math.Tanh, tanhXs, 2, false},
	}
}

// TestTranscendentalAccuracy checks Exp, Log, Sigmoid and Tanh against package math over
// the whole float32 range, with the assembly and with the Go loops.
func TestTranscendentalAccuracy(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		for _, c := range accuracyCases() {
			got := make([]float32, len(c.xs))
			c.f(got, c.xs)
			worst, at := 0.0, float32(0)
			for i, x := range c.xs {
				want := c.ref(float64(x))
				if c.tiny && math.Abs(want) < 0x1p-126 && got[i] == 0 {
					continue
				}
				if d := ulps(got[i], want); d > worst || d != d {
					worst, at = d, x
				}
			}
			if !(worst <= c.bound) {
				t.Errorf("%s: worst error %.2f ulp at x = %v (got %v, want %v)", c.name, worst, at,
					got[indexOf(c.xs, at)], c.ref(float64(at)))
			} else {
				t.Logf("%s: worst error %.2f ulp at x = %v over %d points", c.name, worst, at, len(c.xs))
			}
		}
	})
}

func indexOf(xs []float32, x float32) int {
	for i, v := range xs {
		if v == x || (v != v && x != x) {
			return i
		}
	}
	return 0
}

func TestTranscendentalSpecialValues(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	negZero := float32(math.Copysign(0, -1))
	cases := []struct {
		name string
		f    func(dst, src []float32)
		in   []float32
		want []float32
	}{
		{"Exp", Exp, []float32{0, negZero, inf, -inf, nan, 100, -100, 88.73, -87.5},
			[]float32{1, 1, inf, 0, nan, inf, 0, inf, 0}},
		{"Log", Log, []float32{1, 0, negZero, inf, -inf, nan, -1, -1e-45},
			[]float32{0, -inf, -inf, inf, nan, nan, nan, nan}},
		{"Sigmoid", Sigmoid, []float32{0, inf, -inf, nan, 100, -100, 17.5, -89},
			[]float32{0.5, 1, 0, nan, 1, 0, 1, 0}},
		{"Tanh", Tanh, []float32{0, negZero, inf, -inf, nan, 10, -10, 1e-45},
			[]float32{0, negZero, 1, -1, nan, 1, -1, 1e-45}},
		{"ReLU", ReLU, []float32{0, negZero, 1, -1, inf, -inf, nan, 1e-45},
			[]float32{0, 0, 1, 0, inf, 0, nan, 1e-45}},
	}
	forEachImpl(t, func(t *testing.T) {
		for _, c := range cases {
			// Every position of the vector and the masked tail, by rotating the input.
			for shift := range 9 {
				n := len(c.in) + shift
				in, out := make([]float32, n), make([]float32, n)
				for i := range in {
					in[i] = 0.25
				}
				copy(in[shift:], c.in)
				c.f(out, in)
				for i, w := range c.want {
					g := out[shift+i]
					if math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
						t.Errorf("%s(%v) = %v, want %v", c.name, c.in[i], g, w)
					}
				}
			}
		}
	})
}

// mapCase is one elementwise function with its pure-Go reference and input generator.
type mapCase struct {
	name   string
	inputs int
	run    func(out []float32, in [][]float32)
	ref    func(out []float32, in [][]float32)
	gen    func(r *rand.Rand, k int) float32
	ulp    float64 // allowed difference from the Go reference; 0: bit for bit
}

func mapCases() []mapCase {
	wide := func(r *rand.Rand, _ int) float32 { return float32(r.NormFloat64() * 30) }
	pos := func(r *rand.Rand, _ int) float32 { return float32(math.Exp(r.NormFloat64() * 20)) }
	unit := func(r *rand.Rand, k int) float32 {
		if k == 0 {
			return float32(r.NormFloat64())
		}
		return r.Float32()
	}
	signed := func(r *rand.Rand, k int) float32 {
		if k == 0 {
			return float32(r.NormFloat64())
		}
		return float32(r.IntN(3)-1) * r.Float32()
	}
	return []mapCase{
		{"Exp", 1, func(o []float32, in [][]float32) { Exp(o, in[0]) }, func(o []float32, in [][]float32) { expGo(o, in[0]) }, wide, 1},
		{"Log", 1, func(o []float32, in [][]float32) { Log(o, in[0]) }, func(o []float32, in [][]float32) { logGo(o, in[0]) }, pos, 1},
		{"Sigmoid", 1, func(o []float32, in [][]float32) { Sigmoid(o, in[0]) }, func(o []float32, in [][]float32) { sigmoidGo(o, in[0]) }, wide, 2},
		{"Tanh", 1, func(o []float32, in [][]float32) { Tanh(o, in[0]) }, func(o []float32, in [][]float32) { tanhGo(o, in[0]) }, wide, 2},
		{"ReLU", 1, func(o []float32, in [][]float32) { ReLU(o, in[0]) }, func(o []float32, in [][]float32) { reluGo(o, in[0]) }, wide, 0},
		{"Scale", 1, func(o []float32, in [][]float32) { Scale(o, in[0], -0.37) }, func(o []float32, in [][]float32) { scaleGo(o, in[0], -0.37) }, wide, 0},
		{"Add", 2, func(o []float32, in [][]float32) { Add(o, in[0], in[1]) }, func(o []float32, in [][]float32) { addGo(o, in[0], in[1]) }, wide, 0},
		{"Axpy", 1, func(o []float32, in [][]float32) { Axpy(o, 1.7, in[0]) }, func(o []float32, in [][]float32) { axpyGo(o, 1.7, in[0]) }, wide, 0},
		{"ReLUBackward", 2, func(o []float32, in [][]float32) { ReLUBackward(o, in[0], in[1]) }, func(o []float32, in [][]float32) { reluBackwardGo(o, in[0], in[1]) }, signed, 0},
		{"SigmoidBackward", 2, func(o []float32, in [][]float32) { SigmoidBackward(o, in[0], in[1]) }, func(o []float32, in [][]float32) { sigmoidBackwardGo(o, in[0], in[1]) }, unit, 0},
		{"TanhBackward", 2, func(o []float32, in [][]float32) { TanhBackward(o, in[0], in[1]) }, func(o []float32, in [][]float32) { tanhBackwardGo(o, in[0], in[1]) }, signed, 0},
	}
}

// TestMapsOddLengths runs every map at odd lengths inside guard bands (both into a fresh
// output and in place) and compares it with its Go reference loop.
func TestMapsOddLengths(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		for _, c := range mapCases() {
			rng := rand.New(rand.NewPCG(3, uint64(len(c.name))))
			for _, n := range ewLengths {
				in := make([][]float32, c.inputs)
				for k := range in {
					in[k], _ = guarded(n, func(int) float32 { return c.gen(rng, k) })
				}
				start := func(i int) float32 { return float32(i%13) - 6 } // Axpy accumulates
				out, buf := guarded(n, start)
				want := make([]float32, n)
				for i := range want {
					want[i] = start(i)
				}
				c.run(out, in)
				c.ref(want, in)
				checkGuards(t, c.name, buf)
				compare(t, c.name, n, out, want, c.ulp)
				if c.name == "Axpy" {
					continue
				}
				// In place: the output is the first input.
				inPlace := append([]float32(nil), in[0]...)
				in[0] = inPlace
				c.run(inPlace, in)
				compare(t, c.name+" in place", n, inPlace, want, c.ulp)
			}
		}
	})
}

func compare(t *testing.T, name string, n int, got, want []float32, ulp float64) {
	t.Helper()
	for i := range want {
		g, w := got[i], want[i]
		if ulp == 0 {
			if math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
				t.Fatalf("%s: n=%d: [%d] = %v, want %v", name, n, i, g, w)
			}
			continue
		}
		if g != w && !(ulps(g, float64(w)) <= ulp) {
			t.Fatalf("%s: n=%d: [%d] = %v, want %v (%.1f ulp)", name, n, i, g, w, ulps(g, float64(w)))
		}
	}
}

func TestBinaryCrossentropy(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(7, 8))
		for _, n := range ewLengths {
			tt, _ := guarded(n, func(i int) float32 {
				switch i % 3 {
				case 0:
					return 0
				case 1:
					return 1
				}
				return rng.Float32()
			})
			p, _ := guarded(n, func(i int) float32 {
				switch i % 11 {
				case 0:
					return 0
				case 1:
					return 1
				case 2:
					return 3e-8 // clipped below
				case 3:
					return 0.99999994 // clipped above
				case 4:
					return 1e-7 // on the bounds: not clipped
				case 5:
					return 1 - 1e-7
				}
				return rng.Float32()
			})
			grad, buf := guarded(n, func(int) float32 { return 42 })
			got := BinaryCrossentropy(tt, p, grad)
			checkGuards(t, "BinaryCrossentropy grad", buf)
			var want float64
			for j := range p {
				q := min(max(p[j], bceLo), bceHi)
				tj, qd := float64(tt[j]), float64(q)
				want -= tj*math.Log(qd) + (1-tj)*math.Log(float64(1-q))
				wg := float64(0)
				if q == p[j] {
					wg = (qd - tj) / (qd * float64(1-q))
				}
				if math.Abs(float64(grad[j])-wg) > 1e-6*math.Abs(wg) {
					t.Fatalf("n=%d: grad[%d] = %v, want %v (t %v, p %v)", n, j, grad[j], wg, tt[j], p[j])
				}
			}
			if math.Abs(got-want) > 1e-6*math.Abs(want)+1e-9 {
				t.Errorf("n=%d: BinaryCrossentropy = %v, want %v", n, got, want)
			}
			// Without a gradient: the same sum.
			if g2 := BinaryCrossentropy(tt, p, nil); g2 != got {
				t.Errorf("n=%d: without grad %v, with grad %v", n, g2, got)
			}
			// Gradient bit for bit as the Go loop.
			g3 := make([]float32, n)
			bceGo(tt, p, g3)
			compare(t, "BinaryCrossentropy grad vs Go", n, grad, g3, 0)
		}
	})
}

func TestBinaryCrossentropyNaN(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		for _, pos := range []int{0, 5, 8, 12} {
			tt := make([]float32, 13)
			p := make([]float32, 13)
			for i := range p {
				p[i] = 0.5
			}
			p[pos] = float32(math.NaN())
			grad := make([]float32, 13)
			if s := BinaryCrossentropy(tt, p, grad); s == s {
				t.Errorf("NaN at %d: sum %v, want NaN", pos, s)
			}
			if grad[pos] != 0 {
				t.Errorf("NaN at %d: grad %v, want 0", pos, grad[pos])
			}
			p[pos], tt[pos] = 0.5, float32(math.NaN())
			if s := BinaryCrossentropy(tt, p, nil); s == s {
				t.Errorf("NaN target at %d: sum %v, want NaN", pos, s)
			}
		}
	})
}

// TestDeterminism checks that the reductions give the same bits for any GOMAXPROCS.
func TestDeterminism(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	n := 100 * 784
	tt, p := make([]float32, n), make([]float32, n)
	for i := range p {
		tt[i], p[i] = float32(rng.IntN(2)), rng.Float32()
	}
	m := make([]float32, 300*257)
	for i := range m {
		m[i] = float32(rng.NormFloat64())
	}
	run := func() (float64, []float64, []float32) {
		rows := make([]float64, 100)
		BinaryCrossentropyRows(rows, tt, p, nil)
		cs := make([]float32, 257)
		ColumnSums(cs, m, 300, 257)
		return BinaryCrossentropy(tt, p, nil), rows, cs
	}
	saved := runtime.GOMAXPROCS(1)
	s1, r1, c1 := run()
	runtime.GOMAXPROCS(4)
	s4, r4, c4 := run()
	runtime.GOMAXPROCS(saved)
	if s1 != s4 {
		t.Errorf("BinaryCrossentropy: %v with 1 proc, %v with 4", s1, s4)
	}
	for i := range r1 {
		if r1[i] != r4[i] {
			t.Fatalf("BinaryCrossentropyRows[%d]: %v with 1 proc, %v with 4", i, r1[i], r4[i])
		}
	}
	compare(t, "ColumnSums 1 vs 4 procs", len(c1), c4, c1, 0)
}

func TestBinaryCrossentropyRows(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(10, 11))
		for _, shape := range [][2]int{{1, 1}, {3, 7}, {100, 784}, {2, 20000}, {5, 0}} {
			rows, cols := shape[0], shape[1]
			n := rows * cols
			tt, p := make([]float32, n), make([]float32, n)
			for i := range p {
				tt[i], p[i] = float32(rng.IntN(2)), rng.Float32()
			}
			grad, g2 := make([]float32, n), make([]float32, n)
			loss := make([]float64, rows)
			BinaryCrossentropyRows(loss, tt, p, grad)
			for r := range rows {
				want := BinaryCrossentropy(tt[r*cols:(r+1)*cols], p[r*cols:(r+1)*cols], g2[r*cols:(r+1)*cols])
				if loss[r] != want {
					t.Fatalf("%v: row %d: %v, want %v", shape, r, loss[r], want)
				}
			}
			compare(t, "BinaryCrossentropyRows grad", n, grad, g2, 0)
		}
	})
}

type optCase struct {
	name  string
	slots int
	run   func(w, g []float32, s [][]float32)
	ref   func(w, g []float32, s [][]float32)
	// want is the float64 formula for one parameter: the new w and slots.
}

func optCases() []optCase {
	return []optCase{
		{"RMSprop", 1,
			func(w, g []float32, s [][]float32) { RMSpropUpdate(w, g, s[0], 1e-3, 0.9, 1e-7) },
			func(w, g []float32, s [][]float32) { rmspropGo(w, g, s[0], 1e-3, 0.9, 1e-7) }},
		{"Adam", 2,
			func(w, g []float32, s [][]float32) { AdamUpdate(w, g, s[0], s[1], 3e-4, 0.9, 0.999, 1e-7) },
			func(w, g []float32, s [][]float32) { adamGo(w, g, s[0], s[1], 3e-4, 0.9, 0.999, 1e-7) }},
		{"Adadelta", 2,
			func(w, g []float32, s [][]float32) { AdadeltaUpdate(w, g, s[0], s[1], 1, 0.95, 1e-7) },
			func(w, g []float32, s [][]float32) { adadeltaGo(w, g, s[0], s[1], 1, 0.95, 1e-7) }},
	}
}

// TestOptimizerUpdates runs each update twice at odd lengths inside guard bands and
// compares weights and slots with the Go loop bit for bit; the gradient must be cleared.
func TestOptimizerUpdates(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		for _, c := range optCases() {
			rng := rand.New(rand.NewPCG(12, uint64(c.slots)))
			for _, n := range ewLengths {
				w, wb := guarded(n, func(int) float32 { return float32(rng.NormFloat64()) })
				w2 := append([]float32(nil), w...)
				var bufs [][]float32
				s, s2 := make([][]float32, c.slots), make([][]float32, c.slots)
				for k := range s {
					var b []float32
					s[k], b = guarded(n, func(int) float32 { return rng.Float32() * 1e-3 })
					s2[k] = append([]float32(nil), s[k]...)
					bufs = append(bufs, b)
				}
				for range 2 {
					g, gb := guarded(n, func(int) float32 { return float32(rng.NormFloat64() * 0.1) })
					g2 := append([]float32(nil), g...)
					c.run(w, g, s)
					c.ref(w2, g2, s2)
					checkGuards(t, c.name+" g", gb)
					for i, v := range g {
						if v != 0 {
							t.Fatalf("%s: n=%d: g[%d] = %v not cleared", c.name, n, i, v)
						}
					}
				}
				checkGuards(t, c.name+" w", wb)
				compare(t, c.name+" w", n, w, w2, 0)
				for k := range s {
					checkGuards(t, c.name+" slot", bufs[k])
					compare(t, c.name+" slot", n, s[k], s2[k], 0)
				}
			}
		}
	})
}

// TestOptimizerFormulas checks one step of each Go loop against the float64 formula.
func TestOptimizerFormulas(t *testing.T) {
	g, a0, d0, w0 := 0.3, 0.02, 0.001, 1.5
	sq := math.Sqrt
	cases := []struct {
		name string
		got  float32
		want float64
	}{}
	w, gs, a := []float32{float32(w0)}, []float32{float32(g)}, []float32{float32(a0)}
	RMSpropUpdate(w, gs, a, 1e-3, 0.9, 1e-7)
	an := 0.9*a0 + 0.1*g*g
	cases = append(cases, struct {
		name string
		got  float32
		want float64
	}{"rmsprop a", a[0], an}, struct {
		name string
		got  float32
		want float64
	}{"rmsprop w", w[0], w0 - 1e-3*g/(sq(an)+1e-7)})
	w, gs, a, d := []float32{float32(w0)}, []float32{float32(g)}, []float32{float32(a0)}, []float32{float32(d0)}
	AdadeltaUpdate(w, gs, a, d, 1, 0.95, 1e-7)
	an = 0.95*a0 + 0.05*g*g
	delta := g * sq(d0+1e-7) / sq(an+1e-7)
	cases = append(cases, struct {
		name string
		got  float32
		want float64
	}{"adadelta w", w[0], w0 - delta}, struct {
		name string
		got  float32
		want float64
	}{"adadelta d", d[0], 0.95*d0 + 0.05*delta*delta})
	w, gs, m, v := []float32{float32(w0)}, []float32{float32(g)}, []float32{0.01}, []float32{float32(a0)}
	AdamUpdate(w, gs, m, v, 2e-3, 0.9, 0.999, 1e-7)
	mn, vn := 0.9*float64(float32(0.01))+0.1*g, 0.999*a0+0.001*g*g
	cases = append(cases, struct {
		name string
		got  float32
		want float64
	}{"adam w", w[0], w0 - 2e-3*mn/(sq(vn)+1e-7)})
	for _, c := range cases {
		if math.Abs(float64(c.got)-c.want) > 4e-7*math.Abs(c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestBiasActivate(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(13, 14))
		for _, shape := range [][2]int{{1, 1}, {3, 7}, {5, 17}, {100, 784}, {100, 256}, {64, 2}, {0, 5}} {
			rows, n := shape[0], shape[1]
			bias := make([]float32, n)
			for i := range bias {
				bias[i] = float32(rng.NormFloat64())
			}
			for act := ActLinear; act <= ActTanh; act++ {
				y, buf := guarded(rows*n, func(int) float32 { return float32(rng.NormFloat64() * 3) })
				want := make([]float32, rows*n)
				for i := range want {
					want[i] = y[i] + bias[i%n]
				}
				switch act {
				case ActReLU:
					reluGo(want, want)
				case ActSigmoid:
					sigmoidGo(want, want)
				case ActTanh:
					tanhGo(want, want)
				}
				BiasActivate(y, bias, act)
				checkGuards(t, "BiasActivate", buf)
				compare(t, "BiasActivate", rows*n, y, want, 2)
			}
		}
	})
}

func TestColumnSums(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(15, 16))
		for _, shape := range [][2]int{{1, 1}, {3, 7}, {100, 784}, {100, 2}, {1000, 200}, {0, 4}, {4, 0}} {
			rows, cols := shape[0], shape[1]
			m := make([]float32, rows*cols)
			for i := range m {
				m[i] = float32(rng.NormFloat64())
			}
			dst, buf := guarded(cols, func(j int) float32 { return float32(j) })
			want := make([]float32, cols)
			for j := range want {
				want[j] = float32(j)
			}
			for r := range rows {
				for j := range cols {
					want[j] += m[r*cols+j]
				}
			}
			ColumnSums(dst, m, rows, cols)
			checkGuards(t, "ColumnSums", buf)
			compare(t, "ColumnSums", cols, dst, want, 0)
		}
	})
}

func TestElementwisePanics(t *testing.T) {
	cases := map[string]func(){
		"Exp":              func() { Exp(make([]float32, 3), make([]float32, 4)) },
		"RMSpropUpdate":    func() { RMSpropUpdate(make([]float32, 3), make([]float32, 3), make([]float32, 2), 1, 1, 1) },
		"BiasActivate":     func() { BiasActivate(make([]float32, 7), make([]float32, 3), ActReLU) },
		"BiasActivate act": func() { BiasActivate(make([]float32, 6), make([]float32, 3), 9) },
		"ColumnSums":       func() { ColumnSums(make([]float32, 3), make([]float32, 7), 2, 3) },
		"BCE":              func() { BinaryCrossentropy(make([]float32, 3), make([]float32, 3), make([]float32, 2)) },
		"BCERows":          func() { BinaryCrossentropyRows(make([]float64, 2), make([]float32, 3), make([]float32, 3), nil) },
	}
	for name, f := range cases {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// TestElementwiseAllocs checks that warm large (parallel) calls allocate nothing.
func TestElementwiseAllocs(t *testing.T) {
	n := 100 * 784
	x, y, z := make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range x {
		x[i], y[i] = 0.5, 0.25
	}
	w := make([]float32, 403000)
	g, a, d := make([]float32, len(w)), make([]float32, len(w)), make([]float32, len(w))
	bias := make([]float32, 784)
	rows := make([]float64, 100)
	calls := map[string]func(){
		"Sigmoid":  func() { Sigmoid(z, x) },
		"BCE":      func() { BinaryCrossentropy(x, y, z) },
		"BCERows":  func() { BinaryCrossentropyRows(rows, x, y, z) },
		"RMSprop":  func() { RMSpropUpdate(w, g, a, 1e-3, 0.9, 1e-7) },
		"Adam":     func() { AdamUpdate(w, g, a, d, 1e-3, 0.9, 0.999, 1e-7) },
		"Bias":     func() { BiasActivate(z, bias, ActSigmoid) },
		"ColSums":  func() { ColumnSums(bias, z, 100, 784) },
		"Axpy":     func() { Axpy(z, 0.5, x) },
		"Backward": func() { SigmoidBackward(z, x, y) },
	}
	for name, f := range calls {
		f()
		if allocs := testing.AllocsPerRun(20, f); allocs != 0 {
			t.Errorf("%s: %v allocations per call", name, allocs)
		}
	}
}
