package zoo

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"fugo/autodiff"
	"fugo/nn"
	"fugo/tensor"
)

// SpeakerConfig is the classifier of the fifth origin post (after Machine Learning
// Mastery's IMDB model, with a softmax over the speakers instead of one sigmoid):
//
//	ids [B, Length] → Embedding(Vocab, EmbedDim) → Conv1D(Filters, KernelSize, relu, same)
//	→ MaxPooling1D(PoolSize, valid) → LSTM(Units) → Dense(Classes, softmax)
//
// Dropout > 0 adds Keras Dropout(Dropout) layers after the Embedding and after the LSTM,
// as in Machine Learning Mastery's dropout variant of the same model. SpatialDropout > 0
// adds SpatialDropout1D(SpatialDropout) after the Embedding (whole embedding channels of
// a line dropped); LSTMDropout and RecurrentDropout are Keras' LSTM(dropout=,
// recurrent_dropout=): one mask per line on the LSTM's inputs (a SpatialDropout1D after
// the pooling) and on h_{t−1} in its recurrent product (nn.LSTM.CallRecurrentDropout).
// All dropout acts in training only. L2 > 0 adds Keras' kernel_regularizer=l2(L2) to the embedding matrix and
// to every kernel (Conv1D, both of the LSTM's, Dense): loss = cross-entropy +
// L2·Σw² over those weights (biases excluded).
type SpeakerConfig struct {
	Vocab      int `json:"vocab"`       // ids, reserved ones included (text.Vocab.Len)
	Length     int `json:"length"`      // tokens per line after padding/truncation
	EmbedDim   int `json:"embed_dim"`   // 32
	Filters    int `json:"filters"`     // 32
	KernelSize int `json:"kernel_size"` // 3
	PoolSize   int `json:"pool_size"`   // 2
	Units      int `json:"units"`       // 100
	Classes    int `json:"classes"`     // speakers
	// Dropout is the rate of the two dropout layers; 0 (no dropout) for configs written
	// before it existed.
	Dropout float32 `json:"dropout,omitempty"`
	// L2 is the weight-decay factor of the kernels; 0 (none) for older configs.
	L2 float32 `json:"l2,omitempty"`
	// SpatialDropout, LSTMDropout and RecurrentDropout are rates (0: none, also for older
	// configs).
	SpatialDropout   float32 `json:"spatial_dropout,omitempty"`
	LSTMDropout      float32 `json:"lstm_dropout,omitempty"`
	RecurrentDropout float32 `json:"recurrent_dropout,omitempty"`
}

// DefaultSpeakerConfig is the post's model for a vocabulary, a sequence length and a
// number of speakers.
func DefaultSpeakerConfig(vocab, length, classes int) SpeakerConfig {
	return SpeakerConfig{Vocab: vocab, Length: length, EmbedDim: 32, Filters: 32, KernelSize: 3, PoolSize: 2, Units: 100, Classes: classes}
}

// Validate reports a config that cannot build a model.
func (c SpeakerConfig) Validate() error {
	if c.Vocab < 1 || c.Length < 1 || c.EmbedDim < 1 || c.Filters < 1 || c.KernelSize < 1 || c.PoolSize < 1 || c.Units < 1 || c.Classes < 2 {
		return fmt.Errorf("speaker: sizes must be positive and classes at least 2, got %+v", c)
	}
	if c.Length < c.PoolSize {
		return fmt.Errorf("speaker: length %d is shorter than the pool size %d", c.Length, c.PoolSize)
	}
	for _, r := range []struct {
		name string
		v    float32
	}{{"dropout", c.Dropout}, {"spatial_dropout", c.SpatialDropout}, {"lstm_dropout", c.LSTMDropout}, {"recurrent_dropout", c.RecurrentDropout}} {
		if !(r.v >= 0 && r.v < 1) {
			return fmt.Errorf("speaker: %s %v must lie in [0, 1)", r.name, r.v)
		}
	}
	if !(c.L2 >= 0 && c.L2 < 1) {
		return fmt.Errorf("speaker: l2 %v must lie in [0, 1)", c.L2)
	}
	if c.Vocab > 1<<24 {
		return fmt.Errorf("speaker: vocabulary %d over 2^24 ids (ids travel as float32)", c.Vocab)
	}
	return nil
}

// Speaker is the post's speaker classifier.
type Speaker struct {
	Cfg   SpeakerConfig
	Embed *nn.Embedding
	Conv  *nn.Conv1D
	Pool  *nn.MaxPooling1D
	LSTM  *nn.LSTM
	Out   *nn.Dense
	Drop  *nn.Dropout // rate Cfg.Dropout (0: a no-op)
	// SpatialDrop follows the Embedding and LSTMDrop the pooling (rates
	// Cfg.SpatialDropout and Cfg.LSTMDropout; 0: no-ops).
	SpatialDrop, LSTMDrop *nn.SpatialDropout1D

	rng *rand.Rand // dropout masks
}

// NewSpeaker builds the model with Keras' default initialisation drawn from rng, which
// then also draws the dropout masks.
func NewSpeaker(cfg SpeakerConfig, rng *rand.Rand) *Speaker {
	return &Speaker{
		Cfg:         cfg,
		Drop:        nn.NewDropout("dropout", cfg.Dropout),
		SpatialDrop: nn.NewSpatialDropout1D("spatial_dropout", cfg.SpatialDropout),
		LSTMDrop:    nn.NewSpatialDropout1D("lstm_dropout", cfg.LSTMDropout),
		rng:         rng,
		Embed:       nn.NewEmbedding("embedding", cfg.Vocab, cfg.EmbedDim, rng),
		Conv:        nn.NewConv1D("conv1d", cfg.EmbedDim, cfg.Filters, cfg.KernelSize, "same", autodiff.ReLU, rng),
		Pool:        nn.NewMaxPooling1D(cfg.PoolSize, "valid"),
		LSTM:        nn.NewLSTM("lstm", cfg.Filters, cfg.Units, false, rng),
		Out:         nn.NewDense("dense", cfg.Units, cfg.Classes, autodiff.Softmax, rng),
	}
}

// Params lists the weights in layer order.
func (m *Speaker) Params() []nn.Param {
	var ps []nn.Param
	for _, l := range []nn.Layer{m.Embed, m.Conv, m.LSTM, m.Out} {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// Probs maps ids [B, Length] (whole numbers coded as float32, as text.Vocab.Encode gives
// them) to speaker probabilities [B, Classes], without dropout.
func (m *Speaker) Probs(tp *autodiff.Tape, ids *autodiff.Var) *autodiff.Var {
	return m.forward(tp, ids, false)
}

func (m *Speaker) forward(tp *autodiff.Tape, ids *autodiff.Var, training bool) *autodiff.Var {
	e := m.Drop.Call(tp, m.Embed.Call(tp, ids), training, m.rng)
	e = m.SpatialDrop.Call(tp, e, training, m.rng)
	h := m.LSTMDrop.Call(tp, m.Pool.Call(tp, m.Conv.Call(tp, e)), training, m.rng)
	var r *autodiff.Var
	if training && m.Cfg.RecurrentDropout > 0 {
		r = m.LSTM.CallRecurrentDropout(tp, h, m.Cfg.RecurrentDropout, m.rng)
	} else {
		r = m.LSTM.Call(tp, h)
	}
	return m.Out.Call(tp, m.Drop.Call(tp, r, training, m.rng))
}

// Loss is the batch mean of the categorical cross-entropy between one-hot targets y
// [B, Classes] and the predicted probabilities (with dropout when training), plus the L2
// penalty of the kernels when Cfg.L2 > 0 (in training and evaluation, as Keras reports
// it).
func (m *Speaker) Loss(tp *autodiff.Tape, x, y *autodiff.Var, training bool) *autodiff.Var {
	loss := tp.Mean(nn.CategoricalCrossentropy(tp, y, m.forward(tp, x, training)))
	if m.Cfg.L2 > 0 {
		r := nn.L2(m.Cfg.L2)
		for _, w := range []*autodiff.Var{m.Embed.Embeddings, m.Conv.Kernel, m.LSTM.Kernel, m.LSTM.Recurrent, m.Out.Kernel} {
			loss = tp.Add(loss, r.Penalty(tp, w))
		}
	}
	return loss
}

// Kind is "speaker".
func (m *Speaker) Kind() string { return "speaker" }

// Config returns the architecture.
func (m *Speaker) Config() any { return m.Cfg }

// BagConfig is the bag-of-morphemes baseline: softmax regression on token counts,
// counts [B, Vocab] → Dense(Classes, softmax).
type BagConfig struct {
	Vocab   int `json:"vocab"`
	Classes int `json:"classes"`
	// L2 is the weight-decay factor of the kernel: loss = cross-entropy + L2·Σw²
	// (0: none, also for older configs).
	L2 float32 `json:"l2,omitempty"`
}

// Validate reports a config that cannot build a model.
func (c BagConfig) Validate() error {
	if c.Vocab < 1 || c.Classes < 2 {
		return fmt.Errorf("speaker-bag: vocabulary must be positive and classes at least 2, got %+v", c)
	}
	if !(c.L2 >= 0 && c.L2 < 1) {
		return fmt.Errorf("speaker-bag: l2 %v must lie in [0, 1)", c.L2)
	}
	return nil
}

// SpeakerBag is multinomial logistic regression on the counts of each token id in a line
// (see Counts), the baseline the LSTM has to beat. It trains with the same engine: Fit,
// Adam, categorical cross-entropy.
type SpeakerBag struct {
	Cfg BagConfig
	Out *nn.Dense
}

// NewSpeakerBag returns the baseline with a Glorot-uniform kernel and zero bias.
func NewSpeakerBag(cfg BagConfig, rng *rand.Rand) *SpeakerBag {
	return &SpeakerBag{Cfg: cfg, Out: nn.NewDense("dense", cfg.Vocab, cfg.Classes, autodiff.Softmax, rng)}
}

// Params returns the kernel and the bias.
func (m *SpeakerBag) Params() []nn.Param { return m.Out.Params() }

// Probs maps counts [B, Vocab] to speaker probabilities [B, Classes].
func (m *SpeakerBag) Probs(tp *autodiff.Tape, counts *autodiff.Var) *autodiff.Var {
	return m.Out.Call(tp, counts)
}

// Loss is the batch mean categorical cross-entropy, plus L2·Σw² over the kernel when
// Cfg.L2 > 0.
func (m *SpeakerBag) Loss(tp *autodiff.Tape, x, y *autodiff.Var, _ bool) *autodiff.Var {
	loss := tp.Mean(nn.CategoricalCrossentropy(tp, y, m.Probs(tp, x)))
	if m.Cfg.L2 > 0 {
		loss = tp.Add(loss, nn.L2(m.Cfg.L2).Penalty(tp, m.Out.Kernel))
	}
	return loss
}

// Kind is "speaker-bag".
func (m *SpeakerBag) Kind() string { return "speaker-bag" }

// Config returns the architecture.
func (m *SpeakerBag) Config() any { return m.Cfg }

// Counts turns id sequences [N, L] (float32-coded ids below vocab) into count vectors
// [N, vocab]: out[n, v] = how often id v occurs in row n. The padding id 0 is not
// counted.
func Counts(ids *tensor.Tensor, vocab int) *tensor.Tensor {
	n, l := ids.Shape[0], ids.Cols()
	out := tensor.New(n, vocab)
	for i := 0; i < n; i++ {
		for _, f := range ids.Data[i*l : i*l+l] {
			if id := int(f); id > 0 && id < vocab {
				out.Data[i*vocab+id]++
			}
		}
	}
	return out
}

// OneHot returns [N, classes] with a 1 at (i, labels[i]).
func OneHot(labels []int, classes int) *tensor.Tensor {
	out := tensor.New(len(labels), classes)
	for i, c := range labels {
		out.Data[i*classes+c] = 1
	}
	return out
}

func init() {
	register("speaker", func(raw json.RawMessage, rng *rand.Rand) (Model, error) {
		var c SpeakerConfig
		if err := decodeConfig(raw, &c); err != nil {
			return nil, err
		}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		return NewSpeaker(c, rng), nil
	})
	register("speaker-bag", func(raw json.RawMessage, rng *rand.Rand) (Model, error) {
		var c BagConfig
		if err := decodeConfig(raw, &c); err != nil {
			return nil, err
		}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		return NewSpeakerBag(c, rng), nil
	})
}
