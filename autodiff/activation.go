package autodiff

import (
	"fmt"
	"math"
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
// dst and src may be the same slice.
func (a Activation) Forward(dst, src []float32, cols int) {
	switch a {
	case Linear:
		copy(dst, src)
	case ReLU:
		for i, z := range src {
			dst[i] = max(z, 0)
		}
	case Sigmoid:
		for i, z := range src {
			dst[i] = sigmoid(z)
		}
	case Tanh:
		for i, z := range src {
			dst[i] = float32(math.Tanh(float64(z)))
		}
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
		for i, y := range out {
			if y > 0 {
				dZ[i] = dOut[i]
			} else {
				dZ[i] = 0
			}
		}
	case Sigmoid:
		for i, y := range out {
			dZ[i] = dOut[i] * y * (1 - y)
		}
	case Tanh:
		for i, y := range out {
			dZ[i] = dOut[i] * (1 - y*y)
		}
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

// sigmoid is 1/(1+e^-z), computed without overflow for large |z|.
func sigmoid(z float32) float32 {
	if z >= 0 {
		return 1 / (1 + expf(-z))
	}
	e := expf(z)
	return e / (1 + e)
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

func expf(x float32) float32 { return float32(math.Exp(float64(x))) }
func logf(x float32) float32 { return float32(math.Log(float64(x))) }
