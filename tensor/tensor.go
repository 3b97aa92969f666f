// Package tensor holds fugo's n-dimensional float32 arrays: row-major, batch first,
// channels last (NHWC), like Keras.
package tensor

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Tensor is a dense row-major float32 array. Data holds Size() elements; element
// (i0, i1, …, ik) sits at offset ((i0·Shape[1] + i1)·Shape[2] + …)·Shape[k] + ik.
type Tensor struct {
	Shape []int
	Data  []float32
}

// New returns a zero tensor of the given shape. It panics on a negative dimension.
func New(shape ...int) *Tensor {
	n := Numel(shape)
	return &Tensor{Shape: append([]int(nil), shape...), Data: make([]float32, n)}
}

// FromSlice wraps data (not copied) as a tensor of the given shape. It panics when the
// sizes disagree.
func FromSlice(data []float32, shape ...int) *Tensor {
	if n := Numel(shape); n != len(data) {
		panic(fmt.Sprintf("tensor.FromSlice: %d values for shape %v (%d elements)", len(data), shape, n))
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data: data}
}

// Numel is the number of elements of a shape: the product of its dimensions (1 for a scalar).
func Numel(shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			// Copy so that shape itself does not escape: callers pass stack-allocated shapes.
			panic(fmt.Sprintf("tensor: negative dimension in shape %v", append([]int(nil), shape...)))
		}
		n *= d
	}
	return n
}

// Size is the number of elements.
func (t *Tensor) Size() int { return len(t.Data) }

// Rows is the size of the first axis (the batch); Cols is the product of the others.
func (t *Tensor) Rows() int { return t.Shape[0] }

// Cols is the number of elements per row: Size()/Shape[0].
func (t *Tensor) Cols() int {
	if t.Shape[0] == 0 {
		return Numel(t.Shape[1:])
	}
	return len(t.Data) / t.Shape[0]
}

// Reshape returns a view of t with another shape of the same size; the data is shared.
func (t *Tensor) Reshape(shape ...int) *Tensor {
	if n := Numel(shape); n != len(t.Data) {
		panic(fmt.Sprintf("tensor.Reshape: cannot view shape %v as %v", t.Shape, shape))
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data: t.Data}
}

// RowSlice returns a view of rows [i, j) along the first axis; the data is shared.
func (t *Tensor) RowSlice(i, j int) *Tensor {
	c := t.Cols()
	s := append([]int{j - i}, t.Shape[1:]...)
	return &Tensor{Shape: s, Data: t.Data[i*c : j*c : j*c]}
}

// Clone returns a deep copy.
func (t *Tensor) Clone() *Tensor {
	return &Tensor{Shape: append([]int(nil), t.Shape...), Data: append([]float32(nil), t.Data...)}
}

// SameShape reports whether a and b have identical shapes.
func SameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Fill sets every element to v.
func (t *Tensor) Fill(v float32) {
	for i := range t.Data {
		t.Data[i] = v
	}
}

// FillUniform fills t with independent draws from U[lo, hi).
func (t *Tensor) FillUniform(rng *rand.Rand, lo, hi float32) {
	for i := range t.Data {
		t.Data[i] = lo + (hi-lo)*rng.Float32()
	}
}

// FillNormal fills t with independent draws from N(mean, std²).
func (t *Tensor) FillNormal(rng *rand.Rand, mean, std float32) {
	for i := range t.Data {
		t.Data[i] = mean + std*float32(rng.NormFloat64())
	}
}

// AllFinite reports whether no element is NaN or ±Inf.
func (t *Tensor) AllFinite() bool {
	for _, v := range t.Data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return false
		}
	}
	return true
}

// String prints the shape and up to the first 8 values, for debugging.
func (t *Tensor) String() string {
	n := min(len(t.Data), 8)
	s := fmt.Sprintf("Tensor%v%v", t.Shape, t.Data[:n])
	if n < len(t.Data) {
		s += "…"
	}
	return s
}

// NewRNG returns the seeded generator fugo uses everywhere (PCG, math/rand/v2): the same
// seed gives the same stream on every platform.
func NewRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }
