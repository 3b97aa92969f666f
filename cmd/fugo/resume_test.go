package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fugo/data/mnist"
	"fugo/zoo"
)

// writeTinyMNIST writes an MNIST-shaped data set of random 28×28 digits (nTrain training
// and nTest test images, uncompressed IDX) into a new folder and returns it.
func writeTinyMNIST(t *testing.T, nTrain, nTest int) string {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	write := func(name string, x *mnist.IDX) {
		var b bytes.Buffer
		if err := mnist.WriteIDX(&b, x); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, split := range []struct {
		images, labels string
		n              int
	}{{mnist.TrainImages, mnist.TrainLabels, nTrain}, {mnist.TestImages, mnist.TestLabels, nTest}} {
		img := &mnist.IDX{Dims: []int{split.n, 28, 28}, Data: make([]uint8, split.n*784)}
		for i := range img.Data {
			// Mostly dark with bright strokes, like digits.
			if rng.IntN(5) == 0 {
				img.Data[i] = uint8(128 + rng.IntN(128))
			}
		}
		lab := &mnist.IDX{Dims: []int{split.n}, Data: make([]uint8, split.n)}
		for i := range lab.Data {
			lab.Data[i] = uint8(rng.IntN(10))
		}
		write(split.images, img)
		write(split.labels, lab)
	}
	return dir
}

func readRunHistory(t *testing.T, dir string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "history.json"))
	if err != nil {
		t.Fatal(err)
	}
	var h struct{ Epochs []map[string]any }
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	return h.Epochs
}

// `fugo train vae --epochs 2`, then `--resume` for 3 more, writes the same weights,
// optimizer state and losses as `--epochs 5` in one go.
func TestTrainResumeCLI(t *testing.T) {
	data := writeTinyMNIST(t, 120, 40)
	tmp := t.TempDir()
	a, b, c := filepath.Join(tmp, "a"), filepath.Join(tmp, "b"), filepath.Join(tmp, "c")
	common := []string{"--data", data, "--batch", "32", "--seed", "9", "-q", "--grid", "quantile:3"}
	for _, args := range [][]string{
		append([]string{"train", "vae", "--epochs", "2", "--out", a}, common...),
		append([]string{"train", "vae", "--epochs", "3", "--out", b, "--resume", a}, common...),
		append([]string{"train", "vae", "--epochs", "5", "--out", c}, common...),
	} {
		if code, _, stderr := runFugo(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	for _, name := range []string{zoo.WeightsName, zoo.OptimizerStateName, zoo.ConfigName} {
		wb, _ := os.ReadFile(filepath.Join(b, name))
		wc, _ := os.ReadFile(filepath.Join(c, name))
		if len(wb) == 0 || !bytes.Equal(wb, wc) {
			t.Errorf("%s: resumed run differs from the uninterrupted one", name)
		}
	}
	hb, hc := readRunHistory(t, b), readRunHistory(t, c)
	if len(hb) != 5 || len(hc) != 5 {
		t.Fatalf("histories of %d and %d epochs, want 5", len(hb), len(hc))
	}
	for i := range hc {
		if hb[i]["epoch"] != hc[i]["epoch"] || hb[i]["loss"] != hc[i]["loss"] || hb[i]["val_loss"] != hc[i]["val_loss"] {
			t.Errorf("epoch %d: resumed %v, uninterrupted %v", i+1, hb[i], hc[i])
		}
	}

	// Wrong uses of --resume are clear errors.
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--resume", data}, 1, "not a resumable run"},
		{[]string{"--resume", filepath.Join(tmp, "missing")}, 1, "not a resumable run"},
		{[]string{"--resume", a, "--latent", "3"}, 2, "--latent 3"},
	} {
		args := append([]string{"train", "vae", "--epochs", "1", "--out", filepath.Join(tmp, "x")}, common...)
		code, _, stderr := runFugo(t, append(args, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want exit %d mentioning %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}
