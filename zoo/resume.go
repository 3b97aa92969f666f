package zoo

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fugo/checkpoint"
	"fugo/internal/atomicfile"
	"fugo/nn"
	"fugo/optim"
	"fugo/train"
)

// Files a resumable run keeps beside model.json and model.safetensors.
const (
	// OptimizerStateName holds the optimizer's slots, one tensor "<slot>/<param>" per
	// parameter and slot (e.g. "accumulator/dense_h/kernel"), shaped like the parameter.
	OptimizerStateName = "optimizer.safetensors"
	// RunStateName is the run's JSON state (RunState), written last.
	RunStateName = "state.json"
)

// RunStateVersion is the version of state.json this build writes and reads.
const RunStateVersion = 1

// RunState is state.json: what, besides the weights, a training run needs to continue
// exactly where it stopped.
//
// The four files of a run directory are each written atomically (temporary file, then
// rename), and state.json last. It records an FNV-1a 64 checksum of the weights and of
// the optimizer slots it belongs with (over names, shapes and float32 bits), so a
// directory whose writing was cut short between two files — new weights beside an old
// state — is refused by LoadRun instead of silently resumed.
type RunState struct {
	Format  string `json:"format"`  // always "fugo-run"
	Version int    `json:"version"` // RunStateVersion
	Kind    string `json:"kind"`    // the model kind, as in model.json
	// Epochs is the number of epochs completed in all, the InitialEpoch of the next Fit.
	Epochs int `json:"epochs"`
	// MidEpoch is true when the weights include steps of an epoch that did not finish
	// (training was interrupted or stopped on a non-finite loss). Resuming such a run
	// continues from those weights but repeats the unfinished epoch from its start, so it
	// is not bit-identical to an uninterrupted run.
	MidEpoch bool `json:"mid_epoch,omitempty"`
	// Optimizer is the Keras name of the optimizer ("rmsprop", …) and Iterations its step
	// count (optim.Optimizer.Iterations).
	Optimizer  string `json:"optimizer"`
	Iterations int64  `json:"iterations"`
	// Seed is the seed the run started from (informational).
	Seed uint64 `json:"seed"`
	// RNG holds the state of each named random source (rand.PCG.MarshalBinary, base64 in
	// the JSON), e.g. "rng": the one that shuffles and samples.
	RNG map[string][]byte `json:"rng"`
	// Order is the permutation of the training rows the last epoch was shuffled into
	// (train.Config.Order): the next epoch shuffles it again.
	Order []int `json:"order,omitempty"`
	// History is every epoch trained so far, across resumptions.
	History []train.Epoch `json:"history"`
	// Checksums maps model.safetensors and optimizer.safetensors to "fnv1a64:<hex>".
	Checksums map[string]string `json:"checksums"`
}

// OptimizerKind returns the Keras name of a fugo optimizer ("sgd", "rmsprop", "adam",
// "adadelta", "adagrad"), the name optim.New takes, or "" for another type.
func OptimizerKind(opt optim.Optimizer) string {
	switch opt.(type) {
	case *optim.SGD:
		return "sgd"
	case *optim.RMSprop:
		return "rmsprop"
	case *optim.Adam:
		return "adam"
	case *optim.Adadelta:
		return "adadelta"
	case *optim.Adagrad:
		return "adagrad"
	}
	return ""
}

// OptimizerTensors lists the optimizer's slots as checkpoint tensors named
// "<slot>/<param name>" with the parameters' shapes, sharing the slots' data. ps must be
// the parameters the optimizer was made with, in the same order.
func OptimizerTensors(opt optim.Optimizer, ps []nn.Param) ([]checkpoint.Tensor, error) {
	names, bufs := opt.Slots()
	var ts []checkpoint.Tensor
	for s, name := range names {
		if len(bufs[s]) != len(ps) {
			return nil, fmt.Errorf("optimizer has %d %q buffers for %d parameters", len(bufs[s]), name, len(ps))
		}
		for i, p := range ps {
			if len(bufs[s][i]) != len(p.Var.Value.Data) {
				return nil, fmt.Errorf("optimizer slot %s/%s has %d values, parameter has %d", name, p.Name, len(bufs[s][i]), len(p.Var.Value.Data))
			}
			ts = append(ts, checkpoint.Tensor{Name: name + "/" + p.Name, Shape: p.Var.Value.Shape, Data: bufs[s][i]})
		}
	}
	return ts, nil
}

// Checksum is the FNV-1a 64 hash, as "fnv1a64:<16 hex digits>", of the tensors' names,
// shapes and float32 bit patterns in order: equal for bit-identical weights.
func Checksum(ts []checkpoint.Tensor) string {
	h := fnv.New64a()
	var b [8]byte
	for _, t := range ts {
		io.WriteString(h, t.Name)
		h.Write([]byte{0})
		for _, d := range t.Shape {
			binary.LittleEndian.PutUint64(b[:], uint64(d))
			h.Write(b[:])
		}
		buf := make([]byte, 4*min(len(t.Data), 1<<14))
		for i := 0; i < len(t.Data); i += len(buf) / 4 {
			chunk := t.Data[i:min(len(t.Data), i+len(buf)/4)]
			for j, v := range chunk {
				binary.LittleEndian.PutUint32(buf[4*j:], math.Float32bits(v))
			}
			h.Write(buf[:4*len(chunk)])
		}
	}
	return fmt.Sprintf("fnv1a64:%016x", h.Sum64())
}

// SaveRun writes a resumable run into dir: model.json and model.safetensors (Save, with
// metadata), optimizer.safetensors, then state.json, each atomically. st supplies the
// run's fields (Epochs, MidEpoch, Seed, Order, History); SaveRun fills Format, Version,
// Kind, Optimizer, Iterations, RNG (from rngs, name → source) and Checksums.
func SaveRun(dir string, m Model, opt optim.Optimizer, rngs map[string]*rand.PCG, st RunState, metadata map[string]string) error {
	kind := OptimizerKind(opt)
	if kind == "" {
		return fmt.Errorf("save %s: optimizer %T cannot be saved for resuming", dir, opt)
	}
	ots, err := OptimizerTensors(opt, m.Params())
	if err != nil {
		return fmt.Errorf("save %s: %w", dir, err)
	}
	st.Format, st.Version, st.Kind = "fugo-run", RunStateVersion, m.Kind()
	st.Optimizer, st.Iterations = kind, opt.Iterations()
	st.RNG = make(map[string][]byte, len(rngs))
	for name, src := range rngs {
		b, err := src.MarshalBinary()
		if err != nil {
			return fmt.Errorf("save %s: random state %q: %w", dir, name, err)
		}
		st.RNG[name] = b
	}
	if st.History == nil {
		st.History = []train.Epoch{}
	}
	st.Checksums = map[string]string{
		WeightsName:        Checksum(Tensors(m.Params())),
		OptimizerStateName: Checksum(ots),
	}
	if err := Save(dir, m, metadata); err != nil {
		return err
	}
	if err := checkpoint.SaveFile(filepath.Join(dir, OptimizerStateName), ots, map[string]string{"optimizer": kind}); err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, RunStateName), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	})
}

// ReadRunState reads and checks dir/state.json.
func ReadRunState(dir string) (*RunState, error) {
	path := filepath.Join(dir, RunStateName)
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: no %s: not a resumable run (fugo train writes it beside the weights)", dir, RunStateName)
		}
		return nil, err
	}
	var st RunState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("%s: not a fugo run state: %w", path, err)
	}
	switch {
	case st.Format != "fugo-run":
		return nil, fmt.Errorf("%s: format %q, want \"fugo-run\"", path, st.Format)
	case st.Version != RunStateVersion:
		return nil, fmt.Errorf("%s: run state version %d, this fugo reads version %d", path, st.Version, RunStateVersion)
	case st.Epochs < 0 || st.Iterations < 0:
		return nil, fmt.Errorf("%s: negative epochs %d or iterations %d", path, st.Epochs, st.Iterations)
	case len(st.History) != st.Epochs:
		return nil, fmt.Errorf("%s: %d epochs but a history of %d", path, st.Epochs, len(st.History))
	case st.Checksums[WeightsName] == "" || st.Checksums[OptimizerStateName] == "":
		return nil, fmt.Errorf("%s: checksums of %s and %s missing", path, WeightsName, OptimizerStateName)
	}
	return &st, nil
}

// LoadRun reloads the model of a run saved by SaveRun (Load, with rng for the model's own
// randomness until RestoreRNG replaces its state) and reads its state, checking that the
// weights are the ones state.json was written with.
func LoadRun(dir string, rng *rand.Rand) (Model, *RunState, error) {
	st, err := ReadRunState(dir)
	if err != nil {
		return nil, nil, err
	}
	m, err := Load(dir, rng)
	if err != nil {
		return nil, nil, err
	}
	if m.Kind() != st.Kind {
		return nil, nil, fmt.Errorf("%s: model kind %q but %s says %q", dir, m.Kind(), RunStateName, st.Kind)
	}
	if got := Checksum(Tensors(m.Params())); got != st.Checksums[WeightsName] {
		return nil, nil, fmt.Errorf("%s: %s (%s) is not the one %s was saved with (%s): the directory was half-written or changed", dir, WeightsName, got, RunStateName, st.Checksums[WeightsName])
	}
	return m, st, nil
}

// RestoreOptimizer loads dir/optimizer.safetensors into opt, which must be of the kind the
// run used and made for m's parameters in m.Params() order, and sets its iteration count.
func (st *RunState) RestoreOptimizer(dir string, opt optim.Optimizer, m Model) error {
	if k := OptimizerKind(opt); k != st.Optimizer {
		return fmt.Errorf("%s: the run used optimizer %q, not %q", dir, st.Optimizer, k)
	}
	want, err := OptimizerTensors(opt, m.Params())
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	path := filepath.Join(dir, OptimizerStateName)
	got, _, err := checkpoint.LoadFile(path)
	if err != nil {
		return err
	}
	if err := checkpoint.Match(want, got); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	byName := make(map[string]checkpoint.Tensor, len(got))
	for _, t := range got {
		byName[t.Name] = t
	}
	// Check before changing opt, so a refused file leaves it as it was.
	ordered := make([]checkpoint.Tensor, len(want))
	for i, w := range want {
		ordered[i] = checkpoint.Tensor{Name: w.Name, Shape: w.Shape, Data: byName[w.Name].Data}
	}
	if sum := Checksum(ordered); sum != st.Checksums[OptimizerStateName] {
		return fmt.Errorf("%s: checksum %s, %s says %s: the directory was half-written or changed", path, sum, RunStateName, st.Checksums[OptimizerStateName])
	}
	for i, w := range want {
		copy(w.Data, ordered[i].Data)
	}
	opt.SetIterations(st.Iterations)
	return nil
}

// RestoreRNG sets src to the saved state of the random source called name.
func (st *RunState) RestoreRNG(name string, src *rand.PCG) error {
	b, ok := st.RNG[name]
	if !ok {
		names := make([]string, 0, len(st.RNG))
		for n := range st.RNG {
			names = append(names, n)
		}
		slices.Sort(names)
		return fmt.Errorf("%s: no random state %q (have %s)", RunStateName, name, strings.Join(names, ", "))
	}
	if err := src.UnmarshalBinary(b); err != nil {
		return fmt.Errorf("%s: random state %q: %w", RunStateName, name, err)
	}
	return nil
}
