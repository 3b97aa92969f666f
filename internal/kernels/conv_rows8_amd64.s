//go:build !noasm && amd64

#include "textflag.h"

// The 8×8 tile of the direct convolution (conv_rows8.go): 8 output pixels (rows of A read
// in place, row r at a + r·lda) by 8 filters (one YMM of B), summed over every kernel row.

// One k step: B (8 floats) in Y8, the A value of row r broadcast, into accumulator Yr.
// Rows 0–7 at R8 + {0, 1, 2}·lda, R9 = R8 + 3·lda, R8 + 4·lda, R9 + 2·lda, R8 + 2·(3·lda),
// R9 + 4·lda (R10 = lda, R11 = 3·lda, bytes).
#define R8STEP(aoff, boff) \
	VMOVUPS      boff(DI), Y8 \
	VBROADCASTSS aoff(R8), Y9 \
	VFMADD231PS  Y8, Y9, Y0 \
	VBROADCASTSS aoff(R8)(R10*1), Y10 \
	VFMADD231PS  Y8, Y10, Y1 \
	VBROADCASTSS aoff(R8)(R10*2), Y9 \
	VFMADD231PS  Y8, Y9, Y2 \
	VBROADCASTSS aoff(R9), Y10 \
	VFMADD231PS  Y8, Y10, Y3 \
	VBROADCASTSS aoff(R8)(R10*4), Y9 \
	VFMADD231PS  Y8, Y9, Y4 \
	VBROADCASTSS aoff(R9)(R10*2), Y10 \
	VFMADD231PS  Y8, Y10, Y5 \
	VBROADCASTSS aoff(R8)(R11*2), Y9 \
	VFMADD231PS  Y8, Y9, Y6 \
	VBROADCASTSS aoff(R9)(R10*4), Y10 \
	VFMADD231PS  Y8, Y10, Y7

// func convRows8Asm(c, a, b *float32, kh, kwc, lda, rs, bstr, ldc, beta int)
// c[r·ldc + o] = beta·c[r·ldc + o] + Σ_i Σ_k a[i·rs + r·lda + k]·b[i·bstr + 16k + o], r, o < 8
// (lda, rs, bstr, ldc in bytes; B rows 16 floats apart, the packing of PackDirectKernel).
TEXT ·convRows8Asm(SB), NOSPLIT, $0-80
	MOVQ   a+8(FP), R13
	MOVQ   b+16(FP), R14
	MOVQ   kh+24(FP), R12
	MOVQ   lda+40(FP), R10
	LEAQ   (R10)(R10*2), R11
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7

r8row:
	MOVQ R13, R8
	LEAQ (R13)(R11*1), R9
	MOVQ R14, DI
	MOVQ kwc+32(FP), CX
	SHRQ $2, CX
	JEQ  r8tail

r8loop4:
	R8STEP(0, 0)
	R8STEP(4, 64)
	R8STEP(8, 128)
	R8STEP(12, 192)
	ADDQ $16, R8
	ADDQ $16, R9
	ADDQ $256, DI
	DECQ CX
	JNE  r8loop4

r8tail:
	MOVQ kwc+32(FP), CX
	ANDQ $3, CX
	JEQ  r8next

r8loop1:
	R8STEP(0, 0)
	ADDQ $4, R8
	ADDQ $4, R9
	ADDQ $64, DI
	DECQ CX
	JNE  r8loop1

r8next:
	ADDQ rs+48(FP), R13
	ADDQ bstr+56(FP), R14
	DECQ R12
	JNE  r8row

	MOVQ c+0(FP), DX
	MOVQ ldc+64(FP), BX
	LEAQ (BX)(BX*2), AX
	LEAQ (DX)(AX*1), SI
	CMPQ beta+72(FP), $0
	JEQ  r8store
	VADDPS (DX), Y0, Y0
	VADDPS (DX)(BX*1), Y1, Y1
	VADDPS (DX)(BX*2), Y2, Y2
	VADDPS (SI), Y3, Y3
	VADDPS (DX)(BX*4), Y4, Y4
	VADDPS (SI)(BX*2), Y5, Y5
	VADDPS (DX)(AX*2), Y6, Y6
	VADDPS (SI)(BX*4), Y7, Y7

r8store:
	VMOVUPS Y0, (DX)
	VMOVUPS Y1, (DX)(BX*1)
	VMOVUPS Y2, (DX)(BX*2)
	VMOVUPS Y3, (SI)
	VMOVUPS Y4, (DX)(BX*4)
	VMOVUPS Y5, (SI)(BX*2)
	VMOVUPS Y6, (DX)(AX*2)
	VMOVUPS Y7, (SI)(BX*4)
	VZEROUPPER
	RET
