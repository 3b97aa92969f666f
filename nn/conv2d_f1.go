package nn

import (
	"fugo/autodiff"
	"fugo/internal/kernels"
	"fugo/tensor"
)

// The single-filter algorithm of a stride-1 convolution to one output channel (convF1: the
// sigmoid output layers of the MNIST autoencoders, 16 or 32 channels → 1). The image is
// copied once with its zero padding (kernels.PadDirect) and every output pixel is a dot
// product of its KH window rows with the kernel (kernels.ConvF1); the kernel gradient reads
// the same padded image against dZ (kernels.ConvF1KernelGrad), and the input gradient is
// the correlation of the padded dZ with the flipped kernel (kernels.ConvF1InputGrad). No
// column or product matrix is written.

// useF1 reports whether the sweep g with f output channels goes by convF1: stride 1, one
// filter, a channel count the assembly takes.
func useF1(g *kernels.ConvGeom, f int) bool {
	return f == 1 && g.SH == 1 && g.SW == 1 && kernels.F1Supported(g.C) && !g.Identity()
}

// f1Sizes returns the offsets of the scratch parts: P, the per-image kernel-gradient sums,
// the padded dZ (when needX); end is the total.
func f1Sizes(g *kernels.ConvGeom, needX bool) (part, d, end int) {
	part = kernels.DirectPadLen(*g)
	d = part + kernels.F1PartLen(*g)
	end = d
	if needX {
		end += kernels.DirectPadLen(kernels.F1BackGeom(*g))
	}
	return
}

// f1Forward runs the single-filter convolution of x into y with the bias and the
// activation, and returns the scratch the backward pass reads.
func (c *Conv2D) f1Forward(tp *autodiff.Tape, y, x []float32, g *kernels.ConvGeom, needX bool) *tensor.Tensor {
	part, _, end := f1Sizes(g, needX)
	s := tp.Scratch(end)
	kernels.PadDirect(s.Data[:part], x, *g)
	kernels.ConvF1(y, s.Data[:part], c.Kernel.Value.Data, c.Bias.Value.Data[0], *g)
	c.Activation.Forward(y, y, 1)
	return s
}

// f1Backward is conv2DBackward after dZ for the single-filter algorithm.
func (c *Conv2D) f1Backward(x, kern *autodiff.Var, dz, s []float32, g *kernels.ConvGeom) {
	part, d, end := f1Sizes(g, x.RequiresGrad())
	if kern.RequiresGrad() {
		kernels.ConvF1KernelGrad(kern.Grad.Data, s[:part], dz, s[part:d], *g)
	}
	if !x.RequiresGrad() {
		return
	}
	dx, beta := inputGrad(x)
	kernels.PadDirect(s[d:end], dz, kernels.F1BackGeom(*g))
	kernels.ConvF1InputGrad(dx, beta, s[d:end], kern.Value.Data, *g)
}
