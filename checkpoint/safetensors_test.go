package checkpoint

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fugo/tensor"
)

var update = flag.Bool("update", false, "rewrite the files under testdata/ from the hand-built cases")

// file assembles a safetensors file byte by byte, independent of Write: the 8-byte
// little-endian header length, the header text, then the data bytes.
func file(header string, data ...byte) []byte {
	n := len(header)
	b := []byte{byte(n), byte(n >> 8), byte(n >> 16), byte(n >> 24), 0, 0, 0, 0}
	b = append(b, header...)
	return append(b, data...)
}

// mixedHeader lists tensors out of offset order on purpose, with metadata in the middle.
const mixedHeader = `{"f":{"dtype":"F32","shape":[2],"data_offsets":[28,36]},` +
	`"h":{"dtype":"F16","shape":[2,3],"data_offsets":[0,12]},` +
	`"__metadata__":{"format":"pt","note":"héllo <&>"},` +
	`"b":{"dtype":"BF16","shape":[4],"data_offsets":[12,20]},` +
	`"e":{"dtype":"F32","shape":[0,5],"data_offsets":[36,36]},` +
	`"d":{"dtype":"F64","shape":[],"data_offsets":[20,28],"extra":"ignored"}}`

var mixedData = []byte{
	// h, F16: 1, -2, 0.5, 65504, 2⁻²⁴ (smallest subnormal), -Inf
	0x00, 0x3c, 0x00, 0xc0, 0x00, 0x38, 0xff, 0x7b, 0x01, 0x00, 0x00, 0xfc,
	// b, BF16: 1, -2, 3.140625, +Inf
	0x80, 0x3f, 0x00, 0xc0, 0x49, 0x40, 0x80, 0x7f,
	// d, F64: 1.5
	0, 0, 0, 0, 0, 0, 0xf8, 0x3f,
	// f, F32: 1, -0.25
	0, 0, 0x80, 0x3f, 0, 0, 0x80, 0xbe,
}

var inf = float32(math.Inf(1))

var mixedWant = []Tensor{
	{"h", []int{2, 3}, []float32{1, -2, 0.5, 65504, 1.0 / (1 << 24), -inf}},
	{"b", []int{4}, []float32{1, -2, 3.140625, inf}},
	{"d", []int{}, []float32{1.5}},
	{"f", []int{2}, []float32{1, -0.25}},
	{"e", []int{0, 5}, []float32{}},
}

// writerGolden is what Write must produce for writerGoldenTensors: header padded with
// spaces from 145 to 152 bytes (a multiple of 8), offsets contiguous in the given order.
var writerGolden = file(
	`{"__metadata__":{"a":"1","b":"<xy>"},"w":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},`+
		`"s":{"dtype":"F32","shape":[],"data_offsets":[8,12]}}`+"       ",
	0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, // 1, -2
	0, 0, 0x40, 0x40, // 3
)

func writerGoldenTensors() ([]Tensor, map[string]string) {
	return []Tensor{{"w", []int{1, 2}, []float32{1, -2}}, {"s", nil, []float32{3}}},
		map[string]string{"b": "<xy>", "a": "1"}
}

type badCase struct {
	name   string
	file   []byte
	size   int64 // 0: len(file)
	want   string
	eof    bool // error wraps io.ErrUnexpectedEOF
	dtypeE bool // error is a *DTypeError
}

func ent(name, dtype, shape string, b, e int) string {
	return `"` + name + `":{"dtype":"` + dtype + `","shape":` + shape + `,"data_offsets":[` + itoa(b) + `,` + itoa(e) + `]}`
}

func itoa(i int) string {
	if i < 0 {
		return "-" + itoa(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

var four = []byte{1, 2, 3, 4}

var badCases = []badCase{
	{name: "short", file: []byte{1, 0, 0}, want: "too short"},
	{name: "header_past_end", file: append([]byte{0xff, 0, 0, 0, 0, 0, 0, 0}, "{}"...), want: "exceeds the 2 bytes"},
	{name: "header_over_cap", file: append([]byte{0, 0, 0, 0x10, 0, 0, 0, 0}, "{}"...), want: "exceeds the limit"},
	{name: "header_huge", file: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, '{', '}'}, want: "exceeds the limit"},
	{name: "not_json", file: file(`{"a":`), want: "not valid JSON", eof: true},
	{name: "json_syntax", file: file(`{"a" 1}`), want: "not valid JSON"},
	{name: "not_object", file: file(`[]`), want: "expected"},
	{name: "trailing_json", file: file(`{} {}`), want: "after the JSON object"},
	{name: "bad_utf8", file: file("{\"\xff\":1}"), want: "UTF-8"},
	{name: "duplicate", file: file(`{`+ent("a", "F32", "[1]", 0, 4)+`,`+ent("a", "F32", "[1]", 4, 8)+`}`, 1, 2, 3, 4, 5, 6, 7, 8), want: `"a": duplicate tensor name`},
	{name: "duplicate_metadata", file: file(`{"__metadata__":{},"__metadata__":{}}`), want: "duplicate"},
	{name: "duplicate_metadata_key", file: file(`{"__metadata__":{"k":"1","k":"2"}}`), want: `duplicate key "k"`},
	{name: "metadata_number", file: file(`{"__metadata__":{"k":1}}`), want: "not a string"},
	{name: "metadata_array", file: file(`{"__metadata__":[]}`), want: "not an object"},
	{name: "no_dtype", file: file(`{"a":{"shape":[1],"data_offsets":[0,4]}}`, four...), want: "no dtype"},
	{name: "no_shape", file: file(`{"a":{"dtype":"F32","data_offsets":[0,4]}}`, four...), want: "no shape"},
	{name: "no_offsets", file: file(`{"a":{"dtype":"F32","shape":[1]}}`, four...), want: "no data_offsets"},
	{name: "three_offsets", file: file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,4]}}`, four...), want: "not a pair"},
	{name: "info_not_object", file: file(`{"a":7}`), want: "bad tensor info"},
	{name: "negative_dim", file: file(`{`+ent("a", "F32", "[-1]", 0, 4)+`}`, four...), want: "bad tensor info"},
	{name: "fractional_dim", file: file(`{`+ent("a", "F32", "[1.5]", 0, 4)+`}`, four...), want: "bad tensor info"},
	{name: "dtype_i64", file: file(`{`+ent("step", "I64", "[]", 0, 8)+`}`, 1, 2, 3, 4, 5, 6, 7, 8), want: `tensor "step": unsupported dtype "I64"`, dtypeE: true},
	{name: "dtype_unknown", file: file(`{`+ent("a", "F33", "[1]", 0, 4)+`}`, four...), want: `unsupported dtype "F33"`, dtypeE: true},
	{name: "shape_overflow", file: file(`{` + ent("a", "F32", "[4294967296,4294967296]", 0, 4) + `}`), want: "overflows"},
	{name: "shape_overflow_bytes", file: file(`{` + ent("a", "F64", "[2305843009213693952]", 0, 4) + `}`), want: "overflows"},
	{name: "zero_dim_huge", file: file(`{` + ent("a", "F32", "[0,18446744073709551615]", 0, 0) + `}`), want: "dimension too large"},
	{name: "offsets_past_data", file: file(`{`+ent("a", "F32", "[2]", 0, 8)+`}`, four...), want: "outside the data section of 4 bytes"},
	{name: "offsets_reversed", file: file(`{`+ent("a", "F32", "[1]", 4, 0)+`}`, four...), want: "begin after end"},
	{name: "offsets_wrong_size", file: file(`{`+ent("a", "F32", "[2]", 0, 4)+`}`, four...), want: "hold 4 bytes, but F32 shape [2] needs 8"},
	{name: "overlap", file: file(`{`+ent("a", "F32", "[2]", 0, 8)+`,`+ent("b", "F32", "[1]", 4, 8)+`}`, 1, 2, 3, 4, 5, 6, 7, 8), want: "overlap"},
	{name: "gap", file: file(`{`+ent("a", "F32", "[1]", 0, 4)+`,`+ent("b", "F32", "[1]", 8, 12)+`}`, make([]byte, 12)...), want: "unused"},
	{name: "gap_at_start", file: file(`{`+ent("a", "F32", "[1]", 4, 8)+`}`, make([]byte, 8)...), want: "unused"},
	{name: "trailing_data", file: file(`{`+ent("a", "F32", "[1]", 0, 4)+`}`, make([]byte, 5)...), want: "cover 4 of the 5 bytes"},
	{name: "trailing_data_no_tensors", file: file(`{}`, 0), want: "cover 0 of the 1 bytes"},
	// Streams shorter than the size the caller announced.
	{name: "truncated_length", file: []byte{1, 0, 0, 0}, size: 100, want: "header length truncated after 4 of 8 bytes", eof: true},
	{name: "truncated_header", file: file(`{}`)[:9], size: 10, want: "header truncated after 1 of 2 bytes", eof: true},
	{name: "truncated_data", file: file(`{`+ent("a", "F32", "[2]", 0, 8)+`}`, 1, 2, 3), size: -5, want: `tensor "a": data truncated after 3 of 8 bytes`, eof: true},
}

func (c badCase) streamSize() int64 {
	switch {
	case c.size < 0:
		return int64(len(c.file)) - c.size
	case c.size > 0:
		return c.size
	}
	return int64(len(c.file))
}

func TestReadHandMade(t *testing.T) {
	got, meta, err := Read(bytes.NewReader(file(mixedHeader, mixedData...)), int64(len(mixedHeader)+8+len(mixedData)))
	if err != nil {
		t.Fatal(err)
	}
	wantMeta := map[string]string{"format": "pt", "note": "héllo <&>"}
	if len(meta) != len(wantMeta) || meta["format"] != "pt" || meta["note"] != wantMeta["note"] {
		t.Errorf("metadata = %v, want %v", meta, wantMeta)
	}
	if err := sameTensors(got, mixedWant); err != "" {
		t.Error(err)
	}
}

func TestReadEmpty(t *testing.T) {
	for _, f := range [][]byte{file(`{}`), file(`{}      `), file(` { } `), file(`{"__metadata__":null}`)} {
		got, meta, err := Read(bytes.NewReader(f), int64(len(f)))
		if err != nil || len(got) != 0 || meta != nil {
			t.Errorf("Read(%q) = %v, %v, %v; want no tensors, nil metadata", f[8:], got, meta, err)
		}
	}
}

// sameTensors compares names, shapes and data bit for bit (NaN payloads and -0 included).
func sameTensors(got, want []Tensor) string {
	if len(got) != len(want) {
		return "got " + itoa(len(got)) + " tensors, want " + itoa(len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Name != w.Name || !slices.Equal(g.Shape, w.Shape) || len(g.Data) != len(w.Data) {
			return "tensor " + itoa(i) + ": got " + g.Name + " " + tensor.FromSlice(g.Data, len(g.Data)).String() + ", want " + w.Name
		}
		if g.Shape == nil {
			return "tensor " + g.Name + ": nil shape, want non-nil"
		}
		for j := range g.Data {
			if math.Float32bits(g.Data[j]) != math.Float32bits(w.Data[j]) {
				return "tensor " + g.Name + ": element " + itoa(j) + " differs"
			}
		}
	}
	return ""
}

func TestFloat16(t *testing.T) {
	cases := []struct {
		h    uint16
		want float32
	}{
		{0x0000, 0}, {0x3c00, 1}, {0xc000, -2}, {0x3555, 0.333251953125}, {0x7bff, 65504},
		{0x0400, 1.0 / (1 << 14)}, {0x03ff, 1023.0 / (1 << 24)}, {0x8001, -1.0 / (1 << 24)},
		{0x7c00, inf}, {0xfc00, -inf},
	}
	for _, c := range cases {
		if got := Float16ToFloat32(c.h); got != c.want {
			t.Errorf("Float16ToFloat32(%#04x) = %g, want %g", c.h, got, c.want)
		}
	}
	if got := Float16ToFloat32(0x8000); !math.Signbit(float64(got)) || got != 0 {
		t.Errorf("Float16ToFloat32(0x8000) = %g, want -0", got)
	}
	if got := Float16ToFloat32(0x7e01); !math.IsNaN(float64(got)) {
		t.Errorf("Float16ToFloat32(0x7e01) = %g, want NaN", got)
	}
	// Every finite half is exactly representable: check against frac·2^(exp-25) in float64.
	for h := range 1 << 16 {
		e, f := (h>>10)&0x1f, h&0x3ff
		if e == 0x1f {
			continue
		}
		var v float64
		if e == 0 {
			v = math.Ldexp(float64(f), -24)
		} else {
			v = math.Ldexp(float64(f|0x400), e-25)
		}
		if h&0x8000 != 0 {
			v = -v
		}
		if got := Float16ToFloat32(uint16(h)); float64(got) != v {
			t.Fatalf("Float16ToFloat32(%#04x) = %g, want %g", h, got, v)
		}
	}
}

func TestReadBroken(t *testing.T) {
	for _, c := range badCases {
		t.Run(c.name, func(t *testing.T) {
			got, meta, err := Read(bytes.NewReader(c.file), c.streamSize())
			if err == nil {
				t.Fatalf("Read succeeded: %v %v", got, meta)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
			if !errors.Is(err, ErrFormat) {
				t.Errorf("error %q does not match ErrFormat", err)
			}
			if eof := errors.Is(err, io.ErrUnexpectedEOF); eof != c.eof {
				t.Errorf("errors.Is(%q, io.ErrUnexpectedEOF) = %v, want %v", err, eof, c.eof)
			}
			var de *DTypeError
			if errors.As(err, &de) != c.dtypeE {
				t.Errorf("errors.As(%q, *DTypeError) = %v, want %v", err, !c.dtypeE, c.dtypeE)
			}
		})
	}
}

func TestWriteGolden(t *testing.T) {
	ts, meta := writerGoldenTensors()
	var b bytes.Buffer
	if err := Write(&b, ts, meta); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), writerGolden) {
		t.Errorf("Write produced\n%q\nwant\n%q", b.Bytes(), writerGolden)
	}
}

func TestRoundTrip(t *testing.T) {
	rng := tensor.NewRNG(1)
	special := []float32{0, float32(math.Copysign(0, -1)), inf, -inf, math.Float32frombits(0x7fc00001),
		math.Float32frombits(0xffa00000), math.SmallestNonzeroFloat32, math.MaxFloat32, 1e-40}
	big := tensor.New(300, 257) // larger than one read chunk, not a multiple of it
	big.FillNormal(rng, 0, 1)
	ts := []Tensor{
		{"special", []int{len(special)}, special},
		{"dense_1/kernel", big.Shape, big.Data},
		{"scalar", []int{}, []float32{42}},
		{"empty", []int{3, 0, 2}, []float32{}},
		{"ユニコード \"quoted\" <tag>", []int{1, 1, 1, 1}, []float32{-7}},
	}
	meta := map[string]string{"config": `{"units": 32}`, "": "empty key", "日本": "語\n"}
	dir := t.TempDir()
	path := filepath.Join(dir, "m.safetensors")
	if err := SaveFile(path, ts, meta); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := int(raw[0]) | int(raw[1])<<8 | int(raw[2])<<16; n%8 != 0 || raw[8] != '{' {
		t.Errorf("header length %d not a multiple of 8, or header does not start with '{'", n)
	}
	got, gotMeta, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if msg := sameTensors(got, ts); msg != "" {
		t.Error(msg)
	}
	if len(gotMeta) != len(meta) {
		t.Errorf("metadata = %q, want %q", gotMeta, meta)
	}
	for k, v := range meta {
		if gotMeta[k] != v {
			t.Errorf("metadata[%q] = %q, want %q", k, gotMeta[k], v)
		}
	}
	// No metadata: the header has no "__metadata__" and Read returns nil.
	var b bytes.Buffer
	if err := Write(&b, ts[2:3], nil); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte(metadataKey)) {
		t.Errorf("header %q contains %s", b.Bytes(), metadataKey)
	}
	if _, m, err := Read(&b, int64(b.Len())); err != nil || m != nil {
		t.Errorf("Read = %v, %v; want nil metadata", m, err)
	}
}

func TestWriteInvalid(t *testing.T) {
	cases := []struct {
		name string
		ts   []Tensor
		meta map[string]string
		want string
	}{
		{"duplicate", []Tensor{{"a", nil, []float32{1}}, {"a", nil, []float32{1}}}, nil, "duplicate"},
		{"empty_name", []Tensor{{"", nil, []float32{1}}}, nil, "empty name"},
		{"reserved", []Tensor{{metadataKey, nil, []float32{1}}}, nil, "reserved"},
		{"bad_utf8", []Tensor{{"\xff", nil, []float32{1}}}, nil, "UTF-8"},
		{"bad_utf8_meta", nil, map[string]string{"k": "\xfe"}, "UTF-8"},
		{"size", []Tensor{{"a", []int{2, 2}, []float32{1}}}, nil, "1 values for shape [2 2]"},
		{"negative", []Tensor{{"a", []int{-1, -1}, []float32{1}}}, nil, "negative"},
	}
	for _, c := range cases {
		var b bytes.Buffer
		err := Write(&b, c.ts, c.meta)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Write error = %v, want %q", c.name, err, c.want)
		}
		if b.Len() != 0 {
			t.Errorf("%s: Write wrote %d bytes before failing", c.name, b.Len())
		}
	}
}

func TestSaveFileKeepsOldOnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.safetensors")
	good := []Tensor{{"a", []int{1}, []float32{1}}}
	if err := SaveFile(path, good, nil); err != nil {
		t.Fatal(err)
	}
	err := SaveFile(path, []Tensor{{"a", []int{2}, []float32{1}}}, nil)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("SaveFile error = %v, want one naming %s", err, path)
	}
	got, _, err := LoadFile(path)
	if err != nil || sameTensors(got, good) != "" {
		t.Errorf("after failed save: %v, %v; want the old file", got, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want 1 (temporary file left behind?)", len(entries))
	}
}

func TestLoadFileErrorsNameFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.safetensors")
	if _, _, err := LoadFile(missing); err == nil || !strings.Contains(err.Error(), missing) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadFile(missing) error = %v", err)
	}
	bad := filepath.Join(dir, "bad.safetensors")
	os.WriteFile(bad, file(`{"a":{"dtype":"I8","shape":[1],"data_offsets":[0,1]}}`, 0), 0o644)
	_, _, err := LoadFile(bad)
	var de *DTypeError
	if err == nil || !strings.Contains(err.Error(), bad) || !errors.As(err, &de) || de.Tensor != "a" || de.DType != "I8" {
		t.Errorf("LoadFile(bad) error = %v", err)
	}
}

func TestMatch(t *testing.T) {
	want := []Tensor{
		{Name: "dense_1/kernel", Shape: []int{784, 128}},
		{Name: "dense_1/bias", Shape: []int{128}},
		{Name: "dense_2/kernel", Shape: []int{128, 10}},
		{Name: "dense_2/bias", Shape: []int{10}},
	}
	if err := Match(want, slices.Clone(want)); err != nil {
		t.Errorf("Match(same) = %v", err)
	}
	reversed := slices.Clone(want)
	slices.Reverse(reversed)
	if err := Match(want, reversed); err != nil {
		t.Errorf("Match(reordered) = %v", err)
	}
	got := []Tensor{
		{Name: "dense_1/kernel", Shape: []int{784, 256}},
		{Name: "dense_1/bias", Shape: []int{256}},
		{Name: "dense_2/bias", Shape: []int{10}},
		{Name: "extra", Shape: []int{3}},
	}
	err := Match(want, got)
	var me *MismatchError
	if !errors.As(err, &me) {
		t.Fatalf("Match = %v, want *MismatchError", err)
	}
	wantProblems := []string{
		"tensor dense_2/kernel: missing from file, model wants shape [128 10]",
		"tensor dense_1/kernel: shape [784 256] in file, model wants [784 128]",
		"tensor dense_1/bias: shape [256] in file, model wants [128]",
		"tensor extra: shape [3] in file, not in model",
	}
	if p := me.Problems(); !slices.Equal(p, wantProblems) {
		t.Errorf("Problems() =\n%q\nwant\n%q", p, wantProblems)
	}
	for _, p := range wantProblems {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("Error() lacks %q:\n%s", p, err)
		}
	}
	// Scalars: nil and [] are the same shape.
	if err := Match([]Tensor{{Name: "s"}}, []Tensor{{Name: "s", Shape: []int{}}}); err != nil {
		t.Errorf("Match(scalar) = %v", err)
	}
	if err := Match([]Tensor{{Name: "a"}, {Name: "a"}}, []Tensor{{Name: "a"}}); err == nil {
		t.Error("Match with a duplicate wanted name succeeded")
	}
}

// goodFiles are the well-formed seeds saved under testdata/.
func goodFiles() map[string][]byte {
	return map[string][]byte{
		"good_mixed.safetensors":  file(mixedHeader, mixedData...),
		"good_writer.safetensors": writerGolden,
		"good_empty.safetensors":  file(`{}      `),
	}
}

// TestTestdata keeps testdata/ in step with the hand-built cases (go test -update rewrites
// it) and reads every file there.
func TestTestdata(t *testing.T) {
	files := goodFiles()
	for _, c := range badCases {
		if c.size == 0 {
			files["bad_"+c.name+".safetensors"] = c.file
		}
	}
	for name, want := range files {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%v (run go test -update)", err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from its hand-built case (run go test -update)", path)
		}
	}
	paths, _ := filepath.Glob("testdata/*.safetensors")
	for _, p := range paths {
		_, _, err := LoadFile(p)
		if good := strings.HasPrefix(filepath.Base(p), "good_"); good != (err == nil) {
			t.Errorf("LoadFile(%s) error = %v", p, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.safetensors")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, int64(0))
	}
	f.Fuzz(func(t *testing.T, b []byte, extra int64) {
		size := int64(len(b))
		if extra > 0 && extra < 1<<40 { // a size larger than the stream: truncation paths
			size += extra
		}
		ts, meta, err := Read(bytes.NewReader(b), size)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v does not match ErrFormat", err)
			}
			return
		}
		if size != int64(len(b)) {
			t.Fatalf("Read succeeded on a stream of %d bytes announced as %d", len(b), size)
		}
		// Whatever reads must write and read back identically (as F32). Write refuses
		// empty names, which the format allows.
		for _, tt := range ts {
			if tt.Name == "" {
				return
			}
		}
		var w bytes.Buffer
		if err := Write(&w, ts, meta); err != nil {
			t.Fatalf("Write after Read: %v", err)
		}
		ts2, meta2, err := Read(bytes.NewReader(w.Bytes()), int64(w.Len()))
		if err != nil {
			t.Fatalf("re-Read: %v", err)
		}
		if msg := sameTensors(ts2, ts); msg != "" {
			t.Fatal(msg)
		}
		if len(meta2) != len(meta) {
			t.Fatalf("metadata %q became %q", meta, meta2)
		}
	})
}
