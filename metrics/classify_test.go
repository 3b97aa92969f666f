package metrics

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestAccuracy(t *testing.T) {
	// Rows 0, 2, 3 right of 4.
	if a, err := Accuracy([]int{0, 1, 2, 2}, []int{0, 2, 2, 2}); err != nil || a != 0.75 {
		t.Errorf("Accuracy = %v, %v; want 0.75", a, err)
	}
	if _, err := Accuracy(nil, nil); err == nil || !strings.Contains(err.Error(), "no labels") {
		t.Errorf("empty: %v", err)
	}
	if _, err := Accuracy([]int{1}, []int{1, 2}); err == nil || !strings.Contains(err.Error(), "1 predictions but 2 labels") {
		t.Errorf("lengths: %v", err)
	}
}

func TestConfusionMatrixAndPerClass(t *testing.T) {
	truth := []int{0, 0, 0, 1, 1, 2, 2, 2, 2}
	pred := []int{0, 0, 1, 1, 2, 2, 2, 0, 2}
	cm, err := ConfusionMatrix(pred, truth, 4)
	if err != nil {
		t.Fatal(err)
	}
	// Rows true, columns predicted. Class 3 never occurs: a zero row and column.
	want := [][]int{
		{2, 1, 0, 0},
		{0, 1, 1, 0},
		{1, 0, 3, 0},
		{0, 0, 0, 0},
	}
	if !slices.EqualFunc(cm, want, slices.Equal) {
		t.Fatalf("ConfusionMatrix = %v, want %v", cm, want)
	}
	ps, err := PerClass(cm)
	if err != nil {
		t.Fatal(err)
	}
	// Class 0: TP 2, FP 1 (a 2 called 0), FN 1 (a 0 called 1), TN 5: P = R = 2/3.
	// Class 1: TP 1, FP 1, FN 1, TN 6: P = R = ½.
	// Class 2: TP 3, FP 1, FN 1, TN 4: P = R = ¾.
	// Class 3: never true, never predicted: P, R, F1 undefined, TN 9.
	for c, w := range []BinaryScore{
		{TP: 2, FP: 1, FN: 1, TN: 5, Precision: 2.0 / 3, Recall: 2.0 / 3, F1: 4.0 / 6},
		{TP: 1, FP: 1, FN: 1, TN: 6, Precision: 0.5, Recall: 0.5, F1: 0.5},
		{TP: 3, FP: 1, FN: 1, TN: 4, Precision: 0.75, Recall: 0.75, F1: 0.75},
	} {
		if ps[c] != w {
			t.Errorf("class %d: %+v, want %+v", c, ps[c], w)
		}
	}
	if s := ps[3]; s.TN != 9 || !math.IsNaN(s.Precision) || !math.IsNaN(s.Recall) || !math.IsNaN(s.F1) {
		t.Errorf("class 3: %+v, want TN 9 and NaN ratios", s)
	}
	// Accuracy is the trace over the total: 6/9.
	if a, _ := Accuracy(pred, truth); a != 6.0/9 {
		t.Errorf("Accuracy = %v, want 6/9", a)
	}
}

func TestConfusionMatrixErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		pred  []int
		truth []int
		k     int
		want  string
	}{
		{"no classes", []int{0}, []int{0}, 0, "0 classes"},
		{"empty", nil, nil, 2, "no labels"},
		{"lengths", []int{0, 1}, []int{0}, 2, "2 predictions but 1 labels"},
		{"true out of range", []int{0, 1}, []int{0, 2}, 2, "true class 2 of row 1 is outside [0, 2)"},
		{"pred negative", []int{-1}, []int{0}, 2, "predicted class -1 of row 0"},
	} {
		if _, err := ConfusionMatrix(c.pred, c.truth, c.k); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	for _, c := range []struct {
		name string
		cm   [][]int
		want string
	}{
		{"empty", nil, "empty confusion matrix"},
		{"ragged", [][]int{{1, 0}, {1}}, "row 1 of the confusion matrix has 1 columns, want 2"},
		{"negative", [][]int{{1, -1}, {0, 1}}, "count [0][1] is negative"},
	} {
		if _, err := PerClass(c.cm); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("PerClass %s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}
