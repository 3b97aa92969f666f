package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// refDirect is the stride-1 convolution of x [N, H, W, C] with w [KH, KW, C, F] and its
// kernel gradient for the output gradient dy, in float64, straight from the formulas.
func refDirect(x, w, dy []float32, g ConvGeom, f int) (y, dw []float64) {
	y, dw = make([]float64, g.N*g.OH*g.OW*f), make([]float64, g.K()*f)
	for b := 0; b < g.N; b++ {
		for oy := 0; oy < g.OH; oy++ {
			for ox := 0; ox < g.OW; ox++ {
				for o := 0; o < f; o++ {
					var s float64
					out := ((b*g.OH+oy)*g.OW+ox)*f + o
					for i := 0; i < g.KH; i++ {
						for j := 0; j < g.KW; j++ {
							sy, sx := oy+i-g.PT, ox+j-g.PL
							if sy < 0 || sy >= g.H || sx < 0 || sx >= g.W {
								continue
							}
							for c := 0; c < g.C; c++ {
								xv := float64(x[((b*g.H+sy)*g.W+sx)*g.C+c])
								wi := ((i*g.KW+j)*g.C+c)*f + o
								s += xv * float64(w[wi])
								dw[wi] += xv * float64(dy[out])
							}
						}
					}
					y[out] = s
				}
			}
		}
	}
	return y, dw
}

// directShapes: odd sizes, same (PT = PL = KH/2) and valid (0) padding, channels and
// filters around the strip widths, partial tiles; the last ones are parallel.
type directShape struct {
	n, h, w, c, kh, kw, f int
	same                  bool
}

var directShapes = []directShape{
	{1, 1, 1, 1, 1, 1, 1, true},
	{1, 3, 5, 2, 3, 3, 3, true},
	{2, 5, 7, 3, 3, 3, 8, true},
	{1, 7, 6, 5, 3, 2, 17, true},
	{3, 6, 9, 8, 3, 3, 16, false},
	{2, 5, 13, 7, 2, 3, 33, false},
	{1, 4, 4, 16, 3, 3, 8, true},
	{2, 9, 11, 32, 3, 3, 32, true},
	{8, 14, 14, 16, 3, 3, 8, true},
	{6, 16, 16, 8, 3, 3, 16, false},
	{4, 14, 14, 32, 3, 3, 32, true},
	{3, 7, 7, 32, 2, 2, 48, true}, // 7-pixel rows: one column and a corner in vertical tiles
	{2, 13, 5, 16, 3, 3, 24, true},
}

func (s directShape) geom() ConvGeom {
	g := ConvGeom{N: s.n, H: s.h, W: s.w, C: s.c, KH: s.kh, KW: s.kw, SH: 1, SW: 1}
	if s.same {
		g.OH, g.OW = s.h, s.w
		g.PT, g.PL = (s.kh-1)/2, (s.kw-1)/2
	} else {
		g.OH, g.OW = s.h-s.kh+1, s.w-s.kw+1
	}
	return g
}

func TestConvDirect(t *testing.T) {
	bothKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(21, 22))
		for _, s := range directShapes {
			g := s.geom()
			f := s.f
			name := fmt.Sprintf("%+v", s)
			x := randSlice(rng, g.N*g.H*g.W*g.C)
			w := randSlice(rng, g.K()*f)
			dy := randSlice(rng, g.N*g.OH*g.OW*f)
			bias := randSlice(rng, f)
			wantY, wantDW := refDirect(x, w, dy, g, f)

			p := make([]float32, DirectPadLen(g))
			for i := range p {
				p[i] = float32(math.NaN()) // PadDirect writes every element
			}
			PadDirect(p, x, g)
			wpk := make([]float32, DirectKernelLen(g.KH, g.KW, g.C, f))
			PackDirectKernel(wpk, w, g.KH, g.KW, g.C, f)

			// beta 0, then beta 1 (adds the same again), then with bias and ReLU.
			y, check := convGuarded(t, len(wantY))
			for i := range y {
				y[i] = float32(math.NaN()) // not read with beta 0
			}
			ConvDirect(y, 0, p, wpk, nil, g, f)
			check()
			tol := func(v float64) float64 { return 1e-5 * (1 + math.Abs(v)) * math.Sqrt(float64(g.K())) }
			for i := range y {
				if math.Abs(float64(y[i])-wantY[i]) > tol(wantY[i]) {
					t.Fatalf("%s: y[%d] = %v, want %v", name, i, y[i], wantY[i])
				}
			}
			ConvDirect(y, 1, p, wpk, nil, g, f)
			check()
			for i := range y {
				if math.Abs(float64(y[i])-2*wantY[i]) > 2*tol(wantY[i]) {
					t.Fatalf("%s: beta 1: y[%d] = %v, want %v", name, i, y[i], 2*wantY[i])
				}
			}
			ConvDirect(y, 0, p, wpk, bias, g, f)
			check()
			for i := range y {
				want := max(wantY[i]+float64(bias[i%f]), 0)
				if math.Abs(float64(y[i])-want) > tol(want) {
					t.Fatalf("%s: bias+ReLU: y[%d] = %v, want %v", name, i, y[i], want)
				}
			}

			d := make([]float32, DirectGradLen(g, f))
			for i := range d {
				d[i] = float32(math.NaN()) // SpreadDirect writes every element
			}
			SpreadDirect(d, dy, g, f)
			dw, checkW := convGuarded(t, len(wantDW))
			init := randSlice(rng, len(dw))
			copy(dw, init)
			ConvDirectKernelGrad(dw, p, d, g, f)
			checkW()
			for i := range dw {
				want := float64(init[i]) + wantDW[i]
				if math.Abs(float64(dw[i])-want) > 1e-5*(1+math.Abs(want))*math.Sqrt(float64(g.N*g.OH*g.OW)) {
					t.Fatalf("%s: dw[%d] = %v, want %v", name, i, dw[i], want)
				}
			}
		}
	})
}

// The strided forms (PadDirectFrom, SpreadDirectFrom, ConvDirectTo) read and write one
// phase of a 2× larger tensor: same values as the contiguous forms, and the other phases
// untouched.
func TestConvDirectStrided(t *testing.T) {
	bothKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(31, 32))
		for _, s := range []directShape{{1, 1, 1, 16, 2, 2, 16, true}, {2, 7, 7, 32, 2, 2, 32, true}, {3, 5, 9, 24, 3, 3, 20, false}, {1, 4, 13, 8, 2, 3, 8, true}} {
			g := s.geom()
			f := s.f
			name := fmt.Sprintf("%+v", s)
			// The image as phase (1, 0) of [N, 2H, 2W, C]; dy as phase (0, 1) of [N, 2·OH, 2·OW, F].
			big := randSlice(rng, g.N*4*g.H*g.W*g.C)
			x := make([]float32, g.N*g.H*g.W*g.C)
			xps, xrs, xoff := 2*g.C, 4*g.W*g.C, 2*g.W*g.C
			for r := 0; r < g.N*g.H; r++ {
				for q := 0; q < g.W; q++ {
					copy(x[(r*g.W+q)*g.C:][:g.C], big[xoff+r*xrs+q*xps:])
				}
			}
			bigDY := randSlice(rng, g.N*4*g.OH*g.OW*f)
			dy := make([]float32, g.N*g.OH*g.OW*f)
			yps, yrs, yoff := 2*f, 4*g.OW*f, f
			for r := 0; r < g.N*g.OH; r++ {
				for q := 0; q < g.OW; q++ {
					copy(dy[(r*g.OW+q)*f:][:f], bigDY[yoff+r*yrs+q*yps:])
				}
			}
			w := randSlice(rng, g.K()*f)
			p, p2 := make([]float32, DirectPadLen(g)), make([]float32, DirectPadLen(g))
			PadDirect(p, x, g)
			for i := range p2 {
				p2[i] = float32(math.NaN())
			}
			PadDirectFrom(p2, big[xoff:], g, xps, xrs)
			if fmt.Sprint(p) != fmt.Sprint(p2) {
				t.Fatalf("%s: PadDirectFrom differs from PadDirect", name)
			}
			d, d2 := make([]float32, DirectGradLen(g, f)), make([]float32, DirectGradLen(g, f))
			SpreadDirect(d, dy, g, f)
			SpreadDirectFrom(d2, bigDY[yoff:], g, f, yps, yrs)
			if fmt.Sprint(d) != fmt.Sprint(d2) {
				t.Fatalf("%s: SpreadDirectFrom differs from SpreadDirect", name)
			}
			wpk := make([]float32, DirectKernelLen(g.KH, g.KW, g.C, f))
			PackDirectKernel(wpk, w, g.KH, g.KW, g.C, f)
			for _, beta := range []float32{0, 1} {
				y := append([]float32(nil), dy...)
				ConvDirect(y, beta, p, wpk, nil, g, f)
				out, check := convGuarded(t, len(bigDY))
				copy(out, bigDY)
				ConvDirectTo(out[yoff:], yps, yrs, beta, p, wpk, g, f)
				check()
				for i := range out {
					r, rem := i/yrs, i%yrs
					want := bigDY[i]
					if rem >= yoff && rem < yoff+g.OW*yps && (rem-yoff)%yps < f {
						q := (rem - yoff) / yps
						want = y[(r*g.OW+q)*f+(rem-yoff)%yps]
					}
					if out[i] != want {
						t.Fatalf("%s: beta %v: ConvDirectTo element %d = %v, want %v", name, beta, i, out[i], want)
					}
				}
			}
		}
	})
}

// The direct convolution and its kernel gradient give the same bits for any GOMAXPROCS.
func TestConvDirectDeterminism(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	g := ConvGeom{N: 16, H: 14, W: 14, C: 32, KH: 3, KW: 3, SH: 1, SW: 1, PT: 1, PL: 1, OH: 14, OW: 14}
	const f = 32
	x := randSlice(rng, g.N*g.H*g.W*g.C)
	w := randSlice(rng, g.K()*f)
	dy := randSlice(rng, g.N*g.OH*g.OW*f)
	p := make([]float32, DirectPadLen(g))
	wpk := make([]float32, DirectKernelLen(g.KH, g.KW, g.C, f))
	d := make([]float32, DirectGradLen(g, f))
	y := make([]float32, len(dy))
	dw := make([]float32, g.K()*f)
	run := func() string {
		PadDirect(p, x, g)
		PackDirectKernel(wpk, w, g.KH, g.KW, g.C, f)
		ConvDirect(y, 0, p, wpk, w[:f], g, f)
		SpreadDirect(d, dy, g, f)
		clear(dw)
		ConvDirectKernelGrad(dw, p, d, g, f)
		return fmt.Sprint(y, dw)
	}
	sameForAnyGOMAXPROCS(t, []int{2, 3, 5}, run)
}

func BenchmarkConvDirect(b *testing.B) {
	rng := rand.New(rand.NewPCG(25, 26))
	for _, s := range []struct {
		name           string
		n, h, c, f, kh int
	}{{"14x14x32x32", 128, 14, 32, 32, 3}, {"14x14x16x8", 128, 14, 16, 8, 3}, {"7x7x32x32", 128, 7, 32, 32, 3}} {
		g := ConvGeom{N: s.n, H: s.h, W: s.h, C: s.c, KH: 3, KW: 3, SH: 1, SW: 1, PT: 1, PL: 1, OH: s.h, OW: s.h}
		x := randSlice(rng, g.N*g.H*g.W*g.C)
		w := randSlice(rng, g.K()*s.f)
		dy := randSlice(rng, g.N*g.OH*g.OW*s.f)
		p := make([]float32, DirectPadLen(g))
		wpk := make([]float32, DirectKernelLen(g.KH, g.KW, g.C, s.f))
		d := make([]float32, DirectGradLen(g, s.f))
		y := make([]float32, len(dy))
		dw := make([]float32, g.K()*s.f)
		flops := 2 * float64(g.N*g.OH*g.OW*g.K()*s.f)
		PadDirect(p, x, g)
		PackDirectKernel(wpk, w, g.KH, g.KW, g.C, s.f)
		SpreadDirect(d, dy, g, s.f)
		b.Run("fwd_"+s.name, func(b *testing.B) {
			for range b.N {
				PadDirect(p, x, g)
				ConvDirect(y, 0, p, wpk, w[:s.f], g, s.f)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run("dW_"+s.name, func(b *testing.B) {
			for range b.N {
				SpreadDirect(d, dy, g, s.f)
				ConvDirectKernelGrad(dw, p, d, g, s.f)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
