package plot

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ScatterOptions configures Scatter. The zero value gives a 6-inch square figure with
// axes labelled "z[0]" and "z[1]", classes coloured with Tab10 and a colour bar labelled
// with the class numbers.
type ScatterOptions struct {
	Title          string
	XLabel, YLabel string // default "z[0]" and "z[1]"
	// ClassNames label the colour bar, one per class; default "0", "1", …. When set,
	// its length is the number of classes and every label must be below it.
	ClassNames []string
	// ColorBarLabel is written above the colour bar (e.g. "digit"); default none.
	ColorBarLabel string
	// Palette colours class k with Palette[k]; default Tab10 (Viridis10 reproduces the
	// Keras example). It must have at least as many colours as there are classes.
	Palette []color.Color
	// Size is the figure's width and height in inches; default 6.
	Size float64
	// DPI is the resolution; default DefaultDPI.
	DPI int
	// PointRadius is the dot radius in points (1/72 in); default 1.2.
	PointRadius float64
	// Alpha is the dots' opacity in (0, 1]; default 0.6, so dense regions show.
	Alpha float64
}

// Scatter writes a scatter plot of the points (x[i], y[i]) to path as PNG, point i
// coloured by class labels[i] (an integer in [0, K)), with a discrete colour bar of the
// K classes on the right, as in the Keras VAE example's plot of the test set's z_mean.
// labels may be nil: all points are then one colour and there is no colour bar.
// Points are drawn in input order; non-finite coordinates, negative labels and
// mismatched lengths are errors.
func Scatter(path string, x, y []float64, labels []int, opt ScatterOptions) error {
	if len(x) != len(y) {
		return fmt.Errorf("plot: %s: %d x values but %d y values", path, len(x), len(y))
	}
	if labels != nil && len(labels) != len(x) {
		return fmt.Errorf("plot: %s: %d points but %d labels", path, len(x), len(labels))
	}
	if err := checkFinite(path, "x", x); err != nil {
		return err
	}
	if err := checkFinite(path, "y", y); err != nil {
		return err
	}
	k := 0
	if labels != nil {
		for i, l := range labels {
			if l < 0 {
				return fmt.Errorf("plot: %s: labels[%d] = %d is negative", path, i, l)
			}
			k = max(k, l+1)
		}
		if opt.ClassNames != nil {
			if k > len(opt.ClassNames) {
				return fmt.Errorf("plot: %s: label %d but only %d class names", path, k-1, len(opt.ClassNames))
			}
			k = len(opt.ClassNames)
		}
	}
	pal := opt.Palette
	if pal == nil {
		pal = Tab10
	}
	if k > len(pal) {
		return fmt.Errorf("plot: %s: %d classes but the palette has %d colours", path, k, len(pal))
	}
	if len(pal) == 0 {
		pal = Tab10
	}
	size := opt.Size
	if size <= 0 {
		size = 6
	}
	dpi := opt.DPI
	if dpi <= 0 {
		dpi = DefaultDPI
	}
	radius := opt.PointRadius
	if radius <= 0 {
		radius = 1.2
	}
	alpha := opt.Alpha
	if alpha <= 0 || alpha > 1 {
		alpha = 0.6
	}

	p := gplot.New()
	p.Title.Text = opt.Title
	p.X.Label.Text = orDefault(opt.XLabel, "z[0]")
	p.Y.Label.Text = orDefault(opt.YLabel, "z[1]")
	p.X.Tick.Marker, p.Y.Tick.Marker = niceTicks{7}, niceTicks{7}
	styles := make([]draw.GlyphStyle, max(k, 1))
	for i := range styles {
		styles[i] = draw.GlyphStyle{Color: withAlpha(pal[i], alpha), Radius: vg.Points(radius), Shape: draw.CircleGlyph{}}
	}
	p.Add(&dots{x: x, y: y, labels: labels, styles: styles})

	names := opt.ClassNames
	if names == nil {
		names = make([]string, k)
		for i := range names {
			names[i] = strconv.Itoa(i)
		}
	}
	side := vg.Length(size) * vg.Inch
	barStrip := vg.Length(0)
	if k > 0 {
		barStrip = 0.35*vg.Inch + maxWidth(p.Y.Tick.Label.Font, names) // bar + gap + labels
	}
	return renderPNG(path, side, side, dpi, func(dc draw.Canvas) {
		main := draw.Crop(dc, 0, -barStrip, 0, 0)
		p.Draw(main)
		if k > 0 {
			data := p.DataCanvas(main)
			strip := draw.Crop(dc, side-barStrip, 0, 0, 0)
			drawClassBar(strip, data.Min.Y, data.Max.Y, pal[:k], names, opt.ColorBarLabel, p.Y.Tick.Label)
		}
	})
}

// dots is a gonum plotter drawing points in input order, each in its class's style.
type dots struct {
	x, y   []float64
	labels []int
	styles []draw.GlyphStyle
}

func (d *dots) Plot(c draw.Canvas, p *gplot.Plot) {
	tx, ty := p.Transforms(&c)
	for i := range d.x {
		s := d.styles[0]
		if d.labels != nil {
			s = d.styles[d.labels[i]]
		}
		c.DrawGlyphNoClip(s, vg.Point{X: tx(d.x[i]), Y: ty(d.y[i])})
	}
}

func (d *dots) DataRange() (xmin, xmax, ymin, ymax float64) {
	if len(d.x) == 0 {
		return -1, 1, -1, 1
	}
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range d.x {
		xmin, xmax = min(xmin, d.x[i]), max(xmax, d.x[i])
		ymin, ymax = min(ymin, d.y[i]), max(ymax, d.y[i])
	}
	return xmin, xmax, ymin, ymax
}

// GlyphBoxes keeps the dots at the edges inside the axes.
func (d *dots) GlyphBoxes(*gplot.Plot) []gplot.GlyphBox {
	if len(d.x) == 0 {
		return nil
	}
	r := d.styles[0].Rectangle()
	return []gplot.GlyphBox{
		{X: 0, Y: 0, Rectangle: r}, {X: 1, Y: 1, Rectangle: r},
		{X: 0, Y: 1, Rectangle: r}, {X: 1, Y: 0, Rectangle: r},
	}
}

// drawClassBar draws a discrete colour bar in strip between heights lo and hi: one cell
// per class, class 0 at the bottom, each labelled at its centre on the right.
func drawClassBar(strip draw.Canvas, lo, hi vg.Length, pal []color.Color, names []string, heading string, sty text.Style) {
	const barW = 0.18 * vg.Inch
	x0 := strip.Min.X + 0.08*vg.Inch
	x1 := x0 + barW
	k := len(pal)
	cell := (hi - lo) / vg.Length(k)
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
	for i, c := range pal {
		y0 := lo + vg.Length(i)*cell
		strip.FillPolygon(c, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y0 + cell}, {X: x0, Y: y0 + cell}})
		strip.FillText(sty, vg.Point{X: x1 + 0.06*vg.Inch, Y: y0 + cell/2}, names[i])
	}
	frame := draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}
	strip.StrokeLines(frame, []vg.Point{{X: x0, Y: lo}, {X: x1, Y: lo}, {X: x1, Y: hi}, {X: x0, Y: hi}, {X: x0, Y: lo}})
	if heading != "" {
		sty.XAlign, sty.YAlign = draw.XLeft, draw.YBottom
		strip.FillText(sty, vg.Point{X: x0, Y: hi + 0.06*vg.Inch}, heading)
	}
}

// maxWidth is the width of the widest of names in f.
func maxWidth(f font.Font, names []string) vg.Length {
	face := font.DefaultCache.Lookup(f, f.Size)
	var w vg.Length
	for _, n := range names {
		w = max(w, face.Width(n))
	}
	return w
}
