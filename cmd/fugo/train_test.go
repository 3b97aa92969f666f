package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fugo/data/mnist"
	"fugo/tensor"
	"fugo/zoo"
)

// fakeMNIST writes a small MNIST-shaped folder (28×28 digits: a bright random bar on
// black, so there is something to learn) with n training and m test images.
func fakeMNIST(t *testing.T, n, m int) string {
	t.Helper()
	dir := t.TempDir()
	rng := tensor.NewRNG(42)
	write := func(name string, x *mnist.IDX) {
		var b bytes.Buffer
		if err := mnist.WriteIDX(&b, x); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []struct {
		img, lab string
		k        int
	}{{mnist.TrainImages, mnist.TrainLabels, n}, {mnist.TestImages, mnist.TestLabels, m}} {
		img := &mnist.IDX{Dims: []int{s.k, 28, 28}, Data: make([]uint8, s.k*784)}
		lab := &mnist.IDX{Dims: []int{s.k}, Data: make([]uint8, s.k)}
		for i := range s.k {
			lab.Data[i] = uint8(rng.IntN(10))
			r0, c0 := 4+rng.IntN(16), 4+rng.IntN(16)
			for r := r0; r < r0+8; r++ {
				for c := c0; c < c0+3; c++ {
					img.Data[i*784+r*28+c] = uint8(200 + rng.IntN(56))
				}
			}
		}
		write(s.img, img)
		write(s.lab, lab)
	}
	return dir
}

// checkPNGSize decodes a PNG and checks that it is at least w×h.
func checkPNGSize(t *testing.T, path string, w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() < w || b.Dy() < h {
		t.Errorf("%s is %v, want at least %d×%d", path, b, w, h)
	}
}

func readHistoryFile(t *testing.T, path string) (model string, epochs int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var h struct {
		Model  string            `json:"model"`
		Epochs []json.RawMessage `json:"epochs"`
	}
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return h.Model, len(h.Epochs)
}

func TestTrainDenseModels(t *testing.T) {
	data := fakeMNIST(t, 300, 40)
	for _, kind := range []string{"simple", "sparse", "deep"} {
		out := filepath.Join(t.TempDir(), kind)
		code, stdout, stderr := runFugo(t, "train", kind, "--epochs", "2", "--batch", "64", "--data", data, "--out", out, "-q")
		if code != 0 {
			t.Fatalf("%s: exit %d, stderr %q", kind, code, stderr)
		}
		for _, want := range []string{"epoch 1/2", "epoch 2/2", "val_loss", "test BCE (mean per pixel, 40 images): ", "mean code activation (test set, 32 units): ", "wrote " + out} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%s: stdout lacks %q:\n%s", kind, want, stdout)
			}
		}
		for _, name := range []string{"history.json", "loss.png", "model.safetensors", "model.json", "optimizer.safetensors", "state.json", "recon.png"} {
			if !strings.Contains(stdout, filepath.Join(out, name)) {
				t.Errorf("%s: summary does not name %s", kind, name)
			}
		}
		if m, n := readHistoryFile(t, filepath.Join(out, "history.json")); m != kind || n != 2 {
			t.Errorf("%s: history.json has model %q and %d epochs", kind, m, n)
		}
		checkPNGSize(t, filepath.Join(out, "recon.png"), 10*56, 2*56)
		checkPNGSize(t, filepath.Join(out, "loss.png"), 100, 100)
		m, err := zoo.Load(out, tensor.NewRNG(1))
		if err != nil || m.Kind() != kind {
			t.Fatalf("%s: reload: %v, %v", kind, m, err)
		}
	}
}

func TestTrainUsageErrors(t *testing.T) {
	data := fakeMNIST(t, 10, 5)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"train"}, 2, "which model? one of simple, sparse, deep"},
		{[]string{"train", "--epochs", "3"}, 2, "which model?"},
		{[]string{"train", "nosuch"}, 2, `unknown model "nosuch"`},
		{[]string{"train", "simple", "--epochs", "0"}, 2, "--epochs must be at least 1"},
		{[]string{"train", "deep", "--batch", "-1"}, 2, "--batch must be at least 1"},
		{[]string{"train", "simple", "--frobnicate"}, 2, "flag provided but not defined"},
		{[]string{"train", "simple", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"train", "simple", "--l1", "1"}, 2, "flag provided but not defined: -l1"},
		{[]string{"train", "sparse", "--l1", "-1"}, 2, "--l1 must be from 0 to 1000"},
		{[]string{"train", "simple", "--epochs", "x"}, 2, "invalid value"},
		{[]string{"train", "simple", "--data", filepath.Join(data, "missing")}, 1, "missing"},
		{[]string{"train", "deep", "--data", t.TempDir()}, 1, "mnist: "},
		{[]string{"models", "x"}, 2, `unexpected argument "x"`},
	} {
		code, _, stderr := runFugo(t, tc.args...)
		if code != tc.code || !strings.HasPrefix(stderr, "fugo: ") || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line with %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

// --out pointing through a file is a runtime error naming --out, after training data is
// found but before anything is trained.
func TestTrainOutIsAFile(t *testing.T) {
	data := fakeMNIST(t, 10, 5)
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	code, _, stderr := runFugo(t, "train", "simple", "--data", data, "--out", filepath.Join(file, "sub"), "-q")
	if code != 1 || !strings.Contains(stderr, "--out") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// `fugo models` prints a line per model, and `fugo help train` documents each of them.
func TestModelsAndHelp(t *testing.T) {
	code, stdout, _ := runFugo(t, "models")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != len(trainers) {
		t.Fatalf("%d lines for %d models:\n%s", len(lines), len(trainers), stdout)
	}
	_, help, _ := runFugo(t, "help", "train")
	for i, tr := range trainers {
		if !strings.HasPrefix(lines[i], tr.name+" ") || len(strings.Fields(lines[i])) < 3 {
			t.Errorf("line %d: %q, want %s and a description", i, lines[i], tr.name)
		}
		if !strings.Contains(help, "\n  "+tr.name+" ") {
			t.Errorf("fugo help train does not document %s", tr.name)
		}
	}
	for _, want := range []string{"simple", "sparse", "deep", "conv", "denoise", "seq", "vae"} {
		if findTrainer(want) == nil {
			t.Errorf("model %s not registered", want)
		}
	}
}

func TestTrainConvAndDenoise(t *testing.T) {
	data := fakeMNIST(t, 64, 12)
	for _, tc := range []struct {
		kind    string
		figures []string
		line    string
	}{
		{"conv", []string{"recon.png", "codes.png"}, "test BCE (mean per pixel, 12 images): "},
		{"denoise", []string{"denoise.png"}, "test BCE (mean per pixel, 12 images, denoised output against the clean image, noise 0.3): "},
	} {
		out := filepath.Join(t.TempDir(), tc.kind)
		args := []string{"train", tc.kind, "--epochs", "1", "--batch", "32", "--data", data, "--out", out, "-q"}
		if tc.kind == "denoise" {
			args = append(args, "--noise", "0.3")
		}
		code, stdout, stderr := runFugo(t, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.kind, code, stderr)
		}
		if !strings.Contains(stdout, tc.line) {
			t.Errorf("%s: stdout lacks %q:\n%s", tc.kind, tc.line, stdout)
		}
		for _, fig := range tc.figures {
			if !strings.Contains(stdout, filepath.Join(out, fig)) {
				t.Errorf("%s: summary lacks %s", tc.kind, fig)
			}
		}
		checkPNGSize(t, filepath.Join(out, tc.figures[0]), 10*56, 2*56)
		if tc.kind == "conv" {
			// 10 codes of 4×4×8, each drawn as a 32×4 image scaled 6×.
			checkPNGSize(t, filepath.Join(out, "codes.png"), 10*24, 32*6)
		}
		m, err := zoo.Load(out, tensor.NewRNG(1))
		if err != nil || m.Kind() != tc.kind {
			t.Fatalf("%s: reload %v %v", tc.kind, m, err)
		}
	}
}

func TestTrainSeq(t *testing.T) {
	data := fakeMNIST(t, 64, 12)
	out := filepath.Join(t.TempDir(), "seq")
	code, stdout, stderr := runFugo(t, "train", "seq", "--epochs", "1", "--batch", "32", "--latent", "8", "--data", data, "--out", out, "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "test MSE (mean per element, 12 sequences of 28×28): ") {
		t.Errorf("stdout:\n%s", stdout)
	}
	checkPNGSize(t, filepath.Join(out, "recon.png"), 10*56, 2*56)
	m, err := zoo.Load(out, tensor.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := m.(*zoo.Seq); !ok || s.Cfg.Latent != 8 {
		t.Errorf("reloaded %T %+v", m, m)
	}
	if code, _, stderr := runFugo(t, "train", "seq", "--latent", "0"); code != 2 || !strings.Contains(stderr, "--latent") {
		t.Errorf("--latent 0: exit %d, %q", code, stderr)
	}
}

// The VAE keeps its behaviour behind the shared dispatch.
func TestTrainVAEStillWorks(t *testing.T) {
	data := fakeMNIST(t, 200, 30)
	out := t.TempDir()
	code, stdout, stderr := runFugo(t, "train", "vae", "--epochs", "1", "--data", data, "--out", out, "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"history.json", "loss.png", "model.safetensors", "model.json", "latent.png", "manifold.png"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil || !strings.Contains(stdout, name) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The shared resume path: 1 epoch, then 1 resumed, gives the weights of 2 in one go.
func TestTrainDenseResume(t *testing.T) {
	data := fakeMNIST(t, 200, 20)
	whole, split := filepath.Join(t.TempDir(), "whole"), filepath.Join(t.TempDir(), "split")
	args := []string{"--batch", "32", "--data", data, "-q", "--seed", "4"}
	if code, _, stderr := runFugo(t, append([]string{"train", "sparse", "--epochs", "2", "--out", whole}, args...)...); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := runFugo(t, append([]string{"train", "sparse", "--epochs", "1", "--out", split}, args...)...); code != 0 {
		t.Fatal(stderr)
	}
	code, stdout, stderr := runFugo(t, append([]string{"train", "sparse", "--epochs", "1", "--out", split, "--resume", split}, args...)...)
	if code != 0 || !strings.Contains(stdout, "epoch 2/2") {
		t.Fatalf("resume: exit %d, %s %s", code, stdout, stderr)
	}
	a, err := zoo.Load(whole, tensor.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	b, err := zoo.Load(split, tensor.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range a.Params() {
		q := b.Params()[i]
		for j, v := range p.Var.Value.Data {
			if q.Var.Value.Data[j] != v {
				t.Fatalf("%s differs at %d after 1+1 epochs vs 2", p.Name, j)
			}
		}
	}
	if _, n := readHistoryFile(t, filepath.Join(split, "history.json")); n != 2 {
		t.Errorf("resumed history has %d epochs, want 2", n)
	}
	// A run of another model is refused.
	code, _, stderr = runFugo(t, append([]string{"train", "deep", "--epochs", "1", "--out", t.TempDir(), "--resume", split}, args...)...)
	if code != 1 || !strings.Contains(stderr, `"sparse"`) {
		t.Errorf("resuming a sparse run as deep: exit %d, %q", code, stderr)
	}
}
