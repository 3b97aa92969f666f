package autodiff_test

import (
	"testing"

	"fugo/autodiff"
	"fugo/tensor"
)

// assignCopy is y = x with a backward pass that uses the overwrite protocol (Node.Assigns):
// dx = dy when the gradient is unwritten, dx += dy otherwise; with write false it writes
// nothing (as an op whose input gets no gradient).
func assignCopy(tp *autodiff.Tape, x *autodiff.Var, write bool) *autodiff.Var {
	out := tp.NewVar(tp.Needs(x, nil), x.Value.Shape...)
	copy(out.Value.Data, x.Value.Data)
	i := 0
	if write {
		i = 1
	}
	tp.Record(autodiff.Node{Backward: assignCopyBackward, In: [3]*autodiff.Var{x}, Out: out, I: i, Assigns: 1})
	return out
}

func assignCopyBackward(n *autodiff.Node) {
	if n.I == 0 {
		return
	}
	d, assign := n.In[0].GradForWrite()
	for i, v := range n.Out.Grad.Data {
		if assign {
			d[i] = v
		} else {
			d[i] += v
		}
	}
}

// TestBackwardOverwriteProtocol checks that skipping the zeroing of gradients that a node
// may overwrite gives the same gradients as zeroing everything: with the overwriting node
// first or last among several consumers, when it writes nothing, and for a parameter
// (whose gradient must accumulate). Each case runs twice on one tape so that the arena's
// gradient buffers hold the previous step's values.
func TestBackwardOverwriteProtocol(t *testing.T) {
	fill := func(v *autodiff.Var, x float32) {
		for i := range v.Grad.Data {
			v.Grad.Data[i] = x
		}
	}
	for _, tc := range []struct {
		name  string
		f     func(tp *autodiff.Tape, x *autodiff.Var) (loss, h *autodiff.Var)
		dx, h float32 // expected d/dx and d/dh per element (h: an intermediate)
	}{
		{"overwriter runs first", func(tp *autodiff.Tape, x *autodiff.Var) (*autodiff.Var, *autodiff.Var) {
			h := tp.Scale(x, 2)
			b := tp.Scale(h, 3)
			a := assignCopy(tp, h, true) // recorded last: its backward runs first
			return tp.Add(tp.Sum(a), tp.Sum(b)), h
		}, 8, 4},
		{"overwriter runs last", func(tp *autodiff.Tape, x *autodiff.Var) (*autodiff.Var, *autodiff.Var) {
			h := tp.Scale(x, 2)
			a := assignCopy(tp, h, true)
			b := tp.Scale(h, 3)
			return tp.Add(tp.Sum(a), tp.Sum(b)), h
		}, 8, 4},
		{"two overwriters", func(tp *autodiff.Tape, x *autodiff.Var) (*autodiff.Var, *autodiff.Var) {
			h := tp.Scale(x, 2)
			a := assignCopy(tp, h, true)
			b := assignCopy(tp, h, true)
			return tp.Add(tp.Sum(a), tp.Sum(tp.Scale(b, 5))), h
		}, 12, 6},
		{"writes nothing", func(tp *autodiff.Tape, x *autodiff.Var) (*autodiff.Var, *autodiff.Var) {
			h := tp.Scale(x, 2)
			a := assignCopy(tp, h, false)
			return tp.Add(tp.Sum(a), tp.Sum(tp.Scale(x, 0.5))), h
		}, 0.5, 0},
		{"unwritten chain", func(tp *autodiff.Tape, x *autodiff.Var) (*autodiff.Var, *autodiff.Var) {
			h := tp.Scale(x, 2)
			g := tp.Scale(h, 7) // its output's gradient is never written
			a := assignCopy(tp, g, false)
			return tp.Add(tp.Sum(a), tp.Sum(tp.Scale(x, 0.5))), h
		}, 0.5, 0},
	} {
		x := autodiff.NewParam(tensor.New(3, 4))
		tp := autodiff.NewTape()
		for step := 0; step < 2; step++ {
			tp.Reset()
			fill(x, 0)
			loss, h := tc.f(tp, x)
			fill(h, 1e6) // garbage a skipped zeroing would leave in place
			tp.Backward(loss)
			for i := range x.Grad.Data {
				if x.Grad.Data[i] != tc.dx || h.Grad.Data[i] != tc.h {
					t.Fatalf("%s, step %d: dx = %v, dh = %v, want %v, %v", tc.name, step, x.Grad.Data[i], h.Grad.Data[i], tc.dx, tc.h)
				}
			}
		}
	}
	// A parameter taken by an overwriting node accumulates.
	x := autodiff.NewParam(tensor.New(2, 2))
	fill(x, 10)
	tp := autodiff.NewTape()
	tp.Backward(tp.Sum(assignCopy(tp, x, true)))
	for _, g := range x.Grad.Data {
		if g != 11 {
			t.Fatalf("parameter gradient %v, want 10 + 1", g)
		}
	}
}

func TestNewView(t *testing.T) {
	tp := autodiff.NewTape()
	x := autodiff.NewParam(tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3))
	v := tp.NewView(true, x.Value.Data, 3, 2)
	if &v.Value.Data[0] != &x.Value.Data[0] || len(v.Grad.Data) != 6 || v.Value.Shape[0] != 3 {
		t.Fatalf("NewView: value not shared or shape/grad wrong: %v %v", v.Value.Shape, len(v.Grad.Data))
	}
	defer func() {
		if recover() == nil {
			t.Error("NewView with the wrong size did not panic")
		}
	}()
	tp.NewView(false, x.Value.Data, 4, 2)
}
