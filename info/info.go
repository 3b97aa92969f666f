// Package info measures discrete distributions the way the fourth origin post does: the
// information of one outcome, entropy, cross-entropy, Kullback–Leibler divergence, and the
// Huffman code that comes within one bit of the entropy.
//
// A distribution is a []float64 of probabilities P(ω) over outcomes ω = 0, 1, …, n−1. The
// measures do not check their arguments; use Validate (or Normalize, for counts) on anything
// that comes from outside. Two distributions passed together must have the same length (a
// mismatch is a programmer error and panics).
//
// Conventions, all from the limits of the formulas:
//
//	0 · log(1/0) = 0        an outcome that never happens costs nothing
//	p · log(1/0) = +Inf     for p > 0: a code with no word for an outcome that happens
//
// Logarithms are to a Base: 2 (bits, the default), e (nats) or 10 (hartleys). In base 2 the
// arithmetic is exact whenever the probabilities are powers of 1/2, as in the post: H of
// (1/2, 1/4, 1/8, 1/8) is exactly 1.75.
package info

import (
	"fmt"
	"math"
)

// Base is the base of the logarithm, which fixes the unit of information. The zero Base
// means Bits.
type Base float64

// The three bases the tools offer.
const (
	Bits     Base = 2      // log₂, unit bit (shannon)
	Nats     Base = math.E // ln, unit nat
	Hartleys Base = 10     // log₁₀, unit hartley (ban, dit)
)

// Unit names the unit of information of b: "bits", "nats", "hartleys", or "log_b units".
func (b Base) Unit() string {
	switch b {
	case 0, Bits:
		return "bits"
	case Nats:
		return "nats"
	case Hartleys:
		return "hartleys"
	}
	return fmt.Sprintf("log_%g units", float64(b))
}

// Log returns log_b(x). Bases 2, e and 10 use math.Log2, math.Log and math.Log10 (exact at
// powers of the base); any other base b > 0, b ≠ 1 uses ln x / ln b.
func (b Base) Log(x float64) float64 {
	switch b {
	case 0, Bits:
		return math.Log2(x)
	case Nats:
		return math.Log(x)
	case Hartleys:
		return math.Log10(x)
	}
	return math.Log(x) / math.Log(float64(b))
}

// Information returns the information content (surprisal) of an outcome of probability p,
//
//	I(p) = log_b(1/p) = −log_b p,
//
// which is also the optimal length of its code word: 0 for p = 1, +Inf for p = 0. It is
// computed as −log p rather than log(1/p), which would round 1/p first.
func Information(p float64, b Base) float64 {
	if p == 0 {
		return math.Inf(1)
	}
	return 0 - b.Log(p) // 0 − x, not −x: I(1) is +0, not −0
}

// CodeLengths returns the optimal code length log_b(1/P(ω)) of every outcome (see
// Information); an outcome of probability 0 gets +Inf.
func CodeLengths(p []float64, b Base) []float64 {
	out := make([]float64, len(p))
	for i, pi := range p {
		out[i] = Information(pi, b)
	}
	return out
}

// Entropy returns the entropy of P, the average information of its outcomes, which is the
// least average length of a code for them:
//
//	H(P) = E_P[log 1/P(ω)] = Σ_ω P(ω) log_b(1/P(ω)),   with 0 · log(1/0) = 0.
//
// H(P) = 0 exactly when one outcome is certain; H(P) = log_b n for the uniform distribution
// over n outcomes.
func Entropy(p []float64, b Base) float64 {
	h := 0.0
	for _, pi := range p {
		if pi != 0 {
			h += pi * Information(pi, b)
		}
	}
	return h
}

// CrossEntropy returns the average length of a code made for Q when the outcomes come from P:
//
//	H(P, Q) = E_P[log 1/Q(ω)] = Σ_ω P(ω) log_b(1/Q(ω)),
//
// with 0 · log(1/Q(ω)) = 0 (outcomes P never produces cost nothing, whatever Q says) and
// +Inf when Q(ω) = 0 for an ω with P(ω) > 0. Gibbs' inequality: H(P, Q) ≥ H(P), with
// equality iff Q = P. It panics if p and q differ in length.
func CrossEntropy(p, q []float64, b Base) float64 {
	mustSameLen("CrossEntropy", p, q)
	h := 0.0
	for i, pi := range p {
		if pi != 0 {
			h += pi * Information(q[i], b)
		}
	}
	return h
}

// KL returns the Kullback–Leibler divergence of Q from P, the bits (or nats) wasted per
// outcome by coding P's outcomes with Q's code:
//
//	D(P‖Q) = H(P, Q) − H(P) = E_P[log P(ω)/Q(ω)] = Σ_ω P(ω) (log_b P(ω) − log_b Q(ω)),
//
// summed over the ω with P(ω) > 0 (0 · log(0/q) = 0), and +Inf when Q(ω) = 0 for such an ω.
// The difference of logarithms avoids the overflow of P/Q for tiny Q and is exactly 0 where
// P(ω) = Q(ω). D(P‖Q) ≥ 0 with equality iff P = Q (Gibbs); it is not symmetric. A
// negative sum, which only rounding (or a P that does not sum to 1) can produce, is
// returned as 0. It panics if p and q differ in length.
func KL(p, q []float64, b Base) float64 {
	mustSameLen("KL", p, q)
	d := 0.0
	for i, pi := range p {
		if pi == 0 {
			continue
		}
		if q[i] == 0 {
			return math.Inf(1)
		}
		d += pi * (b.Log(pi) - b.Log(q[i]))
	}
	if d < 0 {
		return 0
	}
	return d
}

func mustSameLen(op string, p, q []float64) {
	if len(p) != len(q) {
		panic(fmt.Sprintf("info: %s of distributions of lengths %d and %d", op, len(p), len(q)))
	}
}
