package kernels

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"fugo/internal/vmath"
)

// The VAE's shapes: a batch of 100 MNIST images (100×784), and its 403,972 parameters
// (784·256+256 + 2·(256·2+2) + 2·256+256 + 256·784+784).
const (
	benchImage  = 100 * 784
	benchParams = 784*256 + 256 + 2*(256*2+2) + 2*256 + 256 + 256*784 + 784
)

// benchVariants runs f as "after" (this package, all cores), "after_1core" (GOMAXPROCS 1)
// and, when scalar is not nil, "before" (the scalar loop it replaces), reporting ns/elem.
func benchVariants(b *testing.B, n int, f, scalar func()) {
	run := func(b *testing.B, g func()) {
		g()
		b.ReportAllocs()
		b.ResetTimer()
		start := time.Now()
		for range b.N {
			g()
		}
		b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
	}
	b.Run("after", func(b *testing.B) { run(b, f) })
	b.Run("after_1core", func(b *testing.B) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		run(b, f)
	})
	if scalar != nil {
		b.Run("before", func(b *testing.B) { run(b, scalar) })
	}
}

func benchData(n int, gen func(r *rand.Rand) float32) []float32 {
	r := rand.New(rand.NewPCG(1, uint64(n)))
	x := make([]float32, n)
	for i := range x {
		x[i] = gen(r)
	}
	return x
}

func normal(r *rand.Rand) float32 { return float32(r.NormFloat64() * 3) }
func prob(r *rand.Rand) float32   { return r.Float32() }

func BenchmarkElementwise(b *testing.B) {
	n := benchImage
	x, p, t := benchData(n, normal), benchData(n, prob), benchData(n, prob)
	y, grad := make([]float32, n), make([]float32, n)
	b.Run("Exp_100x784", func(b *testing.B) {
		benchVariants(b, n, func() { Exp(y, x) }, func() {
			for i, v := range x {
				y[i] = vmath.Exp(v)
			}
		})
	})
	b.Run("Log_100x784", func(b *testing.B) {
		benchVariants(b, n, func() { Log(y, p) }, func() {
			for i, v := range p {
				y[i] = vmath.Log(v)
			}
		})
	})
	b.Run("Sigmoid_100x784", func(b *testing.B) {
		// before: autodiff's sigmoid with math.Exp in float64
		benchVariants(b, n, func() { Sigmoid(y, x) }, func() {
			for i, z := range x {
				if z >= 0 {
					y[i] = 1 / (1 + float32(math.Exp(float64(-z))))
				} else {
					e := float32(math.Exp(float64(z)))
					y[i] = e / (1 + e)
				}
			}
		})
	})
	b.Run("Tanh_100x784", func(b *testing.B) {
		benchVariants(b, n, func() { Tanh(y, x) }, func() {
			for i, z := range x {
				y[i] = float32(math.Tanh(float64(z)))
			}
		})
	})
	b.Run("BinaryCrossentropy_100x784", func(b *testing.B) {
		// before: nn's forward loop (two math.Log per element) and its gradient loop
		var sink float64
		benchVariants(b, n, func() { sink += BinaryCrossentropy(t, p, grad) }, func() {
			const eps = 1e-7
			var sum float64
			for j := range p {
				q := min(max(p[j], eps), 1-eps)
				sum -= float64(t[j])*math.Log(float64(q)) + float64(1-t[j])*math.Log(float64(1-q))
			}
			for j := range p {
				q := min(max(p[j], eps), 1-eps)
				if q == p[j] {
					grad[j] = (q - t[j]) / (q * (1 - q))
				}
			}
			sink += sum
		})
		_ = sink
	})
	b.Run("SigmoidBackward_100x784", func(b *testing.B) {
		benchVariants(b, n, func() { SigmoidBackward(y, x, p) }, func() {
			for i, v := range p {
				y[i] = x[i] * v * (1 - v)
			}
		})
	})
	b.Run("ReLUBackward_100x784", func(b *testing.B) {
		benchVariants(b, n, func() { ReLUBackward(y, p, x) }, func() {
			for i, v := range x {
				if v > 0 {
					y[i] = p[i]
				} else {
					y[i] = 0
				}
			}
		})
	})
	bias := benchData(784, normal)
	b.Run("BiasActivate_sigmoid_100x784", func(b *testing.B) {
		benchVariants(b, n, func() { copy(y, x); BiasActivate(y, bias, ActSigmoid) }, nil)
	})
	b.Run("BiasActivate_relu_100x784", func(b *testing.B) {
		benchVariants(b, n, func() { copy(y, x); BiasActivate(y, bias, ActReLU) }, nil)
	})
	b.Run("ColumnSums_100x784", func(b *testing.B) {
		benchVariants(b, n, func() { ColumnSums(bias, x, 100, 784) }, func() {
			for r := range 100 {
				row := x[r*784 : r*784+784]
				for j, v := range row {
					bias[j] += v
				}
			}
		})
	})
}

func BenchmarkOptimizers(b *testing.B) {
	n := benchParams
	w, g := benchData(n, normal), make([]float32, n)
	s1, s2 := benchData(n, prob), benchData(n, prob)
	sqrt := func(x float32) float32 { return float32(math.Sqrt(float64(x))) }
	b.Run("RMSprop_403k", func(b *testing.B) {
		// before: optim.RMSprop.Step's loop
		benchVariants(b, n, func() { RMSpropUpdate(w, g, s1, 1e-3, 0.9, 1e-7) }, func() {
			lr, rho, eps := float32(1e-3), float32(0.9), float32(1e-7)
			for j := range w {
				s1[j] = rho*s1[j] + (1-rho)*g[j]*g[j]
				w[j] -= lr * g[j] / (sqrt(s1[j]) + eps)
				g[j] = 0
			}
		})
	})
	b.Run("Adam_403k", func(b *testing.B) {
		benchVariants(b, n, func() { AdamUpdate(w, g, s1, s2, 1e-3, 0.9, 0.999, 1e-7) }, func() {
			lr, b1, b2, eps := float32(1e-3), float32(0.9), float32(0.999), float32(1e-7)
			for j := range w {
				s1[j] = b1*s1[j] + (1-b1)*g[j]
				s2[j] = b2*s2[j] + (1-b2)*g[j]*g[j]
				w[j] -= lr * s1[j] / (sqrt(s2[j]) + eps)
				g[j] = 0
			}
		})
	})
	b.Run("Adadelta_403k", func(b *testing.B) {
		benchVariants(b, n, func() { AdadeltaUpdate(w, g, s1, s2, 1, 0.95, 1e-7) }, func() {
			lr, rho, eps := float32(1), float32(0.95), float32(1e-7)
			for j := range w {
				s1[j] = rho*s1[j] + (1-rho)*g[j]*g[j]
				delta := g[j] * sqrt(s2[j]+eps) / sqrt(s1[j]+eps)
				w[j] -= lr * delta
				s2[j] = rho*s2[j] + (1-rho)*delta*delta
				g[j] = 0
			}
		})
	})
}
