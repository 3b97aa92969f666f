#!/usr/bin/env bash
# Regenerates onnx_onnx_fugo.proto3 and onnx_onnx_fugo.proto3.pb.go (see doc.go). Needs
# Debian's python3-onnx (1.12.0) and protobuf-compiler (protoc 3.21.12), and protoc-gen-go
# v1.31.0 on PATH (go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.31.0).
set -euo pipefail
cd "$(dirname "$0")"
gen=/usr/lib/python3/dist-packages/onnx/gen_proto.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# ONNX's own generator: onnx.in.proto → the proto3 variant, package onnx_fugo.
python3 "$gen" -p onnx_fugo -o "$tmp" onnx >/dev/null
cp "$tmp/onnx_onnx_fugo.proto3" .
protoc -I . --go_out=. --go_opt=paths=source_relative \
	--go_opt=Monnx_onnx_fugo.proto3=fugo/interop/onnx/onnxpb onnx_onnx_fugo.proto3
