// Package plot writes fugo's figures as PNG files: latent-space scatter plots coloured by
// class with a discrete colour bar, grids of images (decoded digits, originals above
// reconstructions, codes as images), loss curves, grouped bar charts and confusion
// matrices. Charts are drawn with gonum.org/v1/plot; image grids with image/png.
//
// Inputs are plain Go slices. Every function writes its file atomically (a reader never
// sees half a PNG) and returns an error, never panics, for bad input: mismatched lengths,
// non-finite values, an unwritable path. Errors name the path.
package plot

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"fugo/internal/atomicfile"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// DefaultDPI is the resolution of chart PNGs: a 6-inch figure is 600 pixels wide.
const DefaultDPI = 100

// Tab10 is matplotlib's default categorical palette ("tab10", from Tableau): ten hues
// that stay distinguishable for 10 classes. It is the default class palette.
var Tab10 = []color.Color{
	rgb(0x1f77b4), rgb(0xff7f0e), rgb(0x2ca02c), rgb(0xd62728), rgb(0x9467bd),
	rgb(0x8c564b), rgb(0xe377c2), rgb(0x7f7f7f), rgb(0xbcbd22), rgb(0x17becf),
}

// Viridis10 is matplotlib's perceptually uniform "viridis" colour map sampled at 10
// evenly spaced levels (0, 1/9, …, 1): the colours of the Keras VAE example's latent
// scatter. Neighbouring classes are harder to tell apart than with Tab10.
var Viridis10 = []color.Color{
	rgb(0x440154), rgb(0x482878), rgb(0x3e4989), rgb(0x31688e), rgb(0x26828e),
	rgb(0x1f9e89), rgb(0x35b779), rgb(0x6ece58), rgb(0xb5de2b), rgb(0xfde725),
}

func rgb(v uint32) color.NRGBA {
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// withAlpha returns c with its opacity multiplied by a in [0, 1].
func withAlpha(c color.Color, a float64) color.NRGBA {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = uint8(math.Round(float64(n.A) * a))
	return n
}

// renderPNG draws a w×h-inch figure at dpi with drawFn and writes it atomically to path.
// A panic inside gonum/plot (it panics on some degenerate data) becomes an error.
func renderPNG(path string, w, h vg.Length, dpi int, drawFn func(dc draw.Canvas)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plot: %s: drawing failed: %v", path, r)
		}
	}()
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	drawFn(dc)
	return writeFile(path, func(wr io.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(wr)
		return err
	})
}

// writeFile writes path atomically, prefixing errors with "plot: ".
func writeFile(path string, write func(io.Writer) error) error {
	if err := atomicfile.WriteFile(path, write); err != nil {
		return fmt.Errorf("plot: %w", err) // atomicfile's error names the path
	}
	return nil
}

// checkFinite returns an error naming the first NaN or ±Inf of v.
func checkFinite(path, what string, v []float64) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("plot: %s: %s[%d] is %v", path, what, i, x)
		}
	}
	return nil
}

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// niceTicks is a gonum/plot Ticker placing about n labelled ticks at multiples of 1, 2 or
// 5 times a power of ten (matplotlib's density; gonum's default gives three or four).
type niceTicks struct{ n int }

func (t niceTicks) Ticks(lo, hi float64) []gplot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return gplot.DefaultTicks{}.Ticks(lo, hi)
	}
	raw := (hi - lo) / float64(max(t.n, 2))
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{2, 5, 10} { // the step closest to raw, in ratio
		if math.Abs(math.Log(m*mag/raw)) < math.Abs(math.Log(step/raw)) {
			step = m * mag
		}
	}
	dec := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	var ticks []gplot.Tick
	for i := math.Ceil(lo/step - 1e-9); i*step <= hi+step*1e-9; i++ {
		v := i * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ticks = append(ticks, gplot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', dec, 64)})
		if minor := v + step/2; minor < hi {
			ticks = append(ticks, gplot.Tick{Value: minor})
		}
	}
	return ticks
}

// withLegend returns a function drawing p on a figure canvas and then, in its top-right
// corner, a legend of names with their thumbnails on a translucent white box, so that
// curves under it do not garble its text (gonum/plot's own legend has no background).
func withLegend(p *gplot.Plot, names []string, thumbs [][]gplot.Thumbnailer) func(dc draw.Canvas) {
	return func(dc draw.Canvas) {
		p.Draw(dc)
		if len(names) == 0 {
			return
		}
		leg := gplot.NewLegend()
		leg.Top = true
		leg.XOffs, leg.YOffs = -vg.Points(8), -vg.Points(6)
		for i, n := range names {
			leg.Add(n, thumbs[i]...)
		}
		// The canvas gonum gives its legend: the figure below the title.
		c := dc
		if p.Title.Text != "" {
			c.Max.Y -= p.Title.TextStyle.Rectangle(p.Title.Text).Size().Y + p.Title.Padding
		}
		sty := leg.TextStyle
		var textW, entryH vg.Length
		for _, n := range names {
			textW = max(textW, sty.Rectangle(n).Max.X)
			entryH = max(entryH, sty.Rectangle(n).Max.Y)
		}
		descent := sty.FontExtents().Descent
		m := vg.Points(4)
		x1, y1 := c.Max.X+leg.XOffs+m, c.Max.Y+leg.YOffs+m
		x0 := x1 - 2*m - leg.ThumbnailWidth - sty.Rectangle(" ").Max.X - textW
		y0 := y1 - 2*m - vg.Length(len(names))*entryH - vg.Length(len(names)-1)*leg.Padding - descent
		box := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
		dc.FillPolygon(color.NRGBA{R: 255, G: 255, B: 255, A: 220}, box)
		dc.StrokeLines(draw.LineStyle{Color: color.Gray{0xcc}, Width: vg.Points(0.5)}, append(box, box[0]))
		leg.Draw(c)
	}
}
