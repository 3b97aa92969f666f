package kernels

import (
	"math"

	"fugo/internal/vmath"
)

// Pure-Go elementwise loops: the fallback for -tags noasm and CPUs without AVX2/FMA, and
// the tests' oracle. The explicit float32 conversions forbid fused multiply-adds, so the
// assembly, which rounds every product, reproduces the optimizer and backward loops bit
// for bit.

func expGo(dst, src []float32) {
	dst = dst[:len(src)]
	for i, x := range src {
		dst[i] = vmath.Exp(x)
	}
}

func logGo(dst, src []float32) {
	dst = dst[:len(src)]
	for i, x := range src {
		dst[i] = vmath.Log(x)
	}
}

// sigmoid32 is 1/(1+e^−z): 0 below about −88.7 (e^−z overflows), 1 above about 17.
func sigmoid32(z float32) float32 { return 1 / (1 + vmath.Exp(-z)) }

func sigmoidGo(dst, src []float32) {
	dst = dst[:len(src)]
	for i, x := range src {
		dst[i] = sigmoid32(x)
	}
}

// tanh32 is Cephes' tanhf on a = |x|: a + a·z·P(z), z = a², for a ≤ 0.625, else
// 1 − 2/(e^{2a}+1); then the sign of x (so tanh(−0) = −0).
func tanh32(x float32) float32 {
	const sign = 1 << 31
	a := math.Float32frombits(math.Float32bits(x) &^ sign)
	var r float32
	if a <= 0.625 {
		z := float32(a * a)
		p := float32(float32(float32(float32(-5.70498872745e-3*z)+2.06390887954e-2)*z-5.37397155531e-2)*z+1.33314422036e-1)*z - 3.33332819422e-1
		r = float32(float32(p*z)*a) + a
	} else {
		r = 1 - 2/(vmath.Exp(a+a)+1)
	}
	return math.Float32frombits(math.Float32bits(r) | math.Float32bits(x)&sign)
}

func tanhGo(dst, src []float32) {
	dst = dst[:len(src)]
	for i, x := range src {
		dst[i] = tanh32(x)
	}
}

func reluGo(dst, src []float32) {
	dst = dst[:len(src)]
	for i, x := range src {
		if x <= 0 {
			x = 0 // NaN stays NaN
		}
		dst[i] = x
	}
}

func scaleGo(dst, src []float32, s float32) {
	dst = dst[:len(src)]
	for i, x := range src {
		dst[i] = s * x
	}
}

func addGo(dst, a, b []float32) {
	dst, b = dst[:len(a)], b[:len(a)]
	for i, x := range a {
		dst[i] = x + b[i]
	}
}

func axpyGo(dst []float32, alpha float32, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] += float32(alpha * v)
	}
}

func reluBackwardGo(dz, dy, y []float32) {
	dz, dy = dz[:len(y)], dy[:len(y)]
	for i, v := range y {
		if v > 0 {
			dz[i] = dy[i]
		} else {
			dz[i] = 0
		}
	}
}

func sigmoidBackwardGo(dz, dy, y []float32) {
	dz, dy = dz[:len(y)], dy[:len(y)]
	for i, v := range y {
		dz[i] = float32(dy[i]*v) * (1 - v)
	}
}

func tanhBackwardGo(dz, dy, y []float32) {
	dz, dy = dz[:len(y)], dy[:len(y)]
	for i, v := range y {
		dz[i] = dy[i] * (1 - float32(v*v))
	}
}

// BCE clip bounds, as float32 (Keras: clip(p, ε, 1−ε), ε = 1e-7, in float32).
const (
	bceLo float32 = 1e-7
	bceHi float32 = 1 - 1e-7
)

// bceGo returns −Σ t·ln q + (1−t)·ln(1−q), q = clip(p, bceLo, bceHi), summed in float64 in
// index order, and writes grad (unless nil) as BinaryCrossentropy documents.
func bceGo(t, p, grad []float32) float64 {
	t = t[:len(p)]
	if grad != nil {
		grad = grad[:len(p)]
	}
	var sum float64
	for j, pj := range p {
		q := min(max(pj, bceLo), bceHi)
		tj := t[j]
		u := 1 - q
		sum += float64(float32(tj*vmath.Log(q)) + float32((1-tj)*vmath.Log(u)))
		if grad != nil {
			if q == pj {
				grad[j] = (q - tj) / float32(q*u)
			} else {
				grad[j] = 0
			}
		}
	}
	return -sum
}

func rmspropGo(w, g, a []float32, lr, rho, eps float32) {
	g, a = g[:len(w)], a[:len(w)]
	omr := 1 - rho
	for j := range w {
		gj := g[j]
		aj := float32(rho*a[j]) + float32(float32(omr*gj)*gj)
		a[j] = aj
		w[j] -= float32(lr*gj) / (sqrt32(aj) + eps)
		g[j] = 0
	}
}

func adamGo(w, g, m, v []float32, lrT, beta1, beta2, eps float32) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	omb1, omb2 := 1-beta1, 1-beta2
	for j := range w {
		gj := g[j]
		mj := float32(beta1*m[j]) + float32(omb1*gj)
		vj := float32(beta2*v[j]) + float32(float32(omb2*gj)*gj)
		m[j], v[j] = mj, vj
		w[j] -= float32(lrT*mj) / (sqrt32(vj) + eps)
		g[j] = 0
	}
}

func adadeltaGo(w, g, a, d []float32, lr, rho, eps float32) {
	g, a, d = g[:len(w)], a[:len(w)], d[:len(w)]
	omr := 1 - rho
	for j := range w {
		gj := g[j]
		aj := float32(rho*a[j]) + float32(float32(omr*gj)*gj)
		a[j] = aj
		delta := float32(gj*sqrt32(d[j]+eps)) / sqrt32(aj+eps)
		w[j] -= float32(lr * delta)
		d[j] = float32(rho*d[j]) + float32(float32(omr*delta)*delta)
		g[j] = 0
	}
}

// sqrt32 is the correctly rounded float32 square root (as VSQRTPS): rounding the float64
// root to float32 never double-rounds.
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
