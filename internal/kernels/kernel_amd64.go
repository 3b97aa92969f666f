//go:build !noasm && amd64

package kernels

// useAsm selects the AVX2/FMA kernels; false on a CPU (or OS) without AVX2, FMA or YMM
// state saving, where the pure-Go kernels run instead. Tests flip it to compare the two.
var useAsm = hasAVX2FMA()

// gemmKernel6x16 is kernelPackedGo in AVX2/FMA assembly, with fused multiply-adds:
// for i < 6, j < n ≤ 16, acc = Σ_p a[p*6+i]·b[p*16+j] (p = 0…k-1 in order, one FMA each),
// c[i*ldc+j] = alpha*acc + beta*c[i*ldc+j] (c not read when beta == 0).
//
//go:noescape
func gemmKernel6x16(k int, a, b, c *float32, ldc int, alpha, beta float32, n int)

// gemmKernelRows6x16 is kernelRowsGo in AVX2/FMA assembly: as gemmKernel6x16 but
// acc = Σ_p a[i*lda+p]·b[p*16+j], reading six rows of A in place.
//
//go:noescape
func gemmKernelRows6x16(k int, a *float32, lda int, b, c *float32, ldc int, alpha, beta float32, n int)

// gemmKernelCols6x16 is kernelColsGo in AVX2/FMA assembly: as gemmKernel6x16 but
// acc = Σ_p a[p*lda+i]·b[p*16+j], reading a transposed A in place.
//
//go:noescape
func gemmKernelCols6x16(k int, a *float32, lda int, b, c *float32, ldc int, alpha, beta float32, n int)

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)

func hasAVX2FMA() bool {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 { // XMM and YMM state enabled by the OS
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0 // AVX2
}

func kernelPacked(k int, a, b, c []float32, ldc int, alpha, beta float32, n int) {
	if !useAsm {
		kernelPackedGo(k, a, b, c, ldc, alpha, beta, n)
		return
	}
	// Bounds the assembly relies on.
	_, _, _ = a[k*MR-1], b[k*NR-1], c[(MR-1)*ldc+n-1]
	gemmKernel6x16(k, &a[0], &b[0], &c[0], ldc, alpha, beta, n)
}

func kernelCols(k int, a []float32, lda int, b, c []float32, ldc int, alpha, beta float32, n int) {
	if !useAsm {
		kernelColsGo(k, a, lda, b, c, ldc, alpha, beta, n)
		return
	}
	_, _, _ = a[(k-1)*lda+MR-1], b[k*NR-1], c[(MR-1)*ldc+n-1]
	gemmKernelCols6x16(k, &a[0], lda, &b[0], &c[0], ldc, alpha, beta, n)
}

func kernelRows(k int, a []float32, lda int, b, c []float32, ldc int, alpha, beta float32, n int) {
	if !useAsm {
		kernelRowsGo(k, a, lda, b, c, ldc, alpha, beta, n)
		return
	}
	_, _, _ = a[(MR-1)*lda+k-1], b[k*NR-1], c[(MR-1)*ldc+n-1]
	gemmKernelRows6x16(k, &a[0], lda, &b[0], &c[0], ldc, alpha, beta, n)
}

//go:noescape
func copyRows16(dst, src *float32, lds, rows, n int)

// packRows16 sets dst[p*16:p*16+16] = src[p*lds:p*lds+n] for p < rows, zero past n ≤ 16.
func packRows16(dst, src []float32, lds, rows, n int) {
	if rows == 0 || n == 0 {
		packRows16Go(dst, src, lds, rows, n)
		return
	}
	_, _ = dst[rows*16-1], src[(rows-1)*lds+n-1]
	if useAsm {
		copyRows16(&dst[0], &src[0], lds, rows, n)
		return
	}
	packRows16Go(dst, src, lds, rows, n)
}

//go:noescape
func copyStrips6(dst *float32, str int, src *float32, lds, kc, strips int)

// packStrips6 sets dst[s*str+p*6+r] = src[p*lds+s*6+r] for p < kc, s < strips, r < 6
// (str ≥ 6·kc).
func packStrips6(dst []float32, str int, src []float32, lds, kc, strips int) {
	if kc == 0 || strips == 0 {
		return
	}
	_, _ = dst[(strips-1)*str+6*kc-1], src[(kc-1)*lds+strips*6-1]
	if useAsm {
		copyStrips6(&dst[0], str, &src[0], lds, kc, strips)
		return
	}
	packStrips6Go(dst, str, src, lds, kc, strips)
}
