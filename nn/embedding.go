package nn

import (
	"fmt"
	"math/rand/v2"

	"fugo/autodiff"
	"fugo/tensor"
)

// Embedding is Keras' Embedding layer: it maps each integer id in [0, vocab) to a
// trainable row of E [vocab, dim].
//
// The ids come in a Var of any shape [...] holding whole numbers coded as float32 (exact
// up to 2^24), so that id sequences batch through train.Fit like any other input; the
// output is [..., dim]. The ids get no gradient. There is no mask_zero: the padding id's
// row is an ordinary row (trained towards whatever helps), as with Keras' default.
type Embedding struct {
	Name       string
	Embeddings *autodiff.Var // E [vocab, dim], U(−0.05, 0.05) as Keras' default
}

// NewEmbedding returns an Embedding initialised from U(−0.05, 0.05), Keras'
// embeddings_initializer='uniform'.
func NewEmbedding(name string, vocab, dim int, rng *rand.Rand) *Embedding {
	if vocab <= 0 || dim <= 0 {
		panic(fmt.Sprintf("nn.NewEmbedding %q: vocabulary %d and dimension %d must be positive", name, vocab, dim))
	}
	e := tensor.New(vocab, dim)
	e.FillUniform(rng, -0.05, 0.05)
	return &Embedding{Name: name, Embeddings: autodiff.NewParam(e)}
}

// Vocab is the number of ids; Dim the width of a row.
func (e *Embedding) Vocab() int { return e.Embeddings.Value.Shape[0] }
func (e *Embedding) Dim() int   { return e.Embeddings.Value.Shape[1] }

// Params returns the embedding matrix.
func (e *Embedding) Params() []Param {
	return []Param{{e.Name + "/embeddings", e.Embeddings}}
}

// Call returns out[..., :] = E[ids[...], :], shape [..., dim]. An id that is not a whole
// number in [0, vocab) is a programmer error (a vocabulary maps unknown tokens to its
// unknown id before this point) and panics with the id and its position.
func (e *Embedding) Call(tp *autodiff.Tape, ids *autodiff.Var) *autodiff.Var {
	v, d := e.Vocab(), e.Dim()
	is := ids.Value.Shape
	var shape [8]int
	if len(is)+1 > len(shape) {
		panic(fmt.Sprintf("nn.Embedding %q: input shape %v has too many axes", e.Name, is))
	}
	outShape := shape[:copy(shape[:], is)+1]
	outShape[len(is)] = d
	out := tp.NewVar(tp.Needs(e.Embeddings, nil), outShape...)
	table, y := e.Embeddings.Value.Data, out.Value.Data
	for k, f := range ids.Value.Data {
		id := int(f)
		if float32(id) != f || id < 0 || id >= v {
			panic(fmt.Sprintf("nn.Embedding %q: id %v at flat position %d of input %v is not a whole number in [0, %d)", e.Name, f, k, is, v))
		}
		copy(y[k*d:k*d+d], table[id*d:id*d+d])
	}
	tp.Record(autodiff.Node{Backward: embeddingBackward, In: [3]*autodiff.Var{ids, e.Embeddings}, Out: out})
	return out
}

func embeddingBackward(n *autodiff.Node) {
	ids, emb, out := n.In[0], n.In[1], n.Out
	d := emb.Value.Shape[1]
	dE, g := emb.Grad.Data, out.Grad.Data
	for k, f := range ids.Value.Data {
		id := int(f)
		row, gr := dE[id*d:id*d+d], g[k*d:k*d+d]
		for j, v := range gr {
			row[j] += v
		}
	}
}
