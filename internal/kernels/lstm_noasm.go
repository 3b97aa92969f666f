//go:build noasm || !amd64

package kernels

// Without assembly, the LSTM gate kernels are the pure-Go loops of lstm_go.go.

func lstmCellK(z, bias, c, tc, cprev, h []float32) { lstmCellGo(z, bias, c, tc, cprev, h) }

func lstmCellBackwardK(z, tc, cprev, dy, dh, dc []float32) {
	lstmCellBackwardGo(z, tc, cprev, dy, dh, dc)
}
