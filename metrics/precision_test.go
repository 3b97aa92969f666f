package metrics

import (
	"math"
	"strings"
	"testing"
)

// Hand-computed average precision: walk the distinct scores down, adding
// (recall gained) × (precision there).
func TestAveragePrecisionHand(t *testing.T) {
	T, F := true, false
	for _, c := range []struct {
		name   string
		scores []float64
		labels []bool
		want   float64
	}{
		// Doc example. 0.8: P 1/1, R ½ → ½·1; 0.4: no recall gained; 0.35: P 2/3, R 1 →
		// ½·2/3. AP = ½ + ⅓ = 5/6.
		{"doc example", []float64{0.1, 0.4, 0.35, 0.8}, []bool{F, F, T, T}, 0.5 + 1.0/3},
		// One distinct score: R 0 → 1 at P ½.
		{"all tied", []float64{1, 1, 1, 1}, []bool{T, F, T, F}, 0.5},
		// 3: P 1, R ½; 2 (one T, one F tied): P 2/3, R 1. AP = ½ + ⅓. Ties make one step:
		// breaking them T first would give ½ + ½ = 1, F first ½ + ⅓ as well.
		{"tied step", []float64{3, 2, 2, 1}, []bool{T, T, F, F}, 0.5 + 1.0/3},
		// Only positives: every precision 1.
		{"no negative", []float64{0.2, 0.1}, []bool{T, T}, 1},
		// Positives last: 4 F, 3 F, 2 T → P ⅓, R ½; 1 T → P 2/4, R 1. AP = ⅙ + ¼.
		{"worst", []float64{4, 3, 2, 1}, []bool{F, F, T, T}, 1.0/6 + 0.25},
	} {
		got, err := AveragePrecision(c.scores, c.labels)
		if err != nil || math.Abs(got-c.want) > 1e-15 {
			t.Errorf("%s: AveragePrecision = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
}

func TestPrecisionRecallF1Hand(t *testing.T) {
	T, F := true, false
	// TP: rows 0, 4; FP: row 1; FN: row 2; TN: row 3. P = R = 2/3, F1 = 4/6.
	s, err := PrecisionRecallF1([]bool{T, T, F, F, T}, []bool{T, F, T, F, T})
	if err != nil {
		t.Fatal(err)
	}
	if s.TP != 2 || s.FP != 1 || s.FN != 1 || s.TN != 1 || s.Precision != 2.0/3 || s.Recall != 2.0/3 || s.F1 != 4.0/6 {
		t.Errorf("got %+v, want TP 2 FP 1 FN 1 TN 1, precision = recall = F1 = 2/3", s)
	}
	// At a threshold, score ≥ threshold is positive: 0.5 flags 0.5, 0.9 (T) and 0.7 (F).
	// TP 2, FP 1, FN 1 (0.2 T), TN 1: P = 2/3, R = 2/3.
	s, err = PrecisionRecallF1At([]float64{0.5, 0.7, 0.2, 0.1, 0.9}, []bool{T, F, T, F, T}, 0.5)
	if err != nil || s.TP != 2 || s.FP != 1 || s.FN != 1 || s.TN != 1 {
		t.Errorf("at 0.5: %+v, %v; want TP 2 FP 1 FN 1 TN 1", s, err)
	}
	// TP row 0, FP rows 1 and 2, FN rows 3 and 4: P = ⅓, R = ⅓, F1 = 2/(2+2+2) = ⅓.
	s, _ = PrecisionRecallF1([]bool{T, T, T, F, F}, []bool{T, F, F, T, T})
	if s.Precision != 1.0/3 || s.Recall != 1.0/3 || s.F1 != 1.0/3 {
		t.Errorf("got %+v, want precision = recall = F1 = 1/3", s)
	}
	// Nothing predicted positive: precision undefined (NaN), recall 0, F1 0.
	s, _ = PrecisionRecallF1([]bool{F, F}, []bool{T, F})
	if !math.IsNaN(s.Precision) || s.Recall != 0 || s.F1 != 0 {
		t.Errorf("nothing flagged: %+v, want precision NaN, recall 0, F1 0", s)
	}
	// No positive at all, nothing flagged: all three undefined.
	s, _ = PrecisionRecallF1([]bool{F, F}, []bool{F, F})
	if !math.IsNaN(s.Precision) || !math.IsNaN(s.Recall) || !math.IsNaN(s.F1) || s.TN != 2 {
		t.Errorf("no positive: %+v, want NaN, NaN, NaN and TN 2", s)
	}
}

func TestPrecisionRecallF1Errors(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"empty", second(PrecisionRecallF1(nil, nil)), "no labels"},
		{"lengths", second(PrecisionRecallF1([]bool{true}, []bool{true, false})), "1 predictions but 2 labels"},
		{"at NaN score", second(PrecisionRecallF1At([]float64{math.NaN()}, []bool{true}, 0)), "score 0 is NaN"},
		{"at NaN threshold", second(PrecisionRecallF1At([]float64{1}, []bool{true}, math.NaN())), "threshold is NaN"},
		{"at lengths", second(PrecisionRecallF1At([]float64{1, 2}, []bool{true}, 0)), "2 scores but 1 labels"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, c.err, c.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }
