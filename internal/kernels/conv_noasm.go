//go:build noasm || !amd64

package kernels

// Without assembly, the convolution-layer kernels are the Go loops of conv.go.

func biasReluK(y, pat []float32, nblk, p int)         { biasReluGo(y, pat, nblk, p) }
func reluBackBiasK(dz, y, acc []float32, nblk, p int) { reluBackBiasGo(dz, y, acc, nblk, p) }
func colSumK(m, acc []float32, nblk, p int)           { colSumGo(m, acc, nblk, p) }
func maxPool2K(y, idx, r0, r1 []float32, fw, c int)   { maxPool2Go(y, idx, r0, r1, fw, c) }
func maxPool2BackK(d0, d1, g, idx []float32, fw, c, assign int) {
	maxPool2BackGo(d0, d1, g, idx, fw, c, assign)
}
func upBack2K(dx, g0, g1 []float32, w, c, assign int) { upBack2Go(dx, g0, g1, w, c, assign) }
func c1RowK(y, r, w, bias []float32, wd, f int)       { c1RowGo(y, r, w, bias, wd, f) }
func c1BackRowK(acc, dy, y, r []float32, wd, f int)   { c1BackRowGo(acc, dy, y, r, wd, f) }
