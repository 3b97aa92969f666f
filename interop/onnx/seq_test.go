package onnx_test

import (
	"fmt"
	"strings"
	"testing"

	"fugo/autodiff"
	"fugo/interop/onnx"
	"fugo/nn"
	"fugo/tensor"
	"fugo/zoo"
)

// randomIDs returns [n, length] whole numbers in [0, vocab) as float32.
func randomIDs(seed uint64, vocab int, shape ...int) *tensor.Tensor {
	x := tensor.New(shape...)
	rng := tensor.NewRNG(seed)
	for i := range x.Data {
		x.Data[i] = float32(rng.IntN(vocab))
	}
	return x
}

// Single sequence layers at odd sizes, batch 1 and 3: LSTM (last output and
// return_sequences, random biases so the gate order of the bias shows), RepeatVector,
// Embedding, Conv1D with "same" padding split unevenly (K = 4: 1 before, 2 after), stride 2
// and "valid", MaxPooling1D "valid" (7 → 3) and "same" (7 → 4) on all-negative inputs.
func TestExportSeqLayersRunInORT(t *testing.T) {
	rng := tensor.NewRNG(21)
	lstm := func(ret bool) *nn.LSTM {
		l := nn.NewLSTM("l", 3, 4, ret, rng)
		randomBiases(l.Params(), 22)
		return l
	}
	conv := func(pad string, k, s int, f autodiff.Activation) *nn.Conv1D {
		c := nn.NewConv1D("c", 3, 5, k, pad, f, rng)
		c.Stride = s
		randomBiases(c.Params(), 23)
		return c
	}
	pool := func(pad string) *nn.MaxPooling1D { return nn.NewMaxPooling1D(2, pad) }
	emb := nn.NewEmbedding("e", 11, 4, rng)
	type layer interface {
		Call(*autodiff.Tape, *autodiff.Var) *autodiff.Var
	}
	cases := []struct {
		name  string
		l     layer
		shape []int
		lo    float32 // inputs in [lo, lo+2], or whole ids when lo < −10
	}{
		{"lstm last", lstm(false), []int{5, 3}, -1},
		{"lstm sequences", lstm(true), []int{7, 3}, -1},
		{"lstm one step", lstm(false), []int{1, 3}, -1},
		{"repeat", nn.NewRepeatVector(5), []int{3}, -1},
		{"embedding", emb, []int{7}, -100},
		{"conv1d same k4", conv("same", 4, 1, autodiff.ReLU), []int{7, 3}, -1},
		{"conv1d same k3 stride 2", conv("same", 3, 2, autodiff.Linear), []int{9, 3}, -1},
		{"conv1d valid k3 tanh", conv("valid", 3, 1, autodiff.Tanh), []int{8, 3}, -1},
		{"maxpool1d valid", pool("valid"), []int{7, 3}, -3},
		{"maxpool1d same", pool("same"), []int{7, 3}, -3},
	}
	for i, c := range cases {
		for _, n := range []int{1, 3} {
			t.Run(fmt.Sprintf("%s batch %d", c.name, n), func(t *testing.T) {
				shape := append([]int{n}, c.shape...)
				var x *tensor.Tensor
				switch {
				case c.lo < -10:
					x = randomIDs(uint64(200+i*10+n), emb.Vocab(), shape...)
				case c.lo < -2:
					x = uniform(uint64(200+i*10+n), c.lo, -0.5, shape...)
				default:
					x = uniform(uint64(200+i*10+n), c.lo, c.lo+2, shape...)
				}
				checkORT(t, &onnx.Graph{Name: "layer", InputShape: c.shape, Layers: []any{c.l}}, x, layerOut(c.l.Call, x))
			})
		}
	}
}

// The sequence autoencoder (the worked example's 28×28, latent 64, and a 7×5, latent 6
// one) exports every part; the speaker classifier (a small one with an odd length and
// the post's sizes) and the bag-of-morphemes baseline export whole. ONNX Runtime gives
// fugo's outputs for batches of 1 and 4.
func TestExportSeqModelsRunInORT(t *testing.T) {
	rng := tensor.NewRNG(7)
	seqs := []*zoo.Seq{zoo.NewSeq(zoo.DefaultSeqConfig(), rng), zoo.NewSeq(zoo.SeqConfig{Timesteps: 7, Features: 5, Latent: 6}, rng)}
	for mi, m := range seqs {
		randomBiases(m.Params(), uint64(30+mi))
		c := m.Cfg
		for _, part := range []string{"encoder", "decoder", "all"} {
			for _, n := range []int{1, 4} {
				t.Run(fmt.Sprintf("seq %dx%d latent %d %s batch %d", c.Timesteps, c.Features, c.Latent, part, n), func(t *testing.T) {
					var x, want *tensor.Tensor
					seed := uint64(300 + mi*10 + n)
					switch part {
					case "encoder":
						x = uniform(seed, -1, 1, n, c.Timesteps, c.Features)
						want = layerOut(m.Encode, x)
					case "decoder":
						x = uniform(seed, -1, 1, n, c.Latent)
						want = layerOut(m.Decode, x)
					case "all":
						x = uniform(seed, -1, 1, n, c.Timesteps, c.Features)
						want = layerOut(m.Reconstruct, x)
					}
					g, err := onnx.Parts(m, part)
					if err != nil {
						t.Fatal(err)
					}
					checkORT(t, g, x, want)
				})
			}
		}
	}

	speakers := []*zoo.Speaker{
		zoo.NewSpeaker(zoo.SpeakerConfig{Vocab: 50, Length: 11, EmbedDim: 8, Filters: 6, KernelSize: 3, PoolSize: 2, Units: 7, Classes: 4}, rng),
		zoo.NewSpeaker(zoo.DefaultSpeakerConfig(300, 40, 4), rng),
	}
	for mi, m := range speakers {
		randomBiases(m.Params(), uint64(40+mi))
		for _, n := range []int{1, 4} {
			t.Run(fmt.Sprintf("speaker length %d units %d batch %d", m.Cfg.Length, m.Cfg.Units, n), func(t *testing.T) {
				x := randomIDs(uint64(400+mi*10+n), m.Cfg.Vocab, n, m.Cfg.Length)
				g, err := onnx.Parts(m, "all")
				if err != nil {
					t.Fatal(err)
				}
				checkORT(t, g, x, layerOut(m.Probs, x))
			})
		}
	}

	bag := zoo.NewSpeakerBag(zoo.BagConfig{Vocab: 30, Classes: 3}, rng)
	randomBiases(bag.Params(), 50)
	t.Run("speaker-bag", func(t *testing.T) {
		x := zoo.Counts(randomIDs(51, 30, 4, 9), 30)
		g, err := onnx.Parts(bag, "all")
		if err != nil {
			t.Fatal(err)
		}
		checkORT(t, g, x, layerOut(bag.Probs, x))
	})
}

// gan is a model kind the exporter does not know.
type gan struct{}

func (gan) Kind() string       { return "gan" }
func (gan) Config() any        { return nil }
func (gan) Params() []nn.Param { return nil }

// An unknown kind is refused by name, the classifiers have no encoder or decoder, and a
// layer that gets the wrong shape is named.
func TestPartsOfClassifiersAndShapeErrors(t *testing.T) {
	if _, err := onnx.Parts(gan{}, "all"); err == nil || !strings.Contains(err.Error(), `"gan" models is not supported`) {
		t.Errorf("unknown kind: got %v", err)
	}
	rng := tensor.NewRNG(1)
	sp := zoo.NewSpeaker(zoo.DefaultSpeakerConfig(20, 10, 3), rng)
	for _, part := range []string{"encoder", "decoder"} {
		if _, err := onnx.Parts(sp, part); err == nil || !strings.Contains(err.Error(), "--part all") {
			t.Errorf("speaker %s: got %v, want an error pointing to --part all", part, err)
		}
	}
	l := nn.NewLSTM("enc", 3, 4, false, rng)
	_, err := onnx.Model(&onnx.Graph{InputShape: []int{5, 2}, Layers: []any{l}})
	if err == nil || !strings.Contains(err.Error(), `"enc"`) || !strings.Contains(err.Error(), "[N 5 2]") {
		t.Errorf("LSTM on the wrong width: got %v", err)
	}
	c := nn.NewConv2D("conv", 3, 2, 3, 3, nn.Valid, autodiff.ReLU, rng)
	_, err = onnx.Model(&onnx.Graph{InputShape: []int{2, 2, 3}, Layers: []any{c}})
	if err == nil || !strings.Contains(err.Error(), "smaller than its 3×3 kernel") {
		t.Errorf("valid conv on a 2×2 image: got %v", err)
	}
	_, err = onnx.Model(&onnx.Graph{InputShape: []int{4}, Layers: []any{nn.NewMaxPooling2D("p", 2, 2, nn.Same)}})
	if err == nil || !strings.Contains(err.Error(), `"p"`) {
		t.Errorf("2-D pooling of a vector: got %v", err)
	}
}
