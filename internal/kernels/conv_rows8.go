package kernels

// The 8×8 tile of the direct convolution (ConvDirect) for the filter strips of at most 8
// columns (F = 8 layers, and the input gradients into 8 channels): 8 output pixels by one
// YMM of filters, every kernel row summed in registers before the one store. On the 6×16
// micro-kernel such a strip leaves half of every multiply-add unused and stores its tile
// with masks, once per kernel row.

// rows8 is the number of pixels of the tile.
const rows8 = 8

// convRows8Go sets, for r, o < 8,
//
//	c[r·ldc + o] = beta·c[r·ldc + o] + Σ_{i<kh} Σ_{k<kwc} a[i·rs + r·lda + k] · b[i·bstr + 16k + o]
//
// (beta 0 or 1; B rows 16 floats apart as PackDirectKernel packs a strip), the kernel rows
// summed in order, each over k in order.
func convRows8Go(c, a, b []float32, kh, kwc, lda, rs, bstr, ldc, beta int) {
	for r := 0; r < rows8; r++ {
		var acc [8]float32
		for i := 0; i < kh; i++ {
			ar := a[i*rs+r*lda:][:kwc]
			br := b[i*bstr:]
			for k, av := range ar {
				bk := br[k*NR : k*NR+8]
				for o := range acc {
					acc[o] += av * bk[o]
				}
			}
		}
		cr := c[r*ldc : r*ldc+8]
		for o, v := range acc {
			if beta != 0 {
				v = cr[o] + v
			}
			cr[o] = v
		}
	}
}
