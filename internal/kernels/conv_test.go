package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// convGuarded returns a slice of n floats followed by a guard band of sentinels, and a check
// that the band is intact.
func convGuarded(t *testing.T, n int) ([]float32, func()) {
	t.Helper()
	buf := make([]float32, n+9)
	for i := range buf {
		buf[i] = sentinel
	}
	return buf[:n:n], func() {
		t.Helper()
		for i := n; i < len(buf); i++ {
			if buf[i] != sentinel {
				t.Fatalf("wrote past the end at %d", i-n)
			}
		}
	}
}

// bothKernels runs f with the assembly kernels (where built) and with the Go loops.
func bothKernels(t *testing.T, f func(t *testing.T)) {
	saved := useAsm
	defer func() { useAsm = saved }()
	for _, asm := range []bool{true, false} {
		if asm && !saved {
			continue
		}
		useAsm = asm
		t.Run(fmt.Sprintf("asm=%v", asm), f)
	}
}

// sameForAnyGOMAXPROCS runs run at GOMAXPROCS 1 and then at each of procs, and fails the
// test when a later run's result differs from the first: the kernels' results must not
// depend on the number of workers.
func sameForAnyGOMAXPROCS(t *testing.T, procs []int, run func() string) {
	t.Helper()
	saved := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(saved)
	want := run()
	for _, p := range procs {
		runtime.GOMAXPROCS(p)
		if got := run(); got != want {
			t.Fatalf("GOMAXPROCS %d gives other results", p)
		}
	}
}

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = 2*rng.Float32() - 1
	}
	return s
}

var biasShapes = []struct{ rows, n int }{
	{1, 1}, {7, 1}, {5, 3}, {9, 8}, {3, 16}, {11, 32}, {13, 12}, {4, 40}, {3, 1001}, {2, 999},
	{6000, 16}, {3001, 32}, {20001, 3}, {40000, 1}, // parallel
}

func TestBiasReLU(t *testing.T) {
	bothKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for _, s := range biasShapes {
			y, check := convGuarded(t, s.rows*s.n)
			src := randSlice(rng, len(y))
			src[0] = float32(math.NaN())
			if len(src) > 2 {
				src[1] = float32(math.Copysign(0, -1))
			}
			copy(y, src)
			bias := randSlice(rng, s.n)
			bias[0] = 0
			BiasReLU(y, bias)
			check()
			for i, v := range src {
				want := v + bias[i%s.n]
				if want <= 0 {
					want = 0
				}
				if math.Float32bits(y[i]) != math.Float32bits(want) && !(isNaN32(y[i]) && isNaN32(want)) {
					t.Fatalf("%d×%d: y[%d] = %v, want %v", s.rows, s.n, i, y[i], want)
				}
			}
		}
	})
}

func isNaN32(v float32) bool { return v != v }

func TestReLUBackwardBias(t *testing.T) {
	bothKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for _, s := range biasShapes {
			for _, withBias := range []bool{true, false} {
				dz, check := convGuarded(t, s.rows*s.n)
				dy := randSlice(rng, len(dz))
				y := randSlice(rng, len(dz))
				y[0] = float32(math.NaN())
				copy(dz, dy)
				var db []float32
				if withBias {
					db = randSlice(rng, s.n)
				}
				db0 := append([]float32(nil), db...)
				ReLUBackwardBias(dz, y, db)
				check()
				sums := make([]float64, s.n)
				for i := range dz {
					want := dy[i]
					if !(y[i] > 0) {
						want = 0
					}
					if dz[i] != want {
						t.Fatalf("%d×%d: dz[%d] = %v, want %v", s.rows, s.n, i, dz[i], want)
					}
					sums[i%s.n] += float64(want)
				}
				for j := range db {
					want := float64(db0[j]) + sums[j]
					if math.Abs(float64(db[j])-want) > 1e-5*float64(s.rows+1) {
						t.Fatalf("%d×%d: db[%d] = %v, want %v", s.rows, s.n, j, db[j], want)
					}
				}
			}
		}
	})
}

func TestBiasGradient(t *testing.T) {
	bothKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(5, 6))
		for _, s := range biasShapes {
			m := randSlice(rng, s.rows*s.n)
			db, check := convGuarded(t, s.n)
			clear(db)
			BiasGradient(db, m)
			check()
			for j := range db {
				var want float64
				for r := 0; r < s.rows; r++ {
					want += float64(m[r*s.n+j])
				}
				if math.Abs(float64(db[j])-want) > 1e-5*float64(s.rows+1) {
					t.Fatalf("%d×%d: db[%d] = %v, want %v", s.rows, s.n, j, db[j], want)
				}
			}
		}
	})
}

// The bias gradients give the same bits for any GOMAXPROCS and with or without assembly.
func TestBiasGradientDeterminism(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	dy := randSlice(rng, 128*28*28*16)
	y := randSlice(rng, len(dy))
	run := func() []float32 {
		dz := append([]float32(nil), dy...)
		db := make([]float32, 16)
		ReLUBackwardBias(dz, y, db)
		BiasGradient(db, dy)
		return db
	}
	saved := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(saved)
	want := run()
	for _, procs := range []int{2, 3, 4} {
		runtime.GOMAXPROCS(procs)
		if got := run(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("GOMAXPROCS %d: %v, want %v", procs, got, want)
		}
	}
	if useAsm {
		useAsm = false
		got := run()
		useAsm = true
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("Go loops: %v, assembly: %v", got, want)
		}
	}
}

var poolShapes = []struct{ nb, h, w, c int }{
	{1, 2, 2, 8}, {1, 1, 1, 8}, {2, 3, 5, 8}, {1, 7, 7, 16}, {3, 4, 6, 3}, {2, 5, 4, 1}, {1, 6, 3, 24},
	{2, 1, 4, 8}, {1, 4, 1, 16}, {16, 28, 28, 16}, {8, 14, 14, 32}, {4, 7, 7, 8}, // parallel
}

// refMaxPool is MaxPool2x2's doc comment as a loop.
func refMaxPool(x []float32, nb, h, w, c int) (y, idx []float32) {
	oh, ow := (h+1)/2, (w+1)/2
	y, idx = make([]float32, nb*oh*ow*c), make([]float32, nb*oh*ow*c)
	for b := 0; b < nb; b++ {
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				for ch := 0; ch < c; ch++ {
					o := ((b*oh+oy)*ow+ox)*c + ch
					first := true
					for i := 0; i < 2; i++ {
						for j := 0; j < 2; j++ {
							yy, xx := 2*oy+i, 2*ox+j
							if yy >= h || xx >= w {
								continue
							}
							v := x[((b*h+yy)*w+xx)*c+ch]
							if first || v > y[o] {
								y[o], idx[o], first = v, float32(2*i+j), false
							}
						}
					}
				}
			}
		}
	}
	return y, idx
}

func TestMaxPool2x2(t *testing.T) {
	bothKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(9, 10))
		for _, s := range poolShapes {
			oh, ow := (s.h+1)/2, (s.w+1)/2
			x := make([]float32, s.nb*s.h*s.w*s.c)
			for i := range x {
				x[i] = float32(rng.IntN(4)) // many ties: the first maximum must win
			}
			wantY, wantIdx := refMaxPool(x, s.nb, s.h, s.w, s.c)
			y, checkY := convGuarded(t, s.nb*oh*ow*s.c)
			idx, checkI := convGuarded(t, len(y))
			MaxPool2x2(y, idx, x, s.nb, s.h, s.w, s.c)
			checkY()
			checkI()
			for i := range y {
				if y[i] != wantY[i] || idx[i] != wantIdx[i] {
					t.Fatalf("%+v: element %d: (%v, %v), want (%v, %v)", s, i, y[i], idx[i], wantY[i], wantIdx[i])
				}
			}
			// Backward: add into dx, and assign over garbage.
			dy := randSlice(rng, len(y))
			base := randSlice(rng, len(x))
			want := append([]float32(nil), base...)
			for b := 0; b < s.nb; b++ {
				for oy := 0; oy < oh; oy++ {
					for ox := 0; ox < ow; ox++ {
						for ch := 0; ch < s.c; ch++ {
							o := ((b*oh+oy)*ow+ox)*s.c + ch
							at := int(idx[o])
							want[((b*s.h+2*oy+at/2)*s.w+2*ox+at%2)*s.c+ch] += dy[o]
						}
					}
				}
			}
			dx, checkX := convGuarded(t, len(x))
			copy(dx, base)
			MaxPool2x2Backward(dx, dy, idx, s.nb, s.h, s.w, s.c, false)
			checkX()
			for i := range dx {
				if dx[i] != want[i] {
					t.Fatalf("%+v: backward (add) dx[%d] = %v, want %v", s, i, dx[i], want[i])
				}
			}
			for i := range dx {
				dx[i] = float32(math.NaN())
			}
			MaxPool2x2Backward(dx, dy, idx, s.nb, s.h, s.w, s.c, true)
			checkX()
			for i := range dx {
				if w := want[i] - base[i]; math.Abs(float64(dx[i]-w)) > 1e-6 {
					t.Fatalf("%+v: backward (assign) dx[%d] = %v, want %v", s, i, dx[i], w)
				}
			}
		}
	})
}

func TestUpSample2x2Backward(t *testing.T) {
	bothKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(11, 12))
		for _, s := range poolShapes {
			n := s.nb * s.h * s.w * s.c
			dy := randSlice(rng, 4*n)
			base := randSlice(rng, n)
			want := make([]float32, n)
			for b := 0; b < s.nb; b++ {
				for yy := 0; yy < s.h; yy++ {
					for xx := 0; xx < s.w; xx++ {
						for ch := 0; ch < s.c; ch++ {
							at := func(i, j int) float32 { return dy[((b*2*s.h+2*yy+i)*2*s.w+2*xx+j)*s.c+ch] }
							want[((b*s.h+yy)*s.w+xx)*s.c+ch] = (at(0, 0) + at(0, 1)) + (at(1, 0) + at(1, 1))
						}
					}
				}
			}
			dx, check := convGuarded(t, n)
			copy(dx, base)
			UpSample2x2Backward(dx, dy, s.nb, s.h, s.w, s.c, false)
			check()
			for i := range dx {
				if dx[i] != base[i]+want[i] {
					t.Fatalf("%+v: add: dx[%d] = %v, want %v", s, i, dx[i], base[i]+want[i])
				}
			}
			UpSample2x2Backward(dx, dy, s.nb, s.h, s.w, s.c, true)
			check()
			for i := range dx {
				if dx[i] != want[i] {
					t.Fatalf("%+v: assign: dx[%d] = %v, want %v", s, i, dx[i], want[i])
				}
			}
		}
	})
}

func TestConvKernelsAllocateNothing(t *testing.T) {
	y := make([]float32, 128*28*28*16)
	dz := make([]float32, len(y))
	bias, db := make([]float32, 16), make([]float32, 16)
	p, idx := make([]float32, len(y)/4), make([]float32, len(y)/4)
	f := func() {
		BiasReLU(y, bias)
		ReLUBackwardBias(dz, y, db)
		MaxPool2x2(p, idx, y, 128, 28, 28, 16)
		MaxPool2x2Backward(dz, p, idx, 128, 28, 28, 16, true)
		UpSample2x2Backward(p, dz, 128, 14, 14, 16, false)
	}
	f()
	if n := testing.AllocsPerRun(5, f); n != 0 {
		t.Errorf("%v allocations per call", n)
	}
}

func BenchmarkConvLayerKernels(b *testing.B) {
	const nb, h, w, c = 128, 28, 28, 16
	y := make([]float32, nb*h*w*c)
	dz := make([]float32, len(y))
	for i := range y {
		y[i] = float32(i%7) - 3
	}
	bias, db := make([]float32, c), make([]float32, c)
	p, idx := make([]float32, len(y)/4), make([]float32, len(y)/4)
	for _, k := range []struct {
		name string
		f    func()
	}{
		{"BiasReLU", func() { BiasReLU(y, bias) }},
		{"ReLUBackwardBias", func() { ReLUBackwardBias(dz, y, db) }},
		{"MaxPool2x2", func() { MaxPool2x2(p, idx, y, nb, h, w, c) }},
		{"MaxPool2x2Backward", func() { MaxPool2x2Backward(dz, p, idx, nb, h, w, c, true) }},
		{"UpSample2x2Backward", func() { UpSample2x2Backward(p, dz, nb, h/2, w/2, c, true) }},
	} {
		b.Run(k.name, func(b *testing.B) {
			b.SetBytes(int64(4 * len(y)))
			for range b.N {
				k.f()
			}
		})
	}
}

func TestShiftAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, tc := range []struct {
		g ConvGeom
		f int
	}{
		{ConvGeom{N: 1, H: 5, W: 7, KH: 3, KW: 3, SH: 1, SW: 1, PT: 1, PL: 1, OH: 5, OW: 7}, 1},
		{ConvGeom{N: 2, H: 6, W: 5, KH: 3, KW: 3, SH: 1, SW: 1, PT: 0, PL: 0, OH: 4, OW: 3}, 1}, // valid
		{ConvGeom{N: 2, H: 4, W: 6, KH: 2, KW: 3, SH: 1, SW: 1, PT: 0, PL: 1, OH: 4, OW: 6}, 3},
		{ConvGeom{N: 1, H: 3, W: 3, KH: 5, KW: 5, SH: 1, SW: 1, PT: 2, PL: 2, OH: 3, OW: 3}, 1},      // taps outside on both sides
		{ConvGeom{N: 64, H: 28, W: 28, KH: 3, KW: 3, SH: 1, SW: 1, PT: 1, PL: 1, OH: 28, OW: 28}, 1}, // parallel
		{ConvGeom{N: 8, H: 14, W: 14, KH: 3, KW: 3, SH: 1, SW: 1, PT: 1, PL: 1, OH: 14, OW: 14}, 3},
	} {
		g, f := tc.g, tc.f
		g.C = 1
		tf := g.KH * g.KW * f
		p := randSlice(rng, g.N*g.H*g.W*tf)
		bias := randSlice(rng, f)
		want := make([]float32, g.N*g.OH*g.OW*f)
		for b := 0; b < g.N; b++ {
			for oy := 0; oy < g.OH; oy++ {
				for ox := 0; ox < g.OW; ox++ {
					for o := 0; o < f; o++ {
						s := bias[o]
						for i := 0; i < g.KH; i++ {
							for j := 0; j < g.KW; j++ {
								y, x := oy+i-g.PT, ox+j-g.PL
								if y >= 0 && y < g.H && x >= 0 && x < g.W {
									s += p[((b*g.H+y)*g.W+x)*tf+(i*g.KW+j)*f+o]
								}
							}
						}
						want[((b*g.OH+oy)*g.OW+ox)*f+o] = s
					}
				}
			}
		}
		y, check := convGuarded(t, len(want))
		ShiftAdd(y, p, bias, g)
		check()
		for i := range want {
			if y[i] != want[i] {
				t.Fatalf("%+v, %d filters: y[%d] = %v, want %v", g, f, i, y[i], want[i])
			}
		}
	}
}

func TestUpSample2x2(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for _, s := range poolShapes {
		x := randSlice(rng, s.nb*s.h*s.w*s.c)
		y, check := convGuarded(t, 4*len(x))
		UpSample2x2(y, x, s.nb, s.h, s.w, s.c)
		check()
		for b := 0; b < s.nb; b++ {
			for yy := 0; yy < 2*s.h; yy++ {
				for xx := 0; xx < 2*s.w; xx++ {
					for ch := 0; ch < s.c; ch++ {
						got := y[((b*2*s.h+yy)*2*s.w+xx)*s.c+ch]
						if want := x[((b*s.h+yy/2)*s.w+xx/2)*s.c+ch]; got != want {
							t.Fatalf("%+v: y[%d,%d,%d,%d] = %v, want %v", s, b, yy, xx, ch, got, want)
						}
					}
				}
			}
		}
	}
}

func TestCopyBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, s := range []struct{ n, length, ds, ss int }{{1, 5, 5, 5}, {3, 4, 7, 4}, {4, 6, 6, 9}, {300, 200, 250, 230}} {
		for op := BlockCopy; op <= BlockCopyClear; op++ {
			src := randSlice(rng, (s.n-1)*s.ss+s.length)
			dst, check := convGuarded(t, s.n*s.ds)
			base := randSlice(rng, len(dst))
			copy(dst, base)
			CopyBlocks(dst, s.ds, src, s.ss, s.n, s.length, op)
			check()
			for i := range dst {
				b, q := i/s.ds, i%s.ds
				want := base[i]
				if q < s.length {
					switch op {
					case BlockAdd:
						want += src[b*s.ss+q]
					default:
						want = src[b*s.ss+q]
					}
				} else if op == BlockCopyClear {
					want = 0
				}
				if dst[i] != want {
					t.Fatalf("%+v op %d: dst[%d] = %v, want %v", s, op, i, dst[i], want)
				}
			}
		}
	}
}
