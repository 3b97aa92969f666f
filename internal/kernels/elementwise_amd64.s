//go:build !noasm && amd64

#include "textflag.h"

// Elementwise kernels: 8 float32 per YMM register, tails of 1–7 elements through
// VMASKMOVPS with the mask ·tailmask+32-4r (r ones). Every kernel keeps the base of the
// constant table ·ewconst in R8; each constant is one float32 (or int32) repeated 8 times.

DATA ·tailmask+0(SB)/8, $0xffffffffffffffff
DATA ·tailmask+8(SB)/8, $0xffffffffffffffff
DATA ·tailmask+16(SB)/8, $0xffffffffffffffff
DATA ·tailmask+24(SB)/8, $0xffffffffffffffff
DATA ·tailmask+32(SB)/8, $0
DATA ·tailmask+40(SB)/8, $0
DATA ·tailmask+48(SB)/8, $0
DATA ·tailmask+56(SB)/8, $0
GLOBL ·tailmask(SB), RODATA|NOPTR, $64

#include "vecmath_amd64.h"


DATA ·ewconst+0(SB)/8, $0x3f8000003f800000 // C_ONE
DATA ·ewconst+8(SB)/8, $0x3f8000003f800000
DATA ·ewconst+16(SB)/8, $0x3f8000003f800000
DATA ·ewconst+24(SB)/8, $0x3f8000003f800000
DATA ·ewconst+32(SB)/8, $0x3f0000003f000000 // C_HALF
DATA ·ewconst+40(SB)/8, $0x3f0000003f000000
DATA ·ewconst+48(SB)/8, $0x3f0000003f000000
DATA ·ewconst+56(SB)/8, $0x3f0000003f000000
DATA ·ewconst+64(SB)/8, $0x4000000040000000 // C_TWO
DATA ·ewconst+72(SB)/8, $0x4000000040000000
DATA ·ewconst+80(SB)/8, $0x4000000040000000
DATA ·ewconst+88(SB)/8, $0x4000000040000000
DATA ·ewconst+96(SB)/8, $0x0000000000000000 // C_ZERO
DATA ·ewconst+104(SB)/8, $0x0000000000000000
DATA ·ewconst+112(SB)/8, $0x0000000000000000
DATA ·ewconst+120(SB)/8, $0x0000000000000000
DATA ·ewconst+128(SB)/8, $0x42b1721842b17218 // C_EXPHI
DATA ·ewconst+136(SB)/8, $0x42b1721842b17218
DATA ·ewconst+144(SB)/8, $0x42b1721842b17218
DATA ·ewconst+152(SB)/8, $0x42b1721842b17218
DATA ·ewconst+160(SB)/8, $0xc2aeac50c2aeac50 // C_EXPLO
DATA ·ewconst+168(SB)/8, $0xc2aeac50c2aeac50
DATA ·ewconst+176(SB)/8, $0xc2aeac50c2aeac50
DATA ·ewconst+184(SB)/8, $0xc2aeac50c2aeac50
DATA ·ewconst+192(SB)/8, $0x3fb8aa3b3fb8aa3b // C_LOG2E
DATA ·ewconst+200(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA ·ewconst+208(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA ·ewconst+216(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA ·ewconst+224(SB)/8, $0x3f3180003f318000 // C_LN2HI
DATA ·ewconst+232(SB)/8, $0x3f3180003f318000
DATA ·ewconst+240(SB)/8, $0x3f3180003f318000
DATA ·ewconst+248(SB)/8, $0x3f3180003f318000
DATA ·ewconst+256(SB)/8, $0xb95e8083b95e8083 // C_LN2LO
DATA ·ewconst+264(SB)/8, $0xb95e8083b95e8083
DATA ·ewconst+272(SB)/8, $0xb95e8083b95e8083
DATA ·ewconst+280(SB)/8, $0xb95e8083b95e8083
DATA ·ewconst+288(SB)/8, $0x3950696739506967 // C_EP0
DATA ·ewconst+296(SB)/8, $0x3950696739506967
DATA ·ewconst+304(SB)/8, $0x3950696739506967
DATA ·ewconst+312(SB)/8, $0x3950696739506967
DATA ·ewconst+320(SB)/8, $0x3ab743ce3ab743ce // C_EP1
DATA ·ewconst+328(SB)/8, $0x3ab743ce3ab743ce
DATA ·ewconst+336(SB)/8, $0x3ab743ce3ab743ce
DATA ·ewconst+344(SB)/8, $0x3ab743ce3ab743ce
DATA ·ewconst+352(SB)/8, $0x3c0889083c088908 // C_EP2
DATA ·ewconst+360(SB)/8, $0x3c0889083c088908
DATA ·ewconst+368(SB)/8, $0x3c0889083c088908
DATA ·ewconst+376(SB)/8, $0x3c0889083c088908
DATA ·ewconst+384(SB)/8, $0x3d2aa9c13d2aa9c1 // C_EP3
DATA ·ewconst+392(SB)/8, $0x3d2aa9c13d2aa9c1
DATA ·ewconst+400(SB)/8, $0x3d2aa9c13d2aa9c1
DATA ·ewconst+408(SB)/8, $0x3d2aa9c13d2aa9c1
DATA ·ewconst+416(SB)/8, $0x3e2aaaaa3e2aaaaa // C_EP4
DATA ·ewconst+424(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA ·ewconst+432(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA ·ewconst+440(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA ·ewconst+448(SB)/8, $0x3f0000003f000000 // C_EP5
DATA ·ewconst+456(SB)/8, $0x3f0000003f000000
DATA ·ewconst+464(SB)/8, $0x3f0000003f000000
DATA ·ewconst+472(SB)/8, $0x3f0000003f000000
DATA ·ewconst+480(SB)/8, $0x0000007f0000007f // C_I127
DATA ·ewconst+488(SB)/8, $0x0000007f0000007f
DATA ·ewconst+496(SB)/8, $0x0000007f0000007f
DATA ·ewconst+504(SB)/8, $0x0000007f0000007f
DATA ·ewconst+512(SB)/8, $0x7f8000007f800000 // C_INF
DATA ·ewconst+520(SB)/8, $0x7f8000007f800000
DATA ·ewconst+528(SB)/8, $0x7f8000007f800000
DATA ·ewconst+536(SB)/8, $0x7f8000007f800000
DATA ·ewconst+544(SB)/8, $0xff800000ff800000 // C_NEGINF
DATA ·ewconst+552(SB)/8, $0xff800000ff800000
DATA ·ewconst+560(SB)/8, $0xff800000ff800000
DATA ·ewconst+568(SB)/8, $0xff800000ff800000
DATA ·ewconst+576(SB)/8, $0x007fffff007fffff // C_MANT
DATA ·ewconst+584(SB)/8, $0x007fffff007fffff
DATA ·ewconst+592(SB)/8, $0x007fffff007fffff
DATA ·ewconst+600(SB)/8, $0x007fffff007fffff
DATA ·ewconst+608(SB)/8, $0x0000007e0000007e // C_I126
DATA ·ewconst+616(SB)/8, $0x0000007e0000007e
DATA ·ewconst+624(SB)/8, $0x0000007e0000007e
DATA ·ewconst+632(SB)/8, $0x0000007e0000007e
DATA ·ewconst+640(SB)/8, $0x0000001700000017 // C_I23
DATA ·ewconst+648(SB)/8, $0x0000001700000017
DATA ·ewconst+656(SB)/8, $0x0000001700000017
DATA ·ewconst+664(SB)/8, $0x0000001700000017
DATA ·ewconst+672(SB)/8, $0x0080000000800000 // C_MINNORM
DATA ·ewconst+680(SB)/8, $0x0080000000800000
DATA ·ewconst+688(SB)/8, $0x0080000000800000
DATA ·ewconst+696(SB)/8, $0x0080000000800000
DATA ·ewconst+704(SB)/8, $0x4b0000004b000000 // C_TWO23
DATA ·ewconst+712(SB)/8, $0x4b0000004b000000
DATA ·ewconst+720(SB)/8, $0x4b0000004b000000
DATA ·ewconst+728(SB)/8, $0x4b0000004b000000
DATA ·ewconst+736(SB)/8, $0x3f3504f33f3504f3 // C_SQRTHF
DATA ·ewconst+744(SB)/8, $0x3f3504f33f3504f3
DATA ·ewconst+752(SB)/8, $0x3f3504f33f3504f3
DATA ·ewconst+760(SB)/8, $0x3f3504f33f3504f3
DATA ·ewconst+768(SB)/8, $0x3d9021bb3d9021bb // C_LP0
DATA ·ewconst+776(SB)/8, $0x3d9021bb3d9021bb
DATA ·ewconst+784(SB)/8, $0x3d9021bb3d9021bb
DATA ·ewconst+792(SB)/8, $0x3d9021bb3d9021bb
DATA ·ewconst+800(SB)/8, $0xbdebd1b8bdebd1b8 // C_LP1
DATA ·ewconst+808(SB)/8, $0xbdebd1b8bdebd1b8
DATA ·ewconst+816(SB)/8, $0xbdebd1b8bdebd1b8
DATA ·ewconst+824(SB)/8, $0xbdebd1b8bdebd1b8
DATA ·ewconst+832(SB)/8, $0x3def251a3def251a // C_LP2
DATA ·ewconst+840(SB)/8, $0x3def251a3def251a
DATA ·ewconst+848(SB)/8, $0x3def251a3def251a
DATA ·ewconst+856(SB)/8, $0x3def251a3def251a
DATA ·ewconst+864(SB)/8, $0xbdfe5d4fbdfe5d4f // C_LP3
DATA ·ewconst+872(SB)/8, $0xbdfe5d4fbdfe5d4f
DATA ·ewconst+880(SB)/8, $0xbdfe5d4fbdfe5d4f
DATA ·ewconst+888(SB)/8, $0xbdfe5d4fbdfe5d4f
DATA ·ewconst+896(SB)/8, $0x3e11e9bf3e11e9bf // C_LP4
DATA ·ewconst+904(SB)/8, $0x3e11e9bf3e11e9bf
DATA ·ewconst+912(SB)/8, $0x3e11e9bf3e11e9bf
DATA ·ewconst+920(SB)/8, $0x3e11e9bf3e11e9bf
DATA ·ewconst+928(SB)/8, $0xbe2aae50be2aae50 // C_LP5
DATA ·ewconst+936(SB)/8, $0xbe2aae50be2aae50
DATA ·ewconst+944(SB)/8, $0xbe2aae50be2aae50
DATA ·ewconst+952(SB)/8, $0xbe2aae50be2aae50
DATA ·ewconst+960(SB)/8, $0x3e4cceac3e4cceac // C_LP6
DATA ·ewconst+968(SB)/8, $0x3e4cceac3e4cceac
DATA ·ewconst+976(SB)/8, $0x3e4cceac3e4cceac
DATA ·ewconst+984(SB)/8, $0x3e4cceac3e4cceac
DATA ·ewconst+992(SB)/8, $0xbe7ffffcbe7ffffc // C_LP7
DATA ·ewconst+1000(SB)/8, $0xbe7ffffcbe7ffffc
DATA ·ewconst+1008(SB)/8, $0xbe7ffffcbe7ffffc
DATA ·ewconst+1016(SB)/8, $0xbe7ffffcbe7ffffc
DATA ·ewconst+1024(SB)/8, $0x3eaaaaaa3eaaaaaa // C_LP8
DATA ·ewconst+1032(SB)/8, $0x3eaaaaaa3eaaaaaa
DATA ·ewconst+1040(SB)/8, $0x3eaaaaaa3eaaaaaa
DATA ·ewconst+1048(SB)/8, $0x3eaaaaaa3eaaaaaa
DATA ·ewconst+1056(SB)/8, $0xbbbaf0eabbbaf0ea // C_TP0
DATA ·ewconst+1064(SB)/8, $0xbbbaf0eabbbaf0ea
DATA ·ewconst+1072(SB)/8, $0xbbbaf0eabbbaf0ea
DATA ·ewconst+1080(SB)/8, $0xbbbaf0eabbbaf0ea
DATA ·ewconst+1088(SB)/8, $0x3ca9134e3ca9134e // C_TP1
DATA ·ewconst+1096(SB)/8, $0x3ca9134e3ca9134e
DATA ·ewconst+1104(SB)/8, $0x3ca9134e3ca9134e
DATA ·ewconst+1112(SB)/8, $0x3ca9134e3ca9134e
DATA ·ewconst+1120(SB)/8, $0xbd5c1e2dbd5c1e2d // C_TP2
DATA ·ewconst+1128(SB)/8, $0xbd5c1e2dbd5c1e2d
DATA ·ewconst+1136(SB)/8, $0xbd5c1e2dbd5c1e2d
DATA ·ewconst+1144(SB)/8, $0xbd5c1e2dbd5c1e2d
DATA ·ewconst+1152(SB)/8, $0x3e0883933e088393 // C_TP3
DATA ·ewconst+1160(SB)/8, $0x3e0883933e088393
DATA ·ewconst+1168(SB)/8, $0x3e0883933e088393
DATA ·ewconst+1176(SB)/8, $0x3e0883933e088393
DATA ·ewconst+1184(SB)/8, $0xbeaaaa99beaaaa99 // C_TP4
DATA ·ewconst+1192(SB)/8, $0xbeaaaa99beaaaa99
DATA ·ewconst+1200(SB)/8, $0xbeaaaa99beaaaa99
DATA ·ewconst+1208(SB)/8, $0xbeaaaa99beaaaa99
DATA ·ewconst+1216(SB)/8, $0x3f2000003f200000 // C_TSMALL
DATA ·ewconst+1224(SB)/8, $0x3f2000003f200000
DATA ·ewconst+1232(SB)/8, $0x3f2000003f200000
DATA ·ewconst+1240(SB)/8, $0x3f2000003f200000
DATA ·ewconst+1248(SB)/8, $0x8000000080000000 // C_SIGN
DATA ·ewconst+1256(SB)/8, $0x8000000080000000
DATA ·ewconst+1264(SB)/8, $0x8000000080000000
DATA ·ewconst+1272(SB)/8, $0x8000000080000000
DATA ·ewconst+1280(SB)/8, $0x7fffffff7fffffff // C_ABS
DATA ·ewconst+1288(SB)/8, $0x7fffffff7fffffff
DATA ·ewconst+1296(SB)/8, $0x7fffffff7fffffff
DATA ·ewconst+1304(SB)/8, $0x7fffffff7fffffff
DATA ·ewconst+1312(SB)/8, $0x33d6bf9533d6bf95 // C_BCELO
DATA ·ewconst+1320(SB)/8, $0x33d6bf9533d6bf95
DATA ·ewconst+1328(SB)/8, $0x33d6bf9533d6bf95
DATA ·ewconst+1336(SB)/8, $0x33d6bf9533d6bf95
DATA ·ewconst+1344(SB)/8, $0x3f7ffffe3f7ffffe // C_BCEHI
DATA ·ewconst+1352(SB)/8, $0x3f7ffffe3f7ffffe
DATA ·ewconst+1360(SB)/8, $0x3f7ffffe3f7ffffe
DATA ·ewconst+1368(SB)/8, $0x3f7ffffe3f7ffffe
GLOBL ·ewconst(SB), RODATA|NOPTR, $1376

// MAP1 is the body of a one-input kernel dst[i] = f(src[i]) (DI = dst, SI = src, CX = n):
// sixteen elements per iteration through F(Y0…) and F(Y8…), then eight, then a masked tail.
#define MAP1_LOOP(F2, F1) \
	LEAQ ·ewconst(SB), R8 \
loop16: \
	CMPQ CX, $16 \
	JLT one8 \
	VMOVUPS (SI), Y0 \
	VMOVUPS 32(SI), Y8 \
	F2 \
	VMOVUPS Y0, (DI) \
	VMOVUPS Y8, 32(DI) \
	ADDQ $64, SI \
	ADDQ $64, DI \
	SUBQ $16, CX \
	JMP loop16 \
one8: \
	CMPQ CX, $8 \
	JLT tail \
	VMOVUPS (SI), Y0 \
	F1 \
	VMOVUPS Y0, (DI) \
	ADDQ $32, SI \
	ADDQ $32, DI \
	SUBQ $8, CX \
tail: \
	TESTQ CX, CX \
	JZ done \
	TAILMASK \
	VMASKMOVPS (SI), Y15, Y0 \
	F1 \
	VMASKMOVPS Y0, Y15, (DI) \
done: \
	VZEROUPPER \
	RET

#define EXP2 EXP(Y0, Y1, Y2, Y3, Y4) \
	EXP(Y8, Y9, Y10, Y11, Y12)
#define EXP1 EXP(Y0, Y1, Y2, Y3, Y4)

// func expAsm(dst, src *float32, n int)
TEXT ·expAsm(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MAP1_LOOP(EXP2, EXP1)

#define LOG2 LOGCORE(Y0, Y1, Y2, Y3, Y4, Y5) \
	LOGFIX(Y0, Y1, Y2) \
	LOGCORE(Y8, Y9, Y10, Y11, Y12, Y13) \
	LOGFIX(Y8, Y9, Y10) \
	VMOVAPS Y1, Y0 \
	VMOVAPS Y9, Y8
#define LOG1 LOGCORE(Y0, Y1, Y2, Y3, Y4, Y5) \
	LOGFIX(Y0, Y1, Y2) \
	VMOVAPS Y1, Y0

// func logAsm(dst, src *float32, n int)
TEXT ·logAsm(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MAP1_LOOP(LOG2, LOG1)

#define SIG2 SIGMOID(Y0, Y1, Y2, Y3, Y4) \
	SIGMOID(Y8, Y9, Y10, Y11, Y12)
#define SIG1 SIGMOID(Y0, Y1, Y2, Y3, Y4)

// func sigmoidAsm(dst, src *float32, n int)
TEXT ·sigmoidAsm(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MAP1_LOOP(SIG2, SIG1)

#define TANH2 TANH(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7) \
	TANH(Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15)
#define TANH1 TANH(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)

// func tanhAsm(dst, src *float32, n int)
TEXT ·tanhAsm(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MAP1_LOOP(TANH2, TANH1)

#define RELU2 VCMPPS NLE_UQ, C_ZERO, Y0, Y1 \
	VANDPS Y0, Y1, Y0 \
	VCMPPS NLE_UQ, C_ZERO, Y8, Y9 \
	VANDPS Y8, Y9, Y8
#define RELU1 VCMPPS NLE_UQ, C_ZERO, Y0, Y1 \
	VANDPS Y0, Y1, Y0

// func reluAsm(dst, src *float32, n int)
TEXT ·reluAsm(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MAP1_LOOP(RELU2, RELU1)

#define SCALE2 VMULPS Y14, Y0, Y0 \
	VMULPS Y14, Y8, Y8
#define SCALE1 VMULPS Y14, Y0, Y0

// func scaleAsm(dst, src *float32, n int, s float32)
TEXT ·scaleAsm(SB), NOSPLIT, $0-28
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS s+24(FP), Y14
	MAP1_LOOP(SCALE2, SCALE1)

// MAP2 is the body of a two-input kernel dst[i] = f(a[i], b[i]) (DI = dst, SI = a,
// DX = b, CX = n): F(Y0, Y1) and F(Y8, Y9) leave the result in Y0 and Y8.
#define MAP2_LOOP(F2, F1) \
	LEAQ ·ewconst(SB), R8 \
loop16: \
	CMPQ CX, $16 \
	JLT one8 \
	VMOVUPS (SI), Y0 \
	VMOVUPS 32(SI), Y8 \
	VMOVUPS (DX), Y1 \
	VMOVUPS 32(DX), Y9 \
	F2 \
	VMOVUPS Y0, (DI) \
	VMOVUPS Y8, 32(DI) \
	ADDQ $64, SI \
	ADDQ $64, DX \
	ADDQ $64, DI \
	SUBQ $16, CX \
	JMP loop16 \
one8: \
	CMPQ CX, $8 \
	JLT tail \
	VMOVUPS (SI), Y0 \
	VMOVUPS (DX), Y1 \
	F1 \
	VMOVUPS Y0, (DI) \
	ADDQ $32, SI \
	ADDQ $32, DX \
	ADDQ $32, DI \
	SUBQ $8, CX \
tail: \
	TESTQ CX, CX \
	JZ done \
	TAILMASK \
	VMASKMOVPS (SI), Y15, Y0 \
	VMASKMOVPS (DX), Y15, Y1 \
	F1 \
	VMASKMOVPS Y0, Y15, (DI) \
done: \
	VZEROUPPER \
	RET

#define ADD2 VADDPS Y1, Y0, Y0 \
	VADDPS Y9, Y8, Y8
#define ADD1 VADDPS Y1, Y0, Y0

// func addAsm(dst, a, b *float32, n int)
TEXT ·addAsm(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	MAP2_LOOP(ADD2, ADD1)

// axpy: dst = dst + alpha·x, the product rounded first (SI = dst, DX = x).
#define AXPY2 VMULPS Y14, Y1, Y1 \
	VADDPS Y1, Y0, Y0 \
	VMULPS Y14, Y9, Y9 \
	VADDPS Y9, Y8, Y8
#define AXPY1 VMULPS Y14, Y1, Y1 \
	VADDPS Y1, Y0, Y0

// func axpyAsm(dst, x *float32, n int, alpha float32)
TEXT ·axpyAsm(SB), NOSPLIT, $0-28
	MOVQ dst+0(FP), DI
	MOVQ dst+0(FP), SI
	MOVQ x+8(FP), DX
	MOVQ n+16(FP), CX
	VBROADCASTSS alpha+24(FP), Y14
	MAP2_LOOP(AXPY2, AXPY1)

// reluBackward: a = dy, b = y: dy where y > 0, else 0.
#define RELUB(dy, y) \
	VCMPPS GT_OQ, C_ZERO, y, y \
	VANDPS dy, y, dy
#define RELUB2 RELUB(Y0, Y1) \
	RELUB(Y8, Y9)
#define RELUB1 RELUB(Y0, Y1)

// func reluBackwardAsm(dz, dy, y *float32, n int)
TEXT ·reluBackwardAsm(SB), NOSPLIT, $0-32
	MOVQ dz+0(FP), DI
	MOVQ dy+8(FP), SI
	MOVQ y+16(FP), DX
	MOVQ n+24(FP), CX
	MAP2_LOOP(RELUB2, RELUB1)

// sigmoidBackward: (dy·y)·(1−y), each product rounded.
#define SIGB(dy, y, t) \
	VMULPS y, dy, dy \
	VMOVUPS C_ONE, t \
	VSUBPS y, t, t \
	VMULPS t, dy, dy
#define SIGB2 SIGB(Y0, Y1, Y2) \
	SIGB(Y8, Y9, Y10)
#define SIGB1 SIGB(Y0, Y1, Y2)

// func sigmoidBackwardAsm(dz, dy, y *float32, n int)
TEXT ·sigmoidBackwardAsm(SB), NOSPLIT, $0-32
	MOVQ dz+0(FP), DI
	MOVQ dy+8(FP), SI
	MOVQ y+16(FP), DX
	MOVQ n+24(FP), CX
	MAP2_LOOP(SIGB2, SIGB1)

// tanhBackward: dy·(1−y·y), each operation rounded.
#define TANHB(dy, y, t) \
	VMULPS y, y, y \
	VMOVUPS C_ONE, t \
	VSUBPS y, t, t \
	VMULPS t, dy, dy
#define TANHB2 TANHB(Y0, Y1, Y2) \
	TANHB(Y8, Y9, Y10)
#define TANHB1 TANHB(Y0, Y1, Y2)

// func tanhBackwardAsm(dz, dy, y *float32, n int)
TEXT ·tanhBackwardAsm(SB), NOSPLIT, $0-32
	MOVQ dz+0(FP), DI
	MOVQ dy+8(FP), SI
	MOVQ y+16(FP), DX
	MOVQ n+24(FP), CX
	MAP2_LOOP(TANHB2, TANHB1)

// BCE: t in Y0, p in Y1 → loss term t·ln q + (1−t)·ln(1−q) in Y4 (NaN where p is NaN),
// gradient (q−t)/(q(1−q)) in Y5 where q = p, else 0; q = clip(p, C_BCELO, C_BCEHI), with
// NaN kept (p is the second source of VMAXPS/VMINPS). Clobbers Y2, Y3, Y6…Y9.
#define BCE \
	VMOVUPS C_BCELO, Y2 \
	VMAXPS Y1, Y2, Y2 \
	VMOVUPS C_BCEHI, Y3 \
	VMINPS Y2, Y3, Y2 \
	VMOVUPS C_ONE, Y3 \
	VSUBPS Y2, Y3, Y3 \
	LOGCORE(Y2, Y4, Y6, Y7, Y8, Y9) \
	LOGCORE(Y3, Y5, Y6, Y7, Y8, Y9) \
	VMULPS Y0, Y4, Y4 \
	VMOVUPS C_ONE, Y6 \
	VSUBPS Y0, Y6, Y6 \
	VMULPS Y6, Y5, Y5 \
	VADDPS Y5, Y4, Y4 \
	VSUBPS Y2, Y2, Y6 \
	VADDPS Y6, Y4, Y4 \
	VCMPPS EQ_OQ, Y1, Y2, Y7 \
	VSUBPS Y0, Y2, Y5 \
	VMULPS Y3, Y2, Y6 \
	VDIVPS Y6, Y5, Y5 \
	VANDPS Y7, Y5, Y5

// BCEACC adds the eight loss terms in Y4, widened to float64, to Y14 (lanes 0–3) and
// Y13 (lanes 4–7).
#define BCEACC \
	VCVTPS2PD X4, Y6 \
	VEXTRACTF128 $1, Y4, X7 \
	VCVTPS2PD X7, Y7 \
	VADDPD Y6, Y14, Y14 \
	VADDPD Y7, Y13, Y13

// func bceAsm(t, p, grad *float32, n int) float64
TEXT ·bceAsm(SB), NOSPLIT, $0-40
	MOVQ t+0(FP), SI
	MOVQ p+8(FP), DX
	MOVQ grad+16(FP), DI
	MOVQ n+24(FP), CX
	LEAQ ·ewconst(SB), R8
	VXORPD Y14, Y14, Y14
	VXORPD Y13, Y13, Y13
bloop:
	CMPQ CX, $8
	JLT btail
	VMOVUPS (SI), Y0
	VMOVUPS (DX), Y1
	BCE
	BCEACC
	TESTQ DI, DI
	JZ bnograd
	VMOVUPS Y5, (DI)
	ADDQ $32, DI
bnograd:
	ADDQ $32, SI
	ADDQ $32, DX
	SUBQ $8, CX
	JMP bloop
btail:
	TESTQ CX, CX
	JZ bsum
	TAILMASK
	VMASKMOVPS (SI), Y15, Y0
	VMASKMOVPS (DX), Y15, Y1
	BCE
	VANDPS Y15, Y4, Y4
	BCEACC
	TESTQ DI, DI
	JZ bsum
	VMASKMOVPS Y5, Y15, (DI)
bsum:
	VADDPD Y13, Y14, Y14
	VEXTRACTF128 $1, Y14, X13
	VADDPD X13, X14, X14
	VUNPCKHPD X14, X14, X13
	VADDSD X13, X14, X14
	MOVSD X14, ret+32(FP)
	VZEROUPPER
	RET

// Optimizer updates: eight parameters per iteration, a masked tail; every product and sum
// rounded separately (no fused multiply-add), so the results equal the Go loops bit for bit.

// func rmspropAsm(w, grad, a *float32, n int, lr, rho, eps float32)
TEXT ·rmspropAsm(SB), NOSPLIT, $0-44
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ a+16(FP), DX
	MOVQ n+24(FP), CX
	LEAQ ·ewconst(SB), R8
	VBROADCASTSS lr+32(FP), Y10
	VBROADCASTSS rho+36(FP), Y11
	VBROADCASTSS eps+40(FP), Y12
	VMOVUPS C_ONE, Y13
	VSUBPS Y11, Y13, Y13
	VXORPS Y14, Y14, Y14

#define RMSPROP \
	VMULPS Y11, Y2, Y2 \
	VMULPS Y13, Y1, Y3 \
	VMULPS Y1, Y3, Y3 \
	VADDPS Y3, Y2, Y2 \
	VSQRTPS Y2, Y3 \
	VADDPS Y12, Y3, Y3 \
	VMULPS Y10, Y1, Y4 \
	VDIVPS Y3, Y4, Y4 \
	VSUBPS Y4, Y0, Y0

rloop:
	CMPQ CX, $8
	JLT rtail
	VMOVUPS (DI), Y0
	VMOVUPS (SI), Y1
	VMOVUPS (DX), Y2
	RMSPROP
	VMOVUPS Y0, (DI)
	VMOVUPS Y14, (SI)
	VMOVUPS Y2, (DX)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, DX
	SUBQ $8, CX
	JMP rloop
rtail:
	TESTQ CX, CX
	JZ rdone
	TAILMASK
	VMASKMOVPS (DI), Y15, Y0
	VMASKMOVPS (SI), Y15, Y1
	VMASKMOVPS (DX), Y15, Y2
	RMSPROP
	VMASKMOVPS Y0, Y15, (DI)
	VMASKMOVPS Y14, Y15, (SI)
	VMASKMOVPS Y2, Y15, (DX)
rdone:
	VZEROUPPER
	RET

// func adamAsm(w, grad, m, v *float32, n int, lrT, beta1, beta2, eps float32)
TEXT ·adamAsm(SB), NOSPLIT, $0-56
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), DX
	MOVQ v+24(FP), BX
	MOVQ n+32(FP), CX
	LEAQ ·ewconst(SB), R8
	VBROADCASTSS lrT+40(FP), Y8
	VBROADCASTSS beta1+44(FP), Y9
	VBROADCASTSS beta2+48(FP), Y10
	VBROADCASTSS eps+52(FP), Y11
	VMOVUPS C_ONE, Y12
	VSUBPS Y9, Y12, Y12
	VMOVUPS C_ONE, Y13
	VSUBPS Y10, Y13, Y13
	VXORPS Y14, Y14, Y14

// w Y0, g Y1, m Y2, v Y3
#define ADAM \
	VMULPS Y9, Y2, Y2 \
	VMULPS Y12, Y1, Y4 \
	VADDPS Y4, Y2, Y2 \
	VMULPS Y10, Y3, Y3 \
	VMULPS Y13, Y1, Y4 \
	VMULPS Y1, Y4, Y4 \
	VADDPS Y4, Y3, Y3 \
	VSQRTPS Y3, Y4 \
	VADDPS Y11, Y4, Y4 \
	VMULPS Y8, Y2, Y5 \
	VDIVPS Y4, Y5, Y5 \
	VSUBPS Y5, Y0, Y0

aloop:
	CMPQ CX, $8
	JLT atail
	VMOVUPS (DI), Y0
	VMOVUPS (SI), Y1
	VMOVUPS (DX), Y2
	VMOVUPS (BX), Y3
	ADAM
	VMOVUPS Y0, (DI)
	VMOVUPS Y14, (SI)
	VMOVUPS Y2, (DX)
	VMOVUPS Y3, (BX)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, BX
	SUBQ $8, CX
	JMP aloop
atail:
	TESTQ CX, CX
	JZ adone
	TAILMASK
	VMASKMOVPS (DI), Y15, Y0
	VMASKMOVPS (SI), Y15, Y1
	VMASKMOVPS (DX), Y15, Y2
	VMASKMOVPS (BX), Y15, Y3
	ADAM
	VMASKMOVPS Y0, Y15, (DI)
	VMASKMOVPS Y14, Y15, (SI)
	VMASKMOVPS Y2, Y15, (DX)
	VMASKMOVPS Y3, Y15, (BX)
adone:
	VZEROUPPER
	RET

// func adadeltaAsm(w, grad, a, d *float32, n int, lr, rho, eps float32)
TEXT ·adadeltaAsm(SB), NOSPLIT, $0-52
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ a+16(FP), DX
	MOVQ d+24(FP), BX
	MOVQ n+32(FP), CX
	LEAQ ·ewconst(SB), R8
	VBROADCASTSS lr+40(FP), Y10
	VBROADCASTSS rho+44(FP), Y11
	VBROADCASTSS eps+48(FP), Y12
	VMOVUPS C_ONE, Y13
	VSUBPS Y11, Y13, Y13
	VXORPS Y14, Y14, Y14

// w Y0, g Y1, a Y2, d Y3
#define ADADELTA \
	VMULPS Y11, Y2, Y2 \
	VMULPS Y13, Y1, Y4 \
	VMULPS Y1, Y4, Y4 \
	VADDPS Y4, Y2, Y2 \
	VADDPS Y12, Y3, Y4 \
	VSQRTPS Y4, Y4 \
	VMULPS Y4, Y1, Y4 \
	VADDPS Y12, Y2, Y5 \
	VSQRTPS Y5, Y5 \
	VDIVPS Y5, Y4, Y4 \
	VMULPS Y10, Y4, Y5 \
	VSUBPS Y5, Y0, Y0 \
	VMULPS Y11, Y3, Y3 \
	VMULPS Y13, Y4, Y5 \
	VMULPS Y4, Y5, Y5 \
	VADDPS Y5, Y3, Y3

dloop:
	CMPQ CX, $8
	JLT dtail
	VMOVUPS (DI), Y0
	VMOVUPS (SI), Y1
	VMOVUPS (DX), Y2
	VMOVUPS (BX), Y3
	ADADELTA
	VMOVUPS Y0, (DI)
	VMOVUPS Y14, (SI)
	VMOVUPS Y2, (DX)
	VMOVUPS Y3, (BX)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, BX
	SUBQ $8, CX
	JMP dloop
dtail:
	TESTQ CX, CX
	JZ ddone
	TAILMASK
	VMASKMOVPS (DI), Y15, Y0
	VMASKMOVPS (SI), Y15, Y1
	VMASKMOVPS (DX), Y15, Y2
	VMASKMOVPS (BX), Y15, Y3
	ADADELTA
	VMASKMOVPS Y0, Y15, (DI)
	VMASKMOVPS Y14, Y15, (SI)
	VMASKMOVPS Y2, Y15, (DX)
	VMASKMOVPS Y3, Y15, (BX)
ddone:
	VZEROUPPER
	RET
