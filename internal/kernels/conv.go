package kernels

import (
	"fmt"
	"math"
	"runtime"
)

// Convolution-layer kernels: the passes over the large NHWC activations of a convolutional
// network that are not matrix multiplies — bias plus ReLU, the ReLU mask fused with the bias
// gradient, 2×2 max pooling and the backward pass of 2×2 upsampling. Rows are narrow (8 to 32
// channels), so instead of one call per row the bias is repeated into a pattern of
// P = lcm(n, 8) floats and the image is swept in blocks of P, 8 lanes at a time.
//
// Parallelism: calls over at least convParallel elements are split among GOMAXPROCS
// goroutines (the caller and persistent workers). Reductions (bias gradients) are formed
// over fixed chunks of rows and added in chunk order, so no result depends on the number of
// workers. A warm call allocates nothing.

const (
	// convParallel: calls over fewer elements run on the calling goroutine.
	convParallel = 1 << 15
	// convChunk: the number of elements (about) over which a bias gradient is summed
	// before its partial sums are added in order.
	convChunk = 1 << 14
	// maxPattern bounds P = lcm(n, 8); wider rows take the row-by-row path.
	maxPattern = 1 << 12
)

// patternLen returns P = lcm(n, 8) (0 when P would exceed maxPattern).
func patternLen(n int) int {
	p := n
	for p%8 != 0 {
		p += n
	}
	if p > maxPattern {
		return 0
	}
	return p
}

// BiasReLU adds bias to every row of y and applies ReLU in place:
//
//	y[r·n+j] = max(y[r·n+j] + bias[j], 0),  n = len(bias)
//
// with +0 for every non-positive sum and NaN kept (as ReLU). len(y) must be a multiple of n.
func BiasReLU(y, bias []float32) {
	n := len(bias)
	if n == 0 || len(y)%n != 0 {
		panic(fmt.Sprintf("kernels.BiasReLU: len(y) %d is not a multiple of len(bias) %d", len(y), n))
	}
	p := patternLen(n)
	if p == 0 {
		for r := 0; r < len(y); r += n {
			biasReluGo(y[r:r+n], bias, 1, n)
		}
		return
	}
	j := getConvJob()
	pat := j.pattern(bias, p)
	blocks := len(y) / p
	j.x = [4][]float32{y, pat}
	j.i[0] = p
	j.runUnits(convBiasReLU, blocks, len(y))
	putConvJob(j)
	// The rows after the last whole block.
	tail := y[blocks*p:]
	for r := 0; r < len(tail); r += n {
		biasReluGo(tail[r:r+n], bias, 1, n)
	}
}

func convBiasReLU(j *convJob, lo, hi int) {
	p := j.i[0]
	biasReluK(j.x[0][lo*p:hi*p], j.x[1], hi-lo, p)
}

// ReLUBackwardBias turns the gradient dY of a ReLU output y into dZ in place,
//
//	dz[i] = dz[i] if y[i] > 0, else 0,
//
// and, when db is not nil, adds the column sums of dZ (rows of len(db)) into db, the bias
// gradient: db[j] += Σ_r dz[r·n+j]. The sums are formed over fixed chunks of rows (their
// lanes in a fixed order) and the chunks added in row order. len(y) must be len(dz), a
// multiple of len(db).
func ReLUBackwardBias(dz, y, db []float32) {
	if len(y) != len(dz) {
		panic(fmt.Sprintf("kernels.ReLUBackwardBias: len(dz) %d, len(y) %d", len(dz), len(y)))
	}
	if db == nil {
		if parts := convParts(len(dz), (len(dz)+7)/8); parts > 1 {
			j := getConvJob()
			j.x = [4][]float32{dz, y}
			j.runUnits(convReLUMask, (len(dz)+7)/8, len(dz))
			putConvJob(j)
			return
		}
		reluBackwardK(dz, dz, y)
		return
	}
	columnPass(dz, y, db, true)
}

func convReLUMask(j *convJob, lo, hi int) {
	dz, y := j.x[0], j.x[1]
	hi = min(hi*8, len(dz))
	reluBackwardK(dz[lo*8:hi], dz[lo*8:hi], y[lo*8:hi])
}

// BiasGradient adds the column sums of dz (rows of len(db)) into db: db[j] += Σ_r dz[r·n+j],
// summed as in ReLUBackwardBias. len(dz) must be a multiple of len(db).
func BiasGradient(db, dz []float32) { columnPass(dz, nil, db, false) }

// columnPass runs the bias-gradient sweep, masking dz by y > 0 first when relu is set.
func columnPass(dz, y, db []float32, relu bool) {
	n := len(db)
	if n == 0 || len(dz)%n != 0 {
		panic(fmt.Sprintf("kernels: bias gradient of %d floats over rows of len(db) %d", len(dz), n))
	}
	p := patternLen(n)
	if p == 0 {
		for r := 0; r < len(dz); r += n {
			if relu {
				reluBackwardK(dz[r:r+n], dz[r:r+n], y[r:r+n])
			}
			addK(db, db, dz[r:r+n])
		}
		return
	}
	blocks := len(dz) / p
	cb := max(1, convChunk/p) // blocks per chunk
	chunks := (blocks + cb - 1) / cb
	j := getConvJob()
	j.part = growFloat32(j.part, chunks*p)
	clear(j.part)
	j.x = [4][]float32{dz, y, j.part}
	j.i[0], j.i[1] = p, cb
	if relu {
		j.i[2] = 1
	} else {
		j.i[2] = 0
	}
	j.i[3] = blocks
	j.runUnits(convColumns, chunks, len(dz))
	// Fold the chunks in order: chunk c's lane q belongs to column q mod n.
	for c := 0; c < chunks; c++ {
		acc := j.part[c*p : c*p+p]
		for q := 0; q < p; q += n {
			addK(db, db, acc[q:q+n])
		}
	}
	putConvJob(j)
	for r := blocks * p; r < len(dz); r += n {
		if relu {
			reluBackwardK(dz[r:r+n], dz[r:r+n], y[r:r+n])
		}
		addK(db, db, dz[r:r+n])
	}
}

func convColumns(j *convJob, lo, hi int) {
	p, cb, blocks := j.i[0], j.i[1], j.i[3]
	dz, y, part := j.x[0], j.x[1], j.x[2]
	for c := lo; c < hi; c++ {
		b0, b1 := c*cb, min((c+1)*cb, blocks)
		acc := part[c*p : c*p+p]
		if j.i[2] == 1 {
			reluBackBiasK(dz[b0*p:b1*p], y[b0*p:b1*p], acc, b1-b0, p)
		} else {
			colSumK(dz[b0*p:b1*p], acc, b1-b0, p)
		}
	}
}

// MaxPool2x2 is the 2×2, stride-2 max pooling of x [nb, h, w, c] with windows from the top
// left corner, y and idx [nb, ⌈h/2⌉, ⌈w/2⌉, c] (Keras "same" padding; on odd sizes the last
// windows hold only the positions inside the image):
//
//	y[b, oy, ox, ch] = the first maximum, in the order (0,0), (0,1), (1,0), (1,1), of
//	                   x[b, 2oy+i, 2ox+j, ch]: the first position, then each later one
//	                   that is strictly greater (so a NaN is kept only in first place)
//	idx[…]           = float32(2i + j) of that position.
func MaxPool2x2(y, idx, x []float32, nb, h, w, c int) {
	oh, ow := (h+1)/2, (w+1)/2
	if nb < 0 || h <= 0 || w <= 0 || c <= 0 || len(x) != nb*h*w*c || len(y) != nb*oh*ow*c || len(idx) != len(y) {
		panic(fmt.Sprintf("kernels.MaxPool2x2: %d×%d×%d×%d image with len(x) %d, len(y) %d, len(idx) %d",
			nb, h, w, c, len(x), len(y), len(idx)))
	}
	j := getConvJob()
	j.x = [4][]float32{y, idx, x}
	j.i = [6]int{nb, h, w, c}
	j.runUnits(convMaxPool, nb*oh, len(x))
	putConvJob(j)
}

func convMaxPool(j *convJob, lo, hi int) {
	y, idx, x := j.x[0], j.x[1], j.x[2]
	h, w, c := j.i[1], j.i[2], j.i[3]
	oh, ow := (h+1)/2, (w+1)/2
	for r := lo; r < hi; r++ {
		b, oy := r/oh, r%oh
		r0 := x[(b*h+2*oy)*w*c:][:w*c]
		var r1 []float32
		if 2*oy+1 < h {
			r1 = x[(b*h+2*oy+1)*w*c:][:w*c]
		}
		maxPoolRow(y[r*ow*c:(r+1)*ow*c], idx[r*ow*c:(r+1)*ow*c], r0, r1, w, c)
	}
}

// maxPoolRow is MaxPool2x2 for one pooled row yr with indices ir [ow, c] of the input rows
// r0 and r1 [w, c] (r1 nil when the image ends after r0).
func maxPoolRow(yr, ir, r0, r1 []float32, w, c int) {
	ow, fw := (w+1)/2, w/2 // fw: whole windows per row
	if r1 != nil {
		maxPool2K(yr, ir, r0, r1, fw, c)
		if fw < ow { // the last column alone: rows 0 and 1
			maxPoolEdge(yr[fw*c:], ir[fw*c:], r0[2*fw*c:], r1[2*fw*c:], 2, c)
		}
		return
	}
	// The last row alone: windows of positions (0,0), (0,1).
	for ox := 0; ox < ow; ox++ {
		if 2*ox+1 < w {
			maxPoolEdge(yr[ox*c:], ir[ox*c:], r0[2*ox*c:], r0[(2*ox+1)*c:], 1, c)
		} else {
			copy(yr[ox*c:ox*c+c], r0[2*ox*c:2*ox*c+c])
			clear(ir[ox*c : ox*c+c])
		}
	}
}

// maxPoolEdge pools a window of two positions a, b (whose index is at·1 for b: 2 for a
// column window (0,0),(1,0); 1 for a row window (0,0),(0,1)).
func maxPoolEdge(y, idx, a, b []float32, at float32, c int) {
	y, idx, a, b = y[:c], idx[:c], a[:c], b[:c]
	for ch, v := range a {
		y[ch], idx[ch] = v, 0
		if b[ch] > v {
			y[ch], idx[ch] = b[ch], at
		}
	}
}

// MaxPool2x2Backward sends each output gradient to the position its maximum came from:
// dx[b, 2oy+i, 2ox+j, ch] += dy[b, oy, ox, ch] where idx[b, oy, ox, ch] = 2i + j, for the
// geometry of MaxPool2x2. With assign set it writes instead of adding, every element of dx
// (zeros where no maximum came from), so dx need not be cleared first.
func MaxPool2x2Backward(dx, dy, idx []float32, nb, h, w, c int, assign bool) {
	oh, ow := (h+1)/2, (w+1)/2
	if nb < 0 || h <= 0 || w <= 0 || c <= 0 || len(dx) != nb*h*w*c || len(dy) != nb*oh*ow*c || len(idx) != len(dy) {
		panic(fmt.Sprintf("kernels.MaxPool2x2Backward: %d×%d×%d×%d image with len(dx) %d, len(dy) %d, len(idx) %d",
			nb, h, w, c, len(dx), len(dy), len(idx)))
	}
	j := getConvJob()
	j.x = [4][]float32{dx, dy, idx}
	j.i = [6]int{nb, h, w, c, boolInt(assign)}
	j.runUnits(convMaxPoolBack, nb*oh, len(dx))
	putConvJob(j)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func convMaxPoolBack(j *convJob, lo, hi int) {
	dx, dy, idx := j.x[0], j.x[1], j.x[2]
	h, w, c, assign := j.i[1], j.i[2], j.i[3], j.i[4]
	oh, ow := (h+1)/2, (w+1)/2
	for r := lo; r < hi; r++ {
		b, oy := r/oh, r%oh
		g, ir := dy[r*ow*c:(r+1)*ow*c], idx[r*ow*c:(r+1)*ow*c]
		d0 := dx[(b*h+2*oy)*w*c:][:w*c]
		var d1 []float32
		if 2*oy+1 < h {
			d1 = dx[(b*h+2*oy+1)*w*c:][:w*c]
		}
		maxPoolBackRow(d0, d1, g, ir, w, c, assign)
	}
}

// maxPoolBackRow is MaxPool2x2Backward for one pooled row: g and idx its gradient and
// window positions [ow, c], d0 and d1 the two input rows [w, c] it pools (d1 nil when the
// image ends after d0).
func maxPoolBackRow(d0, d1, g, ir []float32, w, c, assign int) {
	ow, fw := (w+1)/2, w/2
	if d1 != nil {
		maxPool2BackK(d0, d1, g, ir, fw, c, assign)
		if fw < ow {
			o := fw * c
			maskedAdd(d0[2*o:2*o+c], g[o:o+c], ir[o:o+c], 0, assign)
			maskedAdd(d1[2*o:2*o+c], g[o:o+c], ir[o:o+c], 2, assign)
		}
		return
	}
	for ox := 0; ox < ow; ox++ {
		o := ox * c
		maskedAdd(d0[2*o:2*o+c], g[o:o+c], ir[o:o+c], 0, assign)
		if 2*ox+1 < w {
			maskedAdd(d0[2*o+c:2*o+2*c], g[o:o+c], ir[o:o+c], 1, assign)
		}
	}
}

// maskedAdd sets d[ch] (+)= g[ch] where idx[ch] == at, else (+)= +0, as the assembly does.
func maskedAdd(d, g, idx []float32, at float32, assign int) {
	g, idx = g[:len(d)], idx[:len(d)]
	for ch := range d {
		v := math.Float32frombits(math.Float32bits(g[ch]) & eqMask(idx[ch], at))
		if assign != 0 {
			d[ch] = v
		} else {
			d[ch] += v
		}
	}
}

// eqMask is all ones when a == b, else 0.
func eqMask(a, b float32) uint32 {
	if a == b {
		return ^uint32(0)
	}
	return 0
}

// UpSample2x2Backward is the backward pass of 2×2 nearest-neighbour upsampling of
// x [nb, h, w, c]: every input pixel's gradient is the sum of its 2×2 block of dy
// [nb, 2h, 2w, c],
//
//	dx[b, y, x, ch] (+)= (dy[b, 2y, 2x, ch] + dy[b, 2y, 2x+1, ch]) + (dy[b, 2y+1, 2x, ch] + dy[b, 2y+1, 2x+1, ch])
//
// added into dx, or written over it when assign is set.
func UpSample2x2Backward(dx, dy []float32, nb, h, w, c int, assign bool) {
	if nb < 0 || h <= 0 || w <= 0 || c <= 0 || len(dx) != nb*h*w*c || len(dy) != 4*len(dx) {
		panic(fmt.Sprintf("kernels.UpSample2x2Backward: %d×%d×%d×%d image with len(dx) %d, len(dy) %d",
			nb, h, w, c, len(dx), len(dy)))
	}
	j := getConvJob()
	j.x = [4][]float32{dx, dy}
	j.i = [6]int{nb, h, w, c, boolInt(assign)}
	j.runUnits(convUpBack, nb*h, len(dy))
	putConvJob(j)
}

func convUpBack(j *convJob, lo, hi int) {
	dx, dy := j.x[0], j.x[1]
	w, c, assign := j.i[2], j.i[3], j.i[4]
	row := w * c
	for r := lo; r < hi; r++ {
		upBack2K(dx[r*row:(r+1)*row], dy[2*r*2*row:][:2*row], dy[(2*r+1)*2*row:][:2*row], w, c, assign)
	}
}

// Pure-Go kernels: the reference loops of the assembly (conv_amd64.s), used by the noasm
// build, on CPUs without AVX2 and as the tests' oracle.

// biasReluGo: for nblk blocks of p floats, y[q] = relu(y[q] + pat[q]).
func biasReluGo(y, pat []float32, nblk, p int) {
	for b := 0; b < nblk; b++ {
		blk := y[b*p : b*p+p]
		for q, v := range pat[:p] {
			t := blk[q] + v
			if t <= 0 {
				t = 0 // NaN stays NaN
			}
			blk[q] = t
		}
	}
}

// reluBackBiasGo: for nblk blocks of p floats, dz[q] = dz[q] if y[q] > 0 else 0, acc[q] += dz[q].
func reluBackBiasGo(dz, y, acc []float32, nblk, p int) {
	acc = acc[:p]
	for b := 0; b < nblk; b++ {
		d, yb := dz[b*p:b*p+p], y[b*p:b*p+p]
		for q := range acc {
			g := d[q]
			if !(yb[q] > 0) {
				g = 0
			}
			d[q] = g
			acc[q] += g
		}
	}
}

// colSumGo: for nblk blocks of p floats, acc[q] += m[q].
func colSumGo(m, acc []float32, nblk, p int) {
	acc = acc[:p]
	for b := 0; b < nblk; b++ {
		for q, v := range m[b*p : b*p+p] {
			acc[q] += v
		}
	}
}

// maxPool2Go pools fw whole 2×2 windows of the image rows r0, r1 ([2fw, c] each) into y and
// idx ([fw, c]).
func maxPool2Go(y, idx, r0, r1 []float32, fw, c int) {
	for ox := 0; ox < fw; ox++ {
		o := ox * c
		a, b := r0[2*o:2*o+c], r0[2*o+c:2*o+2*c]
		cc, d := r1[2*o:2*o+c], r1[2*o+c:2*o+2*c]
		yo, io := y[o:o+c], idx[o:o+c]
		for ch, m := range a {
			at := float32(0)
			if v := b[ch]; v > m {
				m, at = v, 1
			}
			if v := cc[ch]; v > m {
				m, at = v, 2
			}
			if v := d[ch]; v > m {
				m, at = v, 3
			}
			yo[ch], io[ch] = m, at
		}
	}
}

// maxPool2BackGo is the backward pass of maxPool2Go into the rows d0, d1.
func maxPool2BackGo(d0, d1, g, idx []float32, fw, c, assign int) {
	for ox := 0; ox < fw; ox++ {
		o := ox * c
		gs, is := g[o:o+c], idx[o:o+c]
		maskedAdd(d0[2*o:2*o+c], gs, is, 0, assign)
		maskedAdd(d0[2*o+c:2*o+2*c], gs, is, 1, assign)
		maskedAdd(d1[2*o:2*o+c], gs, is, 2, assign)
		maskedAdd(d1[2*o+c:2*o+2*c], gs, is, 3, assign)
	}
}

// upBack2Go sums the 2×2 blocks of the gradient rows g0, g1 ([2w, c] each) into dx [w, c].
func upBack2Go(dx, g0, g1 []float32, w, c, assign int) {
	for ix := 0; ix < w; ix++ {
		o := ix * c
		a, b := g0[2*o:2*o+c], g0[2*o+c:2*o+2*c]
		cc, d := g1[2*o:2*o+c], g1[2*o+c:2*o+2*c]
		dst := dx[o : o+c]
		for ch := range dst {
			s := (a[ch] + b[ch]) + (cc[ch] + d[ch])
			if assign != 0 {
				dst[ch] = s
			} else {
				dst[ch] += s
			}
		}
	}
}

// convJob is one parallel call of the kernels above: fn runs units [lo, hi).
type convJob struct {
	fn    func(j *convJob, lo, hi int)
	units int
	parts int
	x     [4][]float32
	x2    []float32 // a fifth operand
	y2    []float32 // a sixth
	i     [6]int
	g     ConvGeom
	pat   []float32 // the bias pattern
	part  []float32 // per-chunk partial sums
	wg    partsDone
}

// pattern returns bias repeated to p floats, in the job's own buffer.
func (j *convJob) pattern(bias []float32, p int) []float32 {
	j.pat = growFloat32(j.pat, p)
	for q := 0; q < p; q += len(bias) {
		copy(j.pat[q:], bias)
	}
	return j.pat
}

func growFloat32(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// convParts is the number of parts for a call over elems floats cut in units.
func convParts(elems, units int) int {
	if elems < convParallel {
		return 1
	}
	return max(1, min(runtime.GOMAXPROCS(0), units))
}

// runUnits runs fn over units [0, units), split into contiguous parts when the call covers
// at least convParallel elements.
func (j *convJob) runUnits(fn func(j *convJob, lo, hi int), units, elems int) {
	parts := convParts(elems, units)
	if parts <= 1 {
		if units > 0 {
			fn(j, 0, units)
		}
		return
	}
	j.fn, j.units, j.parts = fn, units, parts
	runParts(j, parts, &j.wg)
}

func (j *convJob) runPart(t int, _ *workspace) {
	lo, hi := t*j.units/j.parts, (t+1)*j.units/j.parts
	if lo < hi {
		j.fn(j, lo, hi)
	}
}

// freeConvJobs recycles convolution jobs (channels survive garbage collections).
var freeConvJobs = make(chan *convJob, 16)

func getConvJob() *convJob {
	select {
	case j := <-freeConvJobs:
		return j
	default:
		return new(convJob)
	}
}

func putConvJob(j *convJob) {
	j.x = [4][]float32{}
	j.x2, j.y2 = nil, nil
	j.fn = nil
	select {
	case freeConvJobs <- j:
	default:
	}
}

// ShiftAdd sums the per-tap products of a stride-1 convolution computed as one multiply,
// P [N·H·W, KH·KW·F] with P[p, (i·KW+j)·F + o] = Σ_c x[p, c]·W[i, j, c, o], into its output
// y [N, OH, OW, F] (g describes x and y; SH = SW = 1):
//
//	y[b, oy, ox, o] = bias[o] + Σ_{i,j} P[(b, oy+i−PT, ox+j−PL), (i·KW+j)·F + o]
//
// over the taps that fall inside the image, added in the order of i, then j. Output rows
// are spread over the workers.
func ShiftAdd(y, p, bias []float32, g ConvGeom) {
	f := len(bias)
	if g.SH != 1 || g.SW != 1 || f == 0 || len(y) != g.N*g.OH*g.OW*f || len(p) != g.N*g.H*g.W*g.KH*g.KW*f {
		panic(fmt.Sprintf("kernels.ShiftAdd: geometry %+v, %d filters, len(y) %d, len(p) %d", g, f, len(y), len(p)))
	}
	j := getConvJob()
	j.x = [4][]float32{y, p, bias}
	j.g = g
	j.runUnits(convShiftAdd, g.N*g.OH, len(p))
	putConvJob(j)
}

func convShiftAdd(j *convJob, lo, hi int) {
	y, p, bias := j.x[0], j.x[1], j.x[2]
	g := &j.g
	f := len(bias)
	t := g.KH * g.KW
	tf := t * f
	for r := lo; r < hi; r++ {
		b, oy := r/g.OH, r%g.OH
		i0, i1 := max(0, g.PT-oy), min(g.KH, g.H+g.PT-oy)
		yr := y[r*g.OW*f : (r+1)*g.OW*f]
		if f == 1 {
			b0 := bias[0]
			for ox := range yr {
				j0, j1 := max(0, g.PL-ox), min(g.KW, g.W+g.PL-ox)
				s := b0
				for i := i0; i < i1; i++ {
					// P[pixel (oy+i−PT, ox−PL), tap i·KW]; the next tap and pixel are t+1 further.
					q := ((b*g.H+oy+i-g.PT)*g.W+ox-g.PL)*t + i*g.KW
					for jj := j0; jj < j1; jj++ {
						s += p[q+jj*(t+1)]
					}
				}
				yr[ox] = s
			}
			continue
		}
		for ox := 0; ox < g.OW; ox++ {
			j0, j1 := max(0, g.PL-ox), min(g.KW, g.W+g.PL-ox)
			o := yr[ox*f : ox*f+f]
			copy(o, bias)
			for i := i0; i < i1; i++ {
				row := ((b*g.H+oy+i-g.PT)*g.W + ox - g.PL) * tf
				for jj := j0; jj < j1; jj++ {
					src := p[row+jj*tf+(i*g.KW+jj)*f:][:f]
					for q, v := range src {
						o[q] += v
					}
				}
			}
		}
	}
}

// UpSample2x2 is 2×2 nearest-neighbour upsampling of x [nb, h, w, c] into y [nb, 2h, 2w, c]:
// y[b, y, x, ch] = x[b, ⌊y/2⌋, ⌊x/2⌋, ch]. Input rows are spread over the workers.
func UpSample2x2(y, x []float32, nb, h, w, c int) {
	if nb < 0 || h <= 0 || w <= 0 || c <= 0 || len(x) != nb*h*w*c || len(y) != 4*len(x) {
		panic(fmt.Sprintf("kernels.UpSample2x2: %d×%d×%d×%d image with len(x) %d, len(y) %d", nb, h, w, c, len(x), len(y)))
	}
	j := getConvJob()
	j.x = [4][]float32{y, x}
	j.i = [6]int{nb, h, w, c}
	j.runUnits(convUp, nb*h, len(y))
	putConvJob(j)
}

func convUp(j *convJob, lo, hi int) {
	y, x := j.x[0], j.x[1]
	w, c := j.i[2], j.i[3]
	row := w * c
	for r := lo; r < hi; r++ {
		src := x[r*row : (r+1)*row]
		first := y[2*r*2*row:][:2*row]
		if c == 1 {
			for ix, v := range src {
				first[2*ix], first[2*ix+1] = v, v
			}
		} else {
			for ix := 0; ix < w; ix++ {
				px := src[ix*c : ix*c+c]
				copy(first[2*ix*c:], px)
				copy(first[(2*ix+1)*c:], px)
			}
		}
		copy(y[(2*r+1)*2*row:][:2*row], first)
	}
}

// Block operations of CopyBlocks.
const (
	BlockCopy      = iota // dst block = src block
	BlockAdd              // dst block += src block
	BlockCopyClear        // dst block = src block, and the rest of dst's stride cleared
)

// CopyBlocks moves n blocks of length floats: block i is src[i·srcStride:][:length] and
// dst[i·dstStride:][:length], combined by op (BlockCopy, BlockAdd, BlockCopyClear). Blocks
// are spread over the workers.
func CopyBlocks(dst []float32, dstStride int, src []float32, srcStride, n, length, op int) {
	if n < 0 || length < 0 || op < BlockCopy || op > BlockCopyClear || n > 0 && (dstStride < length || srcStride < length ||
		len(src) < (n-1)*srcStride+length || len(dst) < (n-1)*dstStride+length || op == BlockCopyClear && len(dst) < n*dstStride) {
		panic(fmt.Sprintf("kernels.CopyBlocks: %d blocks of %d, strides %d (dst, %d floats) and %d (src, %d floats), op %d",
			n, length, dstStride, len(dst), srcStride, len(src), op))
	}
	j := getConvJob()
	j.x = [4][]float32{dst, src}
	j.i = [6]int{dstStride, srcStride, length, op}
	j.runUnits(convBlocks, n, n*length)
	putConvJob(j)
}

func convBlocks(j *convJob, lo, hi int) {
	dst, src := j.x[0], j.x[1]
	ds, ss, length, op := j.i[0], j.i[1], j.i[2], j.i[3]
	for i := lo; i < hi; i++ {
		d, s := dst[i*ds:][:length], src[i*ss:][:length]
		switch op {
		case BlockAdd:
			addK(d, d, s)
		case BlockCopyClear:
			copy(d, s)
			clear(dst[i*ds+length : (i+1)*ds])
		default:
			copy(d, s)
		}
	}
}
