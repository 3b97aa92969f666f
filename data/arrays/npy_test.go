package arrays

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"fugo/tensor"
)

var update = flag.Bool("update", false, "rewrite the fugo-made files under testdata/")

var inf = float32(math.Inf(1))

// npyFile assembles a .npy file by hand, independent of WriteNPY: magic, version,
// header length (2 bytes for v1, 4 for v2/v3), header, data.
func npyFile(major byte, header string, data ...byte) []byte {
	b := append([]byte("\x93NUMPY"), major, 0)
	n := len(header)
	b = append(b, byte(n), byte(n>>8))
	if major != 1 {
		b = append(b, byte(n>>16), byte(n>>24))
	}
	return append(append(b, header...), data...)
}

// sameBits compares shapes and data bit for bit.
func sameBits(got, want *tensor.Tensor) error {
	if !slices.Equal(got.Shape, want.Shape) || len(got.Data) != len(want.Data) {
		return fmt.Errorf("got %v, want %v", got, want)
	}
	for i := range got.Data {
		if math.Float32bits(got.Data[i]) != math.Float32bits(want.Data[i]) {
			return fmt.Errorf("element %d: got %g (%#x), want %g (%#x)", i, got.Data[i],
				math.Float32bits(got.Data[i]), want.Data[i], math.Float32bits(want.Data[i]))
		}
	}
	return nil
}

func f4x23() *tensor.Tensor {
	return tensor.FromSlice([]float32{1, -2.5, 3e-5, inf, float32(math.Copysign(0, -1)), 7}, 2, 3)
}

// TestReadNPYNumPy reads the files made by real NumPy (testdata/make_numpy.py).
func TestReadNPYNumPy(t *testing.T) {
	f8 := make([]float32, 24)
	for i := range f8 {
		f8[i] = float32(float64(i) / 7)
	}
	cases := []struct {
		file string
		want *tensor.Tensor
	}{
		{"np_f4_2x3.npy", f4x23()},
		{"np_f8_2x3x4.npy", tensor.FromSlice(f8, 2, 3, 4)},
		{"np_u1_5.npy", tensor.FromSlice([]float32{0, 1, 127, 128, 255}, 5)},
		{"np_i4_1x3.npy", tensor.FromSlice([]float32{-2147483648, 0, 2147483648}, 1, 3)},
		{"np_i8_scalar.npy", tensor.FromSlice([]float32{-5})},
		{"np_f4_0x3.npy", tensor.FromSlice([]float32{}, 0, 3)},
		{"np_f4_v2.npy", tensor.FromSlice([]float32{1.5, 2.5}, 2)},
		{"np_f4_v3.npy", tensor.FromSlice([]float32{1.5, 2.5}, 2)},
	}
	for _, c := range cases {
		got, err := LoadFile(filepath.Join("testdata", c.file))
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		if err := sameBits(got, c.want); err != nil {
			t.Errorf("%s: %v", c.file, err)
		}
	}
	bad := []struct{ file, want string }{
		{"bad_np_fortran_2x3.npy", "fortran_order True"},
		{"bad_np_bigendian.npy", `unsupported dtype ">f4"`},
		{"bad_np_bool.npy", `unsupported dtype "|b1"`},
	}
	for _, c := range bad {
		path := filepath.Join("testdata", c.file)
		_, err := LoadFile(path)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming the file and containing %q", c.file, err, c.want)
		}
	}
}

// TestWriteNPYMatchesNumPy: for small headers WriteNPY writes exactly NumPy 1.24's bytes.
func TestWriteNPYMatchesNumPy(t *testing.T) {
	want, err := os.ReadFile("testdata/np_f4_2x3.npy")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteNPY(&b, f4x23()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("WriteNPY wrote\n%q\nNumPy wrote\n%q", b.Bytes(), want)
	}
}

func TestNPYHandMade(t *testing.T) {
	f4 := []byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0x40, 0x40} // 1, -2, 3
	cases := []struct {
		name string
		file []byte
		want *tensor.Tensor
	}{
		{"double_quotes_reordered", npyFile(1, `{"shape": (3,), "fortran_order": False, "descr": "<f4"}`+"\n", f4...),
			tensor.FromSlice([]float32{1, -2, 3}, 3)},
		{"spaces_no_trailing_comma", npyFile(1, "{ 'descr' : '<f4' ,'fortran_order':False,'shape':( 1 , 3 , ) }  \t\r\n", f4...),
			tensor.FromSlice([]float32{1, -2, 3}, 1, 3)},
		{"fortran_vector", npyFile(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 3, 1), }\n", f4...),
			tensor.FromSlice([]float32{1, -2, 3}, 1, 3, 1)},
		{"v2_scalar", npyFile(2, "{'descr': '|u1', 'fortran_order': False, 'shape': (), }\n", 200),
			tensor.FromSlice([]float32{200})},
		{"trailing_bytes_ignored", npyFile(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }\n", 7, 8, 9),
			tensor.FromSlice([]float32{7}, 1)},
	}
	for _, c := range cases {
		got, err := ReadNPY(bytes.NewReader(c.file))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if err := sameBits(got, c.want); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

const okDict = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }\n"

type npyBad struct {
	name string
	file []byte
	want string
	eof  bool
}

var npyBadCases = []npyBad{
	{"empty", nil, "empty input", false},
	{"short_magic", []byte("\x93NUM"), "magic truncated after 4 of 8 bytes", true},
	{"bad_magic", []byte("\x93NUMPZ\x01\x00\x00\x00"), "bad magic", false},
	{"version_4", []byte("\x93NUMPY\x04\x00\x00\x00"), "unsupported format version 4.0", false},
	{"version_1_1", []byte("\x93NUMPY\x01\x01\x00\x00"), "unsupported format version 1.1", false},
	{"short_length", []byte("\x93NUMPY\x02\x00\x10\x00"), "header length truncated after 2 of 4 bytes", true},
	{"header_over_cap", []byte("\x93NUMPY\x02\x00\x00\x00\x00\x80"), "exceeds the limit", false},
	{"short_header", npyFile(1, "{'descr': '<f4'")[:20], "header truncated after 10 of 15 bytes", true},
	{"not_dict", npyFile(1, "['descr']\n"), "expected '{'", false},
	{"no_shape", npyFile(1, "{'descr': '<f4', 'fortran_order': False}\n"), `no "shape"`, false},
	{"extra_key", npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': 1}\n"), `unexpected key "x"`, false},
	{"duplicate_key", npyFile(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': ()}\n"), `duplicate key "descr"`, false},
	{"bad_bool", npyFile(1, "{'descr': '<f4', 'fortran_order': false, 'shape': ()}\n"), "expected True or False", false},
	{"descr_not_string", npyFile(1, "{'descr': 4, 'fortran_order': False, 'shape': ()}\n"), "expected a string", false},
	{"unterminated", npyFile(1, "{'descr: '<f4'}\n"), "expected ':'", false},
	{"unterminated_end", npyFile(1, "{'descr"), "unterminated string", false},
	{"escape", npyFile(1, "{'de\\scr': '<f4'}\n"), "unsupported character", false},
	{"missing_comma", npyFile(1, "{'descr': '<f4' 'fortran_order': False, 'shape': ()}\n"), "expected ',' or '}'", false},
	{"after_dict", npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': ()} x\n"), "after the header dict", false},
	{"shape_not_tuple", npyFile(1, fmt.Sprintf(okDict, "(3)")), "not a tuple", false},
	{"shape_list", npyFile(1, fmt.Sprintf(okDict, "[3]")), "expected '('", false},
	{"shape_negative", npyFile(1, fmt.Sprintf(okDict, "(-3,)")), "non-negative integer", false},
	{"shape_float", npyFile(1, fmt.Sprintf(okDict, "(3.0,)")), "expected ',' or ')'", false},
	{"shape_double_comma", npyFile(1, fmt.Sprintf(okDict, "(3,,)")), "non-negative integer", false},
	{"shape_huge_dim", npyFile(1, fmt.Sprintf(okDict, "(99999999999999999999999,)")), "out of range", false},
	{"shape_overflow", npyFile(1, fmt.Sprintf(okDict, "(4294967296, 4294967296)")), "element count overflows", false},
	{"shape_zero_huge", npyFile(1, fmt.Sprintf(okDict, "(0, 18446744073709551615)")), "dimension too large", false},
	{"dtype", npyFile(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (), }\n"), `unsupported dtype "<f2"`, false},
	{"fortran", npyFile(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }\n"), "fortran_order True", false},
	{"truncated_data", npyFile(1, fmt.Sprintf(okDict, "(2, 3)"), 1, 2, 3, 4, 5), "data truncated after 5 of 24 bytes", true},
	{"huge_shape_tiny_data", npyFile(1, fmt.Sprintf(okDict, "(1000000, 1000000)"), 1, 2, 3, 4), "data truncated after 4 of 4000000000000 bytes", true},
	{"bad_utf8_v3", npyFile(3, "{'descr': '<f4\xff', 'fortran_order': False, 'shape': (), }\n"), "not valid UTF-8", false},
}

func TestReadNPYBroken(t *testing.T) {
	for _, c := range npyBadCases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReadNPY(bytes.NewReader(c.file))
			if err == nil {
				t.Fatalf("ReadNPY succeeded: %v", got)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
			if eof := errors.Is(err, io.ErrUnexpectedEOF); eof != c.eof {
				t.Errorf("errors.Is(%q, io.ErrUnexpectedEOF) = %v, want %v", err, eof, c.eof)
			}
		})
	}
}

// A header that claims far more data than the stream holds must not allocate it.
func TestReadNPYNoHugeAllocation(t *testing.T) {
	f := npyFile(1, fmt.Sprintf(okDict, "(1000000, 1000000)"), 1, 2, 3, 4)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ReadNPY(bytes.NewReader(f))
	runtime.ReadMemStats(&after)
	if allocs := after.TotalAlloc - before.TotalAlloc; allocs > 8<<20 {
		t.Errorf("ReadNPY of a 4-byte stream allocated %d bytes", allocs)
	}
}

func TestNPYRoundTrip(t *testing.T) {
	rng := tensor.NewRNG(2)
	big := tensor.New(100, 3, 101) // 121200 bytes: crosses the 64 KiB read chunk
	big.FillNormal(rng, 0, 1)
	special := []float32{0, float32(math.Copysign(0, -1)), inf, -inf, math.Float32frombits(0x7fc00001),
		math.Float32frombits(0xff800123), math.SmallestNonzeroFloat32, math.MaxFloat32}
	for _, x := range []*tensor.Tensor{
		big,
		tensor.FromSlice(special, 2, 2, 2),
		tensor.FromSlice([]float32{0.1}),
		tensor.New(0, 5),
		tensor.New(7),
		tensor.New(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2),
	} {
		var b bytes.Buffer
		if err := WriteNPY(&b, x); err != nil {
			t.Fatal(err)
		}
		if b.Len()%64 != len(x.Data)*4%64 || b.Bytes()[b.Len()-len(x.Data)*4-1] != '\n' {
			t.Errorf("shape %v: header not padded to 64 bytes with a final newline", x.Shape)
		}
		got, err := ReadNPY(&b)
		if err != nil {
			t.Fatalf("shape %v: %v", x.Shape, err)
		}
		if err := sameBits(got, x); err != nil {
			t.Errorf("shape %v: %v", x.Shape, err)
		}
	}
}

// TestNPYTestdata keeps the fugo-written and hand-built files of testdata/ in step with
// this test (go test -update rewrites them); make_numpy.py checks NumPy reads the former.
func TestNPYTestdata(t *testing.T) {
	files := map[string]*tensor.Tensor{
		"fugo_written.npy":        f4x23(),
		"fugo_written_scalar.npy": tensor.FromSlice([]float32{0.1}),
	}
	for name, x := range files {
		path := filepath.Join("testdata", name)
		if *update {
			if err := SaveFile(path, x); err != nil {
				t.Fatal(err)
			}
		}
		got, err := LoadFile(path)
		if err != nil {
			t.Errorf("%v (go test -update rewrites it)", err)
			continue
		}
		if err := sameBits(got, x); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
	for _, c := range npyBadCases {
		path := filepath.Join("testdata", "bad_"+c.name+".npy")
		if *update {
			if err := os.WriteFile(path, c.file, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		b, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(b, c.file) {
			t.Errorf("%s missing or stale (go test -update rewrites it): %v", path, err)
		}
	}
}

func FuzzReadNPY(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.npy")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := ReadNPY(bytes.NewReader(b))
		if err != nil {
			return
		}
		if tensor.Numel(x.Shape) != len(x.Data) {
			t.Fatalf("shape %v with %d values", x.Shape, len(x.Data))
		}
		var w bytes.Buffer
		if err := WriteNPY(&w, x); err != nil {
			t.Fatal(err)
		}
		y, err := ReadNPY(&w)
		if err != nil {
			t.Fatal(err)
		}
		if err := sameBits(y, x); err != nil {
			t.Fatal(err)
		}
	})
}
