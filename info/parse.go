package info

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Tolerance is the default slack Validate allows between Σ P(ω) and 1: a list typed in
// decimals such as 0.1,0.2,0.7 sums to 1 only up to rounding.
const Tolerance = 1e-9

// MaxListLen bounds how many numbers ParseList accepts, so a hostile argument cannot make
// the tools allocate without limit.
const MaxListLen = 1 << 20

// ParseList parses a comma-separated list of numbers such as "0.5,0.25,0.125,0.125" or
// "1/2, 1/4, 1/8, 1/8". Each item is a decimal or exponent literal accepted by
// strconv.ParseFloat ("0.5", "5e-1", ".5"), or a fraction "a/b" of two such literals
// (computed as a/b, so 1/8 is exactly 0.125 and 1/3 is its nearest float64). Spaces around
// items are ignored. Empty items, NaN, infinities, a zero denominator, and results that
// overflow are errors that name the item by its 1-based position. Signs are accepted: a
// negative number is a well-formed number, which Validate then rejects as a probability.
func ParseList(s string) ([]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("empty list")
	}
	if n := strings.Count(s, ",") + 1; n > MaxListLen {
		return nil, fmt.Errorf("list has %d items, more than %d", n, MaxListLen)
	}
	items := strings.Split(s, ",")
	out := make([]float64, 0, len(items))
	for i, item := range items {
		item = strings.TrimSpace(item)
		x, err := parseItem(item)
		if err != nil {
			return nil, fmt.Errorf("item %d %s", i+1, err)
		}
		out = append(out, x)
	}
	return out, nil
}

func parseItem(item string) (float64, error) {
	if item == "" {
		return 0, errors.New("is empty")
	}
	num, den, isFrac := strings.Cut(item, "/")
	if !isFrac {
		x, err := parseNumber(item)
		if err != nil {
			return 0, fmt.Errorf("(%q) %v", item, err)
		}
		return x, nil
	}
	a, err := parseNumber(strings.TrimSpace(num))
	if err != nil {
		return 0, fmt.Errorf("(%q): numerator %v", item, err)
	}
	b, err := parseNumber(strings.TrimSpace(den))
	if err != nil {
		return 0, fmt.Errorf("(%q): denominator %v", item, err)
	}
	if b == 0 {
		return 0, fmt.Errorf("(%q) divides by zero", item)
	}
	x := a / b
	if math.IsInf(x, 0) {
		return 0, fmt.Errorf("(%q) overflows", item)
	}
	return x, nil
}

// parseNumber accepts what strconv.ParseFloat does, except NaN and infinities, hexadecimal
// literals and underscores (ParseFloat takes those only with a base prefix anyway).
func parseNumber(s string) (float64, error) {
	if s == "" {
		return 0, errors.New("is empty")
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || r == 'e' || r == 'E' || r == '+' || r == '-') {
			return 0, errors.New("is not a number")
		}
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			if math.IsInf(x, 0) {
				return 0, errors.New("is out of range")
			}
			return x, nil // underflow to 0 or a subnormal: a fine probability
		}
		return 0, errors.New("is not a number")
	}
	return x, nil
}

// Validate checks that p is a probability distribution: not empty, every value finite and
// ≥ 0, and |Σ p − 1| ≤ tol (tol < 0 means Tolerance). The error names the first offending
// value by its 1-based position, in the words the CLI prints.
func Validate(p []float64, tol float64) error {
	if tol < 0 {
		tol = Tolerance
	}
	sum, err := checkValues(p)
	if err != nil {
		return err
	}
	if math.Abs(sum-1) > tol {
		return fmt.Errorf("probabilities sum to %v, not 1 (give --normalize to rescale, or --counts)", sum)
	}
	return nil
}

// Normalize returns w / Σ w, the distribution proportional to the non-negative weights
// (counts, or probabilities that do not quite sum to 1). It rejects what Validate rejects
// except the sum, and a sum of 0. Weights that are already a distribution summing exactly
// to 1 come back unchanged.
func Normalize(w []float64) ([]float64, error) {
	sum, err := checkValues(w)
	if err != nil {
		return nil, err
	}
	if sum == 0 {
		return nil, errors.New("all values are 0")
	}
	if math.IsInf(sum, 0) {
		return nil, errors.New("values sum to more than the largest float64")
	}
	out := make([]float64, len(w))
	for i, x := range w {
		out[i] = x / sum
	}
	return out, nil
}

func checkValues(p []float64) (float64, error) {
	if len(p) == 0 {
		return 0, errors.New("no values")
	}
	sum := 0.0
	for i, x := range p {
		switch {
		case math.IsNaN(x):
			return 0, fmt.Errorf("value %d is NaN", i+1)
		case math.IsInf(x, 0):
			return 0, fmt.Errorf("value %d is infinite", i+1)
		case x < 0:
			return 0, fmt.Errorf("value %d (%v) is negative", i+1, x)
		}
		sum += x
	}
	return sum, nil
}
