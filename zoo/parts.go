package zoo

import (
	"math/rand/v2"

	"fugo/autodiff"
	"fugo/tensor"
)

// MaxParams bounds the number of weights (float32) a model config read from a file may
// ask for, 2²⁸ (1 GiB): a config's Validate refuses more, before anything is allocated.
const MaxParams = 1 << 28

// Autoencoder is a model whose encoder and decoder can be used alone, as Keras'
// `encoder = Model(x, code)` and `decoder = Model(code_input, x̂)` that share the trained
// layers. `fugo encode`, `decode` and `export onnx --part` work on any Autoencoder.
type Autoencoder interface {
	Model
	// Encode maps inputs [B, InputShape…] to codes [B, CodeShape…].
	Encode(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var
	// Decode maps codes [B, CodeShape…] to reconstructions [B, InputShape…].
	Decode(tp *autodiff.Tape, z *autodiff.Var) *autodiff.Var
	// InputShape is the shape of one input, without the batch axis (e.g. [784] or
	// [64, 64, 3], NHWC); CodeShape that of one code (e.g. [2] or [8, 8, 8]).
	InputShape() []int
	CodeShape() []int
}

// PriorSampler is a generative model that can draw codes from its prior, for
// `fugo sample`.
type PriorSampler interface {
	// SamplePrior returns n codes [n, CodeShape…] drawn from the prior with rng.
	SamplePrior(rng *rand.Rand, n int) *tensor.Tensor
}

// AsAutoencoder returns m as an Autoencoder, or false when m has no separate encoder and
// decoder. The VAE is wrapped so that its Encode is EncodeMean (the post's encoder:
// x → z_mean).
func AsAutoencoder(m Model) (Autoencoder, bool) {
	switch m := m.(type) {
	case Autoencoder:
		return m, true
	case *VAE:
		return vaeParts{m}, true
	case *DenseAE:
		return denseParts{m}, true
	case *ConvAE:
		return convParts{m}, true
	}
	return nil, false
}

// vaeParts is the VAE seen as an Autoencoder: Encode is EncodeMean.
type vaeParts struct{ *VAE }

func (v vaeParts) Encode(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return v.EncodeMean(tp, x)
}

// InputShape is [OriginalDim].
func (m *VAE) InputShape() []int { return []int{m.Cfg.OriginalDim} }

// CodeShape is [LatentDim].
func (m *VAE) CodeShape() []int { return []int{m.Cfg.LatentDim} }

// SamplePrior draws n codes z ~ N(0, I), [n, LatentDim] (the prior of the VAE's latent
// space, what the post's manifold walks through).
func (m *VAE) SamplePrior(rng *rand.Rand, n int) *tensor.Tensor {
	z := tensor.New(n, m.Cfg.LatentDim)
	z.FillNormal(rng, 0, 1)
	return z
}

// denseParts gives the dense autoencoders their shapes until DenseAE declares them.
type denseParts struct{ *DenseAE }

func (d denseParts) InputShape() []int { return []int{d.Cfg.Input} }
func (d denseParts) CodeShape() []int  { return []int{d.Cfg.CodeDim()} }

// convParts gives the convolutional autoencoders their shapes as slices: one image
// [H, W, C] (NHWC) in, a code [h, w, c] out.
type convParts struct{ *ConvAE }

func (c convParts) InputShape() []int {
	h, w, ch := c.Input()
	return []int{h, w, ch}
}

func (c convParts) CodeShape() []int {
	h, w, ch := c.ConvAE.CodeShape()
	return []int{h, w, ch}
}

// InputShape is [Timesteps, Features].
func (m *Seq) InputShape() []int { return []int{m.Cfg.Timesteps, m.Cfg.Features} }

// CodeShape is [Latent].
func (m *Seq) CodeShape() []int { return []int{m.Cfg.Latent} }
