package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"

	"fugo/info"
)

func init() {
	register(&verb{
		name:    "info",
		summary: "entropy, cross-entropy, KL divergence, Huffman codes (origin post 4)",
		usage:   infoUsage,
		run:     runInfo,
	})
}

const infoUsage = `
usage: fugo info TOPIC [flags]

Entropy, cross-entropy, Kullback-Leibler divergence and optimal codes, after the fourth
origin post. Logarithms are base 2 (bits) unless --base says otherwise.

Topics:

  weather   the post's three countries A (uniform over sunny, cloudy, rain, snow),
            B (1/2, 1/4, 1/8, 1/8) and C (always sunny): entropies, codes, cross-entropies,
            KL divergences and the days of records that fit on an 8000-bit floppy, as
            tables; and weather.png, the three distributions as bar charts
  entropy   H(P) of one distribution
  cross     cross-entropy H(P,Q): the average length when P's outcomes are sent with the
            code that is optimal for Q
  kl        Kullback-Leibler divergence D(P||Q) = H(P,Q) - H(P)
  code      each outcome's optimal code length log2 1/p, a Huffman code, its average length
  gradient  loss and |dloss/dz| of cross-entropy and of squared error for a sigmoid output
            with target 1, z from -10 to 10 (gradient.png); then trains a logistic unit from
            a confidently wrong start with each loss (fugo's autodiff, optim.SGD) and prints
            the steps each needs to fix it

Distributions (entropy, cross, kl, code):

  --p LIST       probabilities, comma-separated: 0.5,0.25,0.125,0.125 or 1/2,1/4,1/8,1/8
  --q LIST       the second distribution (cross, kl)
  --counts       LIST values are counts (any non-negative weights), divided by their sum
  --normalize    rescale probabilities that do not sum to 1 (otherwise |sum-1| <= 1e-9)
  --text FILE    P is the frequencies of the Unicode characters of FILE (UTF-8)
  --qtext FILE   Q likewise (cross, kl), over the union of both files' characters
  --bytes        with --text/--qtext: count bytes instead of characters
  --names LIST   names of the outcomes in code's table (default 1, 2, ...)
  --base B       2 (bits, the default), e (nats) or 10 (hartleys); code takes only 2

Figures (weather, gradient):

  --out DIR      directory for the PNG (default runs/info, created if missing)

Training (gradient):

  --lr R         SGD learning rate (default 0.1)
  --z0 Z         the starting pre-activation z = w*x + b, with x = 1 and w = b = Z/2
                 (default -10: output 4.5e-05 for a target of 1)
  --max-steps N  give up after N steps (default 1000000)

Examples:

  fugo info weather
  fugo info entropy --p 1/2,1/4,1/8,1/8
  fugo info kl --p 0.25,0.25,0.25,0.25 --q 0.5,0.25,0.125,0.125
  fugo info code --counts --p 45,13,12,16,9,5 --names a,b,c,d,e,f
  fugo info entropy --text README.md --base e

Invalid input (a value that is not a number or is negative, probabilities not summing to
1, lists of different lengths, an empty list or file, a file that cannot be opened or is
not UTF-8 without --bytes) is reported on one line and exits with status 2.
`

const defaultInfoOut = "runs/info"

func runInfo(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usagef("info: which topic? weather, entropy, cross, kl, code or gradient (see 'fugo help info')")
	}
	topic, args := args[0], args[1:]
	var err error
	switch topic {
	case "weather":
		err = infoWeather(e, args)
	case "entropy", "cross", "kl", "code":
		err = infoMeasure(e, topic, args)
	case "gradient":
		err = infoGradient(ctx, e, args)
	default:
		return usagef("info: unknown topic %q (want weather, entropy, cross, kl, code or gradient)", topic)
	}
	var ue *usageError
	if errors.As(err, &ue) {
		// One line, whatever a file name or flag value held; and "info …" rather than
		// "fugo info …" after runMain's "fugo: ".
		ue.msg = strings.TrimPrefix(strings.Join(strings.Fields(ue.msg), " "), "fugo ")
	}
	return err
}

// distFlags are the flags that say where a distribution comes from.
type distFlags struct {
	p, q, text, qtext, names, base string
	counts, normalize, bytes       bool
}

func (d *distFlags) register(fs *flag.FlagSet, two bool) {
	fs.StringVar(&d.p, "p", "", "probabilities, comma-separated")
	fs.BoolVar(&d.counts, "counts", false, "values are counts")
	fs.BoolVar(&d.normalize, "normalize", false, "rescale to sum 1")
	fs.StringVar(&d.text, "text", "", "frequencies of a file's characters")
	fs.BoolVar(&d.bytes, "bytes", false, "count bytes")
	fs.StringVar(&d.base, "base", "2", "logarithm base: 2, e or 10")
	if two {
		fs.StringVar(&d.q, "q", "", "second distribution")
		fs.StringVar(&d.qtext, "qtext", "", "frequencies of a second file")
	} else {
		fs.StringVar(&d.names, "names", "", "outcome names")
	}
}

// parseBase maps --base to an info.Base.
func parseBase(s string) (info.Base, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "2", "bits", "bit":
		return info.Bits, nil
	case "e", "nats", "nat":
		return info.Nats, nil
	case "10", "hartleys", "hartley":
		return info.Hartleys, nil
	}
	return 0, fmt.Errorf("--base %q: want 2, e or 10", s)
}

// loadDists returns P (and Q when two) as distributions with outcome names, or a usage
// error saying what was wrong with the input.
func (d *distFlags) load(name string, two bool) (p, q []float64, names []string, err error) {
	bad := func(format string, a ...any) error {
		return usagef("info %s: %s", name, fmt.Sprintf(format, a...))
	}
	fromList := d.p != "" || (two && d.q != "")
	fromText := d.text != "" || (two && d.qtext != "")
	switch {
	case fromList && fromText:
		return nil, nil, nil, bad("give lists (--p, --q) or files (--text, --qtext), not both")
	case !fromList && !fromText:
		if two {
			return nil, nil, nil, bad("give --p LIST --q LIST, or --text FILE --qtext FILE")
		}
		return nil, nil, nil, bad("give --p LIST or --text FILE")
	case d.bytes && !fromText:
		return nil, nil, nil, bad("--bytes needs --text")
	}
	if fromText {
		if d.counts || d.normalize {
			return nil, nil, nil, bad("--counts and --normalize go with --p, not --text (file counts are always normalised)")
		}
		if d.text == "" {
			return nil, nil, nil, bad("--qtext needs --text for P")
		}
		ps, err := countFile(d.text, d.bytes)
		if err != nil {
			return nil, nil, nil, bad("--text: %v", err)
		}
		if !two {
			pc := make([]float64, len(ps))
			names = make([]string, len(ps))
			for i, s := range ps {
				pc[i], names[i] = float64(s.Count), showSymbol(s.Text, d.bytes)
			}
			p, _ = info.Normalize(pc) // counts of a non-empty file: positive sum
			return p, nil, names, nil
		}
		if d.qtext == "" {
			return nil, nil, nil, bad("--text gives P; give --qtext FILE for Q")
		}
		qs, err := countFile(d.qtext, d.bytes)
		if err != nil {
			return nil, nil, nil, bad("--qtext: %v", err)
		}
		alpha, pc, qc := info.Align(ps, qs)
		p, _ = info.Normalize(pc)
		q, _ = info.Normalize(qc)
		names = make([]string, len(alpha))
		for i, s := range alpha {
			names[i] = showSymbol(s, d.bytes)
		}
		return p, q, names, nil
	}

	if d.p == "" {
		return nil, nil, nil, bad("--q needs --p for P")
	}
	if p, err = d.dist("--p", d.p); err != nil {
		return nil, nil, nil, bad("%v", err)
	}
	if two {
		if d.q == "" {
			return nil, nil, nil, bad("--p gives P; give --q LIST for Q")
		}
		if q, err = d.dist("--q", d.q); err != nil {
			return nil, nil, nil, bad("%v", err)
		}
		if len(p) != len(q) {
			return nil, nil, nil, bad("--p has %d values but --q has %d", len(p), len(q))
		}
	}
	if d.names != "" {
		names = strings.Split(d.names, ",")
		for i := range names {
			names[i] = strings.TrimSpace(names[i])
		}
		if len(names) != len(p) {
			return nil, nil, nil, bad("--names has %d names for %d outcomes", len(names), len(p))
		}
	} else {
		names = make([]string, len(p))
		for i := range names {
			names[i] = strconv.Itoa(i + 1)
		}
	}
	return p, q, names, nil
}

// dist parses one list flag and makes it a distribution as --counts/--normalize say.
func (d *distFlags) dist(flagName, s string) ([]float64, error) {
	xs, err := info.ParseList(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", flagName, err)
	}
	if d.counts || d.normalize {
		p, err := info.Normalize(xs)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", flagName, err)
		}
		return p, nil
	}
	if err := info.Validate(xs, info.Tolerance); err != nil {
		return nil, fmt.Errorf("%s: %v", flagName, err)
	}
	return xs, nil
}

func countFile(path string, bytes bool) ([]info.Symbol, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var syms []info.Symbol
	if bytes {
		syms, err = info.CountBytes(f)
	} else {
		syms, err = info.CountRunes(f)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return syms, nil
}

// showSymbol makes a character or byte printable in a table: itself when it is a visible
// character, otherwise a Go-quoted form ("\n", " ", "\xff").
func showSymbol(s string, bytes bool) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == len(s) && r != utf8.RuneError && unicode.IsGraphic(r) && !unicode.IsSpace(r) && (!bytes || r < utf8.RuneSelf) {
		return s
	}
	if bytes {
		return fmt.Sprintf("0x%02x", s[0])
	}
	return strconv.QuoteToASCII(s)
}

// infoMeasure runs entropy, cross, kl and code.
func infoMeasure(e *env, topic string, args []string) error {
	two := topic == "cross" || topic == "kl"
	fs := newFlagSet("info " + topic)
	var d distFlags
	d.register(fs, two)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("info %s: unexpected argument %q", topic, rest[0])
	}
	base, err := parseBase(d.base)
	if err != nil {
		return usagef("info %s: %v", topic, err)
	}
	if topic == "code" && base != info.Bits {
		return usagef("info code: --base %s: Huffman codes are binary, so code lengths are in bits (base 2)", d.base)
	}
	p, q, names, err := d.load(topic, two)
	if err != nil {
		return err
	}
	unit := base.Unit()
	w := e.stdout
	switch topic {
	case "entropy":
		_, err = fmt.Fprintf(w, "H(P) = %s %s\n", num(info.Entropy(p, base)), unit)
	case "cross":
		_, err = fmt.Fprintf(w, "H(P,Q) = %s %s\n", num(info.CrossEntropy(p, q, base)), unit)
	case "kl":
		_, err = fmt.Fprintf(w, "D(P||Q) = %s %s\n", num(info.KL(p, q, base)), unit)
	case "code":
		err = printCode(w, p, names)
	}
	return err
}

func printCode(w io.Writer, p []float64, names []string) error {
	c := info.Huffman(p)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "outcome\tp\tlog2 1/p (bits)\tHuffman word\tlength (bits)")
	for i := range p {
		word, length := c.Words[i], strconv.Itoa(c.Lengths[i])
		switch {
		case !c.Has[i]:
			word, length = "-", "-"
		case word == "":
			word = "(empty)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", names[i], num(p[i]), num(info.Information(p[i], info.Bits)), word, length)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	h := info.Entropy(p, info.Bits)
	_, err := fmt.Fprintf(w, "H(P) = %s bits; Huffman average length %s bits per outcome (H <= L < H+1); Kraft sum %s\n",
		num(h), num(c.Average), num(c.Kraft()))
	return err
}

// num formats a number in the shortest form that reads back exactly; +Inf as "+Inf".
func num(x float64) string {
	if math.IsInf(x, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// frac formats a probability as a fraction n/d with d ≤ 64 when it is one exactly
// (1/4, 3/8), otherwise like num.
func frac(x float64) string {
	if x == 0 || x == 1 {
		return num(x)
	}
	for d := 2; d <= 64; d++ {
		n := x * float64(d)
		if n == math.Trunc(n) && n/float64(d) == x {
			return fmt.Sprintf("%d/%d", int64(n), d)
		}
	}
	return num(x)
}

// outDir makes the --out directory (checked non-empty with the other flags); failing
// to is a runtime error.
func outDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return nil
}

// outPath is where a figure goes.
func outPath(dir, name string) string { return filepath.Join(dir, name) }
