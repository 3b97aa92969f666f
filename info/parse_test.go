package info

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestParseList(t *testing.T) {
	good := []struct {
		in   string
		want []float64
	}{
		{"0.5,0.25,0.125,0.125", []float64{0.5, 0.25, 0.125, 0.125}},
		{"1/2, 1/4, 1/8, 1/8", []float64{0.5, 0.25, 0.125, 0.125}},
		{" .5 ,5e-1,+0.5", []float64{0.5, 0.5, 0.5}},
		{"1", []float64{1}},
		{"3,0,7", []float64{3, 0, 7}},
		{"-0.5,1.5", []float64{-0.5, 1.5}}, // well-formed; Validate rejects it
		{"1/3", []float64{1.0 / 3}},
		{"2.5/10", []float64{0.25}},
		{"1e-400", []float64{0}}, // underflow is a fine probability
	}
	for _, c := range good {
		got, err := ParseList(c.in)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseList(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	bad := []struct{ in, msg string }{
		{"", "empty list"},
		{"  ", "empty list"},
		{"0.5,,0.5", "item 2 is empty"},
		{"0.5,", "item 2 is empty"},
		{"abc", `item 1 ("abc") is not a number`},
		{"0.5,NaN", `item 2 ("NaN") is not a number`},
		{"Inf", `item 1 ("Inf") is not a number`},
		{"0x1p-3", `item 1 ("0x1p-3") is not a number`},
		{"1_0", `item 1 ("1_0") is not a number`},
		{"1e999", `item 1 ("1e999") is out of range`},
		{"1/0", `item 1 ("1/0") divides by zero`},
		{"1/", `item 1 ("1/"): denominator is empty`},
		{"/2", `item 1 ("/2"): numerator is empty`},
		{"1/2/3", `item 1 ("1/2/3"): denominator is not a number`},
		{"1e300/1e-300", `item 1 ("1e300/1e-300") overflows`},
		{"0.5 0.5", `item 1 ("0.5 0.5") is not a number`},
	}
	for _, c := range bad {
		_, err := ParseList(c.in)
		if err == nil || err.Error() != c.msg {
			t.Errorf("ParseList(%q) error %v, want %q", c.in, err, c.msg)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		p   []float64
		tol float64
		msg string // "" for valid
	}{
		{[]float64{0.5, 0.25, 0.125, 0.125}, -1, ""},
		{[]float64{0.1, 0.2, 0.7}, -1, ""}, // sums to 1 only up to rounding
		{[]float64{1, 0, 0}, -1, ""},
		{nil, -1, "no values"},
		{[]float64{0.5, -0.5, 1}, -1, "value 2 (-0.5) is negative"},
		{[]float64{math.NaN()}, -1, "value 1 is NaN"},
		{[]float64{math.Inf(1)}, -1, "value 1 is infinite"},
		{[]float64{0.5, 0.25}, -1, "probabilities sum to 0.75, not 1 (give --normalize to rescale, or --counts)"},
		{[]float64{0.5, 0.4}, 0.2, ""},
	} {
		err := Validate(c.p, c.tol)
		if c.msg == "" && err != nil || c.msg != "" && (err == nil || err.Error() != c.msg) {
			t.Errorf("Validate(%v, %v) = %v, want %q", c.p, c.tol, err, c.msg)
		}
	}
}

func TestNormalize(t *testing.T) {
	got, err := Normalize([]float64{4, 2, 1, 1})
	if want := []float64{0.5, 0.25, 0.125, 0.125}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Normalize(4,2,1,1) = %v, %v; want %v", got, err, want)
	}
	for _, c := range []struct {
		w   []float64
		msg string
	}{
		{nil, "no values"},
		{[]float64{0, 0}, "all values are 0"},
		{[]float64{1, -1}, "value 2 (-1) is negative"},
		{[]float64{math.MaxFloat64, math.MaxFloat64}, "values sum to more than the largest float64"},
	} {
		if _, err := Normalize(c.w); err == nil || err.Error() != c.msg {
			t.Errorf("Normalize(%v) error %v, want %q", c.w, err, c.msg)
		}
	}
}

func TestCount(t *testing.T) {
	got, err := CountRunes(strings.NewReader("晴晴曇雨晴曇"))
	want := []Symbol{{"晴", 3}, {"曇", 2}, {"雨", 1}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("CountRunes = %v, %v; want %v", got, err, want)
	}
	// Ties by code point.
	got, _ = CountRunes(strings.NewReader("cba"))
	if want := []Symbol{{"a", 1}, {"b", 1}, {"c", 1}}; !reflect.DeepEqual(got, want) {
		t.Errorf("CountRunes(cba) = %v", got)
	}
	if _, err := CountRunes(strings.NewReader("ab\xffc")); err == nil || err.Error() != "invalid UTF-8 at byte 2 (count bytes instead)" {
		t.Errorf("CountRunes(invalid) error %v", err)
	}
	if _, err := CountRunes(strings.NewReader("")); err == nil || err.Error() != "empty text" {
		t.Errorf("CountRunes(empty) error %v", err)
	}
	got, err = CountBytes(strings.NewReader("晴a\xff"))
	want = []Symbol{{"a", 1}, {"\x99", 1}, {"\xb4", 1}, {"\xe6", 1}, {"\xff", 1}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("CountBytes = %+v, %v; want %+v", got, err, want)
	}
	if _, err := CountBytes(strings.NewReader("")); err == nil || err.Error() != "empty file" {
		t.Errorf("CountBytes(empty) error %v", err)
	}
}

func TestAlign(t *testing.T) {
	p := []Symbol{{"a", 3}, {"b", 1}}
	q := []Symbol{{"c", 2}, {"a", 2}}
	alpha, pc, qc := Align(p, q)
	if !reflect.DeepEqual(alpha, []string{"a", "b", "c"}) || !reflect.DeepEqual(pc, []float64{3, 1, 0}) || !reflect.DeepEqual(qc, []float64{2, 0, 2}) {
		t.Errorf("Align = %q %v %v", alpha, pc, qc)
	}
}

func FuzzParseList(f *testing.F) {
	for _, s := range []string{
		"0.5,0.25,0.125,0.125", "1/2,1/4,1/8,1/8", "1", "", ",", "0.5,,", "NaN", "-Inf",
		"1e999", "1e-999", "1/0", "0/0", "1/2/3", " 3 , 4 ", "0x10", "1_000", "+.5e+1", "-0",
		"１", "1e", ".", "-", "/", "4/2,1/3,2/3,1e308/1e-10",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		xs, err := ParseList(s)
		if err != nil {
			if xs != nil {
				t.Fatalf("ParseList(%q) returned values %v with error %v", s, xs, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if len(xs) != strings.Count(s, ",")+1 {
			t.Fatalf("ParseList(%q) = %d values for %d items", s, len(xs), strings.Count(s, ",")+1)
		}
		parts := make([]string, len(xs))
		for i, x := range xs {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("ParseList(%q) gave non-finite %v", s, x)
			}
			parts[i] = strconv.FormatFloat(x, 'g', -1, 64)
		}
		// Round trip through the shortest decimal form.
		back, err := ParseList(strings.Join(parts, ","))
		if err != nil || !reflect.DeepEqual(back, xs) {
			t.Fatalf("round trip of %q: %v → %v, %v", s, xs, back, err)
		}
		// Validate and Normalize never panic on what the parser lets through.
		_ = Validate(xs, -1)
		if p, err := Normalize(xs); err == nil {
			_ = Entropy(p, Bits)
			_ = Huffman(p)
		}
	})
}
