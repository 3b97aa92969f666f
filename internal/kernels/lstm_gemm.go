package kernels

import (
	"fmt"
	"runtime"
)

// A recurrent layer multiplies by the same matrix at every step (h_{t−1}·R forward,
// dz_t·Rᵀ backward). Gemm packs op(B) at every call; PackB packs it once and GemmPackedB
// reuses the packing for every step, splitting the rows of C over the workers.

// PackedBSize is the number of floats PackB writes for a k×n op(B).
func PackedBSize(k, n int) int { return k * ((n + NR - 1) / NR * NR) }

// gemmKC is Gemm's k block for a product of depth k: k split into equal blocks ≤ KC.
func gemmKC(k int) int {
	nk := (k + KC - 1) / KC
	return (k + nk - 1) / nk
}

// PackB packs op(B) (k×n; B stored k×n with ldb ≥ n, or n×k with ldb ≥ k when transB)
// into dst[:PackedBSize(k, n)] for GemmPackedB: the k blocks of Gemm, each as NR-column
// strips (see packB).
func PackB(dst []float32, transB bool, k, n int, b []float32, ldb int) {
	if k < 0 || n < 0 || len(dst) < PackedBSize(k, n) {
		panic(fmt.Sprintf("kernels.PackB: %d×%d op(B) into %d floats, want %d", k, n, len(dst), PackedBSize(k, n)))
	}
	if k == 0 || n == 0 {
		return
	}
	rows, cols := k, n // B as stored
	if transB {
		rows, cols = n, k
	}
	if ldb < cols || len(b) < (rows-1)*ldb+cols {
		panic(fmt.Sprintf("kernels.PackB: B of %d×%d (transB %v) with ldb %d in %d floats", rows, cols, transB, ldb, len(b)))
	}
	ncr := (n + NR - 1) / NR * NR
	kc0 := gemmKC(k)
	for pc := 0; pc < k; pc += kc0 {
		kc := min(kc0, k-pc)
		packB(dst[pc*ncr:], b, ldb, transB, pc, kc, 0, n)
	}
}

// GemmPackedB computes C = alpha·A·B + beta·C for A m×k (row-major, lda ≥ k), B the k×n
// op(B) packed by PackB into bp, and C m×n (ldc ≥ n): Gemm(false, transB, m, n, k, alpha,
// a, lda, b, ldb, beta, c, ldc) without packing B, with the same k blocks and
// micro-kernel, so the sums are taken in Gemm's order. Rows of C are split over up to
// GOMAXPROCS workers when m·n·k is large enough, in whole MR-row strips; the result does
// not depend on the split. a, bp and c must not overlap.
func GemmPackedB(m, n, k int, alpha float32, a []float32, lda int, bp []float32, beta float32, c []float32, ldc int) {
	if len(bp) < PackedBSize(k, n) {
		panic(fmt.Sprintf("kernels.GemmPackedB: packed B has %d floats, want %d for %d×%d", len(bp), PackedBSize(k, n), k, n))
	}
	if m < 0 || n < 0 || k < 0 || lda < max(1, k) || ldc < max(1, n) ||
		m > 0 && (len(a) < (m-1)*lda+k || len(c) < (m-1)*ldc+n) {
		panic(fmt.Sprintf("kernels.GemmPackedB: m %d, n %d, k %d, lda %d, ldc %d, len(a) %d, len(c) %d", m, n, k, lda, ldc, len(a), len(c)))
	}
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	j := getPackedJob()
	j.m, j.n, j.k, j.alpha, j.beta, j.a, j.lda, j.bp, j.c, j.ldc = m, n, k, alpha, beta, a, lda, bp, c, ldc
	j.run(m * n * k)
}

func getPackedJob() *packedJob {
	select {
	case j := <-freePackedJobs:
		return j
	default:
		return new(packedJob)
	}
}

// run splits the rows over the workers when work (m·n·k) is large enough, runs part 0
// on the caller, waits and recycles the job.
func (j *packedJob) run(work int) {
	strips := (j.m + MR - 1) / MR
	j.parts = 1
	if work >= parallelMNK {
		j.parts = max(1, min(runtime.GOMAXPROCS(0), work/minPartMNK, strips))
	}
	runParts(j, j.parts, &j.wg)
	j.a, j.bp, j.c = nil, nil, nil
	j.mode, j.st = 0, lstmStep{}
	select {
	case freePackedJobs <- j:
	default:
	}
}

var freePackedJobs = make(chan *packedJob, 16)

// packedJob is one GemmPackedB call.
type packedJob struct {
	m, n, k     int
	alpha, beta float32
	a, bp, c    []float32
	lda, ldc    int
	parts       int
	mode        int      // packedGemm, packedLSTMForward, packedLSTMBackward
	st          lstmStep // the LSTM step's other operands
	wg          partsDone
}

const (
	packedGemm = iota
	packedLSTMForward
	packedLSTMBackward
)

// lstmStep holds the operands of LSTMForwardStep and LSTMBackwardStep besides the
// product's (for the forward step a = h_{t−1}, c = z_t; for the backward step a = dz_t,
// c = dh).
type lstmStep struct {
	u             int
	z             []float32
	ldz           int
	bias          []float32
	cs, cprev, tc []float32
	ldcs          int
	h, y          []float32
	ldh, ldy      int
	dy, dh, dc    []float32
	gemm          bool
}

func (j *packedJob) runPart(t int, ws *workspace) {
	strips := (j.m + MR - 1) / MR
	s0, s1 := t*strips/j.parts, (t+1)*strips/j.parts
	m0, m1 := s0*MR, min(j.m, s1*MR)
	if m0 >= m1 {
		return
	}
	st := &j.st
	u := st.u
	switch j.mode {
	case packedGemm:
		j.rows(m0, m1, ws)
	case packedLSTMForward:
		if st.gemm {
			j.rows(m0, m1, ws)
		}
		for b := m0; b < m1; b++ {
			var cprev, h, y []float32
			if st.cprev != nil {
				cprev = st.cprev[b*st.ldcs : b*st.ldcs+u]
			}
			if st.h != nil {
				h = st.h[b*st.ldh : b*st.ldh+u]
			}
			if st.y != nil {
				y = st.y[b*st.ldy : b*st.ldy+u]
			}
			out := h
			if out == nil {
				out = y
			}
			lstmCellK(st.z[b*st.ldz:b*st.ldz+4*u], st.bias, st.cs[b*st.ldcs:b*st.ldcs+u], st.tc[b*st.ldcs:b*st.ldcs+u], cprev, out)
			if h != nil && y != nil {
				copy(y, h)
			}
		}
	case packedLSTMBackward:
		for b := m0; b < m1; b++ {
			var cprev, dy []float32
			if st.cprev != nil {
				cprev = st.cprev[b*st.ldcs : b*st.ldcs+u]
			}
			if st.dy != nil {
				dy = st.dy[b*st.ldy : b*st.ldy+u]
			}
			lstmCellBackwardK(st.z[b*st.ldz:b*st.ldz+4*u], st.tc[b*st.ldcs:b*st.ldcs+u], cprev, dy, st.dh[b*u:b*u+u], st.dc[b*u:b*u+u])
		}
		if st.gemm {
			j.rows(m0, m1, ws)
		}
	}
}

// LSTMForwardStep is step t of an LSTM layer over nb batch rows, the recurrent product
// and the gates in one parallel pass (rows split over the workers, each worker's rows
// multiplied, then their gates applied). For row b (lengths U = u, 4U = 4u):
//
//	z_b = z[b·ldz:][:4U]                      x_t·W on entry
//	z_b += h_{t−1,b}·R                        hprev[b·ldh:][:U]; skipped when hprev is nil
//	LSTMCell(z_b, bias, c[b·ldc:][:U], tc[b·ldc:][:U], cprev[b·ldc:][:U], h_b)
//
// with rp = PackB(R [U, 4U]) and cprev nil for the zero state; h_t goes to h[b·ldhOut:][:U]
// and to y[b·ldy:][:U] (either may be nil, not both). Rows of different b must not
// overlap.
func LSTMForwardStep(nb, u int, rp, hprev []float32, ldh int, z []float32, ldz int, bias, c, cprev, tc []float32, ldc int,
	h []float32, ldhOut int, y []float32, ldy int) {
	if nb <= 0 || u <= 0 {
		return
	}
	if h == nil && y == nil || len(bias) != 4*u || len(z) < (nb-1)*ldz+4*u || len(c) < (nb-1)*ldc+u || len(tc) < (nb-1)*ldc+u ||
		cprev != nil && len(cprev) < (nb-1)*ldc+u || h != nil && len(h) < (nb-1)*ldhOut+u || y != nil && len(y) < (nb-1)*ldy+u {
		panic(fmt.Sprintf("kernels.LSTMForwardStep: %d rows of %d units: len(z) %d (ldz %d), len(bias) %d, len(c) %d, len(tc) %d, len(cprev) %d (ldc %d), len(h) %d (ld %d), len(y) %d (ld %d)",
			nb, u, len(z), ldz, len(bias), len(c), len(tc), len(cprev), ldc, len(h), ldhOut, len(y), ldy))
	}
	j := getPackedJob()
	j.mode = packedLSTMForward
	j.m, j.n, j.k, j.alpha, j.beta, j.c, j.ldc = nb, 4*u, u, 1, 1, z, ldz
	j.st = lstmStep{u: u, z: z, ldz: ldz, bias: bias, cs: c, cprev: cprev, tc: tc, ldcs: ldc, h: h, y: y, ldh: ldhOut, ldy: ldy}
	work := nb * 4 * u * 8 // the gates: about 8 multiply-adds' worth per element
	if hprev != nil {
		if len(rp) < PackedBSize(u, 4*u) || ldh < u || len(hprev) < (nb-1)*ldh+u {
			panic(fmt.Sprintf("kernels.LSTMForwardStep: packed R %d floats, h_{t−1} %d floats (ld %d) for %d rows of %d units", len(rp), len(hprev), ldh, nb, u))
		}
		j.a, j.lda, j.bp, j.st.gemm = hprev, ldh, rp, true
		work += nb * 4 * u * u
	}
	j.run(work)
}

// LSTMBackwardStep is the backward pass of step t over nb batch rows, the gates and the
// recurrent product in one parallel pass. For row b:
//
//	LSTMCellBackward(z[b·ldz:][:4U], tc[b·ldc:][:U], cprev[b·ldc:][:U], dy[b·ldy:][:U], dh[b·U:][:U], dc[b·U:][:U])
//	dh[b·U:][:U] = dz_b·Rᵀ                    when rtp (PackB of Rᵀ, [4U, U]) is not nil
//
// cprev and dy may be nil (the zero state; no output gradient at this step); dh and dc
// are [nb, U].
func LSTMBackwardStep(nb, u int, rtp, z []float32, ldz int, tc, cprev []float32, ldc int, dy []float32, ldy int, dh, dc []float32) {
	if nb <= 0 || u <= 0 {
		return
	}
	if len(z) < (nb-1)*ldz+4*u || len(tc) < (nb-1)*ldc+u || cprev != nil && len(cprev) < (nb-1)*ldc+u ||
		dy != nil && len(dy) < (nb-1)*ldy+u || len(dh) < nb*u || len(dc) < nb*u ||
		rtp != nil && len(rtp) < PackedBSize(4*u, u) {
		panic(fmt.Sprintf("kernels.LSTMBackwardStep: %d rows of %d units: len(z) %d (ldz %d), len(tc) %d, len(cprev) %d (ldc %d), len(dy) %d (ld %d), len(dh) %d, len(dc) %d, len(rtp) %d",
			nb, u, len(z), ldz, len(tc), len(cprev), ldc, len(dy), ldy, len(dh), len(dc), len(rtp)))
	}
	j := getPackedJob()
	j.mode = packedLSTMBackward
	j.m, j.n, j.k, j.alpha, j.beta, j.c, j.ldc = nb, u, 4*u, 1, 0, dh, u
	j.st = lstmStep{u: u, z: z, ldz: ldz, cprev: cprev, tc: tc, ldcs: ldc, dy: dy, ldy: ldy, dh: dh, dc: dc}
	work := nb * 4 * u * 4
	if rtp != nil {
		j.a, j.lda, j.bp, j.st.gemm = z, ldz, rtp, true
		work += nb * 4 * u * u
	}
	j.run(work)
}

// rows computes rows m0:m1 of C: the loop nest of Gemm's runPacked with B already packed.
func (j *packedJob) rows(m0, m1 int, ws *workspace) {
	k, n := j.k, j.n
	kc0 := gemmKC(k)
	ncr := (n + NR - 1) / NR * NR
	for pc := 0; pc < k; pc += kc0 {
		kc := min(kc0, k-pc)
		bp := j.bp[pc*ncr : pc*ncr+kc*ncr]
		beta := j.beta
		if pc > 0 {
			beta = 1
		}
		astr := aStripStride(kc)
		for ic := m0; ic < m1; ic += MC {
			mc := min(MC, m1-ic)
			mcr := (mc + MR - 1) / MR * MR
			ap := grow(&ws.a, astr*mcr/MR)
			packA(ap, astr, j.a, j.lda, false, ic, mc, pc, kc)
			for jr := 0; jr < n; jr += NR {
				nr := min(NR, n-jr)
				bs := bp[jr*kc : jr*kc+NR*kc]
				for ir := 0; ir < mc; ir += MR {
					mr := min(MR, mc-ir)
					ci := (ic+ir)*j.ldc + jr
					as := ap[ir/MR*astr : ir/MR*astr+MR*kc]
					if mr == MR {
						kernelPacked(kc, as, bs, j.c[ci:], j.ldc, j.alpha, beta, nr)
					} else {
						kernelPacked(kc, as, bs, ws.tile[:], NR, 1, 0, nr)
						updateTile(j.c[ci:], j.ldc, &ws.tile, mr, nr, j.alpha, beta)
					}
				}
			}
		}
	}
}
