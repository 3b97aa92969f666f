// Package onnx exports fugo models as ONNX files (IR version 7, opset 13), built with the
// protobuf types of fugo/interop/onnx/onnxpb (generated from ONNX's onnx.proto), for ONNX
// Runtime and other inference engines.
//
// A model is exported as a chain of layers between one float32 input "input" [N, in…] and
// one output "output" [N, out…], N a symbolic batch size, both in fugo's layouts (batch
// first, channels last): users feed ONNX Runtime the arrays they feed fugo. Weights are
// float32 initializers named after the fugo parameters ("dense_h/kernel"), converted
// where ONNX stores them differently. Each fugo layer becomes:
//
//	nn.Dense         Gemm(x, kernel [in, out], bias [out]) (transB = 0: the kernel as fugo
//	                 keeps it), then Relu, Sigmoid, Tanh or Softmax(axis = −1) for its
//	                 activation (none for linear)
//	nn.Conv2D        Conv(x, W [Cout, Cin, KH, KW], bias [Cout]) on NCHW, W[o, c, i, j] =
//	                 kernel[i, j, c, o] (Keras' [KH, KW, Cin, Cout]); strides as fugo's;
//	                 explicit pads [top, left, bottom, right]: Keras "same" gives each axis
//	                 total = max((⌈in/s⌉−1)·s + k − in, 0), ⌊total/2⌋ before and the rest
//	                 after (never auto_pad SAME_UPPER), "valid" none; then the activation
//	nn.MaxPooling2D  MaxPool(kernel_shape, strides, the same explicit pads) on NCHW. ONNX
//	                 leaves padded positions out of the max, as fugo does, so "same" rounds
//	                 up (7 → 4) and a pad never wins over negative values
//	nn.UpSampling2D  Resize(x, roi = none, scales [1, 1, SH, SW]) with mode nearest,
//	                 coordinate_transformation_mode asymmetric, nearest_mode floor:
//	                 y[…, Y, X] = x[…, ⌊Y/SH⌋, ⌊X/SW⌋], fugo's rule exactly
//	nn.Embedding     Cast(ids, to = int64) (the ids come as whole float32 numbers, as fugo
//	                 takes them), then Gather(embeddings [V, D], ids, axis = 0) → [N, …, D].
//	                 Ids must be whole numbers in [0, V) as for fugo, which panics otherwise:
//	                 Cast truncates a fraction, ONNX Runtime refuses an id ≥ V, and Gather
//	                 reads a negative id from the end of the table
//	nn.Conv1D        Conv on [N, C, T] with W [F, C, K], W[f, c, k] = kernel[k, c, f]
//	                 (Keras' [K, C, F]), pads [before, after] by the rule above
//	nn.MaxPooling1D  MaxPool on [N, C, T], kernel_shape [P], strides [s], pads as above
//	                 ("valid" drops a trailing partial window: 7 → 3 for P = 2)
//	nn.LSTM          Transpose [N, T, F] → [T, N, F] (layout 0), then LSTM(hidden_size U,
//	                 default activations σ, tanh, tanh, zero initial state) with
//	                 W [1, 4U, F], R [1, 4U, U]: fugo's kernel [F, 4U] and recurrent kernel
//	                 [U, 4U] transposed and their gate blocks reordered from Keras' i, f, c, o
//	                 to ONNX's i, o, f, c; B [1, 8U] = fugo's one bias reordered the same way
//	                 (Wb), then 4U zeros (Rb). The last output is Y_h [1, N, U] squeezed to
//	                 [N, U]; with return_sequences, Y [T, 1, N, U] squeezed on axis 1 and
//	                 transposed back to [N, T, U]
//	nn.RepeatVector  Unsqueeze(axis 1) [N, F] → [N, 1, F], then Expand to [N, n, F]
//
// Images and step sequences are held channels first between window layers (Conv, MaxPool,
// Resize): a Transpose (perm [0, 3, 1, 2], or [0, 2, 1] for sequences) goes in before
// the first of a run of them and the inverse after the last, or before a layer that
// needs channels last (LSTM, Dense, a Softmax over the channels, the graph's output).
// Shapes are checked as the graph is built: Model says which layer gets the wrong input.
package onnx

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"google.golang.org/protobuf/proto"

	"fugo/autodiff"
	"fugo/internal/atomicfile"
	pb "fugo/interop/onnx/onnxpb"
	"fugo/zoo"
)

// Opset is the ONNX operator set version the exported graphs use.
const Opset = 13

// irVersion 7 is what opset 13 came with; ONNX Runtime reads it.
const irVersion = 7

// Graph is a chain of fugo layers to export.
type Graph struct {
	Name       string
	InputShape []int // one example, without the batch axis
	Layers     []any // *nn.Dense, *nn.Conv2D, *nn.MaxPooling2D, *nn.UpSampling2D, *nn.Embedding, *nn.Conv1D, *nn.MaxPooling1D, *nn.LSTM, *nn.RepeatVector, applied in order
}

// Parts returns the part of a zoo model to export: "encoder" (x → code; the VAE's
// z_mean), "decoder" (code → x̂) or "all" (x → x̂ through both; the VAE decodes z_mean,
// without sampling). Inputs and outputs keep fugo's layouts:
//
//	vae, simple, sparse, deep  x [N, D], code [N, Z]
//	conv, denoise, illust      x [N, H, W, C] (NHWC), code [N, h, w, c]
//	seq                        x [N, T, F], code [N, Latent]
//	speaker                    ids [N, Length] (whole numbers as float32) → probabilities [N, Classes]
//	speaker-bag                counts [N, Vocab] → probabilities [N, Classes]
//
// The classifiers (speaker, speaker-bag) have no encoder or decoder: only "all".
func Parts(m zoo.Model, part string) (*Graph, error) {
	switch part {
	case "encoder", "decoder", "all":
	default:
		return nil, fmt.Errorf("onnx: part %q: want encoder, decoder or all", part)
	}
	var enc, dec []any
	var in, code []int
	classifier := false
	switch m := m.(type) {
	case *zoo.VAE:
		enc = []any{m.Hidden, m.ZMean}
		dec = []any{m.DecH, m.DecOut}
		in, code = []int{m.Cfg.OriginalDim}, []int{m.Cfg.LatentDim}
	case *zoo.DenseAE:
		for _, l := range m.Encoder {
			enc = append(enc, l)
		}
		for _, l := range m.Decoder {
			dec = append(dec, l)
		}
		in, code = []int{m.Cfg.Input}, []int{m.Cfg.CodeDim()}
	case *zoo.ConvAE:
		for _, l := range m.Encoder {
			enc = append(enc, l, m.Pool)
		}
		for _, l := range m.Decoder {
			dec = append(dec, l, m.Up)
		}
		dec = append(dec, m.Output)
		h, w, c := m.Input()
		ch, cw, cc := m.CodeShape()
		in, code = []int{h, w, c}, []int{ch, cw, cc}
	case *zoo.Seq:
		enc = []any{m.Encoder}
		dec = []any{m.Repeat, m.Decoder}
		in, code = []int{m.Cfg.Timesteps, m.Cfg.Features}, []int{m.Cfg.Latent}
	case *zoo.Speaker:
		classifier = true
		enc = []any{m.Embed, m.Conv, m.Pool, m.LSTM, m.Out}
		in = []int{m.Cfg.Length}
	case *zoo.SpeakerBag:
		classifier = true
		enc = []any{m.Out}
		in = []int{m.Cfg.Vocab}
	default:
		return nil, fmt.Errorf("onnx: export of %q models is not supported (vae, simple, sparse, deep, conv, denoise, illust, seq, speaker and speaker-bag are)", m.Kind())
	}
	if classifier && part != "all" {
		return nil, fmt.Errorf("onnx: a %s model is a classifier without an encoder or a decoder: export --part all", m.Kind())
	}
	g := &Graph{Name: m.Kind() + "_" + part}
	switch part {
	case "encoder":
		g.InputShape, g.Layers = in, enc
	case "decoder":
		g.InputShape, g.Layers = code, dec
	case "all":
		g.InputShape, g.Layers = in, append(enc, dec...)
	}
	return g, nil
}

// builder accumulates a graph. x names the current tensor; shape is its shape without
// the batch axis in fugo's layout (channels last); cf says that x is held channels first
// (NCHW or NCT, ONNX's layout for Conv and MaxPool) while shape stays channels last.
type builder struct {
	g     *pb.GraphProto
	count int
	x     string
	shape []int
	cf    bool
}

func (b *builder) fresh(op string) string {
	b.count++
	return fmt.Sprintf("%s_%d", op, b.count)
}

func (b *builder) initializer(name string, shape []int, data []float32) string {
	raw := make([]byte, 4*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	dims := make([]int64, len(shape))
	for i, d := range shape {
		dims[i] = int64(d)
	}
	b.g.Initializer = append(b.g.Initializer, &pb.TensorProto{Name: name, Dims: dims, DataType: int32(pb.TensorProto_FLOAT), RawData: raw})
	return name
}

func (b *builder) node(op string, inputs []string, attrs ...*pb.AttributeProto) string {
	out := b.fresh(op)
	b.g.Node = append(b.g.Node, &pb.NodeProto{Name: out, OpType: op, Input: inputs, Output: []string{out}, Attribute: attrs})
	return out
}

func intAttr(name string, v int64) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_INT, I: v}
}

func valueInfo(name string, shape []int) *pb.ValueInfoProto {
	dims := []*pb.TensorShapeProto_Dimension{{Value: &pb.TensorShapeProto_Dimension_DimParam{DimParam: "N"}}}
	for _, d := range shape {
		dims = append(dims, &pb.TensorShapeProto_Dimension{Value: &pb.TensorShapeProto_Dimension_DimValue{DimValue: int64(d)}})
	}
	return &pb.ValueInfoProto{Name: name, Type: &pb.TypeProto{Value: &pb.TypeProto_TensorType{TensorType: &pb.TypeProto_Tensor{
		ElemType: int32(pb.TensorProto_FLOAT), Shape: &pb.TensorShapeProto{Dim: dims},
	}}}}
}

// activation appends the node of f after x.
func (b *builder) activation(x string, f autodiff.Activation) (string, error) {
	switch f {
	case autodiff.Linear:
		return x, nil
	case autodiff.ReLU:
		return b.node("Relu", []string{x}), nil
	case autodiff.Sigmoid:
		return b.node("Sigmoid", []string{x}), nil
	case autodiff.Tanh:
		return b.node("Tanh", []string{x}), nil
	case autodiff.Softmax:
		return b.node("Softmax", []string{x}, intAttr("axis", -1)), nil
	}
	return "", fmt.Errorf("onnx: activation %v has no ONNX operator here", f)
}

// Model builds the ONNX model of g.
func Model(g *Graph) (*pb.ModelProto, error) {
	if len(g.Layers) == 0 {
		return nil, errors.New("onnx: no layers to export")
	}
	b := &builder{g: &pb.GraphProto{Name: g.Name}}
	b.g.Input = []*pb.ValueInfoProto{valueInfo("input", g.InputShape)}
	b.x, b.shape = "input", append([]int(nil), g.InputShape...)
	for _, l := range g.Layers {
		if err := b.add(l); err != nil {
			return nil, err
		}
	}
	b.channelsLast()
	x, shape := b.x, b.shape
	// Name the result "output".
	b.g.Node = append(b.g.Node, &pb.NodeProto{Name: "output", OpType: "Identity", Input: []string{x}, Output: []string{"output"}})
	b.g.Output = []*pb.ValueInfoProto{valueInfo("output", shape)}
	return &pb.ModelProto{
		IrVersion:       irVersion,
		OpsetImport:     []*pb.OperatorSetIdProto{{Domain: "", Version: Opset}},
		ProducerName:    "fugo",
		ProducerVersion: "0",
		Graph:           b.g,
	}, nil
}

// Write encodes g as an ONNX file to w.
func Write(w io.Writer, g *Graph) error {
	m, err := Model(g)
	if err != nil {
		return err
	}
	b, err := proto.Marshal(m)
	if err != nil {
		return fmt.Errorf("onnx: %w", err)
	}
	_, err = w.Write(b)
	return err
}

// SaveFile writes g as an ONNX file at path, atomically.
func SaveFile(path string, g *Graph) error {
	if _, err := Model(g); err != nil { // refuse before creating anything
		return err
	}
	return atomicfile.WriteFile(path, func(w io.Writer) error { return Write(w, g) })
}
