package nn

import (
	"fmt"

	"fugo/autodiff"
)

// RepeatVector is Keras' RepeatVector: [B, F] → [B, N, F], out[b, t, :] = x[b, :] for
// every t < N. It has no parameters; the backward pass sums the N copies' gradients.
type RepeatVector struct {
	N int
}

// NewRepeatVector returns a RepeatVector of n copies (n ≥ 1).
func NewRepeatVector(n int) *RepeatVector {
	if n < 1 {
		panic(fmt.Sprintf("nn.NewRepeatVector: n = %d, want ≥ 1", n))
	}
	return &RepeatVector{N: n}
}

// Params returns nothing: the layer has no weights.
func (r *RepeatVector) Params() []Param { return nil }

// Call repeats x [B, F] N times along a new axis 1.
func (r *RepeatVector) Call(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	xs := x.Value.Shape
	if len(xs) != 2 {
		panic(fmt.Sprintf("nn.RepeatVector: input shape %v, want [batch, features]", xs))
	}
	nb, f, n := xs[0], xs[1], r.N
	out := tp.NewVar(tp.Needs(x, nil), nb, n, f)
	src, y := x.Value.Data, out.Value.Data
	for b := 0; b < nb; b++ {
		row := src[b*f : b*f+f]
		for t := 0; t < n; t++ {
			copy(y[(b*n+t)*f:(b*n+t+1)*f], row)
		}
	}
	tp.Record(autodiff.Node{Backward: repeatBackward, In: [3]*autodiff.Var{x}, Out: out, I: n})
	return out
}

func repeatBackward(nd *autodiff.Node) {
	x, g, n := nd.In[0], nd.Out.Grad.Data, nd.I
	nb, f := x.Value.Shape[0], x.Value.Shape[1]
	dx := x.Grad.Data
	for b := 0; b < nb; b++ {
		row := dx[b*f : b*f+f]
		for t := 0; t < n; t++ {
			for j, v := range g[(b*n+t)*f : (b*n+t+1)*f] {
				row[j] += v
			}
		}
	}
}
