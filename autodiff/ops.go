package autodiff

import (
	"fmt"

	"fugo/internal/kernels"
	"fugo/tensor"
)

func mustSameShape(op string, a, b *Var) {
	if !tensor.SameShape(a.Value.Shape, b.Value.Shape) {
		panic(fmt.Sprintf("autodiff.%s: shapes %v and %v differ", op, a.Value.Shape, b.Value.Shape))
	}
}

// accumulate adds src into dst.
func accumulate(dst, src []float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] += v
	}
}

// Add returns a + b elementwise; the shapes must be equal.
func (tp *Tape) Add(a, b *Var) *Var {
	mustSameShape("Add", a, b)
	out := tp.NewVar(tp.Needs(a, b), a.Value.Shape...)
	o, x, y := out.Value.Data, a.Value.Data, b.Value.Data
	for i := range o {
		o[i] = x[i] + y[i]
	}
	tp.Record(Node{Backward: addBackward, In: [3]*Var{a, b}, Out: out, F: [2]float32{1, 1}})
	return out
}

// Sub returns a − b elementwise; the shapes must be equal.
func (tp *Tape) Sub(a, b *Var) *Var {
	mustSameShape("Sub", a, b)
	out := tp.NewVar(tp.Needs(a, b), a.Value.Shape...)
	o, x, y := out.Value.Data, a.Value.Data, b.Value.Data
	for i := range o {
		o[i] = x[i] - y[i]
	}
	tp.Record(Node{Backward: addBackward, In: [3]*Var{a, b}, Out: out, F: [2]float32{1, -1}})
	return out
}

// addBackward handles out = F[0]·a + F[1]·b.
func addBackward(n *Node) {
	g := n.Out.Grad.Data
	for k, in := range n.In[:2] {
		if in == nil || !in.requiresGrad {
			continue
		}
		s, d := n.F[k], in.Grad.Data
		for i, v := range g {
			d[i] += s * v
		}
	}
}

// Mul returns a ⊙ b elementwise; the shapes must be equal.
func (tp *Tape) Mul(a, b *Var) *Var {
	mustSameShape("Mul", a, b)
	out := tp.NewVar(tp.Needs(a, b), a.Value.Shape...)
	o, x, y := out.Value.Data, a.Value.Data, b.Value.Data
	for i := range o {
		o[i] = x[i] * y[i]
	}
	tp.Record(Node{Backward: mulBackward, In: [3]*Var{a, b}, Out: out})
	return out
}

func mulBackward(n *Node) {
	g, a, b := n.Out.Grad.Data, n.In[0], n.In[1]
	if a.requiresGrad {
		d, y := a.Grad.Data, b.Value.Data
		for i, v := range g {
			d[i] += v * y[i]
		}
	}
	if b.requiresGrad {
		d, x := b.Grad.Data, a.Value.Data
		for i, v := range g {
			d[i] += v * x[i]
		}
	}
}

// Scale returns s·a.
func (tp *Tape) Scale(a *Var, s float32) *Var { return tp.affine(a, s, 0) }

// AddScalar returns a + c.
func (tp *Tape) AddScalar(a *Var, c float32) *Var { return tp.affine(a, 1, c) }

// Neg returns −a.
func (tp *Tape) Neg(a *Var) *Var { return tp.affine(a, -1, 0) }

func (tp *Tape) affine(a *Var, s, c float32) *Var {
	out := tp.NewVar(tp.Needs(a, nil), a.Value.Shape...)
	o, x := out.Value.Data, a.Value.Data
	for i := range o {
		o[i] = s*x[i] + c
	}
	tp.Record(Node{Backward: affineBackward, In: [3]*Var{a}, Out: out, F: [2]float32{s, c}})
	return out
}

func affineBackward(n *Node) {
	g, d, s := n.Out.Grad.Data, n.In[0].Grad.Data, n.F[0]
	for i, v := range g {
		d[i] += s * v
	}
}

// unary op kinds for Unary; their derivative is computed from the input x and output y.
const (
	opExp = iota
	opLog
	opSquare
)

// Exp returns e^a elementwise.
func (tp *Tape) Exp(a *Var) *Var { return tp.unary(a, opExp) }

// Log returns ln a elementwise (−Inf at 0, NaN below).
func (tp *Tape) Log(a *Var) *Var { return tp.unary(a, opLog) }

// Square returns a² elementwise.
func (tp *Tape) Square(a *Var) *Var { return tp.unary(a, opSquare) }

func (tp *Tape) unary(a *Var, op int) *Var {
	out := tp.NewVar(tp.Needs(a, nil), a.Value.Shape...)
	o, x := out.Value.Data, a.Value.Data
	switch op {
	case opExp:
		kernels.Exp(o, x)
	case opLog:
		kernels.Log(o, x)
	case opSquare:
		for i, v := range x {
			o[i] = v * v
		}
	}
	tp.Record(Node{Backward: unaryBackward, In: [3]*Var{a}, Out: out, I: op})
	return out
}

func unaryBackward(n *Node) {
	g, d, x, y := n.Out.Grad.Data, n.In[0].Grad.Data, n.In[0].Value.Data, n.Out.Value.Data
	switch n.I {
	case opExp:
		for i, v := range g {
			d[i] += v * y[i]
		}
	case opLog:
		for i, v := range g {
			d[i] += v / x[i]
		}
	case opSquare:
		for i, v := range g {
			d[i] += 2 * v * x[i]
		}
	}
}

// Activate returns f(a) for an activation f; Softmax acts on the last axis.
func (tp *Tape) Activate(a *Var, f Activation) *Var {
	out := tp.NewVar(tp.Needs(a, nil), a.Value.Shape...)
	f.Forward(out.Value.Data, a.Value.Data, lastDim(a))
	tp.Record(Node{Backward: activateBackward, In: [3]*Var{a}, Out: out, I: int(f)})
	return out
}

func activateBackward(n *Node) {
	a, out := n.In[0], n.Out
	// The pre-activation gradient is computed into the output's gradient buffer (no longer
	// needed after this node) and then accumulated into the input's.
	Activation(n.I).Backward(out.Grad.Data, out.Grad.Data, out.Value.Data, lastDim(a))
	accumulate(a.Grad.Data, out.Grad.Data)
}

func lastDim(v *Var) int {
	s := v.Value.Shape
	if len(s) == 0 {
		return 1
	}
	return s[len(s)-1]
}

// Sum returns the sum of all elements, a scalar (shape []).
func (tp *Tape) Sum(a *Var) *Var { return tp.total(a, 1) }

// Mean returns the mean of all elements, a scalar (shape []).
func (tp *Tape) Mean(a *Var) *Var { return tp.total(a, 1/float32(len(a.Value.Data))) }

func (tp *Tape) total(a *Var, scale float32) *Var {
	out := tp.NewVar(tp.Needs(a, nil))
	var s float64
	for _, v := range a.Value.Data {
		s += float64(v)
	}
	out.Value.Data[0] = float32(s) * scale
	tp.Record(Node{Backward: totalBackward, In: [3]*Var{a}, Out: out, F: [2]float32{scale}})
	return out
}

func totalBackward(n *Node) {
	g := n.Out.Grad.Data[0] * n.F[0]
	d := n.In[0].Grad.Data
	for i := range d {
		d[i] += g
	}
}

// SumLast sums over the last axis: [..., F] → [...].
func (tp *Tape) SumLast(a *Var) *Var { return tp.reduceLast(a, 1) }

// MeanLast averages over the last axis: [..., F] → [...].
func (tp *Tape) MeanLast(a *Var) *Var { return tp.reduceLast(a, 1/float32(lastDim(a))) }

func (tp *Tape) reduceLast(a *Var, scale float32) *Var {
	s := a.Value.Shape
	if len(s) == 0 {
		panic("autodiff: reduction over the last axis of a scalar")
	}
	out := tp.NewVar(tp.Needs(a, nil), s[:len(s)-1]...)
	f, x := s[len(s)-1], a.Value.Data
	for r := range out.Value.Data {
		var sum float32
		for _, v := range x[r*f : r*f+f] {
			sum += v
		}
		out.Value.Data[r] = sum * scale
	}
	tp.Record(Node{Backward: reduceLastBackward, In: [3]*Var{a}, Out: out, F: [2]float32{scale}})
	return out
}

func reduceLastBackward(n *Node) {
	d, f := n.In[0].Grad.Data, lastDim(n.In[0])
	for r, g := range n.Out.Grad.Data {
		g *= n.F[0]
		row := d[r*f : r*f+f]
		for j := range row {
			row[j] += g
		}
	}
}
