package kernels

import "fmt"

// 2× nearest upsampling followed by a 3×3 "same" stride-1 convolution to one output channel
// (the sigmoid output layer of the denoise model, 32 channels → 1), on the small image.
// Output pixel (2·oy+a, 2·ox+b) of the convolution of the upsampled image sees only the 2×2
// block of x at rows oy+a−1, oy+a and columns ox+b−1, ox+b, so phase ph = 2a+b is the 2×2
// convolution of x with its phase kernel wab[ph] [2, 2, C] (the sums of the 3×3 taps that
// fall on each x pixel; see nn/conv2d_up.go):
//
//	y[n, 2oy+a, 2ox+b]  = bias + Σ_{t,u<2} Σ_c P[n, oy+a+t, ox+b+u, c] · wab[ph, t, u, c]
//	dwab[ph, t, u, c]  += Σ_n Σ_{oy,ox} P[n, oy+a+t, ox+b+u, c] · dz[n, 2oy+a, 2ox+b]
//	dx[n, y, x, c]    (+)= Σ_ph Σ_{t,u} dz[n, 2(y+1−a−t)+a, 2(x+1−b−u)+b] · wab[ph, t, u, c]
//
// (dz taken 0 off the output grid), with P the image x [N, H, W, C] padded by one pixel on
// every side: PadDirect(p, x, g) with g = F1UpGeom(N, H, W, C). The single-filter kernels
// of conv_f1.go run each phase on P in place (row stride (W+2)·C), so neither the
// upsampled tensor nor its padded copy is written, and each output pixel costs 4·C
// multiply-adds instead of 9·C. Every output element is formed by the same operations
// whatever the number of workers.

// F1UpGeom is the sweep geometry whose PadDirect writes the P of the fused single-filter
// upsampling convolution of x [n, h, w, c]: a 3×3 "same" sweep of the small image.
func F1UpGeom(n, h, w, c int) ConvGeom {
	return ConvGeom{N: n, H: h, W: w, C: c, KH: 3, KW: 3, SH: 1, SW: 1, PT: 1, PL: 1, OH: h, OW: w}
}

func (g *ConvGeom) checkF1Up(op string) {
	g.checkDirect(op)
	if g.KH != 3 || g.KW != 3 || g.PT != 1 || g.PL != 1 || g.OH != g.H || g.OW != g.W {
		panic(fmt.Sprintf("kernels.%s: geometry %+v is not F1UpGeom's", op, *g))
	}
}

// f1UpChunk is the most output pixels of one phase row formed at once (in the workspace's
// tile, which also holds the 8 floats of convF1RowK's narrow rows).
const f1UpChunk = MR*NR - 8

// ConvF1Up writes y [N, 2H, 2W] = bias + the upsampled convolution (see above), with P from
// PadDirect(·, x, g), g = F1UpGeom(N, H, W, C), and the phase kernels wab [4, 2, 2, C].
// Output rows are spread over the workers.
func ConvF1Up(y, p, wab []float32, bias float32, g ConvGeom) {
	g.checkF1Up("ConvF1Up")
	if len(y) < 4*g.N*g.H*g.W || len(p) < DirectPadLen(g) || len(wab) < 16*g.C {
		panic(fmt.Sprintf("kernels.ConvF1Up: geometry %+v, len(y) %d, len(p) %d, len(wab) %d", g, len(y), len(p), len(wab)))
	}
	j := getF1Job()
	j.y, j.p, j.w, j.g, j.bias = y, p, wab, g, bias
	j.fn, j.units = f1UpForward, g.N*2*g.H
	j.parts = f1Parts(16*g.N*g.H*g.W*g.C, j.units)
	runParts(j, j.parts, &j.wg)
	putF1Job(j)
}

func f1UpForward(j *f1Job, lo, hi int, ws *workspace) {
	g := &j.g
	c := g.C
	hp, wp := directPadded(g)
	rs, ow := wp*c, 2*g.W
	tmp, tail := ws.tile[:f1UpChunk], ws.tile[f1UpChunk:]
	for r := lo; r < hi; r++ {
		n, yy := r/(2*g.H), r%(2*g.H)
		oy, a := yy/2, yy%2
		yr := j.y[r*ow : (r+1)*ow]
		for b := 0; b < 2; b++ {
			ph := 2*a + b
			w := j.wab(ph, c)
			pr := j.p[((n*hp+oy+a)*wp+b)*c:]
			for x0 := 0; x0 < g.W; x0 += f1UpChunk {
				cw := min(f1UpChunk, g.W-x0)
				convF1RowK(tmp[:cw], pr[x0*c:], w, cw, 2, 2*c, rs, c, j.bias, tail)
				for x, v := range tmp[:cw] {
					yr[2*(x0+x)+b] = v
				}
			}
		}
	}
}

// wab returns phase kernel ph of j.w ([4, 2, 2, c]).
func (j *f1Job) wab(ph, c int) []float32 { return j.w[ph*4*c : (ph+1)*4*c] }

// F1UpPartLen is the scratch ConvF1UpKernelGrad needs: per image its four phases of dz
// (4·H·W floats) and its phase-kernel gradient sums (16·C floats).
func F1UpPartLen(g ConvGeom) int { return g.N * (4*g.H*g.W + 16*g.C) }

// ConvF1UpKernelGrad adds the phase-kernel gradients (see above) into dwab [4, 2, 2, C] for
// the output gradient dz [N, 2H, 2W], with P from PadDirect(·, ·, g), g = F1UpGeom(N, H,
// W, C): every image's sums (each phase over its pixels in order) go into its own buffer
// of part (F1UpPartLen floats), and the buffers are added into dwab in image order. Images
// are spread over the workers.
func ConvF1UpKernelGrad(dwab, p, dz, part []float32, g ConvGeom) {
	g.checkF1Up("ConvF1UpKernelGrad")
	if len(dwab) < 16*g.C || len(p) < DirectPadLen(g) || len(dz) < 4*g.N*g.H*g.W || len(part) < F1UpPartLen(g) {
		panic(fmt.Sprintf("kernels.ConvF1UpKernelGrad: geometry %+v, len(dwab) %d, len(p) %d, len(dz) %d, len(part) %d",
			g, len(dwab), len(p), len(dz), len(part)))
	}
	j := getF1Job()
	j.y, j.p, j.w, j.g = part, p, dz, g
	j.fn, j.units = f1UpKernelGrad, g.N
	j.parts = f1Parts(16*g.N*g.H*g.W*g.C, j.units)
	runParts(j, j.parts, &j.wg)
	putF1Job(j)
	k := 16 * g.C
	dwab = dwab[:k]
	for n := 0; n < g.N; n++ {
		addK(dwab, dwab, part[n*k:(n+1)*k])
	}
}

func f1UpKernelGrad(j *f1Job, lo, hi int, ws *workspace) {
	g := &j.g
	c := g.C
	hp, wp := directPadded(g)
	rs, k, img := wp*c, 16*c, g.H*g.W
	ow := 2 * g.W
	for n := lo; n < hi; n++ {
		acc := j.y[n*k : (n+1)*k]
		clear(acc)
		dzs := j.y[g.N*k+n*4*img:][:4*img]
		dz := j.w[n*4*img:][:4*img]
		// The four phases of this image's dz, each [H, W].
		for yy := 0; yy < 2*g.H; yy++ {
			oy, a := yy/2, yy%2
			src := dz[yy*ow : (yy+1)*ow]
			d0 := dzs[(2*a)*img+oy*g.W:][:g.W]
			d1 := dzs[(2*a+1)*img+oy*g.W:][:g.W]
			for x := range d0 {
				d0[x], d1[x] = src[2*x], src[2*x+1]
			}
		}
		for ph := 0; ph < 4; ph++ {
			a, b := ph/2, ph%2
			for t := 0; t < 2; t++ {
				convF1GradK(acc[(ph*2+t)*2*c:][:2*c], j.p[((n*hp+a+t)*wp+b)*c:], dzs[ph*img:][:img], g.H, g.W, 2*c, rs, c)
			}
		}
	}
}

// f1UpBackGeom is the padded dz of one phase for the input gradient: [N, H+1, W+1], one
// channel, phase (a, b) placed a rows and b columns in.
func f1UpBackGeom(g *ConvGeom) ConvGeom {
	return ConvGeom{N: g.N, H: g.H, W: g.W, C: 1, KH: 2, KW: 2, SH: 1, SW: 1, PT: 0, PL: 0, OH: g.H, OW: g.W}
}

// F1UpBackLen is the scratch ConvF1UpInputGrad needs: the four padded phases of dz.
func F1UpBackLen(g ConvGeom) int { return 4 * DirectPadLen(f1UpBackGeom(&g)) }

// ConvF1UpInputGrad sets dx [N, H, W, C] = beta·dx + the input gradient of the upsampled
// convolution (see above) for the output gradient dz [N, 2H, 2W] and the phase kernels wab
// [4, 2, 2, C], g = F1UpGeom(N, H, W, C); d (F1UpBackLen floats) is scratch for the
// padded phases of dz. Each dx row sums the phases in order 0…3. beta is 0 or 1. Rows of
// dx are spread over the workers.
func ConvF1UpInputGrad(dx []float32, beta float32, dz, d, wab []float32, g ConvGeom) {
	g.checkF1Up("ConvF1UpInputGrad")
	if len(dx) < g.N*g.H*g.W*g.C || len(dz) < 4*g.N*g.H*g.W || len(d) < F1UpBackLen(g) || len(wab) < 16*g.C || beta != 0 && beta != 1 {
		panic(fmt.Sprintf("kernels.ConvF1UpInputGrad: geometry %+v, len(dx) %d, len(dz) %d, len(d) %d, len(wab) %d, beta %v",
			g, len(dx), len(dz), len(d), len(wab), beta))
	}
	// D_ph[n, yy, xx] = dz[n, 2(yy−a)+a, 2(xx−b)+b] for 0 ≤ yy−a < H, 0 ≤ xx−b < W, else 0.
	h1, w1 := g.H+1, g.W+1
	per := DirectPadLen(f1UpBackGeom(&g))
	ow := 2 * g.W
	for ph := 0; ph < 4; ph++ {
		a, b := ph/2, ph%2
		dp := d[ph*per : (ph+1)*per]
		clear(dp)
		for n := 0; n < g.N; n++ {
			for oy := 0; oy < g.H; oy++ {
				src := dz[(n*2*g.H+2*oy+a)*ow:][:ow]
				dst := dp[(n*h1+oy+a)*w1+b:][:g.W]
				for x := range dst {
					dst[x] = src[2*x+b]
				}
			}
		}
	}
	j := getF1Job()
	// The flipped phase kernels: wf[ph, t, u, c] = wab[ph, 1−t, 1−u, c].
	c := g.C
	j.wf = growFloat32(j.wf, 16*c)
	for ph := 0; ph < 4; ph++ {
		for q := 0; q < 4; q++ {
			copy(j.wf[(ph*4+q)*c:][:c], wab[(ph*4+3-q)*c:][:c])
		}
	}
	j.y, j.p, j.g = dx, d, g
	j.beta = int(beta)
	j.fn, j.units = f1UpInputGrad, g.N*g.H
	j.parts = f1Parts(16*g.N*g.H*g.W*c, j.units)
	runParts(j, j.parts, &j.wg)
	putF1Job(j)
}

func f1UpInputGrad(j *f1Job, lo, hi int, ws *workspace) {
	g := &j.g
	c := g.C
	w1 := g.W + 1
	per := DirectPadLen(f1UpBackGeom(g))
	for r := lo; r < hi; r++ {
		n, y := r/g.H, r%g.H
		dr := j.y[r*g.W*c : (r+1)*g.W*c]
		beta := j.beta
		for ph := 0; ph < 4; ph++ {
			convF1BackRowK(dr, j.p[ph*per+(n*(g.H+1)+y)*w1:], j.wf[ph*4*c:][:4*c], g.W, 2, 2, c, w1, beta)
			beta = 1
		}
	}
}
