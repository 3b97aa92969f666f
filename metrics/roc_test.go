package metrics

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// Hand-computed ROC-AUC: count the (positive, negative) pairs the positive wins (1), ties
// (½) and loses (0), and divide by P·N.
func TestROCAUCHand(t *testing.T) {
	T, F := true, false
	for _, c := range []struct {
		name   string
		scores []float64
		labels []bool
		want   float64
	}{
		// scikit-learn's doc example. Sorted: 0.8 T, 0.4 F, 0.35 T, 0.1 F.
		// 0.8 beats 0.4 and 0.1 (2); 0.35 beats 0.1, loses to 0.4 (1): 3/4.
		{"doc example", []float64{0.1, 0.4, 0.35, 0.8}, []bool{F, F, T, T}, 0.75},
		// All four scores tie: each of the 2·2 pairs earns ½: 2/4.
		{"all tied", []float64{1, 1, 1, 1}, []bool{T, F, T, F}, 0.5},
		// Positives 3, 2; negatives 2, 1. (3,2)=1 (3,1)=1 (2,2)=½ (2,1)=1: 3.5/4.
		{"one tied pair", []float64{3, 2, 2, 1}, []bool{T, T, F, F}, 0.875},
		// Every positive above every negative: 1; the reverse: 0.
		{"perfect", []float64{0.9, 0.8, 0.3, 0.1}, []bool{T, T, F, F}, 1},
		{"reversed", []float64{0.9, 0.8, 0.3, 0.1}, []bool{F, F, T, T}, 0},
		// Positives 5, 2, 2; negatives 2, 2, 1 (P·N = 9). 5 beats all three (3); each 2
		// ties the two 2s (½+½) and beats 1 (1): 2 each. (3 + 2 + 2)/9 = 7/9.
		{"two tied with two", []float64{5, 2, 2, 2, 2, 1}, []bool{T, T, F, T, F, F}, 7.0 / 9},
		// -0 and +0 are one score: the single pair ties.
		{"signed zeros", []float64{math.Copysign(0, -1), 0}, []bool{T, F}, 0.5},
		// Infinities rank as numbers: +Inf T above -Inf F, and 0 T above -Inf F,
		// 0 T below 1 F, +Inf above 1: (1 + 1 + 1 + 0)/4.
		{"infinities", []float64{math.Inf(1), math.Inf(-1), 0, 1}, []bool{T, F, T, F}, 0.75},
	} {
		got, err := ROCAUC(c.scores, c.labels)
		if err != nil || got != c.want {
			t.Errorf("%s: ROCAUC = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
}

// The AUC is the trapezoid area under ROCCurve's points (another route to the same
// number), on a set with ties.
func TestROCAUCIsCurveArea(t *testing.T) {
	scores := []float64{0.3, 0.3, 0.7, 0.1, 0.7, 0.7, 0.5, 0.2, 0.3, 0.9, 0.5, 0.1}
	labels := []bool{true, false, true, false, false, true, true, false, false, true, false, true}
	auc, err := ROCAUC(scores, labels)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ROCCurve(scores, labels)
	if err != nil {
		t.Fatal(err)
	}
	area := 0.0
	for i := 1; i < len(r.FPR); i++ {
		area += (r.FPR[i] - r.FPR[i-1]) * (r.TPR[i] + r.TPR[i-1]) / 2
	}
	if math.Abs(area-auc) > 1e-15 {
		t.Errorf("trapezoid area %v, ROCAUC %v", area, auc)
	}
}

// Hand-computed curve: scores 3 T, 2 T, 2 F, 1 F (P = N = 2).
func TestROCCurveHand(t *testing.T) {
	r, err := ROCCurve([]float64{2, 3, 1, 2}, []bool{false, true, false, true})
	if err != nil {
		t.Fatal(err)
	}
	want := ROC{
		FPR:       []float64{0, 0, 0.5, 1}, // nothing; 3 flags no negative; 2 flags one; 1 both
		TPR:       []float64{0, 0.5, 1, 1}, // nothing; 3 is one positive; 2 adds the other
		Threshold: []float64{math.Inf(1), 3, 2, 1},
	}
	if !slices.Equal(r.FPR, want.FPR) || !slices.Equal(r.TPR, want.TPR) || !slices.Equal(r.Threshold, want.Threshold) {
		t.Errorf("ROCCurve = %+v, want %+v", r, want)
	}
}

func TestRankingErrors(t *testing.T) {
	type fn func([]float64, []bool) error
	auc := func(s []float64, l []bool) error { _, err := ROCAUC(s, l); return err }
	curve := func(s []float64, l []bool) error { _, err := ROCCurve(s, l); return err }
	ap := func(s []float64, l []bool) error { _, err := AveragePrecision(s, l); return err }
	for _, c := range []struct {
		name   string
		f      fn
		scores []float64
		labels []bool
		want   string
		oneCls bool
	}{
		{"auc empty", auc, nil, nil, "no scores", false},
		{"auc lengths", auc, []float64{1, 2}, []bool{true}, "2 scores but 1 labels", false},
		{"auc NaN", auc, []float64{1, math.NaN()}, []bool{true, false}, "score 1 is NaN", false},
		{"auc all negative", auc, []float64{1, 2}, []bool{false, false}, "ROC-AUC is undefined: only one class present (2 labels, all negative", true},
		{"auc all positive", auc, []float64{1, 2, 3}, []bool{true, true, true}, "ROC-AUC is undefined: only one class present (3 labels, all positive", true},
		{"curve one class", curve, []float64{1}, []bool{true}, "ROC curve is undefined", true},
		{"curve NaN", curve, []float64{math.NaN()}, []bool{true}, "score 0 is NaN", false},
		{"ap empty", ap, []float64{}, []bool{}, "no scores", false},
		{"ap lengths", ap, []float64{1}, []bool{true, false}, "1 scores but 2 labels", false},
		{"ap no positive", ap, []float64{1, 2}, []bool{false, false}, "average precision is undefined", true},
	} {
		err := c.f(c.scores, c.labels)
		if err == nil || !strings.Contains(err.Error(), c.want) || errors.Is(err, ErrOneClass) != c.oneCls {
			t.Errorf("%s: error %v, want one containing %q (ErrOneClass: %v)", c.name, err, c.want, c.oneCls)
		}
	}
}
