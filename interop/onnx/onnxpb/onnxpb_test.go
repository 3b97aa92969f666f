package onnxpb

import (
	"bytes"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// The generated messages write ONNX's field numbers and enum values, and are registered
// under the renamed protobuf package onnx_fugo (doc.go says why).
func TestWireFormatMatchesONNXSpec(t *testing.T) {
	m := &ModelProto{
		IrVersion:    7,
		ProducerName: "fugo",
		OpsetImport:  []*OperatorSetIdProto{{Version: 13}},
		Graph: &GraphProto{
			Name: "g",
			Node: []*NodeProto{{
				OpType: "Relu", Input: []string{"x"}, Output: []string{"y"},
				Attribute: []*AttributeProto{{Name: "axes", Type: AttributeProto_INTS, Ints: []int64{1, 2}}},
			}},
			Initializer: []*TensorProto{{Name: "w", Dims: []int64{2}, DataType: int32(TensorProto_FLOAT), RawData: []byte{0, 0, 128, 63, 0, 0, 0, 64}}},
		},
	}
	got, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}

	// The same message written field by field with the numbers of onnx.proto (ONNX 1.12).
	str := func(b []byte, num protowire.Number, s string) []byte {
		return protowire.AppendString(protowire.AppendTag(b, num, protowire.BytesType), s)
	}
	msg := func(b []byte, num protowire.Number, inner []byte) []byte {
		return protowire.AppendBytes(protowire.AppendTag(b, num, protowire.BytesType), inner)
	}
	varint := func(b []byte, num protowire.Number, v uint64) []byte {
		return protowire.AppendVarint(protowire.AppendTag(b, num, protowire.VarintType), v)
	}
	var attr []byte
	attr = str(attr, 1, "axes")       // AttributeProto.name = 1
	attr = msg(attr, 8, []byte{1, 2}) // ints = 8, packed
	attr = varint(attr, 20, 7)        // type = 20, INTS = 7
	var node []byte
	node = str(node, 1, "x")    // NodeProto.input = 1
	node = str(node, 2, "y")    // output = 2
	node = str(node, 4, "Relu") // op_type = 4
	node = msg(node, 5, attr)   // attribute = 5
	var tensor []byte
	tensor = msg(tensor, 1, []byte{2})                      // TensorProto.dims = 1, packed
	tensor = varint(tensor, 2, 1)                           // data_type = 2, FLOAT = 1
	tensor = str(tensor, 8, "w")                            // name = 8
	tensor = msg(tensor, 9, m.Graph.Initializer[0].RawData) // raw_data = 9
	var graph []byte
	graph = msg(graph, 1, node)   // GraphProto.node = 1
	graph = str(graph, 2, "g")    // name = 2
	graph = msg(graph, 5, tensor) // initializer = 5
	var want []byte
	want = varint(want, 1, 7)               // ModelProto.ir_version = 1
	want = str(want, 2, "fugo")             // producer_name = 2
	want = msg(want, 7, graph)              // graph = 7
	want = msg(want, 8, varint(nil, 2, 13)) // opset_import = 8 {version = 2}
	if !bytes.Equal(got, want) {
		t.Errorf("Marshal =\n%x\nwant\n%x", got, want)
	}

	var back ModelProto
	if err := proto.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(&back, m) {
		t.Errorf("round trip changed the message: %v", &back)
	}
	if n := m.ProtoReflect().Descriptor().FullName(); n != "onnx_fugo.ModelProto" {
		t.Errorf("full name %q, want onnx_fugo.ModelProto", n)
	}
	if Version_IR_VERSION != 8 || TensorProto_INT64 != 7 || AttributeProto_STRING != 3 {
		t.Errorf("enum values differ from ONNX 1.12: IR_VERSION %d, INT64 %d, STRING %d",
			Version_IR_VERSION, TensorProto_INT64, AttributeProto_STRING)
	}
}
