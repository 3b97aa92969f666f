package nn

import (
	"fmt"
	"math/rand/v2"

	"fugo/autodiff"
	"fugo/internal/kernels"
	"fugo/tensor"
)

// Conv1D is Keras' 1-D convolution over steps, channels last: x [B, T, C] → y [B, T', F],
//
//	y[b, t, f] = act(bias[f] + Σ_{k<K} Σ_{c<C} x[b, t·s − p + k, c] · W[k, c, f]),
//
// with kernel W [K, C, F] (Keras' layout), stride s, zero padding: x outside [0, T) is 0.
// Padding "valid": p = 0, T' = ⌊(T − K)/s⌋ + 1. Padding "same" (Keras/TensorFlow): T' =
// ⌈T/s⌉, total padding P = max((T'−1)·s + K − T, 0), p = ⌊P/2⌋ before and the rest after.
//
// It runs as im2col (a [B·T', K·C] matrix of input windows) and one kernels.Gemm with the
// bias and activation fused; the backward pass is two more products and a col2im.
type Conv1D struct {
	Name       string
	Activation autodiff.Activation
	Padding    string // "same" or "valid"
	Stride     int
	Kernel     *autodiff.Var // [K, C, F], Glorot-uniform (fan-in K·C, fan-out K·F)
	Bias       *autodiff.Var // [F], zeros
}

// NewConv1D returns a Conv1D with stride 1 and Keras' default initialisation. padding
// must be "same" or "valid" (a programmer error otherwise: flags are checked before).
func NewConv1D(name string, in, filters, kernelSize int, padding string, f autodiff.Activation, rng *rand.Rand) *Conv1D {
	if in <= 0 || filters <= 0 || kernelSize <= 0 {
		panic(fmt.Sprintf("nn.NewConv1D %q: channels %d, filters %d, kernel size %d must be positive", name, in, filters, kernelSize))
	}
	if padding != "same" && padding != "valid" {
		panic(fmt.Sprintf("nn.NewConv1D %q: padding %q, want \"same\" or \"valid\"", name, padding))
	}
	return &Conv1D{
		Name: name, Activation: f, Padding: padding, Stride: 1,
		Kernel: autodiff.NewParam(GlorotUniform(rng, kernelSize*in, kernelSize*filters, kernelSize, in, filters)),
		Bias:   autodiff.NewParam(tensor.New(filters)),
	}
}

// KernelSize is K, In is C, Filters is F.
func (c *Conv1D) KernelSize() int { return c.Kernel.Value.Shape[0] }
func (c *Conv1D) In() int         { return c.Kernel.Value.Shape[1] }
func (c *Conv1D) Filters() int    { return c.Kernel.Value.Shape[2] }

// Params returns the kernel and the bias.
func (c *Conv1D) Params() []Param {
	return []Param{{c.Name + "/kernel", c.Kernel}, {c.Name + "/bias", c.Bias}}
}

// OutSteps returns T' and the padding before the first step for an input of t steps.
func (c *Conv1D) OutSteps(t int) (steps, padBefore int) {
	return convOut1D(t, c.KernelSize(), c.Stride, c.Padding)
}

// convOut1D is the output length and the leading padding of a 1-D window op (Keras rules).
func convOut1D(t, k, s int, padding string) (out, before int) {
	if padding == "same" {
		out = (t + s - 1) / s
		total := max((out-1)*s+k-t, 0)
		return out, total / 2
	}
	if t < k {
		return 0, 0
	}
	return (t-k)/s + 1, 0
}

// Call applies the convolution to x [B, T, C] and returns [B, T', F].
func (c *Conv1D) Call(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	k, ch, fl := c.KernelSize(), c.In(), c.Filters()
	xs := x.Value.Shape
	if len(xs) != 3 || xs[2] != ch {
		panic(fmt.Sprintf("nn.Conv1D %q: input shape %v, want [batch, steps, %d]", c.Name, xs, ch))
	}
	if c.Stride < 1 {
		panic(fmt.Sprintf("nn.Conv1D %q: stride %d < 1", c.Name, c.Stride))
	}
	nb, nt := xs[0], xs[1]
	to, pad := c.OutSteps(nt)
	if to < 1 {
		panic(fmt.Sprintf("nn.Conv1D %q: input shape %v is shorter than the kernel (%d) with valid padding", c.Name, xs, k))
	}
	out := tp.NewVar(tp.Needs(x, c.Kernel) || tp.Needs(c.Bias, nil), nb, to, fl)
	rows, kc := nb*to, k*ch
	cols := tp.Scratch(rows, kc)
	im2col1D(cols.Data, x.Value.Data, nb, nt, ch, k, c.Stride, pad, to)
	y := out.Value.Data
	kernels.Gemm(false, false, rows, fl, kc, 1, cols.Data, kc, c.Kernel.Value.Data, fl, 0, y, fl)
	bias := c.Bias.Value.Data
	for r := 0; r < rows; r++ {
		yr := y[r*fl : r*fl+fl]
		for j, v := range bias {
			yr[j] += v
		}
	}
	c.Activation.Forward(y, y, fl)
	tp.Record(autodiff.Node{Backward: conv1DBackward, In: [3]*autodiff.Var{x, c.Kernel, c.Bias}, Out: out,
		I: int(c.Activation), Aux: c, Scratch: cols})
	return out
}

// im2col1D writes row (b, t) of cols as the K input rows x[b, t·s−pad+k, :], zeros outside.
func im2col1D(cols, x []float32, nb, nt, ch, k, s, pad, to int) {
	kc := k * ch
	for b := 0; b < nb; b++ {
		xb := x[b*nt*ch : (b+1)*nt*ch]
		for t := 0; t < to; t++ {
			row := cols[(b*to+t)*kc : (b*to+t+1)*kc]
			t0 := t*s - pad
			lo, hi := max(t0, 0), min(t0+k, nt) // input steps inside the window
			if lo >= hi {
				clear(row)
				continue
			}
			clear(row[:(lo-t0)*ch])
			copy(row[(lo-t0)*ch:(hi-t0)*ch], xb[lo*ch:hi*ch])
			clear(row[(hi-t0)*ch:])
		}
	}
}

// col2im1D adds the window gradients dcols back onto dx (the adjoint of im2col1D).
func col2im1D(dx, dcols []float32, nb, nt, ch, k, s, pad, to int) {
	kc := k * ch
	for b := 0; b < nb; b++ {
		xb := dx[b*nt*ch : (b+1)*nt*ch]
		for t := 0; t < to; t++ {
			row := dcols[(b*to+t)*kc : (b*to+t+1)*kc]
			t0 := t*s - pad
			lo, hi := max(t0, 0), min(t0+k, nt)
			if lo >= hi {
				continue
			}
			src := row[(lo-t0)*ch : (hi-t0)*ch]
			dst := xb[lo*ch : hi*ch]
			for j, v := range src {
				dst[j] += v
			}
		}
	}
}

func conv1DBackward(n *autodiff.Node) {
	x, w, b, out := n.In[0], n.In[1], n.In[2], n.Out
	c := n.Aux.(*Conv1D)
	k, ch, fl := w.Value.Shape[0], w.Value.Shape[1], w.Value.Shape[2]
	nb, nt, to := x.Value.Shape[0], x.Value.Shape[1], out.Value.Shape[1]
	_, pad := convOut1D(nt, k, c.Stride, c.Padding)
	rows, kc := nb*to, k*ch
	cols := n.Scratch.Data
	dz := out.Grad.Data
	autodiff.Activation(n.I).Backward(dz, dz, out.Value.Data, fl)
	if w.RequiresGrad() {
		kernels.Gemm(true, false, kc, fl, rows, 1, cols, kc, dz, fl, 1, w.Grad.Data, fl)
	}
	if b.RequiresGrad() {
		db := b.Grad.Data
		for r := 0; r < rows; r++ {
			for j, v := range dz[r*fl : r*fl+fl] {
				db[j] += v
			}
		}
	}
	if x.RequiresGrad() {
		// The windows are no longer needed: reuse their buffer for their gradient.
		kernels.Gemm(false, true, rows, kc, fl, 1, dz, fl, w.Value.Data, fl, 0, cols, kc)
		col2im1D(x.Grad.Data, cols, nb, nt, ch, k, c.Stride, pad, to)
	}
}
