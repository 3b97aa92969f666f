package images

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to Decode: it must never panic, must answer with an
// *Error or a well-formed tensor, and must stay within a bounded amount of memory given
// the pixel limit (here 2¹⁶ source pixels, so at most a few MB for any input).
func FuzzDecode(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "*"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seeds in testdata: %v", err)
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(0))
		f.Add(b, uint8(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		opt := Options{Width: 12, Height: 9, Channels: 3, MaxPixels: 1 << 16}
		if mode%2 == 1 {
			opt.Channels = 1
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		x, err := Decode("fuzz.bin", bytes.NewReader(data), opt)
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; n > 32<<20 {
			t.Errorf("decoding %d bytes allocated %d bytes", len(data), n)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File != "fuzz.bin" || e.Kind == nil {
				t.Fatalf("error %T %v is not an *Error of a known kind naming the input", err, err)
			}
			return
		}
		if len(x.Shape) != 3 || x.Shape[0] != 9 || x.Shape[1] != 12 || x.Shape[2] != opt.Channels {
			t.Fatalf("shape %v", x.Shape)
		}
		for i, v := range x.Data {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("element %d = %v", i, v)
			}
		}
	})
}
