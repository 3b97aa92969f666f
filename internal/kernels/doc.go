// Package kernels holds fugo's hot loops: a float32 matrix multiply (Gemm) with an
// AVX2/FMA micro-kernel in Go assembly and a pure-Go fallback.
//
// # Algorithm
//
// Gemm follows GotoBLAS/BLIS. C (m×n) is cut into column blocks of nc ≤ NC columns; k into
// blocks of kc ≤ KC; the rows into blocks of mc ≤ MC. For each (column block, k block) a
// kc×nc panel of op(B) is packed into column strips NR wide (each strip contiguous, row by
// row: the micro-kernel reads 16 consecutive floats per k step); for each row block an mc×kc
// block of op(A) is packed into row strips MR tall (MR consecutive floats per k step, one per
// row, broadcast by the kernel). The micro-kernel then computes one MR×NR tile of C from one
// A strip and one B strip, holding the tile in 12 YMM registers:
//
//	for p := 0; p < kc; p++ {            // 2 loads of B, 6 broadcasts of A, 12 FMAs
//		for i := 0; i < MR; i++ {
//			for j := 0; j < NR; j++ {
//				acc[i][j] += A[i][p] * B[p][j]
//			}
//		}
//	}
//	C[i][j] = alpha*acc[i][j] + beta*C[i][j]  // beta is the caller's for the first k block, 1 after
//
// # Blocking parameters and why
//
//	MR×NR = 6×16  12 accumulators + 2 B vectors + 2 A broadcasts = all 16 YMM registers;
//	              12 FMAs per 8 loads keeps both FMA pipes of a Zen 3 core busy.
//	KC = 256      one A strip (6×256×4 B = 6 KiB) plus one B strip (16×256×4 B = 16 KiB)
//	              fit the 32 KiB L1D together; k is split into equal blocks ≤ KC
//	              (k = 784 → 4×196), so a block is never a sliver.
//	MC = 144      the packed A block (144×256×4 B = 144 KiB) stays in the 512 KiB L2 next
//	              to the B strips streaming through it.
//	NC = 3072     the packed B panel (256×3072×4 B = 3 MiB) lives in L3.
//
// # Narrow N
//
// When n ≤ NarrowN, packing A costs as much memory traffic as the multiply itself (im2col
// convolutions: M = 100352 rows, K = 9…144, N = 8…32), so A is read in place:
//
//   - op(A) = A: only op(B) is packed, and a kernel variant broadcasts from six rows of A
//     directly (row-major, stride lda), prefetching the next six rows;
//   - op(A) = Aᵀ (weight gradients, k = M large): the loop nest above runs without packing
//     A; a kernel variant broadcasts six consecutive floats of a row of the stored A and
//     steps lda per k, prefetching 48 rows ahead.
//
// Packed A strips are one cache line more than MR·kc apart so that packing a transposed A
// row by row does not fold all strips onto the same L1 sets.
//
// # Parallelism and determinism
//
// Calls with m·n·k below 2^17 (parallelMNK) run on the calling goroutine. Larger calls are split
// into at most runtime.GOMAXPROCS(0) parts along m (in whole MR-row strips) or along n (in
// whole NR-column strips), run by the package's one pool of worker goroutines plus the
// caller (pool.go; the elementwise, convolution, Im2col and LSTM kernels share it). Every
// element of C is computed by exactly one part, with the same k blocks in the same order
// whatever the number of parts, so the result is bitwise identical for any GOMAXPROCS.
// Packing buffers belong to the workers and are reused: a warm call allocates nothing. Idle
// workers poll for the next part for 500 µs, and a caller polls for its call's other parts
// for 50 µs, before parking: the kernels of a training step come tens of microseconds apart,
// about what waking a parked goroutine costs.
//
// The pure-Go kernels (built with -tags noasm, or on a CPU without AVX2/FMA) implement the
// same blocking and are the tests' oracle; they do not fuse multiply-add, so their results
// differ from the assembly's in the last bits.
package kernels
