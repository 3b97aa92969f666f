package tensor

import (
	"strings"
	"testing"
)

func TestViewsShareData(t *testing.T) {
	x := FromSlice([]float32{1, 2, 3, 4, 5, 6}, 3, 2)
	if x.Rows() != 3 || x.Cols() != 2 || x.Size() != 6 {
		t.Fatalf("shape %v: rows %d cols %d size %d", x.Shape, x.Rows(), x.Cols(), x.Size())
	}
	r := x.RowSlice(1, 3)
	if r.Shape[0] != 2 || r.Data[0] != 3 {
		t.Fatalf("RowSlice(1, 3) = %v", r)
	}
	v := x.Reshape(2, 3)
	v.Data[0] = 9
	if x.Data[0] != 9 {
		t.Error("Reshape copied the data")
	}
	c := x.Clone()
	c.Data[1] = -1
	if x.Data[1] == -1 {
		t.Error("Clone shares the data")
	}
	// RowSlice caps its capacity: appending must not overwrite the rows after it.
	_ = append(x.RowSlice(0, 1).Data, 42)
	if x.Data[2] != 3 {
		t.Error("append to a row slice overwrote the next row")
	}
}

func TestShapeMistakesPanicWithTheShapes(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func()
		want string
	}{
		{"FromSlice", func() { FromSlice(make([]float32, 5), 2, 3) }, "[2 3]"},
		{"Reshape", func() { New(2, 3).Reshape(4, 2) }, "[4 2]"},
		{"Numel", func() { New(2, -1) }, "[2 -1]"},
	} {
		func() {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, c.want) {
					t.Errorf("%s: panic %q, want one naming %s", c.name, msg, c.want)
				}
			}()
			c.f()
		}()
	}
}

func TestSeededRNGRepeats(t *testing.T) {
	a, b := New(100), New(100)
	a.FillNormal(NewRNG(7), 0, 1)
	b.FillNormal(NewRNG(7), 0, 1)
	for i := range a.Data {
		if a.Data[i] != b.Data[i] {
			t.Fatal("same seed, different draws")
		}
	}
	if !a.AllFinite() {
		t.Error("normal draws not finite")
	}
}
