package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// refF1Up is the fused single-filter upsampling convolution of x [N, H, W, C] with the phase
// kernels wab [4, 2, 2, C], its phase-kernel gradient and its input gradient for dz
// [N, 2H, 2W], in float64 from the formulas of conv_f1up.go (output pixel (2oy+a, 2ox+b)
// reads x[oy+a+t−1, ox+b+u−1] with wab[2a+b, t, u]).
func refF1Up(x, wab, dz []float32, bias float32, n, h, w, c int) (y, dwab, dx []float64) {
	y, dwab, dx = make([]float64, 4*n*h*w), make([]float64, 16*c), make([]float64, n*h*w*c)
	for b := 0; b < n; b++ {
		for yy := 0; yy < 2*h; yy++ {
			for xx := 0; xx < 2*w; xx++ {
				oy, a, ox, bb := yy/2, yy%2, xx/2, xx%2
				out := (b*2*h+yy)*2*w + xx
				s := float64(bias)
				for t := 0; t < 2; t++ {
					for u := 0; u < 2; u++ {
						sy, sx := oy+a+t-1, ox+bb+u-1
						if sy < 0 || sy >= h || sx < 0 || sx >= w {
							continue
						}
						for ch := 0; ch < c; ch++ {
							xi := ((b*h+sy)*w+sx)*c + ch
							wi := ((2*a+bb)*4+2*t+u)*c + ch
							s += float64(x[xi]) * float64(wab[wi])
							dwab[wi] += float64(x[xi]) * float64(dz[out])
							dx[xi] += float64(wab[wi]) * float64(dz[out])
						}
					}
				}
				y[out] = s
			}
		}
	}
	return y, dwab, dx
}

// f1UpShapes (n, h, w, c): 1-pixel images, rows narrower than 8, not a multiple of 8, wider
// than one chunk of the workspace tile (f1UpChunk), channel counts the assembly takes (8,
// 16, 32: kernel-gradient bands of 48 and 8) and that it leaves to Go (3, 5); the last ones
// run in parallel.
var f1UpShapes = [][4]int{
	{1, 1, 1, 8}, {1, 3, 5, 8}, {2, 5, 7, 3}, {1, 7, 9, 16}, {2, 6, 13, 24}, {1, 2, 97, 8},
	{2, 5, 11, 5}, {3, 4, 12, 32}, {8, 14, 14, 32}, {5, 15, 13, 16},
}

func TestConvF1Up(t *testing.T) {
	bothKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(41, 42))
		for _, s := range f1UpShapes {
			n, h, w, c := s[0], s[1], s[2], s[3]
			g := F1UpGeom(n, h, w, c)
			name := fmt.Sprint(s)
			x := randSlice(rng, n*h*w*c)
			wab := randSlice(rng, 16*c)
			dz := randSlice(rng, 4*n*h*w)
			bias := rng.Float32() - 0.5
			wantY, wantDW, wantDX := refF1Up(x, wab, dz, bias, n, h, w, c)
			tol := func(v float64, k int) float64 { return 1e-5 * (1 + math.Abs(v)) * math.Sqrt(float64(k)) }

			p := make([]float32, DirectPadLen(g))
			PadDirect(p, x, g)
			y, check := convGuarded(t, len(wantY))
			for i := range y {
				y[i] = float32(math.NaN())
			}
			ConvF1Up(y, p, wab, bias, g)
			check()
			for i := range y {
				if !(math.Abs(float64(y[i])-wantY[i]) <= tol(wantY[i], 4*c)) {
					t.Fatalf("%s: y[%d] = %v, want %v", name, i, y[i], wantY[i])
				}
			}

			dw, checkW := convGuarded(t, len(wantDW))
			init := randSlice(rng, len(dw))
			copy(dw, init)
			part := make([]float32, F1UpPartLen(g))
			for i := range part {
				part[i] = float32(math.NaN()) // written before use
			}
			ConvF1UpKernelGrad(dw, p, dz, part, g)
			checkW()
			for i := range dw {
				want := float64(init[i]) + wantDW[i]
				if !(math.Abs(float64(dw[i])-want) <= tol(want, n*h*w)) {
					t.Fatalf("%s: dwab[%d] = %v, want %v", name, i, dw[i], want)
				}
			}

			d := make([]float32, F1UpBackLen(g))
			for i := range d {
				d[i] = float32(math.NaN()) // written before use
			}
			dx, checkX := convGuarded(t, len(wantDX))
			for i := range dx {
				dx[i] = float32(math.NaN()) // not read with beta 0
			}
			ConvF1UpInputGrad(dx, 0, dz, d, wab, g)
			checkX()
			for i := range dx {
				if !(math.Abs(float64(dx[i])-wantDX[i]) <= tol(wantDX[i], 16)) {
					t.Fatalf("%s: dx[%d] = %v, want %v", name, i, dx[i], wantDX[i])
				}
			}
			ConvF1UpInputGrad(dx, 1, dz, d, wab, g)
			checkX()
			for i := range dx {
				if !(math.Abs(float64(dx[i])-2*wantDX[i]) <= 2*tol(wantDX[i], 16)) {
					t.Fatalf("%s: beta 1: dx[%d] = %v, want %v", name, i, dx[i], 2*wantDX[i])
				}
			}
		}
	})
}

// The fused single-filter upsampling kernels give the same bits for any GOMAXPROCS.
func TestConvF1UpDeterminism(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	g := F1UpGeom(16, 14, 14, 32)
	x := randSlice(rng, g.N*g.H*g.W*g.C)
	wab := randSlice(rng, 16*g.C)
	dz := randSlice(rng, 4*g.N*g.H*g.W)
	p, d := make([]float32, DirectPadLen(g)), make([]float32, F1UpBackLen(g))
	y, dw, dx := make([]float32, len(dz)), make([]float32, 16*g.C), make([]float32, len(x))
	part := make([]float32, F1UpPartLen(g))
	run := func() string {
		PadDirect(p, x, g)
		ConvF1Up(y, p, wab, 0.25, g)
		clear(dw)
		ConvF1UpKernelGrad(dw, p, dz, part, g)
		ConvF1UpInputGrad(dx, 0, dz, d, wab, g)
		return fmt.Sprint(y, dw, dx)
	}
	sameForAnyGOMAXPROCS(t, []int{2, 3, 5}, run)
}
