package autodiff

import (
	"fmt"

	"fugo/internal/kernels"
	"fugo/internal/vmath"
)

// Activation is an elementwise (or, for Softmax, row-wise) function applied after a layer's
// linear part. The zero value is Linear.
type Activation int

const (
	Linear  Activation = iota // f(z) = z
	ReLU                      // f(z) = max(z, 0); f'(0) = 0, as in TensorFlow and PyTorch
	Sigmoid                   // f(z) = 1 / (1 + e^-z)
	Tanh                      // f(z) = tanh z
	Softmax                   // f(z)_j = e^(z_j) / Σ_k e^(z_k) over the last axis
)

var activationNames = [...]string{"linear", "relu", "sigmoid", "tanh", "softmax"}

func (a Activation) String() string {
	if a < 0 || int(a) >= len(activationNames) {
		return fmt.Sprintf("Activation(%d)", int(a))
	}
	return activationNames[a]
}

// ParseActivation maps a Keras activation name ("linear", "relu", "sigmoid", "tanh",
// "softmax"; "" means linear) to an Activation.
func ParseActivation(name string) (Activation, error) {
	if name == "" {
		return Linear, nil
	}
	for i, n := range activationNames {
		if n == name {
			return Activation(i), nil
		}
	}
	return 0, fmt.Errorf("unknown activation %q (want linear, relu, sigmoid, tanh or softmax)", name)
}

// Forward sets dst = f(src) elementwise; for Softmax, over consecutive rows of cols values.
// dst and src may be the same slice. ReLU, Sigmoid and Tanh run on the vector kernels
// (internal/kernels: AVX2, within a few ulp of package math).
func (a Activation) Forward(dst, src []float32, cols int) {
	switch a {
	case Linear:
		copy(dst, src)
	case ReLU:
		kernels.ReLU(dst, src)
	case Sigmoid:
		kernels.Sigmoid(dst, src)
	case Tanh:
		kernels.Tanh(dst, src)
	case Softmax:
		for r := 0; r+cols <= len(src); r += cols {
			softmaxRow(dst[r:r+cols], src[r:r+cols])
		}
	default:
		panic(fmt.Sprintf("autodiff: unknown activation %d", int(a)))
	}
}

// Backward turns the gradient with respect to the output, dOut, into the gradient with
// respect to the pre-activation, written to dZ, using the forward output out = f(z).
// dZ may alias dOut. For Softmax, rows of cols values: dz = y ⊙ (dy − Σ y·dy).
func (a Activation) Backward(dZ, dOut, out []float32, cols int) {
	switch a {
	case Linear:
		copy(dZ, dOut)
	case ReLU:
		kernels.ReLUBackward(dZ, dOut, out)
	case Sigmoid:
		kernels.SigmoidBackward(dZ, dOut, out)
	case Tanh:
		kernels.TanhBackward(dZ, dOut, out)
	case Softmax:
		for r := 0; r+cols <= len(out); r += cols {
			y, dy := out[r:r+cols], dOut[r:r+cols]
			var dot float32
			for j := range y {
				dot += y[j] * dy[j]
			}
			for j := range y {
				dZ[r+j] = y[j] * (dy[j] - dot)
			}
		}
	default:
		panic(fmt.Sprintf("autodiff: unknown activation %d", int(a)))
	}
}

func softmaxRow(dst, src []float32) {
	m := src[0]
	for _, z := range src[1:] {
		m = max(m, z)
	}
	var s float32
	for j, z := range src {
		e := expf(z - m)
		dst[j] = e
		s += e
	}
	inv := 1 / s
	for j := range dst {
		dst[j] *= inv
	}
}

func expf(x float32) float32 { return vmath.Exp(x) }
