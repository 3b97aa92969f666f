//go:build !noasm && amd64

package kernels

//go:noescape
func convRows8Asm(c, a, b *float32, kh, kwc, lda, rs, bstr, ldc, beta int)

// convRows8K is convRows8Go on the assembly (conv_rows8_amd64.s).
func convRows8K(c, a, b []float32, kh, kwc, lda, rs, bstr, ldc, beta int) {
	if !useAsm {
		convRows8Go(c, a, b, kh, kwc, lda, rs, bstr, ldc, beta)
		return
	}
	_, _, _ = c[7*ldc+7], a[(kh-1)*rs+7*lda+kwc-1], b[(kh-1)*bstr+(kwc-1)*NR+7]
	convRows8Asm(&c[0], &a[0], &b[0], kh, kwc, lda*4, rs*4, bstr*4, ldc*4, beta)
}
