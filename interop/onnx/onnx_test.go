package onnx_test

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fugo/interop/onnx"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

// ortDir is the folder of the ONNX Runtime check script.
var ortDir = filepath.Join("..", "ortcheck")

// runORT runs the ONNX file in ONNX Runtime on x and returns the output, skipping the
// test when node or onnxruntime-node is not installed.
func runORT(t *testing.T, model string, x *tensor.Tensor) *tensor.Tensor {
	t.Helper()
	if _, err := os.Stat(filepath.Join(ortDir, "node_modules", "onnxruntime-node")); err != nil {
		t.Skip("ONNX Runtime not installed: run 'npm ci --ignore-scripts' in interop/ortcheck")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found")
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.bin"), filepath.Join(dir, "out.bin")
	raw := make([]byte, 4*len(x.Data))
	for i, v := range x.Data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	if err := os.WriteFile(in, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	dims := make([]string, len(x.Shape))
	for i, d := range x.Shape {
		dims[i] = strconv.Itoa(d)
	}
	cmd := exec.Command(node, filepath.Join(ortDir, "run.js"), model, in, strings.Join(dims, ","), out)
	stdout, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("ONNX Runtime on %s: %v: %s", model, err, msg)
	}
	var shape []int
	if err := json.Unmarshal(stdout, &shape); err != nil {
		t.Fatalf("ONNX Runtime printed %q: %v", stdout, err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	y := tensor.New(shape...)
	if len(b) != 4*len(y.Data) {
		t.Fatalf("ONNX Runtime wrote %d bytes for shape %v", len(b), shape)
	}
	for i := range y.Data {
		y.Data[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return y
}

func maxDiff(a, b []float32) float64 {
	d := 0.0
	for i := range a {
		d = max(d, math.Abs(float64(a[i])-float64(b[i])))
	}
	return d
}

// Every part of the VAE and of a deep dense autoencoder runs in ONNX Runtime with the
// outputs fugo computes, to 1e-5.
func TestExportDenseModelsRunInORT(t *testing.T) {
	rng := tensor.NewRNG(3)
	vae := zoo.NewVAE(zoo.VAEConfig{OriginalDim: 784, IntermediateDim: 256, LatentDim: 2, EpsilonStd: 1}, rng)
	// Random non-zero biases, so that a mistake in them shows.
	for _, p := range vae.Params() {
		if strings.HasSuffix(p.Name, "/bias") {
			tensor.FromSlice(p.Var.Value.Data, len(p.Var.Value.Data)).FillUniform(rng, -0.5, 0.5)
		}
	}
	deep := zoo.NewDenseAE("deep", zoo.DenseConfig{Input: 784, Hidden: []int{128, 64, 32}}, rng)
	x := tensor.New(7, 784)
	x.FillUniform(rng, 0, 1)
	z := tensor.New(7, 2)
	z.FillNormal(rng, 0, 2)
	code := tensor.New(7, 32)
	code.FillUniform(rng, 0, 3)

	cases := []struct {
		name  string
		model zoo.Model
		part  string
		in    *tensor.Tensor
	}{
		{"vae encoder", vae, "encoder", x},
		{"vae decoder", vae, "decoder", z},
		{"vae all", vae, "all", x},
		{"deep encoder", deep, "encoder", x},
		{"deep decoder", deep, "decoder", code},
		{"deep all", deep, "all", x},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ae, _ := zoo.AsAutoencoder(c.model)
			var want *tensor.Tensor
			switch c.part {
			case "encoder":
				want = train.Predict(ae.Encode, c.in, 7)
			case "decoder":
				want = train.Predict(ae.Decode, c.in, 7)
			case "all":
				want = train.Predict(ae.Decode, train.Predict(ae.Encode, c.in, 7), 7)
			}
			g, err := onnx.Parts(c.model, c.part)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".onnx")
			if err := onnx.SaveFile(path, g); err != nil {
				t.Fatal(err)
			}
			got := runORT(t, path, c.in)
			if !slices.Equal(got.Shape, want.Shape) {
				t.Fatalf("ONNX Runtime output %v, fugo %v", got.Shape, want.Shape)
			}
			if d := maxDiff(got.Data, want.Data); !(d <= 1e-5) {
				t.Errorf("max |ONNX Runtime − fugo| = %.3g > 1e-5", d)
			}
		})
	}
}

func TestPartsErrors(t *testing.T) {
	vae := zoo.NewVAE(zoo.DefaultVAEConfig(), tensor.NewRNG(1))
	if _, err := onnx.Parts(vae, "middle"); err == nil || !strings.Contains(err.Error(), "encoder, decoder or all") {
		t.Errorf("got %v", err)
	}
	if err := onnx.SaveFile(filepath.Join(t.TempDir(), "x.onnx"), &onnx.Graph{}); err == nil {
		t.Error("empty graph exported")
	}
}
