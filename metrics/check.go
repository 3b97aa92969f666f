package metrics

import (
	"errors"
	"fmt"
	"math"
)

// ErrOneClass is wrapped by the errors of metrics that are undefined when the labels hold
// only one class (ROC-AUC and the ROC curve need both; average precision needs a
// positive). Test for it with errors.Is.
var ErrOneClass = errors.New("only one class present")

// checkScores checks a (scores, labels) pair for the ranking metrics and returns the
// number of positives and negatives.
func checkScores(what string, scores []float64, labels []bool) (pos, neg int, err error) {
	if len(scores) == 0 {
		return 0, 0, fmt.Errorf("metrics: %s: no scores", what)
	}
	if len(scores) != len(labels) {
		return 0, 0, fmt.Errorf("metrics: %s: %d scores but %d labels", what, len(scores), len(labels))
	}
	for i, s := range scores {
		if math.IsNaN(s) {
			return 0, 0, fmt.Errorf("metrics: %s: score %d is NaN", what, i)
		}
		if labels[i] {
			pos++
		} else {
			neg++
		}
	}
	return pos, neg, nil
}

// oneClass is the error of a metric that needs both classes.
func oneClass(what string, pos, neg int) error {
	if pos == 0 {
		return fmt.Errorf("metrics: %s is undefined: %w (%d labels, all negative, no positive)", what, ErrOneClass, neg)
	}
	return fmt.Errorf("metrics: %s is undefined: %w (%d labels, all positive, no negative)", what, ErrOneClass, pos)
}
