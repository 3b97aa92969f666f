package onnx_test

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fugo/autodiff"
	"fugo/interop/onnx"
	"fugo/nn"
	"fugo/tensor"
	"fugo/zoo"
)

// tolerance: |ONNX Runtime − fugo| ≤ 1e-5·max(1, |fugo|) for every element: absolute for
// values up to 1 (the sigmoid outputs, probabilities, LSTM outputs), relative above (the
// ReLU codes of random weights reach a few units).
const tolerance = 1e-5

// checkORT exports g, runs it in ONNX Runtime on x and compares the output with want.
func checkORT(t *testing.T, g *onnx.Graph, x, want *tensor.Tensor) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "model.onnx")
	if err := onnx.SaveFile(path, g); err != nil {
		t.Fatal(err)
	}
	got := runORT(t, path, x)
	if !slices.Equal(got.Shape, want.Shape) {
		t.Fatalf("ONNX Runtime output %v, fugo %v", got.Shape, want.Shape)
	}
	worst, at := 0.0, 0
	for i := range want.Data {
		w := float64(want.Data[i])
		d := math.Abs(float64(got.Data[i])-w) / max(1, math.Abs(w))
		if !(d <= worst) {
			worst, at = d, i
		}
	}
	if !(worst <= tolerance) {
		t.Errorf("element %d: ONNX Runtime %v, fugo %v: error %.3g > %g", at, got.Data[at], want.Data[at], worst, tolerance)
	}
	t.Logf("%v → %v: max scaled error %.3g", x.Shape, want.Shape, worst)
}

// layerOut runs one layer in fugo.
func layerOut(call func(*autodiff.Tape, *autodiff.Var) *autodiff.Var, x *tensor.Tensor) *tensor.Tensor {
	tp := autodiff.NewTape()
	tp.NoGrad = true
	y := call(tp, tp.Constant(x)).Value
	return tensor.FromSlice(append([]float32(nil), y.Data...), y.Shape...)
}

// randomBiases gives every bias random values, so that a mistake in them shows.
func randomBiases(ps []nn.Param, seed uint64) {
	rng := tensor.NewRNG(seed)
	for _, p := range ps {
		if strings.HasSuffix(p.Name, "/bias") {
			tensor.FromSlice(p.Var.Value.Data, len(p.Var.Value.Data)).FillUniform(rng, -0.5, 0.5)
		}
	}
}

func uniform(seed uint64, lo, hi float32, shape ...int) *tensor.Tensor {
	x := tensor.New(shape...)
	x.FillUniform(tensor.NewRNG(seed), lo, hi)
	return x
}

// Single 2-D layers at odd sizes, strides and paddings, batch 1 and 3: Conv2D with Keras
// "same" padding split unevenly (total 3: 1 before, 2 after) and "valid", MaxPooling2D
// with "same" padding rounding up (7 → 4, 9 → 5) on all-negative inputs (a zero pad
// would win every window that holds one), with padding before (3×3 pool, stride 2), and
// "valid" rounding down, UpSampling2D 2×3.
func TestExport2DLayersRunInORT(t *testing.T) {
	rng := tensor.NewRNG(11)
	conv := func(pad nn.Padding, f autodiff.Activation, kh, kw, sh, sw int) *nn.Conv2D {
		c := nn.NewConv2D("c", 3, 5, kh, kw, pad, f, rng)
		c.Strides = [2]int{sh, sw}
		randomBiases(c.Params(), 12)
		return c
	}
	pool := func(pad nn.Padding, p, s int) *nn.MaxPooling2D {
		m := nn.NewMaxPooling2D("p", p, p, pad)
		m.Strides = [2]int{s, s}
		return m
	}
	type layer interface {
		Call(*autodiff.Tape, *autodiff.Var) *autodiff.Var
	}
	cases := []struct {
		name  string
		l     layer
		shape []int // one input
		lo    float32
	}{
		{"conv same 4x3 stride 2x1 linear", conv(nn.Same, autodiff.Linear, 4, 3, 2, 1), []int{9, 7, 3}, -1},
		{"conv same 3x3 relu", conv(nn.Same, autodiff.ReLU, 3, 3, 1, 1), []int{7, 5, 3}, -1},
		{"conv valid 3x2 stride 2 sigmoid", conv(nn.Valid, autodiff.Sigmoid, 3, 2, 2, 2), []int{9, 8, 3}, -1},
		{"conv same softmax", conv(nn.Same, autodiff.Softmax, 2, 2, 1, 1), []int{5, 4, 3}, -1},
		{"maxpool same 2x2 negative", pool(nn.Same, 2, 2), []int{7, 9, 3}, -3},
		{"maxpool same 3x3 stride 2 negative", pool(nn.Same, 3, 2), []int{7, 8, 2}, -3},
		{"maxpool valid 2x2", pool(nn.Valid, 2, 2), []int{7, 5, 2}, -3},
		{"upsample 2x3", nn.NewUpSampling2D("u", 2, 3), []int{3, 5, 2}, -1},
	}
	for i, c := range cases {
		for _, n := range []int{1, 3} {
			t.Run(fmt.Sprintf("%s batch %d", c.name, n), func(t *testing.T) {
				hi := c.lo + 2
				if c.lo < -2 {
					hi = -0.5
				}
				x := uniform(uint64(100+i*10+n), c.lo, hi, append([]int{n}, c.shape...)...)
				checkORT(t, &onnx.Graph{Name: "layer", InputShape: c.shape, Layers: []any{c.l}}, x, layerOut(c.l.Call, x))
			})
		}
	}
}

// The convolutional autoencoders (conv with its 7 → 4 pooling and "valid" decoder
// convolution, denoise, illust, and a 12×20×2 model with 3×5 codes) export every part with
// NHWC input and output; ONNX Runtime gives fugo's outputs for batches of 1 and 3.
func TestExportConvModelsRunInORT(t *testing.T) {
	rng := tensor.NewRNG(5)
	odd := zoo.ConvConfig{Height: 12, Width: 20, Channels: 2, KernelSize: 3, Encoder: []int{6, 4}, Decoder: []int{4, 6}}
	models := []*zoo.ConvAE{
		zoo.NewConvModel(rng),
		zoo.NewDenoise(rng),
		zoo.NewIllust(rng),
		zoo.NewConvAE("conv", odd, rng),
	}
	for mi, m := range models {
		randomBiases(m.Params(), uint64(20+mi))
		h, w, c := m.Input()
		ch, cw, cc := m.CodeShape()
		for _, part := range []string{"encoder", "decoder", "all"} {
			for _, n := range []int{1, 3} {
				name := fmt.Sprintf("%s %dx%dx%d %s batch %d", m.Kind(), h, w, c, part, n)
				t.Run(name, func(t *testing.T) {
					var x, want *tensor.Tensor
					seed := uint64(mi*100 + n)
					switch part {
					case "encoder":
						x = uniform(seed, 0, 1, n, h, w, c)
						want = layerOut(m.Encode, x)
					case "decoder":
						x = uniform(seed, 0, 2, n, ch, cw, cc)
						want = layerOut(m.Decode, x)
					case "all":
						x = uniform(seed, 0, 1, n, h, w, c)
						want = layerOut(m.Reconstruct, x)
					}
					g, err := onnx.Parts(m, part)
					if err != nil {
						t.Fatal(err)
					}
					checkORT(t, g, x, want)
				})
			}
		}
	}
}
