// Package arrays reads and writes numeric arrays as NumPy .npy files and as CSV matrices,
// converting to and from fugo's float32 tensors.
package arrays

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"

	"fugo/tensor"
)

// npyMagic opens every .npy file; the format version (major, minor) follows it.
const npyMagic = "\x93NUMPY"

// MaxNPYHeader is the longest .npy header ReadNPY accepts (1 MiB); real headers are a
// few dozen bytes, and the bound keeps a corrupt length from costing memory.
const MaxNPYHeader = 1 << 20

// npyDType describes one element type ReadNPY converts to float32.
type npyDType struct {
	size int
	conv func(b []byte) float32
}

var npyDTypes = map[string]npyDType{
	"<f4": {4, func(b []byte) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(b)) }},
	"<f8": {8, func(b []byte) float32 { return float32(math.Float64frombits(binary.LittleEndian.Uint64(b))) }},
	"|u1": {1, func(b []byte) float32 { return float32(b[0]) }},
	"<i4": {4, func(b []byte) float32 { return float32(int32(binary.LittleEndian.Uint32(b))) }},
	"<i8": {8, func(b []byte) float32 { return float32(int64(binary.LittleEndian.Uint64(b))) }},
}

// ReadNPY reads one array in NumPy's .npy format (versions 1.0, 2.0 and 3.0):
//
//	"\x93NUMPY" major minor   magic and version
//	uint16 (v1) or uint32 (v2, v3) little-endian header length
//	header                    a Python dict literal, e.g.
//	                          {'descr': '<f4', 'fortran_order': False, 'shape': (60000, 784), }
//	                          padded with spaces and a final '\n'
//	data                      the elements in C (row-major) order
//
// It accepts descr '<f4', '<f8', '|u1', '<i4' and '<i8', converted to float32 (f8 and
// i8 round to nearest, i4 and i8 beyond 2²⁴ lose precision), any rank (shape () gives a
// scalar of one element), C order only (fortran_order True is accepted only where both
// orders coincide: at most one dimension above 1). The header parser is strict: exactly the keys
// descr, fortran_order and shape, each once, in any order, with string, True/False and
// tuple-of-integers values. The data is read in chunks, so a short stream costs no more
// memory than it holds; a truncated one gives an error wrapping io.ErrUnexpectedEOF.
// Bytes after the array are not read.
func ReadNPY(r io.Reader) (*tensor.Tensor, error) {
	var pre [8]byte
	if n, err := io.ReadFull(r, pre[:]); err != nil {
		if n == 0 && err == io.EOF {
			return nil, errors.New("npy: empty input")
		}
		return nil, npyTruncated("magic", n, 8, err)
	}
	if string(pre[:6]) != npyMagic {
		return nil, fmt.Errorf("npy: bad magic %q, want %q", pre[:6], npyMagic)
	}
	major, minor := pre[6], pre[7]
	var hlen uint64
	switch major {
	case 1:
		var b [2]byte
		if n, err := io.ReadFull(r, b[:]); err != nil {
			return nil, npyTruncated("header length", n, 2, err)
		}
		hlen = uint64(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if n, err := io.ReadFull(r, b[:]); err != nil {
			return nil, npyTruncated("header length", n, 4, err)
		}
		hlen = uint64(binary.LittleEndian.Uint32(b[:]))
	default:
		return nil, fmt.Errorf("npy: unsupported format version %d.%d", major, minor)
	}
	if minor != 0 {
		return nil, fmt.Errorf("npy: unsupported format version %d.%d", major, minor)
	}
	if hlen > MaxNPYHeader {
		return nil, fmt.Errorf("npy: header length %d exceeds the limit of %d bytes", hlen, MaxNPYHeader)
	}
	header, err := io.ReadAll(io.LimitReader(r, int64(hlen)))
	if err != nil {
		return nil, fmt.Errorf("npy: reading header: %w", err)
	}
	if uint64(len(header)) < hlen {
		return nil, npyTruncated("header", len(header), int(hlen), io.EOF)
	}
	h, err := parseNPYHeader(header, major)
	if err != nil {
		return nil, err
	}
	dt, ok := npyDTypes[h.descr]
	if !ok {
		return nil, fmt.Errorf("npy: unsupported dtype %q (fugo reads '<f4', '<f8', '|u1', '<i4', '<i8')", h.descr)
	}
	if h.fortran && !sameInBothOrders(h.shape) {
		return nil, fmt.Errorf("npy: shape %v with fortran_order True (column-major) is not supported; save in C order (np.ascontiguousarray)", h.shape)
	}
	// Element count, bounded so that the byte count fits an int.
	limit := uint64(math.MaxInt) / uint64(dt.size)
	numel := uint64(1)
	for _, d := range h.shape {
		hi, lo := bits.Mul64(numel, d)
		if hi != 0 || lo > limit {
			return nil, fmt.Errorf("npy: shape %v: element count overflows", h.shape)
		}
		numel = lo
	}
	shape := make([]int, len(h.shape))
	for i, d := range h.shape {
		if d > math.MaxInt {
			return nil, fmt.Errorf("npy: shape %v: dimension too large", h.shape)
		}
		shape[i] = int(d)
	}
	total := int(numel) * dt.size
	const chunk = 1 << 16 // bytes, a multiple of every element size
	buf := make([]byte, min(total, chunk))
	data := make([]float32, 0, min(int(numel), 1<<20))
	for done := 0; done < total; {
		k := min(total-done, chunk)
		n, err := io.ReadFull(r, buf[:k])
		if err != nil {
			return nil, npyTruncated("data", done+n, total, err)
		}
		done += k
		for i := 0; i < k; i += dt.size {
			data = append(data, dt.conv(buf[i:]))
		}
	}
	return &tensor.Tensor{Shape: shape, Data: data}, nil
}

// sameInBothOrders reports whether C and Fortran order lay out shape identically: when
// at most one dimension exceeds 1.
func sameInBothOrders(shape []uint64) bool {
	n := 0
	for _, d := range shape {
		if d > 1 {
			n++
		}
	}
	return n <= 1
}

func npyTruncated(what string, got, want int, err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("npy: %s truncated after %d of %d bytes: %w", what, got, want, err)
}

type npyHeader struct {
	descr   string
	fortran bool
	shape   []uint64
}

// parseNPYHeader parses the header dict: '{' then key: value pairs separated by commas
// (a trailing comma allowed), '}', then only whitespace. Versions 1 and 2 are Latin-1,
// of which only ASCII appears in a valid header; version 3 allows UTF-8, again only in
// strings.
func parseNPYHeader(b []byte, major byte) (npyHeader, error) {
	p := &pyParser{s: string(b)}
	var h npyHeader
	if major == 3 && !utf8.Valid(b) {
		return h, errors.New("npy: header is not valid UTF-8")
	}
	if err := p.expect('{'); err != nil {
		return h, err
	}
	seen := map[string]bool{}
	for {
		p.space()
		if p.peek() == '}' {
			p.i++
			break
		}
		key, err := p.str()
		if err != nil {
			return h, err
		}
		if seen[key] {
			return h, p.errorf("duplicate key %q", key)
		}
		seen[key] = true
		if err := p.expect(':'); err != nil {
			return h, err
		}
		switch key {
		case "descr":
			h.descr, err = p.str()
		case "fortran_order":
			h.fortran, err = p.boolean()
		case "shape":
			h.shape, err = p.tuple()
		default:
			return h, p.errorf("unexpected key %q", key)
		}
		if err != nil {
			return h, err
		}
		p.space()
		switch p.peek() {
		case ',':
			p.i++
		case '}':
		default:
			return h, p.errorf("expected ',' or '}'")
		}
	}
	if rest := strings.TrimRight(p.s[p.i:], " \t\r\n"); rest != "" {
		return h, p.errorf("unexpected %q after the header dict", clip(rest))
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return h, fmt.Errorf("npy: header %q has no %q", clip(p.s), k)
		}
	}
	return h, nil
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// pyParser reads the small subset of Python literals that .npy headers use.
type pyParser struct {
	s string
	i int
}

func (p *pyParser) errorf(format string, args ...any) error {
	return fmt.Errorf("npy: header %q: at byte %d: %s", clip(p.s), p.i, fmt.Sprintf(format, args...))
}

func (p *pyParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

// peek returns the next byte, 0 at the end.
func (p *pyParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *pyParser) expect(c byte) error {
	p.space()
	if p.peek() != c {
		return p.errorf("expected %q", c)
	}
	p.i++
	return nil
}

// str reads a '…' or "…" string without escapes (no header value needs one).
func (p *pyParser) str() (string, error) {
	p.space()
	q := p.peek()
	if q != '\'' && q != '"' {
		return "", p.errorf("expected a string")
	}
	start := p.i + 1
	for j := start; j < len(p.s); j++ {
		switch p.s[j] {
		case q:
			p.i = j + 1
			return p.s[start:j], nil
		case '\\', '\n':
			return "", p.errorf("unsupported character %q in string", p.s[j])
		}
	}
	return "", p.errorf("unterminated string")
}

func (p *pyParser) boolean() (bool, error) {
	p.space()
	switch {
	case strings.HasPrefix(p.s[p.i:], "True"):
		p.i += 4
		return true, nil
	case strings.HasPrefix(p.s[p.i:], "False"):
		p.i += 5
		return false, nil
	}
	return false, p.errorf("expected True or False")
}

// tuple reads (), (n,) or (n, m, …) with an optional trailing comma, of non-negative
// decimal integers.
func (p *pyParser) tuple() ([]uint64, error) {
	if err := p.expect('('); err != nil {
		return nil, err
	}
	dims := []uint64{}
	comma := false // a comma follows the last dimension
	for {
		p.space()
		if p.peek() == ')' {
			if len(dims) == 1 && !comma {
				return nil, p.errorf("(n) is not a tuple; want (n,)")
			}
			p.i++
			return dims, nil
		}
		start := p.i
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		if start == p.i {
			return nil, p.errorf("expected a non-negative integer")
		}
		d, err := strconv.ParseUint(p.s[start:p.i], 10, 64)
		if err != nil {
			return nil, p.errorf("dimension %s out of range", p.s[start:p.i])
		}
		dims = append(dims, d)
		p.space()
		switch p.peek() {
		case ',':
			p.i++
			comma = true
		case ')':
			comma = false
		default:
			return nil, p.errorf("expected ',' or ')' in shape")
		}
	}
}

// WriteNPY writes t as a .npy file of format version 1.0 with descr '<f4' in C order,
// its header laid out as NumPy writes it (keys sorted, padded with spaces and '\n' to a
// multiple of 64 bytes).
func WriteNPY(w io.Writer, t *tensor.Tensor) error {
	if n := tensor.Numel(t.Shape); n != len(t.Data) {
		return fmt.Errorf("npy: %d values for shape %v", len(t.Data), t.Shape)
	}
	var sh strings.Builder
	sh.WriteByte('(')
	for i, d := range t.Shape {
		if i > 0 {
			sh.WriteString(", ")
		}
		sh.WriteString(strconv.Itoa(d))
	}
	if len(t.Shape) == 1 {
		sh.WriteByte(',')
	}
	sh.WriteByte(')')
	dict := "{'descr': '<f4', 'fortran_order': False, 'shape': " + sh.String() + ", }"
	// As NumPy does: 1 to 64 spaces and '\n' so that magic, version, length and header
	// end on a 64-byte boundary.
	hlen := len(dict) + 1
	hlen += 64 - (10+hlen)%64
	if hlen > math.MaxUint16 {
		return fmt.Errorf("npy: header of %d bytes too long for format 1.0", hlen)
	}
	bw := bufio.NewWriterSize(w, 1<<15)
	bw.WriteString(npyMagic)
	bw.Write([]byte{1, 0, byte(hlen), byte(hlen >> 8)})
	bw.WriteString(dict)
	bw.WriteString(strings.Repeat(" ", hlen-len(dict)-1))
	bw.WriteByte('\n')
	var b [4]byte
	for _, v := range t.Data {
		binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
		bw.Write(b[:])
	}
	return bw.Flush()
}
