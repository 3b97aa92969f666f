package kernels

import (
	"math/rand/v2"
	"testing"
	"time"
)

// benchShapes are the model's shapes: the VAE's dense layers (forward, weight gradient
// with transA, input gradient with transB), its latent layer, and im2col convolutions.
var benchShapes = []struct {
	name           string
	transA, transB bool
	m, n, k        int
	beta           float32
}{
	{"fwd_100x784x256", false, false, 100, 256, 784, 0},
	{"fwd_100x256x784", false, false, 100, 784, 256, 0},
	{"dW_784x100x256_tA", true, false, 784, 256, 100, 1},
	{"dW_256x100x784_tA", true, false, 256, 784, 100, 1},
	{"dX_100x256x784_tB", false, true, 100, 784, 256, 0},
	{"dX_100x784x256_tB", false, true, 100, 256, 784, 0},
	{"latent_100x256x2", false, false, 100, 2, 256, 0},
	{"latent_100x2x256", false, false, 100, 256, 2, 0},
	{"latent_dW_256x100x2_tA", true, false, 256, 2, 100, 1},
	{"conv_100352x9x16", false, false, 100352, 16, 9, 0},
	{"conv_100352x144x16", false, false, 100352, 16, 144, 0},
	{"conv_100352x72x8", false, false, 100352, 8, 72, 0},
	{"conv_100352x144x32", false, false, 100352, 32, 144, 0},
	{"conv_dW_144x100352x16_tA", true, false, 144, 16, 100352, 1},
	{"conv_dW_9x100352x16_tA", true, false, 9, 16, 100352, 1},
	{"conv_dW_72x100352x8_tA", true, false, 72, 8, 100352, 1},
	{"conv_dX_100352x16x144_tB", false, true, 100352, 144, 16, 0},
}

func BenchmarkGemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, s := range benchShapes {
		b.Run(s.name, func(b *testing.B) {
			lda, ldb := s.k, s.n
			if s.transA {
				lda = s.m
			}
			if s.transB {
				ldb = s.k
			}
			x := make([]float32, s.m*s.k)
			y := make([]float32, s.k*s.n)
			c := make([]float32, s.m*s.n)
			for i := range x {
				x[i] = rng.Float32()
			}
			for i := range y {
				y[i] = rng.Float32()
			}
			Gemm(s.transA, s.transB, s.m, s.n, s.k, 1, x, lda, y, ldb, s.beta, c, s.n)
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				Gemm(s.transA, s.transB, s.m, s.n, s.k, 1, x, lda, y, ldb, s.beta, c, s.n)
			}
			sec := time.Since(start).Seconds()
			b.ReportMetric(2*float64(s.m)*float64(s.n)*float64(s.k)*float64(b.N)/sec/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkKernel measures the micro-kernels alone on L1-resident strips (k = 256).
func BenchmarkKernel(b *testing.B) {
	const k = 256
	a := make([]float32, k*MR*8)
	bb := make([]float32, k*NR)
	c := make([]float32, MR*64)
	for i := range a {
		a[i] = 1e-3
	}
	for i := range bb {
		bb[i] = 1e-3
	}
	report := func(b *testing.B, start time.Time) {
		b.ReportMetric(2*MR*NR*k*float64(b.N)/time.Since(start).Seconds()/1e9, "GFLOP/s")
	}
	b.Run("packed", func(b *testing.B) {
		start := time.Now()
		for i := 0; i < b.N; i++ {
			kernelPacked(k, a, bb, c, 64, 1, 1, NR)
		}
		report(b, start)
	})
	b.Run("rows", func(b *testing.B) {
		start := time.Now()
		for i := 0; i < b.N; i++ {
			kernelRows(k, a, k, bb, c, 64, 1, 1, NR)
		}
		report(b, start)
	})
}
