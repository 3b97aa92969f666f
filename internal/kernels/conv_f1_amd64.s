//go:build !noasm && amd64

#include "textflag.h"

// Single-filter convolution kernels (conv_f1.go): 8 float32 per YMM register, channel
// counts multiples of 8 (checked by the Go wrappers).

// func convF1RowAsm(y, p, w *float32, ng, kh, kwc8, rs, cs int, bias float32)
// Eight pixels at a time: Y0–Y7 their 8-lane dot products, each kernel vector (Y8) loaded
// once and multiplied with the eight windows (pixel q at q·cs: R10 + {0, 1, 2, 4}·cs,
// R13 = R10 + 3cs + {0, 2, 4}·cs, R10 + 2·3cs), then one transposing horizontal sum.
TEXT ·convF1RowAsm(SB), NOSPLIT, $0-68
	MOVQ         y+0(FP), DI
	MOVQ         p+8(FP), BX
	MOVQ         ng+24(FP), CX
	MOVQ         cs+56(FP), R11
	LEAQ         (R11)(R11*2), R12
	VBROADCASTSS bias+64(FP), Y9

f1group:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	MOVQ   w+16(FP), DX
	MOVQ   BX, R14
	MOVQ   kh+32(FP), R8

f1row:
	MOVQ R14, R10
	LEAQ (R14)(R12*1), R13
	MOVQ kwc8+40(FP), R9

f1vec:
	VMOVUPS     (DX), Y8
	VFMADD231PS (R10), Y8, Y0
	VFMADD231PS (R10)(R11*1), Y8, Y1
	VFMADD231PS (R10)(R11*2), Y8, Y2
	VFMADD231PS (R13), Y8, Y3
	VFMADD231PS (R10)(R11*4), Y8, Y4
	VFMADD231PS (R13)(R11*2), Y8, Y5
	VFMADD231PS (R10)(R12*2), Y8, Y6
	VFMADD231PS (R13)(R11*4), Y8, Y7
	ADDQ        $32, R10
	ADDQ        $32, R13
	ADDQ        $32, DX
	DECQ        R9
	JNE         f1vec
	ADDQ        rs+48(FP), R14
	DECQ        R8
	JNE         f1row

	// Y0 = [Σ acc0 … Σ acc7]: pairwise sums within 128-bit lanes, then the two halves.
	VHADDPS    Y1, Y0, Y0
	VHADDPS    Y3, Y2, Y2
	VHADDPS    Y5, Y4, Y4
	VHADDPS    Y7, Y6, Y6
	VHADDPS    Y2, Y0, Y0
	VHADDPS    Y6, Y4, Y4
	VPERM2F128 $0x20, Y4, Y0, Y1
	VPERM2F128 $0x31, Y4, Y0, Y2
	VADDPS     Y2, Y1, Y1
	VADDPS     Y9, Y1, Y1
	VMOVUPS    Y1, (DI)
	ADDQ       $32, DI
	LEAQ       (BX)(R11*8), BX
	DECQ       CX
	JNE        f1group
	VZEROUPPER
	RET

// func convF1Grad6Asm(acc, p, dz *float32, rows, n, rs, cs int)
// 48 sums in Y0–Y5; per pixel one broadcast of dz and six multiply-adds with its window.
TEXT ·convF1Grad6Asm(SB), NOSPLIT, $0-56
	MOVQ    acc+0(FP), DI
	MOVQ    p+8(FP), BX
	MOVQ    dz+16(FP), SI
	MOVQ    rows+24(FP), R8
	MOVQ    rs+40(FP), R12
	MOVQ    cs+48(FP), R11
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	VMOVUPS 128(DI), Y4
	VMOVUPS 160(DI), Y5

g6row:
	MOVQ BX, R10
	MOVQ n+32(FP), CX

g6pix:
	VBROADCASTSS (SI), Y8
	VFMADD231PS  (R10), Y8, Y0
	VFMADD231PS  32(R10), Y8, Y1
	VFMADD231PS  64(R10), Y8, Y2
	VFMADD231PS  96(R10), Y8, Y3
	VFMADD231PS  128(R10), Y8, Y4
	VFMADD231PS  160(R10), Y8, Y5
	ADDQ         $4, SI
	ADDQ         R11, R10
	DECQ         CX
	JNE          g6pix
	ADDQ         R12, BX
	DECQ         R8
	JNE          g6row
	VMOVUPS      Y0, (DI)
	VMOVUPS      Y1, 32(DI)
	VMOVUPS      Y2, 64(DI)
	VMOVUPS      Y3, 96(DI)
	VMOVUPS      Y4, 128(DI)
	VMOVUPS      Y5, 160(DI)
	VZEROUPPER
	RET

// func convF1Grad1Asm(acc, p, dz *float32, rows, n, rs, cs int)
TEXT ·convF1Grad1Asm(SB), NOSPLIT, $0-56
	MOVQ    acc+0(FP), DI
	MOVQ    p+8(FP), BX
	MOVQ    dz+16(FP), SI
	MOVQ    rows+24(FP), R8
	MOVQ    rs+40(FP), R12
	MOVQ    cs+48(FP), R11
	VMOVUPS (DI), Y0

g1row:
	MOVQ BX, R10
	MOVQ n+32(FP), CX

g1pix:
	VBROADCASTSS (SI), Y8
	VFMADD231PS  (R10), Y8, Y0
	ADDQ         $4, SI
	ADDQ         R11, R10
	DECQ         CX
	JNE          g1pix
	ADDQ         R12, BX
	DECQ         R8
	JNE          g1row
	VMOVUPS      Y0, (DI)
	VZEROUPPER
	RET

// func convF1BackRowAsm(dx, d, wf *float32, w, kh, kw, c8, rsd, cs, beta int)
// For each 8-channel chunk: four pixels at a time (Y0–Y3), one kernel load (Y4) and four
// broadcasts of D per tap; then the pixels left one by one.
TEXT ·convF1BackRowAsm(SB), NOSPLIT, $0-80
	MOVQ dx+0(FP), DI
	MOVQ d+8(FP), SI
	MOVQ wf+16(FP), DX
	MOVQ cs+64(FP), R12
	XORQ R8, R8

b1chunk:
	MOVQ DI, R9
	ADDQ R8, R9
	MOVQ SI, R10
	MOVQ w+24(FP), CX
	SHRQ $2, CX
	JEQ  b1ones

b1group:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	MOVQ   DX, R13
	ADDQ   R8, R13
	MOVQ   R10, R14
	MOVQ   kh+32(FP), AX

b1gi:
	MOVQ R14, BX
	MOVQ kw+40(FP), R11

b1gj:
	VMOVUPS      (R13), Y4
	VBROADCASTSS (BX), Y5
	VFMADD231PS  Y5, Y4, Y0
	VBROADCASTSS 4(BX), Y5
	VFMADD231PS  Y5, Y4, Y1
	VBROADCASTSS 8(BX), Y5
	VFMADD231PS  Y5, Y4, Y2
	VBROADCASTSS 12(BX), Y5
	VFMADD231PS  Y5, Y4, Y3
	ADDQ         $4, BX
	ADDQ         R12, R13
	DECQ         R11
	JNE          b1gj
	ADDQ         rsd+56(FP), R14
	DECQ         AX
	JNE          b1gi

	LEAQ (R9)(R12*2), BX
	CMPQ beta+72(FP), $0
	JEQ  b1gstore
	VADDPS (R9), Y0, Y0
	VADDPS (R9)(R12*1), Y1, Y1
	VADDPS (BX), Y2, Y2
	VADDPS (BX)(R12*1), Y3, Y3

b1gstore:
	VMOVUPS Y0, (R9)
	VMOVUPS Y1, (R9)(R12*1)
	VMOVUPS Y2, (BX)
	VMOVUPS Y3, (BX)(R12*1)
	LEAQ    (R9)(R12*4), R9
	ADDQ    $16, R10
	DECQ    CX
	JNE     b1group

b1ones:
	MOVQ w+24(FP), CX
	ANDQ $3, CX
	JEQ  b1next

b1one:
	VXORPS Y0, Y0, Y0
	MOVQ   DX, R13
	ADDQ   R8, R13
	MOVQ   R10, R14
	MOVQ   kh+32(FP), AX

b1oi:
	MOVQ R14, BX
	MOVQ kw+40(FP), R11

b1oj:
	VBROADCASTSS (BX), Y5
	VFMADD231PS  (R13), Y5, Y0
	ADDQ         $4, BX
	ADDQ         R12, R13
	DECQ         R11
	JNE          b1oj
	ADDQ         rsd+56(FP), R14
	DECQ         AX
	JNE          b1oi
	CMPQ         beta+72(FP), $0
	JEQ          b1ostore
	VADDPS       (R9), Y0, Y0

b1ostore:
	VMOVUPS Y0, (R9)
	ADDQ    R12, R9
	ADDQ    $4, R10
	DECQ    CX
	JNE     b1one

b1next:
	ADDQ $32, R8
	MOVQ c8+48(FP), AX
	SHLQ $5, AX
	CMPQ R8, AX
	JLT  b1chunk
	VZEROUPPER
	RET
