package zoo

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"fugo/autodiff"
	"fugo/nn"
)

// DenseConfig is a fully connected autoencoder of "Building Autoencoders in Keras": the
// encoder maps Input through the widths of Hidden with relu (the last width is the code),
// the decoder mirrors it back to Input with relu inside and a sigmoid at the end:
//
//	simple: 784 → 32 → 784
//	deep:   784 → 128 → 64 → 32 → 64 → 128 → 784
//
// Activity, when set, penalises the code (the sparse model).
type DenseConfig struct {
	Input    int                     `json:"input_dim"`                      // 784 for MNIST
	Hidden   []int                   `json:"hidden"`                         // encoder widths; the last is the code size
	Activity *nn.ActivityRegularizer `json:"activity_regularizer,omitempty"` // on the code, or nil
}

// SimpleConfig is the tutorial's single fully connected layer as encoder and decoder:
// 784 → 32 (relu) → 784 (sigmoid).
func SimpleConfig() DenseConfig { return DenseConfig{Input: 784, Hidden: []int{32}} }

// Validate reports a config that cannot build a model.
func (c DenseConfig) Validate() error {
	if c.Input <= 0 || len(c.Hidden) == 0 || len(c.Hidden) > 16 {
		return fmt.Errorf("dense autoencoder: input_dim must be positive and hidden must list 1 to 16 widths, got %+v", c)
	}
	for _, h := range c.Hidden {
		if h <= 0 || h > 1<<16 {
			return fmt.Errorf("dense autoencoder: hidden width %d out of range (1 to 65536)", h)
		}
	}
	if c.Input > 1<<24 {
		return fmt.Errorf("dense autoencoder: input_dim %d too large", c.Input)
	}
	if c.Activity != nil {
		if err := c.Activity.Validate(); err != nil {
			return fmt.Errorf("dense autoencoder: activity_regularizer: %w", err)
		}
	}
	return nil
}

// CodeDim is the width of the code, the last of Hidden.
func (c DenseConfig) CodeDim() int { return c.Hidden[len(c.Hidden)-1] }

// DenseAE is a fully connected autoencoder (the simple, sparse and deep models). Encode
// and Decode are the tutorial's `encoder` and `decoder` models: usable alone, sharing the
// layers (and so the trained weights) of the whole.
type DenseAE struct {
	Cfg     DenseConfig
	Encoder []*nn.Dense // Input → Hidden[0] → … → code, all relu
	Decoder []*nn.Dense // code → … → Hidden[0] → Input: relu inside, sigmoid last

	kind string
}

// NewDenseAE builds a dense autoencoder of the given kind ("simple", "sparse", "deep" or
// any name the caller registers) with Keras' default initialisation drawn from rng, in
// layer order: encoder first, then decoder. It panics on an invalid config; check
// Validate first for configs from outside.
func NewDenseAE(kind string, cfg DenseConfig, rng *rand.Rand) *DenseAE {
	if err := cfg.Validate(); err != nil {
		panic("zoo: " + err.Error())
	}
	cfg.Hidden = append([]int(nil), cfg.Hidden...) // the model owns its config
	m := &DenseAE{Cfg: cfg, kind: kind}
	in := cfg.Input
	for i, h := range cfg.Hidden {
		m.Encoder = append(m.Encoder, nn.NewDense(fmt.Sprintf("encoder_%d", i+1), in, h, autodiff.ReLU, rng))
		in = h
	}
	for i := len(cfg.Hidden) - 2; i >= -1; i-- {
		out, f := cfg.Input, autodiff.Sigmoid
		if i >= 0 {
			out, f = cfg.Hidden[i], autodiff.ReLU
		}
		m.Decoder = append(m.Decoder, nn.NewDense(fmt.Sprintf("decoder_%d", len(m.Decoder)+1), in, out, f, rng))
		in = out
	}
	return m
}

// NewSimple is the tutorial's simple autoencoder, SimpleConfig.
func NewSimple(rng *rand.Rand) *DenseAE { return NewDenseAE("simple", SimpleConfig(), rng) }

// Params lists the weights, encoder then decoder, named "<layer>/kernel", "<layer>/bias".
func (m *DenseAE) Params() []nn.Param {
	var ps []nn.Param
	for _, l := range m.Encoder {
		ps = append(ps, l.Params()...)
	}
	for _, l := range m.Decoder {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// Encode is the encoder alone: x [B, Input] → code [B, CodeDim] (relu, so ≥ 0).
func (m *DenseAE) Encode(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	for _, l := range m.Encoder {
		x = l.Call(tp, x)
	}
	return x
}

// Decode is the decoder alone: code [B, CodeDim] → x̂ [B, Input] in (0, 1).
func (m *DenseAE) Decode(tp *autodiff.Tape, z *autodiff.Var) *autodiff.Var {
	for _, l := range m.Decoder {
		z = l.Call(tp, z)
	}
	return z
}

// Reconstruct is Decode(Encode(x)): [B, Input] → [B, Input].
func (m *DenseAE) Reconstruct(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return m.Decode(tp, m.Encode(tp, x))
}

// Loss is the tutorial's objective (Keras compiles with loss='binary_crossentropy'):
//
//	mean over the batch of mean-per-pixel BCE(y, x̂)  [+ the activity penalty of the code]
//
// with y the target (x itself when training an autoencoder) and x̂ = Reconstruct(x).
// The penalty (see nn.ActivityRegularizer) is added only when training, as Keras 1's
// K.in_train_phase did, so that evaluation and val_loss report the reconstruction BCE
// alone, comparable across models.
func (m *DenseAE) Loss(tp *autodiff.Tape, x, y *autodiff.Var, training bool) *autodiff.Var {
	code := m.Encode(tp, x)
	loss := tp.Mean(nn.BinaryCrossentropy(tp, y, m.Decode(tp, code)))
	if training && m.Cfg.Activity != nil && !m.Cfg.Activity.IsZero() {
		loss = tp.Add(loss, m.Cfg.Activity.Loss(tp, code))
	}
	return loss
}

// Kind is the model's name: "simple", "sparse" or "deep".
func (m *DenseAE) Kind() string { return m.kind }

// Config returns the architecture.
func (m *DenseAE) Config() any { return m.Cfg }

// registerDense registers a dense autoencoder kind.
func registerDense(kind string) {
	register(kind, func(raw json.RawMessage, rng *rand.Rand) (Model, error) {
		var c DenseConfig
		if err := decodeConfig(raw, &c); err != nil {
			return nil, err
		}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		return NewDenseAE(kind, c, rng), nil
	})
}

func init() { registerDense("simple") }
