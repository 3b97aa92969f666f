package autodiff_test

import (
	"math"
	"testing"

	"fugo/autodiff"
	"fugo/internal/gradcheck"
	"fugo/tensor"
)

func TestGradients(t *testing.T) {
	rng := tensor.NewRNG(1)
	type build func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var
	cases := []struct {
		name   string
		inputs []*autodiff.Var
		f      build
	}{
		{"Add", []*autodiff.Var{gradcheck.Random(rng, -1, 1, 3, 5), gradcheck.Random(rng, -1, 1, 3, 5)},
			func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var { return tp.Add(in[0], in[1]) }},
		{"Sub", []*autodiff.Var{gradcheck.Random(rng, -1, 1, 1, 4), gradcheck.Random(rng, -1, 1, 1, 4)},
			func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var { return tp.Sub(in[0], in[1]) }},
		{"Mul", []*autodiff.Var{gradcheck.Random(rng, -1, 1, 2, 3), gradcheck.Random(rng, -1, 1, 2, 3)},
			func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var { return tp.Mul(in[0], in[1]) }},
		{"MulSelf", []*autodiff.Var{gradcheck.Random(rng, -1, 1, 7)},
			func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var { return tp.Mul(in[0], in[0]) }},
		{"Scale", []*autodiff.Var{gradcheck.Random(rng, -1, 1, 2, 3)},
			func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var { return tp.Scale(in[0], -2.5) }},
		{"AddScalar", []*autodiff.Var{gradcheck.Random(rng, -1, 1, 2, 3)},
			func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var { return tp.AddScalar(in[0], 3) }},
		{"Neg", []*autodiff.Var{gradcheck.Random(rng, -1, 1, 4)},
			func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var { return tp.Neg(in[0]) }},
		{"Exp", []*autodiff.Var{gradcheck.Random(rng, -2, 2, 3, 3)},
			func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var { return tp.Exp(in[0]) }},
		{"Log", []*autodiff.Var{gradcheck.Random(rng, 0.2, 3, 3, 3)},
			func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var { return tp.Log(in[0]) }},
		{"Square", []*autodiff.Var{gradcheck.Random(rng, -2, 2, 5)},
			func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var { return tp.Square(in[0]) }},
		{"Sum", []*autodiff.Var{gradcheck.Random(rng, -1, 1, 3, 4)},
			func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var { return tp.Sum(in[0]) }},
		{"Mean", []*autodiff.Var{gradcheck.Random(rng, -1, 1, 3, 4)},
			func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var { return tp.Mean(in[0]) }},
		{"SumLast", []*autodiff.Var{gradcheck.Random(rng, -1, 1, 2, 3, 4)},
			func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var { return tp.SumLast(in[0]) }},
		{"MeanLast", []*autodiff.Var{gradcheck.Random(rng, -1, 1, 3, 5)},
			func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var { return tp.MeanLast(in[0]) }},
		{"Chain", []*autodiff.Var{gradcheck.Random(rng, -1, 1, 4, 2), gradcheck.Random(rng, -1, 1, 4, 2)},
			func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var {
				// the VAE's sampling step and KL term as plain user code
				z := tp.Add(in[0], tp.Mul(tp.Exp(tp.Scale(in[1], 0.5)), in[0]))
				kl := tp.Scale(tp.SumLast(tp.Sub(tp.Sub(tp.AddScalar(in[1], 1), tp.Square(in[0])), tp.Exp(in[1]))), -0.5)
				return tp.Add(tp.SumLast(z), kl)
			}},
	}
	for _, a := range []autodiff.Activation{autodiff.Linear, autodiff.ReLU, autodiff.Sigmoid, autodiff.Tanh, autodiff.Softmax} {
		for _, shape := range [][]int{{1, 1}, {1, 5}, {3, 4}} {
			cases = append(cases, struct {
				name   string
				inputs []*autodiff.Var
				f      build
			}{"Activate/" + a.String(), []*autodiff.Var{gradcheck.AwayFromZero(rng, shape...)},
				func(tp *autodiff.Tape, in []*autodiff.Var) *autodiff.Var { return tp.Activate(in[0], a) }})
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gradcheck.Check(t, c.name, c.inputs, func(tp *autodiff.Tape) *autodiff.Var { return c.f(tp, c.inputs) }, gradcheck.Options{})
		})
	}
}

func TestActivationValues(t *testing.T) {
	z := []float32{-100, -1, 0, 1, 100}
	out := make([]float32, len(z))
	autodiff.Sigmoid.Forward(out, z, len(z))
	for i, v := range z {
		want := 1 / (1 + math.Exp(-float64(v)))
		if math.Abs(float64(out[i])-want) > 1e-7 {
			t.Errorf("sigmoid(%g) = %g, want %g", v, out[i], want)
		}
	}
	autodiff.Softmax.Forward(out, []float32{1000, 1000, 1000, 1000, 1000}, 5)
	for _, v := range out {
		if v != 0.2 {
			t.Errorf("softmax of equal large logits = %v, want 0.2 each", out)
		}
	}
}

func TestBackwardAccumulatesIntoParams(t *testing.T) {
	p := autodiff.NewParam(tensor.FromSlice([]float32{1, 2, 3}, 3))
	tp := autodiff.NewTape()
	for range 2 {
		tp.Reset()
		tp.Backward(tp.Sum(tp.Scale(p, 2)))
	}
	for _, g := range p.Grad.Data {
		if g != 4 {
			t.Fatalf("after two backward passes grad = %v, want 4 each (accumulated)", p.Grad.Data)
		}
	}
}

func TestConstantIsNotOverwritten(t *testing.T) {
	// A Var slot that once borrowed a caller's tensor must not write into it when reused.
	x := tensor.FromSlice([]float32{7, 7, 7}, 3)
	p := autodiff.NewParam(tensor.FromSlice([]float32{1, 2, 3}, 3))
	tp := autodiff.NewTape()
	tp.Constant(x)
	tp.Reset()
	tp.Add(p, p) // takes the slot the constant used
	for _, v := range x.Data {
		if v != 7 {
			t.Fatalf("constant's data changed to %v", x.Data)
		}
	}
}

func TestStepAllocatesNothing(t *testing.T) {
	p := autodiff.NewParam(tensor.New(16, 8))
	tp := autodiff.NewTape()
	step := func() {
		tp.Reset()
		y := tp.Activate(tp.Add(p, tp.Square(p)), autodiff.Sigmoid)
		tp.Backward(tp.Mean(tp.MeanLast(tp.Exp(y))))
	}
	step()
	if n := testing.AllocsPerRun(20, step); n != 0 {
		t.Errorf("steady-state step allocates %v times, want 0", n)
	}
}
