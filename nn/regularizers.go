package nn

import (
	"fmt"
	"math"

	"fugo/autodiff"
)

// L1L2 is Keras' regularizers.L1L2: the penalty of a tensor x is
//
//	R(x) = L1·Σ|x| + L2·Σx²
//
// summed over every element. As a weight regularizer (Keras' kernel_regularizer) it is
// applied to a parameter and added to the loss once per step: see Penalty. As an activity
// regularizer (Keras' activity_regularizer) it is applied to a layer's output for the
// batch: see ActivityRegularizer. The subgradient of |x| at 0 is taken as 0, as
// TensorFlow's sign does.
type L1L2 struct {
	L1 float32 `json:"l1"`
	L2 float32 `json:"l2"`
}

// L1 returns the L1-only regularizer (Keras' regularizers.l1(l)).
func L1(l float32) L1L2 { return L1L2{L1: l} }

// L2 returns the L2-only regularizer (Keras' regularizers.l2(l)).
func L2(l float32) L1L2 { return L1L2{L2: l} }

// IsZero reports whether the regularizer adds nothing.
func (r L1L2) IsZero() bool { return r.L1 == 0 && r.L2 == 0 }

// Validate rejects negative or non-finite factors.
func (r L1L2) Validate() error {
	if !(r.L1 >= 0 && r.L1 < 1e30) || !(r.L2 >= 0 && r.L2 < 1e30) {
		return fmt.Errorf("regularizer factors must be finite and non-negative, got l1=%v l2=%v", r.L1, r.L2)
	}
	return nil
}

// Penalty returns the scalar R(x) = L1·Σ|x| + L2·Σx² as one op (x of any shape → []),
// with dR/dx = L1·sign(x) + 2·L2·x. Use it on a kernel for weight regularization:
// loss = data loss + r.Penalty(tp, layer.Kernel).
func (r L1L2) Penalty(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return r.scaled(tp, x, 1)
}

// scaled returns s·R(x). Both passes are branch-free over the elements (the signs of
// weights are random, and a branch on each cost a mispredict every other element: a
// quarter of the speaker LSTM's training step).
func (r L1L2) scaled(tp *autodiff.Tape, x *autodiff.Var, s float32) *autodiff.Var {
	out := tp.NewVar(tp.Needs(x, nil))
	var abs, sq float64
	for _, v := range x.Value.Data {
		f := float64(v)
		abs += math.Abs(f)
		sq += f * f
	}
	out.Value.Data[0] = s * float32(float64(r.L1)*abs+float64(r.L2)*sq)
	tp.Record(autodiff.Node{Backward: penaltyBackward, In: [3]*autodiff.Var{x}, Out: out, F: [2]float32{s * r.L1, s * r.L2}})
	return out
}

// penaltyBackward adds g·(L1·sign(x) + 2·L2·x) to x's gradient, sign(0) = 0. L1·sign(x)
// is L1 with x's sign bit flipped into it; x = 0 is the one (rare, predictable) branch.
func penaltyBackward(n *autodiff.Node) {
	g := n.Out.Grad.Data[0]
	l1, l2 := math.Float32bits(g*n.F[0]), 2*g*n.F[1]
	d, x := n.In[0].Grad.Data, n.In[0].Value.Data
	for i, v := range x {
		if v == 0 {
			continue
		}
		d[i] += math.Float32frombits(l1^math.Float32bits(v)&(1<<31)) + l2*v
	}
}

// ActivityRegularizer is Keras' activity_regularizer: a penalty on a layer's output
// a [B, …] added to the loss of every batch.
//
// Keras versions differ in how it scales with the batch, and fugo offers both:
//
//   - Keras 1 (regularizers.ActivityRegularizer, which "Building Autoencoders in Keras"
//     ran in 2016 and which produced its numbers: mean code activation 3.33 against 7.30,
//     losses 0.11 / 0.10) adds l1·Σ_j mean_b |a_bj|, the per-example penalty averaged
//     over the batch: PerExample true. tf.keras (TensorFlow 2) and Keras 3 (since its
//     2026 fix) do the same by dividing R(a) by the batch size.
//   - Keras 2.0–2.2 (standalone Keras of 2017, the version the tutorial's code was
//     rewritten for, with regularizers.l1(10e-5)) adds R(a) summed over the whole batch:
//     Layer.__call__ does add_loss(activity_regularizer(output)) and L1L2.__call__ is
//     K.sum(l1·|x|) + K.sum(l2·x²): PerExample false, the zero value.
//
// With the tutorial's L1 1e-4 and batch 256 the two differ by a factor of 256 in
// strength; with the summed form the tutorial's sparse model barely trains in its 100
// epochs (the code collapses towards zero first).
type ActivityRegularizer struct {
	L1L2
	PerExample bool `json:"per_example,omitempty"`
}

// Loss returns the scalar penalty of a [B, …]: R(a), or R(a)/B when PerExample.
func (r ActivityRegularizer) Loss(tp *autodiff.Tape, a *autodiff.Var) *autodiff.Var {
	s := float32(1)
	if r.PerExample {
		if len(a.Value.Shape) == 0 || a.Value.Shape[0] == 0 {
			panic(fmt.Sprintf("nn.ActivityRegularizer: output shape %v has no batch axis", a.Value.Shape))
		}
		s = 1 / float32(a.Value.Shape[0])
	}
	return r.scaled(tp, a, s)
}
