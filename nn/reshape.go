package nn

import (
	"fmt"

	"fugo/autodiff"
	"fugo/tensor"
)

// Reshape returns x viewed with another shape of the same size, without copying: the result
// shares x's values (valid until the tape's next Reset). Its gradient is a separate buffer
// added into x's by the backward pass. One dimension may be −1, inferred from the others.
// Keras' Reshape layer is Reshape(tp, x, B, …) with the batch size kept.
func Reshape(tp *autodiff.Tape, x *autodiff.Var, shape ...int) *autodiff.Var {
	var buf [8]int
	if len(shape) > len(buf) {
		panic(fmt.Sprintf("nn.Reshape: shape %v has more than %d axes", append([]int(nil), shape...), len(buf)))
	}
	s := buf[:copy(buf[:], shape)]
	infer, known := -1, 1
	for i, d := range s {
		switch {
		case d == -1 && infer < 0:
			infer = i
		case d < 0:
			panic(fmt.Sprintf("nn.Reshape: bad shape %v for input %v", append([]int(nil), s...), x.Value.Shape))
		default:
			known *= d
		}
	}
	n := len(x.Value.Data)
	if infer >= 0 && known > 0 && n%known == 0 {
		s[infer] = n / known
	}
	if tensor.Numel(s) != n {
		panic(fmt.Sprintf("nn.Reshape: cannot view shape %v as %v", x.Value.Shape, append([]int(nil), s...)))
	}
	out := tp.NewView(tp.Needs(x, nil), x.Value.Data, s...)
	tp.Record(autodiff.Node{Backward: reshapeBackward, In: [3]*autodiff.Var{x}, Out: out, Assigns: 1})
	return out
}

// Flatten is Keras' Flatten: [B, d1, …, dk] → [B, d1·…·dk], without copying (see Reshape).
func Flatten(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	xs := x.Value.Shape
	if len(xs) == 0 {
		panic("nn.Flatten: scalar input")
	}
	return Reshape(tp, x, xs[0], tensor.Numel(xs[1:]))
}

func reshapeBackward(n *autodiff.Node) {
	d, assign := n.In[0].GradForWrite()
	if assign {
		copy(d, n.Out.Grad.Data)
		return
	}
	for i, v := range n.Out.Grad.Data {
		d[i] += v
	}
}
