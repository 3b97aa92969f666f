package zoo_test

import (
	"slices"
	"testing"

	"fugo/autodiff"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

// Every autoencoder of the zoo has separate parts for `fugo encode` and `fugo decode`:
// their shapes are declared, Encode maps an input batch to codes of CodeShape, and
// Decode(Encode(x)) has the input's shape and equals the whole model's reconstruction
// where the model has one.
func TestAsAutoencoderCoversEveryAutoencoder(t *testing.T) {
	rng := tensor.NewRNG(5)
	cases := []struct {
		m           zoo.Model
		input, code []int
		reconstruct func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var
	}{
		{zoo.NewVAE(zoo.DefaultVAEConfig(), rng), []int{784}, []int{2}, nil},
		{zoo.NewSimple(rng), []int{784}, []int{32}, nil},
		{zoo.NewConvModel(rng), []int{28, 28, 1}, []int{4, 4, 8}, nil},
		{zoo.NewSeq(zoo.SeqConfig{Timesteps: 5, Features: 3, Latent: 4}, rng), []int{5, 3}, []int{4}, nil},
	}
	cases[2].reconstruct = cases[2].m.(*zoo.ConvAE).Reconstruct
	cases[3].reconstruct = cases[3].m.(*zoo.Seq).Reconstruct
	for _, c := range cases {
		ae, ok := zoo.AsAutoencoder(c.m)
		if !ok {
			t.Errorf("%s: not an Autoencoder", c.m.Kind())
			continue
		}
		if !slices.Equal(ae.InputShape(), c.input) || !slices.Equal(ae.CodeShape(), c.code) {
			t.Errorf("%s: shapes %v → %v, want %v → %v", c.m.Kind(), ae.InputShape(), ae.CodeShape(), c.input, c.code)
			continue
		}
		x := tensor.New(append([]int{3}, c.input...)...)
		x.FillUniform(rng, 0, 1)
		codes := train.Predict(ae.Encode, x, 2)
		if !slices.Equal(codes.Shape, append([]int{3}, c.code...)) {
			t.Errorf("%s: codes of shape %v, want [3 %v]", c.m.Kind(), codes.Shape, c.code)
		}
		back := train.Predict(ae.Decode, codes, 3)
		if back.Size() != x.Size() {
			t.Errorf("%s: decoded %v from input %v", c.m.Kind(), back.Shape, x.Shape)
		}
		if c.reconstruct != nil && !slices.Equal(train.Predict(c.reconstruct, x, 3).Data, back.Data) {
			t.Errorf("%s: Decode(Encode(x)) differs from Reconstruct(x)", c.m.Kind())
		}
	}
}
