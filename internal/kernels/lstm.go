package kernels

import "fmt"

// LSTM gate kernels: the elementwise part of one LSTM step for one batch row, forward and
// backward (nn.LSTM calls them once per row and step, between the Gemm calls of the
// recurrent products). With AVX2/FMA they run in assembly (lstm_amd64.s), 8 units per
// instruction, the last 1–7 units through masked loads and stores, sigmoid and tanh as
// the SIGMOID and TANH of the elementwise kernels (≤ 3 and ≤ 2 ulp); otherwise the pure-Go
// loops of lstm_go.go (the tests' oracle; an inlined Cephes e^x, a few ulps).
//
// A row of z holds the four gate blocks of U units each in Keras' order i, f, c (the
// candidate g), o.

// LSTMCell is the forward step of one row. On entry z [4U] holds the pre-activations
// x_t·W + h_{t−1}·R, to which bias [4U] (b; nil: none) is added; on return z holds the
// gates i, f, g, o. c, tc and h [U] receive c_t, tanh(c_t) and h_t; cprev [U] is c_{t−1},
// or nil for the zero state. Reference loop (a = z + bias):
//
//	for j := 0; j < U; j++ {
//		i, f, g, o := σ(a[j]), σ(a[U+j]), tanh(a[2U+j]), σ(a[3U+j])
//		z[j], z[U+j], z[2U+j], z[3U+j] = i, f, g, o
//		c[j] = i·g + f·cprev[j]   // i·g when cprev is nil
//		tc[j] = tanh(c[j])
//		h[j] = o·tc[j]
//	}
//
// The slices must not overlap. It panics when a length differs from U = len(c).
func LSTMCell(z, bias, c, tc, cprev, h []float32) {
	u := len(c)
	if len(z) != 4*u || bias != nil && len(bias) != 4*u || len(tc) != u || len(h) != u || cprev != nil && len(cprev) != u {
		panic(fmt.Sprintf("kernels.LSTMCell: len(z) %d, len(bias) %d, len(c) %d, len(tc) %d, len(cprev) %d, len(h) %d: want 4U, 4U or nil, U, U, U or nil, U",
			len(z), len(bias), u, len(tc), len(cprev), len(h)))
	}
	if u == 0 {
		return
	}
	lstmCellK(z, bias, c, tc, cprev, h)
}

// LSTMCellBackward is the backward step of one row. z [4U] holds the gates i, f, g, o of
// the forward step on entry and receives dL/dz on return; tc [U] is tanh(c_t); cprev [U]
// is c_{t−1} (nil: the zero state); dy [U] is the gradient arriving at h_t from the layer's
// output (nil: none at this step); dh [U] the gradient arriving at h_t from step t+1 (read
// only); dc [U] the gradient at c_t from step t+1 on entry, at c_{t−1} on return.
// Reference loop:
//
//	for j := 0; j < U; j++ {
//		i, f, g, o := z[j], z[U+j], z[2U+j], z[3U+j]
//		dH := dh[j] + dy[j]                   // dh[j] when dy is nil
//		dC := dc[j] + dH·o·(1 − tc[j]²)
//		z[j] = dC·g·i·(1 − i)
//		z[U+j] = dC·cprev[j]·f·(1 − f)        // 0 when cprev is nil
//		z[2U+j] = dC·i·(1 − g²)
//		z[3U+j] = dH·tc[j]·o·(1 − o)
//		dc[j] = dC·f
//	}
//
// The slices must not overlap. It panics when a length differs from U = len(tc).
func LSTMCellBackward(z, tc, cprev, dy, dh, dc []float32) {
	u := len(tc)
	if len(z) != 4*u || len(dh) != u || len(dc) != u || cprev != nil && len(cprev) != u || dy != nil && len(dy) != u {
		panic(fmt.Sprintf("kernels.LSTMCellBackward: len(z) %d, len(tc) %d, len(cprev) %d, len(dy) %d, len(dh) %d, len(dc) %d: want 4U, U, U or nil, U or nil, U, U",
			len(z), u, len(cprev), len(dy), len(dh), len(dc)))
	}
	if u == 0 {
		return
	}
	lstmCellBackwardK(z, tc, cprev, dy, dh, dc)
}
