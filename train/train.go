// Package train fits models with the Keras loop: epochs of shuffled mini-batches, optional
// validation data, a per-epoch history, seeded runs.
package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"fugo/autodiff"
	"fugo/optim"
	"fugo/tensor"
)

// Model computes the scalar loss of a mini-batch. x is the batch of inputs, y the batch of
// targets (the inputs themselves for an autoencoder trained without separate targets).
// training is false during validation and evaluation (layers such as noise or dropout
// behave differently then); a VAE still samples z then, as Keras does.
type Model interface {
	Loss(tp *autodiff.Tape, x, y *autodiff.Var, training bool) *autodiff.Var
}

// Config describes a Fit.
type Config struct {
	Epochs    int
	BatchSize int
	// Shuffle reorders the training rows at each epoch with RNG.
	Shuffle bool
	RNG     *rand.Rand
	// X holds the training inputs [N, …]; Y the targets [N, …], or nil to use X.
	X, Y *tensor.Tensor
	// ValX, ValY are validation data (ValY nil: use ValX); no validation when ValX is nil.
	ValX, ValY *tensor.Tensor
	Optimizer  optim.Optimizer
	// InitialEpoch is the number of epochs already done (when resuming).
	InitialEpoch int
	// Order, when not nil, is the permutation of the N training rows that Fit starts from
	// and shuffles in place at each epoch. Each epoch shuffles the previous epoch's order
	// (as Keras does), so a resumed run must start from the order the interrupted one
	// ended with to repeat its batches. nil starts from 0, 1, …, N−1.
	Order []int
	// OnBatch, if set, is called after each optimiser step with the running mean loss.
	OnBatch func(epoch, step, steps int, meanLoss float64)
	// OnEpoch, if set, is called after each epoch.
	OnEpoch func(Epoch)
}

// Epoch is one line of the history.
type Epoch struct {
	Epoch   int      `json:"epoch"` // 1-based
	Loss    float64  `json:"loss"`  // mean training loss over the epoch's batches, weighted by batch size
	ValLoss *float64 `json:"val_loss,omitempty"`
	Seconds float64  `json:"seconds"` // time of the training pass (without validation)
}

// ErrInterrupted is returned (wrapped) by Fit when its context is cancelled: training stopped
// after the step in progress; the weights are those of the last completed step.
var ErrInterrupted = errors.New("training interrupted")

// NonFiniteLossError reports a NaN or infinite loss. The step that produced it was not
// applied: the weights are those of the previous step.
type NonFiniteLossError struct {
	Epoch, Step int // 1-based
	Loss        float32
}

func (e *NonFiniteLossError) Error() string {
	return fmt.Sprintf("loss is %v at epoch %d, step %d; stopped with the weights of the step before", e.Loss, e.Epoch, e.Step)
}

// Fit trains model and returns the history of the epochs completed. On interruption or a
// non-finite loss it returns the history so far together with the error.
func Fit(ctx context.Context, model Model, cfg Config) ([]Epoch, error) {
	if cfg.BatchSize <= 0 || cfg.Epochs < 0 {
		return nil, fmt.Errorf("train: batch size %d and epochs %d must be positive", cfg.BatchSize, cfg.Epochs)
	}
	y := cfg.Y
	if y == nil {
		y = cfg.X
	}
	n := cfg.X.Shape[0]
	if y.Shape[0] != n {
		return nil, fmt.Errorf("train: %d inputs but %d targets", n, y.Shape[0])
	}
	if n == 0 {
		return nil, errors.New("train: no training data")
	}
	order := cfg.Order
	if order == nil {
		order = make([]int, n)
		for i := range order {
			order[i] = i
		}
	} else if err := checkPermutation(order, n); err != nil {
		return nil, err
	}
	xb := newBatcher(cfg.X, cfg.BatchSize)
	yb := xb
	if cfg.Y != nil {
		yb = newBatcher(cfg.Y, cfg.BatchSize)
	}
	tp := autodiff.NewTape()
	steps := (n + cfg.BatchSize - 1) / cfg.BatchSize
	var history []Epoch
	for e := cfg.InitialEpoch + 1; e <= cfg.InitialEpoch+cfg.Epochs; e++ {
		if cfg.Shuffle {
			cfg.RNG.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		start := time.Now()
		var sum float64
		for s := 0; s < steps; s++ {
			if err := ctx.Err(); err != nil {
				return history, fmt.Errorf("%w at epoch %d, step %d of %d", ErrInterrupted, e, s+1, steps)
			}
			idx := order[s*cfg.BatchSize : min(n, (s+1)*cfg.BatchSize)]
			tp.Reset()
			xv := tp.Constant(xb.gather(idx))
			yv := xv
			if cfg.Y != nil {
				yv = tp.Constant(yb.gather(idx))
			}
			loss := model.Loss(tp, xv, yv, true)
			l := loss.Scalar()
			if math.IsNaN(float64(l)) || math.IsInf(float64(l), 0) {
				return history, &NonFiniteLossError{Epoch: e, Step: s + 1, Loss: l}
			}
			tp.Backward(loss)
			cfg.Optimizer.Step()
			sum += float64(l) * float64(len(idx))
			if cfg.OnBatch != nil {
				done := min(n, (s+1)*cfg.BatchSize)
				cfg.OnBatch(e, s+1, steps, sum/float64(done))
			}
		}
		ep := Epoch{Epoch: e, Loss: sum / float64(n), Seconds: time.Since(start).Seconds()}
		if cfg.ValX != nil {
			v, err := Evaluate(ctx, model, cfg.ValX, cfg.ValY, cfg.BatchSize)
			if err != nil {
				return history, err
			}
			ep.ValLoss = &v
		}
		history = append(history, ep)
		if cfg.OnEpoch != nil {
			cfg.OnEpoch(ep)
		}
	}
	return history, nil
}

// checkPermutation reports whether order holds each of 0, …, n−1 once.
func checkPermutation(order []int, n int) error {
	if len(order) != n {
		return fmt.Errorf("train: order of %d rows for %d training rows", len(order), n)
	}
	seen := make([]bool, n)
	for _, i := range order {
		if i < 0 || i >= n || seen[i] {
			return fmt.Errorf("train: order is not a permutation of 0…%d (%d)", n-1, i)
		}
		seen[i] = true
	}
	return nil
}

// Evaluate returns the mean loss of model over x (targets y, or x when y is nil) in
// batches, weighted by batch size, with training = false.
func Evaluate(ctx context.Context, model Model, x, y *tensor.Tensor, batchSize int) (float64, error) {
	if y == nil {
		y = x
	}
	n := x.Shape[0]
	if n == 0 || y.Shape[0] != n {
		return 0, fmt.Errorf("train: evaluate on %d inputs and %d targets", n, y.Shape[0])
	}
	tp := autodiff.NewTape()
	tp.NoGrad = true
	var sum float64
	for i := 0; i < n; i += batchSize {
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("%w during evaluation", ErrInterrupted)
		}
		j := min(n, i+batchSize)
		tp.Reset()
		xv := tp.Constant(x.RowSlice(i, j))
		yv := tp.Constant(y.RowSlice(i, j))
		sum += float64(model.Loss(tp, xv, yv, false).Scalar()) * float64(j-i)
	}
	return sum / float64(n), nil
}

// Predict applies f to x in batches without recording gradients and returns the stacked
// outputs [N, …].
func Predict(f func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var, x *tensor.Tensor, batchSize int) *tensor.Tensor {
	n := x.Shape[0]
	tp := autodiff.NewTape()
	tp.NoGrad = true
	var out *tensor.Tensor
	for i := 0; i < n; i += batchSize {
		j := min(n, i+batchSize)
		tp.Reset()
		y := f(tp, tp.Constant(x.RowSlice(i, j)))
		if out == nil {
			out = tensor.New(append([]int{n}, y.Value.Shape[1:]...)...)
		}
		c := out.Cols()
		copy(out.Data[i*c:j*c], y.Value.Data)
	}
	if out == nil {
		out = tensor.New(0)
	}
	return out
}

// batcher gathers rows of a tensor into a reused batch buffer.
type batcher struct {
	src  *tensor.Tensor
	cols int
	buf  tensor.Tensor
}

func newBatcher(src *tensor.Tensor, batchSize int) *batcher {
	b := &batcher{src: src, cols: src.Cols()}
	b.buf.Shape = append([]int(nil), src.Shape...)
	b.buf.Data = make([]float32, batchSize*b.cols)
	return b
}

// gather copies the rows idx into the buffer and returns it, valid until the next call.
func (b *batcher) gather(idx []int) *tensor.Tensor {
	c := b.cols
	for k, i := range idx {
		copy(b.buf.Data[k*c:k*c+c], b.src.Data[i*c:i*c+c])
	}
	b.buf.Shape[0] = len(idx)
	b.buf.Data = b.buf.Data[:cap(b.buf.Data)][:len(idx)*c]
	return &b.buf
}
