package nn

import (
	"fmt"
	"math"

	"fugo/autodiff"
	"fugo/internal/kernels"
	"fugo/tensor"
)

// Epsilon is Keras' fuzz factor (backend.epsilon()): probabilities are clipped to
// [Epsilon, 1−Epsilon] before their logarithm is taken.
const Epsilon = 1e-7

func mustSameShape(op string, a, b *autodiff.Var) {
	if !tensor.SameShape(a.Value.Shape, b.Value.Shape) {
		panic(fmt.Sprintf("nn.%s: target shape %v, output shape %v", op, a.Value.Shape, b.Value.Shape))
	}
}

func lastDim(v *autodiff.Var) int {
	s := v.Value.Shape
	return s[len(s)-1]
}

// BinaryCrossentropy returns, for each row of the last axis, the mean of
//
//	−[t·log(p) + (1−t)·log(1−p)],  p = clip(output, ε, 1−ε), ε = 1e-7,
//
// as Keras' losses.binary_crossentropy does: target and output [..., F] → [...]. Where
// the clip is active the gradient is zero, as with Keras' clip. The forward pass computes
// d/dp with the loss (kernels.BinaryCrossentropyRows, AVX2) and keeps it for backward.
func BinaryCrossentropy(tp *autodiff.Tape, target, output *autodiff.Var) *autodiff.Var {
	mustSameShape("BinaryCrossentropy", target, output)
	s := output.Value.Shape
	out := tp.NewVar(tp.Needs(target, output), s[:len(s)-1]...)
	rows := len(out.Value.Data)
	var grad *tensor.Tensor
	var gradData []float32
	if output.RequiresGrad() && !tp.NoGrad {
		grad = tp.Scratch(len(output.Value.Data))
		gradData = grad.Data
	}
	loss := tp.Scratch64(rows)
	kernels.BinaryCrossentropyRows(loss, target.Value.Data, output.Value.Data, gradData)
	inv := 1 / float64(lastDim(output))
	for r, l := range loss {
		out.Value.Data[r] = float32(l * inv)
	}
	tp.Record(autodiff.Node{Backward: bceBackward, In: [3]*autodiff.Var{target, output}, Out: out, Scratch: grad})
	return out
}

// bceBackward scales the saved d/dp by each row's upstream gradient over F; the rarely
// needed gradient with respect to the target, log(1−q) − log(q), is computed here.
func bceBackward(n *autodiff.Node) {
	target, output := n.In[0], n.In[1]
	f := lastDim(output)
	p := output.Value.Data
	inv := 1 / float32(f)
	for r, g := range n.Out.Grad.Data {
		g *= inv
		lo, hi := r*f, r*f+f
		if output.RequiresGrad() {
			kernels.Axpy(output.Grad.Data[lo:hi], g, n.Scratch.Data[lo:hi])
		}
		if target.RequiresGrad() {
			for j := lo; j < hi; j++ {
				q := min(max(p[j], Epsilon), 1-Epsilon)
				target.Grad.Data[j] += g * float32(math.Log(float64(1-q))-math.Log(float64(q)))
			}
		}
	}
}

// MeanSquaredError returns mean((target − output)²) over the last axis: [..., F] → [...].
func MeanSquaredError(tp *autodiff.Tape, target, output *autodiff.Var) *autodiff.Var {
	mustSameShape("MeanSquaredError", target, output)
	s := output.Value.Shape
	f := lastDim(output)
	out := tp.NewVar(tp.Needs(target, output), s[:len(s)-1]...)
	t, p := target.Value.Data, output.Value.Data
	for r := range out.Value.Data {
		var sum float32
		for j := r * f; j < r*f+f; j++ {
			d := p[j] - t[j]
			sum += d * d
		}
		out.Value.Data[r] = sum / float32(f)
	}
	tp.Record(autodiff.Node{Backward: mseBackward, In: [3]*autodiff.Var{target, output}, Out: out})
	return out
}

func mseBackward(n *autodiff.Node) {
	target, output := n.In[0], n.In[1]
	f := lastDim(output)
	t, p := target.Value.Data, output.Value.Data
	for r, g := range n.Out.Grad.Data {
		g *= 2 / float32(f)
		for j := r * f; j < r*f+f; j++ {
			d := g * (p[j] - t[j])
			if output.RequiresGrad() {
				output.Grad.Data[j] += d
			}
			if target.RequiresGrad() {
				target.Grad.Data[j] -= d
			}
		}
	}
}

// CategoricalCrossentropy returns −Σ t·log(clip(p, ε, 1−ε)) over the last axis, with p
// the output rows renormalised to sum to one, as Keras does for probabilities:
// [..., C] → [...].
func CategoricalCrossentropy(tp *autodiff.Tape, target, output *autodiff.Var) *autodiff.Var {
	mustSameShape("CategoricalCrossentropy", target, output)
	s := output.Value.Shape
	c := lastDim(output)
	out := tp.NewVar(tp.Needs(target, output), s[:len(s)-1]...)
	t, p := target.Value.Data, output.Value.Data
	for r := range out.Value.Data {
		row := p[r*c : r*c+c]
		var total float32
		for _, v := range row {
			total += v
		}
		var sum float64
		for j, v := range row {
			q := min(max(v/total, Epsilon), 1-Epsilon)
			sum -= float64(t[r*c+j]) * math.Log(float64(q))
		}
		out.Value.Data[r] = float32(sum)
	}
	tp.Record(autodiff.Node{Backward: cceBackward, In: [3]*autodiff.Var{target, output}, Out: out})
	return out
}

func cceBackward(n *autodiff.Node) {
	target, output := n.In[0], n.In[1]
	c := lastDim(output)
	t, p := target.Value.Data, output.Value.Data
	for r, g := range n.Out.Grad.Data {
		row, tr := p[r*c:r*c+c], t[r*c:r*c+c]
		var total, tsum float32
		for _, v := range row {
			total += v
		}
		for j, v := range row {
			if q := v / total; q >= Epsilon && q <= 1-Epsilon {
				tsum += tr[j]
			}
		}
		// L = −Σ_j t_j log(p_j / S), S = Σ p, over the unclipped j:
		// ∂L/∂p_k = Σ_j t_j / S − t_k/p_k (the last term only where k is unclipped).
		for j, v := range row {
			q := v / total
			if output.RequiresGrad() {
				d := tsum / total
				if q >= Epsilon && q <= 1-Epsilon {
					d -= tr[j] / v
				}
				output.Grad.Data[r*c+j] += g * d
			}
			if target.RequiresGrad() {
				target.Grad.Data[r*c+j] -= g * float32(math.Log(float64(min(max(q, Epsilon), 1-Epsilon))))
			}
		}
	}
}

// KLNormal returns, per row, the KL divergence of the diagonal Gaussian N(μ, diag(e^logσ²))
// from the standard normal N(0, I):
//
//	D = −½ Σ_j (1 + logσ²_j − μ_j² − e^(logσ²_j)),   mean, logVar [..., L] → [...].
//
// It is the same as the VAE post's plain expression, fused into one op.
func KLNormal(tp *autodiff.Tape, mean, logVar *autodiff.Var) *autodiff.Var {
	mustSameShape("KLNormal", mean, logVar)
	s := mean.Value.Shape
	l := lastDim(mean)
	out := tp.NewVar(tp.Needs(mean, logVar), s[:len(s)-1]...)
	mu, lv := mean.Value.Data, logVar.Value.Data
	for r := range out.Value.Data {
		var sum float32
		for j := r * l; j < r*l+l; j++ {
			sum += 1 + lv[j] - mu[j]*mu[j] - float32(math.Exp(float64(lv[j])))
		}
		out.Value.Data[r] = -0.5 * sum
	}
	tp.Record(autodiff.Node{Backward: klBackward, In: [3]*autodiff.Var{mean, logVar}, Out: out})
	return out
}

func klBackward(n *autodiff.Node) {
	mean, logVar := n.In[0], n.In[1]
	l := lastDim(mean)
	mu, lv := mean.Value.Data, logVar.Value.Data
	for r, g := range n.Out.Grad.Data {
		for j := r * l; j < r*l+l; j++ {
			if mean.RequiresGrad() {
				mean.Grad.Data[j] += g * mu[j]
			}
			if logVar.RequiresGrad() {
				logVar.Grad.Data[j] += g * 0.5 * (float32(math.Exp(float64(lv[j]))) - 1)
			}
		}
	}
}
