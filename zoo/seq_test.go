package zoo_test

import (
	"context"
	"testing"

	"fugo/autodiff"
	"fugo/optim"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

// A few epochs of Adam on 512 MNIST digits read as 28 rows of 28 pixels must cut the
// reconstruction MSE well below that of the untrained model; encoder and decoder work alone
// and the model survives Save/Load.
func TestSeqLearnsMNISTRows(t *testing.T) {
	trainSet, testSet := loadMNIST(t, 512)
	rng := tensor.NewRNG(1)
	m := zoo.NewSeq(zoo.DefaultSeqConfig(), rng)
	ctx := context.Background()
	before, err := train.Evaluate(ctx, m, testSet.Images, nil, 128)
	if err != nil {
		t.Fatal(err)
	}
	h, err := train.Fit(ctx, m, train.Config{
		Epochs: 4, BatchSize: 32, Shuffle: true, RNG: rng, X: trainSet.Images,
		Optimizer: optim.NewAdam(paramVars(m)),
	})
	if err != nil {
		t.Fatal(err)
	}
	after, err := train.Evaluate(ctx, m, testSet.Images, nil, 128)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("test MSE %.4f → %.4f; training losses %v", before, after, h)
	if !(after < 0.7*before) || !(h[len(h)-1].Loss < h[0].Loss) {
		t.Fatalf("test MSE %.4f → %.4f: want a drop of at least 30%%", before, after)
	}
	codes := train.Predict(m.Encode, testSet.Images.RowSlice(0, 10), 10)
	if !tensor.SameShape(codes.Shape, []int{10, 64}) {
		t.Fatalf("codes shape %v", codes.Shape)
	}
	dec := train.Predict(m.Decode, codes, 10)
	rec := train.Predict(m.Reconstruct, testSet.Images.RowSlice(0, 10), 10)
	if !tensor.SameShape(dec.Shape, []int{10, 28, 28}) {
		t.Fatalf("decoded shape %v", dec.Shape)
	}
	for i := range dec.Data {
		if dec.Data[i] != rec.Data[i] {
			t.Fatalf("Decode(Encode(x)) differs from Reconstruct(x) at %d", i)
		}
	}
	dir := t.TempDir()
	if err := zoo.Save(dir, m, nil); err != nil {
		t.Fatal(err)
	}
	loaded, err := zoo.Load(dir, tensor.NewRNG(9))
	if err != nil {
		t.Fatal(err)
	}
	rec2 := train.Predict(loaded.(*zoo.Seq).Reconstruct, testSet.Images.RowSlice(0, 10), 10)
	for i := range rec.Data {
		if rec.Data[i] != rec2.Data[i] {
			t.Fatalf("loaded model differs at %d", i)
		}
	}
}

func TestSeqShapes(t *testing.T) {
	m := zoo.NewSeq(zoo.SeqConfig{Timesteps: 5, Features: 3, Latent: 4}, tensor.NewRNG(2))
	tp := autodiff.NewTape()
	x := tensor.New(2, 5, 3)
	x.FillUniform(tensor.NewRNG(3), 0, 1)
	y := m.Reconstruct(tp, tp.Constant(x))
	if !tensor.SameShape(y.Value.Shape, []int{2, 5, 3}) {
		t.Fatalf("shape %v", y.Value.Shape)
	}
	if err := (zoo.SeqConfig{Timesteps: 0, Features: 3, Latent: 4}).Validate(); err == nil {
		t.Fatal("zero timesteps accepted")
	}
}
