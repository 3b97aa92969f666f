//go:build noasm || !amd64

package kernels

// Without assembly, the single-filter kernels are the Go loops of conv_f1.go.

func convF1RowK(y, p, w []float32, ow, kh, kwc, rs, c int, bias float32, _ []float32) {
	convF1RowGo(y, p, w, ow, kh, kwc, rs, c, bias)
}
func convF1GradK(acc, p, dz []float32, rows, n, kwc, rs, c int) {
	convF1GradGo(acc, p, dz, rows, n, kwc, rs, c)
}
func convF1BackRowK(dx, d, wf []float32, w, kh, kw, c, rsd, beta int) {
	convF1BackRowGo(dx, d, wf, w, kh, kw, c, rsd, beta)
}
