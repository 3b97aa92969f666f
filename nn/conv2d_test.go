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

type convCase struct {
	b, h, w, cin, f, kh, kw, sh, sw int
	pad                             nn.Padding
	act                             autodiff.Activation
}

func (c convCase) String() string {
	return fmt.Sprintf("%dx%dx%dx%d_to_%d_k%dx%d_s%dx%d_%s_%s", c.b, c.h, c.w, c.cin, c.f, c.kh, c.kw, c.sh, c.sw, c.pad, c.act)
}

// convCases cover every algorithm: im2col (stride 1: flipped-kernel input gradient;
// stride 2: col2im), taps (F·KH·KW ≤ 32 and F < Cin), direct (stride 1, F ≥ 8, KW·Cin ≥ 16, OW ≥ 12),
// single filter (stride 1, F = 1, Cin a multiple of 8),
// row taps (what direct does not take) and the 1×1 in-place multiply, at
// batch 1 and odd sizes, with asymmetric "same" padding (even kernels, strides).
var convCases = []convCase{
	{1, 5, 7, 2, 3, 3, 3, 1, 1, nn.Same, autodiff.Tanh},
	{1, 7, 7, 3, 2, 3, 3, 1, 1, nn.Valid, autodiff.Linear},
	{2, 3, 1, 2, 2, 3, 1, 1, 1, nn.Same, autodiff.Sigmoid},
	{1, 5, 7, 3, 2, 3, 3, 2, 2, nn.Same, autodiff.Tanh},
	{2, 7, 7, 2, 3, 3, 3, 2, 2, nn.Valid, autodiff.Linear},
	{1, 6, 5, 2, 2, 2, 2, 1, 1, nn.Same, autodiff.Linear},
	{1, 4, 6, 2, 2, 2, 3, 2, 3, nn.Same, autodiff.Linear},
	{1, 5, 7, 4, 1, 3, 3, 1, 1, nn.Same, autodiff.Sigmoid}, // taps
	{2, 7, 7, 5, 3, 3, 3, 1, 1, nn.Same, autodiff.Tanh},    // taps, F·9 = 27
	{1, 7, 5, 4, 2, 3, 3, 1, 1, nn.Valid, autodiff.Linear}, // taps, valid
	{1, 3, 5, 3, 4, 1, 1, 1, 1, nn.Same, autodiff.Tanh},    // 1×1 in place
	{1, 5, 7, 3, 4, 3, 3, 1, 1, nn.Same, autodiff.ReLU},
	{1, 5, 7, 3, 8, 3, 3, 1, 1, nn.Same, autodiff.ReLU},   // vectorised bias+ReLU: 8-float pattern
	{2, 4, 3, 1, 16, 3, 3, 1, 1, nn.Same, autodiff.ReLU},  // 16 filters, as the first MNIST layer
	{1, 5, 7, 2, 3, 3, 3, 1, 1, nn.Same, autodiff.ReLU},   // 24-float pattern and a tail of rows
	{1, 5, 7, 16, 3, 3, 3, 1, 1, nn.Same, autodiff.Tanh},  // KW·Cin = 48 but 3 filters: im2col
	{2, 4, 5, 16, 16, 3, 3, 1, 1, nn.Same, autodiff.Tanh}, // row taps both ways
	{1, 6, 7, 16, 16, 2, 3, 1, 1, nn.Valid, autodiff.Linear},
	{2, 3, 4, 10, 16, 5, 5, 1, 1, nn.Same, autodiff.Linear},  // row taps forward, im2col of dZ back; padding 2 > half the image
	{2, 3, 13, 8, 8, 3, 3, 1, 1, nn.Same, autodiff.Tanh},     // direct both ways, a partial tile a row
	{1, 4, 12, 12, 17, 3, 3, 1, 1, nn.Same, autodiff.ReLU},   // direct: 17 filters (a partial strip), 24-float depth back
	{2, 4, 14, 8, 16, 3, 3, 1, 1, nn.Valid, autodiff.Tanh},   // direct, valid (as the conv model's last decoder layer)
	{1, 5, 7, 7, 16, 7, 7, 1, 1, nn.Same, autodiff.Linear},   // row taps: 7 channels are too few for a direct input gradient
	{1, 7, 7, 8, 8, 3, 3, 1, 1, nn.Same, autodiff.Tanh},      // direct on 7-pixel rows: 8 filters, 8 input channels
	{1, 5, 7, 8, 1, 3, 3, 1, 1, nn.Same, autodiff.Sigmoid},   // single filter (conv2d_f1.go), rows narrower than 8
	{2, 4, 11, 16, 1, 3, 3, 1, 1, nn.Same, autodiff.Sigmoid}, // single filter, a group of 8 and an overlapping one
	{1, 6, 9, 8, 1, 2, 3, 1, 1, nn.Valid, autodiff.Linear},   // single filter, valid, even kernel
}

// refConv is the doc comment's formula in float64 with Keras' padding computed directly.
func refConv(x, k, bias []float32, c convCase) ([]float64, int, int) {
	pads := func(in, kk, s int) (out, before int) {
		if c.pad == nn.Valid {
			return (in-kk)/s + 1, 0
		}
		out = int(math.Ceil(float64(in) / float64(s)))
		return out, max((out-1)*s+kk-in, 0) / 2
	}
	oh, pt := pads(c.h, c.kh, c.sh)
	ow, pl := pads(c.w, c.kw, c.sw)
	y := make([]float64, c.b*oh*ow*c.f)
	for b := 0; b < c.b; b++ {
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				for o := 0; o < c.f; o++ {
					s := float64(bias[o])
					for i := 0; i < c.kh; i++ {
						for j := 0; j < c.kw; j++ {
							yy, xx := oy*c.sh+i-pt, ox*c.sw+j-pl
							if yy < 0 || yy >= c.h || xx < 0 || xx >= c.w {
								continue
							}
							for ch := 0; ch < c.cin; ch++ {
								s += float64(x[((b*c.h+yy)*c.w+xx)*c.cin+ch]) * float64(k[((i*c.kw+j)*c.cin+ch)*c.f+o])
							}
						}
					}
					switch c.act {
					case autodiff.ReLU:
						s = max(s, 0)
					case autodiff.Tanh:
						s = math.Tanh(s)
					case autodiff.Sigmoid:
						s = 1 / (1 + math.Exp(-s))
					}
					y[((b*oh+oy)*ow+ox)*c.f+o] = s
				}
			}
		}
	}
	return y, oh, ow
}

func newConv(c convCase, seed uint64) *nn.Conv2D {
	rng := tensor.NewRNG(seed)
	l := nn.NewConv2D("conv", c.cin, c.f, c.kh, c.kw, c.pad, c.act, rng)
	l.Strides = [2]int{c.sh, c.sw}
	l.Bias.Value.FillUniform(rng, -0.3, 0.3)
	return l
}

func TestConv2DForward(t *testing.T) {
	for i, c := range convCases {
		l := newConv(c, uint64(i))
		rng := tensor.NewRNG(uint64(100 + i))
		x := tensor.New(c.b, c.h, c.w, c.cin)
		x.FillUniform(rng, -1, 1)
		want, oh, ow := refConv(x.Data, l.Kernel.Value.Data, l.Bias.Value.Data, c)
		tp := autodiff.NewTape()
		y := l.Call(tp, tp.Constant(x))
		if s := y.Value.Shape; s[0] != c.b || s[1] != oh || s[2] != ow || s[3] != c.f {
			t.Fatalf("%v: output shape %v, want [%d %d %d %d]", c, s, c.b, oh, ow, c.f)
		}
		if goh, gow := l.OutputShape(c.h, c.w); goh != oh || gow != ow {
			t.Errorf("%v: OutputShape = %d×%d, want %d×%d", c, goh, gow, oh, ow)
		}
		for j, v := range y.Value.Data {
			if math.Abs(float64(v)-want[j]) > 1e-5*(1+math.Abs(want[j])) {
				t.Fatalf("%v: element %d = %v, want %v", c, j, v, want[j])
			}
		}
	}
}

func TestConv2DGradients(t *testing.T) {
	for i, c := range convCases {
		l := newConv(c, uint64(i))
		x := gradcheck.AwayFromZero(tensor.NewRNG(uint64(200+i)), c.b, c.h, c.w, c.cin)
		gradcheck.Check(t, "Conv2D/"+c.String(), []*autodiff.Var{x, l.Kernel, l.Bias},
			func(tp *autodiff.Tape) *autodiff.Var { return l.Call(tp, x) }, gradcheck.Options{})
	}
}

// The first layer of a model gets a constant input: no input gradient is computed, the
// kernel's still is.
// One-channel 3×3 "same" ReLU layers with 8, 16, 24 or 32 filters take the direct kernel
// (kernels.Conv3x3C1ReLU) there.
func TestConv2DConstantInput(t *testing.T) {
	for i, c := range []convCase{
		{1, 5, 7, 1, 4, 3, 3, 1, 1, nn.Same, autodiff.Tanh},
		{2, 3, 3, 1, 8, 3, 3, 1, 1, nn.Same, autodiff.ReLU},     // direct
		{2, 3, 4, 1, 16, 3, 3, 1, 1, nn.Same, autodiff.ReLU},    // direct
		{1, 4, 2, 1, 24, 3, 3, 1, 1, nn.Same, autodiff.ReLU},    // direct
		{1, 5, 5, 1, 8, 3, 3, 1, 1, nn.Valid, autodiff.ReLU},    // not direct: valid
		{2, 3, 13, 8, 8, 3, 3, 1, 1, nn.Same, autodiff.Tanh},    // direct (conv2d_direct.go) without the input gradient
		{1, 3, 10, 8, 1, 3, 3, 1, 1, nn.Same, autodiff.Sigmoid}, // single filter without the input gradient
	} {
		l := newConv(c, uint64(9+i))
		xv := gradcheck.AwayFromZero(tensor.NewRNG(uint64(9+i)), c.b, c.h, c.w, c.cin)
		gradcheck.Check(t, "Conv2D/constant-input/"+c.String(), []*autodiff.Var{l.Kernel, l.Bias}, func(tp *autodiff.Tape) *autodiff.Var {
			return l.Call(tp, tp.Constant(&xv.Value))
		}, gradcheck.Options{})
	}
}

func TestConv2DGlorotFans(t *testing.T) {
	l := nn.NewConv2D("c", 16, 8, 3, 3, nn.Same, autodiff.ReLU, tensor.NewRNG(1))
	limit := math.Sqrt(6.0 / float64(9*16+9*8))
	var maxAbs float64
	for _, v := range l.Kernel.Value.Data {
		maxAbs = max(maxAbs, math.Abs(float64(v)))
	}
	if maxAbs > limit || maxAbs < 0.9*limit {
		t.Errorf("kernel max |w| = %v, want just below the Glorot limit %v", maxAbs, limit)
	}
	if s := l.Kernel.Value.Shape; len(s) != 4 || s[0] != 3 || s[1] != 3 || s[2] != 16 || s[3] != 8 {
		t.Errorf("kernel shape %v, want [3 3 16 8]", s)
	}
	if ps := l.Params(); ps[0].Name != "c/kernel" || ps[1].Name != "c/bias" {
		t.Errorf("param names %q %q", ps[0].Name, ps[1].Name)
	}
}

// convBenchShapes are the convolutions of the conv, denoise and illust models (3×3
// kernels), as in bench/torch_conv_layers.py.
var convBenchShapes = []struct {
	name            string
	b, h, w, cin, f int
	pad             nn.Padding
	act             autodiff.Activation
	inputNeedsGrad  bool
}{
	{"mnist_28x28x1_16", 128, 28, 28, 1, 16, nn.Same, autodiff.ReLU, false},
	{"mnist_14x14x16_8", 128, 14, 14, 16, 8, nn.Same, autodiff.ReLU, true},
	{"mnist_7x7x8_8", 128, 7, 7, 8, 8, nn.Same, autodiff.ReLU, true},
	{"mnist_4x4x8_8", 128, 4, 4, 8, 8, nn.Same, autodiff.ReLU, true},
	{"mnist_8x8x8_8", 128, 8, 8, 8, 8, nn.Same, autodiff.ReLU, true},
	{"mnist_16x16x8_16_valid", 128, 16, 16, 8, 16, nn.Valid, autodiff.ReLU, true},
	{"mnist_28x28x16_1", 128, 28, 28, 16, 1, nn.Same, autodiff.Sigmoid, true},
	{"denoise_28x28x1_32", 128, 28, 28, 1, 32, nn.Same, autodiff.ReLU, false},
	{"denoise_14x14x32_32", 128, 14, 14, 32, 32, nn.Same, autodiff.ReLU, true},
	{"denoise_7x7x32_32", 128, 7, 7, 32, 32, nn.Same, autodiff.ReLU, true},
	{"denoise_28x28x32_1", 128, 28, 28, 32, 1, nn.Same, autodiff.Sigmoid, true},
	{"illust_64x64x3_16", 3, 64, 64, 3, 16, nn.Same, autodiff.ReLU, false},
	{"illust_32x32x16_8", 3, 32, 32, 16, 8, nn.Same, autodiff.ReLU, true},
	{"illust_16x16x8_8", 3, 16, 16, 8, 8, nn.Same, autodiff.ReLU, true},
	{"illust_8x8x8_8", 3, 8, 8, 8, 8, nn.Same, autodiff.ReLU, true},
	{"illust_64x64x16_3", 3, 64, 64, 16, 3, nn.Same, autodiff.Sigmoid, true},
}

// BenchmarkConv2D is one forward and backward pass of each model convolution (the loss is
// the sum of the outputs, as y.backward(ones) in the PyTorch script). -benchmem shows 0
// allocs/op once warm.
func BenchmarkConv2D(b *testing.B) {
	for _, s := range convBenchShapes {
		b.Run(s.name, func(b *testing.B) {
			rng := tensor.NewRNG(1)
			l := nn.NewConv2D("c", s.cin, s.f, 3, 3, s.pad, s.act, rng)
			x := gradcheck.Random(rng, 0, 1, s.b, s.h, s.w, s.cin)
			tp := autodiff.NewTape()
			step := func() {
				tp.Reset()
				in := x
				if !s.inputNeedsGrad {
					in = tp.Constant(&x.Value)
				}
				tp.Backward(tp.Sum(l.Call(tp, in)))
			}
			step()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				step()
			}
		})
	}
}
