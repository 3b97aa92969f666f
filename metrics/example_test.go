package metrics_test

import (
	"fmt"
	"math/rand/v2"

	"fugo/metrics"
)

// Judging an anomaly detector's scores (higher = more anomalous) against the truth, then
// its predicted labels at a threshold.
func ExampleROCAUC() {
	scores := []float64{0.1, 0.4, 0.35, 0.8, 0.35}
	anomalous := []bool{false, false, true, true, false}
	auc, err := metrics.ROCAUC(scores, anomalous)
	if err != nil {
		fmt.Println(err)
		return
	}
	ap, _ := metrics.AveragePrecision(scores, anomalous)
	at, _ := metrics.PrecisionRecallF1At(scores, anomalous, 0.35) // score ≥ 0.35 flagged
	fmt.Printf("ROC-AUC %.4f, AP %.4f, precision %.2f, recall %.2f, F1 %.2f\n", auc, ap, at.Precision, at.Recall, at.F1)

	_, err = metrics.ROCAUC(scores, make([]bool, len(scores)))
	fmt.Println(err)
	// Output:
	// ROC-AUC 0.7500, AP 0.7500, precision 0.50, recall 1.00, F1 0.67
	// metrics: ROC-AUC is undefined: only one class present (5 labels, all negative, no positive)
}

// Five-fold cross-validation folds, stratified by class, seeded.
func ExampleStratifiedKFold() {
	labels := []int{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2}
	fold, err := metrics.StratifiedKFold(labels, 3, 5, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	train, test := metrics.Fold(fold, 0)
	fmt.Println(len(train), "training rows,", len(test), "held out, classes", labels[test[0]], labels[test[1]], labels[test[2]])
	// Output:
	// 12 training rows, 3 held out, classes 0 1 2
}
