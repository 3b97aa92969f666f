// Package vmath has float32 elementary functions that are several times faster than
// converting to float64 and calling package math, for the elementwise hot loops of
// activations and losses. They follow the Cephes single-precision algorithms (S. L.
// Moshier): range reduction by powers of two and a minimax polynomial, accurate to about
// 2 ulp over the whole float32 range (tests check the bound against package math).
package vmath

import (
	"math"
)

const (
	ln2Hi = 0.693359375    // ln 2, high part: exact in a few bits
	ln2Lo = -2.12194440e-4 // ln 2 − ln2Hi
	log2e = 1.44269504088896341
	// expMax and expMin bound the arguments whose e^x is a finite, normal float32.
	expMax = 88.72283905206835
	expMin = -87.33654475055310
)

// Exp returns e^x for float32 x: +Inf above ~88.72, 0 below ~−87.34 (where the result
// would be subnormal), NaN for NaN.
func Exp(x float32) float32 {
	switch {
	case x != x:
		return x
	case x > expMax:
		return float32(math.Inf(1))
	case x < expMin:
		return 0
	}
	// x = n·ln2 + r, |r| ≤ ln2/2
	fx := float32(math.Floor(float64(log2e*x + 0.5)))
	n := int32(fx)
	r := x - fx*ln2Hi
	r -= fx * ln2Lo
	z := r * r
	p := ((((1.9875691500e-4*r+1.3981999507e-3)*r+8.3334519073e-3)*r+4.1665795894e-2)*r+1.6666665459e-1)*r + 5.0000001201e-1
	y := p*z + r + 1
	// y·2^n, split in two steps so that n = 128 (x near expMax) does not overflow the
	// exponent field on the way.
	if n > 127 {
		return y * 2 * math.Float32frombits(uint32(n-1+127)<<23)
	}
	return y * math.Float32frombits(uint32(n+127)<<23)
}

// Log returns the natural logarithm of x: −Inf at ±0, NaN below zero or for NaN, +Inf at
// +Inf. Subnormal arguments are handled.
func Log(x float32) float32 {
	switch {
	case x != x || x < 0:
		return float32(math.NaN())
	case x == 0:
		return float32(math.Inf(-1))
	case x > math.MaxFloat32:
		return x
	}
	bits := math.Float32bits(x)
	e := int32(bits>>23) - 126
	if bits>>23 == 0 { // subnormal: scale by 2^23 first
		bits = math.Float32bits(x * (1 << 23))
		e = int32(bits>>23) - 126 - 23
	}
	// m in [0.5, 1)
	m := math.Float32frombits(bits&0x807fffff | 126<<23)
	if m < 0.707106781186547524 {
		e--
		m = m + m - 1
	} else {
		m = m - 1
	}
	z := m * m
	y := ((((((((7.0376836292e-2*m-1.1514610310e-1)*m+1.1676998740e-1)*m-1.2420140846e-1)*m+1.4249322787e-1)*m-1.6668057665e-1)*m+2.0000714765e-1)*m-2.4999993993e-1)*m + 3.3333331174e-1) * m * z
	fe := float32(e)
	y += ln2Lo * fe
	y -= 0.5 * z
	return m + y + ln2Hi*fe
}
