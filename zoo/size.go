package zoo

import (
	"encoding/json"
	"fmt"
	"math"
)

// A model's size is checked against its weights file before the model is built, so that a
// model.json of a few bytes cannot make Load allocate more than the weights it comes with
// (or MaxParams): each kind registers a function that counts the weights its config asks
// for, without building anything.
var counters = map[string]func(raw json.RawMessage) (int64, error){}

func init() {
	counters["vae"] = countOf(func(c VAEConfig) int64 {
		o, i, l := int64(c.OriginalDim), int64(c.IntermediateDim), int64(c.LatentDim)
		return add(dense(o, i), dense(i, l), dense(i, l), dense(l, i), dense(i, o))
	})
	denseAE := countOf(func(c DenseConfig) int64 {
		var n int64
		in := int64(c.Input)
		for _, h := range c.Hidden { // encoder and mirrored decoder
			n = add(n, dense(in, int64(h)), dense(int64(h), in))
			in = int64(h)
		}
		return n
	})
	counters["simple"], counters["sparse"], counters["deep"] = denseAE, denseAE, denseAE
	convAE := countOf(func(c ConvConfig) int64 {
		k2 := mul(int64(c.KernelSize), int64(c.KernelSize))
		var n int64
		in := int64(c.Channels)
		for _, f := range append(append(append([]int(nil), c.Encoder...), c.Decoder...), c.Channels) {
			n = add(n, mul(mul(k2, in), int64(f)), int64(f))
			in = int64(f)
		}
		return n
	})
	counters["conv"], counters["denoise"], counters["illust"] = convAE, convAE, convAE
	counters["seq"] = countOf(func(c SeqConfig) int64 {
		return add(lstm(int64(c.Features), int64(c.Latent)), lstm(int64(c.Latent), int64(c.Features)))
	})
	counters["speaker"] = countOf(func(c SpeakerConfig) int64 {
		e, f, u := int64(c.EmbedDim), int64(c.Filters), int64(c.Units)
		return add(mul(int64(c.Vocab), e), mul(mul(int64(c.KernelSize), e), f), f, lstm(f, u), dense(u, int64(c.Classes)))
	})
	counters["speaker-bag"] = countOf(func(c BagConfig) int64 { return dense(int64(c.Vocab), int64(c.Classes)) })
}

// countOf decodes a config of type C (strictly) and counts its weights.
func countOf[C any](count func(C) int64) func(json.RawMessage) (int64, error) {
	return func(raw json.RawMessage) (int64, error) {
		var c C
		if err := decodeConfig(raw, &c); err != nil {
			return 0, err
		}
		return count(c), nil
	}
}

// checkSize refuses a config that asks for more weights than limit.
func checkSize(kind string, raw json.RawMessage, limit int64) error {
	count := counters[kind]
	if count == nil {
		return fmt.Errorf("no size rule for model kind %q", kind)
	}
	n, err := count(raw)
	if err != nil {
		return err
	}
	if n < 0 || n > limit {
		return fmt.Errorf("the config asks for %s weights, more than the %d the weights file holds", sizeString(n), limit)
	}
	return nil
}

func sizeString(n int64) string {
	if n == math.MaxInt64 {
		return "over 2⁶³"
	}
	return fmt.Sprint(n)
}

// dense counts a Dense layer's kernel and bias.
func dense(in, out int64) int64 { return add(mul(in, out), out) }

// lstm counts an LSTM's kernel [in, 4u], recurrent kernel [u, 4u] and bias [4u].
func lstm(in, u int64) int64 { return mul(mul(4, u), add(in, u, 1)) }

// mul and add saturate at math.MaxInt64 and treat negative sizes as huge, so that a
// forged config cannot wrap around to a small count.
func mul(a, b int64) int64 {
	if a < 0 || b < 0 {
		return math.MaxInt64
	}
	if a != 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}

func add(xs ...int64) int64 {
	var s int64
	for _, x := range xs {
		if x < 0 || s > math.MaxInt64-x {
			return math.MaxInt64
		}
		s += x
	}
	return s
}
