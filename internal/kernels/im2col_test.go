package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

var im2colGeoms = []ConvGeom{
	{N: 1, H: 5, W: 7, C: 1, KH: 3, KW: 3, SH: 1, SW: 1, PT: 1, PL: 1, OH: 5, OW: 7},
	{N: 2, H: 7, W: 7, C: 3, KH: 3, KW: 3, SH: 2, SW: 2, PT: 1, PL: 1, OH: 4, OW: 4},
	{N: 3, H: 3, W: 1, C: 2, KH: 3, KW: 1, SH: 1, SW: 1, PT: 1, PL: 0, OH: 3, OW: 1},
	{N: 2, H: 6, W: 5, C: 4, KH: 2, KW: 3, SH: 1, SW: 2, PT: 0, PL: 0, OH: 5, OW: 2},
	{N: 1, H: 4, W: 4, C: 5, KH: 1, KW: 1, SH: 1, SW: 1, PT: 0, PL: 0, OH: 4, OW: 4},
	{N: 4, H: 28, W: 28, C: 16, KH: 3, KW: 3, SH: 1, SW: 1, PT: 1, PL: 1, OH: 28, OW: 28}, // parallel
	{N: 2, H: 9, W: 9, C: 2, KH: 5, KW: 5, SH: 1, SW: 1, PT: 3, PL: 3, OH: 11, OW: 11},    // padding > half the window
	// One channel (im2colRowsC1): 3×3 same, strided, 1×3 (the row-tap sweep), 5×5 with wide padding, parallel.
	{N: 2, H: 5, W: 6, C: 1, KH: 3, KW: 3, SH: 1, SW: 1, PT: 1, PL: 1, OH: 5, OW: 6},
	{N: 2, H: 7, W: 7, C: 1, KH: 3, KW: 3, SH: 2, SW: 2, PT: 1, PL: 1, OH: 4, OW: 4},
	{N: 3, H: 4, W: 5, C: 1, KH: 1, KW: 3, SH: 1, SW: 1, PT: 1, PL: 1, OH: 6, OW: 5},
	{N: 1, H: 3, W: 2, C: 1, KH: 5, KW: 5, SH: 1, SW: 1, PT: 3, PL: 3, OH: 5, OW: 4},
	{N: 64, H: 28, W: 28, C: 1, KH: 3, KW: 3, SH: 1, SW: 1, PT: 1, PL: 1, OH: 28, OW: 28},
}

// refIm2col is the doc comment's loop.
func refIm2col(src []float32, g ConvGeom) []float32 {
	k := g.K()
	dst := make([]float32, g.Rows()*k)
	for b := 0; b < g.N; b++ {
		for oy := 0; oy < g.OH; oy++ {
			for ox := 0; ox < g.OW; ox++ {
				for i := 0; i < g.KH; i++ {
					for j := 0; j < g.KW; j++ {
						for ch := 0; ch < g.C; ch++ {
							y, x := oy*g.SH+i-g.PT, ox*g.SW+j-g.PL
							var v float32
							if y >= 0 && y < g.H && x >= 0 && x < g.W {
								v = src[((b*g.H+y)*g.W+x)*g.C+ch]
							}
							dst[((b*g.OH+oy)*g.OW+ox)*k+(i*g.KW+j)*g.C+ch] = v
						}
					}
				}
			}
		}
	}
	return dst
}

func TestIm2col(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, g := range im2colGeoms {
		t.Run(fmt.Sprintf("%+v", g), func(t *testing.T) {
			src := make([]float32, g.N*g.H*g.W*g.C)
			for i := range src {
				src[i] = rng.Float32() + 0.5
			}
			want := refIm2col(src, g)
			// Guard band past the end and garbage inside: every element must be written.
			got := make([]float32, len(want)+9)
			for i := range got {
				got[i] = sentinel
			}
			Im2col(got, src, g)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("element %d: got %v, want %v", i, got[i], want[i])
				}
			}
			for i := len(want); i < len(got); i++ {
				if got[i] != sentinel {
					t.Fatalf("wrote past the end at %d", i)
				}
			}
		})
	}
}

// Col2im is the adjoint of Im2col: ⟨Im2col(x), c⟩ = ⟨x, Col2im(c)⟩, and it accumulates.
func TestCol2imAdjoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	for _, g := range im2colGeoms {
		x := make([]float32, g.N*g.H*g.W*g.C)
		c := make([]float32, g.Rows()*g.K())
		for i := range x {
			x[i] = 2*rng.Float32() - 1
		}
		for i := range c {
			c[i] = 2*rng.Float32() - 1
		}
		cols := refIm2col(x, g)
		var lhs, rhs float64
		for i := range c {
			lhs += float64(cols[i]) * float64(c[i])
		}
		back := make([]float32, len(x))
		for i := range back {
			back[i] = 1
		}
		Col2im(back, c, g)
		for i := range x {
			rhs += float64(x[i]) * float64(back[i]-1)
		}
		if math.Abs(lhs-rhs) > 1e-4*(1+math.Abs(lhs)) {
			t.Errorf("%+v: ⟨im2col x, c⟩ = %v, ⟨x, col2im c⟩ = %v", g, lhs, rhs)
		}
	}
}

func TestIm2colAllocatesNothing(t *testing.T) {
	g := im2colGeoms[5]
	src := make([]float32, g.N*g.H*g.W*g.C)
	dst := make([]float32, g.Rows()*g.K())
	Im2col(dst, src, g)
	if n := testing.AllocsPerRun(10, func() { Im2col(dst, src, g) }); n != 0 {
		t.Errorf("Im2col allocates %v times per call", n)
	}
}

func BenchmarkIm2col(b *testing.B) {
	for _, g := range []ConvGeom{
		{N: 128, H: 28, W: 28, C: 1, KH: 3, KW: 3, SH: 1, SW: 1, PT: 1, PL: 1, OH: 28, OW: 28},
		{N: 128, H: 14, W: 14, C: 16, KH: 3, KW: 3, SH: 1, SW: 1, PT: 1, PL: 1, OH: 14, OW: 14},
		{N: 128, H: 28, W: 28, C: 16, KH: 3, KW: 3, SH: 1, SW: 1, PT: 1, PL: 1, OH: 28, OW: 28},
	} {
		b.Run(fmt.Sprintf("%dx%dx%dx%d", g.N, g.H, g.W, g.C), func(b *testing.B) {
			src := make([]float32, g.N*g.H*g.W*g.C)
			dst := make([]float32, g.Rows()*g.K())
			b.ReportAllocs()
			b.SetBytes(int64(4 * len(dst)))
			for range b.N {
				Im2col(dst, src, g)
			}
		})
	}
}
