package zoo_test

import (
	"testing"

	"fugo/autodiff"
	"fugo/internal/gradcheck"
	"fugo/train"
)

// gradcheckLoss checks the gradient of model.Loss(x, x) with respect to inputs.
func gradcheckLoss(t *testing.T, m train.Model, x *autodiff.Var, inputs []*autodiff.Var) {
	t.Helper()
	gradcheck.Check(t, "Loss", append([]*autodiff.Var{x}, inputs...), func(tp *autodiff.Tape) *autodiff.Var {
		return m.Loss(tp, x, x, true)
	}, gradcheck.Options{})
}
