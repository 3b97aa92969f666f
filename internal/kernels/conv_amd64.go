//go:build !noasm && amd64

package kernels

// Assembly kernels of conv.go (conv_amd64.s); each is the Go loop of the same name with Go
// replaced by Asm, for p and c multiples of 8.

//go:noescape
func biasReluAsm(y, pat *float32, nblk, p int)

//go:noescape
func reluBackBiasAsm(dz, y, acc *float32, nblk, p int)

//go:noescape
func colSumAsm(m, acc *float32, nblk, p int)

//go:noescape
func maxPool2Asm(y, idx, r0, r1 *float32, fw, c int)

//go:noescape
func maxPool2BackAsm(d0, d1, grad, idx *float32, fw, c, assign int)

//go:noescape
func upBack2Asm(dx, g0, g1 *float32, w, c, assign int)

func biasReluK(y, pat []float32, nblk, p int) {
	if useAsm && nblk > 0 {
		_, _ = y[nblk*p-1], pat[p-1]
		biasReluAsm(&y[0], &pat[0], nblk, p)
		return
	}
	biasReluGo(y, pat, nblk, p)
}

func reluBackBiasK(dz, y, acc []float32, nblk, p int) {
	if useAsm && nblk > 0 {
		_, _, _ = dz[nblk*p-1], y[nblk*p-1], acc[p-1]
		reluBackBiasAsm(&dz[0], &y[0], &acc[0], nblk, p)
		return
	}
	reluBackBiasGo(dz, y, acc, nblk, p)
}

func colSumK(m, acc []float32, nblk, p int) {
	if useAsm && nblk > 0 {
		_, _ = m[nblk*p-1], acc[p-1]
		colSumAsm(&m[0], &acc[0], nblk, p)
		return
	}
	colSumGo(m, acc, nblk, p)
}

func maxPool2K(y, idx, r0, r1 []float32, fw, c int) {
	if useAsm && fw > 0 && c%8 == 0 {
		_, _, _, _ = y[fw*c-1], idx[fw*c-1], r0[2*fw*c-1], r1[2*fw*c-1]
		maxPool2Asm(&y[0], &idx[0], &r0[0], &r1[0], fw, c)
		return
	}
	maxPool2Go(y, idx, r0, r1, fw, c)
}

func maxPool2BackK(d0, d1, g, idx []float32, fw, c, assign int) {
	if useAsm && fw > 0 && c%8 == 0 {
		_, _, _, _ = d0[2*fw*c-1], d1[2*fw*c-1], g[fw*c-1], idx[fw*c-1]
		maxPool2BackAsm(&d0[0], &d1[0], &g[0], &idx[0], fw, c, assign)
		return
	}
	maxPool2BackGo(d0, d1, g, idx, fw, c, assign)
}

func upBack2K(dx, g0, g1 []float32, w, c, assign int) {
	if useAsm && w > 0 && c%8 == 0 {
		_, _, _ = dx[w*c-1], g0[2*w*c-1], g1[2*w*c-1]
		upBack2Asm(&dx[0], &g0[0], &g1[0], w, c, assign)
		return
	}
	upBack2Go(dx, g0, g1, w, c, assign)
}

//go:noescape
func c1RowAsm(y, r, w, bias *float32, wd, f, pw int)

//go:noescape
func c1BackRowAsm(acc, dy, y, r *float32, wd, f, pw int)

func c1RowK(y, r, w, bias []float32, wd, f int) {
	if useAsm && wd > 0 {
		_, _, _, _ = y[wd*f-1], r[3*(wd+2)-1], w[9*f-1], bias[f-1]
		c1RowAsm(&y[0], &r[0], &w[0], &bias[0], wd, f, wd+2)
		return
	}
	c1RowGo(y, r, w, bias, wd, f)
}

func c1BackRowK(acc, dy, y, r []float32, wd, f int) {
	if useAsm && wd > 0 {
		_, _, _, _ = acc[10*f-1], dy[wd*f-1], y[wd*f-1], r[3*(wd+2)-1]
		c1BackRowAsm(&acc[0], &dy[0], &y[0], &r[0], wd, f, wd+2)
		return
	}
	c1BackRowGo(acc, dy, y, r, wd, f)
}
