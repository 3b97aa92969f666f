package zoo

import "math/rand/v2"

// DeepConfig is the tutorial's deep autoencoder: 784 → 128 → 64 → 32 → 64 → 128 → 784,
// relu inside, sigmoid out.
func DeepConfig() DenseConfig { return DenseConfig{Input: 784, Hidden: []int{128, 64, 32}} }

// NewDeep is the tutorial's deep autoencoder, DeepConfig.
func NewDeep(rng *rand.Rand) *DenseAE { return NewDenseAE("deep", DeepConfig(), rng) }

func init() { registerDense("deep") }
