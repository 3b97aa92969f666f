package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// refF1 is the single-filter convolution of x [N, H, W, C] with w [KH, KW, C], its kernel
// gradient and its input gradient for dz [N, OH, OW], in float64 from the formulas.
func refF1(x, w, dz []float32, bias float32, g ConvGeom) (y, dw, dx []float64) {
	y, dw, dx = make([]float64, g.N*g.OH*g.OW), make([]float64, g.K()), make([]float64, g.N*g.H*g.W*g.C)
	for b := 0; b < g.N; b++ {
		for oy := 0; oy < g.OH; oy++ {
			for ox := 0; ox < g.OW; ox++ {
				out := (b*g.OH+oy)*g.OW + ox
				s := float64(bias)
				for i := 0; i < g.KH; i++ {
					for j := 0; j < g.KW; j++ {
						sy, sx := oy+i-g.PT, ox+j-g.PL
						if sy < 0 || sy >= g.H || sx < 0 || sx >= g.W {
							continue
						}
						for c := 0; c < g.C; c++ {
							xi := ((b*g.H+sy)*g.W+sx)*g.C + c
							wi := (i*g.KW+j)*g.C + c
							s += float64(x[xi]) * float64(w[wi])
							dw[wi] += float64(x[xi]) * float64(dz[out])
							dx[xi] += float64(w[wi]) * float64(dz[out])
						}
					}
				}
				y[out] = s
			}
		}
	}
	return y, dw, dx
}

// f1Shapes: odd sizes, rows narrower than 8, wider than 8 and not a multiple, exact
// multiples of 8 and 4; same and valid padding, even kernels, channel counts that the
// assembly takes (8, 16, 24, 32, 56: bands of 48 and of 8) and that it leaves to Go (3, 5);
// the last ones are large enough to run in parallel.
var f1Shapes = []directShape{
	{1, 1, 1, 8, 1, 1, 1, true},
	{1, 3, 5, 8, 3, 3, 1, true},
	{2, 5, 7, 3, 3, 3, 1, true},
	{1, 7, 9, 16, 3, 3, 1, true},
	{2, 6, 13, 24, 3, 2, 1, true},
	{1, 9, 8, 32, 3, 3, 1, false},
	{2, 5, 11, 5, 2, 3, 1, false},
	{1, 6, 17, 56, 3, 3, 1, true},
	{3, 4, 12, 16, 5, 5, 1, true},
	{8, 28, 28, 16, 3, 3, 1, true},
	{5, 29, 27, 32, 3, 3, 1, true},
}

func TestConvF1(t *testing.T) {
	bothKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(31, 32))
		for _, s := range f1Shapes {
			g := s.geom()
			name := fmt.Sprintf("%+v", s)
			x := randSlice(rng, g.N*g.H*g.W*g.C)
			w := randSlice(rng, g.K())
			dz := randSlice(rng, g.N*g.OH*g.OW)
			bias := rng.Float32() - 0.5
			wantY, wantDW, wantDX := refF1(x, w, dz, bias, g)
			tol := func(v float64, n int) float64 { return 1e-5 * (1 + math.Abs(v)) * math.Sqrt(float64(n)) }

			p := make([]float32, DirectPadLen(g))
			PadDirect(p, x, g)
			y, check := convGuarded(t, len(wantY))
			for i := range y {
				y[i] = float32(math.NaN())
			}
			ConvF1(y, p, w, bias, g)
			check()
			for i := range y {
				if !(math.Abs(float64(y[i])-wantY[i]) <= tol(wantY[i], g.K())) {
					t.Fatalf("%s: y[%d] = %v, want %v", name, i, y[i], wantY[i])
				}
			}

			dw, checkW := convGuarded(t, len(wantDW))
			init := randSlice(rng, len(dw))
			copy(dw, init)
			part := make([]float32, F1PartLen(g))
			for i := range part {
				part[i] = float32(math.NaN()) // cleared before use
			}
			ConvF1KernelGrad(dw, p, dz, part, g)
			checkW()
			for i := range dw {
				want := float64(init[i]) + wantDW[i]
				if !(math.Abs(float64(dw[i])-want) <= tol(want, g.N*g.OH*g.OW)) {
					t.Fatalf("%s: dw[%d] = %v, want %v", name, i, dw[i], want)
				}
			}

			bg := F1BackGeom(g)
			d := make([]float32, DirectPadLen(bg))
			PadDirect(d, dz, bg)
			dx, checkX := convGuarded(t, len(wantDX))
			for i := range dx {
				dx[i] = float32(math.NaN()) // not read with beta 0
			}
			ConvF1InputGrad(dx, 0, d, w, g)
			checkX()
			for i := range dx {
				if !(math.Abs(float64(dx[i])-wantDX[i]) <= tol(wantDX[i], g.KH*g.KW)) {
					t.Fatalf("%s: dx[%d] = %v, want %v", name, i, dx[i], wantDX[i])
				}
			}
			ConvF1InputGrad(dx, 1, d, w, g)
			checkX()
			for i := range dx {
				if !(math.Abs(float64(dx[i])-2*wantDX[i]) <= 2*tol(wantDX[i], g.KH*g.KW)) {
					t.Fatalf("%s: beta 1: dx[%d] = %v, want %v", name, i, dx[i], 2*wantDX[i])
				}
			}
		}
	})
}

// The single-filter kernels give the same bits for any GOMAXPROCS.
func TestConvF1Determinism(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	g := ConvGeom{N: 16, H: 28, W: 28, C: 16, KH: 3, KW: 3, SH: 1, SW: 1, PT: 1, PL: 1, OH: 28, OW: 28}
	x := randSlice(rng, g.N*g.H*g.W*g.C)
	w := randSlice(rng, g.K())
	dz := randSlice(rng, g.N*g.OH*g.OW)
	bg := F1BackGeom(g)
	p, d := make([]float32, DirectPadLen(g)), make([]float32, DirectPadLen(bg))
	y, dw, dx := make([]float32, len(dz)), make([]float32, g.K()), make([]float32, len(x))
	part := make([]float32, F1PartLen(g))
	run := func() string {
		PadDirect(p, x, g)
		ConvF1(y, p, w, 0.25, g)
		clear(dw)
		ConvF1KernelGrad(dw, p, dz, part, g)
		PadDirect(d, dz, bg)
		ConvF1InputGrad(dx, 0, d, w, g)
		return fmt.Sprint(y, dw, dx)
	}
	sameForAnyGOMAXPROCS(t, []int{2, 3, 5}, run)
}

func BenchmarkConvF1(b *testing.B) {
	rng := rand.New(rand.NewPCG(35, 36))
	for _, c := range []int{16, 32} {
		g := ConvGeom{N: 128, H: 28, W: 28, C: c, KH: 3, KW: 3, SH: 1, SW: 1, PT: 1, PL: 1, OH: 28, OW: 28}
		x := randSlice(rng, g.N*g.H*g.W*g.C)
		w := randSlice(rng, g.K())
		dz := randSlice(rng, g.N*g.OH*g.OW)
		bg := F1BackGeom(g)
		p, d := make([]float32, DirectPadLen(g)), make([]float32, DirectPadLen(bg))
		y, dw, dx := make([]float32, len(dz)), make([]float32, g.K()), make([]float32, len(x))
		part := make([]float32, F1PartLen(g))
		flops := 2 * float64(g.N*g.OH*g.OW*g.K())
		name := fmt.Sprintf("28x28x%d", c)
		b.Run("fwd_"+name, func(b *testing.B) {
			for range b.N {
				PadDirect(p, x, g)
				ConvF1(y, p, w, 0, g)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run("dW_"+name, func(b *testing.B) {
			for range b.N {
				ConvF1KernelGrad(dw, p, dz, part, g)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run("dX_"+name, func(b *testing.B) {
			for range b.N {
				PadDirect(d, dz, bg)
				ConvF1InputGrad(dx, 0, d, w, g)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
