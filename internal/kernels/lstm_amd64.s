//go:build !noasm && amd64

#include "textflag.h"

// LSTM gate kernels (lstm.go): 8 units per YMM register, the last 1–7 units through
// VMASKMOVPS with the mask ·tailmask+32-4r (r ones). The constant table ·ewconst (base
// in R8) and the EXP, SIGMOID and TANH macros come from vecmath_amd64.h, shared with
// elementwise_amd64.s, so the gates round exactly as kernels.Sigmoid and kernels.Tanh do.

#include "vecmath_amd64.h"

// func lstmCellAsm(z, bias, c, tc, cprev, h *float32, u int)
//
// Registers: SI z (gate i; f, g, o at +R9, +2·R9, +R10 = 3·R9 bytes), R13 bias (same
// layout), DI c, DX tc, BX cprev, R11 h, R12 cprev ≠ nil, R14 bias ≠ nil, CX units left.
TEXT ·lstmCellAsm(SB), NOSPLIT, $0-56
	MOVQ z+0(FP), SI
	MOVQ bias+8(FP), R13
	MOVQ c+16(FP), DI
	MOVQ tc+24(FP), DX
	MOVQ cprev+32(FP), BX
	MOVQ h+40(FP), R11
	MOVQ u+48(FP), CX
	MOVQ BX, R12
	MOVQ R13, R14
	LEAQ (CX*4), R9
	LEAQ (R9)(R9*2), R10
	LEAQ ·ewconst(SB), R8
fwdloop:
	CMPQ CX, $8
	JLT fwdtail
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(R9*1), Y1
	VMOVUPS (SI)(R9*2), Y2
	VMOVUPS (SI)(R10*1), Y3
	TESTQ R14, R14
	JZ nobfull
	VMOVUPS (R13), Y4
	VADDPS Y4, Y0, Y0 // + bias
	VMOVUPS (R13)(R9*1), Y4
	VADDPS Y4, Y1, Y1
	VMOVUPS (R13)(R9*2), Y4
	VADDPS Y4, Y2, Y2
	VMOVUPS (R13)(R10*1), Y4
	VADDPS Y4, Y3, Y3
nobfull:
	SIGMOID(Y0, Y4, Y5, Y6, Y7)
	SIGMOID(Y1, Y4, Y5, Y6, Y7)
	TANH(Y2, Y4, Y5, Y6, Y7, Y8, Y9, Y10)
	SIGMOID(Y3, Y4, Y5, Y6, Y7)
	VMOVUPS Y0, (SI)
	VMOVUPS Y1, (SI)(R9*1)
	VMOVUPS Y2, (SI)(R9*2)
	VMOVUPS Y3, (SI)(R10*1)
	VMULPS Y2, Y0, Y11 // c = i·g
	TESTQ R12, R12
	JZ nocpfull
	VMOVUPS (BX), Y12
	VFMADD231PS Y12, Y1, Y11 // + f·cprev
nocpfull:
	VMOVUPS Y11, (DI)
	VMOVAPS Y11, Y12
	TANH(Y12, Y4, Y5, Y6, Y7, Y8, Y9, Y10)
	VMOVUPS Y12, (DX)
	VMULPS Y12, Y3, Y12 // h = o·tanh(c)
	VMOVUPS Y12, (R11)
	ADDQ $32, SI
	ADDQ $32, R13
	ADDQ $32, DI
	ADDQ $32, DX
	ADDQ $32, BX
	ADDQ $32, R11
	SUBQ $8, CX
	JMP fwdloop
fwdtail:
	TESTQ CX, CX
	JZ fwddone
	TAILMASK
	VMASKMOVPS (SI), Y15, Y0
	VMASKMOVPS (SI)(R9*1), Y15, Y1
	VMASKMOVPS (SI)(R9*2), Y15, Y2
	VMASKMOVPS (SI)(R10*1), Y15, Y3
	TESTQ R14, R14
	JZ nobtail
	VMASKMOVPS (R13), Y15, Y4
	VADDPS Y4, Y0, Y0 // + bias
	VMASKMOVPS (R13)(R9*1), Y15, Y4
	VADDPS Y4, Y1, Y1
	VMASKMOVPS (R13)(R9*2), Y15, Y4
	VADDPS Y4, Y2, Y2
	VMASKMOVPS (R13)(R10*1), Y15, Y4
	VADDPS Y4, Y3, Y3
nobtail:
	SIGMOID(Y0, Y4, Y5, Y6, Y7)
	SIGMOID(Y1, Y4, Y5, Y6, Y7)
	TANH(Y2, Y4, Y5, Y6, Y7, Y8, Y9, Y10)
	SIGMOID(Y3, Y4, Y5, Y6, Y7)
	VMASKMOVPS Y0, Y15, (SI)
	VMASKMOVPS Y1, Y15, (SI)(R9*1)
	VMASKMOVPS Y2, Y15, (SI)(R9*2)
	VMASKMOVPS Y3, Y15, (SI)(R10*1)
	VMULPS Y2, Y0, Y11 // c = i·g
	TESTQ R12, R12
	JZ nocptail
	VMASKMOVPS (BX), Y15, Y12
	VFMADD231PS Y12, Y1, Y11 // + f·cprev
nocptail:
	VMASKMOVPS Y11, Y15, (DI)
	VMOVAPS Y11, Y12
	TANH(Y12, Y4, Y5, Y6, Y7, Y8, Y9, Y10)
	VMASKMOVPS Y12, Y15, (DX)
	VMULPS Y12, Y3, Y12 // h = o·tanh(c)
	VMASKMOVPS Y12, Y15, (R11)
fwddone:
	VZEROUPPER
	RET

// func lstmCellBackwardAsm(z, tc, cprev, dy, dh, dc *float32, u int)
//
// Registers: SI z, DX tc, BX cprev, R13 dy, R11 dh, DI dc, R12 cprev ≠ nil, R14 dy ≠ nil,
// Y13 ones, CX units left.
TEXT ·lstmCellBackwardAsm(SB), NOSPLIT, $0-56
	MOVQ z+0(FP), SI
	MOVQ tc+8(FP), DX
	MOVQ cprev+16(FP), BX
	MOVQ dy+24(FP), R13
	MOVQ dh+32(FP), R11
	MOVQ dc+40(FP), DI
	MOVQ u+48(FP), CX
	MOVQ BX, R12
	MOVQ R13, R14
	LEAQ (CX*4), R9
	LEAQ (R9)(R9*2), R10
	LEAQ ·ewconst(SB), R8
	VMOVUPS C_ONE, Y13
bwdloop:
	CMPQ CX, $8
	JLT bwdtail
	VMOVUPS (SI), Y0 // i
	VMOVUPS (SI)(R9*1), Y1 // f
	VMOVUPS (SI)(R9*2), Y2 // g
	VMOVUPS (SI)(R10*1), Y3 // o
	VMOVUPS (DX), Y4 // tanh(c)
	VMOVUPS (R11), Y5 // dH = dh
	TESTQ R14, R14
	JZ nodybfull
	VMOVUPS (R13), Y7
	VADDPS Y7, Y5, Y5 // + dy
nodybfull:
	VMOVUPS (DI), Y6
	VMULPS Y3, Y5, Y7 // dH·o
	VMOVAPS Y13, Y8
	VFNMADD231PS Y4, Y4, Y8 // 1 − tanh²c
	VFMADD231PS Y8, Y7, Y6 // dC = dc + dH·o·(1 − tanh²c)
	VSUBPS Y0, Y13, Y8 // 1 − i
	VMULPS Y2, Y6, Y7
	VMULPS Y0, Y7, Y7
	VMULPS Y8, Y7, Y7 // dC·g·i·(1 − i)
	VMOVUPS Y7, (SI)
	VXORPS Y9, Y9, Y9
	TESTQ R12, R12
	JZ nocpbfull
	VMOVUPS (BX), Y9
nocpbfull:
	VSUBPS Y1, Y13, Y8 // 1 − f
	VMULPS Y9, Y6, Y7
	VMULPS Y1, Y7, Y7
	VMULPS Y8, Y7, Y7 // dC·cprev·f·(1 − f)
	VMOVUPS Y7, (SI)(R9*1)
	VMOVAPS Y13, Y8
	VFNMADD231PS Y2, Y2, Y8 // 1 − g²
	VMULPS Y0, Y6, Y7
	VMULPS Y8, Y7, Y7 // dC·i·(1 − g²)
	VMOVUPS Y7, (SI)(R9*2)
	VSUBPS Y3, Y13, Y8 // 1 − o
	VMULPS Y4, Y5, Y7
	VMULPS Y3, Y7, Y7
	VMULPS Y8, Y7, Y7 // dH·tanh(c)·o·(1 − o)
	VMOVUPS Y7, (SI)(R10*1)
	VMULPS Y1, Y6, Y6 // dc ← dC·f
	VMOVUPS Y6, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, BX
	ADDQ $32, R13
	ADDQ $32, R11
	ADDQ $32, DI
	SUBQ $8, CX
	JMP bwdloop
bwdtail:
	TESTQ CX, CX
	JZ bwddone
	TAILMASK
	VMASKMOVPS (SI), Y15, Y0 // i
	VMASKMOVPS (SI)(R9*1), Y15, Y1 // f
	VMASKMOVPS (SI)(R9*2), Y15, Y2 // g
	VMASKMOVPS (SI)(R10*1), Y15, Y3 // o
	VMASKMOVPS (DX), Y15, Y4 // tanh(c)
	VMASKMOVPS (R11), Y15, Y5 // dH = dh
	TESTQ R14, R14
	JZ nodybtail
	VMASKMOVPS (R13), Y15, Y7
	VADDPS Y7, Y5, Y5 // + dy
nodybtail:
	VMASKMOVPS (DI), Y15, Y6
	VMULPS Y3, Y5, Y7 // dH·o
	VMOVAPS Y13, Y8
	VFNMADD231PS Y4, Y4, Y8 // 1 − tanh²c
	VFMADD231PS Y8, Y7, Y6 // dC = dc + dH·o·(1 − tanh²c)
	VSUBPS Y0, Y13, Y8 // 1 − i
	VMULPS Y2, Y6, Y7
	VMULPS Y0, Y7, Y7
	VMULPS Y8, Y7, Y7 // dC·g·i·(1 − i)
	VMASKMOVPS Y7, Y15, (SI)
	VXORPS Y9, Y9, Y9
	TESTQ R12, R12
	JZ nocpbtail
	VMASKMOVPS (BX), Y15, Y9
nocpbtail:
	VSUBPS Y1, Y13, Y8 // 1 − f
	VMULPS Y9, Y6, Y7
	VMULPS Y1, Y7, Y7
	VMULPS Y8, Y7, Y7 // dC·cprev·f·(1 − f)
	VMASKMOVPS Y7, Y15, (SI)(R9*1)
	VMOVAPS Y13, Y8
	VFNMADD231PS Y2, Y2, Y8 // 1 − g²
	VMULPS Y0, Y6, Y7
	VMULPS Y8, Y7, Y7 // dC·i·(1 − g²)
	VMASKMOVPS Y7, Y15, (SI)(R9*2)
	VSUBPS Y3, Y13, Y8 // 1 − o
	VMULPS Y4, Y5, Y7
	VMULPS Y3, Y7, Y7
	VMULPS Y8, Y7, Y7 // dH·tanh(c)·o·(1 − o)
	VMASKMOVPS Y7, Y15, (SI)(R10*1)
	VMULPS Y1, Y6, Y6 // dc ← dC·f
	VMASKMOVPS Y6, Y15, (DI)
bwddone:
	VZEROUPPER
	RET
