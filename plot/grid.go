package plot

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	gplot "gonum.org/v1/plot"
	gfont "gonum.org/v1/plot/font"
)

// GridOptions configures ImageGrid. The zero value tiles the images at their own size,
// edge to edge, with no title or labels.
type GridOptions struct {
	// Scale is the integer upscaling factor (nearest neighbour, so digits stay crisp);
	// default 1.
	Scale int
	// Gap is the number of background pixels between tiles, after scaling; default 0.
	Gap int
	// Background fills gaps, margins and cells without an image; default white.
	Background color.Color
	// Title, when set, is written in a strip above the grid.
	Title string
	// RowLabels, when set, are written left of each row (e.g. "original",
	// "reconstruction"); at most rows of them.
	RowLabels []string
}

// ImageGrid writes images tiled rows×cols, row-major, as one PNG to path. Each image has
// height·width·channels values in [0, 1] (clamped; NaN is drawn as 0), laid out HWC:
// channels 1 is grey, 3 is RGB. Fewer than rows·cols images leave the last cells empty.
// Used for the VAE's 15×15 manifold of decoded digits (no gap), originals above
// reconstructions (2 rows, row labels) and codes shown as images.
func ImageGrid(path string, images [][]float32, rows, cols, height, width, channels int, opt GridOptions) error {
	img, err := GridImage(images, rows, cols, height, width, channels, opt)
	if err != nil {
		return fmt.Errorf("plot: %s: %w", path, err)
	}
	return writeFile(path, func(w io.Writer) error {
		return (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(w, img)
	})
}

// GridImage is ImageGrid without the file: it returns the tiled picture.
func GridImage(images [][]float32, rows, cols, height, width, channels int, opt GridOptions) (*image.RGBA, error) {
	if rows <= 0 || cols <= 0 || height <= 0 || width <= 0 {
		return nil, fmt.Errorf("grid %d×%d of %d×%d images: sizes must be positive", rows, cols, height, width)
	}
	if channels != 1 && channels != 3 {
		return nil, fmt.Errorf("%d channels: want 1 (grey) or 3 (RGB)", channels)
	}
	if len(images) > rows*cols {
		return nil, fmt.Errorf("%d images do not fit a %d×%d grid", len(images), rows, cols)
	}
	if len(opt.RowLabels) > rows {
		return nil, fmt.Errorf("%d row labels for %d rows", len(opt.RowLabels), rows)
	}
	n := height * width * channels
	for i, im := range images {
		if len(im) != n {
			return nil, fmt.Errorf("image %d has %d values, want %d×%d×%d = %d", i, len(im), height, width, channels, n)
		}
	}
	scale := max(opt.Scale, 1)
	gap := max(opt.Gap, 0)
	th, tw := height*scale, width*scale
	if rows*(th+gap) > 1<<15 || cols*(tw+gap) > 1<<15 {
		return nil, fmt.Errorf("grid of %d×%d tiles of %d×%d pixels is too large", rows, cols, th, tw)
	}
	bg := opt.Background
	if bg == nil {
		bg = color.White
	}

	// Text: the plot's font at a pixel size that grows with the tiles.
	var face font.Face
	var ascent, lineH, labelW int
	if opt.Title != "" || len(opt.RowLabels) > 0 {
		px := math.Min(12+2*float64(scale), 24)
		f := gfont.DefaultCache.Lookup(gfont.From(gplot.DefaultFont, gfont.Length(px)), gfont.Length(px))
		face = f.FontFace(72) // 72 dpi: one point is one pixel
		defer face.Close()
		m := face.Metrics()
		ascent = m.Ascent.Ceil()
		lineH = ascent + m.Descent.Ceil()
		for _, l := range opt.RowLabels {
			labelW = max(labelW, font.MeasureString(face, l).Ceil())
		}
	}
	pad := 0
	if face != nil {
		pad = max(lineH/2, gap)
	}
	left, top := 0, 0
	if labelW > 0 {
		left = labelW + 2*pad
	}
	if opt.Title != "" {
		top = lineH + 2*pad
	}
	outerGap := 0
	if face != nil {
		outerGap = gap // keep tiles off the text strips' edges
	}
	W := left + cols*tw + (cols-1)*gap + 2*outerGap
	H := top + rows*th + (rows-1)*gap + 2*outerGap
	if labelW > 0 {
		W += pad // breathing room at the right and bottom beside labels
		H += pad
	}
	out := image.NewRGBA(image.Rect(0, 0, W, H))
	draw.Draw(out, out.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)

	for i, im := range images {
		r, c := i/cols, i%cols
		x0 := left + outerGap + c*(tw+gap)
		y0 := top + outerGap + r*(th+gap)
		for y := range height {
			for x := range width {
				var px color.RGBA
				if channels == 1 {
					v := to8(im[y*width+x])
					px = color.RGBA{v, v, v, 0xff}
				} else {
					o := (y*width + x) * 3
					px = color.RGBA{to8(im[o]), to8(im[o+1]), to8(im[o+2]), 0xff}
				}
				for dy := range scale {
					row := out.Pix[out.PixOffset(x0+x*scale, y0+y*scale+dy):]
					for dx := range scale {
						row[4*dx], row[4*dx+1], row[4*dx+2], row[4*dx+3] = px.R, px.G, px.B, px.A
					}
				}
			}
		}
	}

	if face != nil {
		d := &font.Drawer{Dst: out, Src: image.NewUniform(textColor(bg)), Face: face}
		if opt.Title != "" {
			w := font.MeasureString(face, opt.Title).Ceil()
			gridW := cols*tw + (cols-1)*gap + 2*outerGap
			d.Dot = fixed.P(max(left+(gridW-w)/2, pad), pad+ascent)
			d.DrawString(opt.Title)
		}
		for r, l := range opt.RowLabels {
			w := font.MeasureString(face, l).Ceil()
			yc := top + outerGap + r*(th+gap) + th/2
			d.Dot = fixed.P(left-pad-w, yc+ascent-lineH/2)
			d.DrawString(l)
		}
	}
	return out, nil
}

// to8 maps v in [0, 1] to a byte, clamping outside values and NaN.
func to8(v float32) uint8 {
	switch {
	case v > 1:
		return 255
	case v > 0:
		return uint8(v*255 + 0.5)
	}
	return 0 // also NaN
}

// textColor is black on a light background, white on a dark one.
func textColor(bg color.Color) color.Color {
	r, g, b, _ := bg.RGBA()
	if 299*r+587*g+114*b > 500*0xffff {
		return color.Black
	}
	return color.White
}
