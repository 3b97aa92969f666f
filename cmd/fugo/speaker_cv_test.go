package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// cv on a small corpus file: the table, both models, the best lines; the test file is
// never read (a --test flag is refused).
func TestSpeakerCV(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	lines := map[string][]string{
		"ハルト": {"僕はそう思うよ。", "それは違うんじゃないかな。", "僕が説明するね。", "だろうね。", "僕も行くよ。", "そうだね、たぶん。"},
		"ミオ":  {"あたし、頑張ります！", "先輩、これですか？", "えっと、わかりません。", "あたしも行きます！", "すごいです！", "先輩、待ってください。"},
	}
	for _, sp := range []string{"ハルト", "ミオ"} {
		for _, l := range lines[sp] {
			b.WriteString(sp + "\t" + l + "\n")
		}
	}
	corpus := writeFile(t, dir, "c.tsv", b.String())
	code, stdout, stderr := runSpeakerCLI(t, "", "cv", "--corpus", corpus, "--folds", "3", "--epochs", "2", "--units", "4", "--embed", "8",
		"--dropout", "0,0.5", "--recurrent-dropout", "0.3", "--ensemble", "2", "--bag-l2", "0,0.001", "-q")
	if code != 0 {
		t.Fatalf("cv: exit %d, stderr %s", code, stderr)
	}
	for _, want := range []string{"3-fold cross-validation on " + corpus + " (12 lines; no test file is read)",
		"baseline bag-l2=0.001", "units=4 embed=8 dropout=0.5", "recurrent=0.3", "ensemble=2", "ranked:", "best baseline:", "best LSTM:"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("cv output lacks %q:\n%s", want, stdout)
		}
	}
	if n := strings.Count(stdout, "units=4"); n != 2*2+1 { // two configurations, each in the table and the ranking, and the best
		t.Errorf("%d LSTM lines, want 5:\n%s", n, stdout)
	}
	for _, args := range [][]string{{"cv", "--test", corpus}, {"cv", "--folds", "1"}, {"cv", "--dropout", "0.5,1"}, {"cv", "--units", "0"}, {"cv", "--form", "kana"}, {"cv", "--ensemble", "0"}} {
		if code, _, stderr := runSpeakerCLI(t, "", args...); code != 2 {
			t.Errorf("%q: exit %d, stderr %q; want a usage error", args, code, stderr)
		}
	}
	if code, _, stderr := runSpeakerCLI(t, "", "cv", "--corpus", corpus, "--folds", "7"); code != 1 || !strings.Contains(stderr, "too few") {
		t.Errorf("7 folds of 12 lines: exit %d, stderr %q", code, stderr)
	}
}

// An ensemble is saved as member folders beside the first model and loaded back whole;
// the baseline keeps its own vocabulary.
func TestSpeakerEnsembleSaveLoad(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "run")
	code, stdout, stderr := runSpeakerCLI(t, "", "train", "--epochs", "1", "--units", "4", "--ensemble", "3", "--bag-ensemble", "2",
		"--recurrent-dropout", "0.2", "--spatial-dropout", "0.2", "--lstm-dropout", "0.1", "--embed", "8", "--bag-min-count", "1", "--min-count", "2", "--out", out, "-q")
	if code != 0 {
		t.Fatalf("train: exit %d, stderr %s", code, stderr)
	}
	for _, want := range []string{"LSTM ensemble of 3", "baseline ensemble of 2"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("train output lacks %q:\n%s", want, stdout)
		}
	}
	for _, f := range []string{"member2/model.json", "member3/model.safetensors", "baseline/member2/model.json", "baseline/vocab.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	tr, err := loadTrainedSpeaker(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.models) != 3 || len(tr.bag) != 2 || tr.bagVocab.Len() <= tr.vocab.Len() {
		t.Errorf("loaded %d models, %d baselines, vocabularies %d (model) and %d (baseline, min count 1: want more)", len(tr.models), len(tr.bag), tr.vocab.Len(), tr.bagVocab.Len())
	}
	c := tr.model.Cfg
	if c.EmbedDim != 8 || c.RecurrentDropout != 0.2 || c.SpatialDropout != 0.2 || c.LSTMDropout != 0.1 {
		t.Errorf("config %+v", c)
	}
	code, stdout, stderr = runSpeakerCLI(t, "", "eval", "--model", out)
	if code != 0 || !strings.Contains(stdout, "accuracy: LSTM ensemble of 3") || !strings.Contains(stdout, "baseline ensemble of 2") {
		t.Errorf("eval: exit %d, stderr %s\n%s", code, stderr, stdout)
	}
	// A member of another shape is refused.
	if err := os.RemoveAll(filepath.Join(out, "member3")); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other")
	if code, _, stderr := runSpeakerCLI(t, "", "train", "--epochs", "1", "--units", "5", "--ensemble", "1", "--out", other, "-q"); code != 0 {
		t.Fatal(stderr)
	}
	if err := os.Rename(other, filepath.Join(out, "member3")); err != nil {
		t.Fatal(err)
	}
	if _, err := loadTrainedSpeaker(out); err == nil || !strings.Contains(err.Error(), "not a member") {
		t.Errorf("mismatched member: %v", err)
	}
}

// Members train side by side, up to GOMAXPROCS at a time; each depends only on its seed,
// so the saved ensemble is the same byte for byte whether they ran one after another
// (GOMAXPROCS=1) or two at once.
func TestSpeakerEnsembleSameForAnyGOMAXPROCS(t *testing.T) {
	dir := t.TempDir()
	weights := func(procs int) [][]byte {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		out := filepath.Join(dir, fmt.Sprint("procs", procs))
		code, _, stderr := runSpeakerCLI(t, "", "train", "--epochs", "2", "--units", "4", "--embed", "8", "--ensemble", "3",
			"--bag-ensemble", "3", "--recurrent-dropout", "0.2", "--out", out, "-q")
		if code != 0 {
			t.Fatalf("train at GOMAXPROCS=%d: exit %d, stderr %s", procs, code, stderr)
		}
		var ws [][]byte
		for _, f := range []string{"model.safetensors", "member2/model.safetensors", "member3/model.safetensors", "baseline/member3/model.safetensors"} {
			b, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			ws = append(ws, b)
		}
		return ws
	}
	one, two := weights(1), weights(2)
	for i := range one {
		if !bytes.Equal(one[i], two[i]) {
			t.Errorf("weights file %d differs between GOMAXPROCS=1 and 2", i)
		}
	}
}
