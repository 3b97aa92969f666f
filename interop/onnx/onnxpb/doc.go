// Package onnxpb holds the ONNX protobuf messages (ModelProto, GraphProto, NodeProto,
// TensorProto, ValueInfoProto, …) as Go types, generated from ONNX's own schema so that
// package fugo/interop/onnx can write .onnx files with google.golang.org/protobuf alone.
//
// The Go names are those protoc-gen-go derives from onnx.proto3 (the proto3 variant of
// onnx.proto that ONNX generates from onnx.in.proto), the same as in other Go copies such
// as github.com/advancedclimatesystems/gonnx/onnx: a field ir_version is IrVersion, the
// enum value TensorProto.FLOAT is TensorProto_FLOAT. Scalar fields are plain values
// (proto3): a zero value is not written.
//
// # How it was generated
//
// gen.sh in this folder, on Debian 12 with python3-onnx 1.12.0 (ONNX 1.12.0, IR version 8),
// protobuf-compiler (protoc 3.21.12) and protoc-gen-go v1.31.0 (the version of
// google.golang.org/protobuf in go.mod). It runs:
//
//	python3 /usr/lib/python3/dist-packages/onnx/gen_proto.py -p onnx_fugo -o TMP onnx
//	cp TMP/onnx_onnx_fugo.proto3 .
//	protoc -I . --go_out=. --go_opt=paths=source_relative \
//		--go_opt=Monnx_onnx_fugo.proto3=fugo/interop/onnx/onnxpb onnx_onnx_fugo.proto3
//
// gen_proto.py is ONNX's own generator (shipped in the onnx package): it turns
// onnx.in.proto into onnx.proto (proto2) and the proto3 variant, and its -p option renames
// the protobuf package, as PyTorch does with onnx_torch. The messages are therefore
// registered as onnx_fugo.ModelProto… in the file onnx_onnx_fugo.proto3, not
// onnx.ModelProto in onnx.proto3: a Go program may link this package together with another
// generated copy of ONNX (gonnx, onnx-go) without the protobuf runtime's init-time panic
// "file "onnx.proto3" is already registered". The package name is not part of the wire
// format, so the bytes written are those of any ONNX writer.
//
// # Licence
//
// onnx.in.proto and the generated onnx_onnx_fugo.proto3 carry
// "SPDX-License-Identifier: Apache-2.0" (the ONNX Project Contributors' Apache License
// 2.0); the generated Go file carries the same header. See NOTICE at the repository root.
package onnxpb
