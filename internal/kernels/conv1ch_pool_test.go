package kernels

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// Conv3x3C1ReLUPool must give the bits of Conv3x3C1ReLU followed by MaxPool2x2, and
// Conv3x3C1ReLUPoolBackward those of MaxPool2x2Backward (assigning) followed by
// Conv3x3C1ReLUBackward, on odd sizes (a last single row, a last single column), 1-pixel
// images and the denoise shape, in both builds and for any GOMAXPROCS; dw and db are
// added into, with nothing written past them.
func TestConv3x3C1ReLUPoolBackward(t *testing.T) {
	bothKernels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(51, 52))
		for _, s := range []struct{ nb, h, wd, f int }{{1, 1, 1, 8}, {2, 3, 5, 16}, {1, 6, 4, 24}, {3, 5, 7, 32}, {2, 4, 3, 64}, {1, 2, 9, 8}, {16, 28, 28, 32}} {
			name := fmt.Sprintf("%+v", s)
			x := randSlice(rng, s.nb*s.h*s.wd)
			w := randSlice(rng, 9*s.f)
			bias := randSlice(rng, s.f)
			xpad := make([]float32, s.nb*(s.h+2)*(s.wd+2))
			PadC1(xpad, x, s.nb, s.h, s.wd)
			y := make([]float32, s.nb*s.h*s.wd*s.f)
			Conv3x3C1ReLU(y, xpad, w, bias, s.nb, s.h, s.wd, s.f)
			oh, ow := (s.h+1)/2, (s.wd+1)/2
			py, idx := make([]float32, s.nb*oh*ow*s.f), make([]float32, s.nb*oh*ow*s.f)
			MaxPool2x2(py, idx, y, s.nb, s.h, s.wd, s.f)
			for _, procs := range []int{1, 2, 3} {
				saved := runtime.GOMAXPROCS(procs)
				fy, checkY := convGuarded(t, len(py))
				fi, checkI := convGuarded(t, len(idx))
				part := randSlice(rng, C1PoolPartLen(s.nb, s.wd, s.f)) // garbage: written before use
				Conv3x3C1ReLUPool(fy, fi, xpad, w, bias, part, s.nb, s.h, s.wd, s.f)
				runtime.GOMAXPROCS(saved)
				checkY()
				checkI()
				if fmt.Sprint(fy, fi) != fmt.Sprint(py, idx) {
					t.Fatalf("%s, GOMAXPROCS %d: fused forward differs from conv + pool", name, procs)
				}
			}
			dy := randSlice(rng, len(py))
			dw0, db0 := randSlice(rng, 9*s.f), randSlice(rng, s.f)

			// The two steps apart.
			dY := make([]float32, len(y))
			MaxPool2x2Backward(dY, dy, idx, s.nb, s.h, s.wd, s.f, true)
			wantW, wantB := append([]float32(nil), dw0...), append([]float32(nil), db0...)
			Conv3x3C1ReLUBackward(wantW, wantB, dY, y, xpad, make([]float32, s.nb*10*s.f), s.nb, s.h, s.wd, s.f)

			run := func() ([]float32, []float32) {
				dw, checkW := convGuarded(t, 9*s.f)
				db, checkB := convGuarded(t, s.f)
				copy(dw, dw0)
				copy(db, db0)
				part := randSlice(rng, C1PoolPartLen(s.nb, s.wd, s.f)) // garbage: written before use
				Conv3x3C1ReLUPoolBackward(dw, db, dy, idx, py, xpad, part, s.nb, s.h, s.wd, s.f)
				checkW()
				checkB()
				return dw, db
			}
			saved := runtime.GOMAXPROCS(1)
			for _, procs := range []int{1, 2, 3} {
				runtime.GOMAXPROCS(procs)
				dw, db := run()
				if fmt.Sprint(dw, db) != fmt.Sprint(wantW, wantB) {
					runtime.GOMAXPROCS(saved)
					t.Fatalf("%s, GOMAXPROCS %d: fused backward differs from pool backward + conv backward\n dw %v\n want %v", name, procs, dw, wantW)
				}
			}
			runtime.GOMAXPROCS(saved)
		}
	})
}
