// Package nn holds fugo's layers, initializers, regularizers and losses, built on autodiff.
//
// A layer owns its parameters and is called on Vars of a tape, so the same layer object can
// appear in several models and they share its weights — as in Keras' functional API, where
// calling a layer twice reuses its weights:
//
//	h := nn.NewDense("decoder_h", 2, 256, autodiff.ReLU, rng)
//	out := nn.NewDense("decoder_mean", 256, 784, autodiff.Sigmoid, rng)
//	xHat := out.Call(tp, h.Call(tp, z))     // inside the VAE
//	digit := out.Call(tp, h.Call(tp, zGrid)) // the generator alone, same weights
package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"fugo/autodiff"
	"fugo/internal/kernels"
	"fugo/tensor"
)

// Layer is anything with trainable parameters.
type Layer interface {
	// Params returns the layer's trainable parameters in a fixed order with their names
	// relative to the layer ("kernel", "bias").
	Params() []Param
}

// Param is a named trainable parameter.
type Param struct {
	Name string // full name, "<layer>/<weight>", as saved in checkpoints
	Var  *autodiff.Var
}

// Dense is Keras' fully connected layer: y = f(x·W + b) with W [in, units] and b [units].
type Dense struct {
	Name       string
	Activation autodiff.Activation
	Kernel     *autodiff.Var // [in, units], Glorot-uniform initialised
	Bias       *autodiff.Var // [units], zeros
}

// NewDense returns a Dense layer with Keras' default initialisation: a Glorot-uniform
// kernel (U(−l, l), l = √(6/(in+units))) and a zero bias.
func NewDense(name string, in, units int, f autodiff.Activation, rng *rand.Rand) *Dense {
	return &Dense{
		Name:       name,
		Activation: f,
		Kernel:     autodiff.NewParam(GlorotUniform(rng, in, units, in, units)),
		Bias:       autodiff.NewParam(tensor.New(units)),
	}
}

// In is the input width; Units the output width.
func (d *Dense) In() int    { return d.Kernel.Value.Shape[0] }
func (d *Dense) Units() int { return d.Kernel.Value.Shape[1] }

// Params returns the kernel and the bias.
func (d *Dense) Params() []Param {
	return []Param{{d.Name + "/kernel", d.Kernel}, {d.Name + "/bias", d.Bias}}
}

// Call applies the layer to x of shape [..., in] and returns [..., units]. Matrix product,
// bias and activation run as one op.
func (d *Dense) Call(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	in, units := d.In(), d.Units()
	xs := x.Value.Shape
	if len(xs) == 0 || xs[len(xs)-1] != in {
		panic(fmt.Sprintf("nn.Dense %q: input shape %v, want [..., %d]", d.Name, xs, in))
	}
	rows := len(x.Value.Data) / in
	var shape [8]int
	outShape := shape[:copy(shape[:], xs)]
	outShape[len(xs)-1] = units
	out := tp.NewVar(tp.Needs(x, d.Kernel) || d.Bias.RequiresGrad(), outShape...)
	y := out.Value.Data
	kernels.Gemm(false, false, rows, units, in, 1, x.Value.Data, in, d.Kernel.Value.Data, units, 0, y, units)
	if act, fused := kernelActivation(d.Activation); fused {
		kernels.BiasActivate(y, d.Bias.Value.Data, act)
	} else {
		kernels.AddBiasRows(y, d.Bias.Value.Data)
		d.Activation.Forward(y, y, units)
	}
	tp.Record(autodiff.Node{Backward: denseBackward, In: [3]*autodiff.Var{x, d.Kernel, d.Bias}, Out: out, I: int(d.Activation)})
	return out
}

// kernelActivation maps the activations that kernels.BiasActivate fuses with the bias.
func kernelActivation(f autodiff.Activation) (int, bool) {
	switch f {
	case autodiff.Linear:
		return kernels.ActLinear, true
	case autodiff.ReLU:
		return kernels.ActReLU, true
	case autodiff.Sigmoid:
		return kernels.ActSigmoid, true
	case autodiff.Tanh:
		return kernels.ActTanh, true
	}
	return 0, false
}

func denseBackward(n *autodiff.Node) {
	x, w, b, out := n.In[0], n.In[1], n.In[2], n.Out
	in, units := w.Value.Shape[0], w.Value.Shape[1]
	rows := len(x.Value.Data) / in
	// dZ overwrites dY: nothing reads the output's gradient after this node.
	dz := out.Grad.Data
	autodiff.Activation(n.I).Backward(dz, dz, out.Value.Data, units)
	if w.RequiresGrad() {
		kernels.Gemm(true, false, in, units, rows, 1, x.Value.Data, in, dz, units, 1, w.Grad.Data, units)
	}
	if b.RequiresGrad() {
		kernels.ColumnSums(b.Grad.Data, dz, rows, units)
	}
	if x.RequiresGrad() {
		kernels.Gemm(false, true, rows, in, units, 1, dz, units, w.Value.Data, units, 1, x.Grad.Data, in)
	}
}

// GlorotUniform returns a tensor of the given shape drawn from U(−l, l) with
// l = √(6/(fanIn+fanOut)), Keras' default kernel initializer.
func GlorotUniform(rng *rand.Rand, fanIn, fanOut int, shape ...int) *tensor.Tensor {
	t := tensor.New(shape...)
	l := float32(math.Sqrt(6 / float64(fanIn+fanOut)))
	t.FillUniform(rng, -l, l)
	return t
}
