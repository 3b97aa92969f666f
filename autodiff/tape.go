// Package autodiff is fugo's define-by-run reverse-mode automatic differentiation.
//
// A Tape records each operation as it runs; Backward walks the record in reverse and
// accumulates gradients (+=) into every Var that requires them. Parameters are long-lived
// Vars made with NewParam; everything else a step computes lives in the tape's arena and is
// recycled by Reset, so a training step that repeats the same operations allocates nothing
// once warm:
//
//	tp := autodiff.NewTape()
//	for step := range steps {
//		tp.Reset()
//		x := tp.Constant(batch)          // wraps the batch, no copy
//		loss := model(tp, x)             // ops record themselves on tp
//		tp.Backward(loss)                // loss must be a scalar
//		opt.Step(params)                 // reads and clears the parameters' gradients
//	}
//
// Vars returned by ops are valid until the next Reset of their tape. Operations never keep
// closures: each node stores its inputs and a plain backward function, which is what keeps
// the steady state free of allocations.
package autodiff

import (
	"fmt"

	"fugo/tensor"
)

// Var is a value in a computation together with its gradient.
type Var struct {
	Value tensor.Tensor
	// Grad has Value's shape and holds d(loss)/d(Value) after Backward. It is nil for
	// Vars that do not require a gradient (constants, and results computed only from them).
	Grad *tensor.Tensor

	requiresGrad bool
	// stale marks, during Backward, a gradient buffer not yet zeroed: the first node to
	// write it either overwrites it in full (GradForWrite) or Backward zeroes it first.
	stale bool
	arena bool      // made by a Tape (not a parameter): its gradient is zeroed by Backward
	own   []float32 // arena storage; Value.Data may instead borrow a caller's slice
}

// RequiresGrad reports whether gradients flow into v.
func (v *Var) RequiresGrad() bool { return v.requiresGrad }

// Shape is the value's shape.
func (v *Var) Shape() []int { return v.Value.Shape }

// Data is the value's elements, row-major.
func (v *Var) Data() []float32 { return v.Value.Data }

// Scalar returns the value of a one-element Var.
func (v *Var) Scalar() float32 {
	if len(v.Value.Data) != 1 {
		panic(fmt.Sprintf("autodiff: Scalar of a Var with shape %v", v.Value.Shape))
	}
	return v.Value.Data[0]
}

// GradForWrite returns v's gradient buffer to a backward function whose Node has v's bit
// set in Assigns, and reports whether the buffer is unwritten (its contents unspecified; never
// so for a parameter, whose gradient accumulates across Backward calls): the
// backward function must then set every element (=) instead of adding into it (+=). Calls
// after the first return assign == false. See Node.Assigns.
func (v *Var) GradForWrite() (g []float32, assign bool) {
	assign, v.stale = v.stale, false
	return v.Grad.Data, assign
}

// NewParam returns a long-lived Var that requires a gradient, for trainable weights. The
// tensor is used in place (not copied); its gradient buffer is allocated once.
func NewParam(t *tensor.Tensor) *Var {
	return &Var{Value: *t, Grad: tensor.New(t.Shape...), requiresGrad: true}
}

// ZeroGrad clears the gradients of the given parameters.
func ZeroGrad(params []*Var) {
	for _, p := range params {
		clear(p.Grad.Data)
	}
}

// Tape records operations for one forward pass and runs the backward pass.
type Tape struct {
	nodes []Node
	vars  []*Var // arena: vars[:used] are live since the last Reset
	used  int
	bufs  []*tensor.Tensor // scratch arena
	nbufs int
	f64s  [][]float64 // float64 scratch arena
	nf64s int

	// NoGrad, when true, makes ops compute values without recording anything, as for
	// prediction. Results then never require gradients.
	NoGrad bool
}

// NewTape returns an empty tape.
func NewTape() *Tape { return &Tape{} }

// Reset forgets the recorded operations and recycles every Var the tape handed out.
func (tp *Tape) Reset() {
	for i := range tp.nodes {
		tp.nodes[i] = Node{}
	}
	tp.nodes = tp.nodes[:0]
	tp.used = 0
	tp.nbufs = 0
	tp.nf64s = 0
}

// Constant wraps t (shared, not copied) as a Var that needs no gradient.
func (tp *Tape) Constant(t *tensor.Tensor) *Var {
	v := tp.next()
	v.Value.Shape = append(v.Value.Shape[:0], t.Shape...)
	v.Value.Data = t.Data
	v.Grad = nil
	v.requiresGrad = false
	return v
}

// next returns a recycled Var from the arena.
func (tp *Tape) next() *Var {
	if tp.used == len(tp.vars) {
		tp.vars = append(tp.vars, &Var{arena: true})
	}
	v := tp.vars[tp.used]
	tp.used++
	v.stale = false
	return v
}

// NewVar returns an arena Var of the given shape with unspecified contents; it requires a
// gradient when grad is true. Ops (here and in other packages) write their result into it.
func (tp *Tape) NewVar(grad bool, shape ...int) *Var {
	v := tp.next()
	n := tensor.Numel(shape)
	v.Value.Shape = append(v.Value.Shape[:0], shape...)
	v.own = growFloats(v.own, n)
	v.Value.Data = v.own
	v.requiresGrad = grad && !tp.NoGrad
	if v.requiresGrad {
		if v.Grad == nil {
			v.Grad = &tensor.Tensor{}
		}
		v.Grad.Shape = append(v.Grad.Shape[:0], shape...)
		v.Grad.Data = growFloats(v.Grad.Data, n)
	}
	return v
}

// NewView is NewVar for a Var whose value is data itself (shared, not copied) viewed with
// the given shape, for ops such as reshapes: no value buffer is allocated for it. len(data)
// must be the shape's size. Its gradient, when grad is true, is a buffer of its own.
func (tp *Tape) NewView(grad bool, data []float32, shape ...int) *Var {
	n := tensor.Numel(shape)
	if len(data) != n {
		panic(fmt.Sprintf("autodiff: NewView of %d values with shape %v", len(data), append([]int(nil), shape...)))
	}
	v := tp.next()
	v.Value.Shape = append(v.Value.Shape[:0], shape...)
	v.Value.Data = data
	v.requiresGrad = grad && !tp.NoGrad
	if v.requiresGrad {
		if v.Grad == nil {
			v.Grad = &tensor.Tensor{}
		}
		v.Grad.Shape = append(v.Grad.Shape[:0], shape...)
		v.Grad.Data = growFloats(v.Grad.Data, n)
	}
	return v
}

// Scratch returns a buffer of the given shape owned by the tape until the next Reset, for an op
// to keep what its backward pass needs. Contents are unspecified.
func (tp *Tape) Scratch(shape ...int) *tensor.Tensor {
	if tp.nbufs == len(tp.bufs) {
		tp.bufs = append(tp.bufs, &tensor.Tensor{})
	}
	b := tp.bufs[tp.nbufs]
	tp.nbufs++
	b.Shape = append(b.Shape[:0], shape...)
	b.Data = growFloats(b.Data[:0], tensor.Numel(shape))
	return b
}

// Scratch64 returns n float64s owned by the tape until the next Reset, for ops that
// accumulate in double precision. Contents are unspecified.
func (tp *Tape) Scratch64(n int) []float64 {
	if tp.nf64s == len(tp.f64s) {
		tp.f64s = append(tp.f64s, nil)
	}
	b := tp.f64s[tp.nf64s]
	if cap(b) < n {
		b = make([]float64, n)
	}
	tp.f64s[tp.nf64s] = b[:n]
	tp.nf64s++
	return b[:n]
}

func growFloats(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// Node is one recorded operation, Out = op(In…). Backward receives the Node back after
// Out.Grad is complete and must add (never assign) into the gradients of the inputs that
// require one — except for the inputs named in Assigns. Backward must be a plain function,
// not a closure, so that recording it allocates nothing; whatever else it needs goes in F,
// I, Aux and Scratch.
type Node struct {
	Backward func(n *Node)
	In       [3]*Var
	Out      *Var
	// Assigns has bit k set when Backward takes In[k]'s gradient with In[k].GradForWrite
	// and, when that reports assign, writes every element of it. The tape.Backward then
	// skips zeroing that gradient beforehand, saving a pass over a large buffer when this
	// node is the first (in backward order) to write it. Zero: add into zeroed gradients.
	Assigns uint8
	F       [2]float32     // scalar attributes (scale factors, clip bounds, …)
	I       int            // an integer attribute (activation kind, axis, …)
	Aux     any            // op-specific state, e.g. the layer that ran (store pointers: no allocation)
	Scratch *tensor.Tensor // a buffer the forward pass saved for the backward pass
}

// Needs reports whether gradients must flow into any of the given Vars on this tape.
func (tp *Tape) Needs(a, b *Var) bool {
	return !tp.NoGrad && (a != nil && a.requiresGrad || b != nil && b.requiresGrad)
}

// Record appends a node to the tape. Nodes whose output needs no gradient are dropped.
func (tp *Tape) Record(n Node) {
	if tp.NoGrad || n.Out == nil || !n.Out.requiresGrad {
		return
	}
	tp.nodes = append(tp.nodes, n)
}

// Backward computes d(loss)/d(v) for every recorded Var v that requires a gradient,
// accumulating into parameters' gradients. loss must be a one-element Var.
func (tp *Tape) Backward(loss *Var) {
	if len(loss.Value.Data) != 1 {
		panic(fmt.Sprintf("autodiff: Backward of a non-scalar loss with shape %v", loss.Value.Shape))
	}
	if !loss.requiresGrad {
		panic("autodiff: Backward of a loss that depends on no parameter")
	}
	// Gradients are zeroed up front, except those that a node may overwrite (Node.Assigns):
	// they stay stale until their first writer in backward order either takes them with
	// GradForWrite or, not being allowed to, has them zeroed just before it runs.
	for i := range tp.nodes {
		n := &tp.nodes[i]
		for k, in := range n.In {
			if n.Assigns&(1<<k) != 0 && in != nil && in.arena && in.requiresGrad {
				in.stale = true
			}
		}
	}
	for _, v := range tp.vars[:tp.used] {
		if v.requiresGrad && !v.stale {
			clear(v.Grad.Data)
		}
	}
	freshen(loss)
	loss.Grad.Data[0] = 1
	for i := len(tp.nodes) - 1; i >= 0; i-- {
		n := &tp.nodes[i]
		freshen(n.Out) // no gradient reached it
		for k, in := range n.In {
			if n.Assigns&(1<<k) == 0 && in != nil {
				freshen(in)
			}
		}
		n.Backward(n)
	}
	// Inputs that their node chose not to write hold no gradient: zeros.
	for _, v := range tp.vars[:tp.used] {
		freshen(v)
	}
}

// freshen zeroes v's gradient if it is stale.
func freshen(v *Var) {
	if v.stale {
		clear(v.Grad.Data)
		v.stale = false
	}
}
