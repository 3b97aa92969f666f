package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"fugo/checkpoint"
	"fugo/interop"
	"fugo/interop/onnx"
	"fugo/tensor"
	"fugo/zoo"
)

func init() {
	register(&verb{
		name:    "export",
		summary: "write a trained model as ONNX or as a PyTorch state dict",
		usage: `usage: fugo export onnx --model DIR [--part encoder|decoder|all] OUT.onnx
       fugo export torch --model DIR [--names L=M,...] OUT.safetensors

onnx writes the model saved in DIR (by fugo train) as an ONNX file (opset 13) with
one input "input" [N, …] and one output "output", for ONNX Runtime and other
engines: its encoder (x → code; the VAE's z_mean), its decoder (code → x̂) or all
of it (x → x̂; the VAE decodes z_mean, without sampling). Inputs and outputs keep
fugo's layouts, so ONNX Runtime takes the arrays fugo takes: [N, 784] for the
dense models (vae, simple, sparse, deep), NHWC images [N, H, W, C] and codes
[N, h, w, c] for conv, denoise and illust (the graph transposes to NCHW and back
inside), [N, T, F] sequences and [N, latent] codes for seq. The classifiers
(speaker: ids [N, length] as float32 → probabilities; speaker-bag: counts) export
whole only (--part all).

torch writes the weights as a PyTorch state dict in safetensors: Linear weights
transposed, Conv2d/Conv1d kernels permuted, LSTM gates transposed with the bias as
bias_ih_l0 (bias_hh_l0 zero). Load it in Python with safetensors.torch.load_file
and module.load_state_dict. Each fugo layer L is the module of the same name, or
M with --names L=M.

Flags:
  --model DIR   the saved model (model.json + model.safetensors)
  --part P      onnx: encoder, decoder or all (default all)
  --names MAP   torch: comma-separated fugo-layer=torch-module pairs`,
		run: runExport,
	})
}

func runExport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usagef("export: which format? onnx or torch; see 'fugo help export'")
	}
	format := args[0]
	fs := newFlagSet("export " + format)
	model := fs.String("model", "", "")
	part := fs.String("part", "all", "")
	namesFlag := fs.String("names", "", "")
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("export %s: want one output file; see 'fugo help export'", format)
	}
	out := rest[0]
	switch format {
	case "onnx":
		if strings.ToLower(filepath.Ext(out)) != ".onnx" {
			return usagef("export onnx: output %q: want a .onnx file name", out)
		}
		switch *part {
		case "encoder", "decoder", "all":
		default:
			return usagef("export onnx: --part %q: want encoder, decoder or all", *part)
		}
		m, err := loadModel(*model)
		if err != nil {
			return err
		}
		g, err := onnx.Parts(m, *part)
		if err != nil {
			return fmt.Errorf("--model %s: %w", *model, err)
		}
		if err := onnx.SaveFile(out, g); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote %s (%s of a %s model, input [N %s])\n", out, *part, m.Kind(), strings.Trim(fmt.Sprint(g.InputShape), "[]"))
		return nil
	case "torch":
		if strings.ToLower(filepath.Ext(out)) != ".safetensors" {
			return usagef("export torch: output %q: want a .safetensors file name", out)
		}
		names, err := parseNames(*namesFlag)
		if err != nil {
			return err
		}
		m, err := loadModel(*model)
		if err != nil {
			return err
		}
		sd, err := interop.ToTorch(m.Params(), names)
		if err != nil {
			return fmt.Errorf("--model %s: %w", *model, err)
		}
		if err := checkpoint.SaveFile(out, sd, map[string]string{"format": "pt", "fugo_kind": m.Kind()}); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote %s (%d tensors of a %s model)\n", out, len(sd), m.Kind())
		return nil
	}
	return usagef("export: unknown format %q (want onnx or torch)", format)
}

func loadModel(dir string) (zoo.Model, error) {
	if dir == "" {
		return nil, usagef("--model DIR is required")
	}
	m, err := zoo.Load(dir, tensor.NewRNG(1))
	if err != nil {
		return nil, fmt.Errorf("--model: %w", err)
	}
	return m, nil
}

// parseNames reads --names "a=b,c=d".
func parseNames(s string) (interop.Names, error) {
	names := interop.Names{}
	if s == "" {
		return names, nil
	}
	for _, pair := range strings.Split(s, ",") {
		l, m, ok := strings.Cut(pair, "=")
		if !ok || l == "" || m == "" {
			return nil, usagef("export torch: --names %q: want fugo-layer=torch-module pairs separated by commas", s)
		}
		names[l] = m
	}
	return names, nil
}
