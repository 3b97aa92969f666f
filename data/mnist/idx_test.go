package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the hand-made IDX files in testdata/")

// goodIDX is testdata/good.idx: dims [2 3 4], data 0, 1, …, 23.
func goodIDX() *IDX {
	x := &IDX{Dims: []int{2, 3, 4}, Data: make([]uint8, 24)}
	for i := range x.Data {
		x.Data[i] = uint8(i)
	}
	return x
}

func encode(t testing.TB, x *IDX) []byte {
	var b bytes.Buffer
	if err := WriteIDX(&b, x); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gz(t testing.TB, p []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(p)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func header(typ byte, dims ...uint32) []byte {
	b := []byte{0, 0, typ, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return b
}

// testFiles are the hand-made files of testdata/, built here so that -update can rewrite
// them and TestTestdataUpToDate can check them.
func testFiles(t testing.TB) map[string][]byte {
	good := encode(t, goodIDX())
	labels := encode(t, &IDX{Dims: []int{5}, Data: []uint8{5, 0, 4, 1, 9}})
	return map[string][]byte{
		"good.idx":         good,
		"labels.idx":       labels,
		"good.idx.gz":      gz(t, good),
		"badmagic.idx":     append([]byte{1, 2, 8, 1, 0, 0, 0, 1}, 7),
		"unknowntype.idx":  append(header(0x07, 1), 7),
		"float.idx":        append(header(TypeFloat32, 1), 0x3f, 0x80, 0, 0),
		"truncheader.idx":  header(TypeUint8, 2, 3, 4)[:9],
		"truncdata.idx":    good[:len(good)-5],
		"truncdata.idx.gz": gz(t, good[:len(good)-5]),
		"truncgzip.idx.gz": gz(t, good)[:20],
		"zerodims.idx":     header(TypeUint8),
		"zerodim.idx":      append(header(TypeUint8, 3, 0), 1, 2, 3),
		"absurd.idx":       header(TypeUint8, 65536, 65536, 1),              // 2^32 elements
		"maxdims.idx":      append(header(TypeUint8, 1<<30, 2), 1, 2, 3, 4), // 2^31: allowed, but 4 bytes present
		"overflow.idx":     header(TypeUint8, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff),
		"empty.idx":        {},
	}
}

func TestTestdataUpToDate(t *testing.T) {
	for name, want := range testFiles(t) {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -run TestTestdataUpToDate -update)", err)
		}
		if name != "good.idx.gz" && name != "truncdata.idx.gz" && name != "truncgzip.idx.gz" && !bytes.Equal(got, want) {
			t.Errorf("%s differs from what testFiles builds; run with -update", path)
		}
	}
}

func TestReadIDX(t *testing.T) {
	var unsupported *UnsupportedTypeError
	var trunc *TruncatedError
	tests := []struct {
		file   string
		dims   []int
		is     error // errors.Is target, or nil for success
		as     any   // errors.As target, or nil
		substr string
	}{
		{file: "good.idx", dims: []int{2, 3, 4}},
		{file: "good.idx.gz", dims: []int{2, 3, 4}},
		{file: "labels.idx", dims: []int{5}},
		{file: "badmagic.idx", is: ErrBadMagic, substr: "01 02 08 01"},
		{file: "unknowntype.idx", is: ErrBadMagic},
		{file: "float.idx", as: &unsupported, substr: "0x0D (float)"},
		{file: "truncheader.idx", is: io.ErrUnexpectedEOF, as: &trunc, substr: "truncated header after 9 of 16 bytes"},
		{file: "truncdata.idx", is: io.ErrUnexpectedEOF, as: &trunc, substr: "truncated after 35 of 40 bytes"},
		{file: "truncdata.idx.gz", is: io.ErrUnexpectedEOF, as: &trunc, substr: "truncated after 35 of 40 bytes"},
		{file: "truncgzip.idx.gz", is: io.ErrUnexpectedEOF},
		{file: "zerodims.idx", is: ErrBadDims, substr: "zero dimensions"},
		{file: "zerodim.idx", is: ErrBadDims, substr: "dimension 1 of [3 0] is 0"},
		{file: "absurd.idx", is: ErrBadDims, substr: "[65536 65536 1] has more than 2147483648 elements"},
		{file: "overflow.idx", is: ErrBadDims},
		{file: "maxdims.idx", is: io.ErrUnexpectedEOF, substr: "truncated after 16 of 2147483660 bytes"},
		{file: "empty.idx", is: io.ErrUnexpectedEOF, substr: "truncated header after 0 of 4 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			x, err := ReadIDX(f)
			if tt.is == nil && tt.as == nil {
				if err != nil {
					t.Fatal(err)
				}
				if !equalInts(x.Dims, tt.dims) {
					t.Fatalf("dims %v, want %v", x.Dims, tt.dims)
				}
				if tt.file != "labels.idx" && !bytes.Equal(x.Data, goodIDX().Data) {
					t.Fatalf("data %v, want %v", x.Data, goodIDX().Data)
				}
				return
			}
			if err == nil || x != nil {
				t.Fatalf("got %v, %v; want an error", x, err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %v", err, tt.is)
			}
			if tt.as != nil && !errors.As(err, tt.as) {
				t.Errorf("error %q (%T) is not a %T", err, err, tt.as)
			}
			if !strings.Contains(err.Error(), tt.substr) {
				t.Errorf("error %q does not contain %q", err, tt.substr)
			}
		})
	}
	if unsupported != nil && unsupported.Code != TypeFloat32 {
		t.Errorf("UnsupportedTypeError.Code = %#x", unsupported.Code)
	}
}

// A header claiming 2^31 bytes on a 20-byte file must not allocate 2 GB.
func TestReadIDXAllocatesWhatIsRead(t *testing.T) {
	in := append(header(TypeUint8, 1<<30, 2), 1, 2, 3, 4)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ReadIDX(bytes.NewReader(in))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want unexpected EOF", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 4<<20 {
		t.Errorf("allocated %d bytes for a %d-byte input", got, len(in))
	}
}

func TestReadIDXChunks(t *testing.T) {
	// More than one read chunk, through a reader that returns a few bytes at a time.
	x := &IDX{Dims: []int{3, readChunk/2 + 7}, Data: make([]uint8, 3*(readChunk/2+7))}
	for i := range x.Data {
		x.Data[i] = uint8(i * 7)
	}
	enc := encode(t, x)
	for _, in := range [][]byte{enc, gz(t, enc)} {
		got, err := ReadIDX(io.LimitReader(&slowReader{bytes.NewReader(in)}, int64(len(in))))
		if err != nil {
			t.Fatal(err)
		}
		if !equalInts(got.Dims, x.Dims) || !bytes.Equal(got.Data, x.Data) {
			t.Fatal("round trip through ReadIDX changed the data")
		}
		if cap(got.Data) != len(got.Data) {
			t.Errorf("cap %d for %d bytes", cap(got.Data), len(got.Data))
		}
	}
	_, err := ReadIDX(bytes.NewReader(enc[:len(enc)-1]))
	var trunc *TruncatedError
	if !errors.As(err, &trunc) || trunc.Read != int64(len(enc)-1) || trunc.Want != int64(len(enc)) {
		t.Errorf("err = %v, want truncated after %d of %d", err, len(enc)-1, len(enc))
	}
}

type slowReader struct{ r io.Reader }

func (s *slowReader) Read(p []byte) (int, error) { return s.r.Read(p[:min(len(p), 4093)]) }

func TestReadIDXGzipChecksum(t *testing.T) {
	z := gz(t, encode(t, goodIDX()))
	z[len(z)-8] ^= 0xff // CRC-32 in the trailer
	if _, err := ReadIDX(bytes.NewReader(z)); !errors.Is(err, gzip.ErrChecksum) {
		t.Errorf("err = %v, want %v", err, gzip.ErrChecksum)
	}
}

func TestWriteIDXErrors(t *testing.T) {
	for _, x := range []*IDX{
		{Dims: nil, Data: nil},
		{Dims: []int{0}, Data: nil},
		{Dims: []int{2, 2}, Data: []uint8{1, 2, 3}},
		{Dims: []int{1 << 16, 1 << 16}},
	} {
		if err := WriteIDX(io.Discard, x); err == nil {
			t.Errorf("WriteIDX(%v, %d bytes) succeeded", x.Dims, len(x.Data))
		}
	}
}

func FuzzReadIDX(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds in testdata/: %v", err)
	}
	for _, name := range files {
		p, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		x, err := ReadIDX(bytes.NewReader(in))
		if err != nil {
			if x != nil {
				t.Fatalf("result %v with error %v", x, err)
			}
			var u *UnsupportedTypeError
			var tr *TruncatedError
			switch {
			case errors.Is(err, ErrBadMagic), errors.Is(err, ErrBadDims), errors.As(err, &u):
			case errors.As(err, &tr):
				if !errors.Is(err, io.ErrUnexpectedEOF) || tr.Read >= tr.Want {
					t.Fatalf("inconsistent %#v", tr)
				}
			case len(in) >= 2 && in[0] == 0x1f && in[1] == 0x8b:
				// gzip's own errors (corrupt stream, checksum, truncated trailer)
			default:
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		n := 1
		for _, d := range x.Dims {
			if d <= 0 {
				t.Fatalf("dims %v", x.Dims)
			}
			n *= d
		}
		if len(x.Dims) == 0 || n > MaxElements || len(x.Data) != n {
			t.Fatalf("dims %v with %d bytes", x.Dims, len(x.Data))
		}
		// What was read writes back to the same bytes (a prefix of plain input).
		enc := encode(t, x)
		if !(len(in) >= 2 && in[0] == 0x1f && in[1] == 0x8b) && !bytes.HasPrefix(in, enc) {
			t.Fatalf("re-encoding differs from input")
		}
		y, err := ReadIDX(bytes.NewReader(enc))
		if err != nil || !equalInts(x.Dims, y.Dims) || !bytes.Equal(x.Data, y.Data) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
