package kernels

import (
	"fmt"
	"runtime"
)

// Blocking parameters; see the package documentation.
const (
	MR = 6    // rows of the micro-kernel tile
	NR = 16   // columns of the micro-kernel tile
	KC = 256  // largest k block
	MC = 144  // largest row block of packed A (a multiple of MR)
	NC = 3072 // largest column block of packed B (a multiple of NR)

	// NarrowN is the widest op(B) for which A is read in place instead of packed
	// (when A is not transposed).
	NarrowN = 32

	// parallelMNK: calls with m·n·k below this run on the calling goroutine.
	parallelMNK = 1 << 17
	// minPartMNK: each parallel part gets at least this much work.
	minPartMNK = 1 << 16
)

// Gemm computes C = alpha·op(A)·op(B) + beta·C for row-major matrices, where op(X) is X or
// its transpose. op(A) is m×k, op(B) is k×n, C is m×n with row stride ldc. A is stored m×k
// (lda ≥ k) when !transA, k×m (lda ≥ m) when transA; likewise B. beta == 0 overwrites C
// (NaNs in C do not propagate). Elements of c outside the m×n window are not touched.
//
// Reference loop (the result equals it up to float32 rounding; the k order is fixed, so
// the result does not depend on GOMAXPROCS):
//
//	for i := 0; i < m; i++ {
//		for j := 0; j < n; j++ {
//			var s float32
//			for p := 0; p < k; p++ {
//				s += opA(i, p) * opB(p, j) // opA(i,p) = a[i*lda+p], or a[p*lda+i] if transA
//			}
//			c[i*ldc+j] = alpha*s + beta*c[i*ldc+j] // beta == 0: c[i*ldc+j] = alpha*s
//		}
//	}
//
// Gemm panics with a message naming both shapes when a dimension is negative, a leading
// dimension is too small or a slice is too short. a, b and c must not overlap. Gemm is
// safe for concurrent use.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkArgs(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	g := gemmArgs{transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc}
	g.plan()
	parts := 1
	if mnk := m * n * k; mnk >= parallelMNK {
		parts = min(runtime.GOMAXPROCS(0), mnk/minPartMNK, g.strips())
	}
	if parts <= 1 {
		ws := getWorkspace()
		g.runPart(0, 1, ws)
		putWorkspace(ws)
		return
	}
	runParallel(&g, parts)
}

func checkArgs(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	shape := func() string {
		ta, tb := "", ""
		if transA {
			ta = "ᵀ"
		}
		if transB {
			tb = "ᵀ"
		}
		return fmt.Sprintf("op(A)%s %d×%d (lda %d, len %d), op(B)%s %d×%d (ldb %d, len %d), C %d×%d (ldc %d, len %d)",
			ta, m, k, lda, len(a), tb, k, n, ldb, len(b), m, n, ldc, len(c))
	}
	if m < 0 || n < 0 || k < 0 {
		panic("kernels.Gemm: negative dimension: " + shape())
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	if ar > 0 && ac > 0 && (lda < ac || len(a) < (ar-1)*lda+ac) {
		panic("kernels.Gemm: A too short or lda too small: " + shape())
	}
	if br > 0 && bc > 0 && (ldb < bc || len(b) < (br-1)*ldb+bc) {
		panic("kernels.Gemm: B too short or ldb too small: " + shape())
	}
	if m > 0 && n > 0 && (ldc < n || len(c) < (m-1)*ldc+n) {
		panic("kernels.Gemm: C too short or ldc too small: " + shape())
	}
}

// scaleC sets C = beta·C (C = 0 when beta == 0).
func scaleC(m, n int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		switch beta {
		case 0:
			clear(row)
		case 1:
		default:
			for j := range row {
				row[j] *= beta
			}
		}
	}
}

// gemmArgs is one Gemm call, with its plan.
type gemmArgs struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	a, b, c        []float32
	lda, ldb, ldc  int

	kc     int  // k block: k split into equal blocks ≤ KC
	narrow bool // A read in place, six rows at a time (not packed)
	colsA  bool // transposed A read in place by the packed loop nest (not packed)
	splitM bool // parts split the rows (else the columns)
}

// plan chooses the k block, the kernel and the split. It depends on the shape only, never
// on the number of workers: that is what makes the result independent of GOMAXPROCS.
func (g *gemmArgs) plan() {
	nk := (g.k + KC - 1) / KC
	g.kc = (g.k + nk - 1) / nk
	g.narrow = !g.transA && g.n <= NarrowN
	g.colsA = g.transA && g.n <= NarrowN
	// Each part packs its share of one operand and all of the other's block: split the
	// dimension whose operand is larger.
	g.splitM = g.narrow || g.m >= g.n
}

// strips is the number of indivisible units along the split dimension.
func (g *gemmArgs) strips() int {
	if g.splitM {
		return (g.m + MR - 1) / MR
	}
	return (g.n + NR - 1) / NR
}

// runPart computes part t of parts: a range of whole MR-row (or NR-column) strips.
func (g *gemmArgs) runPart(t, parts int, ws *workspace) {
	s := g.strips()
	s0, s1 := t*s/parts, (t+1)*s/parts
	m0, m1, n0, n1 := 0, g.m, 0, g.n
	if g.splitM {
		m0, m1 = s0*MR, min(g.m, s1*MR)
	} else {
		n0, n1 = s0*NR, min(g.n, s1*NR)
	}
	if m0 >= m1 || n0 >= n1 {
		return
	}
	if g.narrow {
		g.runNarrow(m0, m1, ws)
	} else {
		g.runPacked(m0, m1, n0, n1, ws)
	}
}

// runPacked is the GotoBLAS loop nest over C[m0:m1, n0:n1].
func (g *gemmArgs) runPacked(m0, m1, n0, n1 int, ws *workspace) {
	k, kc0 := g.k, g.kc
	for jc := n0; jc < n1; jc += NC {
		nc := min(NC, n1-jc)
		ncr := (nc + NR - 1) / NR * NR
		for pc := 0; pc < k; pc += kc0 {
			kc := min(kc0, k-pc)
			bp := grow(&ws.b, kc*ncr)
			packB(bp, g.b, g.ldb, g.transB, pc, kc, jc, nc)
			beta := g.beta
			if pc > 0 {
				beta = 1
			}
			for ic := m0; ic < m1; ic += MC {
				mc := min(MC, m1-ic)
				mcr := (mc + MR - 1) / MR * MR
				astr := aStripStride(kc)
				var ap []float32
				if g.colsA {
					ap = grow(&ws.a, astr) // the last, partial strip only
					if mc%MR != 0 {
						packA(ap, astr, g.a, g.lda, true, ic+mc/MR*MR, mc%MR, pc, kc)
					}
				} else {
					ap = grow(&ws.a, astr*mcr/MR)
					packA(ap, astr, g.a, g.lda, g.transA, ic, mc, pc, kc)
				}
				for jr := 0; jr < nc; jr += NR {
					nr := min(NR, nc-jr)
					bs := bp[jr*kc : jr*kc+NR*kc]
					for ir := 0; ir < mc; ir += MR {
						mr := min(MR, mc-ir)
						ci := (ic+ir)*g.ldc + jc + jr
						if g.colsA && mr == MR {
							kernelCols(kc, g.a[pc*g.lda+ic+ir:], g.lda, bs, g.c[ci:], g.ldc, g.alpha, beta, nr)
							continue
						}
						var as []float32
						if g.colsA {
							as = ap[:MR*kc]
						} else {
							as = ap[ir/MR*astr : ir/MR*astr+MR*kc]
						}
						if mr == MR {
							kernelPacked(kc, as, bs, g.c[ci:], g.ldc, g.alpha, beta, nr)
						} else {
							kernelPacked(kc, as, bs, ws.tile[:], NR, 1, 0, nr)
							updateTile(g.c[ci:], g.ldc, &ws.tile, mr, nr, g.alpha, beta)
						}
					}
				}
			}
		}
	}
}

// narrowMC is the row block of the narrow path: its C block (≤ 96×32 floats) stays in L1
// across the k blocks.
const narrowMC = 16 * MR

// runNarrow computes rows m0:m1 of C reading A in place: op(B) is packed whole into NR-wide
// strips, then each group of MR rows of A meets each strip.
func (g *gemmArgs) runNarrow(m0, m1 int, ws *workspace) {
	k, kc0, n := g.k, g.kc, g.n
	nsr := (n + NR - 1) / NR // strips of B
	bp := grow(&ws.b, k*nsr*NR)
	for pc := 0; pc < k; pc += kc0 {
		kc := min(kc0, k-pc)
		packB(bp[pc*nsr*NR:], g.b, g.ldb, g.transB, pc, kc, 0, n)
	}
	for ic := m0; ic < m1; ic += narrowMC {
		mc := min(narrowMC, m1-ic)
		for pc := 0; pc < k; pc += kc0 {
			kc := min(kc0, k-pc)
			beta := g.beta
			if pc > 0 {
				beta = 1
			}
			bk := bp[pc*nsr*NR:]
			for ir := 0; ir < mc; ir += MR {
				mr := min(MR, mc-ir)
				i := ic + ir
				as, lda := g.a[i*g.lda+pc:], g.lda
				if mr < MR {
					// Copy the last rows into a zero-padded MR×kc block.
					at := grow(&ws.a, MR*kc)
					clear(at)
					for r := 0; r < mr; r++ {
						copy(at[r*kc:r*kc+kc], g.a[(i+r)*g.lda+pc:])
					}
					as, lda = at, kc
				}
				for jr := 0; jr < n; jr += NR {
					nr := min(NR, n-jr)
					bs := bk[jr*kc : jr*kc+NR*kc]
					ci := i*g.ldc + jr
					if mr == MR {
						kernelRows(kc, as, lda, bs, g.c[ci:], g.ldc, g.alpha, beta, nr)
					} else {
						kernelRows(kc, as, lda, bs, ws.tile[:], NR, 1, 0, nr)
						updateTile(g.c[ci:], g.ldc, &ws.tile, mr, nr, g.alpha, beta)
					}
				}
			}
		}
	}
}

// updateTile sets C[i][j] = alpha·t[i][j] + beta·C[i][j] for i < mr, j < nr, rounding
// exactly like the micro-kernels' store (alpha·t and beta·C rounded, then added).
func updateTile(c []float32, ldc int, t *[MR * NR]float32, mr, nr int, alpha, beta float32) {
	for i := 0; i < mr; i++ {
		row := c[i*ldc : i*ldc+nr]
		tr := t[i*NR : i*NR+nr]
		if beta == 0 {
			for j := range row {
				row[j] = alpha * tr[j]
			}
			continue
		}
		for j := range row {
			row[j] = float32(alpha*tr[j]) + float32(beta*row[j])
		}
	}
}

// aStripStride is the distance between packed A strips: MR·kc floats plus one cache line,
// so that the strips of a block do not map to the same L1 sets (kc = 256 would give a
// 6 KiB stride, which folds 24 strips onto 2 sets when a transposed A is packed row by row).
func aStripStride(kc int) int { return MR*kc + 16 }

// packA packs op(A)[i0:i0+mc, p0:p0+kc] into MR-row strips str floats apart: strip s holds,
// for each p, the MR values op(A)[i0+s·MR+r, p0+p], r = 0…MR-1, zero past row mc.
func packA(dst []float32, str int, a []float32, lda int, trans bool, i0, mc, p0, kc int) {
	s0 := 0
	if trans && mc >= MR {
		// Full strips of a transposed A: walk its rows in memory order.
		s0 = mc / MR * MR
		packStrips6(dst, str, a[p0*lda+i0:], lda, kc, mc/MR)
	}
	for s := s0; s < mc; s += MR {
		mr := min(MR, mc-s)
		d := dst[s/MR*str : s/MR*str+MR*kc]
		switch {
		case trans:
			// op(A)[i][p] = a[p*lda+i]: mr < MR consecutive values per p.
			off := p0*lda + i0 + s
			for p := 0; p < kc; p++ {
				dp := (*[MR]float32)(d[p*MR:])
				src := a[off+p*lda : off+p*lda+mr]
				for r, v := range src {
					dp[r] = v
				}
				for r := mr; r < MR; r++ {
					dp[r] = 0
				}
			}
		case mr == MR:
			off := (i0+s)*lda + p0
			r0 := a[off : off+kc]
			r1 := a[off+lda:][:len(r0)]
			r2 := a[off+2*lda:][:len(r0)]
			r3 := a[off+3*lda:][:len(r0)]
			r4 := a[off+4*lda:][:len(r0)]
			r5 := a[off+5*lda:][:len(r0)]
			for p := range r0 {
				q := (*[MR]float32)(d[p*MR:])
				q[0], q[1], q[2], q[3], q[4], q[5] = r0[p], r1[p], r2[p], r3[p], r4[p], r5[p]
			}
		default:
			clear(d)
			for r := 0; r < mr; r++ {
				src := a[(i0+s+r)*lda+p0:]
				src = src[:kc]
				for p, v := range src {
					d[p*MR+r] = v
				}
			}
		}
	}
}

// packB packs op(B)[p0:p0+kc, j0:j0+nc] into NR-column strips: strip s holds, for each p,
// the NR values op(B)[p0+p, j0+s·NR+j], j = 0…NR-1, zero past column nc.
func packB(dst, b []float32, ldb int, trans bool, p0, kc, j0, nc int) {
	for s := 0; s < nc; s += NR {
		nr := min(NR, nc-s)
		d := dst[s*kc : s*kc+NR*kc]
		switch {
		case !trans:
			packRows16(d, b[p0*ldb+j0+s:], ldb, kc, nr)
		case nr == NR:
			// op(B)[p][j] = b[j*ldb+p]: transpose 16 rows of b, 4 at a time.
			off := (j0+s)*ldb + p0
			for j := 0; j < NR; j += 4 {
				r0 := b[off+j*ldb : off+j*ldb+kc]
				r1 := b[off+(j+1)*ldb:][:len(r0)]
				r2 := b[off+(j+2)*ldb:][:len(r0)]
				r3 := b[off+(j+3)*ldb:][:len(r0)]
				for p := range r0 {
					q := (*[4]float32)(d[p*NR+j:])
					q[0], q[1], q[2], q[3] = r0[p], r1[p], r2[p], r3[p]
				}
			}
		default:
			clear(d)
			for j := 0; j < nr; j++ {
				src := b[(j0+s+j)*ldb+p0:]
				src = src[:kc]
				for p, v := range src {
					d[p*NR+j] = v
				}
			}
		}
	}
}

// call is one parallel Gemm call shared by its parts.
type call struct {
	g     gemmArgs
	parts int
	wg    partsDone
}

func (c *call) runPart(t int, ws *workspace) { c.g.runPart(t, c.parts, ws) }

// freeCalls recycles calls (a channel survives garbage collections, unlike sync.Pool).
var freeCalls = make(chan *call, 64)

func runParallel(g *gemmArgs, parts int) {
	var c *call
	select {
	case c = <-freeCalls:
	default:
		c = new(call)
	}
	c.g, c.parts = *g, parts
	runParts(c, parts, &c.wg)
	c.g = gemmArgs{} // drop the references to the caller's slices
	select {
	case freeCalls <- c:
	default:
	}
}
