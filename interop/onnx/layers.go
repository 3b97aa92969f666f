package onnx

import (
	"encoding/binary"
	"fmt"
	"strings"

	"fugo/autodiff"
	pb "fugo/interop/onnx/onnxpb"
	"fugo/nn"
)

// add appends the nodes of one fugo layer after b.x.
func (b *builder) add(l any) error {
	switch l := l.(type) {
	case *nn.Dense:
		return b.dense(l)
	case *nn.Conv2D:
		return b.conv2D(l)
	case *nn.MaxPooling2D:
		return b.maxPool2D(l)
	case *nn.UpSampling2D:
		return b.upSample2D(l)
	}
	return b.addSeq(l)
}

// shapeErr says that a layer got an input of the wrong shape.
func (b *builder) shapeErr(layer, want string) error {
	return fmt.Errorf("onnx: layer %q takes [N %s], gets [N %s]", layer, want, dimsString(b.shape))
}

func dimsString(s []int) string {
	return strings.Trim(fmt.Sprint(s), "[]")
}

// channelsFirst transposes x from channels last to channels first ([N, d1…dk, C] →
// [N, C, d1…dk]) unless it already is or has no spatial axis.
func (b *builder) channelsFirst() {
	r := len(b.shape) + 1
	if b.cf || r < 3 {
		return
	}
	perm := []int64{0, int64(r - 1)}
	for i := 1; i < r-1; i++ {
		perm = append(perm, int64(i))
	}
	b.x = b.node("Transpose", []string{b.x}, intsAttr("perm", perm...))
	b.cf = true
}

// channelsLast undoes channelsFirst: [N, C, d1…dk] → [N, d1…dk, C].
func (b *builder) channelsLast() {
	if !b.cf {
		return
	}
	r := len(b.shape) + 1
	perm := []int64{0}
	for i := 2; i < r; i++ {
		perm = append(perm, int64(i))
	}
	perm = append(perm, 1)
	b.x = b.node("Transpose", []string{b.x}, intsAttr("perm", perm...))
	b.cf = false
}

func intsAttr(name string, v ...int64) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_INTS, Ints: v}
}

func stringAttr(name, v string) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_STRING, S: []byte(v)}
}

// constInt64 adds an int64 initializer and returns its name.
func (b *builder) constInt64(shape []int, data ...int64) string {
	raw := make([]byte, 8*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint64(raw[8*i:], uint64(v))
	}
	dims := make([]int64, len(shape))
	for i, d := range shape {
		dims[i] = int64(d)
	}
	name := b.fresh("const")
	b.g.Initializer = append(b.g.Initializer, &pb.TensorProto{Name: name, Dims: dims, DataType: int32(pb.TensorProto_INT64), RawData: raw})
	return name
}

// windowPads returns the output length of a window op (convolution or pooling) over an
// axis of length in with window k and stride s, and the zero padding before and after it,
// as Keras does: "same" gives ⌈in/s⌉ positions with total padding
// max((out−1)·s + k − in, 0), ⌊total/2⌋ before and the rest after; "valid" gives
// ⌊(in−k)/s⌋ + 1 positions and none (0 when in < k).
func windowPads(in, k, s int, same bool) (out, before, after int) {
	if same {
		out = (in + s - 1) / s
		total := max((out-1)*s+k-in, 0)
		return out, total / 2, total - total/2
	}
	if in < k {
		return 0, 0, 0
	}
	return (in-k)/s + 1, 0, 0
}

func (b *builder) dense(l *nn.Dense) error {
	if len(b.shape) != 1 || b.shape[0] != l.In() {
		return b.shapeErr(l.Name, fmt.Sprint(l.In()))
	}
	w := b.initializer(l.Name+"/kernel", l.Kernel.Value.Shape, l.Kernel.Value.Data)
	bias := b.initializer(l.Name+"/bias", l.Bias.Value.Shape, l.Bias.Value.Data)
	x, err := b.activation(b.node("Gemm", []string{b.x, w, bias}), l.Activation)
	if err != nil {
		return err
	}
	b.x, b.shape = x, []int{l.Units()}
	return nil
}

// activationAnyLayout applies f to x in whichever layout it is held: elementwise
// activations stay channels first, Softmax (over the channels) goes back to channels last
// first.
func (b *builder) activationAnyLayout(f autodiff.Activation) error {
	if f == autodiff.Softmax {
		b.channelsLast()
	}
	x, err := b.activation(b.x, f)
	b.x = x
	return err
}

func (b *builder) conv2D(l *nn.Conv2D) error {
	kh, kw := l.KernelSize()
	cin, cout := l.In(), l.Filters()
	if len(b.shape) != 3 || b.shape[2] != cin {
		return b.shapeErr(l.Name, fmt.Sprintf("H W %d", cin))
	}
	same := l.Padding == nn.Same
	sh, sw := l.Strides[0], l.Strides[1]
	oh, pt, pb_ := windowPads(b.shape[0], kh, sh, same)
	ow, pl, pr := windowPads(b.shape[1], kw, sw, same)
	if oh <= 0 || ow <= 0 {
		return fmt.Errorf("onnx: layer %q: a %d×%d input is smaller than its %d×%d kernel", l.Name, b.shape[0], b.shape[1], kh, kw)
	}
	// Keras [KH, KW, Cin, Cout] → ONNX [Cout, Cin, KH, KW].
	k := l.Kernel.Value.Data
	w := make([]float32, len(k))
	for i := 0; i < kh; i++ {
		for j := 0; j < kw; j++ {
			for c := 0; c < cin; c++ {
				for o := 0; o < cout; o++ {
					w[((o*cin+c)*kh+i)*kw+j] = k[((i*kw+j)*cin+c)*cout+o]
				}
			}
		}
	}
	b.channelsFirst()
	wn := b.initializer(l.Name+"/kernel", []int{cout, cin, kh, kw}, w)
	bn := b.initializer(l.Name+"/bias", []int{cout}, l.Bias.Value.Data)
	b.x = b.node("Conv", []string{b.x, wn, bn},
		intsAttr("kernel_shape", int64(kh), int64(kw)),
		intsAttr("strides", int64(sh), int64(sw)),
		intsAttr("pads", int64(pt), int64(pl), int64(pb_), int64(pr)))
	b.shape = []int{oh, ow, cout}
	return b.activationAnyLayout(l.Activation)
}

func (b *builder) maxPool2D(l *nn.MaxPooling2D) error {
	if len(b.shape) != 3 {
		return b.shapeErr(l.Name, "H W C")
	}
	ph, pw, sh, sw := l.PoolSize[0], l.PoolSize[1], l.Strides[0], l.Strides[1]
	same := l.Padding == nn.Same
	oh, pt, pb_ := windowPads(b.shape[0], ph, sh, same)
	ow, pl, pr := windowPads(b.shape[1], pw, sw, same)
	if oh <= 0 || ow <= 0 {
		return fmt.Errorf("onnx: layer %q: a %d×%d input is smaller than its %d×%d pool", l.Name, b.shape[0], b.shape[1], ph, pw)
	}
	b.channelsFirst()
	b.x = b.node("MaxPool", []string{b.x},
		intsAttr("kernel_shape", int64(ph), int64(pw)),
		intsAttr("strides", int64(sh), int64(sw)),
		intsAttr("pads", int64(pt), int64(pl), int64(pb_), int64(pr)))
	b.shape = []int{oh, ow, b.shape[2]}
	return nil
}

func (b *builder) upSample2D(l *nn.UpSampling2D) error {
	if len(b.shape) != 3 {
		return b.shapeErr(l.Name, "H W C")
	}
	sh, sw := l.Size[0], l.Size[1]
	b.channelsFirst()
	scales := b.initializer(b.fresh("scales"), []int{4}, []float32{1, 1, float32(sh), float32(sw)})
	b.x = b.node("Resize", []string{b.x, "", scales},
		stringAttr("mode", "nearest"),
		stringAttr("coordinate_transformation_mode", "asymmetric"),
		stringAttr("nearest_mode", "floor"))
	b.shape = []int{b.shape[0] * sh, b.shape[1] * sw, b.shape[2]}
	return nil
}
