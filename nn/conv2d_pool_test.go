package nn_test

import (
	"fmt"
	"math"
	"testing"

	"fugo/autodiff"
	"fugo/internal/gradcheck"
	"fugo/nn"
	"fugo/tensor"
)

// CallPool fuses a one-channel 3×3 "same" ReLU convolution of a constant input with 2×2
// max pooling (conv2d_pool.go): the pooled values and the kernel and bias gradients must be
// those of the two layers run apart, bit for bit, and the numerical gradient check must
// pass, at batch 1, odd sizes (a last single row or column) and 1-pixel images; an input
// that needs its gradient runs as the two layers.
func TestConv2DCallPool(t *testing.T) {
	for i, c := range []struct {
		b, h, w, f int
		pad        nn.Padding
		needX      bool
	}{
		{1, 3, 5, 8, nn.Same, false},
		{2, 4, 4, 16, nn.Valid, false},
		{1, 1, 1, 8, nn.Same, false},
		{2, 5, 3, 24, nn.Same, false},
		{1, 4, 2, 24, nn.Same, false},
		{1, 5, 4, 16, nn.Same, false},
		{1, 5, 2, 8, nn.Same, false},
		{1, 5, 4, 8, nn.Valid, false},
		{2, 28, 28, 32, nn.Same, false}, // the denoise encoder's first layer, 2 images
		{1, 3, 5, 8, nn.Same, true},
	} {
		rng := tensor.NewRNG(uint64(60 + i))
		l := nn.NewConv2D("c", 1, c.f, 3, 3, nn.Same, autodiff.ReLU, rng)
		for j := range l.Bias.Value.Data {
			l.Bias.Value.Data[j] = 0.1*float32(j%5-2) + 0.05 // no bias exactly 0: outputs at the ReLU kink
		}
		pool := nn.NewMaxPooling2D("p", 2, 2, c.pad)
		x := gradcheck.AwayFromZero(rng, c.b, c.h, c.w, 1)
		params := []*autodiff.Var{l.Kernel, l.Bias}
		if c.needX {
			params = append(params, x)
		}
		in := func(tp *autodiff.Tape) *autodiff.Var {
			if c.needX {
				return x
			}
			return tp.Constant(&x.Value)
		}
		run := func(fused bool) string {
			tp := autodiff.NewTape()
			var out *autodiff.Var
			if fused {
				out = l.CallPool(tp, in(tp), pool)
			} else {
				out = pool.Call(tp, l.Call(tp, in(tp)))
			}
			r := make([]float32, len(out.Value.Data))
			for k := range r {
				r[k] = float32(math.Sin(float64(k)))
			}
			loss := tp.Sum(tp.Mul(out, tp.Constant(tensor.FromSlice(r, out.Value.Shape...))))
			autodiff.ZeroGrad(params)
			tp.Backward(loss)
			s := fmt.Sprint(out.Value.Shape, out.Value.Data)
			for _, p := range params {
				s += fmt.Sprint(p.Grad.Data)
			}
			return s
		}
		if f, u := run(true), run(false); f != u {
			t.Fatalf("case %d: CallPool differs from Pool.Call(Call(x))", i)
		}
		if c.b*c.h*c.w > 100 {
			continue // the large case: too slow for central differences
		}
		// A step of 1e-4: with the default 1e-3 the kernel's perturbation moves outputs by
		// ~1e-3 and often swaps the maxima of close pooling windows (the two layers run apart
		// fail the same way).
		gradcheck.Check(t, fmt.Sprintf("Conv2D.CallPool/%d", i), params, func(tp *autodiff.Tape) *autodiff.Var {
			return l.CallPool(tp, in(tp), pool)
		}, gradcheck.Options{Step: 1e-4, Atol: 5e-3})
	}
}
