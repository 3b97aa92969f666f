package zoo_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"fugo/tensor"
	"fugo/zoo"
)

// FuzzLoadConfig feeds arbitrary bytes as model.json (with a valid small VAE's weights
// beside it) and arbitrary state.json to the loaders: they must return a model or an
// error, never panic, and never build a model larger than zoo.MaxParams.
func FuzzLoadConfig(f *testing.F) {
	good := t0Model(f)
	cfg, _ := os.ReadFile(filepath.Join(good, zoo.ConfigName))
	state, _ := os.ReadFile(filepath.Join(good, zoo.RunStateName))
	f.Add(cfg, state)
	f.Add([]byte(`{"format":"fugo-model","version":1,"kind":"vae","config":{"original_dim":4,"intermediate_dim":3,"latent_dim":2,"epsilon_std":1}}`), []byte(`{}`))
	f.Add([]byte(`{"format":"fugo-model","version":1,"kind":"vae","config":{"original_dim":1000000000,"intermediate_dim":1000000000,"latent_dim":2,"epsilon_std":1}}`), state)
	f.Add([]byte(`{"format":"fugo-model","version":1,"kind":"conv","config":{"height":-1}}`), state)
	f.Add([]byte(`{"format":"fugo-model","version":2,"kind":"deep"}`), []byte(`[`))
	f.Add([]byte(``), []byte(``))
	f.Add([]byte(`{"format":"fugo-model","version":1,"kind":"speaker","config":{"vocab":0}}`), state)
	weights, _ := os.ReadFile(filepath.Join(good, zoo.WeightsName))
	opt, _ := os.ReadFile(filepath.Join(good, zoo.OptimizerStateName))
	f.Fuzz(func(t *testing.T, config, runState []byte) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, zoo.ConfigName), config, 0o644)
		os.WriteFile(filepath.Join(dir, zoo.WeightsName), weights, 0o644)
		os.WriteFile(filepath.Join(dir, zoo.OptimizerStateName), opt, 0o644)
		os.WriteFile(filepath.Join(dir, zoo.RunStateName), runState, 0o644)
		if m, err := zoo.Load(dir, tensor.NewRNG(1)); err == nil {
			n := 0
			for _, p := range m.Params() {
				n += len(p.Var.Value.Data)
			}
			if n > zoo.MaxParams {
				t.Fatalf("loaded a model of %d weights", n)
			}
		}
		zoo.LoadRun(dir, tensor.NewRNG(1))
	})
}

// t0Model saves a small untrained VAE (model.json, weights) with an empty state.json, the
// seed the fuzzer mutates, and returns its folder.
func t0Model(tb testing.TB) string {
	dir := tb.TempDir()
	cfg := zoo.VAEConfig{OriginalDim: 4, IntermediateDim: 3, LatentDim: 2, EpsilonStd: 1}
	m := zoo.NewVAE(cfg, tensor.NewRNG(1))
	if err := zoo.Save(dir, m, nil); err != nil {
		tb.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{})
	os.WriteFile(filepath.Join(dir, zoo.RunStateName), b, 0o644)
	return dir
}

// Every registered kind has a size rule, and the rule counts exactly the weights the
// built model has: saving and loading each kind passes the size check.
func TestSizeRulesCountTheWeights(t *testing.T) {
	models := []zoo.Model{
		zoo.NewVAE(zoo.DefaultVAEConfig(), tensor.NewRNG(1)),
		zoo.NewSimple(tensor.NewRNG(1)), zoo.NewSparse(tensor.NewRNG(1)), zoo.NewDenseAE("deep", zoo.DeepConfig(), tensor.NewRNG(1)),
		zoo.NewConvModel(tensor.NewRNG(1)), zoo.NewDenoise(tensor.NewRNG(1)), zoo.NewIllust(tensor.NewRNG(1)),
		zoo.NewSeq(zoo.DefaultSeqConfig(), tensor.NewRNG(1)),
		zoo.NewSpeaker(zoo.DefaultSpeakerConfig(50, 12, 4), tensor.NewRNG(1)),
		zoo.NewSpeakerBag(zoo.BagConfig{Vocab: 50, Classes: 4}, tensor.NewRNG(1)),
	}
	kinds := map[string]bool{}
	for _, m := range models {
		kinds[m.Kind()] = true
		dir := t.TempDir()
		if err := zoo.Save(dir, m, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := zoo.Load(dir, tensor.NewRNG(1)); err != nil {
			t.Errorf("%s: %v", m.Kind(), err)
		}
	}
	for _, k := range zoo.Kinds() {
		if !kinds[k] {
			t.Errorf("kind %q has no case here: add one", k)
		}
	}
}

// A model.json asking for a huge model beside a small weights file is refused before
// anything is allocated.
func TestLoadRefusesConfigLargerThanWeights(t *testing.T) {
	dir := t0Model(t)
	big := []byte(`{"format":"fugo-model","version":1,"kind":"simple","config":{"input_dim":16000000,"hidden":[16]}}`)
	os.WriteFile(filepath.Join(dir, zoo.ConfigName), big, 0o644)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := zoo.Load(dir, tensor.NewRNG(1))
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "more than the") {
		t.Fatalf("err = %v, want a refusal naming the size", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
		t.Errorf("refusing allocated %d bytes", grew)
	}
}
