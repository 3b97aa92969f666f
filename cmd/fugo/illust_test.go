package main

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fugo/data/images"
	"fugo/tensor"
	"fugo/zoo"
)

// hugeHeaderPNG is a PNG signature and an IHDR chunk (with a correct CRC) claiming
// w×h 8-bit RGBA pixels, and nothing after it.
func hugeHeaderPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 17)
	copy(ihdr, "IHDR")
	binary.BigEndian.PutUint32(ihdr[4:], w)
	binary.BigEndian.PutUint32(ihdr[8:], h)
	ihdr[12], ihdr[13] = 8, 6 // bit depth 8, colour type RGBA
	binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(ihdr)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(ihdr))
	return b.Bytes()
}

// badImages writes the three broken inputs of issue 4 into dir and returns their paths
// with the words the error must contain.
func badImages(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string][]byte{
		"notes.png":  []byte("this is a text file, not a picture\n"),
		"empty.png":  nil,
		"huge.png":   hugeHeaderPNG(100000, 100000),
		"plain.jpeg": []byte("plain text again"),
	}
	want := map[string]string{}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		want[p] = map[string]string{"notes.png": images.ErrNotImage.Error(), "empty.png": images.ErrEmpty.Error(),
			"huge.png": images.ErrTooLarge.Error(), "plain.jpeg": images.ErrNotImage.Error()}[name]
	}
	return want
}

func TestTrainIllust(t *testing.T) {
	out := filepath.Join(t.TempDir(), "illust")
	code, stdout, stderr := runFugo(t, "train", "illust", "--epochs", "40", "--out", out, "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// Every 2nd epoch is printed (epochs/20) as a mean; the table names every shipped image.
	for _, want := range []string{"epochs 1–2/40  mean loss ", "epochs 39–40/40", "image", "curry-rice-1f35b.png  train", "hamburger-1f354.png", "ramen-1f35c.png",
		"sushi-1f363.png", "pizza-1f355.png", "mean                  train", "mean                  unseen"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	for _, name := range []string{"train.png", "unseen.png", "loss.png", "history.json", "model.safetensors", "model.json"} {
		if !strings.Contains(stdout, filepath.Join(out, name)) {
			t.Errorf("summary lacks %s", name)
		}
	}
	checkPNGSize(t, filepath.Join(out, "train.png"), 3*64, 2*64)
	checkPNGSize(t, filepath.Join(out, "unseen.png"), 6*64, 2*64)
	if _, n := readHistoryFile(t, filepath.Join(out, "history.json")); n != 40 {
		t.Errorf("history has %d epochs", n)
	}

	// The saved model reconstructs any picture through `fugo reconstruct`.
	fig := filepath.Join(t.TempDir(), "sub", "r.png")
	code, stdout, stderr = runFugo(t, "reconstruct", "--model", out, "--out", fig, "../../assets/illust/unseen/sushi-1f363.png", "../../assets/illust/train/ramen-1f35c.png")
	if code != 0 || !strings.Contains(stdout, "sushi-1f363.png  input") || !strings.Contains(stdout, "wrote "+fig) {
		t.Fatalf("reconstruct: exit %d, %s%s", code, stdout, stderr)
	}
	checkPNGSize(t, fig, 2*64, 2*64)
}

func TestTrainIllustBadImages(t *testing.T) {
	for path, want := range badImages(t, t.TempDir()) {
		dir := t.TempDir()
		data, _ := os.ReadFile(path)
		bad := filepath.Join(dir, filepath.Base(path))
		os.WriteFile(bad, data, 0o644)
		for _, flag := range []string{"--images", "--unseen"} {
			code, _, stderr := runFugo(t, "train", "illust", flag, dir, "--epochs", "1", "--out", t.TempDir(), "-q")
			if code != 1 || !strings.Contains(stderr, bad) || !strings.Contains(stderr, want) || !strings.Contains(stderr, flag) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("%s %s: exit %d, %q; want exit 1 naming the file, the flag and %q", flag, bad, code, stderr, want)
			}
		}
	}
	empty := t.TempDir()
	if code, _, stderr := runFugo(t, "train", "illust", "--images", empty, "-q"); code != 1 || !strings.Contains(stderr, empty) {
		t.Errorf("empty folder: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runFugo(t, "train", "illust", "--data", empty); code != 2 || !strings.Contains(stderr, "-data") {
		t.Errorf("--data for illust: exit %d, %q", code, stderr)
	}
}

func TestReconstructMNISTModels(t *testing.T) {
	data := fakeMNIST(t, 64, 12)
	dir := t.TempDir()
	// An IDX file, a grey PNG of a digit, and a colour PNG (taken as grey).
	idx := filepath.Join(data, "t10k-images-idx3-ubyte")
	digit := filepath.Join(dir, "digit.png")
	x := tensor.New(28, 28, 1)
	for i := 100; i < 400; i += 3 {
		x.Data[i] = 1
	}
	if err := images.Save(digit, x); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"simple", "deep", "conv", "vae", "seq"} {
		model := filepath.Join(dir, kind)
		if code, _, stderr := runFugo(t, "train", kind, "--epochs", "1", "--batch", "32", "--data", data, "--out", model, "-q"); code != 0 {
			t.Fatalf("%s: %s", kind, stderr)
		}
		fig := filepath.Join(dir, kind+".png")
		code, stdout, stderr := runFugo(t, "reconstruct", "--model", model, "--out", fig, "-n", "3", idx, digit, "../../assets/illust/train/ramen-1f35c.png")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", kind, code, stderr)
		}
		for _, want := range []string{"t10k-images-idx3-ubyte[0]", "t10k-images-idx3-ubyte[2]", "digit.png", "ramen-1f35c.png", "mean"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%s: stdout lacks %q:\n%s", kind, want, stdout)
			}
		}
		if strings.Contains(stdout, "t10k-images-idx3-ubyte[3]") {
			t.Errorf("%s: -n 3 took more images", kind)
		}
		checkPNGSize(t, fig, 5*28, 2*28)
	}
}

func TestReconstructErrors(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m")
	if err := zoo.Save(model, zoo.NewSimple(tensor.NewRNG(1)), nil); err != nil {
		t.Fatal(err)
	}
	for path, want := range badImages(t, dir) {
		code, _, stderr := runFugo(t, "reconstruct", "--model", model, "--out", filepath.Join(dir, "o.png"), path)
		if code != 1 || !strings.Contains(stderr, path) || !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s: exit %d, %q; want exit 1 naming the file and %q", path, code, stderr, want)
		}
	}
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("hello"), 0o644)
	wrongIDX := filepath.Join(dir, "wrong-idx")
	os.WriteFile(wrongIDX, []byte{0, 0, 8, 1, 0, 0, 0, 2, 7, 7}, 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"reconstruct", "x.png"}, 2, "--model DIR is required"},
		{[]string{"reconstruct", "--model", model}, 2, "no image files"},
		{[]string{"reconstruct", "--model", model, "-n", "0", text}, 2, "-n must be"},
		{[]string{"reconstruct", "--model", dir, text}, 1, "--model: "},
		{[]string{"reconstruct", "--model", model, text}, 1, text + ": neither a PNG or JPEG"},
		{[]string{"reconstruct", "--model", model, wrongIDX}, 1, wrongIDX + ": IDX images of dimensions [2]"},
		{[]string{"reconstruct", "--model", model, filepath.Join(dir, "missing.png")}, 1, "missing.png"},
	} {
		code, _, stderr := runFugo(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, %q; want exit %d with %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}
