package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fugo/data/mnist"
	"fugo/tensor"
	"fugo/zoo"
)

// smallMNIST writes the first nTrain training and nTest test examples of real MNIST as
// uncompressed IDX files into a temporary folder, so CLI tests train in seconds.
func smallMNIST(t *testing.T, nTrain, nTest int) string {
	t.Helper()
	src, err := mnist.Locate("", os.Getenv)
	if err != nil {
		t.Skipf("MNIST not available: %v", err)
	}
	dir := t.TempDir()
	write := func(images, labels string, n int) {
		raw := func(name string) *mnist.IDX {
			f, err := os.Open(filepath.Join(src, name+".gz"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			x, err := mnist.ReadIDX(f)
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
		img, lab := raw(images), raw(labels)
		img.Dims[0], lab.Dims[0] = n, n
		img.Data, lab.Data = img.Data[:n*784], lab.Data[:n]
		for name, x := range map[string]*mnist.IDX{images: img, labels: lab} {
			var b bytes.Buffer
			if err := mnist.WriteIDX(&b, x); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(mnist.TrainImages, mnist.TrainLabels, nTrain)
	write(mnist.TestImages, mnist.TestLabels, nTest)
	return dir
}

func TestTrainVAEWritesEverything(t *testing.T) {
	data := smallMNIST(t, 1000, 200)
	out := filepath.Join(t.TempDir(), "run")
	code, stdout, stderr := runFugo(t, "train", "vae", "--data", data, "--epochs", "2", "--out", out, "--seed", "3")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, f := range []string{"history.json", "loss.png", "model.safetensors", "model.json", "latent.png", "manifold.png"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
		if !strings.Contains(stdout, filepath.Join(out, f)) {
			t.Errorf("summary does not name %s:\n%s", f, stdout)
		}
	}
	if !strings.Contains(stdout, "epoch 2/2") {
		t.Errorf("epoch lines missing:\n%s", stdout)
	}
	var h struct {
		Model  string `json:"model"`
		Epochs []struct {
			Epoch   int      `json:"epoch"`
			Loss    float64  `json:"loss"`
			ValLoss *float64 `json:"val_loss"`
			Seconds float64  `json:"seconds"`
		} `json:"epochs"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "history.json"))
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	if h.Model != "vae" || len(h.Epochs) != 2 || h.Epochs[1].Epoch != 2 || h.Epochs[1].ValLoss == nil || h.Epochs[1].Seconds <= 0 {
		t.Errorf("history.json = %s", b)
	}
	if h.Epochs[1].Loss >= h.Epochs[0].Loss || h.Epochs[1].Loss > 300 {
		t.Errorf("losses did not fall as expected: %s", b)
	}
	if _, err := zoo.Load(out, tensor.NewRNG(1)); err != nil {
		t.Errorf("written model does not load: %v", err)
	}
}

func TestTrainVAEBadInput(t *testing.T) {
	data := smallMNIST(t, 100, 100)
	truncated := t.TempDir()
	corrupt := t.TempDir()
	for _, name := range []string{mnist.TrainImages, mnist.TrainLabels, mnist.TestImages, mnist.TestLabels} {
		b, err := os.ReadFile(filepath.Join(data, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == mnist.TrainImages {
			os.WriteFile(filepath.Join(truncated, name), b[:len(b)/2], 0o644)
			bad := append([]byte(nil), b...)
			bad[2] = 0x42 // unknown IDX type code
			os.WriteFile(filepath.Join(corrupt, name), bad, 0o644)
		} else {
			os.WriteFile(filepath.Join(truncated, name), b, 0o644)
			os.WriteFile(filepath.Join(corrupt, name), b, 0o644)
		}
	}
	out := t.TempDir()
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"truncated IDX", []string{"--data", truncated}, 1, "truncated"},
		{"corrupted IDX", []string{"--data", corrupt}, 1, mnist.TrainImages},
		{"missing folder", []string{"--data", filepath.Join(out, "nope")}, 1, "nope"},
		{"negative epochs", []string{"--epochs", "-3"}, 2, "--epochs"},
		{"non-numeric batch", []string{"--batch", "many"}, 2, "batch"},
		{"zero latent", []string{"--latent", "0"}, 2, "--latent"},
		{"bad grid", []string{"--grid", "spiral:4"}, 2, "--grid"},
		{"extra argument", []string{"extra"}, 2, "extra"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"train", "vae", "--out", out, "-q"}, c.args...)
			code, _, stderr := runFugo(t, args...)
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr %q", code, c.code, stderr)
			}
			if lines := strings.Count(strings.TrimSpace(stderr), "\n") + 1; lines != 1 || !strings.HasPrefix(stderr, "fugo: ") || !strings.Contains(stderr, c.want) {
				t.Errorf("stderr %q: want one line starting 'fugo: ' naming %q", stderr, c.want)
			}
		})
	}
}

func TestParseGrid(t *testing.T) {
	g, err := parseGrid("linear:15")
	if err != nil {
		t.Fatal(err)
	}
	if v := g.values(); len(v) != 15 || v[0] != -15 || v[7] != 0 || v[14] != 15 {
		t.Errorf("linear:15 = %v, want linspace(-15, 15, 15)", v)
	}
	g, _ = parseGrid("quantile:15")
	// Φ⁻¹(0.05) = −1.6448536…, Φ⁻¹(0.5) = 0
	if v := g.values(); v[0] > -1.6448 || v[0] < -1.6449 || v[7] != 0 && (v[7] > 1e-12 || v[7] < -1e-12) {
		t.Errorf("quantile:15 = %v", v)
	}
	for _, bad := range []string{"", "linear", "linear:1", "linear:5:-2", "quantile:5:1", "grid:5", "linear:x"} {
		if _, err := parseGrid(bad); err == nil {
			t.Errorf("parseGrid(%q) accepted", bad)
		}
	}
}
