//go:build !noasm && amd64

#include "textflag.h"

// Convolution-layer kernels (conv.go): 8 float32 per YMM register; every length here is a
// multiple of 8 (checked by the Go wrappers), so there are no tails.

#define CMP_EQ $0x00
#define CMP_NLE_UQ $0x06
#define CMP_GT_OQ $0x1e

DATA poolidx<>+0(SB)/4, $0x3f800000 // 1
DATA poolidx<>+4(SB)/4, $0x40000000 // 2
DATA poolidx<>+8(SB)/4, $0x40400000 // 3
GLOBL poolidx<>(SB), RODATA|NOPTR, $12

// func biasReluAsm(y, pat *float32, nblk, p int)
TEXT ·biasReluAsm(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ pat+8(FP), SI
	MOVQ nblk+16(FP), CX
	MOVQ p+24(FP), DX
	SHLQ $2, DX
	VXORPS Y15, Y15, Y15

brblock:
	XORQ AX, AX

brlane:
	VMOVUPS (DI)(AX*1), Y0
	VADDPS  (SI)(AX*1), Y0, Y0
	VCMPPS  CMP_NLE_UQ, Y15, Y0, Y1
	VANDPS  Y0, Y1, Y0
	VMOVUPS Y0, (DI)(AX*1)
	ADDQ    $32, AX
	CMPQ    AX, DX
	JLT     brlane
	ADDQ    DX, DI
	DECQ    CX
	JNE     brblock
	VZEROUPPER
	RET

// func reluBackBiasAsm(dz, y, acc *float32, nblk, p int)
TEXT ·reluBackBiasAsm(SB), NOSPLIT, $0-40
	MOVQ dz+0(FP), DI
	MOVQ y+8(FP), SI
	MOVQ acc+16(FP), R9
	MOVQ nblk+24(FP), CX
	MOVQ p+32(FP), DX
	SHLQ $2, DX
	VXORPS Y15, Y15, Y15

rbblock:
	XORQ AX, AX

rblane:
	VMOVUPS (SI)(AX*1), Y1
	VCMPPS  CMP_GT_OQ, Y15, Y1, Y1
	VANDPS  (DI)(AX*1), Y1, Y0
	VMOVUPS Y0, (DI)(AX*1)
	VADDPS  (R9)(AX*1), Y0, Y0
	VMOVUPS Y0, (R9)(AX*1)
	ADDQ    $32, AX
	CMPQ    AX, DX
	JLT     rblane
	ADDQ    DX, DI
	ADDQ    DX, SI
	DECQ    CX
	JNE     rbblock
	VZEROUPPER
	RET

// func colSumAsm(m, acc *float32, nblk, p int)
TEXT ·colSumAsm(SB), NOSPLIT, $0-32
	MOVQ m+0(FP), SI
	MOVQ acc+8(FP), R9
	MOVQ nblk+16(FP), CX
	MOVQ p+24(FP), DX
	SHLQ $2, DX

csblock:
	XORQ AX, AX

cslane:
	VMOVUPS (SI)(AX*1), Y0
	VADDPS  (R9)(AX*1), Y0, Y0
	VMOVUPS Y0, (R9)(AX*1)
	ADDQ    $32, AX
	CMPQ    AX, DX
	JLT     cslane
	ADDQ    DX, SI
	DECQ    CX
	JNE     csblock
	VZEROUPPER
	RET

// func maxPool2Asm(y, idx, r0, r1 *float32, fw, c int)
// Window pixels a = r0[2ox], b = r0[2ox+1], c = r1[2ox], d = r1[2ox+1] (c floats each).
TEXT ·maxPool2Asm(SB), NOSPLIT, $0-48
	MOVQ y+0(FP), DI
	MOVQ idx+8(FP), R10
	MOVQ r0+16(FP), SI
	MOVQ r1+24(FP), DX
	MOVQ fw+32(FP), CX
	MOVQ c+40(FP), BX
	SHLQ $2, BX
	VBROADCASTSS poolidx<>+0(SB), Y12
	VBROADCASTSS poolidx<>+4(SB), Y13
	VBROADCASTSS poolidx<>+8(SB), Y14

mppixel:
	LEAQ (SI)(BX*1), R8
	LEAQ (DX)(BX*1), R9
	XORQ AX, AX

mplane:
	VMOVUPS   (SI)(AX*1), Y0
	VMOVUPS   (R8)(AX*1), Y2
	VCMPPS    CMP_GT_OQ, Y0, Y2, Y3
	VBLENDVPS Y3, Y2, Y0, Y0
	VANDPS    Y12, Y3, Y1
	VMOVUPS   (DX)(AX*1), Y4
	VCMPPS    CMP_GT_OQ, Y0, Y4, Y5
	VBLENDVPS Y5, Y4, Y0, Y0
	VBLENDVPS Y5, Y13, Y1, Y1
	VMOVUPS   (R9)(AX*1), Y6
	VCMPPS    CMP_GT_OQ, Y0, Y6, Y7
	VBLENDVPS Y7, Y6, Y0, Y0
	VBLENDVPS Y7, Y14, Y1, Y1
	VMOVUPS   Y0, (DI)(AX*1)
	VMOVUPS   Y1, (R10)(AX*1)
	ADDQ      $32, AX
	CMPQ      AX, BX
	JLT       mplane
	ADDQ      BX, DI
	ADDQ      BX, R10
	LEAQ      (SI)(BX*2), SI
	LEAQ      (DX)(BX*2), DX
	DECQ      CX
	JNE       mppixel
	VZEROUPPER
	RET

// func maxPool2BackAsm(d0, d1, grad, idx *float32, fw, c, assign int)
TEXT ·maxPool2BackAsm(SB), NOSPLIT, $0-56
	MOVQ d0+0(FP), DI
	MOVQ d1+8(FP), DX
	MOVQ grad+16(FP), SI
	MOVQ idx+24(FP), R10
	MOVQ fw+32(FP), CX
	MOVQ c+40(FP), BX
	MOVQ assign+48(FP), R11
	SHLQ $2, BX
	VXORPS Y15, Y15, Y15
	VBROADCASTSS poolidx<>+0(SB), Y12
	VBROADCASTSS poolidx<>+4(SB), Y13
	VBROADCASTSS poolidx<>+8(SB), Y14

bppixel:
	LEAQ (DI)(BX*1), R8
	LEAQ (DX)(BX*1), R9
	XORQ AX, AX

bplane:
	VMOVUPS (SI)(AX*1), Y0
	VMOVUPS (R10)(AX*1), Y1
	VCMPPS  CMP_EQ, Y15, Y1, Y4
	VCMPPS  CMP_EQ, Y12, Y1, Y5
	VCMPPS  CMP_EQ, Y13, Y1, Y6
	VCMPPS  CMP_EQ, Y14, Y1, Y7
	VANDPS  Y0, Y4, Y4
	VANDPS  Y0, Y5, Y5
	VANDPS  Y0, Y6, Y6
	VANDPS  Y0, Y7, Y7
	TESTQ   R11, R11
	JNE     bpstore
	VADDPS  (DI)(AX*1), Y4, Y4
	VADDPS  (R8)(AX*1), Y5, Y5
	VADDPS  (DX)(AX*1), Y6, Y6
	VADDPS  (R9)(AX*1), Y7, Y7

bpstore:
	VMOVUPS Y4, (DI)(AX*1)
	VMOVUPS Y5, (R8)(AX*1)
	VMOVUPS Y6, (DX)(AX*1)
	VMOVUPS Y7, (R9)(AX*1)
	ADDQ    $32, AX
	CMPQ    AX, BX
	JLT     bplane
	ADDQ    BX, SI
	ADDQ    BX, R10
	LEAQ    (DI)(BX*2), DI
	LEAQ    (DX)(BX*2), DX
	DECQ    CX
	JNE     bppixel
	VZEROUPPER
	RET

// func upBack2Asm(dx, g0, g1 *float32, w, c, assign int)
TEXT ·upBack2Asm(SB), NOSPLIT, $0-48
	MOVQ dx+0(FP), DI
	MOVQ g0+8(FP), SI
	MOVQ g1+16(FP), DX
	MOVQ w+24(FP), CX
	MOVQ c+32(FP), BX
	MOVQ assign+40(FP), R11
	SHLQ $2, BX

uppixel:
	LEAQ (SI)(BX*1), R8
	LEAQ (DX)(BX*1), R9
	XORQ AX, AX

uplane:
	VMOVUPS (SI)(AX*1), Y0
	VADDPS  (R8)(AX*1), Y0, Y0
	VMOVUPS (DX)(AX*1), Y1
	VADDPS  (R9)(AX*1), Y1, Y1
	VADDPS  Y1, Y0, Y0
	TESTQ   R11, R11
	JNE     upstore
	VADDPS  (DI)(AX*1), Y0, Y0

upstore:
	VMOVUPS Y0, (DI)(AX*1)
	ADDQ    $32, AX
	CMPQ    AX, BX
	JLT     uplane
	ADDQ    BX, DI
	LEAQ    (SI)(BX*2), SI
	LEAQ    (DX)(BX*2), DX
	DECQ    CX
	JNE     uppixel
	VZEROUPPER
	RET

// func c1RowAsm(y, r, w, bias *float32, wd, f, pw int)
// One output row of Conv3x3C1ReLU: 8 filters at a time (Y0–Y8 their 9 taps, Y9 the bias),
// every pixel of the row; r points at the first of three padded input rows of pw floats.
TEXT ·c1RowAsm(SB), NOSPLIT, $0-56
	MOVQ y+0(FP), DI
	MOVQ r+8(FP), SI
	MOVQ w+16(FP), DX
	MOVQ bias+24(FP), R10
	MOVQ wd+32(FP), CX
	MOVQ f+40(FP), R12
	MOVQ pw+48(FP), BX
	SHLQ $2, R12
	SHLQ $2, BX
	VXORPS Y15, Y15, Y15
	XORQ AX, AX

c1group:
	MOVQ    DX, R13
	ADDQ    AX, R13
	VMOVUPS (R13), Y0
	ADDQ    R12, R13
	VMOVUPS (R13), Y1
	ADDQ    R12, R13
	VMOVUPS (R13), Y2
	ADDQ    R12, R13
	VMOVUPS (R13), Y3
	ADDQ    R12, R13
	VMOVUPS (R13), Y4
	ADDQ    R12, R13
	VMOVUPS (R13), Y5
	ADDQ    R12, R13
	VMOVUPS (R13), Y6
	ADDQ    R12, R13
	VMOVUPS (R13), Y7
	ADDQ    R12, R13
	VMOVUPS (R13), Y8
	VMOVUPS (R10)(AX*1), Y9
	MOVQ    DI, R11
	ADDQ    AX, R11
	MOVQ    SI, R13
	MOVQ    CX, R9

c1pixel:
	VMOVAPS      Y9, Y10
	VBROADCASTSS (R13), Y11
	VFMADD231PS  Y0, Y11, Y10
	VBROADCASTSS 4(R13), Y11
	VFMADD231PS  Y1, Y11, Y10
	VBROADCASTSS 8(R13), Y11
	VFMADD231PS  Y2, Y11, Y10
	VBROADCASTSS (R13)(BX*1), Y11
	VFMADD231PS  Y3, Y11, Y10
	VBROADCASTSS 4(R13)(BX*1), Y11
	VFMADD231PS  Y4, Y11, Y10
	VBROADCASTSS 8(R13)(BX*1), Y11
	VFMADD231PS  Y5, Y11, Y10
	VBROADCASTSS (R13)(BX*2), Y11
	VFMADD231PS  Y6, Y11, Y10
	VBROADCASTSS 4(R13)(BX*2), Y11
	VFMADD231PS  Y7, Y11, Y10
	VBROADCASTSS 8(R13)(BX*2), Y11
	VFMADD231PS  Y8, Y11, Y10
	VCMPPS       CMP_NLE_UQ, Y15, Y10, Y12
	VANDPS       Y10, Y12, Y10
	VMOVUPS      Y10, (R11)
	ADDQ         R12, R11
	ADDQ         $4, R13
	DECQ         R9
	JNE          c1pixel
	ADDQ         $32, AX
	CMPQ         AX, R12
	JLT          c1group
	VZEROUPPER
	RET

// func c1BackRowAsm(acc, dy, y, r *float32, wd, f, pw int)
// One output row of Conv3x3C1ReLUBackward: 8 filters at a time, the 9 kernel-gradient
// accumulators in Y0–Y8 and the bias gradient in Y9 (loaded from and stored back to acc).
TEXT ·c1BackRowAsm(SB), NOSPLIT, $0-56
	MOVQ acc+0(FP), DI
	MOVQ dy+8(FP), SI
	MOVQ y+16(FP), DX
	MOVQ r+24(FP), R10
	MOVQ wd+32(FP), CX
	MOVQ f+40(FP), R12
	MOVQ pw+48(FP), BX
	SHLQ $2, R12
	SHLQ $2, BX
	VXORPS Y15, Y15, Y15
	XORQ AX, AX

c1bgroup:
	MOVQ    DI, R13
	ADDQ    AX, R13
	VMOVUPS (R13), Y0
	ADDQ    R12, R13
	VMOVUPS (R13), Y1
	ADDQ    R12, R13
	VMOVUPS (R13), Y2
	ADDQ    R12, R13
	VMOVUPS (R13), Y3
	ADDQ    R12, R13
	VMOVUPS (R13), Y4
	ADDQ    R12, R13
	VMOVUPS (R13), Y5
	ADDQ    R12, R13
	VMOVUPS (R13), Y6
	ADDQ    R12, R13
	VMOVUPS (R13), Y7
	ADDQ    R12, R13
	VMOVUPS (R13), Y8
	ADDQ    R12, R13
	VMOVUPS (R13), Y9
	MOVQ    SI, R11
	ADDQ    AX, R11
	MOVQ    DX, R8
	ADDQ    AX, R8
	MOVQ    R10, R13
	MOVQ    CX, R9

c1bpixel:
	VMOVUPS      (R11), Y10
	VMOVUPS      (R8), Y13
	VCMPPS       CMP_GT_OQ, Y15, Y13, Y13
	VANDPS       Y10, Y13, Y10
	VADDPS       Y10, Y9, Y9
	VBROADCASTSS (R13), Y11
	VFMADD231PS  Y10, Y11, Y0
	VBROADCASTSS 4(R13), Y11
	VFMADD231PS  Y10, Y11, Y1
	VBROADCASTSS 8(R13), Y11
	VFMADD231PS  Y10, Y11, Y2
	VBROADCASTSS (R13)(BX*1), Y11
	VFMADD231PS  Y10, Y11, Y3
	VBROADCASTSS 4(R13)(BX*1), Y11
	VFMADD231PS  Y10, Y11, Y4
	VBROADCASTSS 8(R13)(BX*1), Y11
	VFMADD231PS  Y10, Y11, Y5
	VBROADCASTSS (R13)(BX*2), Y11
	VFMADD231PS  Y10, Y11, Y6
	VBROADCASTSS 4(R13)(BX*2), Y11
	VFMADD231PS  Y10, Y11, Y7
	VBROADCASTSS 8(R13)(BX*2), Y11
	VFMADD231PS  Y10, Y11, Y8
	ADDQ         R12, R11
	ADDQ         R12, R8
	ADDQ         $4, R13
	DECQ         R9
	JNE          c1bpixel
	MOVQ         DI, R13
	ADDQ         AX, R13
	VMOVUPS      Y0, (R13)
	ADDQ         R12, R13
	VMOVUPS      Y1, (R13)
	ADDQ         R12, R13
	VMOVUPS      Y2, (R13)
	ADDQ         R12, R13
	VMOVUPS      Y3, (R13)
	ADDQ         R12, R13
	VMOVUPS      Y4, (R13)
	ADDQ         R12, R13
	VMOVUPS      Y5, (R13)
	ADDQ         R12, R13
	VMOVUPS      Y6, (R13)
	ADDQ         R12, R13
	VMOVUPS      Y7, (R13)
	ADDQ         R12, R13
	VMOVUPS      Y8, (R13)
	ADDQ         R12, R13
	VMOVUPS      Y9, (R13)
	ADDQ         $32, AX
	CMPQ         AX, R12
	JLT          c1bgroup
	VZEROUPPER
	RET
