package nn

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"fugo/autodiff"
	"fugo/internal/kernels"
	"fugo/tensor"
)

// LSTM is Keras' long short-term memory layer over a whole sequence, run as one op with
// backpropagation through time inside. With W the kernel [F, 4U], R the recurrent kernel
// [U, 4U] and b the bias [4U], split into four blocks of U columns in Keras' gate order
// i, f, c, o, each step computes from x_t [B, F], h_{t−1} and c_{t−1} [B, U]:
//
//	z = x_t·W + h_{t−1}·R + b
//	i = σ(z_i)   f = σ(z_f)   g = tanh(z_c)   o = σ(z_o)
//	c_t = f ⊙ c_{t−1} + i ⊙ g
//	h_t = o ⊙ tanh(c_t)
//
// from the zero state h_{−1} = c_{−1} = 0. σ is the logistic sigmoid, tf.keras' and Keras
// 2.3+'s recurrent_activation default; Keras 2.0–2.2 (the origin posts' Keras) used
// hard_sigmoid instead, a piecewise-linear approximation — fugo uses the smooth one, as
// PyTorch does, so trained weights carry over to and from tf.keras and PyTorch (after
// reordering PyTorch's i, f, g, o blocks, which happen to be the same order).
//
// There is no masking: padded steps (id 0 after an Embedding) are processed like any
// other step, as in Keras without mask_zero. Pad at the front ('pre', Keras'
// pad_sequences default, what data/text does) so the last output has seen the real tokens
// last. Recurrent dropout is CallRecurrentDropout; input dropout as Keras' LSTM(dropout=)
// applies it is SpatialDropout1D on the input. Stateful operation and initial states are
// not supported.
type LSTM struct {
	Name string
	// ReturnSequences selects the output: h_t for every step [B, T, U] when true, the
	// last step's h_{T−1} [B, U] when false (Keras' default).
	ReturnSequences bool
	Kernel          *autodiff.Var // W [F, 4U], Glorot-uniform
	Recurrent       *autodiff.Var // R [U, 4U], orthogonal
	Bias            *autodiff.Var // b [4U]: zeros, ones in the forget-gate block
}

// NewLSTM returns an LSTM with Keras' default initialisation: a Glorot-uniform kernel
// (fan-in F, fan-out 4U), an orthogonal recurrent kernel (Orthogonal, gain 1) and a zero
// bias with the forget-gate block set to 1 (unit_forget_bias=True).
func NewLSTM(name string, in, units int, returnSequences bool, rng *rand.Rand) *LSTM {
	if in <= 0 || units <= 0 {
		panic(fmt.Sprintf("nn.NewLSTM %q: input width %d and units %d must be positive", name, in, units))
	}
	b := tensor.New(4 * units)
	for j := units; j < 2*units; j++ {
		b.Data[j] = 1
	}
	return &LSTM{
		Name:            name,
		ReturnSequences: returnSequences,
		Kernel:          autodiff.NewParam(GlorotUniform(rng, in, 4*units, in, 4*units)),
		Recurrent:       autodiff.NewParam(Orthogonal(rng, units, 4*units)),
		Bias:            autodiff.NewParam(b),
	}
}

// In is the input width F; Units the state width U.
func (l *LSTM) In() int    { return l.Kernel.Value.Shape[0] }
func (l *LSTM) Units() int { return l.Recurrent.Value.Shape[0] }

// Params returns the kernel, the recurrent kernel and the bias (Keras' names).
func (l *LSTM) Params() []Param {
	return []Param{{l.Name + "/kernel", l.Kernel}, {l.Name + "/recurrent_kernel", l.Recurrent}, {l.Name + "/bias", l.Bias}}
}

// Call runs the layer over x [B, T, F] and returns [B, T, U] (ReturnSequences) or
// [B, U]. T must be at least 1.
//
// The input projection of all steps is one matrix product ([B·T, F]·[F, 4U]); each step
// then adds h_{t−1}·R (a [B, U]·[U, 4U] product, R packed once for all steps: kernels.PackB,
// GemmPackedB) and applies the gates. The backward pass
// walks the steps in reverse with one [B, 4U]·[4U, U] product per step, then forms the
// weight gradients with three whole-sequence products. The op keeps the gate activations,
// the cell states, their tanh and the previous outputs of every step (B·T·7U floats) on
// the tape.
func (l *LSTM) Call(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return l.call(tp, x, 0, nil)
}

// CallRecurrentDropout is Call with variational recurrent dropout (Gal & Ghahramani 2016;
// Keras' LSTM(recurrent_dropout=rate), one mask for all four gates as tf.keras'
// implementation 2 applies it): one mask m [B, U] per sequence, m ~ Bernoulli(1−rate)/(1−rate)
// drawn from rng at each call and kept for every step, multiplies the previous output in
// the recurrent product,
//
//	z = x_t·W + (h_{t−1} ⊙ m)·R + b,
//
// while the layer's outputs h_t stay unmasked. Use it in training only (Call outside);
// rate 0 is Call. The mask adds B·U floats to the tape.
func (l *LSTM) CallRecurrentDropout(tp *autodiff.Tape, x *autodiff.Var, rate float32, rng *rand.Rand) *autodiff.Var {
	if !(rate >= 0 && rate < 1) {
		panic(fmt.Sprintf("nn.LSTM %q: recurrent dropout rate %v must lie in [0, 1)", l.Name, rate))
	}
	return l.call(tp, x, rate, rng)
}

func (l *LSTM) call(tp *autodiff.Tape, x *autodiff.Var, rate float32, rng *rand.Rand) *autodiff.Var {
	f, u := l.In(), l.Units()
	xs := x.Value.Shape
	if len(xs) != 3 || xs[2] != f || xs[1] < 1 {
		panic(fmt.Sprintf("nn.LSTM %q: input shape %v, want [batch, steps ≥ 1, %d]", l.Name, xs, f))
	}
	nb, nt, g := xs[0], xs[1], 4*u
	need := tp.Needs(x, l.Kernel) || tp.Needs(l.Recurrent, l.Bias)
	var out *autodiff.Var
	if l.ReturnSequences {
		out = tp.NewVar(need, nb, nt, u)
	} else {
		out = tp.NewVar(need, nb, u)
	}
	size := lstmScratch(nb, nt, u)
	if rate > 0 {
		size += nb * u // the recurrent dropout mask, last
	}
	s := tp.Scratch(size)
	z, cs, hp, tcs := lstmSplit(s.Data, nb, nt, u)
	var mask []float32 // [B, U]; nil: no recurrent dropout
	if rate > 0 {
		mask = s.Data[lstmScratch(nb, nt, u):]
		DrawMask(mask, rate, rng)
	}
	rp := s.Data[nb*nt*7*u+2*nb*u:][:kernels.PackedBSize(u, g)]
	w, r, bias := l.Kernel.Value.Data, l.Recurrent.Value.Data, l.Bias.Value.Data
	y := out.Value.Data

	// z = x·W for all steps at once; rows are (batch, step) pairs. The bias is added
	// with the gates.
	kernels.Gemm(false, false, nb*nt, g, f, 1, x.Value.Data, f, w, g, 0, z, g)
	if nt > 1 {
		kernels.PackB(rp, false, u, g, r, g) // R once for all steps
	}
	for t := 0; t < nt; t++ {
		// Row b of step t is row b·T + t: strides T·4U (z) and T·U (c, tanh c, h).
		var hprev, cprev, h, yt []float32
		ldy := nt * u
		if t > 0 {
			hprev, cprev = hp[t*u:], cs[(t-1)*u:]
		}
		if t+1 < nt {
			h = hp[(t+1)*u:] // the next step's h_{t−1}
		}
		switch {
		case l.ReturnSequences:
			yt = y[t*u:]
		case t == nt-1:
			yt, ldy = y, u
		}
		kernels.LSTMForwardStep(nb, u, rp, hprev, nt*u, z[t*g:], nt*g, bias, cs[t*u:], cprev, tcs[t*u:], nt*u, h, nt*u, yt, ldy)
		if mask != nil && h != nil {
			maskRows(h, nt*u, mask, nb, u) // the next step sees h_t ⊙ m
		}
	}
	tp.Record(autodiff.Node{Backward: lstmBackward, In: [3]*autodiff.Var{x, l.Kernel, l.Recurrent}, Out: out, Aux: l, Scratch: s})
	return out
}

// lstmScratch is the number of floats one call keeps: gates [B·T·4U], cell states
// [B·T·U], previous outputs [B·T·U], tanh of the cell states [B·T·U], two [B·U]
// buffers for the backward pass, R packed for the forward steps and Rᵀ packed for the
// backward steps (kernels.PackB).
func lstmScratch(nb, nt, u int) int {
	return nb*nt*7*u + 2*nb*u + kernels.PackedBSize(u, 4*u) + kernels.PackedBSize(4*u, u)
}

// maskRows multiplies the nb rows a[b·lda:][:u] by m[b·u:][:u].
func maskRows(a []float32, lda int, m []float32, nb, u int) {
	for b := 0; b < nb; b++ {
		r, mb := a[b*lda:][:u], m[b*u:][:u]
		for j, v := range mb {
			r[j] *= v
		}
	}
}

func lstmSplit(s []float32, nb, nt, u int) (z, cs, hp, tc []float32) {
	n := nb * nt * u
	return s[:4*n], s[4*n : 5*n], s[5*n : 6*n], s[6*n : 7*n]
}

func lstmBackward(n *autodiff.Node) {
	x, wv, rv, out := n.In[0], n.In[1], n.In[2], n.Out
	l := n.Aux.(*LSTM)
	bv := l.Bias
	f, u := wv.Value.Shape[0], rv.Value.Shape[0]
	nb, nt, g := x.Value.Shape[0], x.Value.Shape[1], 4*u
	z, cs, hp, tcs := lstmSplit(n.Scratch.Data, nb, nt, u)
	var mask []float32
	if size := lstmScratch(nb, nt, u); len(n.Scratch.Data) > size {
		mask = n.Scratch.Data[size:] // recurrent dropout
	}
	rest := n.Scratch.Data[nb*nt*7*u:]
	dh, dc := rest[:nb*u], rest[nb*u:2*nb*u]
	rtp := rest[2*nb*u+kernels.PackedBSize(u, g):][:kernels.PackedBSize(g, u)]
	clear(dc)
	clear(dh)
	dy := out.Grad.Data
	r := rv.Value.Data
	if nt > 1 {
		kernels.PackB(rtp, true, g, u, r, g) // Rᵀ once for all steps
	}
	seq := len(out.Value.Shape) == 3
	for t := nt - 1; t >= 0; t-- {
		var dyt, cprev, rt []float32
		ldy := nt * u
		switch {
		case seq:
			dyt = dy[t*u:]
		case t == nt-1:
			dyt, ldy = dy, u
		}
		if t > 0 {
			cprev, rt = cs[(t-1)*u:], rtp // and dh_{t−1} = dz_t·Rᵀ
		}
		kernels.LSTMBackwardStep(nb, u, rt, z[t*g:], nt*g, tcs[t*u:], cprev, nt*u, dyt, ldy, dh, dc)
		if mask != nil && t > 0 {
			maskRows(dh, u, mask, nb, u) // dh_{t−1} = (dz_t·Rᵀ) ⊙ m
		}
	}
	// z now holds dz for every (batch, step) row.
	rows := nb * nt
	if wv.RequiresGrad() {
		kernels.Gemm(true, false, f, g, rows, 1, x.Value.Data, f, z, g, 1, wv.Grad.Data, g)
	}
	if rv.RequiresGrad() && nt > 1 {
		kernels.Gemm(true, false, u, g, rows, 1, hp, u, z, g, 1, rv.Grad.Data, g)
	}
	if bv.RequiresGrad() {
		kernels.ColumnSums(bv.Grad.Data, z, rows, g)
	}
	if x.RequiresGrad() {
		kernels.Gemm(false, true, rows, f, g, 1, z, g, wv.Value.Data, g, 1, x.Grad.Data, f)
	}
}

// Orthogonal returns a [rows, cols] matrix with orthonormal rows (rows ≤ cols) or columns
// (rows > cols), Keras' Orthogonal initializer with gain 1: the QR decomposition of a
// max(rows, cols)×min(rows, cols) standard Gaussian matrix, Q's columns multiplied by the
// signs of R's diagonal (so the result is uniformly distributed), transposed when
// rows < cols.
func Orthogonal(rng *rand.Rand, rows, cols int) *tensor.Tensor {
	m, n := max(rows, cols), min(rows, cols)
	a := mat.NewDense(m, n, nil)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			a.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	var q, r mat.Dense
	qr.QTo(&q) // m×m
	qr.RTo(&r) // m×n
	t := tensor.New(rows, cols)
	for j := 0; j < n; j++ {
		s := 1.0
		if r.At(j, j) < 0 {
			s = -1
		}
		for i := 0; i < m; i++ {
			v := float32(s * q.At(i, j))
			if rows < cols {
				t.Data[j*cols+i] = v // transpose: row j of the result
			} else {
				t.Data[i*cols+j] = v
			}
		}
	}
	return t
}
