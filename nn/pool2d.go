package nn

import (
	"fmt"
	"math"

	"fugo/autodiff"
	"fugo/internal/kernels"
)

// MaxPooling2D is Keras' 2-D max pooling over NHWC images:
//
//	y[b, oy, ox, c] = max_{i<PH, j<PW} x[b, oy·sh+i−pt, ox·sw+j−pl, c]
//
// over the positions inside the image, x [B, H, W, C] → [B, OH, OW, C]. Strides default to
// the pool size; Same padding rounds up (7 → 4 with a 2×2 pool), Valid rounds down (7 → 3).
// The backward pass sends each output's gradient to the input its maximum came from (the
// first one on ties), using the window offsets saved in a tape scratch buffer. The 2×2,
// stride-2 pooling of the autoencoders runs on vectorised kernels (kernels.MaxPool2x2).
type MaxPooling2D struct {
	Name     string
	PoolSize [2]int
	Strides  [2]int
	Padding  Padding
}

// NewMaxPooling2D returns a ph×pw max pooling with strides equal to the pool size.
func NewMaxPooling2D(name string, ph, pw int, padding Padding) *MaxPooling2D {
	if ph <= 0 || pw <= 0 {
		panic(fmt.Sprintf("nn.NewMaxPooling2D %q: pool %d×%d must be positive", name, ph, pw))
	}
	if _, err := ParsePadding(string(padding)); err != nil {
		panic(fmt.Sprintf("nn.NewMaxPooling2D %q: %v", name, err))
	}
	return &MaxPooling2D{Name: name, PoolSize: [2]int{ph, pw}, Strides: [2]int{ph, pw}, Padding: padding}
}

// Params returns nothing: pooling has no weights.
func (m *MaxPooling2D) Params() []Param { return nil }

// OutputShape returns (OH, OW) for an H×W input.
func (m *MaxPooling2D) OutputShape(h, w int) (oh, ow int) {
	oh, _ = m.Padding.outSize(h, m.PoolSize[0], m.Strides[0])
	ow, _ = m.Padding.outSize(w, m.PoolSize[1], m.Strides[1])
	return oh, ow
}

// Call pools x [B, H, W, C] into [B, OH, OW, C].
func (m *MaxPooling2D) Call(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	xs := x.Value.Shape
	if len(xs) != 4 {
		panic(fmt.Sprintf("nn.MaxPooling2D %q: input shape %v, want [B, H, W, C]", m.Name, xs))
	}
	if m.Strides[0] <= 0 || m.Strides[1] <= 0 {
		panic(fmt.Sprintf("nn.MaxPooling2D %q: strides %v must be positive", m.Name, m.Strides))
	}
	nb, h, w, c := xs[0], xs[1], xs[2], xs[3]
	ph, pw, sh, sw := m.PoolSize[0], m.PoolSize[1], m.Strides[0], m.Strides[1]
	oh, pt := m.Padding.outSize(h, ph, sh)
	ow, pl := m.Padding.outSize(w, pw, sw)
	if oh <= 0 || ow <= 0 {
		panic(fmt.Sprintf("nn.MaxPooling2D %q: input %v smaller than the %d×%d pool", m.Name, xs, ph, pw))
	}
	out := tp.NewVar(tp.Needs(x, nil), nb, oh, ow, c)
	// arg[o] is the offset i·PW+j of the maximum inside its window, as a float32 (exact).
	arg := tp.Scratch(len(out.Value.Data))
	y, xd, ad := out.Value.Data, x.Value.Data, arg.Data
	if m.is2x2(h, w, oh, ow, pt, pl) {
		kernels.MaxPool2x2(y, ad, xd, nb, h, w, c)
		tp.Record(autodiff.Node{Backward: maxPoolBackward, In: [3]*autodiff.Var{x}, Out: out, Aux: m, Scratch: arg, Assigns: 1})
		return out
	}
	for b := 0; b < nb; b++ {
		for oy := 0; oy < oh; oy++ {
			i0, i1 := max(0, pt-oy*sh), min(ph, h+pt-oy*sh)
			for ox := 0; ox < ow; ox++ {
				j0, j1 := max(0, pl-ox*sw), min(pw, w+pl-ox*sw)
				o := ((b*oh+oy)*ow + ox) * c
				yo, ao := y[o:o+c], ad[o:o+c]
				for ch := range yo {
					yo[ch] = float32(math.Inf(-1))
				}
				for i := i0; i < i1; i++ {
					for j := j0; j < j1; j++ {
						src := xd[((b*h+oy*sh+i-pt)*w+ox*sw+j-pl)*c:][:c]
						at := float32(i*pw + j)
						for ch, v := range src {
							if v > yo[ch] {
								yo[ch], ao[ch] = v, at
							}
						}
					}
				}
			}
		}
	}
	tp.Record(autodiff.Node{Backward: maxPoolBackward, In: [3]*autodiff.Var{x}, Out: out, Aux: m, Scratch: arg, Assigns: 1})
	return out
}

// is2x2 reports whether the pooling is 2×2 with stride 2 and windows from the top left
// corner covering the whole image (⌈h/2⌉×⌈w/2⌉ outputs): kernels.MaxPool2x2's case.
func (m *MaxPooling2D) is2x2(h, w, oh, ow, pt, pl int) bool {
	return m.PoolSize == [2]int{2, 2} && m.Strides == [2]int{2, 2} && pt == 0 && pl == 0 && oh == (h+1)/2 && ow == (w+1)/2
}

func maxPoolBackward(n *autodiff.Node) {
	m := n.Aux.(*MaxPooling2D)
	xs, os := n.In[0].Value.Shape, n.Out.Value.Shape
	h, w, c := xs[1], xs[2], xs[3]
	oh, ow := os[1], os[2]
	pw, sh, sw := m.PoolSize[1], m.Strides[0], m.Strides[1]
	_, pt := m.Padding.outSize(h, m.PoolSize[0], sh)
	_, pl := m.Padding.outSize(w, pw, sw)
	dx, assign := n.In[0].GradForWrite()
	dy, ad := n.Out.Grad.Data, n.Scratch.Data
	if m.is2x2(h, w, oh, ow, pt, pl) {
		kernels.MaxPool2x2Backward(dx, dy, ad, xs[0], h, w, c, assign)
		return
	}
	if assign {
		clear(dx)
	}
	// off[at] is the offset of window position at = i·PW+j from the window's corner.
	var offs [64]int
	if m.PoolSize[0]*pw > len(offs) {
		for b := 0; b < os[0]; b++ {
			for oy := 0; oy < oh; oy++ {
				for ox := 0; ox < ow; ox++ {
					o := ((b*oh+oy)*ow + ox) * c
					for ch, g := range dy[o : o+c] {
						at := int(ad[o+ch])
						i, j := at/pw, at%pw
						dx[((b*h+oy*sh+i-pt)*w+ox*sw+j-pl)*c+ch] += g
					}
				}
			}
		}
		return
	}
	off := offs[:m.PoolSize[0]*pw]
	for at := range off {
		off[at] = (at/pw*w + at%pw) * c
	}
	for b := 0; b < os[0]; b++ {
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				o := ((b*oh+oy)*ow + ox) * c
				corner := ((b*h+oy*sh-pt)*w + ox*sw - pl) * c
				for ch, g := range dy[o : o+c] {
					dx[corner+off[int(ad[o+ch])&63]+ch] += g
				}
			}
		}
	}
}
