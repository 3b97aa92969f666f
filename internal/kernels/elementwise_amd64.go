//go:build !noasm && amd64

package kernels

// Assembly kernels of elementwise.go (elementwise_amd64.s). Each reads and writes exactly n
// elements from the given pointers; an output may be the same slice as an input (element i
// is read before it is written), never a shifted copy of one.

//go:noescape
func expAsm(dst, src *float32, n int)

//go:noescape
func logAsm(dst, src *float32, n int)

//go:noescape
func sigmoidAsm(dst, src *float32, n int)

//go:noescape
func tanhAsm(dst, src *float32, n int)

//go:noescape
func reluAsm(dst, src *float32, n int)

//go:noescape
func scaleAsm(dst, src *float32, n int, s float32)

//go:noescape
func addAsm(dst, a, b *float32, n int)

//go:noescape
func axpyAsm(dst, x *float32, n int, alpha float32)

//go:noescape
func reluBackwardAsm(dz, dy, y *float32, n int)

//go:noescape
func sigmoidBackwardAsm(dz, dy, y *float32, n int)

//go:noescape
func tanhBackwardAsm(dz, dy, y *float32, n int)

// bceAsm returns Σ t·ln q + (1−t)·ln(1−q) (lanes summed in float64 in a fixed order) and
// writes the gradient to grad unless grad is nil.
//
//go:noescape
func bceAsm(t, p, grad *float32, n int) float64

//go:noescape
func rmspropAsm(w, grad, a *float32, n int, lr, rho, eps float32)

//go:noescape
func adamAsm(w, grad, m, v *float32, n int, lrT, beta1, beta2, eps float32)

//go:noescape
func adadeltaAsm(w, grad, a, d *float32, n int, lr, rho, eps float32)

// The kernels below take slices of equal length (checked by the callers) and run the
// assembly when useAsm is set, else the pure-Go loop.

func expK(dst, src []float32) {
	if useAsm && len(src) > 0 {
		expAsm(&dst[0], &src[0], len(src))
		return
	}
	expGo(dst, src)
}

func logK(dst, src []float32) {
	if useAsm && len(src) > 0 {
		logAsm(&dst[0], &src[0], len(src))
		return
	}
	logGo(dst, src)
}

func sigmoidK(dst, src []float32) {
	if useAsm && len(src) > 0 {
		sigmoidAsm(&dst[0], &src[0], len(src))
		return
	}
	sigmoidGo(dst, src)
}

func tanhK(dst, src []float32) {
	if useAsm && len(src) > 0 {
		tanhAsm(&dst[0], &src[0], len(src))
		return
	}
	tanhGo(dst, src)
}

func reluK(dst, src []float32) {
	if useAsm && len(src) > 0 {
		reluAsm(&dst[0], &src[0], len(src))
		return
	}
	reluGo(dst, src)
}

func scaleK(dst, src []float32, s float32) {
	if useAsm && len(src) > 0 {
		scaleAsm(&dst[0], &src[0], len(src), s)
		return
	}
	scaleGo(dst, src, s)
}

func addK(dst, a, b []float32) {
	if useAsm && len(a) > 0 {
		addAsm(&dst[0], &a[0], &b[0], len(a))
		return
	}
	addGo(dst, a, b)
}

func axpyK(dst []float32, alpha float32, x []float32) {
	if useAsm && len(x) > 0 {
		axpyAsm(&dst[0], &x[0], len(x), alpha)
		return
	}
	axpyGo(dst, alpha, x)
}

func reluBackwardK(dz, dy, y []float32) {
	if useAsm && len(y) > 0 {
		reluBackwardAsm(&dz[0], &dy[0], &y[0], len(y))
		return
	}
	reluBackwardGo(dz, dy, y)
}

func sigmoidBackwardK(dz, dy, y []float32) {
	if useAsm && len(y) > 0 {
		sigmoidBackwardAsm(&dz[0], &dy[0], &y[0], len(y))
		return
	}
	sigmoidBackwardGo(dz, dy, y)
}

func tanhBackwardK(dz, dy, y []float32) {
	if useAsm && len(y) > 0 {
		tanhBackwardAsm(&dz[0], &dy[0], &y[0], len(y))
		return
	}
	tanhBackwardGo(dz, dy, y)
}

func bceK(t, p, grad []float32) float64 {
	if useAsm && len(p) > 0 {
		var gp *float32
		if grad != nil {
			gp = &grad[0]
		}
		return -bceAsm(&t[0], &p[0], gp, len(p))
	}
	return bceGo(t, p, grad)
}

func rmspropK(w, g, a []float32, lr, rho, eps float32) {
	if useAsm && len(w) > 0 {
		rmspropAsm(&w[0], &g[0], &a[0], len(w), lr, rho, eps)
		return
	}
	rmspropGo(w, g, a, lr, rho, eps)
}

func adamK(w, g, m, v []float32, lrT, beta1, beta2, eps float32) {
	if useAsm && len(w) > 0 {
		adamAsm(&w[0], &g[0], &m[0], &v[0], len(w), lrT, beta1, beta2, eps)
		return
	}
	adamGo(w, g, m, v, lrT, beta1, beta2, eps)
}

func adadeltaK(w, g, a, d []float32, lr, rho, eps float32) {
	if useAsm && len(w) > 0 {
		adadeltaAsm(&w[0], &g[0], &a[0], &d[0], len(w), lr, rho, eps)
		return
	}
	adadeltaGo(w, g, a, d, lr, rho, eps)
}
