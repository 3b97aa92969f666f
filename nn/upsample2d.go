package nn

import (
	"fmt"

	"fugo/autodiff"
	"fugo/internal/kernels"
)

// UpSampling2D is Keras' nearest-neighbour upsampling of NHWC images: every pixel repeated
// SH×SW times, y[b, y, x, c] = x[b, ⌊y/SH⌋, ⌊x/SW⌋, c], [B, H, W, C] → [B, SH·H, SW·W, C].
// The backward pass sums each block of gradients into its source pixel.
type UpSampling2D struct {
	Name string
	Size [2]int
}

// NewUpSampling2D returns an sh×sw nearest-neighbour upsampling.
func NewUpSampling2D(name string, sh, sw int) *UpSampling2D {
	if sh <= 0 || sw <= 0 {
		panic(fmt.Sprintf("nn.NewUpSampling2D %q: size %d×%d must be positive", name, sh, sw))
	}
	return &UpSampling2D{Name: name, Size: [2]int{sh, sw}}
}

// Params returns nothing.
func (u *UpSampling2D) Params() []Param { return nil }

// Call upsamples x [B, H, W, C] to [B, SH·H, SW·W, C].
func (u *UpSampling2D) Call(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	xs := x.Value.Shape
	if len(xs) != 4 {
		panic(fmt.Sprintf("nn.UpSampling2D %q: input shape %v, want [B, H, W, C]", u.Name, xs))
	}
	nb, h, w, c := xs[0], xs[1], xs[2], xs[3]
	sh, sw := u.Size[0], u.Size[1]
	out := tp.NewVar(tp.Needs(x, nil), nb, h*sh, w*sw, c)
	y, xd := out.Value.Data, x.Value.Data
	if sh == 2 && sw == 2 {
		kernels.UpSample2x2(y, xd, nb, h, w, c)
		tp.Record(autodiff.Node{Backward: upSampleBackward, In: [3]*autodiff.Var{x}, Out: out, Aux: u, Assigns: 1})
		return out
	}
	rowOut := w * sw * c
	for b := 0; b < nb; b++ {
		for iy := 0; iy < h; iy++ {
			first := y[((b*h+iy)*sh)*rowOut:][:rowOut]
			src := xd[(b*h+iy)*w*c:][:w*c]
			if c == 1 && sw == 2 {
				for ix, v := range src {
					first[2*ix], first[2*ix+1] = v, v
				}
			} else {
				for ix := 0; ix < w; ix++ {
					px := src[ix*c : ix*c+c]
					for r := 0; r < sw; r++ {
						copy(first[(ix*sw+r)*c:], px)
					}
				}
			}
			for r := 1; r < sh; r++ {
				copy(y[((b*h+iy)*sh+r)*rowOut:][:rowOut], first)
			}
		}
	}
	tp.Record(autodiff.Node{Backward: upSampleBackward, In: [3]*autodiff.Var{x}, Out: out, Aux: u, Assigns: 1})
	return out
}

func upSampleBackward(n *autodiff.Node) {
	u := n.Aux.(*UpSampling2D)
	xs := n.In[0].Value.Shape
	nb, h, w, c := xs[0], xs[1], xs[2], xs[3]
	sh, sw := u.Size[0], u.Size[1]
	dx, assign := n.In[0].GradForWrite()
	dy := n.Out.Grad.Data
	if sh == 2 && sw == 2 {
		kernels.UpSample2x2Backward(dx, dy, nb, h, w, c, assign)
		return
	}
	if assign {
		clear(dx)
	}
	rowOut := w * sw * c
	for b := 0; b < nb; b++ {
		for iy := 0; iy < h; iy++ {
			d := dx[(b*h+iy)*w*c:][:w*c]
			for r := 0; r < sh; r++ {
				g := dy[((b*h+iy)*sh+r)*rowOut:][:rowOut]
				for ix := 0; ix < w; ix++ {
					px := d[ix*c : ix*c+c]
					for s := 0; s < sw; s++ {
						for ch, v := range g[(ix*sw+s)*c:][:c] {
							px[ch] += v
						}
					}
				}
			}
		}
	}
}
