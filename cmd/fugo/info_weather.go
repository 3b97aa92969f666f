package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"fugo/info"
)

// The fourth origin post's three countries. Their weather is one of four kinds.
var (
	weatherKinds = []string{"sunny", "cloudy", "rain", "snow"}
	countries    = []struct {
		name, about string
		p           []float64
	}{
		{"A", "uniform", []float64{0.25, 0.25, 0.25, 0.25}},
		{"B", "skewed", []float64{0.5, 0.25, 0.125, 0.125}},
		{"C", "always sunny", []float64{1, 0, 0, 0}},
	}
)

// floppyBits is the capacity of the post's floppy disk: 1 KB of 8000 bits.
const floppyBits = 8000

func infoWeather(e *env, args []string) error {
	fs := newFlagSet("info weather")
	out := fs.String("out", defaultInfoOut, "directory for weather.png")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("info weather: unexpected argument %q", rest[0])
	}
	if *out == "" {
		return usagef("info weather: --out: empty directory name")
	}
	if err := printWeather(e.stdout); err != nil {
		return err
	}
	if err := outDir(*out); err != nil {
		return err
	}
	path := outPath(*out, "weather.png")
	if err := writeWeatherPNG(path); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "\nwrote %s\n", path)
	return err
}

// printWeather writes every number of the post as tables.
func printWeather(w io.Writer) error {
	codes := make([]info.Code, len(countries))
	for i, c := range countries {
		codes[i] = info.Huffman(c.p)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")) }
	kinds := strings.Join(weatherKinds, "\t")

	fmt.Fprintln(tw, "The weather of three countries (the fourth origin post). Logarithms base 2, so information is in bits.")
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "Probability P(weather):")
	row("country", kinds, "entropy H(P) bits/day")
	for _, c := range countries {
		cells := []string{c.name}
		for _, x := range c.p {
			cells = append(cells, frac(x))
		}
		row(append(cells, num(info.Entropy(c.p, info.Bits)))...)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "Information log2 1/P(weather) in bits = the optimal code length; H(P) is its average:")
	row("country", kinds)
	for _, c := range countries {
		cells := []string{c.name}
		for _, x := range info.CodeLengths(c.p, info.Bits) {
			cells = append(cells, num(x))
		}
		row(cells...)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "Each country's own (Huffman) code, and its average length in bits/day:")
	row("country", kinds, "average")
	for i, c := range countries {
		cells := []string{c.name}
		for k, word := range codes[i].Words {
			switch {
			case !codes[i].Has[k]:
				word = "-"
			case word == "":
				word = "(empty)"
			}
			cells = append(cells, word)
		}
		row(append(cells, num(codes[i].Average))...)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "Cross-entropy H(P,Q) in bits/day: P's weather sent with the code made for Q:")
	matrix(row, func(p, q []float64) string { return num(info.CrossEntropy(p, q, info.Bits)) })
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "KL divergence D(P||Q) = H(P,Q) - H(P) in bits/day: the length wasted by Q's code:")
	matrix(row, func(p, q []float64) string { return num(info.KL(p, q, info.Bits)) })
	fmt.Fprintln(tw)
	fmt.Fprintf(tw, "Days of records on an %d-bit floppy, floor(%d / average length) with Q's code:\n", floppyBits, floppyBits)
	row("P \\ Q", countries[0].name, countries[1].name, countries[2].name)
	for _, pc := range countries {
		cells := []string{pc.name}
		for j := range countries {
			cells = append(cells, days(codes[j], pc.p))
		}
		row(cells...)
	}
	return tw.Flush()
}

func matrix(row func(...string), f func(p, q []float64) string) {
	row("P \\ Q", countries[0].name, countries[1].name, countries[2].name)
	for _, pc := range countries {
		cells := []string{pc.name}
		for _, qc := range countries {
			cells = append(cells, f(pc.p, qc.p))
		}
		row(cells...)
	}
}

// days says how many days of weather drawn from p fit on the floppy with code c.
func days(c info.Code, p []float64) string {
	avg := c.AverageUnder(p)
	switch {
	case math.IsInf(avg, 1):
		var missing []string
		for k, x := range p {
			if x > 0 && !c.Has[k] {
				missing = append(missing, weatherKinds[k])
			}
		}
		return "none (no word for " + strings.Join(missing, ", ") + ")"
	case avg == 0:
		return "unlimited (0 bits/day)"
	}
	return fmt.Sprintf("%d (%s bits/day)", int64(math.Floor(floppyBits/avg)), num(avg))
}
