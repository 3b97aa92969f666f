package train_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"fugo/autodiff"
	"fugo/nn"
	"fugo/optim"
	"fugo/tensor"
	"fugo/train"
)

// linear is y = x·W + b fitted with mean squared error.
type linear struct{ d *nn.Dense }

func (m linear) Loss(tp *autodiff.Tape, x, y *autodiff.Var, _ bool) *autodiff.Var {
	return tp.Mean(nn.MeanSquaredError(tp, y, m.d.Call(tp, x)))
}

func (m linear) vars() []*autodiff.Var { return []*autodiff.Var{m.d.Kernel, m.d.Bias} }

// data returns n rows of x ∈ U[−1, 1)³ with targets y = x·(1, −2, 3) + 0.5.
func data(n int) (*tensor.Tensor, *tensor.Tensor) {
	rng := tensor.NewRNG(9)
	x := tensor.New(n, 3)
	x.FillUniform(rng, -1, 1)
	y := tensor.New(n, 1)
	for i := range n {
		r := x.Data[i*3 : i*3+3]
		y.Data[i] = r[0] - 2*r[1] + 3*r[2] + 0.5
	}
	return x, y
}

func TestFitLearnsALinearMap(t *testing.T) {
	x, y := data(250) // 250/32: the last batch is partial
	m := linear{nn.NewDense("d", 3, 1, autodiff.Linear, tensor.NewRNG(1))}
	opt := optim.NewAdam(m.vars())
	opt.LR = 0.05
	var batches int
	h, err := train.Fit(context.Background(), m, train.Config{
		Epochs: 40, BatchSize: 32, Shuffle: true, RNG: tensor.NewRNG(2), X: x, Y: y, ValX: x, ValY: y,
		Optimizer: opt,
		OnBatch:   func(epoch, step, steps int, loss float64) { batches++ },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 40 || batches != 40*8 {
		t.Fatalf("%d epochs and %d batches, want 40 and 320", len(h), batches)
	}
	if last := h[len(h)-1]; last.Loss > 1e-3 || *last.ValLoss > 1e-3 {
		t.Errorf("final loss %g, val_loss %g; want below 1e-3", last.Loss, *last.ValLoss)
	}
	want := []float32{1, -2, 3}
	for i, w := range m.d.Kernel.Value.Data {
		if math.Abs(float64(w-want[i])) > 0.02 {
			t.Errorf("kernel %v, want %v", m.d.Kernel.Value.Data, want)
		}
	}
	// Evaluate is the weighted mean of the per-batch losses: the same whatever the batch.
	a, _ := train.Evaluate(context.Background(), m, x, y, 7)
	b, _ := train.Evaluate(context.Background(), m, x, y, 250)
	if math.Abs(a-b) > 1e-6*math.Max(a, 1e-6)+1e-9 {
		t.Errorf("Evaluate depends on the batch size: %g vs %g", a, b)
	}
}

func TestFitStopsWhenCancelled(t *testing.T) {
	x, y := data(100)
	m := linear{nn.NewDense("d", 3, 1, autodiff.Linear, tensor.NewRNG(1))}
	ctx, cancel := context.WithCancel(context.Background())
	h, err := train.Fit(ctx, m, train.Config{
		Epochs: 5, BatchSize: 10, X: x, Y: y, Optimizer: optim.NewSGD(m.vars()),
		OnBatch: func(epoch, step, steps int, loss float64) {
			if epoch == 2 && step == 3 {
				cancel()
			}
		},
	})
	if !errors.Is(err, train.ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	if len(h) != 1 {
		t.Errorf("history has %d epochs, want the 1 completed", len(h))
	}
}

// nanAfter returns a NaN loss from the given call on.
type nanAfter struct {
	linear
	calls, at int
}

func (m *nanAfter) Loss(tp *autodiff.Tape, x, y *autodiff.Var, training bool) *autodiff.Var {
	m.calls++
	l := m.linear.Loss(tp, x, y, training)
	if m.calls >= m.at {
		return tp.Scale(l, float32(math.NaN()))
	}
	return l
}

func TestFitStopsOnNaN(t *testing.T) {
	x, y := data(40)
	m := &nanAfter{linear: linear{nn.NewDense("d", 3, 1, autodiff.Linear, tensor.NewRNG(1))}, at: 7}
	opt := optim.NewSGD(m.vars())
	var before []float32
	_, err := train.Fit(context.Background(), m, train.Config{
		Epochs: 3, BatchSize: 10, X: x, Y: y, Optimizer: opt,
		OnBatch: func(epoch, step, steps int, loss float64) { before = append(before[:0], m.d.Kernel.Value.Data...) },
	})
	var nf *train.NonFiniteLossError
	if !errors.As(err, &nf) || nf.Epoch != 2 || nf.Step != 3 {
		t.Fatalf("err = %v, want a non-finite loss at epoch 2, step 3", err)
	}
	for i, w := range m.d.Kernel.Value.Data {
		if w != before[i] || math.IsNaN(float64(w)) {
			t.Fatalf("weights changed by the NaN step: %v, last good %v", m.d.Kernel.Value.Data, before)
		}
	}
}

func TestPredictStacksBatches(t *testing.T) {
	x, _ := data(23)
	d := nn.NewDense("d", 3, 2, autodiff.Tanh, tensor.NewRNG(1))
	all := train.Predict(d.Call, x, 23)
	parts := train.Predict(d.Call, x, 5)
	if len(all.Shape) != 2 || all.Shape[0] != 23 || all.Shape[1] != 2 {
		t.Fatalf("shape %v, want [23 2]", all.Shape)
	}
	for i := range all.Data {
		if all.Data[i] != parts.Data[i] {
			t.Fatalf("batched prediction differs at %d: %v vs %v", i, all.Data[i], parts.Data[i])
		}
	}
}

func TestFitRejectsBadConfig(t *testing.T) {
	x, y := data(10)
	m := linear{nn.NewDense("d", 3, 1, autodiff.Linear, tensor.NewRNG(1))}
	for _, cfg := range []train.Config{
		{Epochs: 1, BatchSize: 0, X: x, Y: y},
		{Epochs: 1, BatchSize: 2, X: x, Y: y.RowSlice(0, 5)},
		{Epochs: 1, BatchSize: 2, X: x.RowSlice(0, 0), Y: y.RowSlice(0, 0)},
	} {
		cfg.Optimizer = optim.NewSGD(m.vars())
		if _, err := train.Fit(context.Background(), m, cfg); err == nil {
			t.Errorf("config %+v accepted", cfg)
		}
	}
}
