//go:build !noasm && amd64

package kernels

// Assembly LSTM gate kernels (lstm_amd64.s). u is the number of units; pointers that may
// be nil (bias, cprev, dy) are tested in the assembly.

//go:noescape
func lstmCellAsm(z, bias, c, tc, cprev, h *float32, u int)

//go:noescape
func lstmCellBackwardAsm(z, tc, cprev, dy, dh, dc *float32, u int)

func lstmCellK(z, bias, c, tc, cprev, h []float32) {
	if !useAsm {
		lstmCellGo(z, bias, c, tc, cprev, h)
		return
	}
	var cp, bp *float32
	if cprev != nil {
		cp = &cprev[0]
	}
	if bias != nil {
		bp = &bias[0]
	}
	lstmCellAsm(&z[0], bp, &c[0], &tc[0], cp, &h[0], len(c))
}

func lstmCellBackwardK(z, tc, cprev, dy, dh, dc []float32) {
	if !useAsm {
		lstmCellBackwardGo(z, tc, cprev, dy, dh, dc)
		return
	}
	var cp, d *float32
	if cprev != nil {
		cp = &cprev[0]
	}
	if dy != nil {
		d = &dy[0]
	}
	lstmCellBackwardAsm(&z[0], &tc[0], cp, d, &dh[0], &dc[0], len(tc))
}
