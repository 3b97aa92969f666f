package kernels

import (
	"fmt"
	"runtime"
)

// Direct stride-1 convolution to a single output channel (the 16- or 32-channel → 1
// output layers of the MNIST autoencoders), its kernel gradient and its input gradient,
// without column matrices. The image is read from the padded copy P of PadDirect (row
// stride Wp·C, window rows of KW·C contiguous floats), the kernel w [KH, KW, C] is read as
// KH rows of KW·C floats:
//
//	y[b, oy, ox]  = bias + Σ_i Σ_{(j,c)} P[b, oy+i, ox+j, c] · w[i, j, c]
//	dw[i, j, c]  += Σ_b Σ_{oy,ox} P[b, oy+i, ox+j, c] · dz[b, oy, ox]
//	dx[b, y, x, c] (+)= Σ_i Σ_j D[b, y+i, x+j] · w[KH−1−i, KW−1−j, c]
//
// with D the output gradient dz [N, OH, OW] padded by PadDirect for the backward sweep
// (F1BackGeom: KH−1−PT rows and KW−1−PL columns before). The assembly forms eight outputs
// at once as eight 8-lane dot products (the channel axis in the lanes, the kernel read once
// per eight pixels) and reduces them with one transposing horizontal sum; the kernel
// gradient keeps a window row of sums (48 floats for 16 channels) in registers over the
// pixels of an image; the input gradient forms 8 channels of 4 pixels with one kernel load
// per tap. Each output element is formed by the same operations whatever the number of
// workers: the forward pass and the input gradient split rows, the kernel gradient sums
// image by image into per-image buffers that are then added in image order.

// F1Supported reports whether the single-filter kernels take c input channels: any number
// of channels runs (the Go loops), a multiple of 8 on the assembly.
func F1Supported(c int) bool { return c > 0 && c%8 == 0 }

// F1BackGeom is the sweep of the input gradient of the single-filter convolution g: the
// one-channel dz [N, OH, OW] padded by KH−1−PT rows and KW−1−PL columns, swept with the
// flipped kernel into [N, H, W]. PadDirect(d, dz, F1BackGeom(g)) writes D.
func F1BackGeom(g ConvGeom) ConvGeom {
	return ConvGeom{N: g.N, H: g.OH, W: g.OW, C: 1, KH: g.KH, KW: g.KW, SH: 1, SW: 1,
		PT: g.KH - 1 - g.PT, PL: g.KW - 1 - g.PL, OH: g.H, OW: g.W}
}

// F1PartLen is the scratch ConvF1KernelGrad needs: one kernel-gradient buffer per image,
// N·KH·KW·C floats.
func F1PartLen(g ConvGeom) int { return g.N * g.K() }

// f1Parallel: calls with fewer multiply-adds run on the calling goroutine.
const f1Parallel = 1 << 17

func f1Parts(work, units int) int {
	if work < f1Parallel {
		return 1
	}
	return max(1, min(runtime.GOMAXPROCS(0), units))
}

// ConvF1 writes y [N, OH, OW] = bias + conv(P, w) for the stride-1 sweep g with one output
// channel (see above), with P from PadDirect(·, ·, g). Output rows are spread over the
// workers.
func ConvF1(y, p, w []float32, bias float32, g ConvGeom) {
	g.checkDirect("ConvF1")
	if len(y) < g.N*g.OH*g.OW || len(p) < DirectPadLen(g) || len(w) < g.K() {
		panic(fmt.Sprintf("kernels.ConvF1: geometry %+v, len(y) %d, len(p) %d, len(w) %d", g, len(y), len(p), len(w)))
	}
	j := getF1Job()
	j.y, j.p, j.w, j.g, j.bias = y, p, w, g, bias
	j.fn, j.units = f1Forward, g.N*g.OH
	j.parts = f1Parts(g.N*g.OH*g.OW*g.K(), j.units)
	runParts(j, j.parts, &j.wg)
	putF1Job(j)
}

func f1Forward(j *f1Job, lo, hi int, ws *workspace) {
	g := &j.g
	hp, wp := directPadded(g)
	rs, kwc := wp*g.C, g.KW*g.C
	for r := lo; r < hi; r++ {
		b, oy := r/g.OH, r%g.OH
		convF1RowK(j.y[r*g.OW:(r+1)*g.OW], j.p[(b*hp+oy)*rs:], j.w, g.OW, g.KH, kwc, rs, g.C, j.bias, ws.tile[:8])
	}
}

// ConvF1KernelGrad adds the kernel gradient of the single-filter sweep g into dw
// [KH, KW, C] for the output gradient dz [N, OH, OW], with P from PadDirect(·, ·, g):
// every image's sum (over its pixels in order) goes into its own buffer of part
// (F1PartLen floats), and the buffers are added into dw in image order. Images are spread
// over the workers.
func ConvF1KernelGrad(dw, p, dz, part []float32, g ConvGeom) {
	g.checkDirect("ConvF1KernelGrad")
	k := g.K()
	if len(dw) < k || len(p) < DirectPadLen(g) || len(dz) < g.N*g.OH*g.OW || len(part) < F1PartLen(g) {
		panic(fmt.Sprintf("kernels.ConvF1KernelGrad: geometry %+v, len(dw) %d, len(p) %d, len(dz) %d, len(part) %d",
			g, len(dw), len(p), len(dz), len(part)))
	}
	j := getF1Job()
	j.y, j.p, j.w, j.g = part, p, dz, g
	j.fn, j.units = f1KernelGrad, g.N
	j.parts = f1Parts(g.N*g.OH*g.OW*k, j.units)
	runParts(j, j.parts, &j.wg)
	putF1Job(j)
	dw = dw[:k]
	for b := 0; b < g.N; b++ {
		addK(dw, dw, part[b*k:(b+1)*k])
	}
}

func f1KernelGrad(j *f1Job, lo, hi int, ws *workspace) {
	g := &j.g
	hp, wp := directPadded(g)
	rs, kwc, k := wp*g.C, g.KW*g.C, g.K()
	img := g.OH * g.OW
	for b := lo; b < hi; b++ {
		acc := j.y[b*k : (b+1)*k]
		clear(acc)
		dz := j.w[b*img : (b+1)*img]
		for i := 0; i < g.KH; i++ {
			convF1GradK(acc[i*kwc:(i+1)*kwc], j.p[(b*hp+i)*rs:], dz, g.OH, g.OW, kwc, rs, g.C)
		}
	}
}

// ConvF1InputGrad sets dx [N, H, W, C] = beta·dx + the input gradient of the single-filter
// sweep g (see above), with D from PadDirect(·, dz, F1BackGeom(g)) and the kernel w
// [KH, KW, C]. beta is 0 or 1. Rows of dx are spread over the workers.
func ConvF1InputGrad(dx []float32, beta float32, d, w []float32, g ConvGeom) {
	g.checkDirect("ConvF1InputGrad")
	bg := F1BackGeom(g)
	if len(dx) < g.N*g.H*g.W*g.C || len(d) < DirectPadLen(bg) || len(w) < g.K() || beta != 0 && beta != 1 {
		panic(fmt.Sprintf("kernels.ConvF1InputGrad: geometry %+v, len(dx) %d, len(d) %d, len(w) %d, beta %v",
			g, len(dx), len(d), len(w), beta))
	}
	j := getF1Job()
	// The flipped kernel: wf[i, j, c] = w[KH−1−i, KW−1−j, c].
	t := g.KH * g.KW
	j.wf = growFloat32(j.wf, t*g.C)
	for q := 0; q < t; q++ {
		copy(j.wf[q*g.C:(q+1)*g.C], w[(t-1-q)*g.C:])
	}
	j.y, j.p, j.w, j.g = dx, d, j.wf, g
	j.beta = int(beta)
	j.fn, j.units = f1InputGrad, g.N*g.H
	j.parts = f1Parts(g.N*g.H*g.W*g.K(), j.units)
	runParts(j, j.parts, &j.wg)
	putF1Job(j)
}

func f1InputGrad(j *f1Job, lo, hi int, ws *workspace) {
	g := &j.g
	wpd := g.W + g.KW - 1 // D's row
	hpd := g.H + g.KH - 1
	for r := lo; r < hi; r++ {
		b, y := r/g.H, r%g.H
		convF1BackRowK(j.y[r*g.W*g.C:(r+1)*g.W*g.C], j.p[(b*hpd+y)*wpd:], j.w, g.W, g.KH, g.KW, g.C, wpd, j.beta)
	}
}

// Pure-Go kernels: the loops of the assembly (conv_f1_amd64.s), for the noasm build, CPUs
// without AVX2 and channel counts that are not multiples of 8.

// convF1RowGo writes one output row, y[x] = bias + Σ_i Σ_v p[i·rs + x·c + v]·w[i·kwc + v]
// for x < ow.
func convF1RowGo(y, p, w []float32, ow, kh, kwc, rs, c int, bias float32) {
	for x := 0; x < ow; x++ {
		var s float32
		for i := 0; i < kh; i++ {
			pr, wr := p[i*rs+x*c:][:kwc], w[i*kwc:][:kwc]
			for v, pv := range pr {
				s += pv * wr[v]
			}
		}
		y[x] = s + bias
	}
}

// convF1GradGo adds Σ_{r<rows, x<n} dz[r·n+x]·p[r·rs + x·c + v] into acc[v], v < kwc,
// pixel by pixel in order.
func convF1GradGo(acc, p, dz []float32, rows, n, kwc, rs, c int) {
	acc = acc[:kwc]
	for r := 0; r < rows; r++ {
		for x := 0; x < n; x++ {
			d := dz[r*n+x]
			pr := p[r*rs+x*c:][:kwc]
			for v, pv := range pr {
				acc[v] += d * pv
			}
		}
	}
}

// convF1BackRowGo writes one row of the input gradient: for x < w and ch < c,
// s = Σ_{i,j} d[i·rsd + x + j]·wf[(i·kw+j)·c + ch] (taps in order), dx[x·c+ch] = s, or
// dx + s when beta is 1.
func convF1BackRowGo(dx, d, wf []float32, w, kh, kw, c, rsd, beta int) {
	for x := 0; x < w; x++ {
		o := dx[x*c : (x+1)*c]
		for ch := range o {
			var s float32
			for i := 0; i < kh; i++ {
				for jj := 0; jj < kw; jj++ {
					s += d[i*rsd+x+jj] * wf[(i*kw+jj)*c+ch]
				}
			}
			if beta != 0 {
				s = o[ch] + s
			}
			o[ch] = s
		}
	}
}

// f1Job is one parallel call of the single-filter kernels: fn runs units [lo, hi) with the
// part's workspace.
type f1Job struct {
	fn           func(j *f1Job, lo, hi int, ws *workspace)
	y, p, w, wf  []float32
	g            ConvGeom
	bias         float32
	beta         int
	units, parts int
	wg           partsDone
}

func (j *f1Job) runPart(t int, ws *workspace) {
	lo, hi := t*j.units/j.parts, (t+1)*j.units/j.parts
	if lo < hi {
		j.fn(j, lo, hi, ws)
	}
}

var freeF1Jobs = make(chan *f1Job, 8)

func getF1Job() *f1Job {
	select {
	case j := <-freeF1Jobs:
		return j
	default:
		return new(f1Job)
	}
}

func putF1Job(j *f1Job) {
	j.y, j.p, j.w, j.fn = nil, nil, nil, nil
	select {
	case freeF1Jobs <- j:
	default:
	}
}
