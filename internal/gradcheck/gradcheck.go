// Package gradcheck compares the gradients an op's backward pass computes with central
// finite differences, for the tests of every op and layer.
//
// The op's output y is projected on a fixed random vector r, L = Σ r⊙y, so that one scalar
// checks every output element. For each input element x_i the numerical derivative is
// (L(x_i + h) − L(x_i − h)) / 2h with h = 1e-3 (float32 forward passes), summed in float64.
package gradcheck

import (
	"math"
	"math/rand/v2"

	"fugo/autodiff"
	"fugo/tensor"
)

// T is the part of *testing.T the check needs.
type T interface {
	Helper()
	Errorf(format string, args ...any)
}

// Options tune a check. The zero value uses h = 1e-3, an absolute tolerance of 2e-3 and a
// relative tolerance of 2e-2: float32 forward passes make central differences accurate to
// about 1e-4·|L|/h·ε_32 … in practice 1e-3.
type Options struct {
	Step   float64
	Atol   float64
	Rtol   float64
	Seed   uint64
	Errors int // stop reporting after this many mismatches (default 5)
}

// Check runs f (which must build its output from inputs on the tape it is given, and may
// use parameters among inputs) and compares the analytic gradient of every input that
// requires one with central differences. inputs must be Vars made by autodiff.NewParam.
func Check(t T, name string, inputs []*autodiff.Var, f func(tp *autodiff.Tape) *autodiff.Var, opt Options) {
	t.Helper()
	if opt.Step == 0 {
		opt.Step = 1e-3
	}
	if opt.Atol == 0 {
		opt.Atol = 2e-3
	}
	if opt.Rtol == 0 {
		opt.Rtol = 2e-2
	}
	if opt.Errors == 0 {
		opt.Errors = 5
	}
	rng := tensor.NewRNG(opt.Seed + 1)
	tp := autodiff.NewTape()
	y := f(tp)
	r := make([]float32, len(y.Value.Data))
	for i := range r {
		r[i] = float32(rng.NormFloat64())
	}
	rv := tp.Constant(tensor.FromSlice(r, y.Value.Shape...))
	loss := tp.Sum(tp.Mul(y, rv))
	autodiff.ZeroGrad(inputs)
	tp.Backward(loss)

	project := func() float64 {
		tp := autodiff.NewTape()
		tp.NoGrad = true
		y := f(tp)
		var s float64
		for i, v := range y.Value.Data {
			s += float64(v) * float64(r[i])
		}
		return s
	}
	bad := 0
	for k, in := range inputs {
		analytic := append([]float32(nil), in.Grad.Data...)
		x := in.Value.Data
		for i := range x {
			orig := x[i]
			x[i] = orig + float32(opt.Step)
			lp := project()
			x[i] = orig - float32(opt.Step)
			lm := project()
			x[i] = orig
			numeric := (lp - lm) / (2 * opt.Step)
			a := float64(analytic[i])
			if diff := math.Abs(a - numeric); diff > opt.Atol+opt.Rtol*math.Max(math.Abs(a), math.Abs(numeric)) || math.IsNaN(a) {
				bad++
				if bad <= opt.Errors {
					t.Errorf("%s: input %d %v element %d: analytic %.6g, numeric %.6g", name, k, in.Value.Shape, i, a, numeric)
				}
			}
		}
	}
}

// Random returns a parameter of the given shape with elements drawn from U[lo, hi).
func Random(rng *rand.Rand, lo, hi float32, shape ...int) *autodiff.Var {
	t := tensor.New(shape...)
	t.FillUniform(rng, lo, hi)
	return autodiff.NewParam(t)
}

// AwayFromZero returns a parameter with elements of magnitude in [0.1, 1) and random sign,
// for ops with a kink at zero (ReLU, max pooling ties).
func AwayFromZero(rng *rand.Rand, shape ...int) *autodiff.Var {
	v := Random(rng, 0.1, 1, shape...)
	for i := range v.Value.Data {
		if rng.IntN(2) == 0 {
			v.Value.Data[i] = -v.Value.Data[i]
		}
	}
	return v
}
