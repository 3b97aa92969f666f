package nn_test

import (
	"slices"
	"testing"

	"fugo/autodiff"
	"fugo/internal/gradcheck"
	"fugo/nn"
	"fugo/tensor"
)

func TestMaxPooling2DShapesAndValues(t *testing.T) {
	for _, tc := range []struct {
		h, w, ph, pw int
		pad          nn.Padding
		oh, ow       int
	}{
		{7, 7, 2, 2, nn.Same, 4, 4},
		{7, 7, 2, 2, nn.Valid, 3, 3},
		{28, 28, 2, 2, nn.Same, 14, 14},
		{5, 7, 2, 2, nn.Same, 3, 4},
		{3, 1, 2, 1, nn.Same, 2, 1},
		{6, 6, 3, 3, nn.Valid, 2, 2},
	} {
		p := nn.NewMaxPooling2D("p", tc.ph, tc.pw, tc.pad)
		if oh, ow := p.OutputShape(tc.h, tc.w); oh != tc.oh || ow != tc.ow {
			t.Errorf("%+v: OutputShape %d×%d", tc, oh, ow)
		}
		tp := autodiff.NewTape()
		x := tensor.New(2, tc.h, tc.w, 3)
		x.FillUniform(tensor.NewRNG(1), -1, 1)
		y := p.Call(tp, tp.Constant(x))
		if !slices.Equal(y.Value.Shape, []int{2, tc.oh, tc.ow, 3}) {
			t.Fatalf("%+v: shape %v", tc, y.Value.Shape)
		}
		// Reference: the maximum over the window's positions inside the image. "same" with a
		// pool equal to its stride pads only after (pad_before = 0 for these sizes).
		for b := 0; b < 2; b++ {
			for oy := 0; oy < tc.oh; oy++ {
				for ox := 0; ox < tc.ow; ox++ {
					for c := 0; c < 3; c++ {
						m := float32(-2)
						for i := oy * tc.ph; i < min(oy*tc.ph+tc.ph, tc.h); i++ {
							for j := ox * tc.pw; j < min(ox*tc.pw+tc.pw, tc.w); j++ {
								m = max(m, x.Data[((b*tc.h+i)*tc.w+j)*3+c])
							}
						}
						if got := y.Value.Data[((b*tc.oh+oy)*tc.ow+ox)*3+c]; got != m {
							t.Fatalf("%+v: y[%d,%d,%d,%d] = %v, want %v", tc, b, oy, ox, c, got, m)
						}
					}
				}
			}
		}
	}
}

func TestMaxPooling2DGradients(t *testing.T) {
	rng := tensor.NewRNG(3)
	for _, tc := range []struct {
		shape  []int
		ph, pw int
		pad    nn.Padding
	}{
		{[]int{1, 5, 7, 2}, 2, 2, nn.Same},
		{[]int{1, 7, 7, 1}, 2, 2, nn.Same},
		{[]int{2, 7, 7, 2}, 2, 2, nn.Valid},
		{[]int{1, 3, 1, 3}, 2, 1, nn.Same},
		{[]int{1, 7, 5, 2}, 3, 3, nn.Same}, // pad_before = 1 on both axes
		{[]int{1, 5, 7, 8}, 2, 2, nn.Same}, // the vectorised kernel, odd sizes
		{[]int{2, 4, 6, 16}, 2, 2, nn.Same},
		{[]int{1, 5, 5, 8}, 2, 2, nn.Valid}, // not the kernel's case: the last row and column dropped
	} {
		p := nn.NewMaxPooling2D("p", tc.ph, tc.pw, tc.pad)
		x := distinct(rng, tc.shape...)
		gradcheck.Check(t, "MaxPooling2D", []*autodiff.Var{x}, func(tp *autodiff.Tape) *autodiff.Var { return p.Call(tp, x) }, gradcheck.Options{})
	}
}

// distinct returns a parameter whose elements are a random permutation of −1 + 0.01·i:
// no two closer than 0.01, so the finite differences (step 1e-3) never swap a maximum.
func distinct(rng interface{ Perm(int) []int }, shape ...int) *autodiff.Var {
	v := autodiff.NewParam(tensor.New(shape...))
	for i, p := range rng.Perm(len(v.Value.Data)) {
		v.Value.Data[i] = -1 + 0.01*float32(p)
	}
	return v
}

func TestUpSampling2D(t *testing.T) {
	u := nn.NewUpSampling2D("u", 2, 2)
	tp := autodiff.NewTape()
	y := u.Call(tp, tp.Constant(tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 1, 2, 3, 1)))
	want := []float32{1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6, 6}
	if !slices.Equal(y.Value.Shape, []int{1, 4, 6, 1}) || !slices.Equal(y.Value.Data, want) {
		t.Fatalf("UpSampling2D = %v %v, want [1 4 6 1] %v", y.Value.Shape, y.Value.Data, want)
	}
	rng := tensor.NewRNG(4)
	for _, tc := range []struct{ shape, size []int }{
		{[]int{1, 3, 1, 2}, []int{2, 2}},
		{[]int{2, 5, 7, 1}, []int{2, 2}},
		{[]int{1, 2, 3, 3}, []int{3, 1}},
		{[]int{2, 3, 5, 8}, []int{2, 2}}, // the vectorised backward pass
	} {
		u := nn.NewUpSampling2D("u", tc.size[0], tc.size[1])
		x := gradcheck.Random(rng, -1, 1, tc.shape...)
		gradcheck.Check(t, "UpSampling2D", []*autodiff.Var{x}, func(tp *autodiff.Tape) *autodiff.Var { return u.Call(tp, x) }, gradcheck.Options{})
	}
}

func TestReshapeFlatten(t *testing.T) {
	rng := tensor.NewRNG(5)
	x := gradcheck.Random(rng, -1, 1, 2, 3, 5, 1)
	tp := autodiff.NewTape()
	f := nn.Flatten(tp, x)
	r := nn.Reshape(tp, f, 2, -1, 3)
	if !slices.Equal(f.Value.Shape, []int{2, 15}) || !slices.Equal(r.Value.Shape, []int{2, 5, 3}) {
		t.Fatalf("shapes %v %v", f.Value.Shape, r.Value.Shape)
	}
	if &r.Value.Data[0] != &x.Value.Data[0] {
		t.Error("Reshape copied its input")
	}
	// A reshaped value used twice: both gradients accumulate.
	gradcheck.Check(t, "Reshape", []*autodiff.Var{x}, func(tp *autodiff.Tape) *autodiff.Var {
		a := nn.Reshape(tp, x, 6, 5)
		return tp.Add(tp.Square(a), nn.Flatten(tp, nn.Reshape(tp, x, 6, 5, 1)))
	}, gradcheck.Options{})
}

func TestGaussianNoise(t *testing.T) {
	g := nn.NewGaussianNoise("noise", 0.5)
	x := gradcheck.Random(tensor.NewRNG(6), -1, 1, 100, 50)
	tp := autodiff.NewTape()
	if y := g.Call(tp, x, false, tensor.NewRNG(1)); y != x {
		t.Error("not training: want x itself")
	}
	y := g.Call(tp, x, true, tensor.NewRNG(1))
	var sum, sq float64
	for i, v := range y.Value.Data {
		d := float64(v - x.Value.Data[i])
		sum += d
		sq += d * d
	}
	n := float64(len(y.Value.Data))
	if mean, variance := sum/n, sq/n-(sum/n)*(sum/n); mean < -0.03 || mean > 0.03 || variance < 0.23 || variance > 0.27 {
		t.Errorf("noise mean %v, variance %v; want ≈ 0 and 0.25", mean, variance)
	}
	y2 := g.Call(tp, x, true, tensor.NewRNG(1))
	if !slices.Equal(y.Value.Data, y2.Value.Data) {
		t.Error("same rng seed, different noise")
	}
	small := gradcheck.Random(tensor.NewRNG(7), -1, 1, 1, 3, 1, 2)
	gradcheck.Check(t, "GaussianNoise", []*autodiff.Var{small}, func(tp *autodiff.Tape) *autodiff.Var {
		return g.Call(tp, small, true, tensor.NewRNG(2)) // the same noise at every evaluation
	}, gradcheck.Options{})
}

func benchLayer(b *testing.B, shape []int, call func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var) {
	x := gradcheck.Random(tensor.NewRNG(1), -1, 1, shape...)
	tp := autodiff.NewTape()
	step := func() {
		tp.Reset()
		tp.Backward(tp.Sum(call(tp, x)))
	}
	step()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		step()
	}
}

// Forward and backward of the pooling, upsampling and reshape layers of the conv model at
// batch 128 (the sum of the outputs as loss).
func BenchmarkMaxPooling2D(b *testing.B) {
	p := nn.NewMaxPooling2D("p", 2, 2, nn.Same)
	b.Run("128x28x28x16", func(b *testing.B) { benchLayer(b, []int{128, 28, 28, 16}, p.Call) })
	b.Run("128x7x7x8", func(b *testing.B) { benchLayer(b, []int{128, 7, 7, 8}, p.Call) })
}

func BenchmarkUpSampling2D(b *testing.B) {
	u := nn.NewUpSampling2D("u", 2, 2)
	b.Run("128x14x14x16", func(b *testing.B) { benchLayer(b, []int{128, 14, 14, 16}, u.Call) })
}

func BenchmarkReshape(b *testing.B) {
	b.Run("128x784", func(b *testing.B) {
		benchLayer(b, []int{128, 784}, func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var { return nn.Reshape(tp, x, -1, 28, 28, 1) })
	})
}

func BenchmarkGaussianNoise(b *testing.B) {
	g := nn.NewGaussianNoise("g", 0.5)
	rng := tensor.NewRNG(1)
	b.Run("128x784", func(b *testing.B) {
		benchLayer(b, []int{128, 784}, func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var { return g.Call(tp, x, true, rng) })
	})
}
