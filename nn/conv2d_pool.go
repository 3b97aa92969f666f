package nn

import (
	"fmt"

	"fugo/autodiff"
	"fugo/internal/kernels"
)

// A convC1 convolution (3×3 "same" ReLU on one-channel images, no input gradient) followed
// by 2×2 max pooling, as one op (CallPool). The forward pass pools each pair of the
// convolution's rows as soon as they are formed (kernels.Conv3x3C1ReLUPool), so the
// full-size output is never written; the backward pass spreads the pooled gradient (and,
// for the ReLU mask, the pooled values) back two rows at a time and feeds them straight to
// the convolution's kernel and bias sums (kernels.Conv3x3C1ReLUPoolBackward). The results
// are those of the two layers bit for bit.

// c1PoolSizes returns the scratch layout of the fused op: the padded image, the pooling
// indices, the per-image parts (gradient sums and row buffers), stand-ins for the kernel
// and bias gradients; end is the total.
func c1PoolSizes(g *kernels.ConvGeom, pooled, f int) (idx, part, dw, end int) {
	idx = g.N * (g.H + 2) * (g.W + 2)
	part = idx + pooled
	dw = part + kernels.C1PoolPartLen(g.N, g.W, f)
	end = dw + 10*f
	return
}

// CallPool returns pool.Call(tp, c.Call(tp, x)) for x [B, H, W, Cin]. Where the convolution
// runs as convC1 and the pooling is 2×2 with stride 2 and no padding before (valid, or
// same), the two run as one op (see above); otherwise as the two layers.
func (c *Conv2D) CallPool(tp *autodiff.Tape, x *autodiff.Var, pool *MaxPooling2D) *autodiff.Var {
	xs := x.Value.Shape
	if len(xs) != 4 || xs[3] != c.In() || c.Strides[0] <= 0 || c.Strides[1] <= 0 {
		return pool.Call(tp, c.Call(tp, x))
	}
	g := c.geom(xs)
	oh, pt := pool.Padding.outSize(g.OH, pool.PoolSize[0], pool.Strides[0])
	ow, pl := pool.Padding.outSize(g.OW, pool.PoolSize[1], pool.Strides[1])
	if c.algorithm(&g, tp.Needs(x, nil)) != convC1 || !pool.is2x2(g.OH, g.OW, oh, ow, pt, pl) {
		return pool.Call(tp, c.Call(tp, x))
	}
	f := c.Filters()
	out := tp.NewVar(tp.Needs(c.Kernel, c.Bias), g.N, oh, ow, f)
	io, po, dwo, end := c1PoolSizes(&g, len(out.Value.Data), f)
	s := tp.Scratch(end)
	kernels.PadC1(s.Data[:io], x.Value.Data, g.N, g.H, g.W)
	kernels.Conv3x3C1ReLUPool(out.Value.Data, s.Data[io:po], s.Data[:io], c.Kernel.Value.Data, c.Bias.Value.Data, s.Data[po:dwo], g.N, g.H, g.W, f)
	tp.Record(autodiff.Node{Backward: conv2DPoolBackward, In: [3]*autodiff.Var{x, c.Kernel, c.Bias}, Out: out, Aux: c, Scratch: s})
	return out
}

func conv2DPoolBackward(n *autodiff.Node) {
	x, kern, bias, out := n.In[0], n.In[1], n.In[2], n.Out
	c := n.Aux.(*Conv2D)
	g := c.geom(x.Value.Shape)
	f := c.Filters()
	io, po, dwo, end := c1PoolSizes(&g, len(out.Value.Data), f)
	s := n.Scratch.Data
	if len(s) < end {
		panic(fmt.Sprintf("nn.Conv2D %q: fused pooling scratch of %d floats, want %d", c.Name, len(s), end))
	}
	dw, db := s[dwo:][:9*f], s[dwo+9*f:][:f]
	if kern.RequiresGrad() {
		dw = kern.Grad.Data
	}
	if bias.RequiresGrad() {
		db = bias.Grad.Data
	}
	kernels.Conv3x3C1ReLUPoolBackward(dw, db, out.Grad.Data, s[io:po], out.Value.Data, s[:io], s[po:dwo], g.N, g.H, g.W, f)
}
