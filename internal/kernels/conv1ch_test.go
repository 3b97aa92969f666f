package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// refC1 is Conv3x3C1ReLU's formula and its backward pass in float64.
func refC1(x, w, bias, dy []float32, nb, h, wd, f int) (y, dw, db []float64) {
	y, dw, db = make([]float64, nb*h*wd*f), make([]float64, 9*f), make([]float64, f)
	at := func(b, yy, xx int) float64 {
		if yy < 0 || yy >= h || xx < 0 || xx >= wd {
			return 0
		}
		return float64(x[(b*h+yy)*wd+xx])
	}
	for b := 0; b < nb; b++ {
		for oy := 0; oy < h; oy++ {
			for ox := 0; ox < wd; ox++ {
				for o := 0; o < f; o++ {
					s := float64(bias[o])
					for t := 0; t < 9; t++ {
						s += at(b, oy+t/3-1, ox+t%3-1) * float64(w[t*f+o])
					}
					i := ((b*h+oy)*wd+ox)*f + o
					y[i] = max(s, 0)
					if s > 0 {
						g := float64(dy[i])
						db[o] += g
						for t := 0; t < 9; t++ {
							dw[t*f+o] += at(b, oy+t/3-1, ox+t%3-1) * g
						}
					}
				}
			}
		}
	}
	return y, dw, db
}

func TestConv3x3C1ReLU(t *testing.T) {
	bothKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(17, 18))
		for _, s := range []struct{ nb, h, wd, f int }{{1, 1, 1, 8}, {2, 3, 5, 16}, {1, 6, 4, 24}, {3, 5, 7, 32}, {2, 4, 3, 64}, {16, 28, 28, 32}} {
			x := randSlice(rng, s.nb*s.h*s.wd)
			w := randSlice(rng, 9*s.f)
			bias := randSlice(rng, s.f)
			dy := randSlice(rng, s.nb*s.h*s.wd*s.f)
			wantY, wantDW, wantDB := refC1(x, w, bias, dy, s.nb, s.h, s.wd, s.f)
			xpad := make([]float32, s.nb*(s.h+2)*(s.wd+2))
			PadC1(xpad, x, s.nb, s.h, s.wd)
			y, check := convGuarded(t, len(wantY))
			Conv3x3C1ReLU(y, xpad, w, bias, s.nb, s.h, s.wd, s.f)
			check()
			for i := range y {
				if math.Abs(float64(y[i])-wantY[i]) > 1e-5*(1+math.Abs(wantY[i])) || (wantY[i] == 0) != (y[i] == 0) && math.Abs(wantY[i]) > 1e-5 {
					t.Fatalf("%+v: y[%d] = %v, want %v", s, i, y[i], wantY[i])
				}
			}
			dw, db := randSlice(rng, 9*s.f), randSlice(rng, s.f)
			dw0, db0 := append([]float32(nil), dw...), append([]float32(nil), db...)
			dy0 := append([]float32(nil), dy...)
			part := make([]float32, s.nb*10*s.f)
			Conv3x3C1ReLUBackward(dw, db, dy, y, xpad, part, s.nb, s.h, s.wd, s.f)
			tol := 1e-5 * float64(s.nb*s.h*s.wd)
			for i := range dw {
				if math.Abs(float64(dw[i]-dw0[i])-wantDW[i]) > tol {
					t.Fatalf("%+v: dw[%d] += %v, want %v", s, i, dw[i]-dw0[i], wantDW[i])
				}
			}
			for i := range db {
				if math.Abs(float64(db[i]-db0[i])-wantDB[i]) > tol {
					t.Fatalf("%+v: db[%d] += %v, want %v", s, i, db[i]-db0[i], wantDB[i])
				}
			}
			if fmt.Sprint(dy) != fmt.Sprint(dy0) {
				t.Fatalf("%+v: dy changed", s)
			}
		}
	})
}

// The kernel and bias gradients give the same bits for any GOMAXPROCS.
func TestConv3x3C1Determinism(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	const nb, h, wd, f = 32, 28, 28, 16
	x := randSlice(rng, nb*h*wd)
	w, bias := randSlice(rng, 9*f), randSlice(rng, f)
	dy := randSlice(rng, nb*h*wd*f)
	xpad := make([]float32, nb*(h+2)*(wd+2))
	PadC1(xpad, x, nb, h, wd)
	y := make([]float32, len(dy))
	part := make([]float32, nb*10*f)
	run := func() string {
		Conv3x3C1ReLU(y, xpad, w, bias, nb, h, wd, f)
		dw, db := make([]float32, 9*f), make([]float32, f)
		Conv3x3C1ReLUBackward(dw, db, dy, y, xpad, part, nb, h, wd, f)
		return fmt.Sprint(y[:100], dw, db)
	}
	sameForAnyGOMAXPROCS(t, []int{2, 3}, run)
}
