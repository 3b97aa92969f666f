package kernels

import (
	"fmt"
	"runtime"
	"sync"
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
	var j *packedJob
	select {
	case j = <-freePackedJobs:
	default:
		j = new(packedJob)
	}
	j.m, j.n, j.k, j.alpha, j.beta, j.a, j.lda, j.bp, j.c, j.ldc = m, n, k, alpha, beta, a, lda, bp, c, ldc
	strips := (m + MR - 1) / MR
	j.parts = 1
	if mnk := m * n * k; mnk >= parallelMNK {
		j.parts = min(runtime.GOMAXPROCS(0), mnk/minPartMNK, strips)
	}
	if j.parts > 1 {
		ensurePackedWorkers(j.parts - 1)
		j.wg.Add(j.parts - 1)
		for t := 1; t < j.parts; t++ {
			packedPool.tasks <- packedTask{j, t}
		}
	}
	ws := getWorkspace()
	j.part(0, ws)
	putWorkspace(ws)
	j.wg.Wait()
	j.a, j.bp, j.c = nil, nil, nil
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
	wg          sync.WaitGroup
}

func (j *packedJob) part(t int, ws *workspace) {
	strips := (j.m + MR - 1) / MR
	s0, s1 := t*strips/j.parts, (t+1)*strips/j.parts
	if m0, m1 := s0*MR, min(j.m, s1*MR); m0 < m1 {
		j.rows(m0, m1, ws)
	}
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

// The GemmPackedB worker pool: persistent goroutines, each with its own workspace.

type packedTask struct {
	j    *packedJob
	part int
}

var packedPool struct {
	mu      sync.Mutex
	workers int
	tasks   chan packedTask
}

func init() { packedPool.tasks = make(chan packedTask, 64) }

func ensurePackedWorkers(n int) {
	packedPool.mu.Lock()
	for packedPool.workers < n {
		packedPool.workers++
		go packedWorker()
	}
	packedPool.mu.Unlock()
}

func packedWorker() {
	ws := new(workspace)
	for t := range packedPool.tasks {
		t.j.part(t.part, ws)
		t.j.wg.Done()
	}
}
