package nn

import (
	"fmt"
	"math/rand/v2"

	"fugo/autodiff"
)

// SpatialDropout1D is Keras' SpatialDropout1D (Tompson et al. 2015): in training it drops
// whole feature channels of a sequence, one mask per sequence and feature, the same at
// every step. For x [B, T, F]:
//
//	y[b, t, f] = x[b, t, f] · m[b, f] / (1−Rate),  m[b, f] ~ Bernoulli(1−Rate)
//
// drawn afresh at every call from rng; outside training y = x. The gradient is
// dy[b, t, f] · m[b, f] / (1−Rate). Applied to an LSTM's input it is also what Keras'
// LSTM(dropout=Rate) does (one input mask per sequence, fixed across the time steps, as
// tf.keras' implementation 2 applies it to all four gates).
type SpatialDropout1D struct {
	Name string
	Rate float32 // in [0, 1)
}

// NewSpatialDropout1D returns the layer; rate must lie in [0, 1).
func NewSpatialDropout1D(name string, rate float32) *SpatialDropout1D {
	if !(rate >= 0 && rate < 1) {
		panic(fmt.Sprintf("nn.NewSpatialDropout1D %q: rate %v must lie in [0, 1)", name, rate))
	}
	return &SpatialDropout1D{Name: name, Rate: rate}
}

// Params returns nothing.
func (d *SpatialDropout1D) Params() []Param { return nil }

// Call returns x [B, T, F] with channel dropout applied when training and Rate > 0, x
// itself otherwise. The mask [B, F] (0 or 1/(1−Rate)) is kept on the tape.
func (d *SpatialDropout1D) Call(tp *autodiff.Tape, x *autodiff.Var, training bool, rng *rand.Rand) *autodiff.Var {
	if !training || d.Rate == 0 {
		return x
	}
	xs := x.Value.Shape
	if len(xs) != 3 {
		panic(fmt.Sprintf("nn.SpatialDropout1D %q: input shape %v, want [batch, steps, features]", d.Name, xs))
	}
	nb, nt, nf := xs[0], xs[1], xs[2]
	out := tp.NewVar(tp.Needs(x, nil), xs...)
	mask := tp.Scratch(nb, nf)
	DrawMask(mask.Data, d.Rate, rng)
	m, xv, y := mask.Data, x.Value.Data, out.Value.Data
	for b := 0; b < nb; b++ {
		mb := m[b*nf : b*nf+nf]
		for t := 0; t < nt; t++ {
			o := (b*nt + t) * nf
			xr, yr := xv[o:o+nf], y[o:o+nf]
			for f, s := range mb {
				yr[f] = xr[f] * s
			}
		}
	}
	tp.Record(autodiff.Node{Backward: spatialDropoutBackward, In: [3]*autodiff.Var{x}, Out: out, Scratch: mask})
	return out
}

func spatialDropoutBackward(n *autodiff.Node) {
	x, out := n.In[0], n.Out
	if !x.RequiresGrad() {
		return
	}
	nb, nt, nf := x.Value.Shape[0], x.Value.Shape[1], x.Value.Shape[2]
	dx, dy, m := x.Grad.Data, out.Grad.Data, n.Scratch.Data
	for b := 0; b < nb; b++ {
		mb := m[b*nf : b*nf+nf]
		for t := 0; t < nt; t++ {
			o := (b*nt + t) * nf
			dxr, dyr := dx[o:o+nf], dy[o:o+nf]
			for f, s := range mb {
				dxr[f] += dyr[f] * s
			}
		}
	}
}

// DrawMask fills m with an inverted-dropout mask: each element 1/(1−rate) with
// probability 1−rate, 0 otherwise (rate in [0, 1)).
func DrawMask(m []float32, rate float32, rng *rand.Rand) {
	keep := 1 - rate
	scale := 1 / keep
	for i := range m {
		if rng.Float32() < keep {
			m[i] = scale
		} else {
			m[i] = 0
		}
	}
}
