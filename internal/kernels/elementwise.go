package kernels

import (
	"fmt"
	"runtime"
)

// Elementwise kernels: activations, their derivatives, binary cross-entropy, optimizer
// updates and small vector operations on float32 slices. With AVX2/FMA they run in
// assembly, 8 floats per instruction (16 per loop iteration for the maps), tails of 1–7
// elements through masked loads and stores, so every element goes through the same
// vector code; otherwise (-tags noasm, or a CPU without AVX2/FMA) they run the pure-Go
// loops of elementwise_go.go, built on internal/vmath.
//
// Accuracy against the correctly rounded result, measured by the tests over the whole
// float32 range (assembly and Go alike):
//
//	Exp, Log            ≤ 1 ulp (Cephes polynomials of vmath; the assembly fuses the
//	                    multiply-adds of the polynomial and the range reduction)
//	Sigmoid             ≤ 3 ulp (2.35 measured, at z ≈ −16.6, where e^−z's error of 1 ulp
//	                    and the roundings of 1+e^−z and of the division add up); 0 where 1/(1+e^−z) is below the smallest normal
//	                    float32 and e^−z overflows (z < −88.7), exactly 1 for z > 16.7
//	Tanh                ≤ 2 ulp
//
// The optimizer updates, backward loops, Add, Axpy and Scale round every product and sum
// separately, exactly as their reference loops: assembly and Go agree bit for bit.
//
// Aliasing: an output may be the same slice as an input (dst == src), never an
// overlapping, shifted one.
//
// Parallelism: calls of at least parallelElems elements are split into at most
// GOMAXPROCS parts, run by a pool of worker goroutines and the caller. Maps give the same
// result for any split; sums are taken over fixed blocks (bceBlock elements, or rows) and
// added in block order, so every result is independent of GOMAXPROCS. A warm call
// allocates nothing.

const (
	// parallelElems: calls with fewer elements run on the calling goroutine.
	parallelElems = 1 << 15
	// minPartElems: each parallel part gets at least this many elements.
	minPartElems = 1 << 14
	// bceBlock: BinaryCrossentropy sums blocks of this many elements in float64 and adds
	// the block sums in order.
	bceBlock = 1 << 13
)

// Activation codes for BiasActivate.
const (
	ActLinear  = 0 // y
	ActReLU    = 1 // max(y, 0); NaN stays NaN
	ActSigmoid = 2 // 1/(1+e^−y)
	ActTanh    = 3 // tanh y
)

func mustLen(op string, n int, names string, lens ...int) {
	for _, l := range lens {
		if l != n {
			panic(fmt.Sprintf("kernels.%s: lengths differ: %s = %v", op, names, append([]int{n}, lens...)))
		}
	}
}

// Exp sets dst[i] = e^src[i] (vmath.Exp): +Inf above ~88.72, 0 below ~−87.34 (where the
// result would be subnormal), NaN for NaN. len(dst) must equal len(src).
func Exp(dst, src []float32) {
	mustLen("Exp", len(src), "len(src), len(dst)", len(dst))
	if j := parallelMapJob(ewExp, dst, src, nil, nil, nil, len(src)); j != nil {
		j.run()
		return
	}
	expK(dst, src)
}

// Log sets dst[i] = ln src[i] (vmath.Log): −Inf at ±0, +Inf at +Inf, NaN below zero or
// for NaN; subnormal arguments are handled. len(dst) must equal len(src).
func Log(dst, src []float32) {
	mustLen("Log", len(src), "len(src), len(dst)", len(dst))
	if j := parallelMapJob(ewLog, dst, src, nil, nil, nil, len(src)); j != nil {
		j.run()
		return
	}
	logK(dst, src)
}

// Sigmoid sets dst[i] = 1/(1+e^−src[i]): exactly 1 above ~16.7, 0 below ~−88.7, NaN for NaN;
// it never overflows. len(dst) must equal len(src).
func Sigmoid(dst, src []float32) {
	mustLen("Sigmoid", len(src), "len(src), len(dst)", len(dst))
	if j := parallelMapJob(ewSigmoid, dst, src, nil, nil, nil, len(src)); j != nil {
		j.run()
		return
	}
	sigmoidK(dst, src)
}

// Tanh sets dst[i] = tanh src[i] (Cephes tanhf): ±1 for |x| above ~9, odd, NaN for NaN.
// len(dst) must equal len(src).
func Tanh(dst, src []float32) {
	mustLen("Tanh", len(src), "len(src), len(dst)", len(dst))
	if j := parallelMapJob(ewTanh, dst, src, nil, nil, nil, len(src)); j != nil {
		j.run()
		return
	}
	tanhK(dst, src)
}

// ReLU sets dst[i] = src[i] if src[i] > 0, else +0 (NaN stays NaN). len(dst) must equal
// len(src).
func ReLU(dst, src []float32) {
	mustLen("ReLU", len(src), "len(src), len(dst)", len(dst))
	if j := parallelMapJob(ewReLU, dst, src, nil, nil, nil, len(src)); j != nil {
		j.run()
		return
	}
	reluK(dst, src)
}

// ReLUBackward sets dz[i] = dy[i] where y[i] > 0, else 0: the gradient through
// y = max(z, 0) given its output y. All three have the same length.
func ReLUBackward(dz, dy, y []float32) {
	mustLen("ReLUBackward", len(y), "len(y), len(dy), len(dz)", len(dy), len(dz))
	if j := parallelMapJob(ewReLUBackward, dz, dy, y, nil, nil, len(y)); j != nil {
		j.run()
		return
	}
	reluBackwardK(dz, dy, y)
}

// SigmoidBackward sets dz[i] = (dy[i]·y[i])·(1−y[i]): the gradient through y = σ(z) given
// its output y. All three have the same length.
func SigmoidBackward(dz, dy, y []float32) {
	mustLen("SigmoidBackward", len(y), "len(y), len(dy), len(dz)", len(dy), len(dz))
	if j := parallelMapJob(ewSigmoidBackward, dz, dy, y, nil, nil, len(y)); j != nil {
		j.run()
		return
	}
	sigmoidBackwardK(dz, dy, y)
}

// TanhBackward sets dz[i] = dy[i]·(1−y[i]·y[i]): the gradient through y = tanh z given
// its output y. All three have the same length.
func TanhBackward(dz, dy, y []float32) {
	mustLen("TanhBackward", len(y), "len(y), len(dy), len(dz)", len(dy), len(dz))
	if j := parallelMapJob(ewTanhBackward, dz, dy, y, nil, nil, len(y)); j != nil {
		j.run()
		return
	}
	tanhBackwardK(dz, dy, y)
}

// Add sets dst[i] = a[i] + b[i]. All three have the same length.
func Add(dst, a, b []float32) {
	mustLen("Add", len(a), "len(a), len(b), len(dst)", len(b), len(dst))
	if j := parallelMapJob(ewAdd, dst, a, b, nil, nil, len(a)); j != nil {
		j.run()
		return
	}
	addK(dst, a, b)
}

// Axpy sets dst[i] += alpha·x[i] (the product rounded before the sum). len(dst) must equal
// len(x).
func Axpy(dst []float32, alpha float32, x []float32) {
	mustLen("Axpy", len(x), "len(x), len(dst)", len(dst))
	j := parallelMapJob(ewAxpy, dst, x, nil, nil, nil, len(x))
	if j == nil {
		axpyK(dst, alpha, x)
		return
	}
	j.s[0] = alpha
	j.run()
}

// Scale sets dst[i] = s·src[i]. len(dst) must equal len(src).
func Scale(dst, src []float32, s float32) {
	mustLen("Scale", len(src), "len(src), len(dst)", len(dst))
	j := parallelMapJob(ewScale, dst, src, nil, nil, nil, len(src))
	if j == nil {
		scaleK(dst, src, s)
		return
	}
	j.s[0] = s
	j.run()
}

// BinaryCrossentropy returns the summed binary cross-entropy of probabilities p against
// targets t,
//
//	Σ_j −[t_j·ln q_j + (1−t_j)·ln(1−q_j)],  q = clip(p, 1e-7, 1−1e-7) (float32 bounds, as Keras),
//
// and, unless grad is nil, sets grad[j] = ∂/∂p_j = (q_j − t_j)/(q_j(1−q_j)) where p_j lies
// inside the clip range and 0 where it is clipped (not divided by the count). Each term is
// computed in float32 and summed in float64: within blocks of bceBlock elements in a
// fixed order, then block by block, so the result does not depend on GOMAXPROCS. A NaN in
// p or t gives a NaN sum (and grad 0 where p is NaN). t, p (and grad) have the same
// length.
func BinaryCrossentropy(t, p, grad []float32) float64 {
	mustLen("BinaryCrossentropy", len(p), "len(p), len(t)", len(t))
	if grad != nil {
		mustLen("BinaryCrossentropy", len(p), "len(p), len(grad)", len(grad))
	}
	n := len(p)
	blocks := (n + bceBlock - 1) / bceBlock
	parts := numParts(n)
	if parts <= 1 {
		var sum float64
		for b := 0; b < blocks; b++ {
			lo, hi := b*bceBlock, min(n, (b+1)*bceBlock)
			sum += bceK(t[lo:hi], p[lo:hi], subOrNil(grad, lo, hi))
		}
		return sum
	}
	j := getJob()
	j.fn, j.n, j.unit, j.parts = ewBCE, n, bceBlock, min(parts, blocks)
	j.x = [5][]float32{grad, t, p}
	j.sums = growF64(j.sums, blocks)
	j.run()
	var sum float64
	for _, s := range j.sums[:blocks] {
		sum += s
	}
	putJob(j)
	return sum
}

// BinaryCrossentropyRows is BinaryCrossentropy row by row: t, p (and grad) hold
// len(loss) rows of equal length, and loss[r] is the sum over row r, summed in float64
// over blocks of bceBlock elements in order. Rows are spread over the workers.
func BinaryCrossentropyRows(loss []float64, t, p, grad []float32) {
	mustLen("BinaryCrossentropyRows", len(p), "len(p), len(t)", len(t))
	if grad != nil {
		mustLen("BinaryCrossentropyRows", len(p), "len(p), len(grad)", len(grad))
	}
	rows := len(loss)
	if rows == 0 {
		if len(p) != 0 {
			panic(fmt.Sprintf("kernels.BinaryCrossentropyRows: %d elements in 0 rows", len(p)))
		}
		return
	}
	if len(p)%rows != 0 {
		panic(fmt.Sprintf("kernels.BinaryCrossentropyRows: %d elements do not make %d rows", len(p), rows))
	}
	cols := len(p) / rows
	parts := min(numParts(len(p)), rows)
	if parts <= 1 {
		bceRows(loss, t, p, grad, cols, 0, rows)
		return
	}
	j := getJob()
	j.fn, j.n, j.unit, j.parts, j.cols = ewBCERows, rows, 1, parts, cols
	j.x = [5][]float32{grad, t, p}
	j.loss = loss
	j.run()
	putJob(j)
}

func bceRows(loss []float64, t, p, grad []float32, cols, r0, r1 int) {
	for r := r0; r < r1; r++ {
		var sum float64
		for lo := r * cols; lo < (r+1)*cols; lo += bceBlock {
			hi := min((r+1)*cols, lo+bceBlock)
			sum += bceK(t[lo:hi], p[lo:hi], subOrNil(grad, lo, hi))
		}
		loss[r] = sum
	}
}

func subOrNil(s []float32, lo, hi int) []float32 {
	if s == nil {
		return nil
	}
	return s[lo:hi]
}

// RMSpropUpdate is one RMSprop step (Keras 2 form), then clears the gradient:
//
//	a ← ρ·a + (1−ρ)·g²;  w ← w − lr·g/(√a + ε);  g ← 0
//
// each product and sum rounded to float32 in this order ((1−ρ)·g)·g, (lr·g)/(√a+ε), with
// √ correctly rounded (VSQRTPS). w, g and acc have the same length.
func RMSpropUpdate(w, g, acc []float32, lr, rho, eps float32) {
	mustLen("RMSpropUpdate", len(w), "len(w), len(g), len(acc)", len(g), len(acc))
	j := parallelMapJob(ewRMSprop, w, g, acc, nil, nil, len(w))
	if j == nil {
		rmspropK(w, g, acc, lr, rho, eps)
		return
	}
	j.s = [4]float32{lr, rho, eps}
	j.run()
}

// AdamUpdate is one Adam step with the bias correction folded into lrT
// (lrT = lr·√(1−β₂ᵗ)/(1−β₁ᵗ), Keras 2), then clears the gradient:
//
//	m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − lrT·m/(√v + ε);  g ← 0
//
// every product and sum rounded to float32 ((1−β₂)·g)·g, (lrT·m)/(√v+ε). w, g, m and v
// have the same length.
func AdamUpdate(w, g, m, v []float32, lrT, beta1, beta2, eps float32) {
	mustLen("AdamUpdate", len(w), "len(w), len(g), len(m), len(v)", len(g), len(m), len(v))
	j := parallelMapJob(ewAdam, w, g, m, v, nil, len(w))
	if j == nil {
		adamK(w, g, m, v, lrT, beta1, beta2, eps)
		return
	}
	j.s = [4]float32{lrT, beta1, beta2, eps}
	j.run()
}

// AdadeltaUpdate is one Adadelta step (Zeiler 2012, Keras 2 form), then clears the
// gradient:
//
//	a ← ρa + (1−ρ)g²;  Δ = g·√(d+ε)/√(a+ε);  w ← w − lr·Δ;  d ← ρd + (1−ρ)Δ²;  g ← 0
//
// every product and sum rounded to float32 in the order written, ((1−ρ)·g)·g,
// (g·√(d+ε))/√(a+ε). w, g, acc and delta have the same length.
func AdadeltaUpdate(w, g, acc, delta []float32, lr, rho, eps float32) {
	mustLen("AdadeltaUpdate", len(w), "len(w), len(g), len(acc), len(delta)", len(g), len(acc), len(delta))
	j := parallelMapJob(ewAdadelta, w, g, acc, delta, nil, len(w))
	if j == nil {
		adadeltaK(w, g, acc, delta, lr, rho, eps)
		return
	}
	j.s = [4]float32{lr, rho, eps}
	j.run()
}

// AddBiasRows adds bias to every row of y: y[r·n+j] += bias[j], n = len(bias), for the
// len(y)/n rows (len(y) must be a multiple of n).
func AddBiasRows(y, bias []float32) { BiasActivate(y, bias, ActLinear) }

// BiasActivate adds bias to every row of y and applies an activation in place:
// y[r·n+j] = act(y[r·n+j] + bias[j]), n = len(bias), act one of ActLinear, ActReLU,
// ActSigmoid, ActTanh (as the functions of the same names). len(y) must be a multiple of
// n. Rows are spread over the workers.
func BiasActivate(y, bias []float32, act int) {
	n := len(bias)
	if act < ActLinear || act > ActTanh {
		panic(fmt.Sprintf("kernels.BiasActivate: unknown activation %d", act))
	}
	if n == 0 {
		if len(y) != 0 {
			panic(fmt.Sprintf("kernels.BiasActivate: y has %d elements, bias is empty", len(y)))
		}
		return
	}
	if len(y)%n != 0 {
		panic(fmt.Sprintf("kernels.BiasActivate: len(y) %d is not a multiple of len(bias) %d", len(y), n))
	}
	rows := len(y) / n
	parts := min(numParts(len(y)), rows)
	if parts <= 1 {
		biasActRows(y, bias, act, 0, rows)
		return
	}
	j := getJob()
	j.fn, j.n, j.unit, j.parts, j.act = ewBiasAct, rows, 1, parts, act
	j.x = [5][]float32{y, bias}
	j.run()
	putJob(j)
}

func biasActRows(y, bias []float32, act, r0, r1 int) {
	n := len(bias)
	for r := r0; r < r1; r++ {
		row := y[r*n : r*n+n]
		addK(row, row, bias)
		switch act {
		case ActReLU:
			reluK(row, row)
		case ActSigmoid:
			sigmoidK(row, row)
		case ActTanh:
			tanhK(row, row)
		}
	}
}

// ColumnSums adds the column sums of the rows×cols row-major matrix m to dst (a bias
// gradient): dst[j] += Σ_r m[r·cols+j], adding the rows to dst one after another in row
// order (float32), so the result does not depend on GOMAXPROCS. len(dst) must be cols and
// len(m) rows·cols.
func ColumnSums(dst, m []float32, rows, cols int) {
	if rows < 0 || cols < 0 || len(dst) != cols || len(m) != rows*cols {
		panic(fmt.Sprintf("kernels.ColumnSums: %d×%d matrix with len(m) %d, len(dst) %d", rows, cols, len(m), len(dst)))
	}
	parts := min(numParts(len(m)), (cols+63)/64)
	if parts <= 1 {
		columnSums(dst, m, rows, cols, 0, cols)
		return
	}
	j := getJob()
	j.fn, j.n, j.unit, j.parts, j.cols = ewColumnSums, cols, 64, parts, cols
	j.x = [5][]float32{dst, m}
	j.rows = rows
	j.run()
	putJob(j)
}

func columnSums(dst, m []float32, rows, cols, c0, c1 int) {
	d := dst[c0:c1]
	for r := 0; r < rows; r++ {
		addK(d, d, m[r*cols+c0:r*cols+c1])
	}
}

// numParts is the number of parallel parts for n elements (1: run on the caller).
func numParts(n int) int {
	if n < parallelElems {
		return 1
	}
	return max(1, min(runtime.GOMAXPROCS(0), n/minPartElems))
}

// ewJob is one parallel elementwise call: fn runs the units [lo, hi) of n, cut into parts
// of whole units (unit elements, rows or blocks).
type ewJob struct {
	fn          func(j *ewJob, lo, hi int)
	n, unit     int
	parts       int
	x           [5][]float32
	s           [4]float32
	act         int
	rows, cols  int
	sums        []float64
	loss        []float64
	wg          partsDone
	releaseOnly bool
}

// parallelMapJob returns a job for n elements ready to run (its scalars still to be set),
// or nil when the call should run on the caller.
func parallelMapJob(fn func(j *ewJob, lo, hi int), out, a, b, c, d []float32, n int) *ewJob {
	parts := numParts(n)
	if parts <= 1 {
		return nil
	}
	j := getJob()
	j.fn, j.n, j.unit, j.parts = fn, n, 8, parts
	j.x = [5][]float32{out, a, b, c, d}
	j.releaseOnly = true
	return j
}

// run executes the job's parts: 1…parts−1 on the pool, part 0 on the caller. A job made
// by parallelMapJob is returned to the free list afterwards.
func (j *ewJob) run() {
	runParts(j, j.parts, &j.wg)
	if j.releaseOnly {
		putJob(j)
	}
}

func (j *ewJob) runPart(t int, _ *workspace) {
	units := (j.n + j.unit - 1) / j.unit
	u0, u1 := t*units/j.parts, (t+1)*units/j.parts
	if u0 < u1 {
		j.fn(j, u0, u1)
	}
}

// Job functions: lo, hi count units (elements in multiples of 8, rows, blocks, 64 columns).

func elems(j *ewJob, lo, hi int) (int, int) { return lo * j.unit, min(j.n, hi*j.unit) }

func ewExp(j *ewJob, lo, hi int) {
	lo, hi = elems(j, lo, hi)
	expK(j.x[0][lo:hi], j.x[1][lo:hi])
}

func ewLog(j *ewJob, lo, hi int) {
	lo, hi = elems(j, lo, hi)
	logK(j.x[0][lo:hi], j.x[1][lo:hi])
}

func ewSigmoid(j *ewJob, lo, hi int) {
	lo, hi = elems(j, lo, hi)
	sigmoidK(j.x[0][lo:hi], j.x[1][lo:hi])
}

func ewTanh(j *ewJob, lo, hi int) {
	lo, hi = elems(j, lo, hi)
	tanhK(j.x[0][lo:hi], j.x[1][lo:hi])
}

func ewReLU(j *ewJob, lo, hi int) {
	lo, hi = elems(j, lo, hi)
	reluK(j.x[0][lo:hi], j.x[1][lo:hi])
}

func ewReLUBackward(j *ewJob, lo, hi int) {
	lo, hi = elems(j, lo, hi)
	reluBackwardK(j.x[0][lo:hi], j.x[1][lo:hi], j.x[2][lo:hi])
}

func ewSigmoidBackward(j *ewJob, lo, hi int) {
	lo, hi = elems(j, lo, hi)
	sigmoidBackwardK(j.x[0][lo:hi], j.x[1][lo:hi], j.x[2][lo:hi])
}

func ewTanhBackward(j *ewJob, lo, hi int) {
	lo, hi = elems(j, lo, hi)
	tanhBackwardK(j.x[0][lo:hi], j.x[1][lo:hi], j.x[2][lo:hi])
}

func ewAdd(j *ewJob, lo, hi int) {
	lo, hi = elems(j, lo, hi)
	addK(j.x[0][lo:hi], j.x[1][lo:hi], j.x[2][lo:hi])
}

func ewAxpy(j *ewJob, lo, hi int) {
	lo, hi = elems(j, lo, hi)
	axpyK(j.x[0][lo:hi], j.s[0], j.x[1][lo:hi])
}

func ewScale(j *ewJob, lo, hi int) {
	lo, hi = elems(j, lo, hi)
	scaleK(j.x[0][lo:hi], j.x[1][lo:hi], j.s[0])
}

func ewRMSprop(j *ewJob, lo, hi int) {
	lo, hi = elems(j, lo, hi)
	rmspropK(j.x[0][lo:hi], j.x[1][lo:hi], j.x[2][lo:hi], j.s[0], j.s[1], j.s[2])
}

func ewAdam(j *ewJob, lo, hi int) {
	lo, hi = elems(j, lo, hi)
	adamK(j.x[0][lo:hi], j.x[1][lo:hi], j.x[2][lo:hi], j.x[3][lo:hi], j.s[0], j.s[1], j.s[2], j.s[3])
}

func ewAdadelta(j *ewJob, lo, hi int) {
	lo, hi = elems(j, lo, hi)
	adadeltaK(j.x[0][lo:hi], j.x[1][lo:hi], j.x[2][lo:hi], j.x[3][lo:hi], j.s[0], j.s[1], j.s[2])
}

// ewBCE: units are blocks of bceBlock elements; x = grad, t, p; sums[b] = block b's sum.
func ewBCE(j *ewJob, lo, hi int) {
	grad, t, p := j.x[0], j.x[1], j.x[2]
	for b := lo; b < hi; b++ {
		e0, e1 := b*bceBlock, min(j.n, (b+1)*bceBlock)
		j.sums[b] = bceK(t[e0:e1], p[e0:e1], subOrNil(grad, e0, e1))
	}
}

// ewBCERows: units are rows; x = grad, t, p.
func ewBCERows(j *ewJob, lo, hi int) {
	bceRows(j.loss, j.x[1], j.x[2], j.x[0], j.cols, lo, hi)
}

// ewBiasAct: units are rows; x = y, bias.
func ewBiasAct(j *ewJob, lo, hi int) { biasActRows(j.x[0], j.x[1], j.act, lo, hi) }

// ewColumnSums: units are 64 columns; x = dst, m.
func ewColumnSums(j *ewJob, lo, hi int) {
	c0, c1 := elems(j, lo, hi)
	columnSums(j.x[0], j.x[1], j.rows, j.cols, c0, c1)
}

func growF64(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// freeEwJobs recycles elementwise jobs (channels survive garbage collections).
var freeEwJobs = make(chan *ewJob, 16)

func getJob() *ewJob {
	select {
	case j := <-freeEwJobs:
		return j
	default:
		return new(ewJob)
	}
}

// putJob drops the job's references to the caller's slices and recycles it.
func putJob(j *ewJob) {
	j.x = [5][]float32{}
	j.loss = nil
	j.releaseOnly = false
	select {
	case freeEwJobs <- j:
	default:
	}
}
