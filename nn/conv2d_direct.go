package nn

import (
	"fugo/autodiff"
	"fugo/internal/kernels"
	"fugo/tensor"
)

// The direct algorithm of a stride-1 convolution (convDirect): the image is copied once with
// its zero padding, and the micro-kernels read the windows of each kernel row from it in
// place (kernels.ConvDirect), so no column matrix is written. The kernel gradient reads the
// same padded image against dZ spread over the padded grid (kernels.ConvDirectKernelGrad),
// and the input gradient is the direct convolution of the padded dZ with the flipped kernel.

// directMinFilters, directMinDepth and directMinWidth bound the direct algorithm: at least
// 8 output channels (a 16-wide strip of the micro-kernel holds 8 to 16 of them), a window
// row of at least 16 floats (KW·C), on which the micro-kernel's dot products are long
// enough, and output rows of at least 12 pixels: a row is cut into tiles of six, and on
// narrow images the partial last tile wastes too much (7×7 and 8×8 layers of the MNIST
// models ran faster through im2col and one multiply). With at most 8 filters the sweep runs
// on the 8×8 tile (kernels.convRows8), and rows of 7 pixels already go faster direct
// (128 images, 8 → 8 channels, forward and backward: 7×7 0.59 → 0.46 ms, 8×8 0.76 → 0.50 ms;
// 4×4 0.23 → 0.24–0.29, so it stays with im2col).
const (
	directMinFilters = 8
	directMinDepth   = 16
	directMaxDepth   = 1024
	directMinWidth   = 12
	directMinWidth8  = 7
)

// useDirect reports whether the stride-1 sweep g with f output channels goes direct; the
// input gradient, the same kind of sweep with C and f swapped, must qualify too when needX.
func useDirect(g *kernels.ConvGeom, f int, needX bool) bool {
	ok := func(c, f, w int) bool {
		return f >= directMinFilters && g.KW*c >= directMinDepth && g.KW*c <= directMaxDepth && (w >= directMinWidth || f <= 8 && w >= directMinWidth8)
	}
	return g.SH == 1 && g.SW == 1 && !g.Identity() && ok(g.C, f, g.OW) && (!needX || ok(f, g.C, g.W))
}

// directBackGeom is the sweep of the input gradient: dZ [N, OH, OW, F] padded by KH−1−PT
// rows and KW−1−PL columns before, correlated with the flipped kernel into [N, H, W, C].
func directBackGeom(g *kernels.ConvGeom, f int) kernels.ConvGeom { return backGeom(g, f) }

// directSizes returns the offsets of the scratch parts: P, the packed kernel, D (the spread
// dZ), the padded dZ, the flipped kernel and its packing; end is the total.
func directSizes(g *kernels.ConvGeom, f int, needX bool) (pk, d, dzp, wf, wfpk, end int) {
	t := g.KH * g.KW
	pk = kernels.DirectPadLen(*g)
	d = pk + kernels.DirectKernelLen(g.KH, g.KW, g.C, f)
	dzp = d + kernels.DirectGradLen(*g, f)
	wf, wfpk, end = dzp, dzp, dzp
	if needX {
		wf = dzp + kernels.DirectPadLen(directBackGeom(g, f))
		wfpk = wf + t*f*g.C
		end = wfpk + kernels.DirectKernelLen(g.KH, g.KW, f, g.C)
	}
	return
}

// directForward runs the direct convolution of x into y with the bias and the activation,
// and returns the scratch the backward pass reads.
func (c *Conv2D) directForward(tp *autodiff.Tape, y, x []float32, g *kernels.ConvGeom, needX bool) *tensor.Tensor {
	f := c.Filters()
	pk, d, _, _, _, end := directSizes(g, f, needX)
	s := tp.Scratch(end)
	p, wpk := s.Data[:pk], s.Data[pk:d]
	kernels.PadDirect(p, x, *g)
	kernels.PackDirectKernel(wpk, c.Kernel.Value.Data, g.KH, g.KW, g.C, f)
	if c.Activation == autodiff.ReLU {
		kernels.ConvDirect(y, 0, p, wpk, c.Bias.Value.Data, *g, f)
	} else {
		kernels.ConvDirect(y, 0, p, wpk, nil, *g, f)
		biasActivate(y, c.Bias.Value.Data, c.Activation)
	}
	return s
}

// directBackward is conv2DBackward after dZ for the direct algorithm.
func (c *Conv2D) directBackward(x, kern *autodiff.Var, dz, s []float32, g *kernels.ConvGeom) {
	f := c.Filters()
	pk, d, dzp, wf, wfpk, end := directSizes(g, f, x.RequiresGrad())
	if kern.RequiresGrad() {
		kernels.SpreadDirect(s[d:dzp], dz, *g, f)
		kernels.ConvDirectKernelGrad(kern.Grad.Data, s[:pk], s[d:dzp], *g, f)
	}
	if !x.RequiresGrad() {
		return
	}
	dx, beta := inputGrad(x)
	bg := directBackGeom(g, f)
	kernels.PadDirect(s[dzp:wf], dz, bg)
	flipKernel(s[wf:wfpk], kern.Value.Data, g.KH*g.KW, g.C, f)
	kernels.PackDirectKernel(s[wfpk:end], s[wf:wfpk], g.KH, g.KW, f, g.C)
	kernels.ConvDirect(dx, beta, s[dzp:wf], s[wfpk:end], nil, bg, g.C)
}
