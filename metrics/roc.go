package metrics

import "math"

// ROC is a receiver operating characteristic curve: point i flags the rows whose score is
// at or above Threshold[i] as positive, and has false positive rate FPR[i] = FP/N and true
// positive rate TPR[i] = TP/P (N negatives and P positives in all). Point 0 flags nothing:
// (0, 0) at threshold +Inf. Then one point per distinct score, thresholds decreasing, the
// last (1, 1) at the lowest score. FPR and TPR never decrease.
type ROC struct {
	FPR, TPR, Threshold []float64
}

// ROCCurve returns the ROC curve of scores (higher = more positive) against labels (true =
// positive). It keeps every distinct threshold, as scikit-learn's
// roc_curve(y_true, y_score, drop_intermediate=False) does (scikit-learn ≥ 1.3 also
// starts at threshold +Inf); the points are what a roc.png plots.
//
// Errors: no scores, len(scores) ≠ len(labels), a NaN score, or only one class present
// (a rate over an empty class is undefined; the error wraps ErrOneClass).
func ROCCurve(scores []float64, labels []bool) (ROC, error) {
	pos, neg, err := checkScores("ROC curve", scores, labels)
	if err != nil {
		return ROC{}, err
	}
	if pos == 0 || neg == 0 {
		return ROC{}, oneClass("the ROC curve", pos, neg)
	}
	gs := groups(scores, labels)
	r := ROC{
		FPR:       make([]float64, 1, len(gs)+1),
		TPR:       make([]float64, 1, len(gs)+1),
		Threshold: append(make([]float64, 0, len(gs)+1), math.Inf(1)),
	}
	tp, fp := 0, 0
	for _, g := range gs {
		tp += g.pos
		fp += g.neg
		r.FPR = append(r.FPR, float64(fp)/float64(neg))
		r.TPR = append(r.TPR, float64(tp)/float64(pos))
		r.Threshold = append(r.Threshold, g.score)
	}
	return r, nil
}

// ROCAUC returns the area under the ROC curve of scores (higher = more positive) against
// labels (true = positive): the probability that a random positive scores above a random
// negative, a tie counting one half,
//
//	AUC = (#{(p, n): s_p > s_n} + ½·#{(p, n): s_p = s_n}) / (P·N),
//
// over all P·N (positive, negative) pairs. This is the Mann–Whitney U statistic with
// mid-ranks for ties over P·N, and equals the trapezoid area under ROCCurve's points,
// which is how scikit-learn's roc_auc_score computes it. 0.5 is chance, 1 a perfect
// ranking. The count is exact in integers (up to about 4·10⁹ rows) and divided once.
//
// Errors: no scores, len(scores) ≠ len(labels), a NaN score, or only one class present:
// with no positive or no negative there is no pair, so the AUC is undefined (the error
// wraps ErrOneClass). ±Inf scores are allowed and rank as numbers do.
func ROCAUC(scores []float64, labels []bool) (float64, error) {
	pos, neg, err := checkScores("ROC-AUC", scores, labels)
	if err != nil {
		return 0, err
	}
	if pos == 0 || neg == 0 {
		return 0, oneClass("ROC-AUC", pos, neg)
	}
	// twice the credit: each negative earns 2 per positive above it and 1 per tied one.
	var twice, above int64
	for _, g := range groups(scores, labels) {
		twice += int64(g.neg) * (2*above + int64(g.pos))
		above += int64(g.pos)
	}
	return float64(twice) / (2 * float64(pos) * float64(neg)), nil
}
