package nn

import (
	"fmt"
	"math/rand/v2"

	"fugo/autodiff"
)

// GaussianNoise is Keras' GaussianNoise layer: in training it returns x + ε with
// ε ~ N(0, Stddev²) drawn afresh at every call from the given rng; otherwise x itself.
// The gradient passes through unchanged.
type GaussianNoise struct {
	Name   string
	Stddev float32
}

// NewGaussianNoise returns a noise layer with standard deviation stddev ≥ 0.
func NewGaussianNoise(name string, stddev float32) *GaussianNoise {
	if !(stddev >= 0) {
		panic(fmt.Sprintf("nn.NewGaussianNoise %q: stddev %v must be non-negative", name, stddev))
	}
	return &GaussianNoise{Name: name, Stddev: stddev}
}

// Params returns nothing.
func (g *GaussianNoise) Params() []Param { return nil }

// Call returns x + N(0, Stddev²) noise when training, x unchanged otherwise.
func (g *GaussianNoise) Call(tp *autodiff.Tape, x *autodiff.Var, training bool, rng *rand.Rand) *autodiff.Var {
	if !training || g.Stddev == 0 {
		return x
	}
	eps := tp.Scratch(x.Value.Shape...)
	eps.FillNormal(rng, 0, g.Stddev)
	return tp.Add(x, tp.Constant(eps))
}
