//go:build noasm || !amd64

package kernels

func convRows8K(c, a, b []float32, kh, kwc, lda, rs, bstr, ldc, beta int) {
	convRows8Go(c, a, b, kh, kwc, lda, rs, bstr, ldc, beta)
}
