package zoo_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fugo/assets"
	"fugo/autodiff"
	"fugo/data/images"
	"fugo/nn"
	"fugo/optim"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

func loadIllust(t testing.TB) *tensor.Tensor {
	t.Helper()
	x, _, err := images.LoadFS(assets.Illust(), "train", images.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func fitConv(t *testing.T, m *zoo.ConvAE, x, val *tensor.Tensor, epochs, batch int, seed uint64) []train.Epoch {
	t.Helper()
	h, err := train.Fit(context.Background(), m, train.Config{
		Epochs: epochs, BatchSize: batch, Shuffle: true, RNG: tensor.NewRNG(seed), X: x, ValX: val,
		Optimizer: optim.NewAdadelta(paramVars(m)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// Short trainings on real data: the per-pixel BCE starts near ln 2 ≈ 0.69 (sigmoid outputs
// near 0.5) and must fall clearly. Thresholds were set from measured runs with margin:
// 64 steps of batch 32 took conv from 0.55 (first-epoch mean) to 0.26 and denoise from 0.49
// to 0.33; 60 epochs of the three illustrations took illust from 0.69 to 0.39.
func TestConvModelsLearn(t *testing.T) {
	if testing.Short() {
		t.Skip("trains three models")
	}
	trainSet, testSet := loadMNIST(t, 1024)
	for _, tc := range []struct {
		m        *zoo.ConvAE
		x, val   *tensor.Tensor
		epochs   int
		batch    int
		maxFinal float64
	}{
		{zoo.NewConvModel(tensor.NewRNG(1)), trainSet.Images, testSet.Images.RowSlice(0, 256), 2, 32, 0.30},
		{zoo.NewDenoise(tensor.NewRNG(2)), trainSet.Images, testSet.Images.RowSlice(0, 256), 2, 32, 0.37},
		{zoo.NewIllust(tensor.NewRNG(3)), loadIllust(t), nil, 60, 3, 0.45},
	} {
		h := fitConv(t, tc.m, tc.x, tc.val, tc.epochs, tc.batch, 5)
		first, last := h[0].Loss, h[len(h)-1].Loss
		t.Logf("%s: loss %.4f → %.4f over %d epochs", tc.m.Kind(), first, last, len(h))
		if !(last < tc.maxFinal) || !(last < first-0.05) {
			t.Errorf("%s: loss %.4f → %.4f; want a clear fall to below %.2f", tc.m.Kind(), first, last, tc.maxFinal)
		}
		if tc.val != nil {
			if v := *h[len(h)-1].ValLoss; !(v < tc.maxFinal) {
				t.Errorf("%s: val_loss %.4f, want below %.2f", tc.m.Kind(), v, tc.maxFinal)
			}
		}
	}
}

// Encode and Decode used alone share the model's weights, and a saved and reloaded model
// gives bit-identical codes and reconstructions.
func TestConvModelsPartsAndRoundTrip(t *testing.T) {
	rng := tensor.NewRNG(4)
	mnistBatch := tensor.New(5, 784)
	mnistBatch.FillUniform(rng, 0, 1)
	for _, tc := range []struct {
		m    *zoo.ConvAE
		x    *tensor.Tensor
		code []int
	}{
		{zoo.NewConvModel(tensor.NewRNG(1)), mnistBatch, []int{5, 4, 4, 8}},
		{zoo.NewDenoise(tensor.NewRNG(2)), mnistBatch.Reshape(5, 28, 28, 1), []int{5, 7, 7, 32}},
		{zoo.NewIllust(tensor.NewRNG(3)), loadIllust(t), []int{3, 8, 8, 8}},
	} {
		m := tc.m
		// Move the weights off their initial values (biases start at zero).
		for _, p := range m.Params() {
			for i := range p.Var.Value.Data {
				p.Var.Value.Data[i] += 0.01 * float32(rng.NormFloat64())
			}
		}
		code := train.Predict(m.Encode, tc.x, 2)
		if !slices.Equal(code.Shape, tc.code) {
			t.Fatalf("%s: code shape %v, want %v", m.Kind(), code.Shape, tc.code)
		}
		out := train.Predict(m.Decode, code, 4)
		whole := train.Predict(m.Reconstruct, tc.x, 5)
		if !slices.Equal(out.Data, whole.Data) || !slices.Equal(whole.Shape, tc.x.Shape) {
			t.Fatalf("%s: Decode(Encode(x)) differs from Reconstruct(x) (shapes %v, %v)", m.Kind(), out.Shape, whole.Shape)
		}
		dir := t.TempDir()
		if err := zoo.Save(dir, m, nil); err != nil {
			t.Fatal(err)
		}
		loaded, err := zoo.Load(dir, tensor.NewRNG(99))
		if err != nil {
			t.Fatal(err)
		}
		l := loaded.(*zoo.ConvAE)
		if l.Kind() != m.Kind() {
			t.Errorf("reloaded kind %q, want %q", l.Kind(), m.Kind())
		}
		if !slices.Equal(train.Predict(l.Encode, tc.x, 3).Data, code.Data) || !slices.Equal(train.Predict(l.Reconstruct, tc.x, 3).Data, whole.Data) {
			t.Fatalf("%s: reloaded model gives different outputs", m.Kind())
		}
	}
}

// The denoising loss corrupts the input with fresh noise at each call (so two calls
// differ) and targets the clean image; the noisy input stays in [0, 1].
func TestDenoiseNoise(t *testing.T) {
	m := zoo.NewDenoise(tensor.NewRNG(1))
	x := tensor.New(4, 784)
	x.FillUniform(tensor.NewRNG(2), 0, 1)
	noisy := make([]float32, len(x.Data))
	m.Corrupt(noisy, x.Data, tensor.NewRNG(3))
	var sq float64
	for i, v := range noisy {
		if v < 0 || v > 1 {
			t.Fatalf("noisy value %v outside [0, 1]", v)
		}
		sq += float64(v-x.Data[i]) * float64(v-x.Data[i])
	}
	if rms := sq / float64(len(noisy)); rms < 0.05 || rms > 0.25 {
		t.Errorf("mean squared noise %v, want about 0.5²·(clipped share)", rms)
	}
	tp := autodiff.NewTape()
	tp.NoGrad = true
	xv := tp.Constant(x)
	a, b := m.Loss(tp, xv, xv, false).Scalar(), m.Loss(tp, xv, xv, false).Scalar()
	if a == b {
		t.Errorf("two evaluations on fresh noise gave the same loss %v", a)
	}
}

func TestConvConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		edit func(*zoo.ConvConfig)
		want string
	}{
		{func(c *zoo.ConvConfig) { c.Height = 30 }, "decoder gives"},
		{func(c *zoo.ConvConfig) { c.DecoderPadding = []nn.Padding{"same"} }, "decoder paddings"},
		{func(c *zoo.ConvConfig) { c.DecoderPadding[0] = "full" }, "unknown padding"},
		{func(c *zoo.ConvConfig) { c.Encoder = nil }, "encoder"},
		{func(c *zoo.ConvConfig) { c.KernelSize = 0 }, "kernel_size"},
		{func(c *zoo.ConvConfig) { c.Channels = -1 }, "out of range"},
	} {
		c := zoo.ConvModelConfig()
		tc.edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want an error containing %q", c, err, tc.want)
		}
	}
	// A model.json with a broken config is an error naming the file, not a panic.
	dir := t.TempDir()
	if err := zoo.Save(dir, zoo.NewIllust(tensor.NewRNG(1)), nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, zoo.ConfigName)
	raw, _ := os.ReadFile(path)
	var cf map[string]any
	if err := json.Unmarshal(raw, &cf); err != nil {
		t.Fatal(err)
	}
	cf["config"].(map[string]any)["height"] = 60
	raw, _ = json.Marshal(cf)
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := zoo.Load(dir, tensor.NewRNG(1)); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Load of a bad config: %v, want an error naming %s", err, path)
	}
}

// convStep returns one training step (forward, backward, Adadelta) of m on batch x.
func convStep(m *zoo.ConvAE, x *tensor.Tensor) func() {
	opt := optim.NewAdadelta(paramVars(m))
	tp := autodiff.NewTape()
	return func() {
		tp.Reset()
		xv := tp.Constant(x)
		tp.Backward(m.Loss(tp, xv, xv, true))
		opt.Step()
	}
}

func convBatches(t testing.TB) map[string]*tensor.Tensor {
	x := tensor.New(128, 784)
	x.FillUniform(tensor.NewRNG(1), 0, 1)
	return map[string]*tensor.Tensor{"conv": x, "denoise": x, "illust": loadIllust(t)}
}

func TestConvStepsAllocateNothing(t *testing.T) {
	batches := convBatches(t)
	for _, m := range []*zoo.ConvAE{zoo.NewConvModel(tensor.NewRNG(1)), zoo.NewDenoise(tensor.NewRNG(1)), zoo.NewIllust(tensor.NewRNG(1))} {
		x := batches[m.Kind()]
		if m.Kind() != "illust" {
			x = x.RowSlice(0, 16)
		}
		step := convStep(m, x)
		step()
		if n := testing.AllocsPerRun(3, step); n != 0 {
			t.Errorf("%s: a warm training step allocates %v times, want 0", m.Kind(), n)
		}
	}
}

// BenchmarkConvStep is one training step of each model at its default batch size (128 for
// the MNIST models, the three illustrations for illust): forward, backward and Adadelta.
func BenchmarkConvStep(b *testing.B) {
	batches := convBatches(b)
	for _, m := range []*zoo.ConvAE{zoo.NewConvModel(tensor.NewRNG(1)), zoo.NewDenoise(tensor.NewRNG(1)), zoo.NewIllust(tensor.NewRNG(1))} {
		b.Run(m.Kind(), func(b *testing.B) {
			step := convStep(m, batches[m.Kind()])
			step()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				step()
			}
		})
	}
}
