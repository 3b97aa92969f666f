package kernels

import (
	"fmt"
	"math"
)

// Direct 3×3 convolution of one-channel images (the first layer of the MNIST autoencoders):
// with a single input channel the im2col matrix is only 9 floats wide, and its multiply,
// the bias, the ReLU and their backward passes are all passes over the large output. These
// kernels do the forward pass in one sweep of the output and the backward pass (ReLU mask,
// bias and kernel gradients) in one sweep of its gradient.

// C1Filters reports whether the one-channel kernels take f filters: a multiple of 8 up to 64.
func C1Filters(f int) bool { return f > 0 && f%8 == 0 && f <= 64 }

// PadC1 copies x [nb, h, w] into xpad [nb, h+2, w+2] with a border of zeros.
func PadC1(xpad, x []float32, nb, h, w int) {
	if len(x) != nb*h*w || len(xpad) != nb*(h+2)*(w+2) {
		panic(fmt.Sprintf("kernels.PadC1: %d×%d×%d image with len(x) %d, len(xpad) %d", nb, h, w, len(x), len(xpad)))
	}
	pw := w + 2
	for b := 0; b < nb; b++ {
		img := xpad[b*(h+2)*pw : (b+1)*(h+2)*pw]
		clear(img[:pw])
		for y := 0; y < h; y++ {
			row := img[(y+1)*pw : (y+2)*pw]
			row[0], row[pw-1] = 0, 0
			copy(row[1:pw-1], x[(b*h+y)*w:(b*h+y+1)*w])
		}
		clear(img[(h+1)*pw:])
	}
}

// Conv3x3C1ReLU is a 3×3, stride-1, "same" convolution of one-channel images with ReLU:
//
//	y[b, oy, ox, o] = max(bias[o] + Σ_{i,j<3} xpad[b, oy+i, ox+j]·w[(3i+j)·f + o], 0)
//
// (each product added with one fused multiply-add, in the order of i, then j; +0 for a
// non-positive sum, NaN kept) for xpad = PadC1(x) [nb, h+2, wd+2], w the Keras kernel
// [3, 3, 1, f], y [nb, h, wd, f], f as C1Filters. Images are spread over the workers.
func Conv3x3C1ReLU(y, xpad, w, bias []float32, nb, h, wd, f int) {
	if !C1Filters(f) || len(y) != nb*h*wd*f || len(xpad) != nb*(h+2)*(wd+2) || len(w) != 9*f || len(bias) != f {
		panic(fmt.Sprintf("kernels.Conv3x3C1ReLU: %d×%d×%d images, %d filters, len(y) %d, len(xpad) %d, len(w) %d, len(bias) %d",
			nb, h, wd, f, len(y), len(xpad), len(w), len(bias)))
	}
	j := getConvJob()
	j.x = [4][]float32{y, xpad, w, bias}
	j.i = [6]int{nb, h, wd, f}
	j.runUnits(convC1, nb, len(y))
	putConvJob(j)
}

func convC1(j *convJob, lo, hi int) {
	y, xpad, w, bias := j.x[0], j.x[1], j.x[2], j.x[3]
	h, wd, f := j.i[1], j.i[2], j.i[3]
	pw := wd + 2
	for b := lo; b < hi; b++ {
		for oy := 0; oy < h; oy++ {
			r := xpad[(b*(h+2)+oy)*pw:][:3*pw]
			c1RowK(y[(b*h+oy)*wd*f:][:wd*f], r, w, bias, wd, f)
		}
	}
}

// Conv3x3C1ReLUBackward is Conv3x3C1ReLU's backward pass for the kernel and the bias:
// with dZ = dy where y > 0, else 0,
//
//	dw[(3i+j)·f + o] += Σ_{b,oy,ox} xpad[b, oy+i, ox+j]·dZ[b, oy, ox, o],  db[o] += Σ dZ[…, o]
//
// summed per image (fused multiply-adds over the image's pixels in order) and the images
// added in order, so the result does not depend on the number of workers. part is scratch
// of nb·10·f floats. dy is not changed.
func Conv3x3C1ReLUBackward(dw, db, dy, y, xpad, part []float32, nb, h, wd, f int) {
	if !C1Filters(f) || len(y) != nb*h*wd*f || len(dy) != len(y) || len(xpad) != nb*(h+2)*(wd+2) || len(dw) != 9*f || len(db) != f || len(part) < nb*10*f {
		panic(fmt.Sprintf("kernels.Conv3x3C1ReLUBackward: %d×%d×%d images, %d filters, len(dy) %d, len(y) %d, len(xpad) %d, len(dw) %d, len(db) %d, len(part) %d",
			nb, h, wd, f, len(dy), len(y), len(xpad), len(dw), len(db), len(part)))
	}
	j := getConvJob()
	j.x = [4][]float32{dy, y, xpad, part}
	j.i = [6]int{nb, h, wd, f}
	j.runUnits(convC1Back, nb, len(y))
	putConvJob(j)
	for b := 0; b < nb; b++ {
		acc := part[b*10*f : (b+1)*10*f]
		addK(dw, dw, acc[:9*f])
		addK(db, db, acc[9*f:])
	}
}

// C1PoolPartLen is the scratch Conv3x3C1ReLUPool and Conv3x3C1ReLUPoolBackward need: per
// image its gradient sums (10·f) and four rows of the unpooled image (4·wd·f).
func C1PoolPartLen(nb, wd, f int) int { return nb * (10*f + 4*wd*f) }

// Conv3x3C1ReLUPool is Conv3x3C1ReLU followed by MaxPool2x2 of its output: py and idx
// [nb, ⌈h/2⌉, ⌈wd/2⌉, f] get the pooled values and their window positions, bit for bit
// those of the two steps, but the rows of the convolution pass through part
// (C1PoolPartLen floats, two rows per image) instead of a full-size output. Images are
// spread over the workers.
func Conv3x3C1ReLUPool(py, idx, xpad, w, bias, part []float32, nb, h, wd, f int) {
	oh, ow := (h+1)/2, (wd+1)/2
	if !C1Filters(f) || len(py) != nb*oh*ow*f || len(idx) != len(py) || len(xpad) != nb*(h+2)*(wd+2) || len(w) != 9*f || len(bias) != f ||
		len(part) < C1PoolPartLen(nb, wd, f) {
		panic(fmt.Sprintf("kernels.Conv3x3C1ReLUPool: %d×%d×%d images, %d filters, len(py) %d, len(idx) %d, len(xpad) %d, len(w) %d, len(bias) %d, len(part) %d",
			nb, h, wd, f, len(py), len(idx), len(xpad), len(w), len(bias), len(part)))
	}
	j := getConvJob()
	j.x = [4][]float32{py, xpad, w, bias}
	j.x2 = part
	j.y2 = idx
	j.i = [6]int{nb, h, wd, f}
	j.runUnits(convC1Pool, nb, nb*h*wd*f)
	putConvJob(j)
}

func convC1Pool(j *convJob, lo, hi int) {
	py, xpad, w, bias := j.x[0], j.x[1], j.x[2], j.x[3]
	part, idx := j.x2, j.y2
	nb, h, wd, f := j.i[0], j.i[1], j.i[2], j.i[3]
	oh, ow := (h+1)/2, (wd+1)/2
	pw, rl := wd+2, wd*f
	for b := lo; b < hi; b++ {
		rows := part[nb*10*f+b*4*rl:][:2*rl]
		for oy := 0; oy < oh; oy++ {
			n := min(2, h-2*oy)
			for q := 0; q < n; q++ {
				yy := 2*oy + q
				c1RowK(rows[q*rl:(q+1)*rl], xpad[(b*(h+2)+yy)*pw:][:3*pw], w, bias, wd, f)
			}
			var r1 []float32
			if n == 2 {
				r1 = rows[rl:]
			}
			r := (b*oh + oy) * ow * f
			maxPoolRow(py[r:r+ow*f], idx[r:r+ow*f], rows[:rl], r1, wd, f)
		}
	}
}

// Conv3x3C1ReLUPoolBackward is Conv3x3C1ReLUBackward after MaxPool2x2 of the convolution's
// output: with py, idx [nb, ⌈h/2⌉, ⌈wd/2⌉, f] the pooled output and its window positions
// (Conv3x3C1ReLUPool or MaxPool2x2) and dy its gradient, it forms the same sums as
// MaxPool2x2Backward (assigning) into a gradient dY of the convolution's output followed
// by Conv3x3C1ReLUBackward, bit for bit, but two rows of dY at a time in part
// (C1PoolPartLen floats), so the full-size dY is never written. The ReLU mask at each
// pixel is taken from py spread back to its window position (0 elsewhere, where dY is 0
// anyway), so the convolution's full-size output is not needed either.
func Conv3x3C1ReLUPoolBackward(dw, db, dy, idx, py, xpad, part []float32, nb, h, wd, f int) {
	oh, ow := (h+1)/2, (wd+1)/2
	if !C1Filters(f) || len(py) != nb*oh*ow*f || len(dy) != len(py) || len(idx) != len(dy) || len(xpad) != nb*(h+2)*(wd+2) ||
		len(dw) != 9*f || len(db) != f || len(part) < C1PoolPartLen(nb, wd, f) {
		panic(fmt.Sprintf("kernels.Conv3x3C1ReLUPoolBackward: %d×%d×%d images, %d filters, len(dy) %d, len(idx) %d, len(py) %d, len(xpad) %d, len(dw) %d, len(db) %d, len(part) %d",
			nb, h, wd, f, len(dy), len(idx), len(py), len(xpad), len(dw), len(db), len(part)))
	}
	j := getConvJob()
	j.x = [4][]float32{dy, py, xpad, part}
	j.x2 = idx
	j.i = [6]int{nb, h, wd, f}
	j.runUnits(convC1PoolBack, nb, nb*h*wd*f)
	putConvJob(j)
	for b := 0; b < nb; b++ {
		acc := part[b*10*f : (b+1)*10*f]
		addK(dw, dw, acc[:9*f])
		addK(db, db, acc[9*f:])
	}
}

func convC1PoolBack(j *convJob, lo, hi int) {
	dy, py, xpad, part := j.x[0], j.x[1], j.x[2], j.x[3]
	idx := j.x2
	nb, h, wd, f := j.i[0], j.i[1], j.i[2], j.i[3]
	oh, ow := (h+1)/2, (wd+1)/2
	pw, rl := wd+2, wd*f
	for b := lo; b < hi; b++ {
		acc := part[b*10*f : (b+1)*10*f]
		clear(acc)
		rows := part[nb*10*f+b*4*rl:][:4*rl] // two rows of dY, then two of y's mask
		for oy := 0; oy < oh; oy++ {
			r := (b*oh + oy) * ow * f
			g, ir, yr := dy[r:r+ow*f], idx[r:r+ow*f], py[r:r+ow*f]
			n := min(2, h-2*oy)
			var d1, m1 []float32
			if n == 2 {
				d1, m1 = rows[rl:2*rl], rows[3*rl:]
			}
			maxPoolBackRow(rows[:rl], d1, g, ir, wd, f, 1)
			maxPoolBackRow(rows[2*rl:3*rl], m1, yr, ir, wd, f, 1)
			for q := 0; q < n; q++ {
				yy := 2*oy + q
				c1BackRowK(acc, rows[q*rl:(q+1)*rl], rows[(2+q)*rl:(3+q)*rl], xpad[(b*(h+2)+yy)*pw:][:3*pw], wd, f)
			}
		}
	}
}

func convC1Back(j *convJob, lo, hi int) {
	dy, y, xpad, part := j.x[0], j.x[1], j.x[2], j.x[3]
	h, wd, f := j.i[1], j.i[2], j.i[3]
	pw := wd + 2
	for b := lo; b < hi; b++ {
		acc := part[b*10*f : (b+1)*10*f]
		clear(acc)
		for oy := 0; oy < h; oy++ {
			r := xpad[(b*(h+2)+oy)*pw:][:3*pw]
			o := (b*h + oy) * wd * f
			c1BackRowK(acc, dy[o:o+wd*f], y[o:o+wd*f], r, wd, f)
		}
	}
}

// fma32 is a·b + c rounded once (the product of two float32 is exact in float64; the sum
// is rounded to float64 and then to float32, which can differ from a float32 FMA in the
// last bit in rare cases).
func fma32(a, b, c float32) float32 { return float32(math.FMA(float64(a), float64(b), float64(c))) }

// c1RowGo computes one output row: r holds the three padded input rows (pitch wd+2).
func c1RowGo(y, r, w, bias []float32, wd, f int) {
	pw := wd + 2
	for ox := 0; ox < wd; ox++ {
		yo := y[ox*f : ox*f+f]
		for o := range yo {
			s := bias[o]
			for t := 0; t < 9; t++ {
				s = fma32(r[(t/3)*pw+ox+t%3], w[t*f+o], s)
			}
			if s <= 0 {
				s = 0
			}
			yo[o] = s
		}
	}
}

// c1BackRowGo adds one output row's kernel and bias gradients into acc [9·f | f].
func c1BackRowGo(acc, dy, y, r []float32, wd, f int) {
	pw := wd + 2
	for ox := 0; ox < wd; ox++ {
		for o := 0; o < f; o++ {
			g := dy[ox*f+o]
			if !(y[ox*f+o] > 0) {
				g = 0
			}
			for t := 0; t < 9; t++ {
				acc[t*f+o] = fma32(r[(t/3)*pw+ox+t%3], g, acc[t*f+o])
			}
			acc[9*f+o] += g
		}
	}
}
