package plot

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Text in charts is set in gonum/plot's default font (Liberation Serif), which covers
// Latin, Greek and Cyrillic but not Japanese: pass romanized names.

// Series is one curve of Lines: the points (X[i], Y[i]), drawn in order.
type Series struct {
	Name string
	X, Y []float64
}

// Lines writes a 6×4-inch line chart of series to path as PNG, with a legend, a grid
// and dots on the points when a series has at most 60 of them: e.g. training and
// validation loss per epoch. Colours follow Tab10 in series order. Empty series,
// mismatched X and Y lengths and non-finite values are errors.
func Lines(path string, title, xlabel, ylabel string, series []Series) error {
	if len(series) == 0 {
		return fmt.Errorf("plot: %s: no series", path)
	}
	p := gplot.New()
	p.Title.Text = title
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	p.X.Tick.Marker, p.Y.Tick.Marker = niceTicks{8}, niceTicks{6}
	p.Add(lightGrid())
	var names []string
	var legThumbs [][]gplot.Thumbnailer
	for i, s := range series {
		if len(s.X) != len(s.Y) {
			return fmt.Errorf("plot: %s: series %q has %d x values but %d y values", path, s.Name, len(s.X), len(s.Y))
		}
		if len(s.X) == 0 {
			return fmt.Errorf("plot: %s: series %q is empty", path, s.Name)
		}
		if err := checkFinite(path, s.Name+".X", s.X); err != nil {
			return err
		}
		if err := checkFinite(path, s.Name+".Y", s.Y); err != nil {
			return err
		}
		xys := make(plotter.XYs, len(s.X))
		for j := range xys {
			xys[j].X, xys[j].Y = s.X[j], s.Y[j]
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return fmt.Errorf("plot: %s: series %q: %w", path, s.Name, err)
		}
		c := Tab10[i%len(Tab10)]
		l.Color, l.Width = c, vg.Points(1.5)
		if i >= len(Tab10) {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
		}
		p.Add(l)
		thumbs := []gplot.Thumbnailer{l}
		if len(xys) <= 60 {
			sc, _ := plotter.NewScatter(xys)
			sc.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
			p.Add(sc)
			thumbs = append(thumbs, sc)
		}
		if s.Name != "" {
			names = append(names, s.Name)
			legThumbs = append(legThumbs, thumbs)
		}
	}
	return renderPNG(path, 6*vg.Inch, 4*vg.Inch, DefaultDPI, withLegend(p, names, legThumbs))
}

func lightGrid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{0xdd}
	g.Horizontal.Color = color.Gray{0xdd}
	g.Vertical.Width, g.Horizontal.Width = vg.Points(0.5), vg.Points(0.5)
	return g
}

// BarSeries is one set of bars of Bars: Values[j] is the height of its bar in
// category j.
type BarSeries struct {
	Name   string
	Values []float64
}

// Bars writes a 6×4-inch grouped bar chart to path as PNG: one group per category along
// the x axis, in each group one bar per series (Tab10 colours, series order, left to
// right) labelled with its value, and a legend of the series names — e.g. the weather
// distributions of three countries. Every series needs one value per category; NaN
// and ±Inf are errors.
func Bars(path string, title, xlabel, ylabel string, categories []string, series []BarSeries) error {
	if len(categories) == 0 || len(series) == 0 {
		return fmt.Errorf("plot: %s: %d categories and %d series; need at least one of each", path, len(categories), len(series))
	}
	lo, hi := 0.0, 0.0
	for _, s := range series {
		if len(s.Values) != len(categories) {
			return fmt.Errorf("plot: %s: series %q has %d values for %d categories", path, s.Name, len(s.Values), len(categories))
		}
		if err := checkFinite(path, s.Name, s.Values); err != nil {
			return err
		}
		for _, v := range s.Values {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	const w, h = 6 * vg.Inch, 4 * vg.Inch
	p := gplot.New()
	p.Title.Text = title
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	p.Y.Tick.Marker = niceTicks{6}
	p.Add(horizontalGrid())
	// Bars fill 80% of a group; the data area is roughly the figure less 1 inch.
	groupW := (w - vg.Inch) / vg.Length(len(categories))
	barW := 0.8 * groupW / vg.Length(len(series))
	labels := &barLabels{}
	var names []string
	var legThumbs [][]gplot.Thumbnailer
	for i, s := range series {
		b, err := plotter.NewBarChart(plotter.Values(s.Values), barW)
		if err != nil {
			return fmt.Errorf("plot: %s: series %q: %w", path, s.Name, err)
		}
		b.Color = Tab10[i%len(Tab10)]
		b.LineStyle.Width = 0
		b.Offset = vg.Length(float64(i)-float64(len(series)-1)/2) * barW
		p.Add(b)
		if s.Name != "" {
			names = append(names, s.Name)
			legThumbs = append(legThumbs, []gplot.Thumbnailer{b})
		}
		labels.series = append(labels.series, s.Values)
		labels.offsets = append(labels.offsets, b.Offset)
	}
	if len(categories)*len(series) <= 40 {
		p.Add(labels)
	}
	p.NominalX(categories...)
	span := hi - lo
	if span == 0 {
		span = 1
	}
	p.Y.Min, p.Y.Max = lo-0.08*span*b2f(lo < 0), hi+0.12*span // room for the value labels
	return renderPNG(path, w, h, DefaultDPI, withLegend(p, names, legThumbs))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func horizontalGrid() *plotter.Grid {
	g := lightGrid()
	g.Vertical.Color = nil
	return g
}

// barLabels writes each bar's value just beyond its end.
type barLabels struct {
	series  [][]float64
	offsets []vg.Length
}

func (l *barLabels) Plot(c draw.Canvas, p *gplot.Plot) {
	tx, ty := p.Transforms(&c)
	sty := p.Y.Tick.Label
	sty.Font.Size = 8
	sty.XAlign = draw.XCenter
	for i, vals := range l.series {
		for j, v := range vals {
			sty.YAlign = draw.YBottom
			pad := vg.Points(2)
			if v < 0 {
				sty.YAlign, pad = draw.YTop, -pad
			}
			c.FillText(sty, vg.Point{X: tx(float64(j)) + l.offsets[i], Y: ty(v) + pad}, strconv.FormatFloat(v, 'g', 3, 64))
		}
	}
}

// Confusion writes a confusion matrix to path as PNG: counts[i][j] is the number of
// examples of true class i predicted as class j, for the classes named by classes
// (K names, counts K×K, non-negative). Rows run top to bottom, columns left to right;
// each cell shows its count and is shaded by its share of its row (white 0 to dark blue
// 1), so recall reads off the diagonal whatever the class sizes. The title gets the
// overall accuracy appended.
func Confusion(path string, classes []string, counts [][]int, title string) error {
	k := len(classes)
	if k == 0 {
		return fmt.Errorf("plot: %s: no classes", path)
	}
	if len(counts) != k {
		return fmt.Errorf("plot: %s: %d rows of counts for %d classes", path, len(counts), k)
	}
	total, correct := 0, 0
	for i, row := range counts {
		if len(row) != k {
			return fmt.Errorf("plot: %s: row %d of counts has %d columns for %d classes", path, i, len(row), k)
		}
		for j, n := range row {
			if n < 0 {
				return fmt.Errorf("plot: %s: counts[%d][%d] = %d is negative", path, i, j, n)
			}
			total += n
			if i == j {
				correct += n
			}
		}
	}
	p := gplot.New()
	p.Title.Text = title
	if total > 0 {
		acc := fmt.Sprintf("accuracy %.1f%% (%d/%d)", 100*float64(correct)/float64(total), correct, total)
		if title == "" {
			p.Title.Text = acc
		} else {
			p.Title.Text = title + "\n" + acc
		}
	}
	p.X.Label.Text, p.Y.Label.Text = "predicted", "true"
	rev := make([]string, k)
	for i, c := range classes {
		rev[k-1-i] = c
	}
	p.Add(&cells{counts: counts})
	p.NominalX(classes...)
	p.NominalY(rev...)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -0.5, float64(k)-0.5, -0.5, float64(k)-0.5
	p.X.Padding, p.Y.Padding = 0, 0
	side := vg.Length(math.Max(4, 1.5+0.55*float64(k))) * vg.Inch
	return renderPNG(path, side+maxWidth(p.Y.Tick.Label.Font, classes), side, DefaultDPI, p.Draw)
}

// cells draws the confusion matrix: cell (i, j) centred at (j, k-1-i).
type cells struct{ counts [][]int }

func (m *cells) Plot(c draw.Canvas, p *gplot.Plot) {
	tx, ty := p.Transforms(&c)
	k := len(m.counts)
	sty := p.Y.Tick.Label
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	cellPts := (ty(0) - ty(-1)).Points()
	sty.Font.Size = vg.Points(math.Max(6, math.Min(12, cellPts/4)))
	for i, row := range m.counts {
		sum := 0
		for _, n := range row {
			sum += n
		}
		for j, n := range row {
			f := 0.0
			if sum > 0 {
				f = float64(n) / float64(sum)
			}
			x0, x1 := tx(float64(j)-0.5), tx(float64(j)+0.5)
			y0, y1 := ty(float64(k-1-i)-0.5), ty(float64(k-1-i)+0.5)
			c.FillPolygon(blues(f), []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
			sty.Color = color.Black
			if f > 0.5 {
				sty.Color = color.White
			}
			c.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, strconv.Itoa(n))
		}
	}
	grid := draw.LineStyle{Color: color.Gray{0xbb}, Width: vg.Points(0.5)}
	for t := 0; t <= k; t++ {
		v := float64(t) - 0.5
		c.StrokeLine2(grid, tx(-0.5), ty(v), tx(float64(k)-0.5), ty(v))
		c.StrokeLine2(grid, tx(v), ty(-0.5), tx(v), ty(float64(k)-0.5))
	}
}

// blues maps f in [0, 1] to matplotlib's "Blues" colour map (#f7fbff to #08306b),
// interpolated linearly between its nine ColorBrewer stops.
func blues(f float64) color.Color {
	stops := []uint32{0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b}
	f = math.Max(0, math.Min(1, f)) * float64(len(stops)-1)
	i := min(int(f), len(stops)-2)
	t := f - float64(i)
	a, b := rgb(stops[i]), rgb(stops[i+1])
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-t) + float64(y)*t)) }
	return color.NRGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 0xff}
}
