// Package images loads PNG and JPEG files into float32 tensors for image autoencoders,
// and writes tensors back as PNG.
//
// A loaded batch has shape [N, H, W, C]: batch first, channels last (NHWC, like Keras),
// values in [0, 1], C = 3 (R, G, B) or C = 1 (luminance). Every image goes through the
// same steps:
//
//  1. The header is read with image.DecodeConfig and the file is refused (ErrTooLarge)
//     when width·height exceeds Options.MaxPixels, before any pixel buffer is allocated;
//     a 0×0 or zero-byte file is refused as ErrEmpty.
//  2. The image is decoded (image/png, image/jpeg; other formats are ErrNotImage).
//  3. It is resized to Options.Width × Options.Height, ignoring the aspect ratio as
//     cv2.resize does in the origin post, with the Catmull-Rom cubic filter of
//     golang.org/x/image/draw (see below). An image already at the target size is not
//     resampled, so its opaque pixels are exactly k/255 (k/65535 for 16-bit PNGs).
//  4. Transparency is composited onto white: with premultiplied 16-bit colour c and alpha
//     a (what color.Color.RGBA returns), each channel is (c + 0xffff − a) / 0xffff, i.e.
//     straight colour s and alpha α in [0, 1] give α·s + (1 − α)·1. Resizing happens on
//     premultiplied colour, which is the same as compositing first and resizing after
//     (both are linear), and lets fully transparent pixels, whose stored colour is often
//     black or arbitrary, contribute nothing.
//  5. For one channel, luminance Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, the
//     weights of color.GrayModel and of Pillow's "L" mode) of the composited colour.
//
// Why Catmull-Rom: the origin post shrinks larger illustrations to 64×64. x/image/draw's
// kernel scalers widen their support by the scale factor when shrinking, so every source
// pixel contributes (a proper low-pass filter); draw.ApproxBiLinear and NearestNeighbor
// read only 4 or 1 source pixels per output pixel and alias badly when shrinking by more
// than 2×. BiLinear (a tent kernel) also filters properly but blurs more; Catmull-Rom
// keeps edges sharper at the cost of slight overshoot, which is clamped to [0, 1].
// The cost is O(source pixels) per image, bounded by Options.MaxPixels.
package images

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/image/draw"

	"fugo/internal/atomicfile"
	"fugo/tensor"
)

// Defaults for the zero fields of Options.
const (
	DefaultWidth     = 64
	DefaultHeight    = 64
	DefaultChannels  = 3
	DefaultMaxPixels = 64 << 20 // 64 Mi pixels: 256 MiB as 8-bit RGBA, 512 MiB as 16-bit
)

// Options says what size and colour layout images are loaded into. The zero value
// means 64×64 RGB with a 64-megapixel limit on the source image.
type Options struct {
	// Width and Height of the output in pixels; 0 means 64.
	Width, Height int
	// Channels is 3 for RGB (default when 0) or 1 for luminance (MNIST-style digits).
	Channels int
	// MaxPixels refuses (with ErrTooLarge) any source image whose header claims more than
	// this many pixels (width·height), before decoding; 0 means DefaultMaxPixels.
	MaxPixels int64
}

// withDefaults fills the zero fields and checks the others.
func (o Options) withDefaults() (Options, error) {
	if o.Width == 0 {
		o.Width = DefaultWidth
	}
	if o.Height == 0 {
		o.Height = DefaultHeight
	}
	if o.Channels == 0 {
		o.Channels = DefaultChannels
	}
	if o.MaxPixels == 0 {
		o.MaxPixels = DefaultMaxPixels
	}
	switch {
	case o.Width < 0 || o.Height < 0:
		return o, fmt.Errorf("images: negative output size %d×%d", o.Width, o.Height)
	case int64(o.Width)*int64(o.Height) > o.MaxPixels:
		return o, fmt.Errorf("images: output size %d×%d exceeds the limit of %d pixels", o.Width, o.Height, o.MaxPixels)
	case o.Channels != 1 && o.Channels != 3:
		return o, fmt.Errorf("images: Channels must be 1 or 3, not %d", o.Channels)
	case o.MaxPixels < 0:
		return o, fmt.Errorf("images: negative MaxPixels %d", o.MaxPixels)
	}
	return o, nil
}

// The kinds of Error. Test for them with errors.Is(err, images.ErrTooLarge).
var (
	// ErrNotImage: the data is not a PNG or JPEG image (a text file, another format).
	ErrNotImage = errors.New("not a PNG or JPEG image")
	// ErrEmpty: a zero-byte file, or an image with zero width or height.
	ErrEmpty = errors.New("empty image")
	// ErrTooLarge: the header claims more pixels than Options.MaxPixels.
	ErrTooLarge = errors.New("image too large to decode safely")
	// ErrCorrupt: a PNG or JPEG that is truncated or malformed.
	ErrCorrupt = errors.New("corrupt or truncated image")
	// ErrUnsupported: a valid PNG or JPEG using a feature Go's decoders lack
	// (e.g. arithmetic-coded JPEG).
	ErrUnsupported = errors.New("unsupported image feature")
	// ErrNoImages: LoadDir or LoadFS found no .png, .jpg or .jpeg file in the directory.
	ErrNoImages = errors.New("no PNG or JPEG files")
)

// Error is what every function of this package returns for a file it cannot use. It
// names the file and says why; errors.Is matches both Kind and Err (for example
// io.ErrUnexpectedEOF for a JPEG cut short, fs.ErrNotExist for a missing file).
type Error struct {
	File string // the name or path as given
	Kind error  // ErrNotImage, ErrEmpty, ErrTooLarge, ErrCorrupt, ErrUnsupported, ErrNoImages; nil for I/O errors
	// Width and Height are the dimensions from the header, when it was read.
	Width, Height int
	Detail        string // extra words for the message, may be empty
	Err           error  // the underlying error, may be nil
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("images: ")
	b.WriteString(e.File)
	if e.Kind != nil {
		b.WriteString(": ")
		b.WriteString(e.Kind.Error())
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Kind and Err, so errors.Is and errors.As see both.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// extensions are the file-name extensions (lower case) that LoadDir and LoadFS read.
var extensions = []string{".png", ".jpg", ".jpeg"}

// IsImageName reports whether name ends in .png, .jpg or .jpeg, ignoring case: the
// files LoadDir and LoadFS read (they skip all others).
func IsImageName(name string) bool {
	return slices.Contains(extensions, strings.ToLower(path.Ext(filepath.ToSlash(name))))
}

// Decode reads one PNG or JPEG image from r and returns it as a [H, W, C] tensor (see
// the package comment for the steps). name is used only in error messages.
func Decode(name string, r io.Reader, opt Options) (*tensor.Tensor, error) {
	o, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	t := tensor.New(o.Height, o.Width, o.Channels)
	if err := decodeInto(t.Data, name, r, o); err != nil {
		return nil, err
	}
	return t, nil
}

// Load decodes the files at paths, in the given order, into one [N, H, W, C] batch.
// It returns the paths too (a copy), as the names of the rows. The first file that
// cannot be used stops the load with an *Error naming it. No paths give an empty
// [0, H, W, C] batch.
func Load(paths []string, opt Options) (*tensor.Tensor, []string, error) {
	return load(paths, opt, func(p string) (io.ReadCloser, error) { return os.Open(p) })
}

// LoadDir loads every .png, .jpg and .jpeg file (any case) directly inside dir, in
// name order, like Load. Files with other extensions and subdirectories are skipped;
// a file with an image extension that does not decode is an error, and so is a
// directory without image files (ErrNoImages). The returned names are the paths
// (dir joined with the file name).
func LoadDir(dir string, opt Options) (*tensor.Tensor, []string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, &Error{File: dir, Err: err}
	}
	paths, err := imagePaths(dir, entries, filepath.Join)
	if err != nil {
		return nil, nil, err
	}
	return Load(paths, opt)
}

// LoadFS is LoadDir on a file system, such as the illustrations embedded by
// fugo/assets: LoadFS(assets.Illust(), "train", images.Options{}). dir is a
// slash-separated fs path ("." for the root); the returned names are fs paths.
func LoadFS(fsys fs.FS, dir string, opt Options) (*tensor.Tensor, []string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, nil, &Error{File: dir, Err: err}
	}
	paths, err := imagePaths(dir, entries, func(elem ...string) string { return path.Join(elem...) })
	if err != nil {
		return nil, nil, err
	}
	return load(paths, opt, func(p string) (io.ReadCloser, error) { return fsys.Open(p) })
}

func imagePaths(dir string, entries []fs.DirEntry, join func(...string) string) ([]string, error) {
	var paths []string
	for _, e := range entries { // ReadDir sorts by name
		if e.IsDir() || !IsImageName(e.Name()) {
			continue
		}
		paths = append(paths, join(dir, e.Name()))
	}
	if len(paths) == 0 {
		return nil, &Error{File: dir, Kind: ErrNoImages, Detail: "expected files ending in .png, .jpg or .jpeg"}
	}
	return paths, nil
}

func load(paths []string, opt Options, open func(string) (io.ReadCloser, error)) (*tensor.Tensor, []string, error) {
	o, err := opt.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	t := tensor.New(len(paths), o.Height, o.Width, o.Channels)
	per := o.Height * o.Width * o.Channels
	for i, p := range paths {
		f, err := open(p)
		if err != nil {
			return nil, nil, &Error{File: p, Err: unwrapPathError(err)}
		}
		err = decodeInto(t.Data[i*per:(i+1)*per], p, f, o)
		f.Close()
		if err != nil {
			return nil, nil, err
		}
	}
	return t, slices.Clone(paths), nil
}

// unwrapPathError drops the *fs.PathError wrapper when Error already names the file,
// keeping the operation's cause ("no such file or directory").
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// decodeInto decodes one image from r into dst (len H·W·C, HWC order); o has defaults.
func decodeInto(dst []float32, name string, r io.Reader, o Options) error {
	// Everything DecodeConfig reads from r is kept in head and replayed for Decode.
	var head bytes.Buffer
	cfg, format, err := image.DecodeConfig(io.TeeReader(r, &head))
	if err != nil {
		return classify(name, head.Bytes(), false, err)
	}
	if format != "png" && format != "jpeg" {
		// Another package of the program registered this format; fugo reads PNG and JPEG.
		return &Error{File: name, Kind: ErrNotImage, Detail: format + " format"}
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return &Error{File: name, Kind: ErrEmpty, Width: cfg.Width, Height: cfg.Height,
			Detail: fmt.Sprintf("header says %d×%d pixels", cfg.Width, cfg.Height)}
	}
	if n := int64(cfg.Width) * int64(cfg.Height); n > o.MaxPixels {
		return &Error{File: name, Kind: ErrTooLarge, Width: cfg.Width, Height: cfg.Height,
			Detail: fmt.Sprintf("header says %d×%d = %d pixels, over the limit of %d (Options.MaxPixels)",
				cfg.Width, cfg.Height, n, o.MaxPixels)}
	}
	full := io.MultiReader(&head, r)
	var img image.Image
	if format == "png" {
		img, err = png.Decode(full)
	} else {
		img, err = jpeg.Decode(full)
	}
	if err != nil {
		e := classify(name, nil, true, err)
		e.Width, e.Height = cfg.Width, cfg.Height
		return e
	}
	b := img.Bounds()
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height { // cannot happen with the std decoders
		return &Error{File: name, Kind: ErrCorrupt, Width: cfg.Width, Height: cfg.Height,
			Detail: fmt.Sprintf("decoded %d×%d, header said %d×%d", b.Dx(), b.Dy(), cfg.Width, cfg.Height)}
	}
	src := img
	if b.Dx() != o.Width || b.Dy() != o.Height {
		scaled := image.NewRGBA64(image.Rect(0, 0, o.Width, o.Height))
		draw.CatmullRom.Scale(scaled, scaled.Bounds(), img, b, draw.Src, nil)
		src = scaled
	}
	composite(dst, src, o.Channels)
	return nil
}

// classify turns a decoder error into an *Error. head is what DecodeConfig had read from
// the file; decoding is true when the header was fine and the error came from Decode.
func classify(name string, head []byte, decoding bool, err error) *Error {
	var pe *fs.PathError
	switch {
	case errors.As(err, &pe):
		return &Error{File: name, Err: pe.Err}
	case !decoding && len(head) == 0 && (errors.Is(err, image.ErrFormat) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)):
		return &Error{File: name, Kind: ErrEmpty, Detail: "zero-byte file"}
	case !decoding && errors.Is(err, image.ErrFormat):
		return &Error{File: name, Kind: ErrNotImage}
	}
	// A PNG whose IHDR says 0 wide or 0 high: image/png calls that a format error, but
	// it is an empty image, not a broken one.
	if len(head) >= 24 && bytes.HasPrefix(head, pngSignature) && string(head[12:16]) == "IHDR" &&
		(allZero(head[16:20]) || allZero(head[20:24])) {
		w := int(uint32(head[16])<<24 | uint32(head[17])<<16 | uint32(head[18])<<8 | uint32(head[19]))
		h := int(uint32(head[20])<<24 | uint32(head[21])<<16 | uint32(head[22])<<8 | uint32(head[23]))
		return &Error{File: name, Kind: ErrEmpty, Width: w, Height: h,
			Detail: fmt.Sprintf("header says %d×%d pixels", w, h)}
	}
	var pu png.UnsupportedError
	var ju jpeg.UnsupportedError
	if errors.As(err, &pu) || errors.As(err, &ju) {
		return &Error{File: name, Kind: ErrUnsupported, Err: err}
	}
	if errors.Is(err, io.EOF) { // EOF inside an image is a truncation
		err = io.ErrUnexpectedEOF
	}
	return &Error{File: name, Kind: ErrCorrupt, Err: err}
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// composite writes img (exactly W×H, the length of dst over channels) into dst in HWC
// order, compositing onto white and, for one channel, taking BT.601 luminance.
func composite(dst []float32, img image.Image, channels int) {
	b := img.Bounds()
	rgba64, fast := img.(image.RGBA64Image)
	i := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			var r, g, bl, a uint32
			if fast {
				c := rgba64.RGBA64At(x, y)
				r, g, bl, a = uint32(c.R), uint32(c.G), uint32(c.B), uint32(c.A)
			} else {
				r, g, bl, a = img.At(x, y).RGBA()
			}
			// Premultiplied: out = c + (1 − a)·white. c ≤ a for valid colours; clamp anyway.
			bg := float64(0xffff - a)
			rf := min((float64(r)+bg)/0xffff, 1)
			gf := min((float64(g)+bg)/0xffff, 1)
			bf := min((float64(bl)+bg)/0xffff, 1)
			if channels == 1 {
				dst[i] = float32(min(0.299*rf+0.587*gf+0.114*bf, 1))
				i++
			} else {
				dst[i], dst[i+1], dst[i+2] = float32(rf), float32(gf), float32(bf)
				i += 3
			}
		}
	}
}

// ToImage converts one image tensor to an 8-bit image: shape [H, W, 3] gives *image.RGBA
// (opaque), [H, W, 1] or [H, W] gives *image.Gray. Values are clamped to [0, 1] and
// rounded to the nearest of 0…255; NaN becomes 0. Any other shape is an error.
func ToImage(t *tensor.Tensor) (image.Image, error) {
	var h, w, c int
	switch len(t.Shape) {
	case 2:
		h, w, c = t.Shape[0], t.Shape[1], 1
	case 3:
		h, w, c = t.Shape[0], t.Shape[1], t.Shape[2]
	default:
		return nil, fmt.Errorf("images: cannot make an image of a tensor of shape %v; want [H, W, C] or [H, W]", t.Shape)
	}
	if (c != 1 && c != 3) || h <= 0 || w <= 0 {
		return nil, fmt.Errorf("images: cannot make an image of a tensor of shape %v; want H, W > 0 and C = 1 or 3", t.Shape)
	}
	if c == 1 {
		img := image.NewGray(image.Rect(0, 0, w, h))
		for i, v := range t.Data {
			img.Pix[i] = to8(v)
		}
		return img, nil
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < h*w; i++ {
		img.Pix[4*i+0] = to8(t.Data[3*i+0])
		img.Pix[4*i+1] = to8(t.Data[3*i+1])
		img.Pix[4*i+2] = to8(t.Data[3*i+2])
		img.Pix[4*i+3] = 0xff
	}
	return img, nil
}

func to8(v float32) uint8 {
	if !(v > 0) { // also NaN
		return 0
	}
	if v >= 1 {
		return 255
	}
	return uint8(math.Round(float64(v) * 255))
}

// Encode writes t (see ToImage for the shapes) to w as a PNG.
func Encode(w io.Writer, t *tensor.Tensor) error {
	img, err := ToImage(t)
	if err != nil {
		return err
	}
	return png.Encode(w, img)
}

// Save writes t (see ToImage) as a PNG file at path, atomically: the file is either
// the old one or the complete new one, never half written.
func Save(path string, t *tensor.Tensor) error {
	img, err := ToImage(t)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(path, func(w io.Writer) error { return png.Encode(w, img) }); err != nil {
		return fmt.Errorf("images: %w", err)
	}
	return nil
}
