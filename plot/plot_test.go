package plot

import (
	"flag"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var samples = flag.String("samples", "", "also write the test figures into this directory, to look at")

// out returns where a test writes its figure: t.TempDir(), or the -samples directory.
func out(t *testing.T, name string) string {
	t.Helper()
	if *samples != "" {
		if err := os.MkdirAll(*samples, 0o755); err != nil {
			t.Fatal(err)
		}
		return filepath.Join(*samples, name)
	}
	return filepath.Join(t.TempDir(), name)
}

// checkPNG decodes path and checks its size and that it is not blank.
func checkPNG(t *testing.T, path string, w, h, minColors int) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b := img.Bounds()
	if (w > 0 && b.Dx() != w) || (h > 0 && b.Dy() != h) {
		t.Errorf("%s: %dx%d, want %dx%d", path, b.Dx(), b.Dy(), w, h)
	}
	colors := map[[4]uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			colors[[4]uint32{r, g, bl, a}] = true
		}
	}
	if len(colors) < minColors {
		t.Errorf("%s: %d distinct colours, want at least %d", path, len(colors), minColors)
	}
	return img
}

// blobs returns n points in k Gaussian clusters on a circle, with their labels.
func blobs(n, k int) (x, y []float64, labels []int) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		l := i % k
		a := 2 * math.Pi * float64(l) / float64(k)
		x = append(x, 2*math.Cos(a)+0.6*rng.NormFloat64())
		y = append(y, 2*math.Sin(a)+0.6*rng.NormFloat64())
		labels = append(labels, l)
	}
	return x, y, labels
}

func TestScatter(t *testing.T) {
	x, y, labels := blobs(10000, 10)
	path := out(t, "scatter.png")
	if err := Scatter(path, x, y, labels, ScatterOptions{Title: "test set z_mean", ColorBarLabel: "digit"}); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 600, 600, 20)

	path = out(t, "scatter_viridis.png")
	if err := Scatter(path, x, y, labels, ScatterOptions{Palette: Viridis10}); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 600, 600, 20)

	path = out(t, "scatter_nolabels.png")
	if err := Scatter(path, x[:500], y[:500], nil, ScatterOptions{Title: "no labels", Size: 4}); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 400, 400, 5)
}

func TestScatterErrors(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "s.png")
	tests := []struct {
		name   string
		x, y   []float64
		labels []int
		opt    ScatterOptions
		want   string
	}{
		{"lengths", []float64{1, 2}, []float64{1}, nil, ScatterOptions{}, "2 x values but 1 y values"},
		{"labels", []float64{1, 2}, []float64{1, 2}, []int{0}, ScatterOptions{}, "2 points but 1 labels"},
		{"negative", []float64{1}, []float64{1}, []int{-1}, ScatterOptions{}, "negative"},
		{"nan", []float64{math.NaN()}, []float64{1}, nil, ScatterOptions{}, "x[0] is NaN"},
		{"palette", []float64{1}, []float64{1}, []int{11}, ScatterOptions{}, "12 classes but the palette has 10"},
		{"names", []float64{1}, []float64{1}, []int{2}, ScatterOptions{ClassNames: []string{"a", "b"}}, "label 2 but only 2 class names"},
	}
	for _, tt := range tests {
		err := Scatter(p, tt.x, tt.y, tt.labels, tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err = %v, want %q naming %s", tt.name, err, tt.want, p)
		}
	}
	bad := filepath.Join(dir, "missing", "s.png")
	if err := Scatter(bad, []float64{1}, []float64{1}, []int{0}, ScatterOptions{}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("unwritable path: err = %v", err)
	}
}

// blob is a 28×28 grey image of a soft ring centred at (cx, cy) in pixels.
func blob(cx, cy, r float64) []float32 {
	im := make([]float32, 28*28)
	for y := range 28 {
		for x := range 28 {
			d := math.Hypot(float64(x)-cx, float64(y)-cy) - r
			im[y*28+x] = float32(math.Exp(-d * d / 3))
		}
	}
	return im
}

func TestImageGridManifold(t *testing.T) {
	var ims [][]float32
	for i := range 15 {
		for j := range 15 {
			ims = append(ims, blob(9+float64(j)*10/14, 9+float64(i)*10/14, 2+float64(i+j)/7))
		}
	}
	path := out(t, "manifold.png")
	if err := ImageGrid(path, ims, 15, 15, 28, 28, 1, GridOptions{Scale: 2}); err != nil {
		t.Fatal(err)
	}
	img := checkPNG(t, path, 15*28*2, 15*28*2, 50)
	// Nearest-neighbour upscaling: 2×2 blocks of one colour.
	for _, p := range []image.Point{{10, 10}, {100, 300}, {500, 222}} {
		x, y := p.X&^1, p.Y&^1
		c := img.At(x, y)
		if img.At(x+1, y) != c || img.At(x, y+1) != c || img.At(x+1, y+1) != c {
			t.Errorf("block at (%d,%d) is not uniform", x, y)
		}
	}

	path = out(t, "manifold_titled.png")
	if err := ImageGrid(path, ims, 15, 15, 28, 28, 1, GridOptions{Scale: 2, Title: "decoded z over [-4, 4]²"}); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 0, 0, 50)
}

func TestImageGridRGB(t *testing.T) {
	var ims [][]float32
	for k := range 6 {
		im := make([]float32, 16*16*3)
		for y := range 16 {
			for x := range 16 {
				o := (y*16 + x) * 3
				im[o] = float32(x) / 15
				im[o+1] = float32(y) / 15
				im[o+2] = float32(k) / 5
			}
		}
		ims = append(ims, im)
	}
	ims[5][0] = float32(math.NaN())
	ims[5][1] = 7
	path := out(t, "originals_reconstructions.png")
	err := ImageGrid(path, ims, 2, 3, 16, 16, 3, GridOptions{Scale: 3, Gap: 4, RowLabels: []string{"original", "reconstruction"}, Title: "train"})
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 0, 0, 100)

	// Fewer images than cells, a dark background, codes as 8 single-channel images.
	path = out(t, "codes.png")
	codes := make([][]float32, 8)
	for c := range codes {
		codes[c] = make([]float32, 64)
		for i := range codes[c] {
			codes[c][i] = float32((i*(c+1))%64) / 63
		}
	}
	if err := ImageGrid(path, codes[:7], 2, 4, 8, 8, 1, GridOptions{Scale: 6, Gap: 2, Background: color.Gray{40}}); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 4*48+3*2, 2*48+2, 20)
}

func TestImageGridErrors(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "g.png")
	one := [][]float32{make([]float32, 4)}
	tests := []struct {
		name                string
		ims                 [][]float32
		rows, cols, h, w, c int
		opt                 GridOptions
		want                string
	}{
		{"length", [][]float32{make([]float32, 3)}, 1, 1, 2, 2, 1, GridOptions{}, "image 0 has 3 values, want 2×2×1 = 4"},
		{"too many", [][]float32{nil, nil, nil}, 1, 2, 2, 2, 1, GridOptions{}, "3 images do not fit a 1×2 grid"},
		{"channels", one, 1, 1, 2, 2, 2, GridOptions{}, "2 channels"},
		{"zero", one, 0, 1, 2, 2, 1, GridOptions{}, "must be positive"},
		{"labels", one, 1, 1, 2, 2, 1, GridOptions{RowLabels: []string{"a", "b"}}, "2 row labels for 1 rows"},
		{"huge", one, 1, 1, 2, 2, 1, GridOptions{Scale: 1 << 20}, "too large"},
	}
	for _, tt := range tests {
		err := ImageGrid(p, tt.ims, tt.rows, tt.cols, tt.h, tt.w, tt.c, tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err = %v, want %q naming %s", tt.name, err, tt.want, p)
		}
	}
	bad := filepath.Join(dir, "missing", "g.png")
	if err := ImageGrid(bad, one, 1, 1, 2, 2, 1, GridOptions{}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("unwritable path: err = %v", err)
	}
}

func TestLines(t *testing.T) {
	var train, val Series
	train.Name, val.Name = "training loss", "validation loss"
	for e := 1; e <= 10; e++ {
		train.X = append(train.X, float64(e))
		train.Y = append(train.Y, 190+60/float64(e))
		val.X = append(val.X, float64(e))
		val.Y = append(val.Y, 192+55/float64(e)+float64(e%3))
	}
	path := out(t, "lines.png")
	if err := Lines(path, "VAE loss per epoch", "epoch", "loss", []Series{train, val}); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 600, 400, 10)

	// A long series (no dots) and many series (dashed after ten).
	var many []Series
	for s := range 12 {
		var se Series
		se.Name = "s" + string(rune('a'+s))
		for i := range 200 {
			se.X = append(se.X, float64(i))
			se.Y = append(se.Y, math.Sin(float64(i)/20+float64(s)/2)+float64(s)/4)
		}
		many = append(many, se)
	}
	path = out(t, "lines_many.png")
	if err := Lines(path, "", "step", "", many); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 600, 400, 12)
}

func TestLinesErrors(t *testing.T) {
	p := filepath.Join(t.TempDir(), "l.png")
	tests := []struct {
		name   string
		series []Series
		want   string
	}{
		{"none", nil, "no series"},
		{"lengths", []Series{{Name: "a", X: []float64{1, 2}, Y: []float64{1}}}, `series "a" has 2 x values but 1 y values`},
		{"empty", []Series{{Name: "a"}}, `series "a" is empty`},
		{"inf", []Series{{Name: "a", X: []float64{1}, Y: []float64{math.Inf(1)}}}, "a.Y[0] is +Inf"},
	}
	for _, tt := range tests {
		err := Lines(p, "", "", "", tt.series)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err = %v, want %q naming %s", tt.name, err, tt.want, p)
		}
	}
	bad := filepath.Join(t.TempDir(), "missing", "l.png")
	if err := Lines(bad, "", "", "", []Series{{X: []float64{1}, Y: []float64{1}}}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("unwritable path: err = %v", err)
	}
}

func TestBars(t *testing.T) {
	cats := []string{"sunny", "cloudy", "rain", "snow"}
	series := []BarSeries{
		{Name: "country A", Values: []float64{0.25, 0.25, 0.25, 0.25}},
		{Name: "country B", Values: []float64{0.5, 0.25, 0.125, 0.125}},
		{Name: "country C", Values: []float64{1, 0, 0, 0}},
	}
	path := out(t, "bars.png")
	if err := Bars(path, "weather distributions", "weather", "probability", cats, series); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 600, 400, 10)

	path = out(t, "bars_negative.png")
	if err := Bars(path, "", "", "", []string{"a", "b"}, []BarSeries{{Values: []float64{-1, 2}}}); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 600, 400, 5)
}

func TestBarsErrors(t *testing.T) {
	p := filepath.Join(t.TempDir(), "b.png")
	tests := []struct {
		name   string
		cats   []string
		series []BarSeries
		want   string
	}{
		{"none", nil, nil, "0 categories and 0 series"},
		{"lengths", []string{"x", "y"}, []BarSeries{{Name: "A", Values: []float64{1}}}, `series "A" has 1 values for 2 categories`},
		{"nan", []string{"x"}, []BarSeries{{Name: "A", Values: []float64{math.NaN()}}}, "A[0] is NaN"},
	}
	for _, tt := range tests {
		err := Bars(p, "", "", "", tt.cats, tt.series)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err = %v, want %q naming %s", tt.name, err, tt.want, p)
		}
	}
	bad := filepath.Join(t.TempDir(), "missing", "b.png")
	if err := Bars(bad, "", "", "", []string{"x"}, []BarSeries{{Values: []float64{1}}}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("unwritable path: err = %v", err)
	}
}

func TestConfusion(t *testing.T) {
	classes := []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
	counts := make([][]int, 10)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range counts {
		counts[i] = make([]int, 10)
		for j := range counts[i] {
			counts[i][j] = rng.IntN(15)
		}
		counts[i][i] = 900 + rng.IntN(200)
	}
	path := out(t, "confusion.png")
	if err := Confusion(path, classes, counts, "MNIST test set"); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 0, 0, 10)

	path = out(t, "confusion_small.png")
	speakers := []string{"Kaoru", "Hikaru", "Narrator", "Sensei"}
	small := [][]int{{12, 2, 0, 1}, {3, 9, 1, 0}, {0, 0, 20, 0}, {1, 0, 2, 0}}
	if err := Confusion(path, speakers, small, "who speaks"); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 0, 0, 10)
}

func TestConfusionErrors(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.png")
	tests := []struct {
		name    string
		classes []string
		counts  [][]int
		want    string
	}{
		{"none", nil, nil, "no classes"},
		{"rows", []string{"a", "b"}, [][]int{{1, 2}}, "1 rows of counts for 2 classes"},
		{"cols", []string{"a", "b"}, [][]int{{1, 2}, {3}}, "row 1 of counts has 1 columns for 2 classes"},
		{"negative", []string{"a"}, [][]int{{-1}}, "counts[0][0] = -1 is negative"},
	}
	for _, tt := range tests {
		err := Confusion(p, tt.classes, tt.counts, "")
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err = %v, want %q naming %s", tt.name, err, tt.want, p)
		}
	}
	bad := filepath.Join(t.TempDir(), "missing", "c.png")
	if err := Confusion(bad, []string{"a"}, [][]int{{1}}, ""); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("unwritable path: err = %v", err)
	}
}
