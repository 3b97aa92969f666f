package metrics

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"fugo/tensor"
)

// newRNG is the generator fugo's CLI seeds its splits with (the package itself imports
// no other fugo package; its tests may).
func newRNG(seed uint64) *rand.Rand { return tensor.NewRNG(seed) }

// The assignments below were computed by cmd/fugo's cvFolds and splitValidation before
// they moved here (commit 70908b4, `go test` of a throw-away test printing them): the
// same seed must give the same folds and the same validation lines, or every recorded
// `fugo speaker cv` and `speaker train` number would change.
var pinLabels = []int{0, 1, 2, 0, 1, 0, 2, 2, 0, 1, 1, 0, 3, 0, 2, 1, 0, 2, 1, 0}

func TestStratifiedKFoldPinned(t *testing.T) {
	for _, c := range []struct {
		classes, k int
		seed       uint64
		want       []int
	}{
		{4, 3, 104729, []int{0, 1, 1, 2, 0, 0, 0, 2, 0, 2, 1, 2, 1, 1, 2, 0, 1, 0, 2, 1}}, // the CLI's seed
		{5, 5, 1, []int{0, 0, 1, 2, 4, 1, 2, 0, 2, 3, 1, 4, 4, 1, 3, 3, 0, 4, 2, 3}},      // an empty class 4
	} {
		got, err := StratifiedKFold(pinLabels, c.classes, c.k, newRNG(c.seed))
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("k %d seed %d: %v, %v; want %v", c.k, c.seed, got, err, c.want)
		}
	}
	// cmd/fugo's TestCVFolds label list (40, 30, 25, 8 lines of four speakers), 5 folds,
	// the CLI's seed: the fold of each line as one digit.
	var labels []int
	for c, n := range []int{40, 30, 25, 8} {
		for range n {
			labels = append(labels, c)
		}
	}
	got, err := StratifiedKFold(labels, 4, 5, newRNG(104729))
	if err != nil {
		t.Fatal(err)
	}
	const want = "1314422311100234344323020332201200104441434344300011302122431140012322311200232044201312341404313102204"
	if s := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(got)), ""), "[]"); s != want {
		t.Errorf("103 lines:\n got %s\nwant %s", s, want)
	}
}

func TestStratifiedSplitPinned(t *testing.T) {
	for _, c := range []struct {
		frac        float64
		seed        uint64
		train, held []int
	}{
		// seed 1+7919: `speaker train --seed 1` (the default).
		{0.1, 1 + 7919, []int{0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 18, 19}, []int{1, 16, 17}},
		{0.3, 1 + 7919, []int{0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 18, 19}, []int{1, 2, 3, 4, 16, 17}},
		{0.5, 42, []int{0, 1, 4, 6, 12, 13, 16, 17, 18, 19}, []int{2, 3, 5, 7, 8, 9, 10, 11, 14, 15}},
	} {
		tr, held, err := StratifiedSplit(pinLabels, 4, c.frac, newRNG(c.seed))
		if err != nil || !slices.Equal(tr, c.train) || !slices.Equal(held, c.held) {
			t.Errorf("frac %v seed %d: train %v held %v (%v); want %v and %v", c.frac, c.seed, tr, held, err, c.train, c.held)
		}
	}
	// cmd/fugo's TestSplitValidation data: 103 lines, classes min(i%4, 2), the last line
	// class 3 alone.
	labels := make([]int, 103)
	for i := range labels {
		labels[i] = min(i%4, 2)
	}
	labels[102] = 3
	_, held, err := StratifiedSplit(labels, 4, 0.1, newRNG(1+7919))
	if want := []int{3, 27, 47, 50, 63, 65, 77, 84, 85, 88, 100}; err != nil || !slices.Equal(held, want) {
		t.Errorf("103 lines: held %v, %v; want %v", held, err, want)
	}
}

// Properties on a lopsided label list: folds partition the rows, sizes within one, every
// class spread within one; a split holds round(frac·n_c) of each class (at least one, never
// all), and the two parts partition the rows.
func TestSplitProperties(t *testing.T) {
	var labels []int
	for c, n := range []int{40, 30, 25, 8, 1} {
		for range n {
			labels = append(labels, c)
		}
	}
	rng := newRNG(7)
	rng.Shuffle(len(labels), func(i, j int) { labels[i], labels[j] = labels[j], labels[i] })
	fold, err := StratifiedKFold(labels, 5, 5, rng)
	if err != nil {
		t.Fatal(err)
	}
	size := make([]int, 5)
	per := make([][5]int, 5)
	for i, f := range fold {
		size[f]++
		per[labels[i]][f]++
	}
	if lo, hi := slices.Min(size), slices.Max(size); lo != 20 || hi != 21 {
		t.Errorf("fold sizes %v, want 20 or 21 (104 rows)", size)
	}
	for c, counts := range per {
		if hi, lo := slices.Max(counts[:]), slices.Min(counts[:]); hi-lo > 1 {
			t.Errorf("class %d over the folds: %v, want within one", c, counts)
		}
	}
	tr, te := Fold(fold, 2)
	if len(tr)+len(te) != len(labels) || len(te) != size[2] {
		t.Errorf("Fold: %d + %d rows, want %d with %d held out", len(tr), len(te), len(labels), size[2])
	}
	for _, i := range te {
		if fold[i] != 2 {
			t.Errorf("Fold put row %d of fold %d in fold 2", i, fold[i])
		}
	}

	train, held, err := StratifiedSplit(labels, 5, 0.1, rng)
	if err != nil {
		t.Fatal(err)
	}
	count := make([]int, 5)
	seen := make([]int, len(labels))
	for _, i := range held {
		count[labels[i]]++
		seen[i]++
	}
	for _, i := range train {
		seen[i]++
	}
	if !slices.Equal(count, []int{4, 3, 3, 1, 0}) { // round(4), round(3), round(2.5) = 3, round(0.8), a lone row stays
		t.Errorf("held per class %v, want [4 3 3 1 0]", count)
	}
	for i, n := range seen {
		if n != 1 {
			t.Fatalf("row %d in %d parts, want 1", i, n)
		}
	}
	if tr, held, err := StratifiedSplit(labels, 5, 0, nil); err != nil || len(tr) != len(labels) || len(held) != 0 {
		t.Errorf("frac 0: %d train, %d held, %v; want all in train", len(tr), len(held), err)
	}
}

func TestSplitErrors(t *testing.T) {
	rng := newRNG(1)
	kf := func(labels []int, classes, k int, r *rand.Rand) error {
		_, err := StratifiedKFold(labels, classes, k, r)
		return err
	}
	ss := func(labels []int, classes int, frac float64, r *rand.Rand) error {
		_, _, err := StratifiedSplit(labels, classes, frac, r)
		return err
	}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"k 1", kf([]int{0, 1}, 2, 1, rng), "1 folds, want at least 2"},
		{"k nil rng", kf([]int{0, 1}, 2, 2, nil), "nil random generator"},
		{"k no labels", kf(nil, 2, 2, rng), "no labels"},
		{"k classes", kf([]int{0, 1}, 0, 2, rng), "0 classes"},
		{"k out of range", kf([]int{0, 3}, 2, 2, rng), "class 3 of row 1 is outside [0, 2)"},
		{"k too few rows", kf([]int{0, 1, 0}, 2, 4, rng), "3 rows are too few for 4 folds"},
		{"split frac 1", ss([]int{0, 1}, 2, 1, rng), "fraction 1, want from 0 to below 1"},
		{"split frac negative", ss([]int{0, 1}, 2, -0.1, rng), "fraction -0.1"},
		{"split nil rng", ss([]int{0, 1}, 2, 0.5, nil), "nil random generator"},
		{"split out of range", ss([]int{-1}, 2, 0.5, rng), "class -1 of row 0"},
		{"split no labels", ss(nil, 2, 0.5, rng), "no labels"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, c.err, c.want)
		}
	}
}
