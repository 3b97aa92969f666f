package metrics

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// fixtures is testdata/sklearn.json, written by testdata/make_fixtures.py with
// scikit-learn (Debian python3-sklearn): score/label sets with ties, imbalance and a few
// hundred rows, and scikit-learn's metrics on them.
type fixtures struct {
	Sklearn string `json:"sklearn"`
	Binary  []struct {
		Name             string    `json:"name"`
		Scores           []float64 `json:"scores"`
		Labels           []bool    `json:"labels"`
		Threshold        float64   `json:"threshold"`
		ROCAUC           float64   `json:"roc_auc"`
		AveragePrecision float64   `json:"average_precision"`
		Precision        float64   `json:"precision"`
		Recall           float64   `json:"recall"`
		F1               float64   `json:"f1"`
		FPR              []float64 `json:"roc_fpr"`
		TPR              []float64 `json:"roc_tpr"`
		Thresholds       []float64 `json:"roc_thresholds_after_first"`
	} `json:"binary"`
	Multiclass struct {
		Truth     []int     `json:"truth"`
		Pred      []int     `json:"pred"`
		Classes   int       `json:"classes"`
		Accuracy  float64   `json:"accuracy"`
		Confusion [][]int   `json:"confusion"`
		Precision []float64 `json:"precision_per_class"`
		Recall    []float64 `json:"recall_per_class"`
		F1        []float64 `json:"f1_per_class"`
	} `json:"multiclass"`
}

func loadFixtures(t *testing.T) *fixtures {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sklearn.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f fixtures
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("testdata/sklearn.json: %v", err)
	}
	if len(f.Binary) < 5 || len(f.Multiclass.Truth) == 0 {
		t.Fatalf("testdata/sklearn.json: %d binary sets and %d multiclass rows, want at least 5 and some", len(f.Binary), len(f.Multiclass.Truth))
	}
	return &f
}

const sklearnTol = 1e-12

func near(a, b float64) bool { return math.Abs(a-b) <= sklearnTol }

func TestAgainstScikitLearn(t *testing.T) {
	f := loadFixtures(t)
	for _, c := range f.Binary {
		auc, err := ROCAUC(c.Scores, c.Labels)
		if err != nil || !near(auc, c.ROCAUC) {
			t.Errorf("%s: ROCAUC %v (%v), scikit-learn %s %v", c.Name, auc, err, f.Sklearn, c.ROCAUC)
		}
		ap, err := AveragePrecision(c.Scores, c.Labels)
		if err != nil || !near(ap, c.AveragePrecision) {
			t.Errorf("%s: AveragePrecision %v (%v), scikit-learn %v", c.Name, ap, err, c.AveragePrecision)
		}
		s, err := PrecisionRecallF1At(c.Scores, c.Labels, c.Threshold)
		if err != nil || !near(s.Precision, c.Precision) || !near(s.Recall, c.Recall) || !near(s.F1, c.F1) {
			t.Errorf("%s at %v: precision %v recall %v F1 %v (%v), scikit-learn %v %v %v", c.Name, c.Threshold, s.Precision, s.Recall, s.F1, err, c.Precision, c.Recall, c.F1)
		}
		r, err := ROCCurve(c.Scores, c.Labels)
		if err != nil {
			t.Errorf("%s: ROCCurve: %v", c.Name, err)
			continue
		}
		if len(r.FPR) != len(c.FPR) || len(r.Threshold) != len(c.Thresholds)+1 || !math.IsInf(r.Threshold[0], 1) {
			t.Errorf("%s: ROCCurve has %d points (first threshold %v), scikit-learn %d", c.Name, len(r.FPR), r.Threshold[0], len(c.FPR))
			continue
		}
		for i := range r.FPR {
			if r.FPR[i] != c.FPR[i] || r.TPR[i] != c.TPR[i] || i > 0 && r.Threshold[i] != c.Thresholds[i-1] {
				t.Errorf("%s: ROC point %d (%v, %v) at %v, scikit-learn (%v, %v)", c.Name, i, r.FPR[i], r.TPR[i], r.Threshold[i], c.FPR[i], c.TPR[i])
				break
			}
		}
	}

	m := f.Multiclass
	acc, err := Accuracy(m.Pred, m.Truth)
	if err != nil || acc != m.Accuracy {
		t.Errorf("Accuracy %v (%v), scikit-learn %v", acc, err, m.Accuracy)
	}
	cm, err := ConfusionMatrix(m.Pred, m.Truth, m.Classes)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cm {
		for j := range cm[i] {
			if cm[i][j] != m.Confusion[i][j] {
				t.Fatalf("confusion matrix %v, scikit-learn %v", cm, m.Confusion)
			}
		}
	}
	per, err := PerClass(cm)
	if err != nil {
		t.Fatal(err)
	}
	for c, s := range per {
		if !near(s.Precision, m.Precision[c]) || !near(s.Recall, m.Recall[c]) || !near(s.F1, m.F1[c]) {
			t.Errorf("class %d: precision %v recall %v F1 %v, scikit-learn %v %v %v", c, s.Precision, s.Recall, s.F1, m.Precision[c], m.Recall[c], m.F1[c])
		}
	}
}
