package nn_test

import (
	"math"
	"testing"

	"fugo/autodiff"
	"fugo/internal/gradcheck"
	"fugo/nn"
	"fugo/tensor"
)

// CallUp fuses 2×2 upsampling into a 3×3 "same" convolution of ≥ 16 channels to ≥ 16
// filters, or of a multiple of 8 channels to one filter (conv2d_up.go): the values and all gradients must match the two layers run
// apart, and the numerical gradient check must pass, at batch 1 and odd sizes (partial
// tiles, a partial 16-wide strip, 1-pixel images); the denoise decoder's shape with ReLU
// is compared with the two layers only.
func TestConv2DCallUp(t *testing.T) {
	up := nn.NewUpSampling2D("up", 2, 2)
	for i, c := range []struct {
		b, h, w, cin, f int
		act             autodiff.Activation
	}{
		{1, 3, 5, 16, 16, autodiff.Tanh},
		{2, 7, 7, 32, 32, autodiff.ReLU}, // the denoise decoder's shape, 2 images
		{1, 1, 1, 16, 17, autodiff.Linear},
		{2, 2, 9, 24, 20, autodiff.Sigmoid},
		// One filter (the single-filter fusion, channels a multiple of 8): the denoise
		// output layer's shape at 2 images, batch 1, 1-pixel and odd images.
		{2, 14, 14, 32, 1, autodiff.Sigmoid},
		{1, 3, 5, 8, 1, autodiff.Sigmoid},
		{1, 1, 1, 16, 1, autodiff.Linear},
		{3, 2, 9, 24, 1, autodiff.Tanh},
	} {
		rng := tensor.NewRNG(uint64(40 + i))
		l := nn.NewConv2D("c", c.cin, c.f, 3, 3, nn.Same, c.act, rng)
		for j := range l.Bias.Value.Data {
			l.Bias.Value.Data[j] = 0.1 * float32(j%5-2)
		}
		x := gradcheck.AwayFromZero(rng, c.b, c.h, c.w, c.cin)
		params := []*autodiff.Var{x, l.Kernel, l.Bias}
		run := func(fused bool) (y []float32, grads [][]float32) {
			tp := autodiff.NewTape()
			var out *autodiff.Var
			if fused {
				out = l.CallUp(tp, x, up)
			} else {
				out = l.Call(tp, up.Call(tp, x))
			}
			r := make([]float32, len(out.Value.Data))
			for k := range r {
				r[k] = float32(math.Sin(float64(k)))
			}
			loss := tp.Sum(tp.Mul(out, tp.Constant(tensor.FromSlice(r, out.Value.Shape...))))
			autodiff.ZeroGrad(params)
			tp.Backward(loss)
			for _, p := range params {
				grads = append(grads, append([]float32(nil), p.Grad.Data...))
			}
			return append([]float32(nil), out.Value.Data...), grads
		}
		yf, gf := run(true)
		yu, gu := run(false)
		close := func(what string, a, b []float32) {
			t.Helper()
			if len(a) != len(b) {
				t.Fatalf("case %d %s: %d vs %d values", i, what, len(a), len(b))
			}
			for k := range a {
				if d := math.Abs(float64(a[k] - b[k])); d > 1e-4+1e-4*math.Abs(float64(b[k])) {
					t.Fatalf("case %d %s[%d]: fused %g, unfused %g", i, what, k, a[k], b[k])
				}
			}
		}
		close("y", yf, yu)
		for k, name := range []string{"dx", "dkernel", "dbias"} {
			close(name, gf[k], gu[k])
		}
		if c.act == autodiff.ReLU || c.b*c.h*c.w*c.cin > 5000 {
			continue // the large cases: ReLU kinks under central differences, and too slow
		}
		gradcheck.Check(t, "Conv2D.CallUp", params, func(tp *autodiff.Tape) *autodiff.Var { return l.CallUp(tp, x, up) }, gradcheck.Options{})
		// A constant input: only the kernel and bias gradients.
		gradcheck.Check(t, "Conv2D.CallUp/constant-input", []*autodiff.Var{l.Kernel, l.Bias}, func(tp *autodiff.Tape) *autodiff.Var {
			return l.CallUp(tp, tp.Constant(&x.Value), up)
		}, gradcheck.Options{})
	}
}
