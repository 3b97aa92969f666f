package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fugo/optim"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

func runSpeakerCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = runMain(context.Background(), e, append([]string{"speaker"}, args...))
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A short training on the embedded corpus, then predict and eval on the saved folder.
// The accuracies of a 2-epoch run are not judged here (bench/ and the README hold the
// real numbers); the test checks the plumbing, the files and the output's parts.
func TestSpeakerTrainPredictEval(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "run")
	code, stdout, stderr := runSpeakerCLI(t, "", "train", "--epochs", "2", "--units", "8", "--out", out, "-q")
	if code != 0 {
		t.Fatalf("train: exit %d, stderr %s", code, stderr)
	}
	for _, want := range []string{"720 lines", "ハルト, レイ, ミオ, ソラ", "accuracy on corpus/speakers-test.tsv (180 lines): LSTM", "bag-of-morphemes baseline"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("train output lacks %q:\n%s", want, stdout)
		}
	}
	for _, f := range []string{"model.json", "model.safetensors", "vocab.json", "labels.json", "baseline/model.json", "baseline/model.safetensors"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}

	code, stdout, stderr = runSpeakerCLI(t, "", "predict", "--model", out, "あたし、先輩に聞いてみます！", "ボクの勝ちじゃん。")
	if code != 0 {
		t.Fatalf("predict: exit %d, stderr %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "あたし、先輩に聞いてみます！") || strings.Count(lines[0], "\t") != 5 {
		t.Fatalf("predict output:\n%s", stdout)
	}
	code, stdout, _ = runSpeakerCLI(t, "僕はそう思うよ。\n\n私だ。\n", "predict", "--model", out)
	if code != 0 || len(strings.Split(strings.TrimSpace(stdout), "\n")) != 2 {
		t.Fatalf("predict from stdin: exit %d\n%s", code, stdout)
	}

	code, stdout, stderr = runSpeakerCLI(t, "", "eval", "--model", out)
	if code != 0 {
		t.Fatalf("eval: exit %d, stderr %s", code, stderr)
	}
	for _, want := range []string{"accuracy: LSTM", "baseline", "precision", "recall", "misclassified lines", "lines with あたし", "confusion.png"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("eval output lacks %q:\n%s", want, stdout)
		}
	}
	if fi, err := os.Stat(filepath.Join(out, "confusion.png")); err != nil || fi.Size() < 1000 {
		t.Errorf("confusion.png: %v", err)
	}

	// A test file with a speaker the model does not know, and a missing model folder.
	bad := writeFile(t, dir, "bad.tsv", "ミオ\tはいっ！\nユキ\tこんにちは。\n")
	code, _, stderr = runSpeakerCLI(t, "", "eval", "--model", out, "--test", bad)
	if code != 1 || !strings.Contains(stderr, "bad.tsv:2: unknown speaker \"ユキ\"") {
		t.Errorf("unknown speaker: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runSpeakerCLI(t, "", "predict", "--model", filepath.Join(dir, "nope"), "x")
	if code != 1 || !strings.HasPrefix(stderr, "fugo: ") {
		t.Errorf("missing model: exit %d, stderr %q", code, stderr)
	}
}

// Broken corpus files fail with exit 1 and an error naming the file and the line.
func TestSpeakerCorpusErrors(t *testing.T) {
	dir := t.TempDir()
	good := "ハルト\tそうだね。\nレイ\t違う。\n"
	cases := []struct{ name, content, want string }{
		{"notab.tsv", good + "ミオ はいっ！\n", "notab.tsv:3: missing tab"},
		{"empty.tsv", good + "\nソラ\tねえ。\n", "empty.tsv:3: empty line"},
		{"utf8.tsv", good + "ソラ\t\xff\xfe\n", "utf8.tsv:3: invalid UTF-8"},
	}
	for _, c := range cases {
		p := writeFile(t, dir, c.name, c.content)
		code, _, stderr := runSpeakerCLI(t, "", "train", "--corpus", p, "--epochs", "1", "--out", filepath.Join(dir, "o"), "-q")
		if code != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q, want %q", c.name, code, stderr, c.want)
		}
	}
	p := writeFile(t, dir, "train.tsv", good+"ミオ\tはいっ！\n")
	test := writeFile(t, dir, "test.tsv", "ミオ\tはい。\nユキ\tやあ。\n")
	code, _, stderr := runSpeakerCLI(t, "", "train", "--corpus", p, "--test", test, "--epochs", "1", "--out", filepath.Join(dir, "o"), "-q")
	if code != 1 || !strings.Contains(stderr, "test.tsv:2: unknown speaker") {
		t.Errorf("unknown test speaker: exit %d, stderr %q", code, stderr)
	}
}

func TestSpeakerUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"fly"},
		{"train", "--epochs", "0"},
		{"train", "--units", "-3"},
		{"train", "--form", "kana"},
		{"train", "extra"},
		{"sweep", "--units", "2,x"},
		{"bench", "--synthetic", "10,20"},
		{"train", "--dropout", "1"},
		{"train", "--l2", "-1"},
		{"train", "--val-split", "1"},
		{"train", "--patience", "0"},
		{"train", "--monitor", "loss"},
		{"sweep", "--seeds", "0"},
		{"bench", "--dropout", "-0.5"},
		{"predict", "--model", "/nonexistent"}, // no lines on stdin
	} {
		code, _, stderr := runSpeakerCLI(t, "", args...)
		if code != 2 || !strings.HasPrefix(stderr, "fugo: ") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q; want a one-line usage error (exit 2)", args, code, stderr)
		}
	}
}

func TestSpeakerSweepAndBench(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runSpeakerCLI(t, "", "sweep", "--units", "2,4", "--seeds", "2", "--epochs", "1", "--ensemble", "2", "--embed", "16", "--out", dir, "-q")
	if code != 0 {
		t.Fatalf("sweep: exit %d, stderr %s", code, stderr)
	}
	if !strings.Contains(stdout, "units") || !strings.Contains(stdout, "bag") {
		t.Errorf("sweep output:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "sweep.png")); err != nil {
		t.Error(err)
	}
	code, stdout, stderr = runSpeakerCLI(t, "", "bench", "--synthetic", "40,30,50", "--epochs", "1", "--units", "4", "--export", dir)
	if code != 0 || !strings.Contains(stdout, "synthetic 40,30,50, 40 lines × 30 ids, vocabulary 50") {
		t.Fatalf("bench: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, f := range []string{"x.npy", "y.npy"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

// The validation split takes about the given fraction of every speaker's lines, at least
// one each, never all of them, and the two parts partition the training lines.
func TestSplitValidation(t *testing.T) {
	const n, l = 103, 3
	d := speakerData{ids: tensor.New(n, l), labels: make([]int, n)}
	for i := range d.labels {
		d.labels[i] = min(i%4, 2) // classes 0, 1 a quarter each, 2 half
		d.ids.Data[i*l] = float32(i)
	}
	d.labels[n-1] = 3 // a speaker with a single line keeps it for training
	tr, val, err := splitValidation(d, 4, 0.1, tensor.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.labels)+len(val.labels) != n {
		t.Fatalf("%d + %d lines, want %d", len(tr.labels), len(val.labels), n)
	}
	seen := map[float32]bool{}
	for _, part := range []speakerData{tr, val} {
		for i := range part.labels {
			id := part.ids.Data[i*l]
			if seen[id] || d.labels[int(id)] != part.labels[i] {
				t.Fatalf("line %v twice or with the wrong label", id)
			}
			seen[id] = true
		}
	}
	count := make([]int, 4)
	for _, c := range val.labels {
		count[c]++
	}
	if count[0] != 3 || count[1] != 3 || count[2] != 5 || count[3] != 0 {
		t.Errorf("validation lines per speaker %v, want [3 3 5 0] (10%% of 26, 26, 50, 1)", count)
	}
	if tr2, _, err := splitValidation(d, 4, 0, tensor.NewRNG(1)); err != nil || len(tr2.labels) != n {
		t.Error("a zero fraction held lines out")
	}
}

// Early stopping on a validation set whose labels contradict the training labels: the
// validation loss is lowest after the first epoch, training stops patience epochs later,
// and the weights of the first epoch come back.
func TestFitEarlyStopping(t *testing.T) {
	const vocab, n = 6, 40
	rng := tensor.NewRNG(2)
	x := tensor.New(n, vocab)
	labels := make([]int, n)
	for i := range labels {
		labels[i] = i % 2
		x.Data[i*vocab+labels[i]] = 3
	}
	flipped := make([]int, n)
	for i, c := range labels {
		flipped[i] = 1 - c
	}
	m := zoo.NewSpeakerBag(zoo.BagConfig{Vocab: vocab, Classes: 2}, rng)
	cfg := train.Config{Epochs: 50, BatchSize: 8, Shuffle: true, RNG: rng, X: x, Y: zoo.OneHot(labels, 2), Optimizer: optim.NewAdam(params(m))}
	valY := zoo.OneHot(flipped, 2)
	epochs, best, bestLoss, err := fitEarlyStopping(context.Background(), m, cfg, x, valY, "val_loss", 3)
	if err != nil {
		t.Fatal(err)
	}
	if best != 1 || epochs != 4 {
		t.Errorf("ran %d epochs, kept epoch %d; want 4 and 1", epochs, best)
	}
	v, err := train.Evaluate(context.Background(), m, x, valY, 8)
	if err != nil {
		t.Fatal(err)
	}
	if v != bestLoss {
		t.Errorf("validation loss of the restored weights %v, want the best epoch's %v", v, bestLoss)
	}
	// Monitoring the validation accuracy (higher is better; ties keep the first epoch).
	m = zoo.NewSpeakerBag(zoo.BagConfig{Vocab: vocab, Classes: 2}, rng)
	cfg.Optimizer = optim.NewAdam(params(m))
	epochs, best, bestAcc, err := fitEarlyStopping(context.Background(), m, cfg, x, valY, "val_accuracy", 3)
	if err != nil {
		t.Fatal(err)
	}
	acc := accuracyOf(argmaxRows(train.Predict(m.Probs, x, 8)), flipped)
	if epochs != best+3 || acc != bestAcc {
		t.Errorf("val_accuracy: ran %d epochs, kept %d with accuracy %v, restored weights give %v", epochs, best, bestAcc, acc)
	}
	// Without validation data every epoch runs.
	epochs, best, _, err = fitEarlyStopping(context.Background(), m, train.Config{Epochs: 5, BatchSize: 8, RNG: rng, X: x,
		Y: zoo.OneHot(labels, 2), Optimizer: optim.NewAdam(params(m))}, nil, nil, "val_loss", 1)
	if err != nil || epochs != 5 || best != 5 {
		t.Errorf("no validation: %d epochs, best %d, %v", epochs, best, err)
	}
}
