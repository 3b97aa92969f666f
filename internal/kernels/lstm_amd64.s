//go:build !noasm && amd64

#include "textflag.h"

// LSTM gate kernels (lstm.go): 8 units per YMM register, the last 1–7 units through
// VMASKMOVPS with the mask lstmtail<>+32-4r (r ones). The constant table lstmconst<> (base
// in R8) and the EXP, SIGMOID and TANH macros are those of elementwise_amd64.s, so the
// gates round exactly as kernels.Sigmoid and kernels.Tanh do.

DATA lstmtail<>+0(SB)/8, $0xffffffffffffffff
DATA lstmtail<>+8(SB)/8, $0xffffffffffffffff
DATA lstmtail<>+16(SB)/8, $0xffffffffffffffff
DATA lstmtail<>+24(SB)/8, $0xffffffffffffffff
DATA lstmtail<>+32(SB)/8, $0
DATA lstmtail<>+40(SB)/8, $0
DATA lstmtail<>+48(SB)/8, $0
DATA lstmtail<>+56(SB)/8, $0
GLOBL lstmtail<>(SB), RODATA|NOPTR, $64

#define C_ONE 0(R8)
#define C_TWO 32(R8)
#define C_HALF 64(R8)
#define C_EXPHI 96(R8)
#define C_EXPLO 128(R8)
#define C_LOG2E 160(R8)
#define C_LN2HI 192(R8)
#define C_LN2LO 224(R8)
#define C_EP0 256(R8)
#define C_EP1 288(R8)
#define C_EP2 320(R8)
#define C_EP3 352(R8)
#define C_EP4 384(R8)
#define C_EP5 416(R8)
#define C_I127 448(R8)
#define C_INF 480(R8)
#define C_TP0 512(R8)
#define C_TP1 544(R8)
#define C_TP2 576(R8)
#define C_TP3 608(R8)
#define C_TP4 640(R8)
#define C_TSMALL 672(R8)
#define C_SIGN 704(R8)
#define C_ABS 736(R8)

DATA lstmconst<>+0(SB)/8, $0x3f8000003f800000 // C_ONE
DATA lstmconst<>+8(SB)/8, $0x3f8000003f800000
DATA lstmconst<>+16(SB)/8, $0x3f8000003f800000
DATA lstmconst<>+24(SB)/8, $0x3f8000003f800000
DATA lstmconst<>+32(SB)/8, $0x4000000040000000 // C_TWO
DATA lstmconst<>+40(SB)/8, $0x4000000040000000
DATA lstmconst<>+48(SB)/8, $0x4000000040000000
DATA lstmconst<>+56(SB)/8, $0x4000000040000000
DATA lstmconst<>+64(SB)/8, $0x3f0000003f000000 // C_HALF
DATA lstmconst<>+72(SB)/8, $0x3f0000003f000000
DATA lstmconst<>+80(SB)/8, $0x3f0000003f000000
DATA lstmconst<>+88(SB)/8, $0x3f0000003f000000
DATA lstmconst<>+96(SB)/8, $0x42b1721842b17218 // C_EXPHI
DATA lstmconst<>+104(SB)/8, $0x42b1721842b17218
DATA lstmconst<>+112(SB)/8, $0x42b1721842b17218
DATA lstmconst<>+120(SB)/8, $0x42b1721842b17218
DATA lstmconst<>+128(SB)/8, $0xc2aeac50c2aeac50 // C_EXPLO
DATA lstmconst<>+136(SB)/8, $0xc2aeac50c2aeac50
DATA lstmconst<>+144(SB)/8, $0xc2aeac50c2aeac50
DATA lstmconst<>+152(SB)/8, $0xc2aeac50c2aeac50
DATA lstmconst<>+160(SB)/8, $0x3fb8aa3b3fb8aa3b // C_LOG2E
DATA lstmconst<>+168(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA lstmconst<>+176(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA lstmconst<>+184(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA lstmconst<>+192(SB)/8, $0x3f3180003f318000 // C_LN2HI
DATA lstmconst<>+200(SB)/8, $0x3f3180003f318000
DATA lstmconst<>+208(SB)/8, $0x3f3180003f318000
DATA lstmconst<>+216(SB)/8, $0x3f3180003f318000
DATA lstmconst<>+224(SB)/8, $0xb95e8083b95e8083 // C_LN2LO
DATA lstmconst<>+232(SB)/8, $0xb95e8083b95e8083
DATA lstmconst<>+240(SB)/8, $0xb95e8083b95e8083
DATA lstmconst<>+248(SB)/8, $0xb95e8083b95e8083
DATA lstmconst<>+256(SB)/8, $0x3950696739506967 // C_EP0
DATA lstmconst<>+264(SB)/8, $0x3950696739506967
DATA lstmconst<>+272(SB)/8, $0x3950696739506967
DATA lstmconst<>+280(SB)/8, $0x3950696739506967
DATA lstmconst<>+288(SB)/8, $0x3ab743ce3ab743ce // C_EP1
DATA lstmconst<>+296(SB)/8, $0x3ab743ce3ab743ce
DATA lstmconst<>+304(SB)/8, $0x3ab743ce3ab743ce
DATA lstmconst<>+312(SB)/8, $0x3ab743ce3ab743ce
DATA lstmconst<>+320(SB)/8, $0x3c0889083c088908 // C_EP2
DATA lstmconst<>+328(SB)/8, $0x3c0889083c088908
DATA lstmconst<>+336(SB)/8, $0x3c0889083c088908
DATA lstmconst<>+344(SB)/8, $0x3c0889083c088908
DATA lstmconst<>+352(SB)/8, $0x3d2aa9c13d2aa9c1 // C_EP3
DATA lstmconst<>+360(SB)/8, $0x3d2aa9c13d2aa9c1
DATA lstmconst<>+368(SB)/8, $0x3d2aa9c13d2aa9c1
DATA lstmconst<>+376(SB)/8, $0x3d2aa9c13d2aa9c1
DATA lstmconst<>+384(SB)/8, $0x3e2aaaaa3e2aaaaa // C_EP4
DATA lstmconst<>+392(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA lstmconst<>+400(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA lstmconst<>+408(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA lstmconst<>+416(SB)/8, $0x3f0000003f000000 // C_EP5
DATA lstmconst<>+424(SB)/8, $0x3f0000003f000000
DATA lstmconst<>+432(SB)/8, $0x3f0000003f000000
DATA lstmconst<>+440(SB)/8, $0x3f0000003f000000
DATA lstmconst<>+448(SB)/8, $0x0000007f0000007f // C_I127
DATA lstmconst<>+456(SB)/8, $0x0000007f0000007f
DATA lstmconst<>+464(SB)/8, $0x0000007f0000007f
DATA lstmconst<>+472(SB)/8, $0x0000007f0000007f
DATA lstmconst<>+480(SB)/8, $0x7f8000007f800000 // C_INF
DATA lstmconst<>+488(SB)/8, $0x7f8000007f800000
DATA lstmconst<>+496(SB)/8, $0x7f8000007f800000
DATA lstmconst<>+504(SB)/8, $0x7f8000007f800000
DATA lstmconst<>+512(SB)/8, $0xbbbaf0eabbbaf0ea // C_TP0
DATA lstmconst<>+520(SB)/8, $0xbbbaf0eabbbaf0ea
DATA lstmconst<>+528(SB)/8, $0xbbbaf0eabbbaf0ea
DATA lstmconst<>+536(SB)/8, $0xbbbaf0eabbbaf0ea
DATA lstmconst<>+544(SB)/8, $0x3ca9134e3ca9134e // C_TP1
DATA lstmconst<>+552(SB)/8, $0x3ca9134e3ca9134e
DATA lstmconst<>+560(SB)/8, $0x3ca9134e3ca9134e
DATA lstmconst<>+568(SB)/8, $0x3ca9134e3ca9134e
DATA lstmconst<>+576(SB)/8, $0xbd5c1e2dbd5c1e2d // C_TP2
DATA lstmconst<>+584(SB)/8, $0xbd5c1e2dbd5c1e2d
DATA lstmconst<>+592(SB)/8, $0xbd5c1e2dbd5c1e2d
DATA lstmconst<>+600(SB)/8, $0xbd5c1e2dbd5c1e2d
DATA lstmconst<>+608(SB)/8, $0x3e0883933e088393 // C_TP3
DATA lstmconst<>+616(SB)/8, $0x3e0883933e088393
DATA lstmconst<>+624(SB)/8, $0x3e0883933e088393
DATA lstmconst<>+632(SB)/8, $0x3e0883933e088393
DATA lstmconst<>+640(SB)/8, $0xbeaaaa99beaaaa99 // C_TP4
DATA lstmconst<>+648(SB)/8, $0xbeaaaa99beaaaa99
DATA lstmconst<>+656(SB)/8, $0xbeaaaa99beaaaa99
DATA lstmconst<>+664(SB)/8, $0xbeaaaa99beaaaa99
DATA lstmconst<>+672(SB)/8, $0x3f2000003f200000 // C_TSMALL
DATA lstmconst<>+680(SB)/8, $0x3f2000003f200000
DATA lstmconst<>+688(SB)/8, $0x3f2000003f200000
DATA lstmconst<>+696(SB)/8, $0x3f2000003f200000
DATA lstmconst<>+704(SB)/8, $0x8000000080000000 // C_SIGN
DATA lstmconst<>+712(SB)/8, $0x8000000080000000
DATA lstmconst<>+720(SB)/8, $0x8000000080000000
DATA lstmconst<>+728(SB)/8, $0x8000000080000000
DATA lstmconst<>+736(SB)/8, $0x7fffffff7fffffff // C_ABS
DATA lstmconst<>+744(SB)/8, $0x7fffffff7fffffff
DATA lstmconst<>+752(SB)/8, $0x7fffffff7fffffff
DATA lstmconst<>+760(SB)/8, $0x7fffffff7fffffff
GLOBL lstmconst<>(SB), RODATA|NOPTR, $768

#define UNORD_Q $0x03
#define LT_OQ $0x11
#define LE_OQ $0x12
#define GT_OQ $0x1e

// TAILMASK sets Y15 to the mask of the first CX (1…7) lanes; clobbers AX, CX.
#define TAILMASK \
	LEAQ lstmtail<>(SB), AX \
	NEGQ CX \
	VMOVUPS 32(AX)(CX*4), Y15

// EXP: x = e^x (vmath.Exp with fused multiply-adds): x = n·ln2 + r, n = ⌊x·log2e + ½⌋,
// e^r by the Cephes polynomial, times 2^⌊n/2⌋·2^(n−⌊n/2⌋); +Inf above C_EXPHI, 0 below
// C_EXPLO, NaN for NaN. Temporaries t1…t4.
#define EXP(x, t1, t2, t3, t4) \
	VMINPS C_EXPHI, x, t1 \
	VMAXPS C_EXPLO, t1, t1 \
	VMULPS C_LOG2E, t1, t2 \
	VADDPS C_HALF, t2, t2 \
	VROUNDPS $1, t2, t2 \
	VFNMADD231PS C_LN2HI, t2, t1 \
	VFNMADD231PS C_LN2LO, t2, t1 \
	VMOVUPS C_EP0, t3 \
	VFMADD213PS C_EP1, t1, t3 \
	VFMADD213PS C_EP2, t1, t3 \
	VFMADD213PS C_EP3, t1, t3 \
	VFMADD213PS C_EP4, t1, t3 \
	VFMADD213PS C_EP5, t1, t3 \
	VMULPS t1, t1, t4 \
	VFMADD213PS t1, t4, t3 \
	VADDPS C_ONE, t3, t3 \
	VCVTPS2DQ t2, t2 \
	VPSRAD $1, t2, t4 \
	VPSUBD t4, t2, t2 \
	VPADDD C_I127, t4, t4 \
	VPSLLD $23, t4, t4 \
	VPADDD C_I127, t2, t2 \
	VPSLLD $23, t2, t2 \
	VMULPS t4, t3, t3 \
	VMULPS t2, t3, t3 \
	VCMPPS GT_OQ, C_EXPHI, x, t4 \
	VBLENDVPS t4, C_INF, t3, t3 \
	VCMPPS LT_OQ, C_EXPLO, x, t4 \
	VANDNPS t3, t4, t3 \
	VCMPPS UNORD_Q, x, x, t4 \
	VORPS t4, t3, x

// SIGMOID: x = 1/(1+e^−x). Temporaries t1…t4.
#define SIGMOID(x, t1, t2, t3, t4) \
	VXORPS C_SIGN, x, x \
	EXP(x, t1, t2, t3, t4) \
	VADDPS C_ONE, x, x \
	VMOVUPS C_ONE, t1 \
	VDIVPS x, t1, x

// TANH: x = tanh x (Cephes tanhf) on a = |x|: a + a·z·P(z), z = a², for a ≤ 0.625, else
// 1 − 2/(e^{2a}+1); then the sign of x. Temporaries a, p, e, t1…t4.
#define TANH(x, a, p, e, t1, t2, t3, t4) \
	VANDPS C_ABS, x, a \
	VMULPS a, a, t1 \
	VMOVUPS C_TP0, p \
	VFMADD213PS C_TP1, t1, p \
	VFMADD213PS C_TP2, t1, p \
	VFMADD213PS C_TP3, t1, p \
	VFMADD213PS C_TP4, t1, p \
	VMULPS t1, p, p \
	VFMADD213PS a, a, p \
	VADDPS a, a, e \
	EXP(e, t1, t2, t3, t4) \
	VADDPS C_ONE, e, e \
	VMOVUPS C_TWO, t1 \
	VDIVPS e, t1, t1 \
	VMOVUPS C_ONE, e \
	VSUBPS t1, e, e \
	VCMPPS LE_OQ, C_TSMALL, a, a \
	VBLENDVPS a, p, e, e \
	VANDPS C_SIGN, x, t1 \
	VORPS t1, e, x

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
	LEAQ lstmconst<>(SB), R8
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
	LEAQ lstmconst<>(SB), R8
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
