//go:build !noasm && amd64

package kernels

// Assembly kernels of conv_f1.go (conv_f1_amd64.s) for channel counts that are multiples
// of 8; each K wrapper checks the reach of its pointers and falls back to the Go loop.

// convF1RowAsm writes ng groups of 8 outputs: y[x] = bias + Σ_i Σ_v p[i·rs + x·cs + v]·w[i·kwc + v]
// (rs, cs in bytes, kwc = 8·kwc8 floats).
//
//go:noescape
func convF1RowAsm(y, p, w *float32, ng, kh, kwc8, rs, cs int, bias float32)

// convF1Grad6Asm adds Σ_{r<rows, x<n} dz[r·n+x]·p[r·rs + x·cs + v] into acc[v], v < 48.
//
//go:noescape
func convF1Grad6Asm(acc, p, dz *float32, rows, n, rs, cs int)

// convF1Grad1Asm is convF1Grad6Asm for v < 8.
//
//go:noescape
func convF1Grad1Asm(acc, p, dz *float32, rows, n, rs, cs int)

// convF1BackRowAsm is convF1BackRowGo for c = 8·c8 (rsd, cs in bytes).
//
//go:noescape
func convF1BackRowAsm(dx, d, wf *float32, w, kh, kw, c8, rsd, cs, beta int)

// convF1RowK writes one output row of ConvF1 (ow pixels); the assembly forms groups of 8
// pixels, the last one overlapping the one before (the same values written again) or, on
// rows narrower than 8, going through tmp (8 floats). p must reach 8 pixels past the row.
func convF1RowK(y, p, w []float32, ow, kh, kwc, rs, c int, bias float32, tmp []float32) {
	if !useAsm || c%8 != 0 || ow <= 0 {
		convF1RowGo(y, p, w, ow, kh, kwc, rs, c, bias)
		return
	}
	last := max(ow-8, 0) // the first pixel of the last group
	_, _, _ = y[ow-1], w[kh*kwc-1], p[(kh-1)*rs+(last+7)*c+kwc-1]
	if ng := ow / 8; ng > 0 {
		convF1RowAsm(&y[0], &p[0], &w[0], ng, kh, kwc/8, rs*4, c*4, bias)
	}
	if ow%8 == 0 {
		return
	}
	if ow > 8 {
		convF1RowAsm(&y[last], &p[last*c], &w[0], 1, kh, kwc/8, rs*4, c*4, bias)
		return
	}
	tmp = tmp[:8]
	convF1RowAsm(&tmp[0], &p[0], &w[0], 1, kh, kwc/8, rs*4, c*4, bias)
	copy(y[:ow], tmp)
}

// convF1GradK is convF1GradGo: bands of 48 sums, then of 8.
func convF1GradK(acc, p, dz []float32, rows, n, kwc, rs, c int) {
	if !useAsm || c%8 != 0 || rows <= 0 || n <= 0 {
		convF1GradGo(acc, p, dz, rows, n, kwc, rs, c)
		return
	}
	_, _, _ = acc[kwc-1], dz[rows*n-1], p[(rows-1)*rs+(n-1)*c+kwc-1]
	v := 0
	for ; v+48 <= kwc; v += 48 {
		convF1Grad6Asm(&acc[v], &p[v], &dz[0], rows, n, rs*4, c*4)
	}
	for ; v < kwc; v += 8 {
		convF1Grad1Asm(&acc[v], &p[v], &dz[0], rows, n, rs*4, c*4)
	}
}

// convF1BackRowK is convF1BackRowGo.
func convF1BackRowK(dx, d, wf []float32, w, kh, kw, c, rsd, beta int) {
	if !useAsm || c%8 != 0 || w <= 0 {
		convF1BackRowGo(dx, d, wf, w, kh, kw, c, rsd, beta)
		return
	}
	_, _, _ = dx[w*c-1], d[(kh-1)*rsd+w-1+kw-1], wf[kh*kw*c-1]
	convF1BackRowAsm(&dx[0], &d[0], &wf[0], w, kh, kw, c/8, rsd*4, c*4, beta)
}
