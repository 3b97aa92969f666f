package nn

import (
	"fmt"

	"fugo/autodiff"
	"fugo/internal/kernels"
)

// 2× nearest upsampling followed by a 3×3 "same" stride-1 convolution, as one op on the
// small image (CallUp). With U[Y, X] = x[⌊Y/2⌋, ⌊X/2⌋] the output pixel (2i+a, 2j+b) of the
// convolution sees only the 2×2 block of x at rows i+a−1, i+a and columns j+b−1, j+b, each
// x pixel standing for one, two or four taps of the kernel. So output phase (a, b) is the
// stride-1 2×2 convolution of x (padding 1−a rows and 1−b columns before, h×w outputs) with
// the phase kernel
//
//	W_ab[t, u] = Σ_{r ∈ S(a,t)} Σ_{s ∈ S(b,u)} W[r, s],   S(0,0) = {0}, S(0,1) = {1, 2}, S(1,0) = {0, 1}, S(1,1) = {2},
//
// and, by the chain rule, dW[r, s] = Σ_{a,b,t,u: r ∈ S(a,t), s ∈ S(b,u)} dW_ab[t, u] and
// dx = Σ_ab (input gradient of phase ab). Each phase runs the direct algorithm
// (kernels.ConvDirectTo writes it straight into its rows and columns of y): 4·4 taps per
// small pixel instead of 4·9 on the upsampled image, and no upsampled tensor or its padded
// copy is written. The sums of W in W_ab round differently from the unfused op, so results
// agree with Call(Up(x)) to float32 rounding, not bit for bit.

// upPhaseSet lists S(a, t) as (first row, count).
var upPhaseSet = [2][2][2]int{{{0, 1}, {1, 2}}, {{0, 2}, {2, 1}}}

// useUp2 reports whether CallUp fuses: 2×2 upsampling, a 3×3 "same" stride-1 kernel and at
// least 16 input channels and 16 filters (so the 2×2 phase sweeps take the direct kernels
// both ways with full 16-wide strips).
func (c *Conv2D) useUp2(u *UpSampling2D, xs []int) bool {
	kh, kw := c.KernelSize()
	return u.Size == [2]int{2, 2} && kh == 3 && kw == 3 && c.Padding == Same && c.Strides == [2]int{1, 1} &&
		len(xs) == 4 && xs[3] == c.In() && c.In() >= 16 && c.Filters() >= 16 && 2*c.In() <= directMaxDepth && 2*c.Filters() <= directMaxDepth
}

// upPhaseGeom is the sweep of phase (a, b) on x [N, h, w, C].
func upPhaseGeom(xs []int, a, b int) kernels.ConvGeom {
	return kernels.ConvGeom{N: xs[0], H: xs[1], W: xs[2], C: xs[3], KH: 2, KW: 2, SH: 1, SW: 1, PT: 1 - a, PL: 1 - b, OH: xs[1], OW: xs[2]}
}

// upSizes returns the scratch layout of the fused op: per phase its padded image P and
// packed kernel (stride per), then the four phase kernels W_ab [4·2·2·C·F], then the
// backward buffers (D of one phase, its kernel gradient, the padded dZ of one phase, the
// flipped and packed phase kernel); end is the total.
func upSizes(xs []int, cin, f int, needX bool) (pLen, per, wab, d, dwab, dzp, wf, wfpk, end int) {
	g := upPhaseGeom(xs, 0, 0)
	pLen = kernels.DirectPadLen(g)
	per = pLen + kernels.DirectKernelLen(2, 2, cin, f)
	wab = 4 * per
	d = wab + 4*4*cin*f
	dwab = d + kernels.DirectGradLen(g, f)
	dzp = dwab + 4*cin*f
	wf, wfpk, end = dzp, dzp, dzp
	if needX {
		wf = dzp + kernels.DirectPadLen(backGeom(&g, f))
		wfpk = wf + 4*f*cin
		end = wfpk + kernels.DirectKernelLen(2, 2, f, cin)
	}
	return
}

// CallUp returns c.Call(tp, u.Call(tp, x)) for x [B, h, w, Cin]: [B, OH, OW, Filters] from
// the upsampled [B, SH·h, SW·w, Cin]. For 2×2 upsampling into a 3×3 "same" stride-1
// convolution of at least 16 channels to 16 filters, or of a multiple of 8 channels to one
// filter, it runs as one op on x (see above and below); otherwise as the two layers.
func (c *Conv2D) CallUp(tp *autodiff.Tape, x *autodiff.Var, u *UpSampling2D) *autodiff.Var {
	xs := x.Value.Shape
	if c.useUpF1(u, xs) {
		return c.callUpF1(tp, x)
	}
	if !c.useUp2(u, xs) {
		return c.Call(tp, u.Call(tp, x))
	}
	n, h, w, cin := xs[0], xs[1], xs[2], xs[3]
	f := c.Filters()
	needX := tp.Needs(x, nil)
	out := tp.NewVar(needX || tp.Needs(c.Kernel, c.Bias), n, 2*h, 2*w, f)
	y := out.Value.Data
	pLen, per, wab, _, _, _, _, _, end := upSizes(xs, cin, f, needX)
	s := tp.Scratch(end)
	upPhaseKernels(s.Data[wab:wab+16*cin*f], c.Kernel.Value.Data, cin, f)
	for a := 0; a < 2; a++ {
		for b := 0; b < 2; b++ {
			ph := 2*a + b
			g := upPhaseGeom(xs, a, b)
			p, pk := s.Data[ph*per:][:pLen], s.Data[ph*per+pLen:(ph+1)*per]
			kernels.PadDirect(p, x.Value.Data, g)
			kernels.PackDirectKernel(pk, s.Data[wab+ph*4*cin*f:][:4*cin*f], 2, 2, cin, f)
			kernels.ConvDirectTo(y[(a*2*w+b)*f:], 2*f, 4*w*f, 0, p, pk, g, f)
		}
	}
	biasActivate(y, c.Bias.Value.Data, c.Activation)
	tp.Record(autodiff.Node{Backward: conv2DUpBackward, In: [3]*autodiff.Var{x, c.Kernel, c.Bias}, Out: out, Aux: c, Scratch: s, Assigns: 1})
	return out
}

// upPhaseKernels writes the four phase kernels W_ab [2, 2, C, F] (phase 2a+b) of the 3×3
// kernel w [3, 3, C, F] into dst, summing the taps in the order of S.
func upPhaseKernels(dst, w []float32, cin, f int) {
	cf := cin * f
	clear(dst[:16*cf])
	for a := 0; a < 2; a++ {
		for b := 0; b < 2; b++ {
			for t := 0; t < 2; t++ {
				for v := 0; v < 2; v++ {
					d := dst[((2*a+b)*4+2*t+v)*cf:][:cf]
					rs, ss := upPhaseSet[a][t], upPhaseSet[b][v]
					for r := rs[0]; r < rs[0]+rs[1]; r++ {
						for q := ss[0]; q < ss[0]+ss[1]; q++ {
							for i, v := range w[(3*r+q)*cf:][:cf] {
								d[i] += v
							}
						}
					}
				}
			}
		}
	}
}

func conv2DUpBackward(n *autodiff.Node) {
	x, kern, bias, out := n.In[0], n.In[1], n.In[2], n.Out
	c := n.Aux.(*Conv2D)
	xs := x.Value.Shape
	w, cin := xs[2], xs[3]
	f := c.Filters()
	needX := x.RequiresGrad()
	pLen, per, wab, d, dwab, dzp, wf, wfpk, end := upSizes(xs, cin, f, needX)
	s := n.Scratch.Data
	if len(s) < end {
		panic(fmt.Sprintf("nn.Conv2D %q: fused upsampling scratch of %d floats, want %d", c.Name, len(s), end))
	}
	dz := out.Grad.Data
	var db []float32
	if bias.RequiresGrad() {
		db = bias.Grad.Data
	}
	activationBackwardBias(c.Activation, dz, out.Value.Data, db, f)
	cf := cin * f
	var dx []float32
	beta := float32(0)
	if needX {
		dx, beta = inputGrad(x)
	}
	for a := 0; a < 2; a++ {
		for b := 0; b < 2; b++ {
			ph := 2*a + b
			g := upPhaseGeom(xs, a, b)
			dzPh := dz[(a*2*w+b)*f:]
			if kern.RequiresGrad() {
				dw := s[dwab:dzp]
				clear(dw)
				kernels.SpreadDirectFrom(s[d:dwab], dzPh, g, f, 2*f, 4*w*f)
				kernels.ConvDirectKernelGrad(dw, s[ph*per:][:pLen], s[d:dwab], g, f)
				foldPhaseGrad(kern.Grad.Data, dw, a, b, cf)
			}
			if needX {
				bg := backGeom(&g, f)
				kernels.PadDirectFrom(s[dzp:wf], dzPh, bg, 2*f, 4*w*f)
				flipKernel(s[wf:wfpk], s[wab+ph*4*cf:][:4*cf], 4, cin, f)
				kernels.PackDirectKernel(s[wfpk:end], s[wf:wfpk], 2, 2, f, cin)
				kernels.ConvDirect(dx, beta, s[dzp:wf], s[wfpk:end], nil, bg, cin)
				beta = 1
			}
		}
	}
}

// foldPhaseGrad adds the gradient dw [2, 2, C, F] of phase kernel (a, b) onto the taps of
// the 3×3 kernel gradient kg [3, 3, C, F] that it sums (cf = C·F).
func foldPhaseGrad(kg, dw []float32, a, b, cf int) {
	for t := 0; t < 2; t++ {
		for v := 0; v < 2; v++ {
			src := dw[(2*t+v)*cf:][:cf]
			rs, ss := upPhaseSet[a][t], upPhaseSet[b][v]
			for r := rs[0]; r < rs[0]+rs[1]; r++ {
				for q := ss[0]; q < ss[0]+ss[1]; q++ {
					dst := kg[(3*r+q)*cf:][:cf]
					for i, v := range src {
						dst[i] += v
					}
				}
			}
		}
	}
}

// The same fusion into a single filter (the sigmoid output layer of denoise, 32 channels →
// 1): the four phases run on the small image by the single-filter kernels
// (kernels.ConvF1Up and its gradients), which read x padded once by one pixel on every
// side; neither the 2× upsampled tensor nor its padded copy is written.

// useUpF1 reports whether CallUp fuses into one filter: 2×2 upsampling, a 3×3 "same"
// stride-1 kernel to one filter, a channel count the single-filter assembly takes.
func (c *Conv2D) useUpF1(u *UpSampling2D, xs []int) bool {
	kh, kw := c.KernelSize()
	return u.Size == [2]int{2, 2} && kh == 3 && kw == 3 && c.Padding == Same && c.Strides == [2]int{1, 1} &&
		len(xs) == 4 && xs[3] == c.In() && c.Filters() == 1 && kernels.F1Supported(c.In())
}

// upF1Sizes returns the scratch layout of the single-filter fusion: P, the phase kernels
// (16·C), their gradient (16·C), the kernel-gradient parts, the padded dZ phases (when
// needX); end is the total.
func upF1Sizes(g kernels.ConvGeom, needX bool) (wab, dwab, part, d, end int) {
	wab = kernels.DirectPadLen(g)
	dwab = wab + 16*g.C
	part = dwab + 16*g.C
	d = part + kernels.F1UpPartLen(g)
	end = d
	if needX {
		end += kernels.F1UpBackLen(g)
	}
	return
}

func (c *Conv2D) callUpF1(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	xs := x.Value.Shape
	n, h, w, cin := xs[0], xs[1], xs[2], xs[3]
	g := kernels.F1UpGeom(n, h, w, cin)
	needX := tp.Needs(x, nil)
	out := tp.NewVar(needX || tp.Needs(c.Kernel, c.Bias), n, 2*h, 2*w, 1)
	y := out.Value.Data
	wab, dwab, _, _, end := upF1Sizes(g, needX)
	s := tp.Scratch(end)
	kernels.PadDirect(s.Data[:wab], x.Value.Data, g)
	upPhaseKernels(s.Data[wab:dwab], c.Kernel.Value.Data, cin, 1)
	kernels.ConvF1Up(y, s.Data[:wab], s.Data[wab:dwab], c.Bias.Value.Data[0], g)
	c.Activation.Forward(y, y, 1)
	tp.Record(autodiff.Node{Backward: conv2DUpF1Backward, In: [3]*autodiff.Var{x, c.Kernel, c.Bias}, Out: out, Aux: c, Scratch: s, Assigns: 1})
	return out
}

func conv2DUpF1Backward(n *autodiff.Node) {
	x, kern, bias, out := n.In[0], n.In[1], n.In[2], n.Out
	c := n.Aux.(*Conv2D)
	xs := x.Value.Shape
	g := kernels.F1UpGeom(xs[0], xs[1], xs[2], xs[3])
	needX := x.RequiresGrad()
	wab, dwab, part, d, end := upF1Sizes(g, needX)
	s := n.Scratch.Data
	if len(s) < end {
		panic(fmt.Sprintf("nn.Conv2D %q: fused upsampling scratch of %d floats, want %d", c.Name, len(s), end))
	}
	dz := out.Grad.Data
	var db []float32
	if bias.RequiresGrad() {
		db = bias.Grad.Data
	}
	activationBackwardBias(c.Activation, dz, out.Value.Data, db, 1)
	if kern.RequiresGrad() {
		dw := s[dwab:part]
		clear(dw)
		kernels.ConvF1UpKernelGrad(dw, s[:wab], dz, s[part:d], g)
		for ph := 0; ph < 4; ph++ {
			foldPhaseGrad(kern.Grad.Data, dw[ph*4*g.C:], ph/2, ph%2, g.C)
		}
	}
	if needX {
		dx, beta := inputGrad(x)
		kernels.ConvF1UpInputGrad(dx, beta, dz, s[d:end], s[wab:dwab], g)
	}
}
