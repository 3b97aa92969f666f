package nn

import (
	"fmt"
	"math/rand/v2"

	"fugo/autodiff"
	"fugo/internal/kernels"
	"fugo/tensor"
)

// Padding is Keras' padding mode of a convolution or pooling window.
type Padding string

const (
	// Same pads the input with zeros so that the output has ⌈in/stride⌉ positions, as
	// TensorFlow does: pad_total = max((⌈in/s⌉−1)·s + k − in, 0), pad_before = pad_total/2
	// (the extra row or column, if any, goes after).
	Same Padding = "same"
	// Valid uses only windows that fit: ⌊(in−k)/s⌋ + 1 positions.
	Valid Padding = "valid"
)

// ParsePadding maps "same" or "valid" to a Padding.
func ParsePadding(s string) (Padding, error) {
	switch Padding(s) {
	case Same, Valid:
		return Padding(s), nil
	}
	return "", fmt.Errorf("unknown padding %q (want same or valid)", s)
}

// outSize returns the number of window positions along an axis of length in and the
// padding before it.
func (p Padding) outSize(in, k, s int) (out, before int) {
	switch p {
	case Same:
		out = (in + s - 1) / s
		total := max((out-1)*s+k-in, 0)
		return out, total / 2
	case Valid:
		if in < k {
			return 0, 0
		}
		return (in-k)/s + 1, 0
	}
	panic(fmt.Sprintf("nn: unknown padding %q", string(p)))
}

// Conv2D is Keras' 2-D convolution over NHWC images (channels last):
//
//	y[b, oy, ox, o] = f(bias[o] + Σ_{i,j,c} x[b, oy·sh+i−pt, ox·sw+j−pl, c] · kernel[i, j, c, o])
//
// with zeros outside the image, x [B, H, W, Cin] → y [B, OH, OW, Filters]. The kernel is
// stored as Keras stores it, [KH, KW, Cin, Filters]; OH, OW and the padding pt, pl follow
// Padding (see Same and Valid).
//
// Call runs the convolution, the bias and the activation as one op: im2col into a tape
// scratch buffer and one packed matrix multiply (rows B·OH·OW, depth KH·KW·Cin, Filters
// columns); a 1×1 stride-1 kernel multiplies the image in place. When Filters·KH·KW ≤ 32
// and Filters < Cin (the 1- or 3-channel output layers of the autoencoders), the image is
// multiplied by all taps at once and the shifted products summed instead, which never
// builds the large column matrix; with one filter and a multiple of 8 input channels (the
// sigmoid output layers of the MNIST models) each output pixel is instead a direct dot
// product over the padded image (conv2d_f1.go). The backward pass computes the kernel gradient as
// colsᵀ·dZ and, for stride 1, the input gradient as a convolution of dZ with the flipped
// kernel (an im2col of dZ and a narrow multiply); for larger strides as dZ·kernelᵀ followed
// by col2im.
type Conv2D struct {
	Name       string
	Activation autodiff.Activation
	Strides    [2]int // default 1×1
	Padding    Padding
	Kernel     *autodiff.Var // [KH, KW, Cin, Filters], Glorot-uniform
	Bias       *autodiff.Var // [Filters], zeros
}

// NewConv2D returns a convolution of in input channels to filters output channels with a
// kh×kw kernel, stride 1 (set Strides to change it), initialised as Keras does: the kernel
// Glorot-uniform with fan_in = kh·kw·in and fan_out = kh·kw·filters, the bias zero.
func NewConv2D(name string, in, filters, kh, kw int, padding Padding, f autodiff.Activation, rng *rand.Rand) *Conv2D {
	if in <= 0 || filters <= 0 || kh <= 0 || kw <= 0 {
		panic(fmt.Sprintf("nn.NewConv2D %q: in %d, filters %d, kernel %d×%d must be positive", name, in, filters, kh, kw))
	}
	if _, err := ParsePadding(string(padding)); err != nil {
		panic(fmt.Sprintf("nn.NewConv2D %q: %v", name, err))
	}
	return &Conv2D{
		Name:       name,
		Activation: f,
		Strides:    [2]int{1, 1},
		Padding:    padding,
		Kernel:     autodiff.NewParam(GlorotUniform(rng, kh*kw*in, kh*kw*filters, kh, kw, in, filters)),
		Bias:       autodiff.NewParam(tensor.New(filters)),
	}
}

// KernelSize is (KH, KW); In the input channels; Filters the output channels.
func (c *Conv2D) KernelSize() (kh, kw int) { return c.Kernel.Value.Shape[0], c.Kernel.Value.Shape[1] }
func (c *Conv2D) In() int                  { return c.Kernel.Value.Shape[2] }
func (c *Conv2D) Filters() int             { return c.Kernel.Value.Shape[3] }

// Params returns the kernel and the bias.
func (c *Conv2D) Params() []Param {
	return []Param{{c.Name + "/kernel", c.Kernel}, {c.Name + "/bias", c.Bias}}
}

// OutputShape returns (OH, OW) for an H×W input.
func (c *Conv2D) OutputShape(h, w int) (oh, ow int) {
	kh, kw := c.KernelSize()
	oh, _ = c.Padding.outSize(h, kh, c.Strides[0])
	ow, _ = c.Padding.outSize(w, kw, c.Strides[1])
	return oh, ow
}

// geom is the window sweep of the forward pass for input x.
func (c *Conv2D) geom(xs []int) kernels.ConvGeom {
	kh, kw := c.KernelSize()
	sh, sw := c.Strides[0], c.Strides[1]
	oh, pt := c.Padding.outSize(xs[1], kh, sh)
	ow, pl := c.Padding.outSize(xs[2], kw, sw)
	return kernels.ConvGeom{N: xs[0], H: xs[1], W: xs[2], C: xs[3], KH: kh, KW: kw, SH: sh, SW: sw, PT: pt, PL: pl, OH: oh, OW: ow}
}

// backGeom is the sweep of dZ [N, OH, OW, F] that gives the input gradient of a stride-1
// convolution as a correlation with the flipped kernel: window position (y, x) of the input,
// padding KH−1−PT, KW−1−PL.
func backGeom(g *kernels.ConvGeom, filters int) kernels.ConvGeom {
	return kernels.ConvGeom{N: g.N, H: g.OH, W: g.OW, C: filters, KH: g.KH, KW: g.KW, SH: 1, SW: 1,
		PT: g.KH - 1 - g.PT, PL: g.KW - 1 - g.PL, OH: g.H, OW: g.W}
}

// Conv2D algorithms.
const (
	convIm2col = iota // cols = im2col(x); y = cols·W
	convTaps          // P = x·[W_t]_t; y = Σ_t shift_t(P_t)  (stride 1, F·KH·KW ≤ 32, F < Cin)
	convRows          // X = im2col of 1×KW windows; y = Σ_i shift_i(X)·W_i  (stride 1, KW·Cin ≥ 48, F ≥ 16; conv2d_rows.go)
	convC1            // direct 3×3 "same" ReLU convolution of one-channel images, no input gradient
	convDirect        // micro-kernels on the padded image in place (stride 1, F ≥ 8, KW·C ≥ 16; conv2d_direct.go)
	convF1            // one filter: a dot product per pixel on the padded image (stride 1, C a multiple of 8; conv2d_f1.go)
)

// algorithm picks how to run the sweep g; needX tells whether the input gradient is wanted.
func (c *Conv2D) algorithm(g *kernels.ConvGeom, needX bool) int {
	f := c.Filters()
	if !needX && g.C == 1 && g.KH == 3 && g.KW == 3 && g.SH == 1 && g.SW == 1 && g.PT == 1 && g.PL == 1 &&
		g.OH == g.H && g.OW == g.W && c.Activation == autodiff.ReLU && kernels.C1Filters(f) {
		return convC1
	}
	if useF1(g, f) {
		return convF1
	}
	if g.SH == 1 && g.SW == 1 && f*g.KH*g.KW <= kernels.NarrowN && f < g.C && !g.Identity() {
		return convTaps
	}
	if useDirect(g, f, needX) {
		return convDirect
	}
	if useRows(g, f) {
		return convRows
	}
	return convIm2col
}

// Call applies the convolution to x [B, H, W, Cin] and returns [B, OH, OW, Filters].
func (c *Conv2D) Call(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	xs := x.Value.Shape
	if len(xs) != 4 || xs[3] != c.In() {
		panic(fmt.Sprintf("nn.Conv2D %q: input shape %v, want [B, H, W, %d]", c.Name, xs, c.In()))
	}
	if c.Strides[0] <= 0 || c.Strides[1] <= 0 {
		panic(fmt.Sprintf("nn.Conv2D %q: strides %v must be positive", c.Name, c.Strides))
	}
	g := c.geom(xs)
	if g.OH <= 0 || g.OW <= 0 {
		kh, kw := c.KernelSize()
		panic(fmt.Sprintf("nn.Conv2D %q: input %v too small for a %d×%d %s kernel", c.Name, xs, kh, kw, c.Padding))
	}
	f := c.Filters()
	needX := tp.Needs(x, nil)
	out := tp.NewVar(needX || tp.Needs(c.Kernel, c.Bias), g.N, g.OH, g.OW, f)
	y := out.Value.Data
	w := c.Kernel.Value.Data
	var scratch *tensor.Tensor
	switch c.algorithm(&g, needX) {
	case convC1:
		// Scratch: the padded image, the per-image gradient sums, and stand-ins for the
		// kernel and bias gradients when one of them is not wanted.
		pad := g.N * (g.H + 2) * (g.W + 2)
		scratch = tp.Scratch(pad + g.N*10*f + 10*f)
		kernels.PadC1(scratch.Data[:pad], x.Value.Data, g.N, g.H, g.W)
		kernels.Conv3x3C1ReLU(y, scratch.Data[:pad], w, c.Bias.Value.Data, g.N, g.H, g.W, f)
	case convTaps:
		// P [N·H·W, T·F] with P[p, t·F+o] = Σ_c x[p, c]·W[t, c, o]. The backward pass reuses
		// the buffer for the im2col of dZ.
		t := g.KH * g.KW
		wt := tp.Scratch(g.C, t*f)
		for ti := 0; ti < t; ti++ {
			for ch := 0; ch < g.C; ch++ {
				copy(wt.Data[ch*t*f+ti*f:ch*t*f+ti*f+f], w[(ti*g.C+ch)*f:(ti*g.C+ch)*f+f])
			}
		}
		scratch = tp.Scratch(g.N*g.H*g.W*t*f + t*f*g.C + g.C*t*f)
		p := scratch.Data[:g.N*g.H*g.W*t*f]
		kernels.Gemm(false, false, g.N*g.H*g.W, t*f, g.C, 1, x.Value.Data, g.C, wt.Data, t*f, 0, p, t*f)
		kernels.ShiftAdd(y, p, c.Bias.Value.Data, g)
		c.Activation.Forward(y, y, f)
	case convDirect:
		scratch = c.directForward(tp, y, x.Value.Data, &g, needX)
	case convF1:
		scratch = c.f1Forward(tp, y, x.Value.Data, &g, needX)
	case convRows:
		scratch = c.rowsForward(tp, y, x.Value.Data, &g, needX)
		biasActivate(y, c.Bias.Value.Data, c.Activation)
	default:
		k := g.K()
		cols := x.Value.Data
		size := 0
		if !g.Identity() {
			size = g.Rows() * k
		}
		if needX {
			if g.SH == 1 && g.SW == 1 {
				size += g.N * g.H * g.W * g.KH * g.KW * f // im2col of dZ
				size += g.KH * g.KW * f * g.C             // flipped kernel
			} else {
				size += g.Rows() * k // dZ·Wᵀ
			}
		}
		if size > 0 {
			scratch = tp.Scratch(size)
		}
		if !g.Identity() {
			cols = scratch.Data[:g.Rows()*k]
			kernels.Im2col(cols, x.Value.Data, g)
		}
		kernels.Gemm(false, false, g.Rows(), f, k, 1, cols, k, w, f, 0, y, f)
		biasActivate(y, c.Bias.Value.Data, c.Activation)
	}
	tp.Record(autodiff.Node{Backward: conv2DBackward, In: [3]*autodiff.Var{x, c.Kernel, c.Bias}, Out: out, Aux: c, Scratch: scratch, Assigns: 1})
	return out
}

// biasActivate sets y = f(y + b) row by row (rows of len(b)); ReLU runs as one fused
// vectorised pass (kernels.BiasReLU).
func biasActivate(y, b []float32, f autodiff.Activation) {
	n := len(b)
	if f == autodiff.ReLU {
		kernels.BiasReLU(y, b)
		return
	}
	for r := 0; r+n <= len(y); r += n {
		row := y[r : r+n]
		for j, v := range b {
			row[j] += v
		}
	}
	f.Forward(y, y, n)
}

func conv2DBackward(n *autodiff.Node) {
	x, kern, bias, out := n.In[0], n.In[1], n.In[2], n.Out
	c := n.Aux.(*Conv2D)
	g := c.geom(x.Value.Shape)
	f := c.Filters()
	if c.algorithm(&g, x.RequiresGrad()) == convC1 {
		c1Backward(kern, bias, out, n.Scratch.Data, &g, f)
		return
	}
	// dZ overwrites dY: nothing reads the output's gradient after this node.
	dz := out.Grad.Data
	var db []float32
	if bias.RequiresGrad() {
		db = bias.Grad.Data
	}
	activationBackwardBias(c.Activation, dz, out.Value.Data, db, f)
	t := g.KH * g.KW
	nhw := g.N * g.H * g.W
	if c.algorithm(&g, x.RequiresGrad()) == convF1 {
		c.f1Backward(x, kern, dz, n.Scratch.Data, &g)
		return
	}
	if c.algorithm(&g, x.RequiresGrad()) == convDirect {
		c.directBackward(x, kern, dz, n.Scratch.Data, &g)
		return
	}
	if c.algorithm(&g, x.RequiresGrad()) == convRows {
		c.rowsBackward(x, kern, dz, n.Scratch.Data, &g)
		return
	}
	if c.algorithm(&g, x.RequiresGrad()) == convTaps {
		s := n.Scratch.Data
		d := s[:nhw*t*f]
		wflip := s[nhw*t*f : nhw*t*f+t*f*g.C]
		dwt := s[nhw*t*f+t*f*g.C:]
		kernels.Im2col(d, dz, backGeom(&g, f))
		if kern.RequiresGrad() {
			// dW'[c, (i', j', o)] = Σ_p x[p, c]·D[p, (i', j', o)]; dW[i, j, c, o] += dW'[c, flip(i, j), o].
			kernels.Gemm(true, false, g.C, t*f, nhw, 1, x.Value.Data, g.C, d, t*f, 0, dwt, t*f)
			dw := kern.Grad.Data
			for ti := 0; ti < t; ti++ {
				tf := t - 1 - ti
				for ch := 0; ch < g.C; ch++ {
					dst := dw[(ti*g.C+ch)*f:][:f]
					for o, v := range dwt[ch*t*f+tf*f:][:f] {
						dst[o] += v
					}
				}
			}
		}
		if x.RequiresGrad() {
			dx, beta := inputGrad(x)
			flipKernel(wflip, kern.Value.Data, t, g.C, f)
			kernels.Gemm(false, false, nhw, g.C, t*f, 1, d, t*f, wflip, g.C, beta, dx, g.C)
		}
		return
	}
	k := g.K()
	var cols, rest []float32
	if g.Identity() {
		cols = x.Value.Data
		if n.Scratch != nil {
			rest = n.Scratch.Data
		}
	} else {
		cols, rest = n.Scratch.Data[:g.Rows()*k], n.Scratch.Data[g.Rows()*k:]
	}
	if kern.RequiresGrad() {
		kernels.Gemm(true, false, k, f, g.Rows(), 1, cols, k, dz, f, 1, kern.Grad.Data, f)
	}
	if !x.RequiresGrad() {
		return
	}
	dx, beta := inputGrad(x)
	if g.SH == 1 && g.SW == 1 {
		if g.Identity() {
			kernels.Gemm(false, true, nhw, g.C, f, 1, dz, f, kern.Value.Data, f, beta, dx, g.C)
			return
		}
		d := rest[:nhw*t*f]
		wflip := rest[nhw*t*f : nhw*t*f+t*f*g.C]
		kernels.Im2col(d, dz, backGeom(&g, f))
		flipKernel(wflip, kern.Value.Data, t, g.C, f)
		kernels.Gemm(false, false, nhw, g.C, t*f, 1, d, t*f, wflip, g.C, beta, dx, g.C)
		return
	}
	dcols := rest[:g.Rows()*k]
	kernels.Gemm(false, true, g.Rows(), k, f, 1, dz, f, kern.Value.Data, f, 0, dcols, k)
	if beta == 0 {
		clear(dx)
	}
	kernels.Col2im(dx, dcols, g)
}

// inputGrad takes x's gradient for a node that may overwrite it (Node.Assigns) and returns
// the beta of a multiply into it: 0 when the buffer is unwritten, else 1 (accumulate).
func inputGrad(x *autodiff.Var) (dx []float32, beta float32) {
	dx, assign := x.GradForWrite()
	if assign {
		return dx, 0
	}
	return dx, 1
}

// c1Backward is the convC1 backward pass: kernel and bias gradients in one sweep of dY.
func c1Backward(kern, bias, out *autodiff.Var, s []float32, g *kernels.ConvGeom, f int) {
	pad := g.N * (g.H + 2) * (g.W + 2)
	part := s[pad : pad+g.N*10*f]
	dw, db := s[pad+g.N*10*f:][:9*f], s[pad+g.N*10*f+9*f:][:f]
	if kern.RequiresGrad() {
		dw = kern.Grad.Data
	}
	if bias.RequiresGrad() {
		db = bias.Grad.Data
	}
	kernels.Conv3x3C1ReLUBackward(dw, db, out.Grad.Data, out.Value.Data, s[:pad], part, g.N, g.H, g.W, f)
}

// activationBackwardBias turns dY into dZ = dY ⊙ f'(·) in place (y the layer's output) and,
// when db is not nil, adds the column sums of dZ (rows of n = len(db)) into db. ReLU runs as one
// fused vectorised pass (kernels.ReLUBackwardBias: dZ = dY where y > 0, else 0).
func activationBackwardBias(f autodiff.Activation, dz, y, db []float32, n int) {
	if f == autodiff.ReLU {
		kernels.ReLUBackwardBias(dz, y[:len(dz)], db)
		return
	}
	f.Backward(dz, dz, y, n)
	if db != nil {
		kernels.BiasGradient(db, dz)
	}
}

// flipKernel writes wf[(t', o), c] = w[T−1−t', c, o]: the kernel rotated by 180° with its
// channel axes swapped, [KH·KW·F, Cin].
func flipKernel(wf, w []float32, t, cin, f int) {
	for tp := 0; tp < t; tp++ {
		src := w[(t-1-tp)*cin*f:][:cin*f]
		for o := 0; o < f; o++ {
			dst := wf[(tp*f+o)*cin:][:cin]
			for ch := range dst {
				dst[ch] = src[ch*f+o]
			}
		}
	}
}
