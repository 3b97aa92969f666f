package metrics

import (
	"fmt"
	"math"
)

// AveragePrecision returns the average precision of scores (higher = more positive)
// against labels (true = positive), scikit-learn's average_precision_score:
//
//	AP = Σₙ (Rₙ − Rₙ₋₁)·Pₙ,
//
// where n runs over the distinct scores in decreasing order, Pₙ and Rₙ are the precision
// TP/(TP+FP) and recall TP/P when every row scoring at or above the n-th score is flagged,
// and R₀ = 0. No interpolation (it is not the 11-point or the trapezoid area under the
// precision–recall curve). Tied scores are one step. It lies in (0, 1]; a random ranking
// gets about the fraction of positives, so read it against that.
//
// Errors: no scores, len(scores) ≠ len(labels), a NaN score, or no positive label (recall
// is then undefined; the error wraps ErrOneClass). With no negative label every precision
// is 1 and so is AP, as in scikit-learn.
func AveragePrecision(scores []float64, labels []bool) (float64, error) {
	pos, neg, err := checkScores("average precision", scores, labels)
	if err != nil {
		return 0, err
	}
	if pos == 0 {
		return 0, oneClass("average precision", pos, neg)
	}
	ap := 0.0
	tp, fp := 0, 0
	for _, g := range groups(scores, labels) {
		tp += g.pos
		fp += g.neg
		if g.pos > 0 {
			ap += float64(g.pos) / float64(pos) * (float64(tp) / float64(tp+fp))
		}
	}
	return ap, nil
}

// BinaryScore holds the counts of a binary prediction against the truth and the ratios
// made of them:
//
//	Precision = TP/(TP+FP)   (NaN when nothing is predicted positive)
//	Recall    = TP/(TP+FN)   (NaN when no label is positive)
//	F1        = 2·TP/(2·TP+FP+FN), the harmonic mean of the two (NaN when both are NaN;
//	            0 when TP = 0 but something was predicted or is positive)
//
// scikit-learn returns 0 with a warning where these are NaN (zero_division="warn");
// NaN says "undefined" instead of a number that looks measured.
type BinaryScore struct {
	TP, FP, FN, TN        int
	Precision, Recall, F1 float64
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

func (s *BinaryScore) fill() {
	s.Precision = ratio(s.TP, s.TP+s.FP)
	s.Recall = ratio(s.TP, s.TP+s.FN)
	s.F1 = ratio(2*s.TP, 2*s.TP+s.FP+s.FN)
}

// PrecisionRecallF1 compares predicted labels pred with the true labels (true = positive)
// and returns the counts, precision, recall and F1 of the positive class, as
// scikit-learn's precision_score, recall_score and f1_score (see BinaryScore for the
// undefined cases). Errors: no rows, or len(pred) ≠ len(labels).
func PrecisionRecallF1(pred, labels []bool) (BinaryScore, error) {
	if len(labels) == 0 {
		return BinaryScore{}, fmt.Errorf("metrics: precision/recall/F1: no labels")
	}
	if len(pred) != len(labels) {
		return BinaryScore{}, fmt.Errorf("metrics: precision/recall/F1: %d predictions but %d labels", len(pred), len(labels))
	}
	var s BinaryScore
	for i, p := range pred {
		switch {
		case p && labels[i]:
			s.TP++
		case p:
			s.FP++
		case labels[i]:
			s.FN++
		default:
			s.TN++
		}
	}
	s.fill()
	return s, nil
}

// PrecisionRecallF1At is PrecisionRecallF1 with a row predicted positive when its score is
// at or above the threshold (score ≥ threshold; a detector's predicted label).
// Errors: no scores, len(scores) ≠ len(labels), a NaN score or a NaN threshold.
func PrecisionRecallF1At(scores []float64, labels []bool, threshold float64) (BinaryScore, error) {
	if _, _, err := checkScores("precision/recall/F1", scores, labels); err != nil {
		return BinaryScore{}, err
	}
	if math.IsNaN(threshold) {
		return BinaryScore{}, fmt.Errorf("metrics: precision/recall/F1: the threshold is NaN")
	}
	pred := make([]bool, len(scores))
	for i, s := range scores {
		pred[i] = s >= threshold
	}
	return PrecisionRecallF1(pred, labels)
}
