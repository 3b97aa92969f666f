package zoo

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"fugo/autodiff"
	"fugo/nn"
)

// ConvConfig is a convolutional autoencoder on Height×Width×Channels images (NHWC, values
// in [0, 1]): the encoder is a stack of KernelSize² convolutions (relu, "same" padding),
// each followed by 2×2 max pooling ("same": odd sizes round up); the decoder a stack of
// convolutions (relu, DecoderPadding or "same"), each followed by 2×2 nearest upsampling,
// and a last convolution back to Channels with a sigmoid. The code is the output of the
// last pooling. Trained with binary cross-entropy and Adadelta.
//
//	conv:    28×28×1: Conv 16, Pool, Conv 8, Pool, Conv 8, Pool → 4×4×8;
//	         Conv 8, Up, Conv 8, Up, Conv 16 (valid), Up, Conv 1 → 28×28×1
//	denoise: 28×28×1: Conv 32, Pool, Conv 32, Pool → 7×7×32; Conv 32, Up, Conv 32, Up, Conv 1
//	illust:  64×64×3: Conv 16, Pool, Conv 8, Pool, Conv 8, Pool → 8×8×8;
//	         Conv 8, Up, Conv 8, Up, Conv 16, Up, Conv 3 → 64×64×3
//
// NoiseFactor > 0 makes a denoising autoencoder: the loss feeds clip(x + NoiseFactor·ε,
// 0, 1), ε ~ N(0, 1), and compares the output with the clean x.
type ConvConfig struct {
	Height   int `json:"height"`
	Width    int `json:"width"`
	Channels int `json:"channels"`
	// KernelSize is the side of every (square) kernel: 3.
	KernelSize int   `json:"kernel_size"`
	Encoder    []int `json:"encoder"` // filters of the encoder convolutions
	Decoder    []int `json:"decoder"` // filters of the decoder convolutions (before the output one)
	// DecoderPadding is "same" or "valid" for each decoder convolution; empty means all "same".
	DecoderPadding []nn.Padding `json:"decoder_padding,omitempty"`
	NoiseFactor    float32      `json:"noise_factor,omitempty"`
}

// ConvModelConfig is the convolutional autoencoder of "Building Autoencoders in Keras".
func ConvModelConfig() ConvConfig {
	return ConvConfig{Height: 28, Width: 28, Channels: 1, KernelSize: 3, Encoder: []int{16, 8, 8}, Decoder: []int{8, 8, 16},
		DecoderPadding: []nn.Padding{nn.Same, nn.Same, nn.Valid}}
}

// DenoiseConfig is the tutorial's denoising autoencoder (noise factor 0.5).
func DenoiseConfig() ConvConfig {
	return ConvConfig{Height: 28, Width: 28, Channels: 1, KernelSize: 3, Encoder: []int{32, 32}, Decoder: []int{32, 32}, NoiseFactor: 0.5}
}

// IllustConfig is the second origin post's model on 64×64 colour illustrations.
func IllustConfig() ConvConfig {
	return ConvConfig{Height: 64, Width: 64, Channels: 3, KernelSize: 3, Encoder: []int{16, 8, 8}, Decoder: []int{8, 8, 16}}
}

// Validate reports a config that cannot build a model: sizes out of range, an unknown
// padding, or a decoder whose output size is not the input's.
func (c ConvConfig) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("conv autoencoder: "+format, args...)
	}
	if c.Height <= 0 || c.Width <= 0 || c.Channels <= 0 || c.Height > 4096 || c.Width > 4096 || c.Channels > 64 {
		return bad("image %d×%d×%d out of range (sides 1 to 4096, 1 to 64 channels)", c.Height, c.Width, c.Channels)
	}
	if c.KernelSize <= 0 || c.KernelSize > 15 {
		return bad("kernel_size %d out of range (1 to 15)", c.KernelSize)
	}
	if len(c.Encoder) == 0 || len(c.Encoder) > 8 || len(c.Decoder) > 8 {
		return bad("want 1 to 8 encoder and at most 8 decoder convolutions, got %d and %d", len(c.Encoder), len(c.Decoder))
	}
	for _, f := range append(append([]int(nil), c.Encoder...), c.Decoder...) {
		if f <= 0 || f > 1024 {
			return bad("filters %d out of range (1 to 1024)", f)
		}
	}
	if len(c.DecoderPadding) != 0 && len(c.DecoderPadding) != len(c.Decoder) {
		return bad("%d decoder paddings for %d decoder convolutions", len(c.DecoderPadding), len(c.Decoder))
	}
	for _, p := range c.DecoderPadding {
		if _, err := nn.ParsePadding(string(p)); err != nil {
			return bad("decoder_padding: %v", err)
		}
	}
	if !(c.NoiseFactor >= 0 && c.NoiseFactor <= 100) {
		return bad("noise_factor %v out of range (0 to 100)", c.NoiseFactor)
	}
	h, w := c.Height, c.Width
	for range c.Encoder {
		h, w = (h+1)/2, (w+1)/2
	}
	for i := range c.Decoder {
		if c.decoderPadding(i) == nn.Valid {
			h, w = h-c.KernelSize+1, w-c.KernelSize+1
			if h <= 0 || w <= 0 {
				return bad("decoder convolution %d (valid) gets an image smaller than its kernel", i+1)
			}
		}
		h, w = 2*h, 2*w
	}
	if h != c.Height || w != c.Width {
		return bad("the decoder gives %d×%d images for %d×%d inputs", h, w, c.Height, c.Width)
	}
	return nil
}

func (c ConvConfig) decoderPadding(i int) nn.Padding {
	if len(c.DecoderPadding) == 0 {
		return nn.Same
	}
	return c.DecoderPadding[i]
}

// ConvAE is a convolutional autoencoder (the conv, denoise and illust models). Encode and
// Decode are the tutorial's encoder and decoder models: usable alone, sharing the layers
// (and so the trained weights) of the whole.
type ConvAE struct {
	Cfg     ConvConfig
	Encoder []*nn.Conv2D // each followed by Pool
	Decoder []*nn.Conv2D // each followed by Up
	Output  *nn.Conv2D   // to Channels, sigmoid
	Pool    *nn.MaxPooling2D
	Up      *nn.UpSampling2D

	kind string
	rng  *rand.Rand // draws the denoising model's noise
}

// NewConvAE builds a convolutional autoencoder of the given kind ("conv", "denoise",
// "illust") with Keras' default initialisation drawn from rng in layer order, and keeps rng
// to draw the input noise of a denoising model. It panics on an invalid config; check
// Validate first for configs from outside.
func NewConvAE(kind string, cfg ConvConfig, rng *rand.Rand) *ConvAE {
	if err := cfg.Validate(); err != nil {
		panic("zoo: " + err.Error())
	}
	cfg.Encoder = append([]int(nil), cfg.Encoder...)
	cfg.Decoder = append([]int(nil), cfg.Decoder...)
	cfg.DecoderPadding = append([]nn.Padding(nil), cfg.DecoderPadding...)
	m := &ConvAE{Cfg: cfg, kind: kind, rng: rng,
		Pool: nn.NewMaxPooling2D("pool", 2, 2, nn.Same),
		Up:   nn.NewUpSampling2D("up", 2, 2)}
	k, in := cfg.KernelSize, cfg.Channels
	for i, f := range cfg.Encoder {
		m.Encoder = append(m.Encoder, nn.NewConv2D(fmt.Sprintf("encoder_conv_%d", i+1), in, f, k, k, nn.Same, autodiff.ReLU, rng))
		in = f
	}
	for i, f := range cfg.Decoder {
		m.Decoder = append(m.Decoder, nn.NewConv2D(fmt.Sprintf("decoder_conv_%d", i+1), in, f, k, k, cfg.decoderPadding(i), autodiff.ReLU, rng))
		in = f
	}
	m.Output = nn.NewConv2D("output_conv", in, cfg.Channels, k, k, nn.Same, autodiff.Sigmoid, rng)
	return m
}

// NewConvModel, NewDenoise and NewIllust build the three models with their default configs.
func NewConvModel(rng *rand.Rand) *ConvAE { return NewConvAE("conv", ConvModelConfig(), rng) }
func NewDenoise(rng *rand.Rand) *ConvAE   { return NewConvAE("denoise", DenoiseConfig(), rng) }
func NewIllust(rng *rand.Rand) *ConvAE    { return NewConvAE("illust", IllustConfig(), rng) }

// Params lists the weights in layer order, named after the layers.
func (m *ConvAE) Params() []nn.Param {
	var ps []nn.Param
	for _, l := range m.Encoder {
		ps = append(ps, l.Params()...)
	}
	for _, l := range m.Decoder {
		ps = append(ps, l.Params()...)
	}
	return append(ps, m.Output.Params()...)
}

// CodeShape is the shape of one code: (H, W, C) after the encoder.
func (m *ConvAE) CodeShape() (h, w, c int) {
	h, w = m.Cfg.Height, m.Cfg.Width
	for range m.Encoder {
		h, w = m.Pool.OutputShape(h, w)
	}
	return h, w, m.Cfg.Encoder[len(m.Cfg.Encoder)-1]
}

// Encode maps images x [B, H, W, C] (or [B, H·W·C], e.g. MNIST rows) to codes
// [B, h, w, c] (see CodeShape).
func (m *ConvAE) Encode(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	h := nn.Reshape(tp, x, -1, m.Cfg.Height, m.Cfg.Width, m.Cfg.Channels)
	// Each convolution and the pooling after it run as one op (Conv2D.CallPool: fused where
	// the shapes allow, the first layer on one-channel images; the same function either way).
	for _, l := range m.Encoder {
		h = l.CallPool(tp, h, m.Pool)
	}
	return h
}

// Decode maps codes [B, h, w, c] (or [B, h·w·c]) to images [B, H, W, C] in (0, 1).
func (m *ConvAE) Decode(tp *autodiff.Tape, code *autodiff.Var) *autodiff.Var {
	ch, cw, cc := m.CodeShape()
	h := nn.Reshape(tp, code, -1, ch, cw, cc)
	// Each Up and the convolution after it run as one op (Conv2D.CallUp: fused where the
	// shapes allow, the same function either way).
	for i, l := range m.Decoder {
		if i == 0 {
			h = l.Call(tp, h)
		} else {
			h = l.CallUp(tp, h, m.Up)
		}
	}
	if len(m.Decoder) == 0 {
		return m.Output.Call(tp, h)
	}
	return m.Output.CallUp(tp, h, m.Up)
}

// Reconstruct is Decode(Encode(x)), shaped like x.
func (m *ConvAE) Reconstruct(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return reshapeLike(tp, m.Decode(tp, m.Encode(tp, x)), x)
}

func reshapeLike(tp *autodiff.Tape, v, like *autodiff.Var) *autodiff.Var {
	var buf [8]int
	return nn.Reshape(tp, v, buf[:copy(buf[:], like.Value.Shape)]...)
}

// Corrupt writes clip(x + NoiseFactor·ε, 0, 1), ε ~ N(0, 1) drawn from rng, into dst
// (same size as x; dst may be x): the denoising model's input.
func (m *ConvAE) Corrupt(dst, x []float32, rng *rand.Rand) {
	f := float64(m.Cfg.NoiseFactor)
	for i, v := range x[:len(dst)] {
		dst[i] = min(max(v+float32(f*rng.NormFloat64()), 0), 1)
	}
}

// Loss is the mean per-pixel binary cross-entropy of the reconstruction of x against the
// target y. For a denoising model (NoiseFactor > 0) the encoder sees Corrupt(x) instead,
// with noise drawn afresh from the model's rng at every call, in training and evaluation
// alike: every epoch sees new noisy versions of the images (the tutorial corrupts the
// data once before training), and val_loss is the denoising loss on fresh noise.
func (m *ConvAE) Loss(tp *autodiff.Tape, x, y *autodiff.Var, _ bool) *autodiff.Var {
	in := x
	if m.Cfg.NoiseFactor > 0 {
		noisy := tp.Scratch(x.Value.Shape...)
		m.Corrupt(noisy.Data, x.Value.Data, m.rng)
		in = tp.Constant(noisy)
	}
	out := reshapeLike(tp, m.Decode(tp, m.Encode(tp, in)), y)
	return tp.Mean(nn.BinaryCrossentropy(tp, y, out))
}

// Kind is "conv", "denoise" or "illust".
func (m *ConvAE) Kind() string { return m.kind }

// Config returns the architecture.
func (m *ConvAE) Config() any { return m.Cfg }

// Input returns (H, W, C), the image shape the model takes.
func (m *ConvAE) Input() (h, w, c int) { return m.Cfg.Height, m.Cfg.Width, m.Cfg.Channels }

// registerConv registers a convolutional autoencoder kind.
func registerConv(kind string) {
	register(kind, func(raw json.RawMessage, rng *rand.Rand) (Model, error) {
		var c ConvConfig
		if err := decodeConfig(raw, &c); err != nil {
			return nil, err
		}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		return NewConvAE(kind, c, rng), nil
	})
}

func init() { registerConv("conv") }
