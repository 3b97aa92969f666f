package zoo

import (
	"math/rand/v2"

	"fugo/nn"
)

// SparseL1 is the tutorial's L1 activity penalty on the code, written 10e-5 there (= 1e-4).
const SparseL1 = 1e-4

// SparseConfig is the tutorial's sparse autoencoder: the simple model (784 → 32 → 784)
// with an L1 activity regularizer of SparseL1 on the 32-unit code, per example as the
// Keras 1 that produced the tutorial's numbers did (see nn.ActivityRegularizer): the
// training loss of a batch of B images is
//
//	mean BCE + 1e-4 · (1/B) Σ_{b,j} |code_bj|.
//
// Set Activity.PerExample to false for Keras 2.0's sum over the batch (256× stronger at
// batch 256).
func SparseConfig() DenseConfig {
	c := SimpleConfig()
	c.Activity = &nn.ActivityRegularizer{L1L2: nn.L1(SparseL1), PerExample: true}
	return c
}

// NewSparse is the tutorial's sparse autoencoder, SparseConfig.
func NewSparse(rng *rand.Rand) *DenseAE { return NewDenseAE("sparse", SparseConfig(), rng) }

func init() { registerDense("sparse") }
