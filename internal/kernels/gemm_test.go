package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
)

// Tolerance. Each element of C is checked against a float64 evaluation of the reference
// loop: |C − C64| ≤ tolRel·(√k + 1)·(|α|·Σₚ|op(A)ᵢₚ·op(B)ₚⱼ| + |β·C0ᵢⱼ|). Float32 rounding
// (unit roundoff 6e-8) over k accumulations with random signs grows like √k; 1e-6 leaves a
// margin of ~16 while still catching one wrong or missing product for k up to a few
// hundred.
const tolRel = 1e-6

const sentinel = float32(-7777.25) // fills the guard bands around and inside C's rows

type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	padA, padB     int // lda − (minimum), ldb − (minimum)
	padC           int // ldc − n
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("tA=%v,tB=%v,m=%d,n=%d,k=%d,α=%g,β=%g,pad=%d/%d/%d",
		tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, tc.beta, tc.padA, tc.padB, tc.padC)
}

// operands builds A and B with random values in [-1, 1) and their leading dimensions.
func (tc gemmCase) operands(rng *rand.Rand) (a []float32, lda int, b []float32, ldb int) {
	ar, ac := tc.m, tc.k
	if tc.transA {
		ar, ac = tc.k, tc.m
	}
	br, bc := tc.k, tc.n
	if tc.transB {
		br, bc = tc.n, tc.k
	}
	lda, ldb = ac+tc.padA, bc+tc.padB
	a = make([]float32, max(0, (ar-1)*lda+ac))
	b = make([]float32, max(0, (br-1)*ldb+bc))
	for i := range a {
		a[i] = 2*rng.Float32() - 1
	}
	for i := range b {
		b[i] = 2*rng.Float32() - 1
	}
	return a, lda, b, ldb
}

// guardedC returns a buffer holding C at offset guard with ldc = n + padC: the m×n window
// random (NaN when beta == 0), everything else the sentinel.
func (tc gemmCase) guardedC(rng *rand.Rand) (buf []float32, off, ldc int) {
	const guard = 37
	ldc = tc.n + tc.padC
	buf = make([]float32, guard+tc.m*ldc+guard)
	for i := range buf {
		buf[i] = sentinel
	}
	for i := 0; i < tc.m; i++ {
		for j := 0; j < tc.n; j++ {
			v := 2*rng.Float32() - 1
			if tc.beta == 0 {
				v = float32(math.NaN())
			}
			buf[guard+i*ldc+j] = v
		}
	}
	return buf, guard, ldc
}

func opAt(x []float32, ld int, trans bool, i, j int) float64 {
	if trans {
		return float64(x[j*ld+i])
	}
	return float64(x[i*ld+j])
}

// check compares the result window against the float64 reference loop and verifies that
// the guard bands kept the sentinel.
func (tc gemmCase) check(t *testing.T, a []float32, lda int, b []float32, ldb int, c0, c []float32, off, ldc int) {
	t.Helper()
	bad := 0
	for idx := range c {
		i, j := (idx-off)/ldc, (idx-off)%ldc
		inside := idx >= off && i < tc.m && j < tc.n
		if !inside {
			if c[idx] != sentinel {
				t.Errorf("%v: wrote outside C at buffer index %d (row %d col %d): %g", tc, idx, i, j, c[idx])
				return
			}
			continue
		}
		var s, sabs float64
		for p := 0; p < tc.k; p++ {
			x := opAt(a, lda, tc.transA, i, p) * opAt(b, ldb, tc.transB, p, j)
			s += x
			sabs += math.Abs(x)
		}
		want := float64(tc.alpha) * s
		scale := math.Abs(float64(tc.alpha)) * sabs
		if tc.beta != 0 {
			want += float64(tc.beta) * float64(c0[idx])
			scale += math.Abs(float64(tc.beta) * float64(c0[idx]))
		}
		got := float64(c[idx])
		if !(math.Abs(got-want) <= tolRel*(math.Sqrt(float64(tc.k))+1)*scale+1e-30) {
			if bad++; bad <= 3 {
				t.Errorf("%v: C[%d][%d] = %g, want %g (scale %g)", tc, i, j, got, want, scale)
			}
		}
	}
}

func (tc gemmCase) run(t *testing.T, rng *rand.Rand) {
	t.Helper()
	a, lda, b, ldb := tc.operands(rng)
	c, off, ldc := tc.guardedC(rng)
	c0 := append([]float32(nil), c...)
	Gemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c[off:], ldc)
	tc.check(t, a, lda, b, ldb, c0, c, off, ldc)
}

var oddSizes = []int{1, 2, 3, 5, 7, 13, 17, 31, 33, 65, 100, 257}

var alphaBetas = [][2]float32{{1, 0}, {1, 1}, {-0.5, 2}, {1.5, 0}, {0.25, -1}, {2, 0.5}}

// forEachImpl runs f with the assembly kernels (when this build has them) and with the
// pure-Go kernels.
func forEachImpl(t *testing.T, f func(t *testing.T)) {
	saved := useAsm
	defer func() { useAsm = saved }()
	if saved {
		t.Run("asm", f)
	}
	useAsm = false
	t.Run("go", f)
}

func TestGemmOddSizes(t *testing.T) {
	ks := []int{1, 2, 3, 7, 17, 33, 100, 257}
	if testing.Short() {
		ks = []int{1, 3, 17, 100}
	}
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		n := 0
		for _, tr := range [4][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			for _, m := range oddSizes {
				for _, nn := range oddSizes {
					for _, k := range ks {
						ab := alphaBetas[n%len(alphaBetas)]
						tc := gemmCase{tr[0], tr[1], m, nn, k, ab[0], ab[1], n % 3, (n / 3) % 2, (n / 2) % 4}
						tc.run(t, rng)
						n++
						if t.Failed() {
							return
						}
					}
				}
			}
		}
	})
}

// Shapes that cross the block boundaries (MC, NC, KC), take the narrow path with many
// rows, or are the model's.
var blockCases = []gemmCase{
	{false, false, 300, 40, 600, 1, 0, 1, 2, 3},
	{true, false, 300, 40, 600, 1, 1, 0, 0, 0},
	{false, true, 151, 35, 513, -1, 0.5, 3, 1, 0},
	{true, true, 149, 47, 1030, 0.5, 0, 2, 2, 2},
	{false, false, 7, 3100, 5, 1, 0, 0, 0, 1},
	{false, true, 13, 3090, 21, 1, 1, 1, 1, 1},
	{false, false, 1000, 16, 9, 1, 0, 0, 0, 0},
	{false, false, 1001, 8, 144, 1, 1, 0, 0, 5},
	{false, false, 997, 32, 72, 2, 0, 1, 3, 0},
	{false, true, 995, 24, 300, 1, -1, 0, 2, 0},
	{false, false, 203, 1, 70, 1, 0, 0, 0, 0},
	{true, false, 144, 16, 3001, 1, 1, 0, 0, 0},
	{true, false, 9, 16, 5003, 1, 0, 0, 0, 0},
	{false, false, 100, 256, 784, 1, 0, 0, 0, 0},
	{true, false, 784, 256, 100, 1, 1, 0, 0, 0},
	{false, true, 100, 784, 256, 1, 0, 0, 0, 0},
	{false, false, 100, 2, 256, 1, 0, 0, 0, 0},
	{false, false, 100, 256, 2, 1, 1, 0, 0, 0},
	{true, false, 2, 256, 100, 1, 1, 0, 0, 0},
}

func TestGemmBlocks(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for _, tc := range blockCases {
			tc.run(t, rng)
		}
	})
}

// TestGemmFreshWorkspace runs each case on a new, empty workspace, so that a packing
// buffer sliced past its length (but within a capacity left by a bigger call) shows up.
func TestGemmFreshWorkspace(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(13, 14))
		for _, tc := range blockCases {
			a, lda, b, ldb := tc.operands(rng)
			c, off, ldc := tc.guardedC(rng)
			c0 := append([]float32(nil), c...)
			g := gemmArgs{transA: tc.transA, transB: tc.transB, m: tc.m, n: tc.n, k: tc.k,
				alpha: tc.alpha, beta: tc.beta, a: a, lda: lda, b: b, ldb: ldb, c: c[off:], ldc: ldc}
			g.plan()
			g.runPart(0, 1, new(workspace))
			tc.check(t, a, lda, b, ldb, c0, c, off, ldc)
		}
	})
}

// TestGemmAsmMatchesGo compares the assembly kernels with the pure-Go oracle on the same
// inputs (they differ only by fused multiply-add rounding).
func TestGemmAsmMatchesGo(t *testing.T) {
	if !useAsm {
		t.Skip("no assembly kernels in this build or on this CPU")
	}
	defer func() { useAsm = true }()
	rng := rand.New(rand.NewPCG(5, 6))
	cases := append([]gemmCase(nil), blockCases...)
	for _, s := range []int{1, 5, 6, 7, 16, 17, 33} {
		cases = append(cases, gemmCase{false, false, s, s + 3, s + 1, 1, 0.5, 0, 0, 1},
			gemmCase{true, true, s + 2, s, 2*s + 1, -1, 0, 1, 0, 0})
	}
	for _, tc := range cases {
		a, lda, b, ldb := tc.operands(rng)
		c1, off, ldc := tc.guardedC(rng)
		c0 := append([]float32(nil), c1...)
		c2 := append([]float32(nil), c1...)
		useAsm = true
		Gemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c1[off:], ldc)
		useAsm = false
		Gemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c2[off:], ldc)
		for i := range c1 {
			x, y := float64(c1[i]), float64(c2[i])
			if math.Abs(x-y) > tolRel*(math.Sqrt(float64(tc.k))+1)*(math.Abs(y)+float64(tc.k)*0.1) {
				t.Errorf("%v: index %d: asm %g, go %g", tc, i, x, y)
				break
			}
		}
		tc.check(t, a, lda, b, ldb, c0, c1, off, ldc)
	}
}

// TestGemmDeterministic checks that the result is bitwise the same whatever GOMAXPROCS.
func TestGemmDeterministic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	cases := []gemmCase{
		{false, false, 100, 256, 784, 1, 0, 0, 0, 0},
		{false, false, 100, 784, 256, 1, 0, 0, 0, 0},
		{true, false, 784, 256, 100, 1, 1, 0, 0, 0},
		{true, false, 256, 784, 100, 1, 1, 0, 0, 0},
		{false, true, 100, 784, 256, 1, 0, 0, 0, 0},
		{false, false, 2000, 16, 144, 1, 0, 0, 0, 0},
		{false, false, 2003, 32, 72, 1, 0.5, 0, 0, 3},
		{true, false, 144, 16, 4000, 1, 0, 0, 0, 0},
		{true, true, 301, 299, 517, -1, 2, 1, 1, 1},
	}
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(7, 8))
		for _, tc := range cases {
			a, lda, b, ldb := tc.operands(rng)
			c, off, ldc := tc.guardedC(rng)
			var first []float32
			for _, procs := range []int{1, 2, 3, 4} {
				runtime.GOMAXPROCS(procs)
				got := append([]float32(nil), c...)
				Gemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, got[off:], ldc)
				if first == nil {
					first = got
					continue
				}
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(first[i]) {
						t.Errorf("%v: GOMAXPROCS=%d differs from 1 at index %d: %g vs %g", tc, procs, i, got[i], first[i])
						break
					}
				}
			}
		}
	})
}

// TestGemmConcurrent runs calls from several goroutines at once through the shared pool.
func TestGemmConcurrent(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	rng := rand.New(rand.NewPCG(9, 10))
	tc := gemmCase{false, false, 100, 256, 784, 1, 0, 0, 0, 0}
	a, lda, b, ldb := tc.operands(rng)
	want := make([]float32, tc.m*tc.n)
	Gemm(false, false, tc.m, tc.n, tc.k, 1, a, lda, b, ldb, 0, want, tc.n)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := make([]float32, tc.m*tc.n)
			for it := 0; it < 5; it++ {
				Gemm(false, false, tc.m, tc.n, tc.k, 1, a, lda, b, ldb, 0, c, tc.n)
				for i := range c {
					if c[i] != want[i] {
						t.Errorf("goroutine %d: index %d: %g, want %g", g, i, c[i], want[i])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

func TestGemmAllocs(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	rng := rand.New(rand.NewPCG(11, 12))
	for _, tc := range []gemmCase{
		{false, false, 100, 256, 784, 1, 0, 0, 0, 0},
		{true, false, 784, 256, 100, 1, 1, 0, 0, 0},
		{false, false, 2000, 16, 144, 1, 0, 0, 0, 0},
		{false, false, 100, 2, 256, 1, 0, 0, 0, 0},
		{false, false, 3, 4, 5, 1, 0, 0, 0, 0},
	} {
		a, lda, b, ldb := tc.operands(rng)
		c := make([]float32, tc.m*tc.n)
		allocs := testing.AllocsPerRun(50, func() {
			Gemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, tc.n)
		})
		if allocs != 0 {
			t.Errorf("%v: %g allocations per call, want 0", tc, allocs)
		}
	}
}

func TestGemmQuick(t *testing.T) {
	// k == 0 or alpha == 0: C = beta·C, NaNs cleared when beta == 0.
	c := []float32{float32(math.NaN()), 2, sentinel, 3, 4, sentinel}
	Gemm(false, false, 2, 2, 0, 1, nil, 1, nil, 2, 0, c, 3)
	if c[0] != 0 || c[1] != 0 || c[3] != 0 || c[4] != 0 || c[2] != sentinel || c[5] != sentinel {
		t.Errorf("k=0, beta=0: %v", c)
	}
	c = []float32{1, 2, 3, 4}
	Gemm(false, false, 2, 2, 3, 0, make([]float32, 6), 3, make([]float32, 6), 2, 2, c, 2)
	if c[0] != 2 || c[3] != 8 {
		t.Errorf("alpha=0, beta=2: %v", c)
	}
	// Empty C: nothing to do, nil slices allowed.
	Gemm(true, true, 0, 5, 3, 1, nil, 0, make([]float32, 15), 3, 0, nil, 5)
}

func TestGemmPanics(t *testing.T) {
	for _, f := range []func(){
		func() { Gemm(false, false, -1, 1, 1, 1, nil, 1, nil, 1, 0, nil, 1) },
		func() {
			Gemm(false, false, 2, 2, 2, 1, make([]float32, 3), 2, make([]float32, 4), 2, 0, make([]float32, 4), 2)
		},
		func() {
			Gemm(false, false, 2, 2, 3, 1, make([]float32, 6), 2, make([]float32, 6), 2, 0, make([]float32, 4), 2)
		},
		func() {
			Gemm(false, true, 2, 2, 2, 1, make([]float32, 4), 2, make([]float32, 3), 2, 0, make([]float32, 4), 2)
		},
		func() {
			Gemm(false, false, 2, 2, 2, 1, make([]float32, 4), 2, make([]float32, 4), 2, 0, make([]float32, 4), 1)
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		}()
	}
}
