package info

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// The three countries of the fourth origin post, outcomes sunny, cloudy, rain, snow.
var (
	countryA = []float64{0.25, 0.25, 0.25, 0.25}
	countryB = []float64{0.5, 0.25, 0.125, 0.125}
	countryC = []float64{1, 0, 0, 0}
)

var inf = math.Inf(1)

// TestPostNumbers checks every number of the post. The expected values are written out by
// hand from the formulas, as the post does, e.g. H(B) = ½·1 + ¼·2 + ⅛·3 + ⅛·3 = 7/4.
// Everything is a power of ½, so base-2 arithmetic is exact and equality is required.
func TestPostNumbers(t *testing.T) {
	A, B, C := countryA, countryB, countryC
	cases := []struct {
		name string
		got  float64
		want float64
	}{
		{"H(A)", Entropy(A, Bits), 4 * (1.0 / 4) * 2},                                      // = 2
		{"H(B)", Entropy(B, Bits), 1.0/2*1 + 1.0/4*2 + 1.0/8*3 + 1.0/8*3},                  // = 7/4
		{"H(C)", Entropy(C, Bits), 0},                                                      // 1·log 1 + 3·(0·log 1/0)
		{"H(A,A)", CrossEntropy(A, A, Bits), 2},                                            // = H(A)
		{"H(A,B)", CrossEntropy(A, B, Bits), 1.0/4*1 + 1.0/4*2 + 1.0/4*3 + 1.0/4*3},        // = 9/4
		{"H(B,A)", CrossEntropy(B, A, Bits), 1.0/2*2 + 1.0/4*2 + 1.0/8*2 + 1.0/8*2},        // = 2
		{"D(A||B)", KL(A, B, Bits), 1.0/4*(1-2) + 1.0/4*(2-2) + 1.0/4*(3-2) + 1.0/4*(3-2)}, // = 1/4
		{"D(B||A)", KL(B, A, Bits), 1.0/2*(2-1) + 1.0/4*(2-2) + 1.0/8*(2-3) + 1.0/8*(2-3)}, // = 1/4
		{"H(A,C)", CrossEntropy(A, C, Bits), inf},
		{"D(A||C)", KL(A, C, Bits), inf},
		{"H(C,A)", CrossEntropy(C, A, Bits), 1 * 2},
		{"D(C||A)", KL(C, A, Bits), 1*2 - 0},
		{"H(B,C)", CrossEntropy(B, C, Bits), inf},
		{"D(B||C)", KL(B, C, Bits), inf},
		{"H(C,B)", CrossEntropy(C, B, Bits), 1 * 1},
		{"D(C||B)", KL(C, B, Bits), 1*1 - 0},
		{"H(C,C)", CrossEntropy(C, C, Bits), 0},
		{"D(C||C)", KL(C, C, Bits), 0},
		{"D(A||A)", KL(A, A, Bits), 0},
		{"D(B||B)", KL(B, B, Bits), 0},
	}
	for _, c := range cases {
		if c.got != c.want || math.Signbit(c.got) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	// The literal values the post prints.
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"H(A)", Entropy(A, 0), 2}, {"H(B)", Entropy(B, 0), 1.75}, {"H(C)", Entropy(C, 0), 0},
		{"H(A,B)", CrossEntropy(A, B, 0), 2.25}, {"H(B,A)", CrossEntropy(B, A, 0), 2},
		{"D(A||B)", KL(A, B, 0), 0.25}, {"D(B||A)", KL(B, A, 0), 0.25},
	} {
		if c.got != c.want {
			t.Errorf("zero Base: %s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestPostCodes(t *testing.T) {
	for _, c := range []struct {
		name    string
		p       []float64
		lengths []float64 // log2 1/p, the post's "value" of each kind of weather
		words   []string
		has     []bool
		average float64
	}{
		{"A", countryA, []float64{2, 2, 2, 2}, []string{"00", "01", "10", "11"}, []bool{true, true, true, true}, 2},
		{"B", countryB, []float64{1, 2, 3, 3}, []string{"0", "10", "110", "111"}, []bool{true, true, true, true}, 0.5*1 + 0.25*2 + 0.125*3 + 0.125*3},
		{"C", countryC, []float64{0, inf, inf, inf}, []string{"", "", "", ""}, []bool{true, false, false, false}, 0},
	} {
		if got := CodeLengths(c.p, Bits); !reflect.DeepEqual(got, c.lengths) || math.Signbit(got[0]) {
			t.Errorf("CodeLengths(%s) = %v, want %v", c.name, got, c.lengths)
		}
		code := Huffman(c.p)
		if !reflect.DeepEqual(code.Words, c.words) || !reflect.DeepEqual(code.Has, c.has) {
			t.Errorf("Huffman(%s) = %q has %v, want %q has %v", c.name, code.Words, code.Has, c.words, c.has)
		}
		if code.Average != c.average {
			t.Errorf("Huffman(%s).Average = %v, want %v", c.name, code.Average, c.average)
		}
		if k := code.Kraft(); k != 1 {
			t.Errorf("Huffman(%s).Kraft() = %v, want 1", c.name, k)
		}
	}
	// The floppy: 8000 bits, days = ⌊8000 / average bits per day⌋. Written out by hand:
	// 8000/2 = 4000, 8000/(7/4) = 32000/7 = 4571.4…, 8000/(9/4) = 32000/9 = 3555.5…
	codeA, codeB, codeC := Huffman(countryA), Huffman(countryB), Huffman(countryC)
	days := func(bitsPerDay float64) float64 { return math.Floor(8000 / bitsPerDay) }
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"A with A's code", days(codeA.AverageUnder(countryA)), 4000},
		{"B with B's code", days(codeB.AverageUnder(countryB)), 4571},
		{"A with B's code", days(codeB.AverageUnder(countryA)), 3555},
		{"B with A's code", days(codeA.AverageUnder(countryB)), 4000},
		{"C with C's code", days(codeC.AverageUnder(countryC)), inf},
		{"A with C's code", days(codeC.AverageUnder(countryA)), 0},
		{"C with B's code", days(codeB.AverageUnder(countryC)), 8000},
	} {
		if c.got != c.want {
			t.Errorf("days of %s = %v, want %v", c.name, c.got, c.want)
		}
	}
	// The post's inequalities around those numbers.
	if !(8000/1.75 > 4500) || !(8000/2.25 < 3600) {
		t.Error("the post's bounds 8000/1.75 > 4500 and 8000/2.25 < 3600 fail")
	}
}

func TestBases(t *testing.T) {
	third := []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"H(A) nats", Entropy(countryA, Nats), 2 * math.Ln2},
		{"H(A) hartleys", Entropy(countryA, Hartleys), 2 * math.Log10(2)},
		{"H(B) nats", Entropy(countryB, Nats), 1.75 * math.Ln2},
		{"H(A,B) nats", CrossEntropy(countryA, countryB, Nats), 2.25 * math.Ln2},
		{"D(A||B) hartleys", KL(countryA, countryB, Hartleys), 0.25 * math.Log10(2)},
		{"H(uniform 3) bits", Entropy(third, Bits), math.Log2(3)},
		{"H(uniform 3) base 3", Entropy(third, Base(3)), 1},
		{"H(coin 0.9) bits", Entropy([]float64{0.9, 0.1}, Bits), 0.9*math.Log2(10.0/9) + 0.1*math.Log2(10)},
		{"I(1/8) bits", Information(0.125, Bits), 3},
		{"I(1/e) nats", Information(1/math.E, Nats), 1},
		{"I(0.001) hartleys", Information(0.001, Hartleys), 3},
	} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	for b, u := range map[Base]string{0: "bits", Bits: "bits", Nats: "nats", Hartleys: "hartleys", 3: "log_3 units"} {
		if b.Unit() != u {
			t.Errorf("Base(%v).Unit() = %q, want %q", float64(b), b.Unit(), u)
		}
	}
}

func TestEdgeCases(t *testing.T) {
	// Zero probabilities in P cost nothing even where Q is 0 as well.
	p := []float64{0.5, 0.5, 0}
	q := []float64{0.5, 0.5, 0}
	if h := CrossEntropy(p, q, Bits); h != 1 {
		t.Errorf("H(P,Q) with a shared zero = %v, want 1", h)
	}
	if d := KL(p, q, Bits); d != 0 {
		t.Errorf("D(P||Q) with a shared zero = %v, want 0", d)
	}
	// Tiny Q: log p − log q stays finite where p/q would overflow.
	if d := KL([]float64{1, 0}, []float64{0x1p-1070, 1 - 0x1p-1070}, Bits); d != 1070 {
		t.Errorf("D with tiny q = %v, want 1070", d)
	}
	if h := Entropy([]float64{1}, Bits); h != 0 || math.Signbit(h) {
		t.Errorf("H((1)) = %v, want +0", h)
	}
	if i := Information(0, Bits); !math.IsInf(i, 1) {
		t.Errorf("I(0) = %v, want +Inf", i)
	}
	mustPanic(t, "CrossEntropy length mismatch", func() { CrossEntropy([]float64{1}, []float64{0.5, 0.5}, Bits) })
	mustPanic(t, "KL length mismatch", func() { KL([]float64{1}, []float64{0.5, 0.5}, Bits) })
	mustPanic(t, "Huffman negative", func() { Huffman([]float64{-1, 2}) })
}

func mustPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s: no panic", name)
		}
	}()
	f()
}

func TestHuffmanTies(t *testing.T) {
	// (1/3, 1/3, 1/6, 1/6) has two optimal length sets, (2,2,2,2) and (1,2,3,3). Ties go to
	// the older subtree, so the two leaves of 1/3 merge before the merged 1/6+1/6 does.
	c := Huffman([]float64{1.0 / 3, 1.0 / 3, 1.0 / 6, 1.0 / 6})
	if want := []string{"00", "01", "10", "11"}; !reflect.DeepEqual(c.Words, want) {
		t.Errorf("words %q, want %q", c.Words, want)
	}
	// Canonical order: shorter words first, index order within a length.
	c = Huffman([]float64{0.125, 0.5, 0.125, 0.25})
	if want := []string{"110", "0", "111", "10"}; !reflect.DeepEqual(c.Words, want) {
		t.Errorf("words %q, want %q", c.Words, want)
	}
	if s := c.String(); s != "110 0 111 10" {
		t.Errorf("String() = %q", s)
	}
	if s := Huffman(countryC).String(); s != "ε - - -" {
		t.Errorf("C String() = %q", s)
	}
	// Same input, same code, every time.
	p := []float64{0.2, 0.2, 0.2, 0.2, 0.2}
	first := Huffman(p)
	for range 10 {
		if c := Huffman(p); !reflect.DeepEqual(c, first) {
			t.Fatalf("Huffman not deterministic: %v vs %v", c, first)
		}
	}
	if c := Huffman(nil); len(c.Words) != 0 || c.Average != 0 {
		t.Errorf("Huffman(nil) = %+v", c)
	}
}

// randomDist draws a distribution over 1–12 outcomes; some have zeros, some are dyadic.
func randomDist(rng *rand.Rand, n int) []float64 {
	p := make([]float64, n)
	switch rng.IntN(4) {
	case 0: // dyadic: a random prefix code's 2^−length
		return dyadic(rng, n)
	case 1: // with zeros
		for i := range p {
			if rng.IntN(3) > 0 {
				p[i] = rng.Float64()
			}
		}
	case 2: // peaked
		for i := range p {
			p[i] = math.Pow(rng.Float64(), 8)
		}
	default:
		for i := range p {
			p[i] = rng.Float64()
		}
	}
	p[rng.IntN(n)] += 0.01 // never all zero
	q, err := Normalize(p)
	if err != nil {
		panic(err)
	}
	return q
}

// dyadic splits probability 1 by repeatedly halving a random outcome's share.
func dyadic(rng *rand.Rand, n int) []float64 {
	p := []float64{1}
	for len(p) < n {
		i := rng.IntN(len(p))
		p[i] /= 2
		p = append(p, p[i])
	}
	return p
}

func TestProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 4))
	for trial := range 3000 {
		n := 1 + rng.IntN(12)
		p, q := randomDist(rng, n), randomDist(rng, n)
		hp, hpq, d := Entropy(p, Bits), CrossEntropy(p, q, Bits), KL(p, q, Bits)
		const eps = 1e-12
		// Gibbs' inequality, and D = H(P,Q) − H(P).
		if hpq < hp-eps {
			t.Fatalf("trial %d: H(P,Q) = %v < H(P) = %v\nP=%v\nQ=%v", trial, hpq, hp, p, q)
		}
		if d < 0 {
			t.Fatalf("trial %d: D(P||Q) = %v < 0", trial, d)
		}
		if !math.IsInf(hpq, 1) && math.Abs(d-(hpq-hp)) > 1e-9 {
			t.Fatalf("trial %d: D = %v but H(P,Q) − H(P) = %v", trial, d, hpq-hp)
		}
		if math.IsInf(hpq, 1) != math.IsInf(d, 1) {
			t.Fatalf("trial %d: H(P,Q) = %v but D = %v", trial, hpq, d)
		}
		// Equality iff P = Q.
		if dpp := KL(p, p, Bits); dpp != 0 {
			t.Fatalf("trial %d: D(P||P) = %v", trial, dpp)
		}
		if hpp := CrossEntropy(p, p, Bits); hpp != hp {
			t.Fatalf("trial %d: H(P,P) = %v, H(P) = %v", trial, hpp, hp)
		}
		if !reflect.DeepEqual(p, q) && !(d > 0) {
			t.Fatalf("trial %d: P ≠ Q but D(P||Q) = %v\nP=%v\nQ=%v", trial, d, p, q)
		}
		// Entropy bounds: 0 ≤ H(P) ≤ log2 of the number of possible outcomes.
		support := 0
		for _, x := range p {
			if x > 0 {
				support++
			}
		}
		if hp < 0 || hp > math.Log2(float64(support))+eps {
			t.Fatalf("trial %d: H(P) = %v outside [0, log2 %d]", trial, hp, support)
		}
		// Huffman: H ≤ L < H + 1, Kraft equality, prefix-free, no worse than Shannon's
		// ⌈log 1/p⌉ code.
		c := Huffman(p)
		if c.Average < hp-eps || c.Average >= hp+1 {
			t.Fatalf("trial %d: Huffman average %v outside [H, H+1) with H = %v\nP=%v", trial, c.Average, hp, p)
		}
		if k := c.Kraft(); k != 1 {
			t.Fatalf("trial %d: Kraft sum %v ≠ 1 for lengths %v", trial, k, c.Lengths)
		}
		shannon := 0.0
		for _, x := range p {
			if x > 0 {
				shannon += x * math.Ceil(Information(x, Bits))
			}
		}
		if c.Average > shannon+eps {
			t.Fatalf("trial %d: Huffman %v worse than Shannon %v", trial, c.Average, shannon)
		}
		checkPrefixFree(t, c)
	}
}

func TestDyadicHuffmanIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		p := dyadic(rng, 1+rng.IntN(16))
		c := Huffman(p)
		if h := Entropy(p, Bits); c.Average != h {
			t.Fatalf("dyadic %v: Huffman average %v ≠ H %v", p, c.Average, h)
		}
		for i, x := range p {
			if float64(c.Lengths[i]) != Information(x, Bits) {
				t.Fatalf("dyadic %v: length %d of outcome %d, want log 1/p = %v", p, c.Lengths[i], i, Information(x, Bits))
			}
		}
	}
}

func checkPrefixFree(t *testing.T, c Code) {
	t.Helper()
	for i, a := range c.Words {
		if !c.Has[i] {
			continue
		}
		for j, b := range c.Words {
			if i != j && c.Has[j] && strings.HasPrefix(b, a) {
				t.Fatalf("word %q of %d is a prefix of %q of %d", a, i, b, j)
			}
		}
	}
}
