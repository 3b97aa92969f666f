package metrics

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// byClass lists the rows of each class in [0, classes), in row order.
func byClass(what string, labels []int, classes int) ([][]int, error) {
	if classes < 1 {
		return nil, fmt.Errorf("metrics: %s: %d classes, want at least 1", what, classes)
	}
	if len(labels) == 0 {
		return nil, fmt.Errorf("metrics: %s: no labels", what)
	}
	out := make([][]int, classes)
	for i, c := range labels {
		if c < 0 || c >= classes {
			return nil, fmt.Errorf("metrics: %s: class %d of row %d is outside [0, %d)", what, c, i, classes)
		}
		out[c] = append(out[c], i)
	}
	return out, nil
}

// StratifiedKFold assigns each of the len(labels) rows a fold in [0, k) for k-fold
// cross-validation, stratified by class: the rows of class 0, then of class 1, and so on,
// each class's rows shuffled with rng (rng.Shuffle, once per class, in class order), are
// dealt round-robin to folds 0, 1, …, k−1, 0, …, the deal continuing from one class to the
// next. So every fold holds the same number of rows of every class give or take one, and
// fold sizes differ by at most one. (scikit-learn's StratifiedKFold balances the same way
// but deals differently: the folds are not theirs.)
//
// The assignment is fixed by the labels, classes, k and the state of rng; this is the
// deal `fugo speaker cv` has always used (tensor.NewRNG(104729)), so its recorded numbers
// stay reproducible. Use Fold to list one fold's training and held-out rows.
//
// Errors: classes < 1, no labels, k < 2, fewer rows than folds (a fold would be empty),
// a class outside [0, classes), or a nil rng.
func StratifiedKFold(labels []int, classes, k int, rng *rand.Rand) ([]int, error) {
	if k < 2 {
		return nil, fmt.Errorf("metrics: stratified k-fold: %d folds, want at least 2", k)
	}
	if rng == nil {
		return nil, fmt.Errorf("metrics: stratified k-fold: nil random generator (pass a seeded *rand.Rand)")
	}
	rows, err := byClass("stratified k-fold", labels, classes)
	if err != nil {
		return nil, err
	}
	if len(labels) < k {
		return nil, fmt.Errorf("metrics: stratified k-fold: %d rows are too few for %d folds", len(labels), k)
	}
	fold := make([]int, len(labels))
	next := 0 // continue the deal across classes so that fold sizes differ by at most one
	for _, r := range rows {
		rng.Shuffle(len(r), func(i, j int) { r[i], r[j] = r[j], r[i] })
		for _, i := range r {
			fold[i] = next % k
			next++
		}
	}
	return fold, nil
}

// Fold splits the rows by a fold assignment (as StratifiedKFold returns): test lists the
// rows in fold f, train the others, both in row order.
func Fold(fold []int, f int) (train, test []int) {
	for i, g := range fold {
		if g == f {
			test = append(test, i)
		} else {
			train = append(train, i)
		}
	}
	return train, test
}

// StratifiedSplit holds out a fraction of each class's rows: of the n_c rows of class c it
// holds out h_c = round(frac·n_c), raised to 1 when frac > 0 and n_c ≥ 2, and capped at
// n_c − 1, so that every class with two or more rows keeps rows on both sides and a class
// with one row keeps it for training. The held-out rows of a class are the first h_c of
// its rows after rng.Shuffle (once per class, in class order). Returns the row indices of
// both parts in row order. With frac = 0 every row is in train and rng is not used.
//
// This is a stratified shuffle split (one split) with fugo's own rounding, not
// scikit-learn's StratifiedShuffleSplit allocation; it is the split `fugo speaker` has
// always carved its early-stopping validation lines with (rng tensor.NewRNG(seed+7919)),
// so its recorded numbers stay reproducible.
//
// Errors: classes < 1, no labels, frac outside [0, 1) or NaN, a class outside
// [0, classes), or a nil rng with frac > 0.
func StratifiedSplit(labels []int, classes int, frac float64, rng *rand.Rand) (train, held []int, err error) {
	if !(frac >= 0 && frac < 1) {
		return nil, nil, fmt.Errorf("metrics: stratified split: fraction %v, want from 0 to below 1", frac)
	}
	rows, err := byClass("stratified split", labels, classes)
	if err != nil {
		return nil, nil, err
	}
	isHeld := make([]bool, len(labels))
	if frac > 0 {
		if rng == nil {
			return nil, nil, fmt.Errorf("metrics: stratified split: nil random generator (pass a seeded *rand.Rand)")
		}
		for _, r := range rows {
			h := int(math.Round(frac * float64(len(r))))
			if h == 0 && len(r) > 1 {
				h = 1
			}
			h = min(h, len(r)-1)
			rng.Shuffle(len(r), func(i, j int) { r[i], r[j] = r[j], r[i] })
			for _, i := range r[:max(h, 0)] {
				isHeld[i] = true
			}
		}
	}
	for i, h := range isHeld {
		if h {
			held = append(held, i)
		} else {
			train = append(train, i)
		}
	}
	return train, held, nil
}
