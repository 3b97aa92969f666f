// Shared by elementwise_amd64.s and lstm_amd64.s: the offsets of the constant table
// ·ewconst (each constant one float32 or int32 repeated 8 times; the table and the tail mask
// ·tailmask are defined in elementwise_amd64.s), the VCMPPS predicates, and the EXP,
// LOGCORE, LOGFIX, SIGMOID and TANH macros. Every kernel keeps the table's base in R8.

#define C_ONE 0(R8)
#define C_HALF 32(R8)
#define C_TWO 64(R8)
#define C_ZERO 96(R8)
#define C_EXPHI 128(R8)
#define C_EXPLO 160(R8)
#define C_LOG2E 192(R8)
#define C_LN2HI 224(R8)
#define C_LN2LO 256(R8)
#define C_EP0 288(R8)
#define C_EP1 320(R8)
#define C_EP2 352(R8)
#define C_EP3 384(R8)
#define C_EP4 416(R8)
#define C_EP5 448(R8)
#define C_I127 480(R8)
#define C_INF 512(R8)
#define C_NEGINF 544(R8)
#define C_MANT 576(R8)
#define C_I126 608(R8)
#define C_I23 640(R8)
#define C_MINNORM 672(R8)
#define C_TWO23 704(R8)
#define C_SQRTHF 736(R8)
#define C_LP0 768(R8)
#define C_LP1 800(R8)
#define C_LP2 832(R8)
#define C_LP3 864(R8)
#define C_LP4 896(R8)
#define C_LP5 928(R8)
#define C_LP6 960(R8)
#define C_LP7 992(R8)
#define C_LP8 1024(R8)
#define C_TP0 1056(R8)
#define C_TP1 1088(R8)
#define C_TP2 1120(R8)
#define C_TP3 1152(R8)
#define C_TP4 1184(R8)
#define C_TSMALL 1216(R8)
#define C_SIGN 1248(R8)
#define C_ABS 1280(R8)
#define C_BCELO 1312(R8)
#define C_BCEHI 1344(R8)

// Comparison predicates of VCMPPS.
#define EQ_OQ $0x00
#define UNORD_Q $0x03
#define LT_OQ $0x11
#define LE_OQ $0x12
#define NLE_UQ $0x16
#define NGE_UQ $0x19
#define GT_OQ $0x1e

// TAILMASK sets Y15 to the mask of the first CX (1…7) lanes; clobbers AX, CX.
#define TAILMASK \
	LEAQ ·tailmask(SB), AX \
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

// LOGCORE: y = ln x for positive, finite x (subnormals included), as vmath.Log with fused
// multiply-adds: x = m·2^e, m in [√½, √2), ln x = ln(1+(m−1)) by the Cephes polynomial
// + e·ln2. x is kept; temporaries t1…t4.
#define LOGCORE(x, y, t1, t2, t3, t4) \
	VCMPPS LT_OQ, C_MINNORM, x, t4 \
	VMULPS C_TWO23, x, t1 \
	VBLENDVPS t4, t1, x, t1 \
	VANDPS C_I23, t4, t4 \
	VPSRLD $23, t1, t2 \
	VPSUBD t4, t2, t2 \
	VPSUBD C_I126, t2, t2 \
	VANDPS C_MANT, t1, t1 \
	VORPS C_HALF, t1, t1 \
	VCMPPS LT_OQ, C_SQRTHF, t1, t3 \
	VPADDD t3, t2, t2 \
	VANDPS t1, t3, t3 \
	VSUBPS C_ONE, t1, t1 \
	VADDPS t3, t1, t1 \
	VCVTDQ2PS t2, t2 \
	VMULPS t1, t1, t3 \
	VMOVUPS C_LP0, y \
	VFMADD213PS C_LP1, t1, y \
	VFMADD213PS C_LP2, t1, y \
	VFMADD213PS C_LP3, t1, y \
	VFMADD213PS C_LP4, t1, y \
	VFMADD213PS C_LP5, t1, y \
	VFMADD213PS C_LP6, t1, y \
	VFMADD213PS C_LP7, t1, y \
	VFMADD213PS C_LP8, t1, y \
	VMULPS t1, y, y \
	VMULPS t3, y, y \
	VFMADD231PS C_LN2LO, t2, y \
	VFNMADD231PS C_HALF, t3, y \
	VADDPS t1, y, y \
	VFMADD231PS C_LN2HI, t2, y

// LOGFIX: y = −Inf where x = ±0, +Inf where x = +Inf, NaN where x < 0 or x is NaN.
#define LOGFIX(x, y, t) \
	VCMPPS EQ_OQ, C_ZERO, x, t \
	VBLENDVPS t, C_NEGINF, y, y \
	VCMPPS EQ_OQ, C_INF, x, t \
	VBLENDVPS t, C_INF, y, y \
	VCMPPS NGE_UQ, C_ZERO, x, t \
	VORPS t, y, y

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

