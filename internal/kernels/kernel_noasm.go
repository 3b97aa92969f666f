//go:build noasm || !amd64

package kernels

// useAsm is false: this build has no assembly kernels.
var useAsm = false

func kernelPacked(k int, a, b, c []float32, ldc int, alpha, beta float32, n int) {
	kernelPackedGo(k, a, b, c, ldc, alpha, beta, n)
}

func kernelCols(k int, a []float32, lda int, b, c []float32, ldc int, alpha, beta float32, n int) {
	kernelColsGo(k, a, lda, b, c, ldc, alpha, beta, n)
}

func kernelRows(k int, a []float32, lda int, b, c []float32, ldc int, alpha, beta float32, n int) {
	kernelRowsGo(k, a, lda, b, c, ldc, alpha, beta, n)
}

func packRows16(dst, src []float32, lds, rows, n int) {
	packRows16Go(dst, src, lds, rows, n)
}

func packStrips6(dst []float32, str int, src []float32, lds, kc, strips int) {
	packStrips6Go(dst, str, src, lds, kc, strips)
}
