package kernels

import "math"

// Pure-Go LSTM gate loops: the fallback for -tags noasm and CPUs without AVX2/FMA, and
// the tests' oracle for lstm_amd64.s.

func lstmCellGo(z, bias, c, tc, cprev, h []float32) {
	u := len(c)
	zi, zf, zc, zo := z[:u], z[u:2*u], z[2*u:3*u], z[3*u:4*u]
	tc, h = tc[:u], h[:u]
	for j := 0; j < u; j++ {
		ai, af, ac, ao := zi[j], zf[j], zc[j], zo[j]
		if bias != nil {
			ai, af, ac, ao = ai+bias[j], af+bias[u+j], ac+bias[2*u+j], ao+bias[3*u+j]
		}
		i := lstmSigmoid(ai)
		fg := lstmSigmoid(af)
		gg := lstmTanh(ac)
		o := lstmSigmoid(ao)
		ct := i * gg
		if cprev != nil {
			ct += fg * cprev[j]
		}
		zi[j], zf[j], zc[j], zo[j] = i, fg, gg, o
		c[j] = ct
		th := lstmTanh(ct)
		tc[j] = th
		h[j] = o * th
	}
}

func lstmCellBackwardGo(z, tc, cprev, dy, dh, dc []float32) {
	u := len(tc)
	zi, zf, zc, zo := z[:u], z[u:2*u], z[2*u:3*u], z[3*u:4*u]
	dh, dc = dh[:u], dc[:u]
	for j := 0; j < u; j++ {
		i, fg, gg, o := zi[j], zf[j], zc[j], zo[j]
		dhv := dh[j]
		if dy != nil {
			dhv += dy[j]
		}
		t := tc[j]
		dcv := dc[j] + dhv*o*(1-t*t)
		var cp float32
		if cprev != nil {
			cp = cprev[j]
		}
		zi[j] = dcv * gg * i * (1 - i)
		zf[j] = dcv * cp * fg * (1 - fg)
		zc[j] = dcv * i * (1 - gg*gg)
		zo[j] = dhv * t * o * (1 - o)
		dc[j] = dcv * fg
	}
}

// lstmSigmoid is 1/(1+e^−z); it saturates to 0 and 1 without NaN.
func lstmSigmoid(z float32) float32 { return 1 / (1 + lstmExp(-z)) }

// lstmTanh is tanh z = (1 − e^−2|z|)/(1 + e^−2|z|) with the sign of z, accurate to a few
// float32 ulps in absolute terms.
func lstmTanh(z float32) float32 {
	a := z
	if a < 0 {
		a = -a
	}
	e := lstmExp(-2 * a)
	t := (1 - e) / (1 + e)
	if z < 0 {
		return -t
	}
	return t
}

// lstmExp is e^x for the gates: vmath.Exp's Cephes polynomial (a few ulps) with the
// argument clamped to [−87.3, 88], and the rounding to the nearest power of two done
// with the 1.5·2^23 trick instead of math.Floor, which makes it small enough to inline
// (3× faster in the gate loop). NaN stays NaN.
func lstmExp(x float32) float32 {
	if x > 88 {
		x = 88
	}
	if x < -87.3 {
		x = -87.3
	}
	const magic = 12582912 // 1.5·2^23: adding it rounds to an integer
	k := (x*1.44269504088896341 + magic) - magic
	r := x - k*0.693359375
	r -= k * -2.12194440e-4
	p := ((((1.9875691500e-4*r+1.3981999507e-3)*r+8.3334519073e-3)*r+4.1665795894e-2)*r+1.6666665459e-1)*r + 5.0000001201e-1
	y := p*(r*r) + r + 1
	return y * math.Float32frombits(uint32(int32(k)+127)<<23)
}
