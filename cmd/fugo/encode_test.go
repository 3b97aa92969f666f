package main

import (
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fugo/data/arrays"
	"fugo/data/images"
	"fugo/data/mnist"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

// trainTinyVAE trains a VAE for one epoch on a tiny random data set and returns the data
// and model folders.
func trainTinyVAE(t *testing.T) (data, model string) {
	t.Helper()
	data = writeTinyMNIST(t, 64, 16)
	model = filepath.Join(t.TempDir(), "vae")
	if code, _, stderr := runFugo(t, "train", "vae", "--data", data, "--epochs", "1", "--batch", "32", "-q", "--grid", "quantile:2", "--out", model); code != 0 {
		t.Fatalf("train: exit %d: %s", code, stderr)
	}
	return data, model
}

func loadVAE(t *testing.T, dir string) *zoo.VAE {
	t.Helper()
	m, err := zoo.Load(dir, tensor.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	return m.(*zoo.VAE)
}

// fugo encode gives the encoder's z_mean for every kind of input, and decode and sample
// write image grids of the decoder's outputs.
func TestEncodeDecodeSample(t *testing.T) {
	data, model := trainTinyVAE(t)
	vae := loadVAE(t, model)
	testSet, err := mnist.LoadSplit(data, mnist.TestImages, mnist.TestLabels)
	if err != nil {
		t.Fatal(err)
	}
	want := train.Predict(vae.EncodeMean, testSet.Images, 5)
	tmp := t.TempDir()

	// IDX → .npy
	codes := filepath.Join(tmp, "codes.npy")
	if code, out, stderr := runFugo(t, "encode", "--model", model, "--out", codes, filepath.Join(data, mnist.TestImages)); code != 0 || !strings.Contains(out, "encoded 16 inputs") {
		t.Fatalf("encode: exit %d: %s %s", code, out, stderr)
	}
	got, err := arrays.LoadFile(codes)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Shape, []int{16, 2}) || !slices.Equal(got.Data, want.Data) {
		t.Fatalf("codes %v differ from EncodeMean's", got.Shape)
	}

	// .npy and .csv inputs, concatenated → .csv
	x := filepath.Join(tmp, "x.npy")
	if err := arrays.SaveFile(x, testSet.Images.RowSlice(0, 3)); err != nil {
		t.Fatal(err)
	}
	xc := filepath.Join(tmp, "x.csv")
	if err := arrays.SaveFile(xc, testSet.Images.RowSlice(3, 5)); err != nil {
		t.Fatal(err)
	}
	codesCSV := filepath.Join(tmp, "codes.csv")
	if code, _, stderr := runFugo(t, "encode", "--model", model, "--out", codesCSV, x, xc); code != 0 {
		t.Fatalf("encode npy csv: exit %d: %s", code, stderr)
	}
	got, err = arrays.LoadFile(codesCSV)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Shape, []int{5, 2}) || !slices.Equal(got.Data, want.Data[:10]) {
		t.Errorf("codes of .npy + .csv inputs: %v, want %v", got.Data, want.Data[:10])
	}

	// A folder of PNGs: the digits saved as 8-bit grey images come back exactly.
	pngs := filepath.Join(tmp, "pngs")
	os.Mkdir(pngs, 0o755)
	for i := range 4 {
		img := tensor.FromSlice(testSet.Images.Data[i*784:(i+1)*784], 28, 28, 1)
		if err := images.Save(filepath.Join(pngs, "d"+string(rune('0'+i))+".png"), img); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, stderr := runFugo(t, "encode", "--model", model, "--out", codes, pngs); code != 0 {
		t.Fatalf("encode pngs: exit %d: %s", code, stderr)
	}
	got, _ = arrays.LoadFile(codes)
	if !slices.Equal(got.Data, want.Data[:8]) {
		t.Errorf("codes of PNG inputs: %v, want %v", got.Data, want.Data[:8])
	}

	// decode → PNG grid of 16 digits, 4×4 at scale 2 with 2-pixel gaps; → .npy exactly.
	grid := filepath.Join(tmp, "decoded.png")
	if code, _, stderr := runFugo(t, "decode", "--model", model, "--out", grid, codes); code != 0 {
		t.Fatalf("decode: exit %d: %s", code, stderr)
	}
	checkGridPNG(t, grid, 2*(2*28)+2, 2*(2*28)+2) // 4 codes: 2×2 grid
	dec := filepath.Join(tmp, "decoded.npy")
	if code, _, stderr := runFugo(t, "decode", "--model", model, "--out", dec, codes); code != 0 {
		t.Fatalf("decode npy: exit %d: %s", code, stderr)
	}
	gotDec, _ := arrays.LoadFile(dec)
	if wantDec := train.Predict(vae.Decode, got, 4); !slices.Equal(gotDec.Data, wantDec.Data) {
		t.Error("decode .npy differs from Decode")
	}

	// sample: 64 digits, 8×8; the same seed gives the same samples, another seed others.
	samples := filepath.Join(tmp, "samples.png")
	if code, _, stderr := runFugo(t, "sample", "--model", model, "-n", "64", "--out", samples); code != 0 {
		t.Fatalf("sample: exit %d: %s", code, stderr)
	}
	checkGridPNG(t, samples, 8*56+7*2, 8*56+7*2)
	s1, s2, s3 := filepath.Join(tmp, "s1.npy"), filepath.Join(tmp, "s2.npy"), filepath.Join(tmp, "s3.npy")
	runFugo(t, "sample", "--model", model, "-n", "5", "--out", s1)
	runFugo(t, "sample", "--model", model, "-n", "5", "--out", s2)
	runFugo(t, "sample", "--model", model, "-n", "5", "--seed", "2", "--out", s3)
	a1, e1 := arrays.LoadFile(s1)
	a2, _ := arrays.LoadFile(s2)
	a3, _ := arrays.LoadFile(s3)
	if e1 != nil || !slices.Equal(a1.Shape, []int{5, 784}) || !slices.Equal(a1.Data, a2.Data) || slices.Equal(a1.Data, a3.Data) {
		t.Errorf("sample .npy: err %v; same seed must repeat, another must differ", e1)
	}
}

func checkGridPNG(t *testing.T, path string, w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if cfg.Width != w || cfg.Height != h {
		t.Errorf("%s: %d×%d, want %d×%d", path, cfg.Width, cfg.Height, w, h)
	}
}
