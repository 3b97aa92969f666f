package zoo_test

import (
	"context"
	"os"
	"slices"
	"testing"

	"fugo/autodiff"
	"fugo/data/mnist"
	"fugo/optim"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

// loadMNIST returns the first n training and test images, skipping the test when the
// GoMNIST module is not in the module cache.
func loadMNIST(t testing.TB, n int) (trainSet, testSet *mnist.Dataset) {
	t.Helper()
	dir, err := mnist.Locate("", os.Getenv)
	if err != nil {
		t.Skipf("MNIST not available: %v", err)
	}
	tr, te, err := mnist.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	cut := func(d *mnist.Dataset) *mnist.Dataset {
		m := min(n, d.Len())
		return &mnist.Dataset{Images: d.Images.RowSlice(0, m), Labels: d.Labels[:m], Rows: d.Rows, Cols: d.Cols}
	}
	return cut(tr), cut(te)
}

func paramVars(m zoo.Model) []*autodiff.Var {
	var vs []*autodiff.Var
	for _, p := range m.Params() {
		vs = append(vs, p.Var)
	}
	return vs
}

func fitVAE(t *testing.T, seed uint64, x, val *tensor.Tensor, epochs int) (*zoo.VAE, []train.Epoch) {
	t.Helper()
	rng := tensor.NewRNG(seed)
	m := zoo.NewVAE(zoo.DefaultVAEConfig(), rng)
	h, err := train.Fit(context.Background(), m, train.Config{
		Epochs: epochs, BatchSize: 100, Shuffle: true, RNG: rng, X: x, ValX: val,
		Optimizer: optim.NewRMSprop(paramVars(m)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return m, h
}

// A short training on a slice of real MNIST must bring the loss per image from about 543
// (784·ln 2 at initialisation) well down, and the same seed must give the same run.
func TestVAELearnsAndIsSeeded(t *testing.T) {
	trainSet, testSet := loadMNIST(t, 3000)
	_, h1 := fitVAE(t, 7, trainSet.Images, testSet.Images.RowSlice(0, 500), 3)
	if last := h1[len(h1)-1]; last.Loss > 215 || *last.ValLoss > 215 {
		t.Errorf("after 3 epochs on 3000 images: loss %.1f, val_loss %.1f; want both below 215", last.Loss, *last.ValLoss)
	}
	if h1[0].Loss <= h1[2].Loss {
		t.Errorf("loss did not decrease: %v", h1)
	}
	_, h2 := fitVAE(t, 7, trainSet.Images, testSet.Images.RowSlice(0, 500), 3)
	for i := range h1 {
		if h1[i].Loss != h2[i].Loss || *h1[i].ValLoss != *h2[i].ValLoss {
			t.Fatalf("same seed, different losses: epoch %d: %v vs %v", i+1, h1[i].Loss, h2[i].Loss)
		}
	}
}

// The encoder and the decoder, used alone, share the trained weights: EncodeMean gives the
// z_mean the whole model computes, and a saved and reloaded model gives bit-identical
// outputs.
func TestVAEPartsAndRoundTrip(t *testing.T) {
	trainSet, _ := loadMNIST(t, 500)
	m, _ := fitVAE(t, 3, trainSet.Images, nil, 1)
	x := trainSet.Images.RowSlice(0, 20)
	tp := autodiff.NewTape()
	mean, _ := m.Encode(tp, tp.Constant(x))
	alone := train.Predict(m.EncodeMean, x, 7)
	if !slices.Equal(mean.Value.Data, alone.Data) {
		t.Fatal("EncodeMean differs from the z_mean inside the model")
	}
	decoded := train.Predict(m.Decode, alone, 20)

	dir := t.TempDir()
	if err := zoo.Save(dir, m, nil); err != nil {
		t.Fatal(err)
	}
	loaded, err := zoo.Load(dir, tensor.NewRNG(99))
	if err != nil {
		t.Fatal(err)
	}
	v := loaded.(*zoo.VAE)
	if !slices.Equal(train.Predict(v.EncodeMean, x, 20).Data, alone.Data) || !slices.Equal(train.Predict(v.Decode, alone, 3).Data, decoded.Data) {
		t.Fatal("reloaded model gives different outputs")
	}
}

// vaeStep returns one training step of the post's VAE on a batch of 100 real digits:
// forward, backward and RMSprop update.
func vaeStep(tb testing.TB) func() {
	trainSet, _ := loadMNIST(tb, 100)
	m := zoo.NewVAE(zoo.DefaultVAEConfig(), tensor.NewRNG(1))
	opt := optim.NewRMSprop(paramVars(m))
	tp := autodiff.NewTape()
	return func() {
		tp.Reset()
		x := tp.Constant(trainSet.Images)
		tp.Backward(m.Loss(tp, x, x, true))
		opt.Step()
	}
}

// BenchmarkVAEStep is one training step (batch 100); -benchmem shows it allocates
// nothing once warm.
func BenchmarkVAEStep(b *testing.B) {
	step := vaeStep(b)
	step()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		step()
	}
}

func TestVAEStepAllocatesNothing(t *testing.T) {
	step := vaeStep(t)
	step()
	if n := testing.AllocsPerRun(5, step); n != 0 {
		t.Errorf("a warm training step allocates %v times, want 0", n)
	}
}
