package nn

import (
	"fmt"
	"math"

	"fugo/autodiff"
	"fugo/tensor"
)

// MaxPooling1D is Keras' 1-D max pooling over steps, channels last: x [B, T, C] →
// [B, T', C], out[b, t, c] = max over the window x[b, t·s−p … t·s−p+P−1, c] of steps
// inside [0, T). Padding "valid" (Keras' default) drops a trailing partial window:
// T' = ⌊(T − P)/s⌋ + 1 (7 → 3 for P = s = 2). Padding "same" keeps it: T' = ⌈T/s⌉
// (7 → 4), padding as for Conv1D (padded steps never win). Ties go to the earliest step;
// the gradient flows to the winner only.
type MaxPooling1D struct {
	PoolSize int
	Stride   int    // defaults to PoolSize, as in Keras
	Padding  string // "valid" or "same"
}

// NewMaxPooling1D returns a pooling layer with stride = pool size. padding must be
// "valid" or "same".
func NewMaxPooling1D(pool int, padding string) *MaxPooling1D {
	if pool < 1 {
		panic(fmt.Sprintf("nn.NewMaxPooling1D: pool size %d < 1", pool))
	}
	if padding != "same" && padding != "valid" {
		panic(fmt.Sprintf("nn.NewMaxPooling1D: padding %q, want \"valid\" or \"same\"", padding))
	}
	return &MaxPooling1D{PoolSize: pool, Stride: pool, Padding: padding}
}

// Params returns nothing: the layer has no weights.
func (p *MaxPooling1D) Params() []Param { return nil }

// OutSteps is T' for an input of t steps.
func (p *MaxPooling1D) OutSteps(t int) int {
	n, _ := convOut1D(t, p.PoolSize, p.Stride, p.Padding)
	return n
}

// Call pools x [B, T, C] to [B, T', C].
func (p *MaxPooling1D) Call(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	xs := x.Value.Shape
	if len(xs) != 3 {
		panic(fmt.Sprintf("nn.MaxPooling1D: input shape %v, want [batch, steps, channels]", xs))
	}
	if p.Stride < 1 || p.PoolSize < 1 {
		panic(fmt.Sprintf("nn.MaxPooling1D: pool size %d and stride %d must be positive", p.PoolSize, p.Stride))
	}
	nb, nt, ch := xs[0], xs[1], xs[2]
	to, pad := convOut1D(nt, p.PoolSize, p.Stride, p.Padding)
	if to < 1 {
		panic(fmt.Sprintf("nn.MaxPooling1D: input shape %v is shorter than the pool (%d) with valid padding", xs, p.PoolSize))
	}
	out := tp.NewVar(tp.Needs(x, nil), nb, to, ch)
	// arg[o] is the flat index into x of the winner of output element o, coded as float32
	// (exact: tensors stay below 2^24 elements per op here; checked below).
	if len(x.Value.Data) > 1<<24 {
		panic(fmt.Sprintf("nn.MaxPooling1D: input %v has more than 2^24 elements", xs))
	}
	var arg []float32
	var scratch *tensor.Tensor
	if out.RequiresGrad() {
		scratch = tp.Scratch(nb, to, ch)
		arg = scratch.Data
	}
	xd, y := x.Value.Data, out.Value.Data
	for b := 0; b < nb; b++ {
		for t := 0; t < to; t++ {
			t0 := t*p.Stride - pad
			lo, hi := max(t0, 0), min(t0+p.PoolSize, nt)
			o := (b*to + t) * ch
			for c := 0; c < ch; c++ {
				best, bi := float32(math.Inf(-1)), -1
				for s := lo; s < hi; s++ {
					i := (b*nt+s)*ch + c
					if v := xd[i]; v > best || bi < 0 {
						best, bi = v, i
					}
				}
				y[o+c] = best
				if arg != nil {
					arg[o+c] = float32(bi)
				}
			}
		}
	}
	tp.Record(autodiff.Node{Backward: maxPool1DBackward, In: [3]*autodiff.Var{x}, Out: out, Scratch: scratch})
	return out
}

func maxPool1DBackward(n *autodiff.Node) {
	dx := n.In[0].Grad.Data
	for o, g := range n.Out.Grad.Data {
		dx[int(n.Scratch.Data[o])] += g
	}
}
