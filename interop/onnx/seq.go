package onnx

import (
	"fmt"

	pb "fugo/interop/onnx/onnxpb"
	"fugo/nn"
)

// addSeq appends the nodes of a sequence layer after b.x.
func (b *builder) addSeq(l any) error {
	switch l := l.(type) {
	case *nn.Embedding:
		return b.embedding(l)
	case *nn.Conv1D:
		return b.conv1D(l)
	case *nn.MaxPooling1D:
		return b.maxPool1D(l)
	case *nn.LSTM:
		return b.lstm(l)
	case *nn.RepeatVector:
		return b.repeat(l)
	}
	return fmt.Errorf("onnx: layer type %T cannot be exported", l)
}

func (b *builder) embedding(l *nn.Embedding) error {
	b.channelsLast()
	ids := b.node("Cast", []string{b.x}, intAttr("to", int64(pb.TensorProto_INT64)))
	e := b.initializer(l.Name+"/embeddings", l.Embeddings.Value.Shape, l.Embeddings.Value.Data)
	b.x = b.node("Gather", []string{e, ids}, intAttr("axis", 0))
	b.shape = append(b.shape, l.Dim())
	return nil
}

func (b *builder) conv1D(l *nn.Conv1D) error {
	k, cin, cout := l.KernelSize(), l.In(), l.Filters()
	if len(b.shape) != 2 || b.shape[1] != cin {
		return b.shapeErr(l.Name, fmt.Sprintf("T %d", cin))
	}
	out, before, after := windowPads(b.shape[0], k, l.Stride, l.Padding == "same")
	if out <= 0 {
		return fmt.Errorf("onnx: layer %q: %d steps are fewer than its kernel of %d", l.Name, b.shape[0], k)
	}
	// Keras [K, Cin, Cout] → ONNX [Cout, Cin, K].
	kd := l.Kernel.Value.Data
	w := make([]float32, len(kd))
	for i := 0; i < k; i++ {
		for c := 0; c < cin; c++ {
			for o := 0; o < cout; o++ {
				w[(o*cin+c)*k+i] = kd[(i*cin+c)*cout+o]
			}
		}
	}
	b.channelsFirst()
	wn := b.initializer(l.Name+"/kernel", []int{cout, cin, k}, w)
	bn := b.initializer(l.Name+"/bias", []int{cout}, l.Bias.Value.Data)
	b.x = b.node("Conv", []string{b.x, wn, bn},
		intsAttr("kernel_shape", int64(k)),
		intsAttr("strides", int64(l.Stride)),
		intsAttr("pads", int64(before), int64(after)))
	b.shape = []int{out, cout}
	return b.activationAnyLayout(l.Activation)
}

func (b *builder) maxPool1D(l *nn.MaxPooling1D) error {
	if len(b.shape) != 2 {
		return b.shapeErr("max_pooling1d", "T C")
	}
	out, before, after := windowPads(b.shape[0], l.PoolSize, l.Stride, l.Padding == "same")
	if out <= 0 {
		return fmt.Errorf("onnx: max_pooling1d: %d steps are fewer than its pool of %d", b.shape[0], l.PoolSize)
	}
	b.channelsFirst()
	b.x = b.node("MaxPool", []string{b.x},
		intsAttr("kernel_shape", int64(l.PoolSize)),
		intsAttr("strides", int64(l.Stride)),
		intsAttr("pads", int64(before), int64(after)))
	b.shape = []int{out, b.shape[1]}
	return nil
}

// lstmGates maps ONNX's gate blocks (i, o, f, c) to fugo's and Keras' (i, f, c, o).
var lstmGates = [4]int{0, 3, 1, 2}

func (b *builder) lstm(l *nn.LSTM) error {
	f, u := l.In(), l.Units()
	if len(b.shape) != 2 || b.shape[1] != f {
		return b.shapeErr(l.Name, fmt.Sprintf("T %d", f))
	}
	b.channelsLast()
	kern, rec, bias := l.Kernel.Value.Data, l.Recurrent.Value.Data, l.Bias.Value.Data
	// W [1, 4U, F], R [1, 4U, U]: transposed, gate blocks reordered. B [1, 8U]: the
	// input bias (fugo's one bias, reordered), then a zero recurrent bias.
	w := make([]float32, 4*u*f)
	r := make([]float32, 4*u*u)
	bb := make([]float32, 8*u)
	for g, src := range lstmGates {
		for j := 0; j < u; j++ {
			col := src*u + j
			for k := 0; k < f; k++ {
				w[(g*u+j)*f+k] = kern[k*4*u+col]
			}
			for k := 0; k < u; k++ {
				r[(g*u+j)*u+k] = rec[k*4*u+col]
			}
			bb[g*u+j] = bias[col]
		}
	}
	wn := b.initializer(l.Name+"/W", []int{1, 4 * u, f}, w)
	rn := b.initializer(l.Name+"/R", []int{1, 4 * u, u}, r)
	bn := b.initializer(l.Name+"/B", []int{1, 8 * u}, bb)
	xt := b.node("Transpose", []string{b.x}, intsAttr("perm", 1, 0, 2)) // [T, N, F]
	name := b.fresh("LSTM")
	out := name + "_Y"
	outputs := []string{out}
	if !l.ReturnSequences {
		out = name + "_Y_h"
		outputs = []string{"", out}
	}
	b.g.Node = append(b.g.Node, &pb.NodeProto{Name: name, OpType: "LSTM", Input: []string{xt, wn, rn, bn}, Output: outputs,
		Attribute: []*pb.AttributeProto{intAttr("hidden_size", int64(u))}})
	if l.ReturnSequences {
		// Y [T, 1, N, U] → [T, N, U] → [N, T, U].
		y := b.node("Squeeze", []string{out, b.constInt64([]int{1}, 1)})
		b.x = b.node("Transpose", []string{y}, intsAttr("perm", 1, 0, 2))
		b.shape = []int{b.shape[0], u}
	} else {
		// Y_h [1, N, U] → [N, U].
		b.x = b.node("Squeeze", []string{out, b.constInt64([]int{1}, 0)})
		b.shape = []int{u}
	}
	return nil
}

func (b *builder) repeat(l *nn.RepeatVector) error {
	if len(b.shape) != 1 {
		return b.shapeErr("repeat_vector", "F")
	}
	x := b.node("Unsqueeze", []string{b.x, b.constInt64([]int{1}, 1)}) // [N, 1, F]
	b.x = b.node("Expand", []string{x, b.constInt64([]int{3}, 1, int64(l.N), 1)})
	b.shape = []int{l.N, b.shape[0]}
	return nil
}
