// Package zoo holds the models of the origin posts, each built from nn layers in a small
// file, with a JSON-serialisable config that rebuilds it.
package zoo

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"fugo/autodiff"
	"fugo/nn"
	"fugo/tensor"
)

// VAEConfig is the variational autoencoder of the first origin post (the Keras example of
// 2017): original → intermediate (relu) → z_mean, z_log_var (latent) → sample z →
// intermediate (relu) → original (sigmoid).
type VAEConfig struct {
	OriginalDim     int     `json:"original_dim"`     // 784 for MNIST
	IntermediateDim int     `json:"intermediate_dim"` // 256
	LatentDim       int     `json:"latent_dim"`       // 2
	EpsilonStd      float32 `json:"epsilon_std"`      // 1.0: the standard deviation of ε
}

// DefaultVAEConfig is the post's model.
func DefaultVAEConfig() VAEConfig {
	return VAEConfig{OriginalDim: 784, IntermediateDim: 256, LatentDim: 2, EpsilonStd: 1}
}

// Validate reports a config that cannot build a model.
func (c VAEConfig) Validate() error {
	if c.OriginalDim <= 0 || c.IntermediateDim <= 0 || c.LatentDim <= 0 || c.EpsilonStd < 0 {
		return fmt.Errorf("vae: dimensions must be positive and epsilon_std non-negative, got %+v", c)
	}
	// Bound the weights a config from a file can make NewVAE allocate: each dimension,
	// then the total (2·O·I + 3·I·L weights), checked in float64 against overflow.
	o, i, l := float64(c.OriginalDim), float64(c.IntermediateDim), float64(c.LatentDim)
	if c.OriginalDim > 1<<24 || c.IntermediateDim > 1<<20 || c.LatentDim > 1<<20 || 2*o*i+3*i*l > MaxParams {
		return fmt.Errorf("vae: dimensions %d-%d-%d need more than %d weights", c.OriginalDim, c.IntermediateDim, c.LatentDim, int64(MaxParams))
	}
	return nil
}

// VAE is the post's variational autoencoder. Its encoder (x → z_mean) and decoder
// (z → x̂) are usable on their own through Encode and Decode and share the trained layers,
// like the post's `encoder = Model(x, z_mean)` and `generator = Model(decoder_input, …)`.
type VAE struct {
	Cfg     VAEConfig
	Hidden  *nn.Dense // x → h, relu
	ZMean   *nn.Dense // h → z_mean
	ZLogVar *nn.Dense // h → z_log_var
	DecH    *nn.Dense // z → h', relu
	DecOut  *nn.Dense // h' → x̂, sigmoid

	rng *rand.Rand     // draws ε for the sampling step
	eps *tensor.Tensor // ε buffer, reused
}

// NewVAE builds the model with Keras' default initialisation drawn from rng, which it also
// keeps to sample ε.
func NewVAE(cfg VAEConfig, rng *rand.Rand) *VAE {
	return &VAE{
		Cfg:     cfg,
		Hidden:  nn.NewDense("dense_h", cfg.OriginalDim, cfg.IntermediateDim, autodiff.ReLU, rng),
		ZMean:   nn.NewDense("z_mean", cfg.IntermediateDim, cfg.LatentDim, autodiff.Linear, rng),
		ZLogVar: nn.NewDense("z_log_var", cfg.IntermediateDim, cfg.LatentDim, autodiff.Linear, rng),
		DecH:    nn.NewDense("decoder_h", cfg.LatentDim, cfg.IntermediateDim, autodiff.ReLU, rng),
		DecOut:  nn.NewDense("decoder_mean", cfg.IntermediateDim, cfg.OriginalDim, autodiff.Sigmoid, rng),
		rng:     rng,
		eps:     &tensor.Tensor{},
	}
}

// Params lists the weights in a fixed order, named after the layers.
func (m *VAE) Params() []nn.Param {
	var ps []nn.Param
	for _, l := range []*nn.Dense{m.Hidden, m.ZMean, m.ZLogVar, m.DecH, m.DecOut} {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// Encode maps x [B, original] to the posterior's mean and log-variance [B, latent].
func (m *VAE) Encode(tp *autodiff.Tape, x *autodiff.Var) (mean, logVar *autodiff.Var) {
	h := m.Hidden.Call(tp, x)
	return m.ZMean.Call(tp, h), m.ZLogVar.Call(tp, h)
}

// EncodeMean is the post's encoder model: x → z_mean.
func (m *VAE) EncodeMean(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return m.ZMean.Call(tp, m.Hidden.Call(tp, x))
}

// Decode is the post's generator: z [B, latent] → x̂ [B, original] in (0, 1).
func (m *VAE) Decode(tp *autodiff.Tape, z *autodiff.Var) *autodiff.Var {
	return m.DecOut.Call(tp, m.DecH.Call(tp, z))
}

// Sample returns z = mean + exp(logVar/2)·ε with ε ~ N(0, EpsilonStd²), the post's
// Lambda layer, written with plain ops.
func (m *VAE) Sample(tp *autodiff.Tape, mean, logVar *autodiff.Var) *autodiff.Var {
	eps := tp.Scratch(mean.Value.Shape...)
	eps.FillNormal(m.rng, 0, m.Cfg.EpsilonStd)
	return tp.Add(mean, tp.Mul(tp.Exp(tp.Scale(logVar, 0.5)), tp.Constant(eps)))
}

// Loss is the post's CustomVariationalLayer: the batch mean of
//
//	original_dim · mean BCE(x, x̂)  −  ½ Σ (1 + log σ² − μ² − e^(log σ²)).
//
// z is sampled in training and evaluation alike, as in Keras.
func (m *VAE) Loss(tp *autodiff.Tape, x, _ *autodiff.Var, _ bool) *autodiff.Var {
	mean, logVar := m.Encode(tp, x)
	xHat := m.Decode(tp, m.Sample(tp, mean, logVar))
	xent := tp.Scale(nn.BinaryCrossentropy(tp, x, xHat), float32(m.Cfg.OriginalDim))
	kl := tp.Scale(tp.SumLast(tp.Sub(tp.Sub(tp.AddScalar(logVar, 1), tp.Square(mean)), tp.Exp(logVar))), -0.5)
	return tp.Mean(tp.Add(xent, kl))
}

// Kind is "vae".
func (m *VAE) Kind() string { return "vae" }

// Config returns the architecture.
func (m *VAE) Config() any { return m.Cfg }

func init() {
	register("vae", func(raw json.RawMessage, rng *rand.Rand) (Model, error) {
		var c VAEConfig
		if err := decodeConfig(raw, &c); err != nil {
			return nil, err
		}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		return NewVAE(c, rng), nil
	})
}
