package zoo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"

	"fugo/checkpoint"
	"fugo/internal/atomicfile"
	"fugo/nn"
)

// Model is a zoo model that can be saved and rebuilt from its config.
type Model interface {
	// Kind names the model ("vae", "simple", …): the key of its builder.
	Kind() string
	// Config is the JSON-serialisable value that rebuilds the model's architecture.
	Config() any
	Params() []nn.Param
}

// ConfigFile is the versioned JSON written as model.json beside model.safetensors.
type ConfigFile struct {
	Format  string          `json:"format"`  // always "fugo-model"
	Version int             `json:"version"` // ConfigVersion
	Kind    string          `json:"kind"`
	Config  json.RawMessage `json:"config"`
}

// ConfigVersion is the version of model.json this build writes and reads.
const ConfigVersion = 1

// File names inside a model directory.
const (
	ConfigName  = "model.json"
	WeightsName = "model.safetensors"
)

// builders maps a kind to the function that rebuilds its model from model.json's config.
var builders = map[string]func(config json.RawMessage, rng *rand.Rand) (Model, error){}

func register(kind string, build func(config json.RawMessage, rng *rand.Rand) (Model, error)) {
	builders[kind] = build
}

// Kinds lists the registered model kinds, sorted.
func Kinds() []string {
	ks := make([]string, 0, len(builders))
	for k := range builders {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Save writes model.json and model.safetensors into dir (created if needed), each
// atomically. metadata is stored in the safetensors header.
func Save(dir string, m Model, metadata map[string]string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	raw, err := json.Marshal(m.Config())
	if err != nil {
		return fmt.Errorf("save %s: %w", dir, err)
	}
	cf := ConfigFile{Format: "fugo-model", Version: ConfigVersion, Kind: m.Kind(), Config: raw}
	if err := atomicfile.WriteFile(filepath.Join(dir, ConfigName), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(cf)
	}); err != nil {
		return err
	}
	return checkpoint.SaveFile(filepath.Join(dir, WeightsName), Tensors(m.Params()), metadata)
}

// Tensors lists parameters as checkpoint tensors sharing their data.
func Tensors(ps []nn.Param) []checkpoint.Tensor {
	ts := make([]checkpoint.Tensor, len(ps))
	for i, p := range ps {
		ts[i] = checkpoint.Tensor{Name: p.Name, Shape: p.Var.Value.Shape, Data: p.Var.Value.Data}
	}
	return ts
}

// ReadConfig reads and checks dir/model.json.
func ReadConfig(dir string) (*ConfigFile, error) {
	path := filepath.Join(dir, ConfigName)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cf ConfigFile
	if err := json.Unmarshal(b, &cf); err != nil {
		return nil, fmt.Errorf("%s: not a fugo model config: %w", path, err)
	}
	switch {
	case cf.Format != "fugo-model":
		return nil, fmt.Errorf("%s: format %q, want \"fugo-model\"", path, cf.Format)
	case cf.Version != ConfigVersion:
		return nil, fmt.Errorf("%s: config version %d, this fugo reads version %d", path, cf.Version, ConfigVersion)
	case builders[cf.Kind] == nil:
		return nil, fmt.Errorf("%s: unknown model kind %q (known: %v)", path, cf.Kind, Kinds())
	case len(cf.Config) == 0:
		return nil, fmt.Errorf("%s: no \"config\"", path)
	}
	return &cf, nil
}

// Load rebuilds the model saved in dir and loads its weights, checking names and shapes.
// A config that asks for more weights than the weights file holds is refused before
// anything is built.
// rng seeds whatever randomness the model uses after loading (VAE sampling).
func Load(dir string, rng *rand.Rand) (Model, error) {
	cf, err := ReadConfig(dir)
	if err != nil {
		return nil, err
	}
	// The weights come first: what the file holds bounds what the config may build.
	path := filepath.Join(dir, WeightsName)
	got, _, err := checkpoint.LoadFile(path)
	if err != nil {
		return nil, err
	}
	var held int64
	for _, t := range got {
		held += int64(len(t.Data))
	}
	if err := checkSize(cf.Kind, cf.Config, min(held, MaxParams)); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ConfigName), err)
	}
	m, err := builders[cf.Kind](cf.Config, rng)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ConfigName), err)
	}
	if err := LoadParams(m.Params(), got); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// LoadParams copies tensors into parameters by name after checking that names and shapes
// match exactly.
func LoadParams(ps []nn.Param, ts []checkpoint.Tensor) error {
	if err := checkpoint.Match(Tensors(ps), ts); err != nil {
		return err
	}
	byName := make(map[string]checkpoint.Tensor, len(ts))
	for _, t := range ts {
		byName[t.Name] = t
	}
	for _, p := range ps {
		copy(p.Var.Value.Data, byName[p.Name].Data)
	}
	return nil
}

// decodeConfig unmarshals a model config strictly: unknown fields are errors.
func decodeConfig(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad config: %w", err)
	}
	if dec.More() {
		return errors.New("bad config: trailing data")
	}
	return nil
}
