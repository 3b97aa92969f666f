//go:build !noasm && amd64

#include "textflag.h"

// Masks for the last n ≤ 16 columns: 16 words of ones, then 16 of zeros; the masks for
// columns 0–7 and 8–15 are the 8 words at (16-n) and (24-n).
DATA colmask<>+0(SB)/8, $0xffffffffffffffff
DATA colmask<>+8(SB)/8, $0xffffffffffffffff
DATA colmask<>+16(SB)/8, $0xffffffffffffffff
DATA colmask<>+24(SB)/8, $0xffffffffffffffff
DATA colmask<>+32(SB)/8, $0xffffffffffffffff
DATA colmask<>+40(SB)/8, $0xffffffffffffffff
DATA colmask<>+48(SB)/8, $0xffffffffffffffff
DATA colmask<>+56(SB)/8, $0xffffffffffffffff
DATA colmask<>+64(SB)/8, $0
DATA colmask<>+72(SB)/8, $0
DATA colmask<>+80(SB)/8, $0
DATA colmask<>+88(SB)/8, $0
DATA colmask<>+96(SB)/8, $0
DATA colmask<>+104(SB)/8, $0
DATA colmask<>+112(SB)/8, $0
DATA colmask<>+120(SB)/8, $0
GLOBL colmask<>(SB), RODATA|NOPTR, $128

// One k step of the 6×16 tile: B row in Y12:Y13, A values broadcast into Y14/Y15,
// accumulators Y0…Y11 (row r in Y(2r), Y(2r+1)).
#define FMA_ROW(bcast, acc0, acc1) \
	VFMADD231PS Y12, bcast, acc0 \
	VFMADD231PS Y13, bcast, acc1

#define STEP(a0, a1, a2, a3, a4, a5, boff) \
	VMOVUPS boff(DI), Y12 \
	VMOVUPS boff+32(DI), Y13 \
	VBROADCASTSS a0, Y14 \
	FMA_ROW(Y14, Y0, Y1) \
	VBROADCASTSS a1, Y15 \
	FMA_ROW(Y15, Y2, Y3) \
	VBROADCASTSS a2, Y14 \
	FMA_ROW(Y14, Y4, Y5) \
	VBROADCASTSS a3, Y15 \
	FMA_ROW(Y15, Y6, Y7) \
	VBROADCASTSS a4, Y14 \
	FMA_ROW(Y14, Y8, Y9) \
	VBROADCASTSS a5, Y15 \
	FMA_ROW(Y15, Y10, Y11)

// Packed A: six consecutive floats per k step at SI.
#define STEP_PACKED(aoff, boff) \
	STEP(aoff(SI), aoff+4(SI), aoff+8(SI), aoff+12(SI), aoff+16(SI), aoff+20(SI), boff)

// A in place: rows 0–2 at R8, R8+R10, R8+2·R10; rows 3–5 at R9, R9+R10, R9+2·R10.
#define STEP_ROWS(aoff, boff) \
	STEP(aoff(R8), aoff(R8)(R10*1), aoff(R8)(R10*2), aoff(R9), aoff(R9)(R10*1), aoff(R9)(R10*2), boff)

#define ZERO_ACC \
	VXORPS Y0, Y0, Y0 \
	VXORPS Y1, Y1, Y1 \
	VXORPS Y2, Y2, Y2 \
	VXORPS Y3, Y3, Y3 \
	VXORPS Y4, Y4, Y4 \
	VXORPS Y5, Y5, Y5 \
	VXORPS Y6, Y6, Y6 \
	VXORPS Y7, Y7, Y7 \
	VXORPS Y8, Y8, Y8 \
	VXORPS Y9, Y9, Y9 \
	VXORPS Y10, Y10, Y10 \
	VXORPS Y11, Y11, Y11

#define SCALE_ACC(s) \
	VMULPS s, Y0, Y0 \
	VMULPS s, Y1, Y1 \
	VMULPS s, Y2, Y2 \
	VMULPS s, Y3, Y3 \
	VMULPS s, Y4, Y4 \
	VMULPS s, Y5, Y5 \
	VMULPS s, Y6, Y6 \
	VMULPS s, Y7, Y7 \
	VMULPS s, Y8, Y8 \
	VMULPS s, Y9, Y9 \
	VMULPS s, Y10, Y10 \
	VMULPS s, Y11, Y11

// Row stores. DX = C row, BX = ldc in bytes, Y13 = beta, Y14:Y15 = column masks.
#define ROW_FULL0(acc0, acc1) \
	VMOVUPS acc0, (DX) \
	VMOVUPS acc1, 32(DX) \
	ADDQ BX, DX

#define ROW_FULL(acc0, acc1) \
	VMULPS (DX), Y13, Y14 \
	VADDPS Y14, acc0, acc0 \
	VMOVUPS acc0, (DX) \
	VMULPS 32(DX), Y13, Y15 \
	VADDPS Y15, acc1, acc1 \
	VMOVUPS acc1, 32(DX) \
	ADDQ BX, DX

#define ROW_MASK0(acc0, acc1) \
	VMASKMOVPS acc0, Y14, (DX) \
	VMASKMOVPS acc1, Y15, 32(DX) \
	ADDQ BX, DX

#define ROW_MASK(acc0, acc1) \
	VMASKMOVPS (DX), Y14, Y12 \
	VMULPS Y12, Y13, Y12 \
	VADDPS Y12, acc0, acc0 \
	VMASKMOVPS acc0, Y14, (DX) \
	VMASKMOVPS 32(DX), Y15, Y12 \
	VMULPS Y12, Y13, Y12 \
	VADDPS Y12, acc1, acc1 \
	VMASKMOVPS acc1, Y15, 32(DX) \
	ADDQ BX, DX

#define ALL_ROWS(ROW) \
	ROW(Y0, Y1) \
	ROW(Y2, Y3) \
	ROW(Y4, Y5) \
	ROW(Y6, Y7) \
	ROW(Y8, Y9) \
	ROW(Y10, Y11)

// STORE_TILE: C = alpha·acc + beta·C on the first n columns of 6 rows.
// In: DX = c, BX = ldc (elements), AX = n, alpha and beta as 32-bit words in R11, R12.
#define STORE_TILE \
	MOVL R11, X12 \
	VBROADCASTSS X12, Y12 \
	SCALE_ACC(Y12) \
	SHLQ $2, BX \
	MOVL R12, X13 \
	VBROADCASTSS X13, Y13 \
	CMPQ AX, $16 \
	JNE masked \
	TESTL $0x7fffffff, R12 \
	JZ full0 \
	ALL_ROWS(ROW_FULL) \
	VZEROUPPER \
	RET \
full0: \
	ALL_ROWS(ROW_FULL0) \
	VZEROUPPER \
	RET \
masked: \
	LEAQ colmask<>(SB), CX \
	NEGQ AX \
	VMOVUPS 64(CX)(AX*4), Y14 \
	VMOVUPS 96(CX)(AX*4), Y15 \
	TESTL $0x7fffffff, R12 \
	JZ masked0 \
	ALL_ROWS(ROW_MASK) \
	VZEROUPPER \
	RET \
masked0: \
	ALL_ROWS(ROW_MASK0) \
	VZEROUPPER \
	RET

// func gemmKernel6x16(k int, a, b, c *float32, ldc int, alpha, beta float32, n int)
TEXT ·gemmKernel6x16(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	ZERO_ACC
	MOVQ CX, R13
	SHRQ $2, R13
	JZ   tail
loop4:
	STEP_PACKED(0, 0)
	STEP_PACKED(24, 64)
	STEP_PACKED(48, 128)
	STEP_PACKED(72, 192)
	ADDQ $96, SI
	ADDQ $256, DI
	DECQ R13
	JNZ  loop4
tail:
	ANDQ $3, CX
	JZ   store
loop1:
	STEP_PACKED(0, 0)
	ADDQ $24, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  loop1
store:
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), BX
	MOVQ n+48(FP), AX
	MOVL alpha+40(FP), R11
	MOVL beta+44(FP), R12
	STORE_TILE

// func gemmKernelRows6x16(k int, a *float32, lda int, b, c *float32, ldc int, alpha, beta float32, n int)
TEXT ·gemmKernelRows6x16(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), R8
	MOVQ lda+16(FP), R10
	SHLQ $2, R10
	LEAQ (R8)(R10*2), R9
	ADDQ R10, R9
	MOVQ b+24(FP), DI
	LEAQ (R9)(R10*2), R12 // R12: prefetch pointer, starting 6 rows ahead
	ADDQ R10, R12
	ZERO_ACC
	MOVQ CX, R13
	SHRQ $2, R13
	JZ   tail
loop4:
	PREFETCHT0 (R12)
	PREFETCHT0 64(R12)
	STEP_ROWS(0, 0)
	STEP_ROWS(4, 64)
	STEP_ROWS(8, 128)
	STEP_ROWS(12, 192)
	ADDQ $16, R8
	ADDQ $16, R9
	ADDQ $96, R12
	ADDQ $256, DI
	DECQ R13
	JNZ  loop4
tail:
	ANDQ $3, CX
	JZ   store
loop1:
	STEP_ROWS(0, 0)
	ADDQ $4, R8
	ADDQ $4, R9
	ADDQ $64, DI
	DECQ CX
	JNZ  loop1
store:
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), BX
	MOVQ n+56(FP), AX
	MOVL alpha+48(FP), R11
	MOVL beta+52(FP), R12
	STORE_TILE

#define PF_ROWS 48

// Transposed A in place: six consecutive floats per k step at SI, SI += R10 per step.
#define STEP_COLS(boff) \
	PREFETCHT0 (R12) \
	STEP((SI), 4(SI), 8(SI), 12(SI), 16(SI), 20(SI), boff) \
	ADDQ R10, SI \
	ADDQ R10, R12

// func gemmKernelCols6x16(k int, a *float32, lda int, b, c *float32, ldc int, alpha, beta float32, n int)
TEXT ·gemmKernelCols6x16(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R10
	SHLQ $2, R10
	MOVQ b+24(FP), DI
	MOVQ R10, R12 // R12: prefetch pointer, PF_ROWS rows ahead of SI
	IMULQ $PF_ROWS, R12
	ADDQ SI, R12
	ZERO_ACC
	MOVQ CX, R13
	SHRQ $2, R13
	JZ   tail
loop4:
	STEP_COLS(0)
	STEP_COLS(64)
	STEP_COLS(128)
	STEP_COLS(192)
	ADDQ $256, DI
	DECQ R13
	JNZ  loop4
tail:
	ANDQ $3, CX
	JZ   store
loop1:
	STEP_COLS(0)
	ADDQ $64, DI
	DECQ CX
	JNZ  loop1
store:
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), BX
	MOVQ n+56(FP), AX
	MOVL alpha+48(FP), R11
	MOVL beta+52(FP), R12
	STORE_TILE

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	BYTE $0x0f; BYTE $0x01; BYTE $0xd0 // XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// func copyRows16(dst, src *float32, lds, rows, n int)
// for p < rows: dst[p*16 : p*16+16] = src[p*lds : p*lds+n], zero-padded (n ≤ 16)
TEXT ·copyRows16(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), BX
	SHLQ $2, BX
	MOVQ rows+24(FP), CX
	MOVQ n+32(FP), AX
	TESTQ CX, CX
	JZ   done16
	CMPQ AX, $16
	JNE  masked16
loop16:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    BX, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     loop16
	VZEROUPPER
done16:
	RET
masked16:
	LEAQ colmask<>(SB), DX
	NEGQ AX
	VMOVUPS 64(DX)(AX*4), Y14
	VMOVUPS 96(DX)(AX*4), Y15
loopm16:
	VMASKMOVPS (SI), Y14, Y0
	VMASKMOVPS 32(SI), Y15, Y1
	VMOVUPS    Y0, (DI)
	VMOVUPS    Y1, 32(DI)
	ADDQ       BX, SI
	ADDQ       $64, DI
	DECQ       CX
	JNZ        loopm16
	VZEROUPPER
	RET

// func copyStrips6(dst *float32, str int, src *float32, lds, kc, strips int)
// for p < kc, s < strips, r < 6: dst[s*str + p*6 + r] = src[p*lds + s*6 + r]
// (packs a transposed A block walking its rows in memory order).
TEXT ·copyStrips6(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ str+8(FP), R8
	SHLQ $2, R8 // bytes between strips
	MOVQ src+16(FP), SI
	MOVQ lds+24(FP), BX
	SHLQ $2, BX
	MOVQ kc+32(FP), CX
	MOVQ strips+40(FP), DX
	TESTQ CX, CX
	JZ   donecs
	TESTQ DX, DX
	JZ   donecs
looprow:
	MOVQ SI, R9
	MOVQ DI, R10
	MOVQ DX, R11
loopstrip:
	PREFETCHT0 (R9)(BX*8) // 8 rows ahead
	MOVUPS (R9), X0
	MOVQ   16(R9), AX
	MOVUPS X0, (R10)
	MOVQ   AX, 16(R10)
	ADDQ   $24, R9
	ADDQ   R8, R10
	DECQ   R11
	JNZ    loopstrip
	ADDQ   BX, SI
	ADDQ   $24, DI
	DECQ   CX
	JNZ    looprow
donecs:
	RET
