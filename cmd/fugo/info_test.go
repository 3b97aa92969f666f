package main

import (
	"bytes"
	"context"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// runFugo runs one command line through runMain with buffers.
func runFugo(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = runMain(context.Background(), e, args)
	return code, out.String(), errb.String()
}

// fields normalises a table line's spacing.
func fields(s string) string { return strings.Join(strings.Fields(s), " ") }

// containsInOrder reports the first expected line missing from out (compared with
// normalised spacing), looking for each after the previous one.
func containsInOrder(out string, want []string) (missing string, ok bool) {
	lines := strings.Split(out, "\n")
	i := 0
	for _, w := range want {
		for i < len(lines) && fields(lines[i]) != w {
			i++
		}
		if i == len(lines) {
			return w, false
		}
		i++
	}
	return "", true
}

func TestInfoWeather(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runFugo(t, "info", "weather", "--out", dir)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	// Every number of the post, written out by hand (bits; days = ⌊8000 / bits per day⌋:
	// 8000/2 = 4000, 8000/(7/4) = 4571.4…, 8000/(9/4) = 3555.5…, 8000/1 = 8000).
	want := []string{
		"country sunny cloudy rain snow entropy H(P) bits/day",
		"A 1/4 1/4 1/4 1/4 2",
		"B 1/2 1/4 1/8 1/8 1.75",
		"C 1 0 0 0 0",
		"country sunny cloudy rain snow",
		"A 2 2 2 2",
		"B 1 2 3 3",
		"C 0 +Inf +Inf +Inf",
		"country sunny cloudy rain snow average",
		"A 00 01 10 11 2",
		"B 0 10 110 111 1.75",
		"C (empty) - - - 0",
		"Cross-entropy H(P,Q) in bits/day: P's weather sent with the code made for Q:",
		"P \\ Q A B C",
		"A 2 2.25 +Inf",
		"B 2 1.75 +Inf",
		"C 2 1 0",
		"KL divergence D(P||Q) = H(P,Q) - H(P) in bits/day: the length wasted by Q's code:",
		"P \\ Q A B C",
		"A 0 0.25 +Inf",
		"B 0.25 0 +Inf",
		"C 2 1 0",
		"Days of records on an 8000-bit floppy, floor(8000 / average length) with Q's code:",
		"P \\ Q A B C",
		"A 4000 (2 bits/day) 3555 (2.25 bits/day) none (no word for cloudy, rain, snow)",
		"B 4000 (2 bits/day) 4571 (1.75 bits/day) none (no word for cloudy, rain, snow)",
		"C 4000 (2 bits/day) 8000 (1 bits/day) unlimited (0 bits/day)",
		"wrote " + filepath.Join(dir, "weather.png"),
	}
	if missing, ok := containsInOrder(out, want); !ok {
		t.Errorf("output lacks %q (in order); got:\n%s", missing, out)
	}
	checkPNG(t, filepath.Join(dir, "weather.png"))
}

func checkPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if cfg.Width < 600 || cfg.Height < 400 {
		t.Errorf("%s is %d×%d, too small to read", path, cfg.Width, cfg.Height)
	}
	// No temporary files left beside it.
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestInfoMeasures(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	aab := write("aab.txt", "aab")
	ab := write("ab.txt", "ab")
	abc := write("abc.txt", "abcabc")
	hare := write("hare.txt", "晴")

	log23 := math.Log2(3) // H(2/3, 1/3) = log2 3 − 2/3
	for _, c := range []struct {
		args []string
		want float64 // the printed value, parsed
		line string  // the printed line without the value
	}{
		{[]string{"entropy", "--p", "0.5,0.25,0.125,0.125"}, 1.75, "H(P) = bits"},
		{[]string{"entropy", "--p", "1/2,1/4,1/8,1/8"}, 7.0 / 4, "H(P) = bits"},
		{[]string{"entropy", "--p", "1/4,1/4,1/4,1/4", "--base", "e"}, 2 * math.Ln2, "H(P) = nats"},
		{[]string{"entropy", "--p", "1/4,1/4,1/4,1/4", "--base", "10"}, 2 * math.Log10(2), "H(P) = hartleys"},
		{[]string{"entropy", "--p", "1,0,0,0"}, 0, "H(P) = bits"},
		{[]string{"entropy", "--p", "0.1,0.2,0.7"}, -(0.1*math.Log2(0.1) + 0.2*math.Log2(0.2) + 0.7*math.Log2(0.7)), "H(P) = bits"},
		{[]string{"entropy", "--counts", "--p", "2,1,1"}, 1.5, "H(P) = bits"},
		{[]string{"entropy", "--normalize", "--p", "0.5,0.25"}, log23 - 2.0/3, "H(P) = bits"},
		{[]string{"entropy", "--text", aab}, log23 - 2.0/3, "H(P) = bits"},
		{[]string{"entropy", "--text", hare}, 0, "H(P) = bits"},
		{[]string{"entropy", "--text", hare, "--bytes"}, log23, "H(P) = bits"},
		{[]string{"cross", "--p", "1/4,1/4,1/4,1/4", "--q", "1/2,1/4,1/8,1/8"}, 9.0 / 4, "H(P,Q) = bits"},
		{[]string{"cross", "--p", "1/2,1/4,1/8,1/8", "--q", "1/4,1/4,1/4,1/4"}, 2, "H(P,Q) = bits"},
		{[]string{"cross", "--p", "1/4,1/4,1/4,1/4", "--q", "1,0,0,0"}, math.Inf(1), "H(P,Q) = bits"},
		{[]string{"cross", "--p", "1,0,0,0", "--q", "1/2,1/4,1/8,1/8"}, 1, "H(P,Q) = bits"},
		{[]string{"cross", "--text", ab, "--qtext", aab}, 0.5*math.Log2(3.0/2) + 0.5*math.Log2(3), "H(P,Q) = bits"},
		{[]string{"cross", "--text", abc, "--qtext", aab}, math.Inf(1), "H(P,Q) = bits"},
		{[]string{"kl", "--p", "1/4,1/4,1/4,1/4", "--q", "1/2,1/4,1/8,1/8"}, 0.25, "D(P||Q) = bits"},
		{[]string{"kl", "--p", "1/2,1/4,1/8,1/8", "--q", "1/4,1/4,1/4,1/4"}, 0.25, "D(P||Q) = bits"},
		{[]string{"kl", "--p", "1,0,0,0", "--q", "0.25,0.25,0.25,0.25"}, 2, "D(P||Q) = bits"},
		{[]string{"kl", "--p", "0.5,0.25,0.125,0.125", "--q", "1,0,0,0"}, math.Inf(1), "D(P||Q) = bits"},
		{[]string{"kl", "--p", "1,0,0,0", "--q", "1/4,1/4,1/4,1/4", "--base", "e"}, 2 * math.Ln2, "D(P||Q) = nats"},
		{[]string{"kl", "--counts", "--p", "1,1", "--q", "3,1"}, 0.5*math.Log2(0.5/0.75) + 0.5*math.Log2(0.5/0.25), "D(P||Q) = bits"},
	} {
		code, out, errs := runFugo(t, append([]string{"info"}, c.args...)...)
		if code != 0 || errs != "" {
			t.Errorf("%q: exit %d, stderr %q", c.args, code, errs)
			continue
		}
		f := strings.Fields(out)
		if len(f) != 4 || strings.Count(out, "\n") != 1 {
			t.Errorf("%q: output %q, want one line like %q", c.args, out, c.line)
			continue
		}
		got, err := strconv.ParseFloat(f[2], 64)
		if err != nil || math.Abs(got-c.want) > 1e-12 || math.IsInf(c.want, 1) != math.IsInf(got, 1) {
			t.Errorf("%q: printed %q, want %v", c.args, out, c.want)
		}
		if line := f[0] + " " + f[1] + " " + f[3]; line != c.line {
			t.Errorf("%q: printed %q, want the form %q", c.args, out, c.line)
		}
	}
}

func TestInfoCode(t *testing.T) {
	code, out, errs := runFugo(t, "info", "code", "--p", "1/2,1/4,1/8,1/8", "--names", "sunny,cloudy,rain,snow")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	want := []string{
		"outcome p log2 1/p (bits) Huffman word length (bits)",
		"sunny 0.5 1 0 1",
		"cloudy 0.25 2 10 2",
		"rain 0.125 3 110 3",
		"snow 0.125 3 111 3",
		"H(P) = 1.75 bits; Huffman average length 1.75 bits per outcome (H <= L < H+1); Kraft sum 1",
	}
	if missing, ok := containsInOrder(out, want); !ok {
		t.Errorf("output lacks %q; got:\n%s", missing, out)
	}
	// Country C: one certain outcome, nothing to send.
	_, out, _ = runFugo(t, "info", "code", "--p", "1,0,0,0")
	if missing, ok := containsInOrder(out, []string{"1 1 0 (empty) 0", "2 0 +Inf - -",
		"H(P) = 0 bits; Huffman average length 0 bits per outcome (H <= L < H+1); Kraft sum 1"}); !ok {
		t.Errorf("output lacks %q; got:\n%s", missing, out)
	}
	// Symbols of a text, most frequent first; spaces and newlines quoted.
	dir := t.TempDir()
	p := filepath.Join(dir, "t.txt")
	os.WriteFile(p, []byte("aaaa bb\n"), 0o644)
	_, out, _ = runFugo(t, "info", "code", "--text", p)
	if missing, ok := containsInOrder(out, []string{"a 0.5 1 0 1", "b 0.25 2 10 2", `"\n" 0.125 3 110 3`, `" " 0.125 3 111 3`}); !ok {
		t.Errorf("output lacks %q; got:\n%s", missing, out)
	}
}

func TestInfoHelp(t *testing.T) {
	code, out, _ := runFugo(t, "help", "info")
	if code != 0 || !strings.Contains(out, "--out DIR") || !strings.Contains(out, "default runs/info") {
		t.Errorf("help info: exit %d, output %q", code, out)
	}
}

// TestInfoInvalidInput checks that each kind of invalid input exits 2 with one line on
// stderr that says what was wrong, and nothing on stdout.
func TestInfoInvalidInput(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	os.WriteFile(empty, nil, 0o644)
	binary := filepath.Join(dir, "bin")
	os.WriteFile(binary, []byte("ab\xff"), 0o644)
	text := filepath.Join(dir, "t.txt")
	os.WriteFile(text, []byte("abc"), 0o644)
	for _, c := range []struct {
		args []string
		msg  string // a part of the message
	}{
		{[]string{}, "which topic?"},
		{[]string{"--p", "1"}, "which topic?"},
		{[]string{"entropie"}, `unknown topic "entropie"`},
		{[]string{"entropy"}, "give --p LIST or --text FILE"},
		{[]string{"entropy", "--p", "0.5,abc"}, `--p: item 2 ("abc") is not a number`},
		{[]string{"entropy", "--p", "0.5,NaN,0.5"}, `--p: item 2 ("NaN") is not a number`},
		{[]string{"entropy", "--p", "0.5,-0.5,1"}, "--p: value 2 (-0.5) is negative"},
		{[]string{"entropy", "--p", "0.5,0.25"}, "--p: probabilities sum to 0.75, not 1"},
		{[]string{"entropy", "--p", " "}, "--p: empty list"},
		{[]string{"entropy", "--p", ","}, "--p: item 1 is empty"},
		{[]string{"entropy", "--p", "1/0"}, `--p: item 1 ("1/0") divides by zero`},
		{[]string{"entropy", "--counts", "--p", "0,0"}, "--p: all values are 0"},
		{[]string{"entropy", "--normalize", "--p", "1,-1"}, "--p: value 2 (-1) is negative"},
		{[]string{"entropy", "--p", "1", "--base", "3"}, `--base "3": want 2, e or 10`},
		{[]string{"entropy", "--p", "1", "--q", "1"}, "flag provided but not defined: -q"},
		{[]string{"entropy", "--p", "1", "extra"}, `unexpected argument "extra"`},
		{[]string{"entropy", "--p", "1", "--text", text}, "not both"},
		{[]string{"entropy", "--p", "1", "--bytes"}, "--bytes needs --text"},
		{[]string{"entropy", "--text", filepath.Join(dir, "missing")}, "--text: open "},
		{[]string{"entropy", "--text", empty}, "empty text"},
		{[]string{"entropy", "--text", empty, "--bytes"}, "empty file"},
		{[]string{"entropy", "--text", binary}, "invalid UTF-8 at byte 2"},
		{[]string{"entropy", "--text", text, "--counts"}, "--counts and --normalize go with --p"},
		{[]string{"cross", "--p", "0.5,0.5"}, "give --q LIST for Q"},
		{[]string{"cross", "--q", "0.5,0.5"}, "--q needs --p"},
		{[]string{"cross", "--p", "0.5,0.5", "--q", "1/3,1/3,1/3"}, "--p has 2 values but --q has 3"},
		{[]string{"kl", "--p", "0.5,0.5", "--q", "0.5,x"}, `--q: item 2 ("x") is not a number`},
		{[]string{"kl", "--p", "0.5,0.5", "--q", "0.9,0.2"}, "--q: probabilities sum to 1.1"},
		{[]string{"kl", "--text", text}, "give --qtext FILE"},
		{[]string{"kl", "--qtext", text}, "--qtext needs --text"},
		{[]string{"kl", "--text", text, "--qtext", empty}, "--qtext: " + empty + ": empty text"},
		{[]string{"code", "--p", "0.5,0.5", "--base", "e"}, "Huffman codes are binary"},
		{[]string{"code", "--p", "0.5,0.5", "--names", "a,b,c"}, "--names has 3 names for 2 outcomes"},
		{[]string{"weather", "--p", "1"}, "flag provided but not defined: -p"},
		{[]string{"weather", "now"}, `unexpected argument "now"`},
		{[]string{"gradient", "--lr", "-1"}, "--lr -1: want a learning rate"},
		{[]string{"gradient", "--lr", "x"}, `invalid value "x" for flag -lr`},
		{[]string{"gradient", "--z0", "100"}, "--z0 100: want a pre-activation in [-50, 50]"},
		{[]string{"gradient", "--max-steps", "0"}, "--max-steps 0: want 1 to 1e9"},
		{[]string{"gradient", "--out", ""}, "--out: empty directory name"},
		{[]string{"entropy", "--text", filepath.Join(dir, "two\nlines")}, "--text: open "},
	} {
		code, out, errs := runFugo(t, append([]string{"info"}, c.args...)...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2 (stderr %q)", c.args, code, errs)
		}
		if out != "" {
			t.Errorf("%q: stdout %q, want none", c.args, out)
		}
		if !strings.HasPrefix(errs, "fugo: info") || strings.Count(errs, "\n") != 1 || !strings.HasSuffix(errs, "\n") {
			t.Errorf("%q: stderr %q, want one line starting \"fugo: info\"", c.args, errs)
		}
		if !strings.Contains(errs, c.msg) {
			t.Errorf("%q: stderr %q lacks %q", c.args, errs, c.msg)
		}
	}
}

// TestInfoGradient runs the verb and checks its numbers: the start gradients against their
// closed forms, and the steps autodiff+SGD needed against a float64 simulation of the same
// updates (z ← z + 2·lr·|dL/dz|, since w and b both receive dL/dz with x = 1).
func TestInfoGradient(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runFugo(t, "info", "gradient", "--out", dir)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	checkPNG(t, filepath.Join(dir, "gradient.png"))
	s := 1 / (1 + math.Exp(10)) // σ(−10)
	for _, c := range []struct {
		name      string
		gradAbs   float64 // |dL/dz| at z = −10
		grad      func(z float64) float64
		maxRelErr float64
	}{
		{"cross-entropy", 1 - s, func(z float64) float64 { return 1 / (1 + math.Exp(z)) }, 0.005},
		{"squared error", 2 * s * (1 - s) * (1 - s), func(z float64) float64 {
			y := 1 / (1 + math.Exp(-z))
			return 2 * y * (1 - y) * (1 - y)
		}, 0.005},
	} {
		var row []string
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, c.name+" ") && row == nil {
				row = strings.Fields(strings.TrimPrefix(line, c.name))
			}
		}
		if len(row) != 5 {
			t.Fatalf("%s: no result row in\n%s", c.name, out)
		}
		g, _ := strconv.ParseFloat(row[0], 64)
		if math.Abs(g-c.gradAbs) > 1e-5*c.gradAbs {
			t.Errorf("%s: |dL/dz| at start %v, want %v", c.name, g, c.gradAbs)
		}
		steps, err := strconv.Atoi(row[1])
		if err != nil {
			t.Fatalf("%s: steps %q", c.name, row[1])
		}
		want := 0
		for z := -10.0; z < 0; want++ {
			z += 2 * 0.1 * c.grad(z)
		}
		if math.Abs(float64(steps-want)) > c.maxRelErr*float64(want)+1 {
			t.Errorf("%s: %d steps, float64 simulation %d", c.name, steps, want)
		}
		t.Logf("%s: %d steps (float64 simulation: %d)", c.name, steps, want)
	}
	if !strings.Contains(out, "squared error needed") {
		t.Errorf("no comparison line in\n%s", out)
	}
}

// FuzzInfoMeasure feeds arbitrary lists to every measuring topic: the command never
// panics and either succeeds or exits 2 with one line.
func FuzzInfoMeasure(f *testing.F) {
	for _, s := range [][2]string{
		{"0.5,0.25,0.125,0.125", "1/4,1/4,1/4,1/4"}, {"1,0,0,0", "0.5,0.5,0,0"}, {"", ""},
		{"1e-320,1", "1,1e-320"}, {"NaN", "1"}, {"-1,2", "2,-1"}, {"3,4", "5,6"}, {"1/3,2/3", "2/3,1/3"},
	} {
		f.Add(s[0], s[1], false)
		f.Add(s[0], s[1], true)
	}
	f.Fuzz(func(t *testing.T, p, q string, counts bool) {
		for _, topic := range []string{"entropy", "cross", "kl", "code"} {
			args := []string{"info", topic, "--p", p}
			if topic == "cross" || topic == "kl" {
				args = append(args, "--q", q)
			}
			if counts {
				args = append(args, "--counts")
			}
			code, out, errs := runFugo(t, args...)
			switch code {
			case 0:
				if errs != "" || out == "" {
					t.Fatalf("%q: exit 0 with stdout %q, stderr %q", args, out, errs)
				}
			case 2:
				if out != "" || strings.Count(errs, "\n") != 1 {
					t.Fatalf("%q: exit 2 with stdout %q, stderr %q", args, out, errs)
				}
			default:
				t.Fatalf("%q: exit %d, stderr %q", args, code, errs)
			}
		}
	})
}
