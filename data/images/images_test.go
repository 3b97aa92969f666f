package images

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"fugo/assets"
	"fugo/tensor"
)

func checkRange(t *testing.T, x *tensor.Tensor) {
	t.Helper()
	for i, v := range x.Data {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("element %d = %v, outside [0, 1]", i, v)
		}
	}
}

// at returns channel c of pixel (x, y) of image n of an [N, H, W, C] batch.
func at(t *tensor.Tensor, n, y, x, c int) float32 {
	h, w, ch := t.Shape[1], t.Shape[2], t.Shape[3]
	return t.Data[((n*h+y)*w+x)*ch+c]
}

func TestLoadShippedIllustrations(t *testing.T) {
	for _, tc := range []struct {
		dir string
		n   int
	}{{"train", 3}, {"unseen", 6}} {
		fromFS, names, err := LoadFS(assets.Illust(), tc.dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if want := []int{tc.n, 64, 64, 3}; !tensor.SameShape(fromFS.Shape, want) {
			t.Fatalf("%s: shape %v, want %v", tc.dir, fromFS.Shape, want)
		}
		if len(names) != tc.n {
			t.Fatalf("%s: %d names", tc.dir, len(names))
		}
		checkRange(t, fromFS)
		for n := range tc.n {
			for _, p := range [][2]int{{0, 0}, {0, 63}, {63, 0}, {63, 63}} {
				for c := range 3 {
					if v := at(fromFS, n, p[0], p[1], c); v != 1 {
						t.Errorf("%s: transparent corner %v channel %d = %v, want white 1", names[n], p, c, v)
					}
				}
			}
			// The middle of every food is drawn: not all white.
			var sum float32
			for y := 16; y < 48; y++ {
				for x := 16; x < 48; x++ {
					sum += at(fromFS, n, y, x, 0) + at(fromFS, n, y, x, 1) + at(fromFS, n, y, x, 2)
				}
			}
			if mean := sum / (32 * 32 * 3); mean > 0.9 {
				t.Errorf("%s: centre mean %v: looks blank", names[n], mean)
			}
		}
		// The same files from disk give the same numbers.
		fromDisk, diskNames, err := LoadDir(filepath.Join("..", "..", "assets", "illust", tc.dir), Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range names {
			if filepath.Base(diskNames[i]) != filepath.Base(names[i]) {
				t.Errorf("order differs: %s vs %s", diskNames[i], names[i])
			}
		}
		if !slicesEqual(fromFS.Data, fromDisk.Data) {
			t.Errorf("%s: LoadFS and LoadDir disagree", tc.dir)
		}
	}
	train, names, _ := LoadFS(assets.Illust(), "train", Options{})
	if filepath.Base(names[0]) != "curry-rice-1f35b.png" {
		t.Errorf("first training image %s, want curry rice", names[0])
	}
	// An opaque pixel keeps its colour exactly: value = byte/255.
	files, _ := assets.IllustTrain()
	img, _, err := image.Decode(bytes.NewReader(files[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for y := 0; y < 64 && !found; y++ {
		for x := 0; x < 64 && !found; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if c.A != 255 {
				continue
			}
			found = true
			for ch, b := range []uint8{c.R, c.G, c.B} {
				if got, want := at(train, 0, y, x, ch), float32(b)/255; math.Abs(float64(got-want)) > 1e-6 {
					t.Errorf("opaque pixel (%d,%d) channel %d = %v, want %v", x, y, ch, got, want)
				}
			}
		}
	}
	if !found {
		t.Error("no opaque pixel in curry rice")
	}
}

func slicesEqual(a, b []float32) bool {
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

func decodeImage(t *testing.T, img image.Image, opt Options) *tensor.Tensor {
	t.Helper()
	x, err := Decode("test.png", bytes.NewReader(encodePNG(t, img)), opt)
	if err != nil {
		t.Fatal(err)
	}
	return x.Reshape(append([]int{1}, x.Shape...)...)
}

func TestResize(t *testing.T) {
	// 256×192, left half red, right half blue, opaque: stretched to 64×64.
	src := image.NewNRGBA(image.Rect(0, 0, 256, 192))
	for y := range 192 {
		for x := range 256 {
			c := color.NRGBA{255, 0, 0, 255}
			if x >= 128 {
				c = color.NRGBA{0, 0, 255, 255}
			}
			src.SetNRGBA(x, y, c)
		}
	}
	x := decodeImage(t, src, Options{})
	if want := []int{1, 64, 64, 3}; !tensor.SameShape(x.Shape, want) {
		t.Fatalf("shape %v, want %v", x.Shape, want)
	}
	checkRange(t, x)
	for _, y := range []int{0, 31, 63} {
		for _, tc := range []struct {
			x       int
			r, g, b float32
		}{{0, 1, 0, 0}, {29, 1, 0, 0}, {34, 0, 0, 1}, {63, 0, 0, 1}} {
			got := [3]float32{at(x, 0, y, tc.x, 0), at(x, 0, y, tc.x, 1), at(x, 0, y, tc.x, 2)}
			want := [3]float32{tc.r, tc.g, tc.b}
			for c := range 3 {
				if math.Abs(float64(got[c]-want[c])) > 1e-4 {
					t.Errorf("pixel (%d,%d) = %v, want %v", tc.x, y, got, want)
					break
				}
			}
		}
	}
	// Across the edge the colour blends: pixel 31 is mostly red, 32 mostly blue.
	if r, b := at(x, 0, 10, 31, 0), at(x, 0, 10, 31, 2); !(r > 0.5 && b < 0.5 && b > 0) {
		t.Errorf("edge pixel 31: r=%v b=%v, want a red-leaning blend", r, b)
	}

	// A one-pixel checkerboard shrunk 4× must average to grey (a proper low-pass
	// filter), not alias to black, white or stripes as point sampling would.
	cb := image.NewGray(image.Rect(0, 0, 256, 256))
	for i := range cb.Pix {
		if (i%256+i/256)%2 == 0 {
			cb.Pix[i] = 255
		}
	}
	g := decodeImage(t, cb, Options{Channels: 1})
	for i, v := range g.Data {
		if math.Abs(float64(v)-0.5) > 0.02 {
			t.Fatalf("checkerboard pixel %d = %v, want ≈ 0.5", i, v)
		}
	}

	// Upscaling and a non-square target.
	up := decodeImage(t, gradient(8, 6), Options{Width: 40, Height: 20})
	if want := []int{1, 20, 40, 3}; !tensor.SameShape(up.Shape, want) {
		t.Fatalf("shape %v, want %v", up.Shape, want)
	}
	checkRange(t, up)
}

func TestCompositeOntoWhite(t *testing.T) {
	// Straight (non-premultiplied) colour s, alpha α: out = α·s + (1 − α)·1.
	want := func(s, a uint8) float64 {
		al := float64(a) / 255
		return al*float64(s)/255 + (1 - al)
	}
	src := image.NewNRGBA(image.Rect(0, 0, 64, 64)) // all (0,0,0,0): transparent black
	half := color.NRGBA{200, 100, 50, 128}
	src.SetNRGBA(5, 7, half)
	src.SetNRGBA(6, 7, color.NRGBA{255, 0, 0, 0}) // transparent red: colour must not leak
	src.SetNRGBA(7, 7, color.NRGBA{10, 20, 30, 255})

	for _, opt := range []Options{{}, {Width: 64, Height: 64}} {
		x := decodeImage(t, src, opt)
		for c, s := range []uint8{half.R, half.G, half.B} {
			if got := float64(at(x, 0, 7, 5, c)); math.Abs(got-want(s, half.A)) > 1e-4 {
				t.Errorf("half-transparent channel %d = %.5f, want %.5f", c, got, want(s, half.A))
			}
		}
		for c := range 3 {
			if got := at(x, 0, 7, 6, c); got != 1 {
				t.Errorf("transparent red channel %d = %v, want 1", c, got)
			}
			if got := at(x, 0, 0, 0, c); got != 1 {
				t.Errorf("transparent black channel %d = %v, want 1", c, got)
			}
		}
		if got := at(x, 0, 7, 7, 2); got != 30.0/255 {
			t.Errorf("opaque pixel blue = %v, want %v", got, 30.0/255)
		}
	}
	// By hand for the first channel: α = 128/255 = 0.50196, s = 200/255 = 0.78431,
	// α·s + 1 − α = 0.39370 + 0.49804 = 0.89173.
	x := decodeImage(t, src, Options{})
	if got := at(x, 0, 7, 5, 0); math.Abs(float64(got)-0.89173) > 2e-4 {
		t.Errorf("red of (200,100,50,128) = %.5f, want 0.89173", got)
	}

	// The same through resizing: a uniform half-transparent 128×128 image shrinks to
	// the same uniform composited colour; a transparent-black one to pure white.
	big := image.NewNRGBA(image.Rect(0, 0, 128, 128))
	for i := 0; i < len(big.Pix); i += 4 {
		copy(big.Pix[i:], []uint8{half.R, half.G, half.B, half.A})
	}
	x = decodeImage(t, big, Options{})
	for i, v := range x.Data {
		if w := want([]uint8{half.R, half.G, half.B}[i%3], half.A); math.Abs(float64(v)-w) > 1e-3 {
			t.Fatalf("resized half-transparent element %d = %v, want %v", i, v, w)
		}
	}
	x = decodeImage(t, image.NewNRGBA(image.Rect(0, 0, 100, 90)), Options{})
	for i, v := range x.Data {
		if v != 1 {
			t.Fatalf("resized transparent element %d = %v, want 1", i, v)
		}
	}

	// A premultiplied *image.RGBA source (as some encoders keep it) gives the same.
	pm := image.NewRGBA(image.Rect(0, 0, 64, 64))
	pm.Set(5, 7, half) // Set converts to premultiplied
	x = decodeImage(t, pm, Options{})
	if got := float64(at(x, 0, 7, 5, 0)); math.Abs(got-want(half.R, half.A)) > 3e-3 {
		t.Errorf("premultiplied source red = %v, want %v", got, want(half.R, half.A))
	}
}

func TestGreyAndFormats(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for i := 0; i < len(src.Pix); i += 4 {
		copy(src.Pix[i:], []uint8{200, 100, 50, 255})
	}
	x := decodeImage(t, src, Options{Channels: 1})
	if want := []int{1, 64, 64, 1}; !tensor.SameShape(x.Shape, want) {
		t.Fatalf("shape %v, want %v", x.Shape, want)
	}
	want := (0.299*200 + 0.587*100 + 0.114*50) / 255
	if got := float64(x.Data[100]); math.Abs(got-want) > 1e-5 {
		t.Errorf("luminance %v, want %v", got, want)
	}

	// 8-bit grey PNG digits come back exactly.
	g := image.NewGray(image.Rect(0, 0, 28, 28))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 7)
	}
	x = decodeImage(t, g, Options{Width: 28, Height: 28, Channels: 1})
	for i, v := range x.Data {
		if v != float32(g.Pix[i])/255 {
			t.Fatalf("grey pixel %d = %v, want %v", i, v, float32(g.Pix[i])/255)
		}
	}

	// JPEG: a flat colour survives within JPEG's error.
	flat := image.NewRGBA(image.Rect(0, 0, 80, 80))
	for i := 0; i < len(flat.Pix); i += 4 {
		copy(flat.Pix[i:], []uint8{40, 160, 220, 255})
	}
	j, err := Decode("flat.jpg", bytes.NewReader(encodeJPEG(t, flat)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range j.Data {
		if w := []float32{40, 160, 220}[i%3] / 255; math.Abs(float64(v-w)) > 4.0/255 {
			t.Fatalf("jpeg element %d = %v, want ≈ %v", i, v, w)
		}
	}

	// Every good seed decodes.
	for _, name := range []string{"small.png", "small-gray16.png", "small-palette.png", "small.jpg"} {
		f, err := os.Open(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		x, err := Decode(name, f, Options{Width: 10, Height: 10})
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		checkRange(t, x)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	seeds := testdataFiles(t)
	for _, tc := range []struct {
		file string
		kind error
		also error // another error errors.Is must find, if any
		text string
	}{
		{"notimage.txt", ErrNotImage, nil, "not a PNG or JPEG image"},
		{"empty.png", ErrEmpty, nil, "zero-byte file"},
		{"huge-header.png", ErrTooLarge, nil, "100000×100000"},
		{"zero-size.png", ErrEmpty, nil, "0×0"},
		{"truncated.png", ErrCorrupt, nil, "not enough pixel data"},
		{"truncated.jpg", ErrCorrupt, nil, ""},
		{"bad-crc.png", ErrCorrupt, nil, "checksum"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			p := write(tc.file, seeds[tc.file])
			x, names, err := Load([]string{p}, Options{})
			if err == nil || x != nil || names != nil {
				t.Fatalf("got %v, %v, %v; want an error", x, names, err)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%T %v is not an *images.Error", err, err)
			}
			if e.File != p || !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not name %s", err, p)
			}
			if !errors.Is(err, tc.kind) || e.Kind != tc.kind {
				t.Errorf("error %q: kind %v, want %v", err, e.Kind, tc.kind)
			}
			if tc.also != nil && !errors.Is(err, tc.also) {
				t.Errorf("error %q does not wrap %v", err, tc.also)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("error %q does not say %q", err, tc.text)
			}
			t.Log(err)
		})
	}
	// Every truncation of a good PNG or JPEG is an error of the right kind, no panic.
	for _, name := range []string{"small.png", "small.jpg"} {
		good := seeds[name]
		for n := range len(good) {
			_, err := Decode(name, bytes.NewReader(good[:n]), Options{})
			var want error
			switch {
			case n == 0:
				want = ErrEmpty
			case n < 8 && name == "small.png", n < 2 && name == "small.jpg":
				want = ErrNotImage // too short to recognise the format
			default:
				want = ErrCorrupt
			}
			if !errors.Is(err, want) || !strings.Contains(fmt.Sprint(err), name) {
				t.Errorf("%s cut to %d bytes: %v, want %v", name, n, err, want)
			}
		}
		// A stream that ends early mid-read (not just short data) says unexpected EOF.
		_, err := Decode(name, io.MultiReader(bytes.NewReader(good[:len(good)/2]), errReader{io.ErrUnexpectedEOF}), Options{})
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, _, err := Load([]string{filepath.Join(dir, "missing.png")}, Options{})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "missing.png") {
		t.Errorf("missing file: %v", err)
	}
	// A limit set lower than the image.
	_, err = Decode("big.png", bytes.NewReader(encodePNG(t, gradient(100, 100))), Options{MaxPixels: 9999})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxPixels 9999 on 100×100: %v", err)
	}
	for _, opt := range []Options{{Width: -1}, {Channels: 2}, {MaxPixels: -5}, {Width: 1 << 20, Height: 1 << 20}} {
		if _, err := Decode("x.png", bytes.NewReader(seeds["small.png"]), opt); err == nil {
			t.Errorf("options %+v accepted", opt)
		}
	}
}

// TestHugeHeaderAllocatesLittle: a header claiming 10¹⁰ pixels (40 GB as RGBA) is
// refused from its dimensions alone.
func TestHugeHeaderAllocatesLittle(t *testing.T) {
	data := craftPNG(100000, 100000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Decode("huge.png", bytes.NewReader(data), Options{})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("allocated %d bytes, want < 1 MiB", n)
	} else {
		t.Logf("allocated %d bytes", n)
	}
	// image/png would allocate the whole 40 GB image before reading any pixel data,
	// so the header check is the only defence; count allocations too.
	allocs := testing.AllocsPerRun(20, func() {
		Decode("huge.png", bytes.NewReader(data), Options{})
	})
	if allocs > 100 {
		t.Errorf("%v allocations per refused decode", allocs)
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	seeds := testdataFiles(t)
	for name, data := range map[string][]byte{
		"b.png": seeds["small.png"], "a.JPG": seeds["small.jpg"], "notes.txt": []byte("hi"),
		"c.jpeg": seeds["small.jpg"], "README": nil,
	} {
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	os.Mkdir(filepath.Join(dir, "sub.png"), 0o755)
	x, names, err := LoadDir(dir, Options{Width: 8, Height: 8})
	if err != nil {
		t.Fatal(err)
	}
	var base []string
	for _, n := range names {
		base = append(base, filepath.Base(n))
	}
	if strings.Join(base, " ") != "a.JPG b.png c.jpeg" {
		t.Errorf("names %v, want [a.JPG b.png c.jpeg]", base)
	}
	if want := []int{3, 8, 8, 3}; !tensor.SameShape(x.Shape, want) {
		t.Errorf("shape %v, want %v", x.Shape, want)
	}

	// A broken file with an image extension stops the load and is named.
	os.WriteFile(filepath.Join(dir, "d.png"), []byte("not really"), 0o644)
	if _, _, err := LoadDir(dir, Options{}); !errors.Is(err, ErrNotImage) || !strings.Contains(err.Error(), "d.png") {
		t.Errorf("broken d.png: %v", err)
	}

	// No images at all.
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "notes.txt"), []byte("hi"), 0o644)
	if _, _, err := LoadDir(empty, Options{}); !errors.Is(err, ErrNoImages) || !strings.Contains(err.Error(), empty) {
		t.Errorf("folder without images: %v", err)
	}
	if _, _, err := LoadDir(filepath.Join(dir, "nope"), Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing folder: %v", err)
	}
}

func TestSaveRoundTrip(t *testing.T) {
	dir := t.TempDir()
	rgb := tensor.New(5, 7, 3)
	rng := tensor.NewRNG(1)
	rgb.FillUniform(rng, -0.2, 1.2) // out-of-range values are clamped
	rgb.Data[0] = float32(math.NaN())
	p := filepath.Join(dir, "out.png")
	if err := Save(p, rgb); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(p)
	back, err := Decode(p, f, Options{Width: 7, Height: 5})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range rgb.Data {
		w := min(max(v, 0), 1)
		if math.IsNaN(float64(v)) {
			w = 0
		}
		if math.Abs(float64(back.Data[i]-w)) > 0.5/255+1e-6 {
			t.Fatalf("element %d: saved %v, read back %v", i, v, back.Data[i])
		}
	}
	// Grey, as [H, W, 1] and as [H, W].
	grey := tensor.New(4, 6, 1)
	grey.FillUniform(rng, 0, 1)
	for _, g := range []*tensor.Tensor{grey, grey.Reshape(4, 6)} {
		if err := Save(p, g); err != nil {
			t.Fatal(err)
		}
		f, _ := os.Open(p)
		back, err := Decode(p, f, Options{Width: 6, Height: 4, Channels: 1})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range grey.Data {
			if math.Abs(float64(back.Data[i]-v)) > 0.5/255+1e-6 {
				t.Fatalf("grey element %d: saved %v, read back %v", i, v, back.Data[i])
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after saves, want 1 (no temporary files)", len(entries))
	}
	for _, bad := range []*tensor.Tensor{tensor.New(2, 2, 2), tensor.New(1, 2, 2, 3), tensor.New(0, 3, 3)} {
		if err := Save(filepath.Join(dir, "bad.png"), bad); err == nil {
			t.Errorf("shape %v saved", bad.Shape)
		}
	}
	if err := Save(filepath.Join(dir, "no", "such", "dir.png"), rgb); err == nil {
		t.Error("save into a missing directory succeeded")
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
