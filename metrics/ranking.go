package metrics

import (
	"cmp"
	"slices"
)

// group is one distinct score and the labels of the rows that have it.
type group struct {
	score    float64
	pos, neg int
}

// groups returns the distinct scores in decreasing order with the count of positive and
// negative rows at each. The scores must hold no NaN (checkScores). -0 and +0 are one
// score.
func groups(scores []float64, labels []bool) []group {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	var out []group
	for _, i := range idx {
		if n := len(out); n == 0 || out[n-1].score != scores[i] {
			out = append(out, group{score: scores[i]})
		}
		g := &out[len(out)-1]
		if labels[i] {
			g.pos++
		} else {
			g.neg++
		}
	}
	return out
}
