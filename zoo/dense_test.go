package zoo_test

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"fugo/autodiff"
	"fugo/nn"
	"fugo/optim"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

var denseModels = []struct {
	kind   string
	new    func(*rand.Rand) *zoo.DenseAE
	layers []int // widths of every layer's output, encoder then decoder
}{
	{"simple", zoo.NewSimple, []int{32, 784}},
	{"sparse", zoo.NewSparse, []int{32, 784}},
	{"deep", zoo.NewDeep, []int{128, 64, 32, 64, 128, 784}},
}

// The architectures are the tutorial's: widths, activations, parameter names and count.
func TestDenseArchitectures(t *testing.T) {
	for _, tc := range denseModels {
		m := tc.new(tensor.NewRNG(1))
		if m.Kind() != tc.kind {
			t.Errorf("Kind() = %q, want %q", m.Kind(), tc.kind)
		}
		layers := append(append([]*nn.Dense(nil), m.Encoder...), m.Decoder...)
		in, params := 784, 0
		for i, l := range layers {
			want := autodiff.ReLU
			if i == len(layers)-1 {
				want = autodiff.Sigmoid
			}
			if l.In() != in || l.Units() != tc.layers[i] || l.Activation != want {
				t.Errorf("%s layer %d: %d → %d %v, want %d → %d %v", tc.kind, i, l.In(), l.Units(), l.Activation, in, tc.layers[i], want)
			}
			params += (in + 1) * tc.layers[i]
			in = tc.layers[i]
		}
		var n int
		for _, p := range m.Params() {
			n += len(p.Var.Value.Data)
		}
		if n != params {
			t.Errorf("%s: %d parameters, want %d", tc.kind, n, params)
		}
		if (tc.kind == "sparse") != (m.Cfg.Activity != nil) {
			t.Errorf("%s: activity regularizer %+v", tc.kind, m.Cfg.Activity)
		}
	}
}

// Gradient check of the whole loss on a tiny model with a sparse penalty, at batch 1 and 3.
func TestDenseAELossGradients(t *testing.T) {
	rng := tensor.NewRNG(11)
	cfg := zoo.DenseConfig{Input: 6, Hidden: []int{5, 3}, Activity: &nn.ActivityRegularizer{L1L2: nn.L1(0.01)}}
	m := zoo.NewDenseAE("deep", cfg, rng)
	for _, p := range m.Params() {
		if len(p.Var.Value.Shape) == 1 {
			p.Var.Value.FillUniform(rng, 0.05, 0.3) // biases away from relu's kink
		}
	}
	for _, b := range []int{1, 3} {
		xt := tensor.New(b, 6)
		xt.FillUniform(rng, 0.1, 0.9)
		x := autodiff.NewParam(xt)
		var inputs []*autodiff.Var
		for _, p := range m.Params() {
			inputs = append(inputs, p.Var)
		}
		gradcheckLoss(t, m, x, inputs)
	}
}

// Short training on a slice of real MNIST with the tutorial's settings (Adadelta, BCE,
// batch 256) brings the mean per-pixel BCE from ln 2 ≈ 0.69 down; the same seed repeats.
// (Adadelta starts slowly: the loss stays near 0.69 for the first few hundred steps.)
func TestDenseAEsLearn(t *testing.T) {
	trainSet, testSet := loadMNIST(t, 8192)
	val := testSet.Images.RowSlice(0, 1000)
	for _, tc := range denseModels {
		fit := func() []train.Epoch {
			rng := tensor.NewRNG(5)
			m := tc.new(rng)
			h, err := train.Fit(context.Background(), m, train.Config{
				Epochs: 3, BatchSize: 256, Shuffle: true, RNG: rng, X: trainSet.Images, ValX: val,
				Optimizer: optim.NewAdadelta(paramVars(m)),
			})
			if err != nil {
				t.Fatal(err)
			}
			return h
		}
		h := fit()
		first, last := h[0], h[len(h)-1]
		t.Logf("%s: loss %.4f → %.4f, val_loss %.4f", tc.kind, first.Loss, last.Loss, *last.ValLoss)
		// Measured (seed 5): about 0.67 → 0.30, val_loss 0.29–0.30 for each model.
		if !(last.Loss < first.Loss-0.2) || *last.ValLoss > 0.33 {
			t.Errorf("%s: loss %.4f → %.4f, val_loss %.4f; want a drop of 0.2 and val_loss below 0.33", tc.kind, first.Loss, last.Loss, *last.ValLoss)
		}
		if tc.kind != "simple" {
			continue
		}
		if h2 := fit(); h2[len(h2)-1].Loss != last.Loss {
			t.Errorf("%s: same seed, different loss: %v vs %v", tc.kind, last.Loss, h2[len(h2)-1].Loss)
		}
	}
}

// Encoder and decoder used alone share the model's weights, and a saved model reloads
// bit-identical.
func TestDenseAEPartsAndRoundTrip(t *testing.T) {
	trainSet, _ := loadMNIST(t, 300)
	x := trainSet.Images.RowSlice(0, 37)
	for _, tc := range denseModels {
		m := tc.new(tensor.NewRNG(3))
		if _, err := train.Fit(context.Background(), m, train.Config{
			Epochs: 1, BatchSize: 64, X: trainSet.Images, Optimizer: optim.NewAdadelta(paramVars(m)),
		}); err != nil {
			t.Fatal(err)
		}
		codes := train.Predict(m.Encode, x, 10)
		if codes.Shape[1] != m.Cfg.CodeDim() {
			t.Fatalf("%s: code shape %v", tc.kind, codes.Shape)
		}
		recon := train.Predict(m.Decode, codes, 37)
		whole := train.Predict(m.Reconstruct, x, 37)
		if !slices.Equal(recon.Data, whole.Data) {
			t.Fatalf("%s: Decode(Encode(x)) differs from Reconstruct(x)", tc.kind)
		}
		dir := t.TempDir()
		if err := zoo.Save(dir, m, map[string]string{"epochs": "1"}); err != nil {
			t.Fatal(err)
		}
		loaded, err := zoo.Load(dir, tensor.NewRNG(99))
		if err != nil {
			t.Fatal(err)
		}
		l, ok := loaded.(*zoo.DenseAE)
		if !ok || l.Kind() != tc.kind || !slices.Equal(l.Cfg.Hidden, m.Cfg.Hidden) || (l.Cfg.Activity == nil) != (m.Cfg.Activity == nil) {
			t.Fatalf("%s: reloaded %T %+v", tc.kind, loaded, l)
		}
		for i, p := range l.Params() {
			if p.Name != m.Params()[i].Name || !slices.Equal(p.Var.Value.Data, m.Params()[i].Var.Value.Data) {
				t.Fatalf("%s: parameter %s differs after reload", tc.kind, p.Name)
			}
		}
		if !slices.Equal(train.Predict(l.Encode, x, 37).Data, codes.Data) || !slices.Equal(train.Predict(l.Reconstruct, x, 5).Data, whole.Data) {
			t.Fatalf("%s: reloaded model gives different outputs", tc.kind)
		}
	}
}

// The activity penalty counts in training only (Keras 1's in_train_phase): evaluation
// reports the reconstruction BCE alone, and the training loss exceeds it by l1·mean Σ|code|.
func TestSparsePenaltyTrainingOnly(t *testing.T) {
	trainSet, _ := loadMNIST(t, 64)
	m := zoo.NewSparse(tensor.NewRNG(2))
	simple := zoo.NewSimple(tensor.NewRNG(2)) // same draws: the same weights
	tp := autodiff.NewTape()
	x := tp.Constant(trainSet.Images)
	withPenalty := float64(m.Loss(tp, x, x, true).Scalar())
	eval := float64(m.Loss(tp, x, x, false).Scalar())
	plain := float64(simple.Loss(tp, x, x, true).Scalar())
	if eval != plain {
		t.Errorf("sparse evaluation loss %v, simple loss %v: want equal", eval, plain)
	}
	codes := train.Predict(m.Encode, trainSet.Images, 64)
	var sum float64
	for _, v := range codes.Data {
		sum += float64(v)
	}
	want := eval + zoo.SparseL1*sum/64
	if math.Abs(withPenalty-want) > 1e-6 {
		t.Errorf("training loss %v, want BCE %v + penalty = %v", withPenalty, eval, want)
	}
}

func TestDenseConfigErrors(t *testing.T) {
	for _, c := range []zoo.DenseConfig{
		{Input: 0, Hidden: []int{3}},
		{Input: 5},
		{Input: 5, Hidden: []int{3, 0}},
		{Input: 5, Hidden: []int{3}, Activity: &nn.ActivityRegularizer{L1L2: nn.L1(-1)}},
	} {
		if c.Validate() == nil {
			t.Errorf("Validate(%+v) = nil", c)
		}
	}
}

func TestDenseAEStepAllocatesNothing(t *testing.T) {
	trainSet, _ := loadMNIST(t, 256)
	for _, tc := range denseModels {
		m := tc.new(tensor.NewRNG(1))
		opt := optim.NewAdadelta(paramVars(m))
		tp := autodiff.NewTape()
		step := func() {
			tp.Reset()
			x := tp.Constant(trainSet.Images)
			tp.Backward(m.Loss(tp, x, x, true))
			opt.Step()
		}
		step()
		if n := testing.AllocsPerRun(3, step); n != 0 {
			t.Errorf("%s: a warm training step allocates %v times, want 0", tc.kind, n)
		}
	}
}

// BenchmarkDenseStep is one training step (batch 256, Adadelta) of each dense model.
func BenchmarkDenseStep(b *testing.B) {
	trainSet, _ := loadMNIST(b, 256)
	for _, tc := range denseModels {
		b.Run(tc.kind, func(b *testing.B) {
			m := tc.new(tensor.NewRNG(1))
			opt := optim.NewAdadelta(paramVars(m))
			tp := autodiff.NewTape()
			step := func() {
				tp.Reset()
				x := tp.Constant(trainSet.Images)
				tp.Backward(m.Loss(tp, x, x, true))
				opt.Step()
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
