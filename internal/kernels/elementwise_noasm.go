//go:build noasm || !amd64

package kernels

// Without assembly, the elementwise kernels are the pure-Go loops of elementwise_go.go.

func expK(dst, src []float32)                         { expGo(dst, src) }
func logK(dst, src []float32)                         { logGo(dst, src) }
func sigmoidK(dst, src []float32)                     { sigmoidGo(dst, src) }
func tanhK(dst, src []float32)                        { tanhGo(dst, src) }
func reluK(dst, src []float32)                        { reluGo(dst, src) }
func scaleK(dst, src []float32, s float32)            { scaleGo(dst, src, s) }
func addK(dst, a, b []float32)                        { addGo(dst, a, b) }
func axpyK(dst []float32, alpha float32, x []float32) { axpyGo(dst, alpha, x) }
func reluBackwardK(dz, dy, y []float32)               { reluBackwardGo(dz, dy, y) }
func sigmoidBackwardK(dz, dy, y []float32)            { sigmoidBackwardGo(dz, dy, y) }
func tanhBackwardK(dz, dy, y []float32)               { tanhBackwardGo(dz, dy, y) }
func bceK(t, p, grad []float32) float64               { return bceGo(t, p, grad) }

func rmspropK(w, g, a []float32, lr, rho, eps float32) { rmspropGo(w, g, a, lr, rho, eps) }

func adamK(w, g, m, v []float32, lrT, beta1, beta2, eps float32) {
	adamGo(w, g, m, v, lrT, beta1, beta2, eps)
}

func adadeltaK(w, g, a, d []float32, lr, rho, eps float32) {
	adadeltaGo(w, g, a, d, lr, rho, eps)
}
