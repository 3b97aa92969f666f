package metrics

import "fmt"

// Accuracy returns the fraction of rows whose predicted class equals the true one,
// #{i: pred[i] = truth[i]} / len(truth). Errors: no rows, or len(pred) ≠ len(truth).
func Accuracy(pred, truth []int) (float64, error) {
	if len(truth) == 0 {
		return 0, fmt.Errorf("metrics: accuracy: no labels")
	}
	if len(pred) != len(truth) {
		return 0, fmt.Errorf("metrics: accuracy: %d predictions but %d labels", len(pred), len(truth))
	}
	ok := 0
	for i := range pred {
		if pred[i] == truth[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(truth)), nil
}

// ConfusionMatrix counts predicted against true classes: counts[t][p] is the number of
// rows whose true class is t and predicted class p, a classes × classes matrix (rows true,
// columns predicted, as scikit-learn's confusion_matrix and plot.Confusion). The diagonal
// holds the correct rows; row t sums to the support of class t.
//
// Errors: classes < 1, no rows, len(pred) ≠ len(truth), or a class outside [0, classes).
func ConfusionMatrix(pred, truth []int, classes int) ([][]int, error) {
	if classes < 1 {
		return nil, fmt.Errorf("metrics: confusion matrix: %d classes, want at least 1", classes)
	}
	if len(truth) == 0 {
		return nil, fmt.Errorf("metrics: confusion matrix: no labels")
	}
	if len(pred) != len(truth) {
		return nil, fmt.Errorf("metrics: confusion matrix: %d predictions but %d labels", len(pred), len(truth))
	}
	counts := make([][]int, classes)
	cells := make([]int, classes*classes)
	for i := range counts {
		counts[i] = cells[i*classes : (i+1)*classes : (i+1)*classes]
	}
	for i, p := range pred {
		t := truth[i]
		if t < 0 || t >= classes {
			return nil, fmt.Errorf("metrics: confusion matrix: true class %d of row %d is outside [0, %d)", t, i, classes)
		}
		if p < 0 || p >= classes {
			return nil, fmt.Errorf("metrics: confusion matrix: predicted class %d of row %d is outside [0, %d)", p, i, classes)
		}
		counts[t][p]++
	}
	return counts, nil
}

// PerClass reads a confusion matrix (counts[true][pred], as ConfusionMatrix returns) one
// class against the rest: for class c, TP = counts[c][c], FP = the rest of column c, FN =
// the rest of row c, TN = everything else, and the precision, recall and F1 of c made of
// them (BinaryScore; NaN where undefined, such as the precision of a class never
// predicted). Errors: an empty or non-square matrix, or a negative count.
func PerClass(counts [][]int) ([]BinaryScore, error) {
	k := len(counts)
	if k == 0 {
		return nil, fmt.Errorf("metrics: per-class scores: empty confusion matrix")
	}
	total := 0
	col := make([]int, k)
	for t, row := range counts {
		if len(row) != k {
			return nil, fmt.Errorf("metrics: per-class scores: row %d of the confusion matrix has %d columns, want %d", t, len(row), k)
		}
		for p, n := range row {
			if n < 0 {
				return nil, fmt.Errorf("metrics: per-class scores: count [%d][%d] is negative (%d)", t, p, n)
			}
			col[p] += n
			total += n
		}
	}
	out := make([]BinaryScore, k)
	for c, row := range counts {
		s := &out[c]
		s.TP = row[c]
		for _, n := range row {
			s.FN += n
		}
		s.FN -= s.TP
		s.FP = col[c] - s.TP
		s.TN = total - s.TP - s.FP - s.FN
		s.fill()
	}
	return out, nil
}
