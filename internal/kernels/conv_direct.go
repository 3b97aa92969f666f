package kernels

import (
	"fmt"
	"runtime"
)

// Direct stride-1 convolution with the matrix-multiply micro-kernels, without an im2col
// matrix. The image is copied once, zero-padded, into P [N, Hp, Wp, C] with Hp = OH+KH−1,
// Wp = OW+KW−1 (PT rows and PL columns of zeros before it, the rest after, or the image
// cropped where the sweep does not reach it). In NHWC order the KW·C floats that kernel row
// i of the window at output (b, oy, ox) reads are contiguous, P[b, oy+i, ox, 0:KW·C], and the
// window at ox+1 starts C floats later: the rows of that "im2col of kernel row i" are rows
// of P read in place with row stride C. So
//
//	Y[b, oy, ox:ox+6, :] = Σ_i P[b, oy+i, ox:ox+6, 0:KW·C] · W[i]   (W[i] the [KW·C, F] rows of the kernel)
//
// is KH calls of the 6×16 row micro-kernel per tile of six outputs of an output row, with
// the kernel rows packed into 16-wide strips once per call (PackDirectKernel). The kernel
// gradient reads P the same way as a transposed operand:
//
//	dW[i][(j, c), o] = Σ_q P[q + i·Wp + j, c] · D[q, o]
//
// over the positions q = (b, yy, xx) of the padded grid, where D (SpreadDirect) holds dZ at
// yy < OH, xx < OW and zeros elsewhere, so that one long sum runs over the whole batch.
//
// Every output element is formed by the same sequence of operations whatever the number of
// workers (parts split output rows, or whole gradient tiles), so results do not depend on
// GOMAXPROCS.

// directSlack is the zeroed tail of P (and of D) that the last tiles may read past the
// image: rows of a partial tile (MR padded rows for a vertical one), the last KW−1 pixels
// of a gradient row, a partial strip.
func directSlack(g *ConvGeom) int {
	_, wp := directPadded(g)
	return (2*MR+g.KW)*g.C + 2*NR + MR*wp*g.C
}

// directPadded returns (Hp, Wp), the padded image of the stride-1 sweep g.
func directPadded(g *ConvGeom) (hp, wp int) { return g.OH + g.KH - 1, g.OW + g.KW - 1 }

func (g *ConvGeom) checkDirect(op string) {
	if g.N < 0 || g.H <= 0 || g.W <= 0 || g.C <= 0 || g.KH <= 0 || g.KW <= 0 || g.SH != 1 || g.SW != 1 || g.OH <= 0 || g.OW <= 0 {
		panic(fmt.Sprintf("kernels.%s: bad stride-1 geometry %+v", op, *g))
	}
}

// DirectPadLen is the length of P for the stride-1 sweep g: N·Hp·Wp·C plus a zeroed tail.
func DirectPadLen(g ConvGeom) int {
	hp, wp := directPadded(&g)
	return g.N*hp*wp*g.C + directSlack(&g)
}

// PadDirect writes P (DirectPadLen(g) floats) from the image src [N, H, W, C]:
//
//	P[b, yy, xx, c] = src[b, yy−PT, xx−PL, c]  (0 outside the image), then a zeroed tail.
func PadDirect(dst, src []float32, g ConvGeom) { PadDirectFrom(dst, src, g, g.C, g.W*g.C) }

// PadDirectFrom is PadDirect for a source with pixel stride ps and row stride rs (ps ≥ C,
// rs ≥ W·ps): pixel (b, y, x) of the image is src[(b·H+y)·rs+x·ps:][:C]. With ps = 2C and
// rs = 4W·C it reads one phase of a 2× upsampled [N, 2H, 2W, C] tensor.
func PadDirectFrom(dst, src []float32, g ConvGeom, ps, rs int) {
	g.checkDirect("PadDirect")
	need := (g.N*g.H-1)*rs + (g.W-1)*ps + g.C
	if len(dst) < DirectPadLen(g) || g.N > 0 && len(src) < need || ps < g.C || rs < g.W*ps {
		panic(fmt.Sprintf("kernels.PadDirect: geometry %+v (strides %d, %d) needs %d and %d floats, got %d and %d",
			g, ps, rs, DirectPadLen(g), need, len(dst), len(src)))
	}
	hp, _ := directPadded(&g)
	j := getConvJob()
	j.x = [4][]float32{dst, src}
	j.g = g
	j.i[0], j.i[1] = ps, rs
	j.runUnits(convPadDirect, g.N*hp, g.N*hp*(g.OW+g.KW-1)*g.C)
	putConvJob(j)
	n := g.N * hp * (g.OW + g.KW - 1) * g.C
	clear(dst[n : n+directSlack(&g)])
}

func convPadDirect(j *convJob, lo, hi int) {
	dst, src := j.x[0], j.x[1]
	g := &j.g
	hp, wp := directPadded(g)
	c := g.C
	x0, x1 := max(0, g.PL), min(wp, g.PL+g.W) // padded columns that hold image pixels
	ps, rs := j.i[0], j.i[1]
	for r := lo; r < hi; r++ {
		b, yy := r/hp, r%hp
		row := dst[r*wp*c : (r+1)*wp*c]
		sy := yy - g.PT
		if sy < 0 || sy >= g.H || x0 >= x1 {
			clear(row)
			continue
		}
		clear(row[:x0*c])
		sr := src[(b*g.H+sy)*rs:]
		if ps == c {
			copy(row[x0*c:x1*c], sr[(x0-g.PL)*c:][:(x1-x0)*c])
		} else {
			for xx := x0; xx < x1; xx++ {
				copy(row[xx*c:(xx+1)*c], sr[(xx-g.PL)*ps:][:c])
			}
		}
		clear(row[x1*c:])
	}
}

// DirectKernelLen is the length of a packed kernel: KH·⌈F/16⌉·KW·C·16.
func DirectKernelLen(kh, kw, c, f int) int { return kh * ((f + NR - 1) / NR) * kw * c * NR }

// PackDirectKernel packs w [KH, KW, C, F] into dst (DirectKernelLen floats): for each kernel
// row i and 16-column strip s, the [KW·C, 16] block dst[(i·S+s)·KW·C·16:] holds
// w[i, ·, ·, 16s:16s+16] row by row, zeros past F.
func PackDirectKernel(dst, w []float32, kh, kw, c, f int) {
	if kh <= 0 || kw <= 0 || c <= 0 || f <= 0 || len(w) < kh*kw*c*f || len(dst) < DirectKernelLen(kh, kw, c, f) {
		panic(fmt.Sprintf("kernels.PackDirectKernel: %d×%d×%d×%d kernel, len(w) %d, len(dst) %d", kh, kw, c, f, len(w), len(dst)))
	}
	ns, kwc := (f+NR-1)/NR, kw*c
	for i := 0; i < kh; i++ {
		for s := 0; s < ns; s++ {
			packRows16(dst[(i*ns+s)*kwc*NR:], w[i*kwc*f+s*NR:], f, kwc, min(NR, f-s*NR))
		}
	}
}

// directParallel: calls with fewer multiply-adds run on the calling goroutine.
const directParallel = 1 << 18

// ConvDirect sets y = beta·y + conv(P, w) for the stride-1 sweep g, y [N, OH, OW, F]:
//
//	y[b, oy, ox, o] = beta·y[b, oy, ox, o] + Σ_i Σ_{j,c} P[b, oy+i, ox+j, c] · w[i, j, c, o]
//
// (sums over i in order, each a micro-kernel dot product over (j, c); a strip of at most 8
// filters runs on the 8×8 tile of conv_rows8.go, which carries one sum over i and (j, c) in
// order), with P from PadDirect and wpk from PackDirectKernel. beta is 0 or 1. When bias is not nil (beta must be 0) the
// output rows then get y = max(y + bias[o], 0), ReLU as BiasReLU. Output rows are spread
// over the workers.
func ConvDirect(y []float32, beta float32, p, wpk, bias []float32, g ConvGeom, f int) {
	convDirect(y, f, g.OW*f, beta, p, wpk, bias, g, f)
}

// ConvDirectTo is ConvDirect without bias into an output with pixel stride ps and row
// stride rs (ps ≥ F, rs ≥ OW·ps): output pixel (b, oy, ox) is y[(b·OH+oy)·rs+ox·ps:][:F].
// With ps = 2F and rs = 4·OW·F it writes one phase of a [N, 2·OH, 2·OW, F] tensor.
func ConvDirectTo(y []float32, ps, rs int, beta float32, p, wpk []float32, g ConvGeom, f int) {
	if ps < f || rs < g.OW*ps {
		panic(fmt.Sprintf("kernels.ConvDirectTo: strides %d, %d for %d filters and %d-pixel rows", ps, rs, f, g.OW))
	}
	convDirect(y, ps, rs, beta, p, wpk, nil, g, f)
}

func convDirect(y []float32, ps, rs int, beta float32, p, wpk, bias []float32, g ConvGeom, f int) {
	g.checkDirect("ConvDirect")
	if f <= 0 || g.N > 0 && len(y) < (g.N*g.OH-1)*rs+(g.OW-1)*ps+f || len(p) < DirectPadLen(g) || len(wpk) < DirectKernelLen(g.KH, g.KW, g.C, f) ||
		bias != nil && (len(bias) != f || beta != 0) || beta != 0 && beta != 1 {
		panic(fmt.Sprintf("kernels.ConvDirect: geometry %+v, %d filters, len(y) %d, len(p) %d, len(wpk) %d, len(bias) %d, beta %v",
			g, f, len(y), len(p), len(wpk), len(bias), beta))
	}
	j := getDirectJob()
	j.y, j.p, j.w, j.g, j.f, j.beta = y, p, wpk, g, f, beta
	j.ps, j.rs = ps, rs
	j.bias, j.pat = bias, nil
	if bias != nil {
		if pl := patternLen(f); pl != 0 {
			j.patBuf = growFloat32(j.patBuf, pl)
			for q := 0; q < pl; q += f {
				copy(j.patBuf[q:], bias)
			}
			j.pat = j.patBuf
		}
	}
	j.units = g.N * g.OH
	j.parts = 1
	if g.N*g.OH*g.OW*f*g.K() >= directParallel {
		j.parts = max(1, min(runtime.GOMAXPROCS(0), j.units))
	}
	j.fn = directForward
	runParts(j, j.parts, &j.wg)
	putDirectJob(j)
}

func directForward(j *directJob, t int, ws *workspace) {
	g := &j.g
	f, c := j.f, g.C
	hp, wp := directPadded(g)
	ns := (f + NR - 1) / NR
	lo, hi := t*j.units/j.parts, (t+1)*j.units/j.parts
	// When the rows do not split into whole tiles of six and no strip takes the 8×8 tile,
	// the last OW mod 6 columns go in vertical tiles: six output rows of one column, whose
	// windows are Wp·C floats apart in P. The worker of output row oy ≡ 0 (mod 6) forms
	// them for rows oy…oy+5 of its image (with their bias and ReLU), so every output is
	// still formed by one worker in a fixed way.
	// Only rows of fewer than 24 pixels: on wider ones the few saved tiles did not pay for
	// the scattered window rows (illust's 32-pixel rows ran ~5% slower).
	full := g.OW
	if g.OW%MR != 0 && g.OW < 4*MR && (f%NR == 0 || f%NR > 8) {
		full = g.OW - g.OW%MR
	}
	ps := j.ps
	for r := lo; r < hi; r++ {
		b, oy := r/g.OH, r%g.OH
		yr := j.y[r*j.rs : r*j.rs+(g.OW-1)*ps+f]
		for s := 0; s < ns; s++ {
			nr := min(NR, f-s*NR)
			if nr <= 8 {
				j.rows8(yr, b, oy, s, nr, ws)
				continue
			}
			for ox := 0; ox < full; ox += MR {
				mr := min(MR, full-ox)
				a := j.p[((b*hp+oy)*wp+ox)*c:]
				j.tile(yr[ox*ps+s*NR:], ps, a, c, wp*c, s, mr, nr, ws)
			}
			if full < g.OW && oy%MR == 0 {
				mr := min(MR, g.OH-oy)
				for ox := full; ox < g.OW; ox++ {
					a := j.p[((b*hp+oy)*wp+ox)*c:]
					j.tile(j.y[r*j.rs+ox*ps+s*NR:], j.rs, a, wp*c, wp*c, s, mr, nr, ws)
				}
			}
		}
		if j.bias != nil {
			directBiasReLU(yr[:full*f], j.bias, j.pat)
			if full < g.OW && oy%MR == 0 {
				for q := 0; q < min(MR, g.OH-oy); q++ {
					for ox := full; ox < g.OW; ox++ {
						px := j.y[(r+q)*j.rs+ox*ps:][:f]
						if len(j.pat) == f { // f a multiple of 8: the vector kernel
							biasReluK(px, j.pat, 1, f)
						} else {
							biasReluGo(px, j.bias, 1, f)
						}
					}
				}
			}
		}
	}
}

// tile forms one tile of mr ≤ 6 outputs × strip s (nr > 8 filters): output q at
// cd[q·ldc:], its window of kernel row i at a[q·lda + i·rstr:] (rstr the row stride of P).
func (j *directJob) tile(cd []float32, ldc int, a []float32, lda, rstr, s, mr, nr int, ws *workspace) {
	g := &j.g
	ns, kwc := (j.f+NR-1)/NR, g.KW*g.C
	for i := 0; i < g.KH; i++ {
		ai := a[i*rstr:]
		bs := j.w[(i*ns+s)*kwc*NR:]
		if mr < MR {
			bt := float32(1)
			if i == 0 {
				bt = 0
			}
			kernelRows(kwc, ai, lda, bs, ws.tile[:], NR, 1, bt, nr)
			continue
		}
		bt := float32(1)
		if i == 0 {
			bt = j.beta
		}
		kernelRows(kwc, ai, lda, bs, cd, ldc, 1, bt, nr)
	}
	if mr < MR {
		updateTile(cd, ldc, &ws.tile, mr, nr, 1, j.beta)
	}
}

// rows8 is directForward's output row oy of image b for a strip s of nr ≤ 8 filters, in
// tiles of 8 pixels (convRows8K); a partial tile goes through the workspace's tile.
func (j *directJob) rows8(yr []float32, b, oy, s, nr int, ws *workspace) {
	g := &j.g
	f, c := j.f, g.C
	hp, wp := directPadded(g)
	ns, kwc := (f+NR-1)/NR, g.KW*c
	a0 := j.p[((b*hp+oy)*wp)*c:]
	bs := j.w[s*kwc*NR:]
	bstr := ns * kwc * NR
	beta := 0
	if j.beta != 0 {
		beta = 1
	}
	for ox := 0; ox < g.OW; ox += rows8 {
		mr := min(rows8, g.OW-ox)
		a := a0[ox*c:]
		if mr == rows8 && nr == 8 {
			convRows8K(yr[ox*j.ps+s*NR:], a, bs, g.KH, kwc, c, wp*c, bstr, j.ps, beta)
			continue
		}
		t := ws.tile[:rows8*8]
		convRows8K(t, a, bs, g.KH, kwc, c, wp*c, bstr, 8, 0)
		for q := 0; q < mr; q++ {
			dst, src := yr[(ox+q)*j.ps+s*NR:][:nr], t[q*8:][:nr]
			if beta == 0 {
				copy(dst, src)
				continue
			}
			for o, v := range src {
				dst[o] += v
			}
		}
	}
}

// directBiasReLU sets yr = max(yr + bias, 0) row by row (rows of len(bias)), the whole
// blocks of the pattern pat (nil: none) by the vector kernel.
func directBiasReLU(yr, bias, pat []float32) {
	n := len(bias)
	done := 0
	if pl := len(pat); pl != 0 {
		nb := len(yr) / pl
		biasReluK(yr, pat, nb, pl)
		done = nb * pl
	}
	for q := done; q < len(yr); q += n {
		biasReluGo(yr[q:q+n], bias, 1, n)
	}
}

// DirectGradLen is the length of D for the sweep g with f output channels:
// ⌈F/16⌉·N·Hp·Wp·16 floats.
func DirectGradLen(g ConvGeom, f int) int {
	hp, wp := directPadded(&g)
	return (f + NR - 1) / NR * g.N * hp * wp * NR
}

// SpreadDirect writes D (DirectGradLen floats) from dz [N, OH, OW, F]: 16-column strips
// over the padded grid, D[s][(b, yy, xx), q] = dz[b, yy, xx, 16s+q] for yy < OH, xx < OW and
// 16s+q < F, 0 elsewhere.
func SpreadDirect(d, dz []float32, g ConvGeom, f int) { SpreadDirectFrom(d, dz, g, f, f, g.OW*f) }

// SpreadDirectFrom is SpreadDirect for dz with pixel stride ps and row stride rs (ps ≥ F,
// rs ≥ OW·ps): dz at (b, yy, xx) is dz[(b·OH+yy)·rs+xx·ps:][:F].
func SpreadDirectFrom(d, dz []float32, g ConvGeom, f, ps, rs int) {
	g.checkDirect("SpreadDirect")
	if f <= 0 || len(d) < DirectGradLen(g, f) || g.N > 0 && len(dz) < (g.N*g.OH-1)*rs+(g.OW-1)*ps+f || ps < f || rs < g.OW*ps {
		panic(fmt.Sprintf("kernels.SpreadDirect: geometry %+v, %d filters, len(d) %d, len(dz) %d", g, f, len(d), len(dz)))
	}
	hp, _ := directPadded(&g)
	j := getConvJob()
	j.x = [4][]float32{d, dz}
	j.g = g
	j.i[0], j.i[1], j.i[2] = f, ps, rs
	j.runUnits(convSpreadDirect, g.N*hp, DirectGradLen(g, f))
	putConvJob(j)
}

func convSpreadDirect(j *convJob, lo, hi int) {
	d, dz := j.x[0], j.x[1]
	g := &j.g
	f, ps, rs := j.i[0], j.i[1], j.i[2]
	hp, wp := directPadded(g)
	ns := (f + NR - 1) / NR
	plane := g.N * hp * wp * NR
	for s := 0; s < ns; s++ {
		nr := min(NR, f-s*NR)
		for r := lo; r < hi; r++ {
			b, yy := r/hp, r%hp
			row := d[s*plane+r*wp*NR:][:wp*NR]
			if yy >= g.OH {
				clear(row)
				continue
			}
			src := dz[(b*g.OH+yy)*rs+s*NR:]
			packRows16(row, src, ps, g.OW, nr) // the assembly copy: no memmove call per pixel
			clear(row[g.OW*NR:])
		}
	}
}

// directKC bounds the k blocks of the kernel gradient: a block of D (16 floats a row) and
// the rows of P that the kernel rows read stay in L1 or L2 across the tiles.
const directKC = 256

// directL1 is the L1 budget (floats) of one kernel-gradient block: its positions of P for
// all kernel rows and its rows of one strip of D. On the 14×14×32 → 32 layer of denoise,
// blocks of 112 positions (27 KB) instead of 224 (52 KB) took the kernel gradient from 4.4
// to 3.7 ms (128 images, quiet).
const directL1 = 8192

// directBlock returns the most positions of a kernel-gradient block of the sweep g: the
// largest kc ≤ directKC with (kc + (KH−1)·Wp)·C + 16·kc ≤ directL1, at least 32.
func directBlock(g *ConvGeom) int {
	_, wp := directPadded(g)
	kc := (directL1 - (g.KH-1)*wp*g.C) / (g.C + NR)
	return min(directKC, max(32, kc))
}

// ConvDirectKernelGrad adds the kernel gradient of the stride-1 sweep g into dw
// [KH, KW, C, F]:
//
//	dw[i, j, c, o] += Σ_q P[q + i·Wp + j, c] · D[q, o]
//
// over the grid positions q = (b, yy, xx) with yy < OH (D is zero on the other rows), image
// by image in equal blocks of at most directBlock(g) positions, each block's sum added to
// dw in order, with P from PadDirect and D from SpreadDirect. Tiles of dw (a 16-column
// strip, a kernel row, six (j, c) rows, in that order, so that a worker keeps to few
// strips of D) are spread over the workers.
func ConvDirectKernelGrad(dw, p, d []float32, g ConvGeom, f int) {
	g.checkDirect("ConvDirectKernelGrad")
	if f <= 0 || len(dw) < g.K()*f || len(p) < DirectPadLen(g) || len(d) < DirectGradLen(g, f) {
		panic(fmt.Sprintf("kernels.ConvDirectKernelGrad: geometry %+v, %d filters, len(dw) %d, len(p) %d, len(d) %d",
			g, f, len(dw), len(p), len(d)))
	}
	j := getDirectJob()
	j.y, j.p, j.w, j.g, j.f = dw, p, d, g, f
	ms, ns := (g.KW*g.C+MR-1)/MR, (f+NR-1)/NR
	j.units = g.KH * ms * ns
	j.parts = 1
	hp, wp := directPadded(&g)
	if (g.N*hp*wp)*g.K()*f >= directParallel {
		j.parts = max(1, min(runtime.GOMAXPROCS(0), j.units))
	}
	j.fn = directKernelGrad
	runParts(j, j.parts, &j.wg)
	putDirectJob(j)
}

func directKernelGrad(j *directJob, t int, ws *workspace) {
	g := &j.g
	f, c := j.f, g.C
	hp, wp := directPadded(g)
	kwc := g.KW * c
	ms := (kwc + MR - 1) / MR
	plane := g.N * hp * wp * NR
	lo, hi := t*j.units/j.parts, (t+1)*j.units/j.parts
	// Blocks of at most directBlock positions over the rows yy < OH of each image (D is
	// zero on the others).
	img := g.OH * wp
	bmax := directBlock(g)
	nb := (img + bmax - 1) / bmax
	for blk := 0; blk < g.N*nb; blk++ {
		b, e := blk/nb, blk%nb
		e0, e1 := e*img/nb, (e+1)*img/nb
		q0, kc := b*hp*wp+e0, e1-e0
		for u := lo; u < hi; u++ {
			// Tile u: strip s, kernel row i, rows m·6… of dw[i] (as [KW·C, F]).
			s, i, m := u/(g.KH*ms), u/ms%g.KH, u%ms
			nr := min(NR, f-s*NR)
			mr := min(MR, kwc-m*MR)
			a := j.p[(q0+i*wp)*c+m*MR:]
			bs := j.w[s*plane+q0*NR:]
			cd := j.y[(i*kwc+m*MR)*f+s*NR:]
			if mr == MR {
				kernelCols(kc, a, c, bs, cd, f, 1, 1, nr)
				continue
			}
			kernelCols(kc, a, c, bs, ws.tile[:], NR, 1, 0, nr)
			updateTile(cd, f, &ws.tile, mr, nr, 1, 1)
		}
	}
}

// directJob is one parallel call of ConvDirect or ConvDirectKernelGrad.
type directJob struct {
	fn           func(j *directJob, t int, ws *workspace)
	y, p, w      []float32
	bias, pat    []float32
	patBuf       []float32
	g            ConvGeom
	f            int
	ps, rs       int // output pixel and row strides of ConvDirect
	beta         float32
	units, parts int
	wg           partsDone
}

func (j *directJob) runPart(t int, ws *workspace) { j.fn(j, t, ws) }

var freeDirectJobs = make(chan *directJob, 8)

func getDirectJob() *directJob {
	select {
	case j := <-freeDirectJobs:
		return j
	default:
		return new(directJob)
	}
}

func putDirectJob(j *directJob) {
	j.y, j.p, j.w, j.bias, j.pat, j.fn = nil, nil, nil, nil, nil, nil
	select {
	case freeDirectJobs <- j:
	default:
	}
}
