package nn

import (
	"fugo/autodiff"
	"fugo/internal/kernels"
	"fugo/tensor"
)

// The row-tap algorithm of a stride-1 convolution (convRows). Instead of the full im2col
// matrix [N·OH·OW, KH·KW·C], which repeats every pixel KH·KW times, it builds the im2col of
// the 1×KW window only, X [N·Hp·OW, KW·C] over Hp = OH+KH−1 rows of the (padded) image,
//
//	X[(b, yy, ox), (j, c)] = x[b, yy−PT, ox+j−PL, c]   (0 outside),
//
// so that kernel row i reads X shifted down by i·OW rows, and
//
//	Y[(b, yy, ox)] = Σ_i X[(b, yy+i, ox)] · W[i]   (W[i] the [KW·C, F] slice of the kernel)
//
// is KH multiplies of depth KW·C into a buffer Y over the same Hp rows per image. The rows
// yy < OH of each image are the output; the others mix two images and are dropped. X holds
// a third (for 3×3 kernels) of the full im2col, which is what the forward and backward
// passes spend their time writing.

// The row-tap algorithm runs when a window row holds at least rowsMinDepth floats (KW·C) and
// there are at least rowsMinFilters output channels; narrower multiplies ran faster on the
// full im2col (measured on the MNIST models' layers, one core: 14×14×16 → 8 took 9.3 ms by
// row taps against 7.1 by im2col; 14×14×32 → 32 took 26.4 against 33.8).
const (
	rowsMinDepth   = 48
	rowsMinFilters = 16
)

// useRows reports whether a stride-1 sweep g with f output channels goes by row taps.
func useRows(g *kernels.ConvGeom, f int) bool {
	return g.SH == 1 && g.SW == 1 && g.KH > 1 && g.KW*g.C >= rowsMinDepth && f >= rowsMinFilters && !g.Identity()
}

// rowsSizes returns the lengths of X and Y for the sweep g with f output channels.
func rowsSizes(g *kernels.ConvGeom, f int) (x, y int) {
	hp := g.OH + g.KH - 1
	return g.N * hp * g.OW * g.KW * g.C, g.N * hp * g.OW * f
}

// rowsIm2col fills X from src (the image g sweeps).
func rowsIm2col(x, src []float32, g *kernels.ConvGeom) {
	kernels.Im2col(x, src, kernels.ConvGeom{N: g.N, H: g.H, W: g.W, C: g.C, KH: 1, KW: g.KW, SH: 1, SW: 1,
		PT: g.PT, PL: g.PL, OH: g.OH + g.KH - 1, OW: g.OW})
}

// rowsMultiply sets dst = beta·dst + conv(src, w) for the stride-1 sweep g (dst [N, OH, OW, f],
// w [KH, KW, C, f]) given X = rowsIm2col(src) in x, using big (rowsSizes) as Y.
func rowsMultiply(dst []float32, beta float32, x, w []float32, g *kernels.ConvGeom, f int, big []float32) {
	hp := g.OH + g.KH - 1
	kwc := g.KW * g.C
	m := g.N*hp*g.OW - (g.KH-1)*g.OW // rows of Y that every shift of X covers
	for i := 0; i < g.KH; i++ {
		b := float32(1)
		if i == 0 {
			b = 0
		}
		kernels.Gemm(false, false, m, f, kwc, 1, x[i*g.OW*kwc:], kwc, w[i*kwc*f:], f, b, big, f)
	}
	img := g.OH * g.OW * f
	op := kernels.BlockCopy
	if beta != 0 {
		op = kernels.BlockAdd
	}
	kernels.CopyBlocks(dst, img, big, hp*g.OW*f, g.N, img, op)
}

// rowsKernelGrad adds colsᵀ·dZ into dw (w's layout) for the sweep g, X in x and dZ
// [N, OH, OW, f] in dz, using big (rowsSizes) for dZ spread over the Hp rows per image with
// zeros in the dropped rows.
func rowsKernelGrad(dw, x, dz []float32, g *kernels.ConvGeom, f int, big []float32) {
	hp := g.OH + g.KH - 1
	img := g.OH * g.OW * f
	kernels.CopyBlocks(big, hp*g.OW*f, dz, img, g.N, img, kernels.BlockCopyClear)
	kwc := g.KW * g.C
	m := g.N*hp*g.OW - (g.KH-1)*g.OW
	for i := 0; i < g.KH; i++ {
		kernels.Gemm(true, false, kwc, f, m, 1, x[i*g.OW*kwc:], kwc, big, f, 1, dw[i*kwc*f:], f)
	}
}

// rowsBackInput adds (or, with beta 0, writes) the input gradient of a stride-1 convolution
// into dx: the correlation of dZ with the flipped kernel wflip [KH, KW, F, Cin], by row taps
// when that sweep is wide enough, else through the full im2col of dZ. s is scratch of
// rowsBackSize floats.
func rowsBackInput(dx []float32, beta float32, dz, wflip []float32, g *kernels.ConvGeom, f int, s []float32) {
	bg := backGeom(g, f)
	if useRows(&bg, g.C) {
		xn, yn := rowsSizes(&bg, g.C)
		rowsIm2col(s[:xn], dz, &bg)
		rowsMultiply(dx, beta, s[:xn], wflip, &bg, g.C, s[xn:xn+yn])
		return
	}
	t := g.KH * g.KW
	nhw := g.N * g.H * g.W
	d := s[:nhw*t*f]
	kernels.Im2col(d, dz, bg)
	kernels.Gemm(false, false, nhw, g.C, t*f, 1, d, t*f, wflip, g.C, beta, dx, g.C)
}

// rowsBackSize is the scratch rowsBackInput needs.
func rowsBackSize(g *kernels.ConvGeom, f int) int {
	bg := backGeom(g, f)
	if useRows(&bg, g.C) {
		xn, yn := rowsSizes(&bg, g.C)
		return xn + yn
	}
	return g.N * g.H * g.W * g.KH * g.KW * f
}

// rowsForward runs the row-tap convolution of x into y (bias and activation left to the
// caller) and returns the scratch the backward pass needs: X, Y (reused for dZ), the flipped
// kernel and rowsBackSize when needX.
func (c *Conv2D) rowsForward(tp *autodiff.Tape, y, x []float32, g *kernels.ConvGeom, needX bool) *tensor.Tensor {
	f := c.Filters()
	xn, yn := rowsSizes(g, f)
	size := xn + yn
	if needX {
		size += g.KH*g.KW*f*g.C + rowsBackSize(g, f)
	}
	s := tp.Scratch(size)
	rowsIm2col(s.Data[:xn], x, g)
	rowsMultiply(y, 0, s.Data[:xn], c.Kernel.Value.Data, g, f, s.Data[xn:xn+yn])
	return s
}

// rowsBackward is conv2DBackward after dZ for the row-tap algorithm.
func (c *Conv2D) rowsBackward(x, kern *autodiff.Var, dz, s []float32, g *kernels.ConvGeom) {
	f := c.Filters()
	xn, yn := rowsSizes(g, f)
	if kern.RequiresGrad() {
		rowsKernelGrad(kern.Grad.Data, s[:xn], dz, g, f, s[xn:xn+yn])
	}
	if !x.RequiresGrad() {
		return
	}
	dx, beta := inputGrad(x)
	t := g.KH * g.KW
	wflip := s[xn+yn : xn+yn+t*f*g.C]
	flipKernel(wflip, kern.Value.Data, t, g.C, f)
	rowsBackInput(dx, beta, dz, wflip, g, f, s[xn+yn+t*f*g.C:])
}
