package kernels

import (
	"fmt"
	"runtime"
)

// ConvGeom describes a 2-D window sweep over a batch of NHWC images: N images of H×W pixels
// with C channels, a KH×KW window moved by strides SH, SW, the image padded with PT rows on
// top and PL columns on the left (zeros; padding below and right is implied by OH, OW),
// giving OH×OW window positions per image.
type ConvGeom struct {
	N, H, W, C int
	KH, KW     int
	SH, SW     int
	PT, PL     int
	OH, OW     int
}

// K is the length of one im2col row: KH·KW·C.
func (g *ConvGeom) K() int { return g.KH * g.KW * g.C }

// Rows is the number of im2col rows: N·OH·OW.
func (g *ConvGeom) Rows() int { return g.N * g.OH * g.OW }

// Identity reports whether im2col is the identity (a 1×1 window, stride 1, no padding,
// output as large as the input): the image itself is then its column matrix.
func (g *ConvGeom) Identity() bool {
	return g.KH == 1 && g.KW == 1 && g.SH == 1 && g.SW == 1 && g.PT == 0 && g.PL == 0 && g.OH == g.H && g.OW == g.W
}

func (g *ConvGeom) check(op string, img, cols []float32) {
	if g.N < 0 || g.H < 0 || g.W < 0 || g.C <= 0 || g.KH <= 0 || g.KW <= 0 || g.SH <= 0 || g.SW <= 0 || g.OH < 0 || g.OW < 0 {
		panic(fmt.Sprintf("kernels.%s: bad geometry %+v", op, *g))
	}
	if len(img) < g.N*g.H*g.W*g.C || len(cols) < g.Rows()*g.K() {
		panic(fmt.Sprintf("kernels.%s: geometry %+v needs an image of %d and columns of %d floats, got %d and %d",
			op, *g, g.N*g.H*g.W*g.C, g.Rows()*g.K(), len(img), len(cols)))
	}
}

// Im2col copies every window of the image src [N, H, W, C] into a row of dst
// [N·OH·OW, KH·KW·C], in the order of a Keras kernel [KH, KW, C, ·]:
//
//	for b, oy, ox, i, j, ch:
//		dst[((b·OH+oy)·OW+ox)·K + (i·KW+j)·C + ch] = src[b, oy·SH+i−PT, ox·SW+j−PL, ch]
//
// with 0 where the position falls outside the image. The rows are split among the workers
// of the kernel pool; a warm call allocates nothing.
func Im2col(dst, src []float32, g ConvGeom) {
	g.check("Im2col", src, dst)
	parallelRows(&g, dst, src, false)
}

// Col2im is Im2col's adjoint: it adds every row of cols [N·OH·OW, KH·KW·C] back into the
// window it came from in dst [N, H, W, C] (dst += col2im(cols)); positions outside the
// image are dropped. Windows overlap, so it runs on the calling goroutine only.
func Col2im(dst, cols []float32, g ConvGeom) {
	g.check("Col2im", dst, cols)
	k := g.K()
	rowLen := g.KW * g.C
	for b := 0; b < g.N; b++ {
		for oy := 0; oy < g.OH; oy++ {
			for ox := 0; ox < g.OW; ox++ {
				p := (b*g.OH+oy)*g.OW + ox
				row := cols[p*k : p*k+k]
				x0 := ox*g.SW - g.PL
				for i := 0; i < g.KH; i++ {
					y := oy*g.SH + i - g.PT
					if y < 0 || y >= g.H {
						continue
					}
					base := (b*g.H + y) * g.W
					seg := row[i*rowLen : i*rowLen+rowLen]
					for j := 0; j < g.KW; j++ {
						x := x0 + j
						if x < 0 || x >= g.W {
							continue
						}
						d := dst[(base+x)*g.C : (base+x)*g.C+g.C]
						s := seg[j*g.C : j*g.C+g.C]
						for ch, v := range s {
							d[ch] += v
						}
					}
				}
			}
		}
	}
}

// im2colRows fills rows [r0, r1) of dst.
func im2colRows(g *ConvGeom, dst, src []float32, r0, r1 int) {
	if g.C == 1 {
		im2colRowsC1(g, dst, src, r0, r1)
		return
	}
	k := g.K()
	c := g.C
	rowLen := g.KW * c
	perImage := g.OH * g.OW
	b, rem := r0/perImage, r0%perImage
	oy, ox := rem/g.OW, rem%g.OW
	for p := r0; p < r1; p++ {
		row := dst[p*k : p*k+k]
		x0 := ox*g.SW - g.PL
		inside := x0 >= 0 && x0+g.KW <= g.W
		y := oy*g.SH - g.PT
		for i := 0; i < g.KH; i, y = i+1, y+1 {
			seg := row[i*rowLen : i*rowLen+rowLen]
			if y < 0 || y >= g.H {
				clear(seg)
				continue
			}
			base := (b*g.H + y) * g.W
			if inside {
				s := src[(base+x0)*c:]
				if rowLen <= 12 {
					s = s[:len(seg)]
					for q := range seg {
						seg[q] = s[q]
					}
				} else {
					copy(seg, s)
				}
				continue
			}
			for j := 0; j < g.KW; j++ {
				x := x0 + j
				d := seg[j*c : j*c+c]
				if x < 0 || x >= g.W {
					clear(d)
					continue
				}
				copy(d, src[(base+x)*c:(base+x)*c+c])
			}
		}
		if ox++; ox == g.OW {
			ox = 0
			if oy++; oy == g.OH {
				oy = 0
				b++
			}
		}
	}
}

// im2colRowsC1 is im2colRows for one channel, where a window row is only KW floats: it
// sweeps each run of positions along an output row once per kernel row, with the source
// image row fixed.
func im2colRowsC1(g *ConvGeom, dst, src []float32, r0, r1 int) {
	k := g.KH * g.KW
	perImage := g.OH * g.OW
	b, rem := r0/perImage, r0%perImage
	oy, ox := rem/g.OW, rem%g.OW
	for p := r0; p < r1; {
		n := min(g.OW-ox, r1-p)
		for i := 0; i < g.KH; i++ {
			y := oy*g.SH + i - g.PT
			if y < 0 || y >= g.H {
				for q := 0; q < n; q++ {
					clear(dst[(p+q)*k+i*g.KW : (p+q)*k+i*g.KW+g.KW])
				}
				continue
			}
			row := src[(b*g.H+y)*g.W : (b*g.H+y+1)*g.W]
			for q := 0; q < n; q++ {
				d := dst[(p+q)*k+i*g.KW : (p+q)*k+i*g.KW+g.KW]
				x0 := (ox+q)*g.SW - g.PL
				if x0 >= 0 && x0+g.KW <= g.W {
					s := row[x0 : x0+g.KW]
					if g.KW == 3 {
						d[0], d[1], d[2] = s[0], s[1], s[2]
					} else {
						copy(d, s)
					}
					continue
				}
				for j := range d {
					if x := x0 + j; x >= 0 && x < g.W {
						d[j] = row[x]
					} else {
						d[j] = 0
					}
				}
			}
		}
		p += n
		if ox += n; ox == g.OW {
			ox = 0
			if oy++; oy == g.OH {
				oy = 0
				b++
			}
		}
	}
}

// Below this many floats written, Im2col runs on the calling goroutine.
const parallelIm2col = 1 << 15

// rowJob is one parallel Im2col call shared by its parts.
type rowJob struct {
	g        ConvGeom
	dst, src []float32
	parts    int
	wg       partsDone
}

func (j *rowJob) runPart(part int, _ *workspace) {
	rows := j.g.Rows()
	im2colRows(&j.g, j.dst, j.src, part*rows/j.parts, (part+1)*rows/j.parts)
}

// freeRowJobs recycles Im2col jobs (channels survive garbage collections).
var freeRowJobs = make(chan *rowJob, 16)

// parallelRows runs im2colRows over all rows, split among GOMAXPROCS goroutines (the caller
// and persistent workers).
func parallelRows(g *ConvGeom, dst, src []float32, _ bool) {
	rows := g.Rows()
	parts := min(runtime.GOMAXPROCS(0), rows)
	if parts <= 1 || rows*g.K() < parallelIm2col {
		im2colRows(g, dst, src, 0, rows)
		return
	}
	var j *rowJob
	select {
	case j = <-freeRowJobs:
	default:
		j = new(rowJob)
	}
	j.g, j.dst, j.src, j.parts = *g, dst, src, parts
	runParts(j, parts, &j.wg)
	j.dst, j.src = nil, nil
	select {
	case freeRowJobs <- j:
	default:
	}
}
