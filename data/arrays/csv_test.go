package arrays

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fugo/tensor"
)

var csvGood = []struct {
	name, text string
	want       *tensor.Tensor
}{
	{"plain", "1,2,3\n4,5,6\n", tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)},
	{"header", "x,y\n1.5,-2\n3e-3,4\n", tensor.FromSlice([]float32{1.5, -2, 3e-3, 4}, 2, 2)},
	{"header_partly_numeric", "id,1,2\n7,8,9\n", tensor.FromSlice([]float32{7, 8, 9}, 1, 3)},
	{"pandas_index_header", ",a\n0,0.25\n", tensor.FromSlice([]float32{0, 0.25}, 1, 2)},
	{"bom_crlf_spaces_blank", "\uFEFF1, 2 \r\n\r\n 3 ,\"4\"\r\n", tensor.FromSlice([]float32{1, 2, 3, 4}, 2, 2)},
	{"no_final_newline", "1\n2", tensor.FromSlice([]float32{1, 2}, 2, 1)},
	{"special", "NaN,+Inf,-inf,-0,1e-45,3.4028235e38\n", tensor.FromSlice([]float32{float32(math.NaN()), inf, -inf,
		float32(math.Copysign(0, -1)), math.SmallestNonzeroFloat32, math.MaxFloat32}, 1, 6)},
	{"underflow_rounds", "1e-60\n", tensor.FromSlice([]float32{0}, 1, 1)},
	{"empty", "", tensor.FromSlice([]float32{}, 0, 0)},
	{"header_only", "a,b,c\n", tensor.FromSlice([]float32{}, 0, 3)},
}

var csvBad = []struct{ name, text, want string }{
	{"not_a_number", "1,2\n3,4\n5,abc\n", `line 3, column 2: "abc" is not a number`},
	{"not_a_number_after_header", "a,b\n1,2\n3,x\n", `line 3, column 2: "x" is not a number`},
	{"ragged_long", "1,2\n3,4,5\n", "line 2: 3 fields, want 2 as on line 1"},
	{"ragged_short", "a,b,c\n\n1,2\n", "line 3: 2 fields, want 3 as on line 1"},
	{"empty_field", "1,2\n3,\n", "line 2, column 2: empty field"},
	{"overflow", "1,2\n3,1e39\n", `line 2, column 2: "1e39" is out of the float32 range`},
	{"bare_quote", "1,2\n3,4\"\n", "line 2"},
	{"unterminated_quote", "1,\"2\n", "extraneous or missing \""},
}

func TestReadCSV(t *testing.T) {
	for _, c := range csvGood {
		got, err := ReadCSV(strings.NewReader(c.text))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if err := sameBits(got, c.want); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestReadCSVBroken(t *testing.T) {
	for _, c := range csvBad {
		got, err := ReadCSV(strings.NewReader(c.text))
		if err == nil {
			t.Errorf("%s: ReadCSV succeeded: %v", c.name, got)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not contain %q", c.name, err, c.want)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	var b bytes.Buffer
	x := tensor.FromSlice([]float32{0.1, -2, 1e-45, inf, float32(math.NaN()), 16777216, 1.0 / 3, float32(math.Copysign(0, -1))}, 2, 4)
	if err := WriteCSV(&b, x); err != nil {
		t.Fatal(err)
	}
	want := "0.1,-2,1e-45,+Inf\nNaN,1.6777216e+07,0.33333334,-0\n"
	if b.String() != want {
		t.Errorf("WriteCSV wrote %q, want %q", b.String(), want)
	}
	for _, bad := range []*tensor.Tensor{tensor.New(3), tensor.New(1, 2, 3), tensor.New(2, 0)} {
		if err := WriteCSV(&b, bad); err == nil {
			t.Errorf("WriteCSV(shape %v) succeeded", bad.Shape)
		}
	}
}

func TestCSVRoundTrip(t *testing.T) {
	x := tensor.New(50, 7)
	x.FillNormal(tensor.NewRNG(3), 0, 100)
	x.Data[0], x.Data[1], x.Data[2] = math.MaxFloat32, math.SmallestNonzeroFloat32, float32(math.Copysign(0, -1))
	path := filepath.Join(t.TempDir(), "m.CSV")
	if err := SaveFile(path, x); err != nil {
		t.Fatal(err)
	}
	got, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := sameBits(got, x); err != nil {
		t.Error(err)
	}
}

func TestFileHelpers(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.txt", "noext"} {
		p := filepath.Join(dir, name)
		if err := SaveFile(p, tensor.New(1, 1)); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("SaveFile(%s) error = %v", name, err)
		}
		if _, err := LoadFile(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("LoadFile(%s) error = %v", name, err)
		}
	}
	missing := filepath.Join(dir, "missing.npy")
	if _, err := LoadFile(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("LoadFile(missing) error = %v", err)
	}
	// A failed save (rank 3 as CSV) leaves the old file and no temporary.
	p := filepath.Join(dir, "m.csv")
	if err := SaveFile(p, tensor.FromSlice([]float32{1, 2}, 1, 2)); err != nil {
		t.Fatal(err)
	}
	if err := SaveFile(p, tensor.New(1, 1, 1)); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("SaveFile(rank 3 as CSV) error = %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "1,2\n" {
		t.Errorf("after failed save the file holds %q", b)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("1\nx\n"), 0o644)
	if _, err := LoadFile(bad); err == nil || !strings.Contains(err.Error(), bad+": csv: line 2, column 1") {
		t.Errorf("LoadFile(bad) error = %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("directory holds %d entries, want 2 (temporary file left behind?)", len(entries))
	}
}

// TestCSVTestdata keeps testdata/*.csv (the fuzz seeds) in step with the tables above.
func TestCSVTestdata(t *testing.T) {
	files := map[string]string{}
	for _, c := range csvGood {
		files["good_"+c.name+".csv"] = c.text
	}
	for _, c := range csvBad {
		files["bad_"+c.name+".csv"] = c.text
	}
	for name, text := range files {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		b, err := os.ReadFile(path)
		if err != nil || string(b) != text {
			t.Errorf("%s missing or stale (go test -update rewrites it): %v", path, err)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.csv")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := ReadCSV(bytes.NewReader(b))
		if err != nil {
			return
		}
		if len(x.Shape) != 2 || x.Shape[0]*x.Shape[1] != len(x.Data) {
			t.Fatalf("shape %v with %d values", x.Shape, len(x.Data))
		}
		if x.Shape[0] == 0 {
			return // a header alone does not survive WriteCSV
		}
		var w bytes.Buffer
		if err := WriteCSV(&w, x); err != nil {
			t.Fatal(err)
		}
		y, err := ReadCSV(&w)
		if err != nil {
			t.Fatalf("re-read %q: %v", w.String(), err)
		}
		for i := range x.Data { // NaN payloads are not kept by text
			if a, b := x.Data[i], y.Data[i]; math.Float32bits(a) != math.Float32bits(b) && !(a != a && b != b) {
				t.Fatalf("element %d: %g became %g", i, a, b)
			}
		}
		if !slices.Equal(x.Shape, y.Shape) {
			t.Fatalf("shape %v became %v", x.Shape, y.Shape)
		}
	})
}
