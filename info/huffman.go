package info

import (
	"container/heap"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Code is a binary prefix code for the outcomes of a distribution.
type Code struct {
	// Words[ω] is the code word of outcome ω as a string of '0' and '1'. An outcome of
	// probability 0 never needs sending and gets no word ("", with Lengths[ω] = 0 and
	// Has[ω] false); so does the only outcome of a certain distribution, whose word is
	// empty because nothing needs sending (Has true, length 0, like country C's weather).
	Words []string
	// Lengths[ω] is len(Words[ω]).
	Lengths []int
	// Has[ω] says whether the code can send outcome ω at all.
	Has []bool
	// Average is the expected word length under the distribution the code was built
	// for, Σ_ω P(ω)·Lengths[ω], in bits. For a Huffman code H(P) ≤ Average < H(P) + 1.
	Average float64
}

// AverageUnder returns the expected length in bits of this code's words when the outcomes
// come from p, Σ_ω p(ω)·Lengths[ω], or +Inf when p gives positive probability to an outcome
// the code has no word for. For a Huffman code built for Q and dyadic P, Q this equals the
// cross-entropy H(P, Q) in bits. It panics if p has the wrong length.
func (c Code) AverageUnder(p []float64) float64 {
	if len(p) != len(c.Words) {
		panic(fmt.Sprintf("info: Code.AverageUnder of a distribution of length %d for a code of %d words", len(p), len(c.Words)))
	}
	avg := 0.0
	for i, pi := range p {
		if pi == 0 {
			continue
		}
		if !c.Has[i] {
			return math.Inf(1)
		}
		avg += pi * float64(c.Lengths[i])
	}
	return avg
}

// Kraft returns the Kraft sum Σ 2^−Lengths[ω] over the outcomes the code has words for. A
// prefix code has Kraft ≤ 1; a Huffman code, being complete, has exactly 1.
func (c Code) Kraft() float64 {
	s := 0.0
	for i, l := range c.Lengths {
		if c.Has[i] {
			s += math.Ldexp(1, -l)
		}
	}
	return s
}

// Huffman returns a binary Huffman code for p: an optimal prefix code, whose average length
// L satisfies H(P) ≤ L < H(P) + 1 (in bits), with L = H(P) exactly when every positive
// probability is a power of 1/2.
//
// The result is deterministic. The code lengths come from Huffman's algorithm, which
// repeatedly merges the two lightest subtrees; ties in weight go to the subtree made
// earliest, counting the outcomes as made first in index order (so leaves merge before
// merged subtrees of equal weight, which keeps the lengths' spread small). The words are
// then assigned canonically, as in DEFLATE: by increasing length, and by outcome index
// within a length, each word the binary successor of the previous one padded with zeros. For
// the post's countries this gives 00/01/10/11 and 0/10/110/111.
//
// Outcomes of probability 0 get no word; if only one outcome has positive probability its
// word is empty (length 0). p must be non-negative (see Validate); it need not sum to 1, but
// Average is Σ p·length without dividing by the sum. Huffman panics on a negative or NaN p.
func Huffman(p []float64) Code {
	n := len(p)
	c := Code{Words: make([]string, n), Lengths: make([]int, n), Has: make([]bool, n)}
	h := make(nodeHeap, 0, n)
	for i, pi := range p {
		if pi < 0 || math.IsNaN(pi) {
			panic(fmt.Sprintf("info: Huffman of a distribution with p[%d] = %g", i, pi))
		}
		if pi > 0 {
			h = append(h, &hnode{weight: pi, id: i, leaf: i})
			c.Has[i] = true
		}
	}
	if len(h) == 0 {
		return c
	}
	// Huffman's merges; depth is computed afterwards from the parent links.
	heap.Init(&h)
	nextID := n
	var all []*hnode
	for _, x := range h {
		all = append(all, x)
	}
	for h.Len() > 1 {
		a := heap.Pop(&h).(*hnode)
		b := heap.Pop(&h).(*hnode)
		m := &hnode{weight: a.weight + b.weight, id: nextID, leaf: -1}
		nextID++
		a.parent, b.parent = m, m
		heap.Push(&h, m)
	}
	for _, x := range all {
		d := 0
		for y := x.parent; y != nil; y = y.parent {
			d++
		}
		c.Lengths[x.leaf] = d
	}

	// Canonical words: sort by (length, index), count upwards.
	order := make([]int, 0, len(all))
	for _, x := range all {
		order = append(order, x.leaf)
	}
	sort.Slice(order, func(i, j int) bool {
		li, lj := c.Lengths[order[i]], c.Lengths[order[j]]
		if li != lj {
			return li < lj
		}
		return order[i] < order[j]
	})
	var word []byte // the current code word, as '0'/'1'
	for k, i := range order {
		if k > 0 {
			word = increment(word)
		}
		for len(word) < c.Lengths[i] {
			word = append(word, '0')
		}
		c.Words[i] = string(word)
	}
	for i, pi := range p {
		if pi > 0 {
			c.Average += pi * float64(c.Lengths[i])
		}
	}
	return c
}

// increment adds 1 to a binary word in place. It never overflows for a complete code
// (Kraft sum 1): the all-ones word comes last.
func increment(w []byte) []byte {
	for i := len(w) - 1; i >= 0; i-- {
		if w[i] == '0' {
			w[i] = '1'
			return w
		}
		w[i] = '0'
	}
	panic("info: Huffman: canonical code overflow")
}

// String lists the code words separated by spaces, "-" for outcomes without one and "ε"
// for the empty word.
func (c Code) String() string {
	parts := make([]string, len(c.Words))
	for i, w := range c.Words {
		switch {
		case !c.Has[i]:
			parts[i] = "-"
		case w == "":
			parts[i] = "ε"
		default:
			parts[i] = w
		}
	}
	return strings.Join(parts, " ")
}

type hnode struct {
	weight float64
	id     int // creation order: outcome index for leaves, n, n+1, … for merges
	leaf   int // outcome index, or −1
	parent *hnode
}

type nodeHeap []*hnode

func (h nodeHeap) Len() int { return len(h) }
func (h nodeHeap) Less(i, j int) bool {
	if h[i].weight != h[j].weight {
		return h[i].weight < h[j].weight
	}
	return h[i].id < h[j].id
}
func (h nodeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *nodeHeap) Push(x any)   { *h = append(*h, x.(*hnode)) }
func (h *nodeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
