package interop_test

import (
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fugo/autodiff"
	"fugo/checkpoint"
	"fugo/interop"
	"fugo/nn"
	"fugo/tensor"
	"fugo/zoo"
)

// reference reads testdata/<name>.safetensors (made by make_reference.py): PyTorch's
// state dict and its input and output on it.
func reference(t *testing.T, name string) (sd []checkpoint.Tensor, in, out *tensor.Tensor) {
	t.Helper()
	ts, _, err := checkpoint.LoadFile(filepath.Join("testdata", name+".safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ts {
		switch x.Name {
		case "test.input":
			in = tensor.FromSlice(x.Data, x.Shape...)
		case "test.output":
			out = tensor.FromSlice(x.Data, x.Shape...)
		default:
			sd = append(sd, x)
		}
	}
	return sd, in, out
}

func assertClose(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, PyTorch has %d", what, len(got), len(want))
	}
	worst := 0.0
	for i := range got {
		worst = max(worst, math.Abs(float64(got[i])-float64(want[i])))
	}
	if !(worst <= tol) {
		t.Errorf("%s: max |fugo − PyTorch| = %.3g > %g", what, worst, tol)
	}
}

// roundTrip checks that exporting the loaded weights gives back PyTorch's tensors (bit
// for bit, except an LSTM's two biases, exported as their sum and zero) and that loading
// the export gives back the same fugo weights.
func roundTrip(t *testing.T, ps []nn.Param, sd []checkpoint.Tensor) {
	t.Helper()
	back, err := interop.ToTorch(ps, nil)
	if err != nil {
		t.Fatal(err)
	}
	orig := map[string]checkpoint.Tensor{}
	for _, x := range sd {
		orig[x.Name] = x
	}
	for _, x := range back {
		o, ok := orig[x.Name]
		if !ok || !slices.Equal(o.Shape, x.Shape) {
			t.Fatalf("exported %s %v, PyTorch has %v", x.Name, x.Shape, o.Shape)
		}
		if strings.Contains(x.Name, ".bias_") {
			continue
		}
		if !slices.Equal(o.Data, x.Data) {
			t.Errorf("exported %s differs from PyTorch's", x.Name)
		}
	}
	again, err := interop.FromTorch(ps, back, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range ps {
		if !slices.Equal(again[i].Data, p.Var.Value.Data) {
			t.Errorf("%s changed in a ToTorch/FromTorch round trip", p.Name)
		}
	}
}

func TestTorchVAE(t *testing.T) {
	sd, x, want := reference(t, "vae")
	m := zoo.NewVAE(zoo.VAEConfig{OriginalDim: 36, IntermediateDim: 16, LatentDim: 2, EpsilonStd: 1}, tensor.NewRNG(1))
	if err := interop.LoadTorch(m.Params(), sd, nil); err != nil {
		t.Fatal(err)
	}
	tp := autodiff.NewTape()
	tp.NoGrad = true
	z := m.EncodeMean(tp, tp.Constant(x))
	xHat := m.Decode(tp, z)
	var got []float32
	for b := range 5 {
		got = append(got, z.Value.Data[b*2:b*2+2]...)
		got = append(got, xHat.Value.Data[b*36:b*36+36]...)
	}
	assertClose(t, "VAE z_mean and decoding", got, want.Data, 1e-5)
	roundTrip(t, m.Params(), sd)
}

func TestTorchConv2D(t *testing.T) {
	sd, x, want := reference(t, "conv2d")
	c := nn.NewConv2D("conv", 3, 4, 3, 3, nn.Same, autodiff.ReLU, tensor.NewRNG(1))
	if err := interop.LoadTorch(c.Params(), sd, nil); err != nil {
		t.Fatal(err)
	}
	tp := autodiff.NewTape()
	y := c.Call(tp, tp.Constant(x))
	if !slices.Equal(y.Shape(), want.Shape) {
		t.Fatalf("output %v, PyTorch %v", y.Shape(), want.Shape)
	}
	assertClose(t, "Conv2D", y.Data(), want.Data, 1e-5)
	roundTrip(t, c.Params(), sd)
}

func TestTorchConv1D(t *testing.T) {
	sd, x, want := reference(t, "conv1d")
	c := nn.NewConv1D("conv1", 4, 5, 3, "valid", autodiff.Linear, tensor.NewRNG(1))
	if err := interop.LoadTorch(c.Params(), sd, nil); err != nil {
		t.Fatal(err)
	}
	tp := autodiff.NewTape()
	y := c.Call(tp, tp.Constant(x))
	if !slices.Equal(y.Shape(), want.Shape) {
		t.Fatalf("output %v, PyTorch %v", y.Shape(), want.Shape)
	}
	assertClose(t, "Conv1D", y.Data(), want.Data, 1e-5)
	roundTrip(t, c.Params(), sd)
}

func TestTorchLSTM(t *testing.T) {
	sd, x, want := reference(t, "lstm")
	l := nn.NewLSTM("lstm", 3, 4, true, tensor.NewRNG(1))
	if err := interop.LoadTorch(l.Params(), sd, nil); err != nil {
		t.Fatal(err)
	}
	tp := autodiff.NewTape()
	y := l.Call(tp, tp.Constant(x))
	if !slices.Equal(y.Shape(), want.Shape) {
		t.Fatalf("output %v, PyTorch %v", y.Shape(), want.Shape)
	}
	assertClose(t, "LSTM", y.Data(), want.Data, 1e-5)
	roundTrip(t, l.Params(), sd)
}

func TestTorchEmbedding(t *testing.T) {
	sd, x, want := reference(t, "embedding")
	e := nn.NewEmbedding("emb", 10, 4, tensor.NewRNG(1))
	if err := interop.LoadTorch(e.Params(), sd, nil); err != nil {
		t.Fatal(err)
	}
	tp := autodiff.NewTape()
	y := e.Call(tp, tp.Constant(x))
	assertClose(t, "Embedding", y.Data(), want.Data, 0)
	roundTrip(t, e.Params(), sd)
}

// Names map fugo layers to other PyTorch module paths; a state dict that does not fit
// is refused with every problem named, and the model is left unchanged.
func TestTorchNamesAndMismatches(t *testing.T) {
	sd, _, _ := reference(t, "vae")
	m := zoo.NewVAE(zoo.VAEConfig{OriginalDim: 36, IntermediateDim: 16, LatentDim: 2, EpsilonStd: 1}, tensor.NewRNG(1))
	renamed := make([]checkpoint.Tensor, len(sd))
	for i, x := range sd {
		x.Name = strings.Replace(x.Name, "dense_h.", "encoder.0.", 1)
		renamed[i] = x
	}
	if err := interop.LoadTorch(m.Params(), renamed, interop.Names{"dense_h": "encoder.0"}); err != nil {
		t.Fatal(err)
	}
	before := slices.Clone(m.Hidden.Kernel.Value.Data)
	err := interop.LoadTorch(m.Params(), renamed, nil)
	if err == nil || !strings.Contains(err.Error(), "dense_h.weight: missing") || !strings.Contains(err.Error(), "encoder.0.weight: shape [16 36] in file, not in model") {
		t.Errorf("got %v", err)
	}
	big := zoo.NewVAE(zoo.VAEConfig{OriginalDim: 36, IntermediateDim: 16, LatentDim: 3, EpsilonStd: 1}, tensor.NewRNG(1))
	err = interop.LoadTorch(big.Params(), sd, nil)
	if err == nil || !strings.Contains(err.Error(), "z_mean.weight: shape [2 16] in file, model wants [3 16]") {
		t.Errorf("got %v", err)
	}
	if !slices.Equal(before, m.Hidden.Kernel.Value.Data) {
		t.Error("a refused state dict changed the weights")
	}
	if _, err := interop.ToTorch(m.Params(), interop.Names{"dense_h": "z_mean"}); err == nil {
		t.Error("two layers mapped to one PyTorch module: no error")
	}
}
