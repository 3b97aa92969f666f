package images

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"flag"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the files in testdata/")

// pngChunk returns one PNG chunk: length, type, data, CRC-32 of type and data.
func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	return b.Bytes()
}

// craftPNG returns a PNG signature and a well-formed IHDR (8-bit RGBA) claiming w×h
// pixels, followed by a tiny IDAT (one zlib-compressed zero byte) and IEND. Nothing
// near w·h pixels is present, so only a decoder that trusts the header allocates much.
func craftPNG(w, h uint32) []byte {
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // bit depth 8, colour type 6 (RGBA); compression, filter, interlace 0
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte{0})
	zw.Close()
	b := append([]byte(nil), pngSignature...)
	b = append(b, pngChunk("IHDR", ihdr[:])...)
	b = append(b, pngChunk("IDAT", z.Bytes())...)
	return append(b, pngChunk("IEND", nil)...)
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// gradient is a w×h NRGBA image with colour varying over x and y and alpha over x
// (fully transparent in column 0, opaque in the last column).
func gradient(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{
				R: uint8(255 * x / max(w-1, 1)), G: uint8(255 * y / max(h-1, 1)), B: 90,
				A: uint8(255 * x / max(w-1, 1)),
			})
		}
	}
	return img
}

// testdataFiles are the fuzz seeds and fixtures, made by code so they can be re-made.
func testdataFiles(t testing.TB) map[string][]byte {
	good := encodePNG(t, gradient(8, 6))
	g16 := image.NewGray16(image.Rect(0, 0, 5, 5))
	for i := range 25 {
		g16.SetGray16(i%5, i/5, color.Gray16{Y: uint16(i * 2700)})
	}
	pal := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{
		color.NRGBA{255, 0, 0, 255}, color.NRGBA{0, 0, 255, 128}, color.NRGBA{0, 0, 0, 0}})
	for i := range pal.Pix {
		pal.Pix[i] = uint8(i % 3)
	}
	jpg := encodeJPEG(t, gradient(16, 12))
	badCRC := bytes.Clone(good)
	badCRC[29] ^= 0xff // first byte of the IHDR CRC
	return map[string][]byte{
		"small.png":         good,
		"small-gray16.png":  encodePNG(t, g16),
		"small-palette.png": encodePNG(t, pal),
		"small.jpg":         jpg,
		"truncated.png":     good[:len(good)*3/5],
		"truncated.jpg":     jpg[:len(jpg)*3/5],
		"bad-crc.png":       badCRC,
		"notimage.txt":      []byte("This is a text file, not a picture.\n"),
		"empty.png":         {},
		"huge-header.png":   craftPNG(100000, 100000),
		"zero-size.png":     craftPNG(0, 0),
	}
}

// TestTestdata rewrites testdata/ with -update and otherwise checks every file is there.
func TestTestdata(t *testing.T) {
	for name, data := range testdataFiles(t) {
		p := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		} else if _, err := os.Stat(p); err != nil {
			t.Errorf("%v (run go test -run TestTestdata -update)", err)
		}
	}
}
