package metrics

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// fuzzInput decodes fuzz bytes into scores and labels. Mode 0 (first byte even): one byte
// per row, the score its top seven bits (−64…63: many ties), the label its low bit. Mode 1:
// nine bytes per row, a raw float64 score (NaN, ±Inf, ±0, subnormals included) and a label
// byte.
func fuzzInput(b []byte) ([]float64, []bool) {
	if len(b) == 0 {
		return nil, nil
	}
	var scores []float64
	var labels []bool
	if b[0]%2 == 0 {
		for _, x := range b[1:] {
			scores = append(scores, float64(int8(x)>>1))
			labels = append(labels, x&1 == 1)
		}
		return scores, labels
	}
	for b = b[1:]; len(b) >= 9; b = b[9:] {
		scores = append(scores, math.Float64frombits(binary.LittleEndian.Uint64(b)))
		labels = append(labels, b[8]&1 == 1)
	}
	return scores, labels
}

// FuzzRanking: ROCAUC and AveragePrecision never panic, fail only for the documented
// reasons, and agree with O(n²) definitions: AUC = pairs won (+ ½ per tie) / (P·N), and
// AP = the mean over the positives of the precision at their own score
// (Σₙ ΔRₙ·Pₙ regrouped by positive). AUC lies in [0, 1], AUC(s) + AUC(−s) = 1, AP in (0, 1].
func FuzzRanking(f *testing.F) {
	f.Add([]byte{0, 3, 2, 5, 4, 4, 7})
	f.Add([]byte{0, 1, 1, 1, 0, 0, 0})
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 1, 0, 0, 0, 0, 0, 0, 0xf0, 0xff, 0})
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0x80, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		scores, labels := fuzzInput(b)
		if len(scores) > 2000 {
			return // the O(n²) oracles
		}
		hasNaN, pos, neg := false, 0, 0
		for i, s := range scores {
			hasNaN = hasNaN || math.IsNaN(s)
			if labels[i] {
				pos++
			} else {
				neg++
			}
		}
		auc, err := ROCAUC(scores, labels)
		switch {
		case len(scores) == 0 || hasNaN:
			if err == nil {
				t.Fatalf("ROCAUC of %d scores (NaN: %v) gave %v, want an error", len(scores), hasNaN, auc)
			}
		case pos == 0 || neg == 0:
			if !errors.Is(err, ErrOneClass) {
				t.Fatalf("ROCAUC with %d positives, %d negatives: %v, want ErrOneClass", pos, neg, err)
			}
		default:
			if err != nil {
				t.Fatal(err)
			}
			if !(auc >= 0 && auc <= 1) {
				t.Fatalf("AUC %v outside [0, 1]", auc)
			}
			twice := 0
			for i, sp := range scores {
				for j, sn := range scores {
					if labels[i] && !labels[j] {
						switch {
						case sp > sn:
							twice += 2
						case sp == sn:
							twice++
						}
					}
				}
			}
			if want := float64(twice) / (2 * float64(pos) * float64(neg)); auc != want {
				t.Fatalf("AUC %v, pair count %v", auc, want)
			}
			neg := make([]float64, len(scores))
			for i, s := range scores {
				neg[i] = -s
			}
			back, err := ROCAUC(neg, labels)
			if err != nil || math.Abs(auc+back-1) > 1e-12 {
				t.Fatalf("AUC(s) %v + AUC(−s) %v = %v, want 1 (%v)", auc, back, auc+back, err)
			}
		}

		ap, err := AveragePrecision(scores, labels)
		switch {
		case len(scores) == 0 || hasNaN:
			if err == nil {
				t.Fatalf("AveragePrecision of %d scores (NaN: %v) gave %v, want an error", len(scores), hasNaN, ap)
			}
		case pos == 0:
			if !errors.Is(err, ErrOneClass) {
				t.Fatalf("AveragePrecision with no positive: %v, want ErrOneClass", err)
			}
		default:
			if err != nil {
				t.Fatal(err)
			}
			if !(ap > 0 && ap <= 1+1e-15) {
				t.Fatalf("AP %v outside (0, 1]", ap)
			}
			sum := 0.0
			for i, si := range scores {
				if !labels[i] {
					continue
				}
				tp, n := 0, 0
				for j, sj := range scores {
					if sj >= si {
						n++
						if labels[j] {
							tp++
						}
					}
				}
				sum += float64(tp) / float64(n)
			}
			if want := sum / float64(pos); math.Abs(ap-want) > 1e-12 {
				t.Fatalf("AP %v, mean precision at the positives %v", ap, want)
			}
		}
	})
}
