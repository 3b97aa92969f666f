package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fugo/zoo"
)

// Every verb that reads files, run on broken ones, fails with one clear "fugo: …" line
// naming what is wrong, exit status 1 or 2, and no panic (runMain would not return).
func TestVerbsOnBrokenInputs(t *testing.T) {
	data, model := trainTinyVAE(t)
	tmp := t.TempDir()
	file := func(name string, b []byte) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// modelDir copies the good model and lets spoil change it.
	n := 0
	modelDir := func(spoil func(dir string)) string {
		n++
		dir := filepath.Join(tmp, "m"+string(rune('a'+n)))
		os.MkdirAll(dir, 0o755)
		for _, name := range []string{zoo.ConfigName, zoo.WeightsName, zoo.OptimizerStateName, zoo.RunStateName} {
			b, err := os.ReadFile(filepath.Join(model, name))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, name), b, 0o644)
		}
		spoil(dir)
		return dir
	}
	rewrite := func(name string, f func([]byte) []byte) func(string) {
		return func(dir string) {
			p := filepath.Join(dir, name)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, f(b), 0o644)
		}
	}
	replace := func(name, old, new string) func(string) {
		return rewrite(name, func(b []byte) []byte { return []byte(strings.Replace(string(b), old, new, 1)) })
	}

	empty := file("empty.npy", nil)
	codes := file("codes.csv", []byte("0.5,-1\n1,2\n"))
	brokenModels := map[string]string{
		"empty dir":            filepath.Join(tmp, "emptydir"),
		"missing dir":          filepath.Join(tmp, "nothing-here"),
		"no weights":           modelDir(func(d string) { os.Remove(filepath.Join(d, zoo.WeightsName)) }),
		"empty config":         modelDir(rewrite(zoo.ConfigName, func([]byte) []byte { return nil })),
		"config not json":      modelDir(rewrite(zoo.ConfigName, func([]byte) []byte { return []byte("\x89PNG\r\n") })),
		"truncated config":     modelDir(rewrite(zoo.ConfigName, func(b []byte) []byte { return b[:len(b)/2] })),
		"wrong model kind":     modelDir(replace(zoo.ConfigName, `"vae"`, `"gan"`)),
		"huge declared sizes":  modelDir(replace(zoo.ConfigName, `"original_dim": 784`, `"original_dim": 1000000000000`)),
		"huge product":         modelDir(replace(zoo.ConfigName, `"intermediate_dim": 256`, `"intermediate_dim": 1000000`)),
		"wrong shape":          modelDir(replace(zoo.ConfigName, `"latent_dim": 2`, `"latent_dim": 3`)),
		"truncated weights":    modelDir(rewrite(zoo.WeightsName, func(b []byte) []byte { return b[:len(b)-100] })),
		"weights wrong magic":  modelDir(rewrite(zoo.WeightsName, func(b []byte) []byte { return append([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, b[8:]...) })),
		"weights empty":        modelDir(rewrite(zoo.WeightsName, func([]byte) []byte { return nil })),
		"half-written run dir": modelDir(rewrite(zoo.WeightsName, func(b []byte) []byte { b[len(b)-1] ^= 0x40; return b })),
	}
	os.Mkdir(brokenModels["empty dir"], 0o755)

	type run struct {
		name string
		args []string
	}
	var runs []run
	for what, dir := range brokenModels {
		if what == "half-written run dir" { // the weights load; only resuming notices
			continue
		}
		runs = append(runs,
			run{"encode/" + what, []string{"encode", "--model", dir, "--out", filepath.Join(tmp, "c.npy"), filepath.Join(data, "t10k-images-idx3-ubyte")}},
			run{"decode/" + what, []string{"decode", "--model", dir, "--out", filepath.Join(tmp, "d.png"), codes}},
			run{"sample/" + what, []string{"sample", "--model", dir, "--out", filepath.Join(tmp, "s.png")}},
			run{"export onnx/" + what, []string{"export", "onnx", "--model", dir, filepath.Join(tmp, "x.onnx")}},
			run{"export torch/" + what, []string{"export", "torch", "--model", dir, filepath.Join(tmp, "x.safetensors")}},
		)
	}
	for what, dir := range brokenModels {
		runs = append(runs, run{"train --resume/" + what, []string{"train", "vae", "--data", data, "--epochs", "1", "-q", "--out", filepath.Join(tmp, "r"), "--resume", dir}})
	}
	// Broken inputs to a good model.
	idx, _ := os.ReadFile(filepath.Join(data, "t10k-images-idx3-ubyte"))
	inputs := map[string]string{
		"empty file":      file("empty", nil),
		"empty npy":       empty,
		"truncated idx":   file("trunc-idx", idx[:len(idx)/2]),
		"wrong magic":     file("magic", []byte("not an idx file at all")),
		"huge idx dims":   file("huge-idx", []byte{0, 0, 8, 3, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff}),
		"wrong shape csv": file("shape.csv", []byte("1,2,3\n4,5,6\n")),
		"nan csv":         file("nan.csv", []byte(strings.Repeat("0,", 783)+"NaN\n")),
		"truncated npy":   file("trunc.npy", append(npyHeader("(100, 784)"), 0, 0, 0)),
		"huge npy shape":  file("huge.npy", npyHeader("(100000000000, 784)")),
		"broken png":      file("broken.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")),
		"folder without images": func() string {
			d := filepath.Join(tmp, "noimg")
			os.Mkdir(d, 0o755)
			os.WriteFile(filepath.Join(d, "a.txt"), []byte("x"), 0o644)
			return d
		}(),
	}
	for what, in := range inputs {
		runs = append(runs, run{"encode input/" + what, []string{"encode", "--model", model, "--out", filepath.Join(tmp, "c.npy"), in}})
		if strings.HasSuffix(in, ".csv") || strings.HasSuffix(in, ".npy") {
			runs = append(runs, run{"decode input/" + what, []string{"decode", "--model", model, "--out", filepath.Join(tmp, "d.png"), in}})
		}
	}
	runs = append(runs,
		run{"train broken data", []string{"train", "vae", "--data", filepath.Join(tmp, "emptydir"), "--epochs", "1", "-q", "--out", filepath.Join(tmp, "r")}},
		run{"decode too many", []string{"decode", "--model", model, "--out", filepath.Join(tmp, "d.png"), file("many.csv", []byte(strings.Repeat("0,0\n", 10001)))}},
		run{"sample -n 0", []string{"sample", "--model", model, "-n", "0"}},
		run{"sample bad out", []string{"sample", "--model", model, "--out", filepath.Join(tmp, "s.gif")}},
		run{"export bad part", []string{"export", "onnx", "--model", model, "--part", "middle", filepath.Join(tmp, "x.onnx")}},
		run{"export no format", []string{"export"}},
		run{"encode no model", []string{"encode", filepath.Join(data, "t10k-images-idx3-ubyte")}},
		run{"encode out dir missing", []string{"encode", "--model", model, "--out", filepath.Join(tmp, "no", "dir", "c.npy"), filepath.Join(data, "t10k-images-idx3-ubyte")}},
	)

	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			code, _, stderr := runFugo(t, r.args...)
			if code != 1 && code != 2 {
				t.Fatalf("exit %d, want 1 or 2 (stderr %q)", code, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if !strings.HasPrefix(lines[0], "fugo: ") || len(stderr) > 2000 {
				t.Errorf("stderr %q: want one short 'fugo: …' message", stderr)
			}
			t.Logf("exit %d: %s", code, lines[0])
		})
	}
}

// npyHeader is a .npy version 1.0 header for float32 data of the given shape.
func npyHeader(shape string) []byte {
	dict := "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }"
	pad := 64 - (10+len(dict)+1)%64
	dict += strings.Repeat(" ", pad%64) + "\n"
	return append([]byte{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, byte(len(dict)), byte(len(dict) >> 8)}, dict...)
}
