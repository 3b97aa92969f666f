package nn

import (
	"fmt"
	"math/rand/v2"

	"fugo/autodiff"
)

// Dropout is Keras' Dropout layer (inverted dropout, Srivastava et al. 2014): in training
// each element of x is zeroed with probability Rate and the survivors are scaled by
// 1/(1−Rate), so the expected output equals x,
//
//	y = x ⊙ m / (1−Rate),  m_i ~ Bernoulli(1−Rate) drawn afresh at every call from rng;
//
// outside training (evaluation, prediction) y = x. The gradient is dy ⊙ m / (1−Rate).
// Any shape in, the same shape out.
type Dropout struct {
	Name string
	Rate float32 // in [0, 1)
}

// NewDropout returns a dropout layer; rate must lie in [0, 1).
func NewDropout(name string, rate float32) *Dropout {
	if !(rate >= 0 && rate < 1) {
		panic(fmt.Sprintf("nn.NewDropout %q: rate %v must lie in [0, 1)", name, rate))
	}
	return &Dropout{Name: name, Rate: rate}
}

// Params returns nothing.
func (d *Dropout) Params() []Param { return nil }

// Call returns x with dropout applied when training and Rate > 0, x itself otherwise.
// The mask (0 or 1/(1−Rate) per element) is kept on the tape for the backward pass.
func (d *Dropout) Call(tp *autodiff.Tape, x *autodiff.Var, training bool, rng *rand.Rand) *autodiff.Var {
	if !training || d.Rate == 0 {
		return x
	}
	out := tp.NewVar(tp.Needs(x, nil), x.Value.Shape...)
	mask := tp.Scratch(x.Value.Shape...)
	keep := 1 - d.Rate
	scale := 1 / keep
	m, xs, y := mask.Data, x.Value.Data, out.Value.Data
	for i := range m {
		if rng.Float32() < keep {
			m[i] = scale
		} else {
			m[i] = 0
		}
		y[i] = xs[i] * m[i]
	}
	tp.Record(autodiff.Node{Backward: dropoutBackward, In: [3]*autodiff.Var{x}, Out: out, Scratch: mask})
	return out
}

func dropoutBackward(n *autodiff.Node) {
	x, out := n.In[0], n.Out
	if !x.RequiresGrad() {
		return
	}
	dx, dy, m := x.Grad.Data, out.Grad.Data, n.Scratch.Data
	for i, g := range dy {
		dx[i] += g * m[i]
	}
}
