package zoo

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"fugo/autodiff"
	"fugo/nn"
)

// SeqConfig is the sequence-to-sequence autoencoder of "Building Autoencoders in Keras":
//
//	x [B, Timesteps, Features] → LSTM(Latent) → code [B, Latent]
//	→ RepeatVector(Timesteps) → LSTM(Features, return_sequences) → x̂ [B, Timesteps, Features]
//
// trained with Adam on the mean squared error. The tutorial gave no data; fugo's worked
// example reads MNIST digits as 28 steps (rows) of 28 pixels. Any [N, T, F] array fits.
// The decoder's output is an LSTM's h, so it lies in (−1, 1): scale data into that range.
type SeqConfig struct {
	Timesteps int `json:"timesteps"` // 28 for MNIST rows
	Features  int `json:"features"`  // 28
	Latent    int `json:"latent"`    // 64
}

// DefaultSeqConfig is the worked example: MNIST as 28 steps of 28 pixels, latent 64.
func DefaultSeqConfig() SeqConfig { return SeqConfig{Timesteps: 28, Features: 28, Latent: 64} }

// Validate reports a config that cannot build a model.
func (c SeqConfig) Validate() error {
	if c.Timesteps < 1 || c.Features < 1 || c.Latent < 1 {
		return fmt.Errorf("seq: timesteps, features and latent must be positive, got %+v", c)
	}
	return nil
}

// Seq is the sequence autoencoder. Encode and Decode use the trained layers alone, as the
// tutorial's `encoder = Model(inputs, encoded)`.
type Seq struct {
	Cfg     SeqConfig
	Encoder *nn.LSTM // Features → Latent, last output
	Repeat  *nn.RepeatVector
	Decoder *nn.LSTM // Latent → Features, every step
}

// NewSeq builds the model with Keras' default initialisation drawn from rng.
func NewSeq(cfg SeqConfig, rng *rand.Rand) *Seq {
	return &Seq{
		Cfg:     cfg,
		Encoder: nn.NewLSTM("encoder_lstm", cfg.Features, cfg.Latent, false, rng),
		Repeat:  nn.NewRepeatVector(cfg.Timesteps),
		Decoder: nn.NewLSTM("decoder_lstm", cfg.Latent, cfg.Features, true, rng),
	}
}

// Params lists the encoder's then the decoder's weights.
func (m *Seq) Params() []nn.Param { return append(m.Encoder.Params(), m.Decoder.Params()...) }

// Encode maps x [B, T, F] (or [B, T·F], viewed as [B, T, F]) to codes [B, Latent].
func (m *Seq) Encode(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return m.Encoder.Call(tp, m.view(tp, x))
}

// Decode maps codes [B, Latent] to sequences [B, T, F].
func (m *Seq) Decode(tp *autodiff.Tape, z *autodiff.Var) *autodiff.Var {
	return m.Decoder.Call(tp, m.Repeat.Call(tp, z))
}

// Reconstruct is Decode(Encode(x)), [B, T, F].
func (m *Seq) Reconstruct(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return m.Decode(tp, m.Encode(tp, x))
}

// Loss is the batch mean of the per-element squared error between the target y and
// Reconstruct(x) (Keras' loss='mse'); y may be [B, T, F] or [B, T·F].
func (m *Seq) Loss(tp *autodiff.Tape, x, y *autodiff.Var, _ bool) *autodiff.Var {
	return tp.Mean(nn.MeanSquaredError(tp, m.view(tp, y), m.Reconstruct(tp, x)))
}

// view returns x as [B, T, F] when it comes flat as [B, T·F] (MNIST images), sharing data.
func (m *Seq) view(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	s := x.Value.Shape
	t, f := m.Cfg.Timesteps, m.Cfg.Features
	if len(s) == 3 {
		return x
	}
	if len(s) != 2 || s[1] != t*f {
		panic(fmt.Sprintf("zoo.Seq: input shape %v, want [batch, %d, %d] or [batch, %d]", s, t, f, t*f))
	}
	return nn.Reshape(tp, x, s[0], t, f)
}

// Kind is "seq".
func (m *Seq) Kind() string { return "seq" }

// Config returns the architecture.
func (m *Seq) Config() any { return m.Cfg }

func init() {
	register("seq", func(raw json.RawMessage, rng *rand.Rand) (Model, error) {
		var c SeqConfig
		if err := decodeConfig(raw, &c); err != nil {
			return nil, err
		}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		return NewSeq(c, rng), nil
	})
}
