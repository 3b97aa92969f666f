package main

// The figures of `fugo info`, drawn with gonum.org/v1/plot directly.
// TODO: move onto fugo/plot's Bars and Lines helpers once that package lands.

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"fugo/info"
	"fugo/internal/atomicfile"
)

var infoColors = []color.Color{
	color.RGBA{0x1f, 0x77, 0xb4, 0xff}, // blue
	color.RGBA{0xff, 0x7f, 0x0e, 0xff}, // orange
	color.RGBA{0x2c, 0xa0, 0x2c, 0xff}, // green
}

// styleInfoPlot sets readable font sizes.
func styleInfoPlot(p *plot.Plot) {
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.X.Label.TextStyle.Font.Size = vg.Points(12)
	p.Y.Label.TextStyle.Font.Size = vg.Points(12)
	p.X.Tick.Label.Font.Size = vg.Points(11)
	p.Y.Tick.Label.Font.Size = vg.Points(11)
	p.Legend.TextStyle.Font.Size = vg.Points(11)
	p.Title.Padding = vg.Points(8)
}

// writePNG draws the plots side by side on a w×h canvas and writes it atomically.
func writePNG(path string, w, h vg.Length, plots ...*plot.Plot) error {
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(120))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: len(plots), PadX: vg.Points(18), PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(10)}
	canvases := plot.Align([][]*plot.Plot{plots}, tiles, dc)
	for i, p := range plots {
		p.Draw(canvases[0][i])
	}
	return atomicfile.WriteFile(path, func(out io.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(out)
		return err
	})
}

// writeWeatherPNG draws the three countries' distributions as grouped bars, each bar
// labelled with its probability.
func writeWeatherPNG(path string) error {
	p := plot.New()
	styleInfoPlot(p)
	p.Title.Text = "Weather of three countries: probability of each kind of day"
	p.X.Label.Text = "weather of a day"
	p.Y.Label.Text = "probability P(weather) (fraction of days)"
	p.Y.Min, p.Y.Max = 0, 1.3
	p.NominalX(weatherKinds...)
	p.Y.Tick.Marker = plot.ConstantTicks{
		{Value: 0, Label: "0"}, {Value: 0.125}, {Value: 0.25, Label: "0.25"}, {Value: 0.375},
		{Value: 0.5, Label: "0.5"}, {Value: 0.625}, {Value: 0.75, Label: "0.75"}, {Value: 0.875},
		{Value: 1, Label: "1"},
	}
	p.Legend.Top = true
	p.Legend.XOffs = -vg.Points(6)
	p.Legend.YOffs = -vg.Points(4)
	p.Legend.Padding = vg.Points(3)
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	p.Add(grid)

	const barWidth = 30 // points
	for i, c := range countries {
		bars, err := plotter.NewBarChart(plotter.Values(c.p), vg.Points(barWidth))
		if err != nil {
			return err
		}
		bars.Color = infoColors[i]
		bars.LineStyle.Width = 0
		bars.Offset = vg.Points(float64(i-1) * (barWidth + 3))
		p.Add(bars)
		p.Legend.Add(fmt.Sprintf("%s (%s): H = %s bits/day", c.name, c.about, num(info.Entropy(c.p, info.Bits))), bars)

		xys := make(plotter.XYs, len(c.p))
		labels := make([]string, len(c.p))
		for k, x := range c.p {
			xys[k] = plotter.XY{X: float64(k), Y: x}
			labels[k] = frac(x)
		}
		l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
		if err != nil {
			return err
		}
		for k := range l.TextStyle {
			l.TextStyle[k].Font.Size = vg.Points(10)
			l.TextStyle[k].XAlign = text.XCenter
			l.TextStyle[k].YAlign = text.YBottom
		}
		l.Offset = vg.Point{X: bars.Offset, Y: vg.Points(2)}
		p.Add(l)
	}
	p.X.Min, p.X.Max = -0.6, float64(len(weatherKinds))-0.4
	return writePNG(path, 8*vg.Inch, 5*vg.Inch, p)
}

// sigmoid in float64, without overflow.
func sigmoid64(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	ez := math.Exp(z)
	return ez / (1 + ez)
}

// Losses of a sigmoid output y = σ(z) with target 1, and their derivatives' magnitudes:
//
//	cross-entropy  L = −ln σ(z)       |dL/dz| = 1 − σ(z) = σ(−z)
//	squared error  L = (1 − σ(z))²    |dL/dz| = 2 σ(z) (1 − σ(z))²
func ceLoss(z float64) float64 { return -math.Log(sigmoid64(z)) }
func ceGrad(z float64) float64 { return sigmoid64(-z) }
func seLoss(z float64) float64 { s := sigmoid64(-z); return s * s }
func seGrad(z float64) float64 { s := sigmoid64(-z); return 2 * sigmoid64(z) * s * s }

// writeGradientPNG draws the two losses and their gradients over z ∈ [−10, 10].
func writeGradientPNG(path string, z0 float64) error {
	const n = 401
	line := func(f func(float64) float64) plotter.XYs {
		xys := make(plotter.XYs, n)
		for i := range xys {
			z := -10 + 20*float64(i)/(n-1)
			xys[i] = plotter.XY{X: z, Y: f(z)}
		}
		return xys
	}
	dashes := []vg.Length{vg.Points(6), vg.Points(4)}

	loss := plot.New()
	styleInfoPlot(loss)
	loss.Title.Text = "Loss of a sigmoid output y = σ(z), target 1"
	loss.X.Label.Text = "pre-activation z (logit); y = σ(z)"
	loss.Y.Label.Text = "loss L (natural log: nats)"
	loss.Add(plotter.NewGrid())
	lossGrad := plot.New()
	styleInfoPlot(lossGrad)
	lossGrad.Title.Text = "Its gradient |dL/dz| (log scale)"
	lossGrad.X.Label.Text = "pre-activation z (logit); y = σ(z)"
	lossGrad.Y.Label.Text = "|dL/dz| (loss per unit of z)"
	// The gradient panel plots log10 |dL/dz| on a linear axis with decade labels (gonum's
	// LogScale misplaces a vertical axis label's glyph box, leaving a gap above the plot).
	var decades plot.ConstantTicks
	for e := -9; e <= 0; e++ {
		decades = append(decades, plot.Tick{Value: float64(e), Label: strconv.FormatFloat(math.Pow10(e), 'g', -1, 64)})
		for k := 2; k < 10 && e < 0; k++ {
			decades = append(decades, plot.Tick{Value: float64(e) + math.Log10(float64(k))})
		}
	}
	lossGrad.Y.Tick.Marker = decades
	lossGrad.Add(plotter.NewGrid())

	for _, c := range []struct {
		name   string
		f, df  func(float64) float64
		col    color.Color
		dashed bool
	}{
		{"cross-entropy −ln y", ceLoss, ceGrad, infoColors[0], false},
		{"squared error (1 − y)²", seLoss, seGrad, infoColors[1], true},
	} {
		for _, pl := range []struct {
			p *plot.Plot
			f func(float64) float64
		}{{loss, c.f}, {lossGrad, func(z float64) float64 { return math.Log10(c.df(z)) }}} {
			l, err := plotter.NewLine(line(pl.f))
			if err != nil {
				return err
			}
			l.Color = c.col
			l.Width = vg.Points(2.5)
			if c.dashed {
				l.Dashes = dashes
			}
			pl.p.Add(l)
			pl.p.Legend.Add(c.name, l)
		}
	}
	// Where the training starts, and the decision boundary y = 1/2.
	for _, pl := range []*plot.Plot{loss, lossGrad} {
		ymin, ymax := 0.0, 10.5
		if pl == lossGrad {
			ymin, ymax = -9, math.Log10(2)
		}
		for _, v := range []struct {
			z      float64
			label  string
			bottom bool
		}{{z0, fmt.Sprintf("training starts at z = %s", num(z0)), true}, {0, "y = 1/2", false}} {
			if v.z < -10 || v.z > 10 {
				continue
			}
			vl, err := plotter.NewLine(plotter.XYs{{X: v.z, Y: ymin}, {X: v.z, Y: ymax}})
			if err != nil {
				return err
			}
			vl.Color = color.Gray{0x80}
			vl.Width = vg.Points(1)
			vl.Dashes = []vg.Length{vg.Points(2), vg.Points(3)}
			pl.Add(vl)
			at, align, dy := ymax, text.YTop, -vg.Points(2)
			if v.bottom {
				at, align, dy = ymin, text.YBottom, vg.Points(3)
			}
			lb, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: v.z, Y: at}}, Labels: []string{v.label}})
			if err != nil {
				return err
			}
			lb.TextStyle[0].Font = font.From(lb.TextStyle[0].Font, vg.Points(10))
			lb.TextStyle[0].Color = color.Gray{0x50}
			lb.TextStyle[0].YAlign = align
			lb.Offset = vg.Point{X: vg.Points(3), Y: dy}
			pl.Add(lb)
		}
		pl.Legend.Top = true
		pl.Legend.Left = false
		pl.Legend.XOffs = -vg.Points(6)
		pl.Legend.YOffs = -vg.Points(18)
		pl.Legend.Padding = vg.Points(4)
		pl.X.Min, pl.X.Max = -10, 10
	}
	loss.Y.Min, loss.Y.Max = 0, 10.5
	lossGrad.Y.Min, lossGrad.Y.Max = -9, math.Log10(2)
	return writePNG(path, 12*vg.Inch, 5.5*vg.Inch, loss, lossGrad)
}
