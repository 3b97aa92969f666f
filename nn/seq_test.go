package nn_test

import (
	"math"
	"strings"
	"testing"

	"fugo/autodiff"
	"fugo/internal/gradcheck"
	"fugo/nn"
	"fugo/tensor"
)

// lstmReference runs the LSTM equations in float64, one element at a time.
func lstmReference(l *nn.LSTM, x []float32, nb, nt int) (seq [][]float64) {
	f, u := l.In(), l.Units()
	w, r, bias := l.Kernel.Value.Data, l.Recurrent.Value.Data, l.Bias.Value.Data
	sig := func(z float64) float64 { return 1 / (1 + math.Exp(-z)) }
	seq = make([][]float64, nb*nt)
	for b := 0; b < nb; b++ {
		h, c := make([]float64, u), make([]float64, u)
		for t := 0; t < nt; t++ {
			z := make([]float64, 4*u)
			for j := range z {
				s := float64(bias[j])
				for k := 0; k < f; k++ {
					s += float64(x[(b*nt+t)*f+k]) * float64(w[k*4*u+j])
				}
				for k := 0; k < u; k++ {
					s += h[k] * float64(r[k*4*u+j])
				}
				z[j] = s
			}
			nh := make([]float64, u)
			for j := 0; j < u; j++ {
				i, fg, g, o := sig(z[j]), sig(z[u+j]), math.Tanh(z[2*u+j]), sig(z[3*u+j])
				c[j] = fg*c[j] + i*g
				nh[j] = o * math.Tanh(c[j])
			}
			h = nh
			seq[b*nt+t] = nh
		}
	}
	return seq
}

func TestLSTMForward(t *testing.T) {
	rng := tensor.NewRNG(11)
	for _, c := range []struct{ b, t, f, u int }{{1, 1, 1, 1}, {1, 5, 3, 2}, {3, 7, 5, 9}, {2, 4, 17, 13}} {
		for _, rs := range []bool{false, true} {
			l := nn.NewLSTM("lstm", c.f, c.u, rs, rng)
			l.Bias.Value.FillUniform(rng, -0.5, 0.5)
			x := tensor.New(c.b, c.t, c.f)
			x.FillUniform(rng, -2, 2)
			tp := autodiff.NewTape()
			y := l.Call(tp, tp.Constant(x))
			ref := lstmReference(l, x.Data, c.b, c.t)
			for b := 0; b < c.b; b++ {
				for tt := 0; tt < c.t; tt++ {
					if !rs && tt != c.t-1 {
						continue
					}
					for j := 0; j < c.u; j++ {
						var got float32
						if rs {
							got = y.Value.Data[(b*c.t+tt)*c.u+j]
						} else {
							got = y.Value.Data[b*c.u+j]
						}
						if want := ref[b*c.t+tt][j]; math.Abs(float64(got)-want) > 1e-5 {
							t.Fatalf("%+v seq=%v: h[%d,%d,%d] = %v, want %v", c, rs, b, tt, j, got, want)
						}
					}
				}
			}
		}
	}
}

func TestLSTMGradients(t *testing.T) {
	rng := tensor.NewRNG(12)
	for _, c := range []struct{ b, t, f, u int }{{1, 1, 2, 3}, {1, 4, 3, 2}, {3, 5, 3, 5}} {
		for _, rs := range []bool{false, true} {
			l := nn.NewLSTM("lstm", c.f, c.u, rs, rng)
			l.Bias.Value.FillUniform(rng, -0.5, 0.5)
			x := gradcheck.Random(rng, -1, 1, c.b, c.t, c.f)
			inputs := []*autodiff.Var{x, l.Kernel, l.Recurrent, l.Bias}
			gradcheck.Check(t, "LSTM", inputs, func(tp *autodiff.Tape) *autodiff.Var { return l.Call(tp, x) }, gradcheck.Options{})
		}
	}
}

func TestLSTMInit(t *testing.T) {
	l := nn.NewLSTM("lstm", 28, 64, false, tensor.NewRNG(3))
	u := 64
	// Orthogonal recurrent kernel [U, 4U]: its rows are orthonormal, R·Rᵀ = I.
	r := l.Recurrent.Value.Data
	for i := 0; i < u; i++ {
		for j := 0; j < u; j++ {
			var s float64
			for k := 0; k < 4*u; k++ {
				s += float64(r[i*4*u+k]) * float64(r[j*4*u+k])
			}
			want := 0.0
			if i == j {
				want = 1
			}
			if math.Abs(s-want) > 1e-5 {
				t.Fatalf("R·Rᵀ[%d,%d] = %v, want %v", i, j, s, want)
			}
		}
	}
	for j, v := range l.Bias.Value.Data {
		want := float32(0)
		if j >= u && j < 2*u {
			want = 1
		}
		if v != want {
			t.Fatalf("bias[%d] = %v, want %v (unit forget bias)", j, v, want)
		}
	}
	lim := float32(math.Sqrt(6.0 / (28 + 4*64)))
	for _, v := range l.Kernel.Value.Data {
		if v < -lim || v > lim {
			t.Fatalf("kernel value %v outside Glorot ±%v", v, lim)
		}
	}
	// Tall case: orthonormal columns.
	q := nn.Orthogonal(tensor.NewRNG(4), 7, 3)
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			var s float64
			for k := 0; k < 7; k++ {
				s += float64(q.Data[k*3+i]) * float64(q.Data[k*3+j])
			}
			if want := map[bool]float64{true: 1, false: 0}[i == j]; math.Abs(s-want) > 1e-6 {
				t.Fatalf("QᵀQ[%d,%d] = %v", i, j, s)
			}
		}
	}
}

func TestRepeatVector(t *testing.T) {
	rng := tensor.NewRNG(5)
	r := nn.NewRepeatVector(3)
	tp := autodiff.NewTape()
	y := r.Call(tp, tp.Constant(tensor.FromSlice([]float32{1, 2, 3, 4}, 2, 2)))
	want := []float32{1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}
	if !tensor.SameShape(y.Value.Shape, []int{2, 3, 2}) {
		t.Fatalf("shape %v", y.Value.Shape)
	}
	for i, v := range want {
		if y.Value.Data[i] != v {
			t.Fatalf("RepeatVector = %v, want %v", y.Value.Data, want)
		}
	}
	for _, shape := range [][]int{{1, 1}, {3, 5}} {
		x := gradcheck.Random(rng, -1, 1, shape...)
		gradcheck.Check(t, "RepeatVector", []*autodiff.Var{x}, func(tp *autodiff.Tape) *autodiff.Var { return r.Call(tp, x) }, gradcheck.Options{})
	}
}

func TestEmbedding(t *testing.T) {
	rng := tensor.NewRNG(6)
	e := nn.NewEmbedding("emb", 7, 3, rng)
	for _, v := range e.Embeddings.Value.Data {
		if v < -0.05 || v >= 0.05 {
			t.Fatalf("initial value %v outside U(−0.05, 0.05)", v)
		}
	}
	ids := tensor.FromSlice([]float32{0, 6, 2, 2, 5}, 1, 5)
	tp := autodiff.NewTape()
	y := e.Call(tp, tp.Constant(ids))
	if !tensor.SameShape(y.Value.Shape, []int{1, 5, 3}) {
		t.Fatalf("shape %v", y.Value.Shape)
	}
	for k, id := range ids.Data {
		for j := 0; j < 3; j++ {
			if y.Value.Data[k*3+j] != e.Embeddings.Value.Data[int(id)*3+j] {
				t.Fatalf("row %d is not E[%v]", k, id)
			}
		}
	}
	// The gradient of a repeated id accumulates; rows of unused ids stay zero.
	for _, shape := range [][]int{{1, 1}, {3, 5}} {
		idv := tensor.New(shape...)
		for i := range idv.Data {
			idv.Data[i] = float32(rng.IntN(7))
		}
		gradcheck.Check(t, "Embedding", []*autodiff.Var{e.Embeddings}, func(tp *autodiff.Tape) *autodiff.Var {
			return e.Call(tp, tp.Constant(idv))
		}, gradcheck.Options{})
	}
	for _, bad := range []float32{-1, 7, 2.5, float32(math.NaN())} {
		func() {
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(r.(string), "nn.Embedding \"emb\": id") {
					t.Errorf("id %v: panic %v, want a message naming the layer and the id", bad, r)
				}
			}()
			tp := autodiff.NewTape()
			e.Call(tp, tp.Constant(tensor.FromSlice([]float32{1, bad}, 1, 2)))
		}()
	}
}

// conv1DReference is the Conv1D formula as a plain loop (linear activation).
func conv1DReference(c *nn.Conv1D, x []float32, nb, nt int) []float32 {
	k, ch, fl := c.KernelSize(), c.In(), c.Filters()
	to, pad := c.OutSteps(nt)
	out := make([]float32, nb*to*fl)
	for b := 0; b < nb; b++ {
		for t := 0; t < to; t++ {
			for f := 0; f < fl; f++ {
				s := float64(c.Bias.Value.Data[f])
				for kk := 0; kk < k; kk++ {
					ti := t*c.Stride - pad + kk
					if ti < 0 || ti >= nt {
						continue
					}
					for cc := 0; cc < ch; cc++ {
						s += float64(x[(b*nt+ti)*ch+cc]) * float64(c.Kernel.Value.Data[(kk*ch+cc)*fl+f])
					}
				}
				out[(b*to+t)*fl+f] = float32(s)
			}
		}
	}
	return out
}

func TestConv1D(t *testing.T) {
	rng := tensor.NewRNG(7)
	cases := []struct {
		b, t, c, f, k, s int
		pad              string
		wantT            int
	}{
		{1, 1, 1, 1, 1, 1, "valid", 1},
		{1, 7, 3, 5, 3, 1, "same", 7},
		{2, 7, 3, 5, 3, 1, "valid", 5},
		{3, 9, 2, 4, 4, 1, "same", 9}, // even kernel: 1 step of padding before, 2 after
		{2, 9, 3, 3, 3, 2, "same", 5},
		{2, 10, 3, 3, 3, 3, "valid", 3},
		{1, 2, 2, 3, 5, 1, "same", 2}, // kernel longer than the input
	}
	tp := autodiff.NewTape() // shared, so later cases run on recycled (dirty) buffers
	big := nn.NewConv1D("big", 8, 2, 5, "same", autodiff.Linear, rng)
	big.Call(tp, gradcheck.Random(rng, 1, 2, 4, 20, 8))
	for _, c := range cases {
		conv := nn.NewConv1D("conv", c.c, c.f, c.k, c.pad, autodiff.Linear, rng)
		conv.Stride = c.s
		conv.Bias.Value.FillUniform(rng, -0.5, 0.5)
		x := gradcheck.AwayFromZero(rng, c.b, c.t, c.c)
		tp.Reset()
		y := conv.Call(tp, x)
		if !tensor.SameShape(y.Value.Shape, []int{c.b, c.wantT, c.f}) {
			t.Fatalf("%+v: output shape %v, want [%d %d %d]", c, y.Value.Shape, c.b, c.wantT, c.f)
		}
		ref := conv1DReference(conv, x.Value.Data, c.b, c.t)
		for i, v := range ref {
			if math.Abs(float64(v-y.Value.Data[i])) > 1e-5 {
				t.Fatalf("%+v: y[%d] = %v, want %v", c, i, y.Value.Data[i], v)
			}
		}
		for _, act := range []autodiff.Activation{autodiff.Linear, autodiff.Tanh} {
			conv.Activation = act
			gradcheck.Check(t, "Conv1D/"+c.pad+"/"+act.String(), []*autodiff.Var{x, conv.Kernel, conv.Bias},
				func(tp *autodiff.Tape) *autodiff.Var { return conv.Call(tp, x) }, gradcheck.Options{})
		}
	}
}

func TestMaxPooling1D(t *testing.T) {
	rng := tensor.NewRNG(8)
	x := tensor.FromSlice([]float32{1, 5, 3, 2, 7, 0, 4}, 1, 7, 1)
	for _, c := range []struct {
		pad  string
		want []float32
	}{{"valid", []float32{5, 3, 7}}, {"same", []float32{5, 3, 7, 4}}} {
		p := nn.NewMaxPooling1D(2, c.pad)
		tp := autodiff.NewTape()
		y := p.Call(tp, tp.Constant(x))
		if len(y.Value.Data) != len(c.want) || y.Value.Shape[1] != len(c.want) {
			t.Fatalf("%s: %v, want %v", c.pad, y.Value.Data, c.want)
		}
		for i, v := range c.want {
			if y.Value.Data[i] != v {
				t.Fatalf("%s: %v, want %v", c.pad, y.Value.Data, c.want)
			}
		}
	}
	for _, shape := range [][]int{{1, 1, 1}, {1, 7, 3}, {3, 8, 2}, {2, 9, 5}} {
		for _, pad := range []string{"valid", "same"} {
			for _, pool := range []int{2, 3} {
				if pad == "valid" && shape[1] < pool {
					continue
				}
				p := nn.NewMaxPooling1D(pool, pad)
				xv := gradcheck.AwayFromZero(rng, shape...)
				gradcheck.Check(t, "MaxPooling1D/"+pad, []*autodiff.Var{xv}, func(tp *autodiff.Tape) *autodiff.Var { return p.Call(tp, xv) }, gradcheck.Options{})
			}
		}
	}
}
