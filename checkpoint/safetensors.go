// Package checkpoint stores model weights on disk in the safetensors format of Hugging Face,
// with fugo's own reader and writer, and checks a file's tensors against what a model wants.
//
// A safetensors file is
//
//	uint64 little-endian N   length of the header in bytes
//	N bytes of UTF-8 JSON    {"__metadata__": {"k": "v", …},          (optional, string→string)
//	                          "name": {"dtype": "F32", "shape": [2, 3],
//	                                   "data_offsets": [begin, end]}, …}
//	data section             raw little-endian tensor bytes, row-major; offsets are relative
//	                         to its first byte, end exclusive
//
// The reference implementation pads the header with spaces so that the data section starts
// at a multiple of 8 bytes, and requires the tensors to tile the data section exactly: sorted
// by offset, each begins where the previous ends, the last ends at the end of the file.
package checkpoint

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"fugo/internal/atomicfile"
)

// Tensor is one named float32 array of a checkpoint: Data holds the row-major elements of
// Shape (one element for the scalar shape []).
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// MaxHeaderSize is the largest JSON header Read accepts (100 MB), as the reference
// implementation does; it bounds what a corrupt length field can make the reader allocate.
const MaxHeaderSize = 100_000_000

// metadataKey is the reserved header key holding the string→string metadata.
const metadataKey = "__metadata__"

// ErrFormat is matched (errors.Is) by every error Read returns for a malformed file,
// including an unsupported dtype.
var ErrFormat = errors.New("safetensors: malformed file")

// FormatError describes what is wrong with a safetensors file. Tensor is the name of the
// tensor concerned, or "" for the file as a whole. Err, when not nil, is the underlying
// cause (io.ErrUnexpectedEOF for a truncated file).
type FormatError struct {
	Tensor string
	Msg    string
	Err    error
}

func (e *FormatError) Error() string {
	s := "safetensors: "
	if e.Tensor != "" {
		s += fmt.Sprintf("tensor %q: ", e.Tensor)
	}
	s += e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FormatError) Unwrap() error { return e.Err }

// Is reports whether target is ErrFormat.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

// DTypeError reports a tensor stored with a dtype Read cannot convert to float32.
type DTypeError struct {
	Tensor string
	DType  string
}

func (e *DTypeError) Error() string {
	return fmt.Sprintf("safetensors: tensor %q: unsupported dtype %q (fugo reads F32, F64, F16 and BF16)", e.Tensor, e.DType)
}

// Is reports whether target is ErrFormat.
func (e *DTypeError) Is(target error) bool { return target == ErrFormat }

func formatErr(tensor, format string, args ...any) error {
	return &FormatError{Tensor: tensor, Msg: fmt.Sprintf(format, args...)}
}

// dtypeSize is the element size in bytes of the dtypes Read converts to float32.
var dtypeSize = map[string]int{"F32": 4, "F64": 8, "F16": 2, "BF16": 2}

// Write writes tensors as a safetensors file with dtype F32, in the given order with
// contiguous data offsets, and metadata (may be nil) under "__metadata__" with its keys
// sorted. The header is padded with spaces to a multiple of 8 bytes. Names must be
// non-empty valid UTF-8, unique and not "__metadata__"; len(Data) must equal the product
// of Shape. Nothing is written when the arguments are invalid.
func Write(w io.Writer, tensors []Tensor, metadata map[string]string) error {
	header, err := encodeHeader(tensors, metadata)
	if err != nil {
		return err
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(header)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	if _, err := w.Write(header); err != nil {
		return err
	}
	buf := make([]byte, 0, 1<<15)
	for _, t := range tensors {
		for _, v := range t.Data {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			if len(buf) == cap(buf) {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
	}
	if len(buf) > 0 {
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

func encodeHeader(tensors []Tensor, metadata map[string]string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	str := func(s string) {
		enc.Encode(s) // a string cannot fail to encode
		b.Truncate(b.Len() - 1)
	}
	b.WriteByte('{')
	sep := ""
	if len(metadata) > 0 {
		keys := make([]string, 0, len(metadata))
		for k, v := range metadata {
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				return nil, fmt.Errorf("safetensors: metadata %q: not valid UTF-8", k)
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString(`"` + metadataKey + `":{`)
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			str(k)
			b.WriteByte(':')
			str(metadata[k])
		}
		b.WriteByte('}')
		sep = ","
	}
	seen := make(map[string]bool, len(tensors))
	var off uint64
	for _, t := range tensors {
		switch {
		case t.Name == "":
			return nil, errors.New("safetensors: tensor with an empty name")
		case t.Name == metadataKey:
			return nil, fmt.Errorf("safetensors: tensor name %q is reserved", t.Name)
		case !utf8.ValidString(t.Name):
			return nil, fmt.Errorf("safetensors: tensor name %q is not valid UTF-8", t.Name)
		case seen[t.Name]:
			return nil, fmt.Errorf("safetensors: duplicate tensor name %q", t.Name)
		}
		seen[t.Name] = true
		n := 1
		for _, d := range t.Shape {
			if d < 0 {
				return nil, fmt.Errorf("safetensors: tensor %q: negative dimension in shape %v", t.Name, t.Shape)
			}
			n *= d
		}
		if n != len(t.Data) {
			return nil, fmt.Errorf("safetensors: tensor %q: %d values for shape %v", t.Name, len(t.Data), t.Shape)
		}
		b.WriteString(sep)
		sep = ","
		str(t.Name)
		b.WriteString(`:{"dtype":"F32","shape":[`)
		for i, d := range t.Shape {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprint(&b, d)
		}
		end := off + 4*uint64(len(t.Data))
		fmt.Fprintf(&b, `],"data_offsets":[%d,%d]}`, off, end)
		off = end
	}
	b.WriteByte('}')
	for b.Len()%8 != 0 {
		b.WriteByte(' ')
	}
	return b.Bytes(), nil
}

// entry is one tensor of a parsed header.
type entry struct {
	name       string
	dtype      string
	shape      []int
	numel      int
	begin, end int64
}

// Read parses a safetensors stream of size bytes in all (header length field included) and
// returns its tensors converted to float32, in the order of their data offsets, and its
// metadata (nil when the file has none). Dtypes F32, F64, F16 and BF16 are read; F64 is
// rounded to the nearest float32. The whole header is validated before any tensor data is
// allocated: length within size and MaxHeaderSize, UTF-8 well-formed JSON object, unique
// names, shapes whose element count does not overflow, offsets inside the data section
// that tile it exactly (no overlap, no gap, nothing after the last tensor), and end-begin
// equal to the element count times the dtype size. Errors match ErrFormat; a stream shorter
// than size gives an error wrapping io.ErrUnexpectedEOF.
func Read(r io.Reader, size int64) ([]Tensor, map[string]string, error) {
	if size < 8 {
		return nil, nil, formatErr("", "file of %d bytes is too short for the 8-byte header length", size)
	}
	var nb [8]byte
	if m, err := io.ReadFull(r, nb[:]); err != nil {
		return nil, nil, truncated("", "header length", int64(m), 8, err)
	}
	n := binary.LittleEndian.Uint64(nb[:])
	if n > MaxHeaderSize {
		return nil, nil, formatErr("", "header length %d exceeds the limit of %d bytes", n, MaxHeaderSize)
	}
	if n > uint64(size-8) {
		return nil, nil, formatErr("", "header length %d exceeds the %d bytes after the length field", n, size-8)
	}
	// Read through a LimitReader so that a lying size cannot make us allocate n bytes
	// the stream does not hold.
	header, err := io.ReadAll(io.LimitReader(r, int64(n)))
	if err != nil {
		return nil, nil, &FormatError{Msg: "reading header", Err: err}
	}
	if uint64(len(header)) < n {
		return nil, nil, truncated("", "header", int64(len(header)), int64(n), io.ErrUnexpectedEOF)
	}
	dataLen := size - 8 - int64(n)
	entries, meta, err := parseHeader(header, dataLen)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Tensor, len(entries))
	for i, e := range entries {
		data, err := readData(r, e)
		if err != nil {
			return nil, nil, err
		}
		out[i] = Tensor{Name: e.name, Shape: e.shape, Data: data}
	}
	return out, meta, nil
}

func truncated(tensor, what string, got, want int64, err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return &FormatError{Tensor: tensor, Msg: fmt.Sprintf("%s truncated after %d of %d bytes", what, got, want), Err: err}
}

// parseHeader validates the JSON header against a data section of dataLen bytes and returns
// its tensors sorted by offset.
func parseHeader(header []byte, dataLen int64) ([]entry, map[string]string, error) {
	if !utf8.Valid(header) {
		return nil, nil, formatErr("", "header is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(header))
	dec.UseNumber()
	if err := expectDelim(dec, '{'); err != nil {
		return nil, nil, err
	}
	var meta map[string]string
	seenMeta := false
	seen := map[string]bool{}
	var entries []entry
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, jsonErr(err)
		}
		name := tok.(string) // object keys are always strings
		if name == metadataKey {
			if seenMeta {
				return nil, nil, formatErr("", "duplicate %q", metadataKey)
			}
			seenMeta = true
			if meta, err = parseMetadata(dec); err != nil {
				return nil, nil, err
			}
			continue
		}
		if seen[name] {
			return nil, nil, formatErr(name, "duplicate tensor name")
		}
		seen[name] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, jsonErr(err)
		}
		e, err := parseEntry(name, raw, dataLen)
		if err != nil {
			return nil, nil, err
		}
		entries = append(entries, e)
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, formatErr("", "header has data after the JSON object")
	}

	// The tensors must tile [0, dataLen) exactly.
	slices.SortStableFunc(entries, func(a, b entry) int {
		if a.begin != b.begin {
			return cmpInt64(a.begin, b.begin)
		}
		return cmpInt64(a.end, b.end)
	})
	var pos int64
	prev := ""
	for _, e := range entries {
		switch {
		case e.begin < pos:
			return nil, nil, formatErr(e.name, "data_offsets [%d, %d] overlap tensor %q ending at %d", e.begin, e.end, prev, pos)
		case e.begin > pos:
			return nil, nil, formatErr(e.name, "data_offsets [%d, %d] leave bytes [%d, %d) of the data section unused", e.begin, e.end, pos, e.begin)
		}
		pos, prev = e.end, e.name
	}
	if pos != dataLen {
		return nil, nil, formatErr("", "tensors cover %d of the %d bytes of the data section", pos, dataLen)
	}
	return entries, meta, nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return jsonErr(err)
	}
	if tok != d {
		return formatErr("", "header: expected %q, found %v", string(d), tok)
	}
	return nil
}

func jsonErr(err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return &FormatError{Msg: "header is not valid JSON", Err: err}
}

func parseMetadata(dec *json.Decoder) (map[string]string, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonErr(err)
	}
	if tok == nil {
		return nil, nil // "__metadata__": null, as an absent Option in the reference
	}
	if tok != json.Delim('{') {
		return nil, formatErr("", "%q is not an object of strings", metadataKey)
	}
	meta := map[string]string{}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, jsonErr(err)
		}
		key := k.(string)
		v, err := dec.Token()
		if err != nil {
			return nil, jsonErr(err)
		}
		s, ok := v.(string)
		if !ok {
			return nil, formatErr("", "%s: value of %q is not a string", metadataKey, key)
		}
		if _, dup := meta[key]; dup {
			return nil, formatErr("", "%s: duplicate key %q", metadataKey, key)
		}
		meta[key] = s
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, jsonErr(err)
	}
	return meta, nil
}

// parseEntry validates one tensor's {"dtype", "shape", "data_offsets"} against a data
// section of dataLen bytes. Unknown fields are ignored, as the reference does.
func parseEntry(name string, raw json.RawMessage, dataLen int64) (entry, error) {
	var info struct {
		DType   *string  `json:"dtype"`
		Shape   []uint64 `json:"shape"`
		Offsets []uint64 `json:"data_offsets"`
	}
	e := entry{name: name}
	if err := json.Unmarshal(raw, &info); err != nil {
		return e, &FormatError{Tensor: name, Msg: "bad tensor info " + clip(string(raw)), Err: err}
	}
	switch {
	case info.DType == nil:
		return e, formatErr(name, "no dtype")
	case info.Shape == nil:
		return e, formatErr(name, "no shape")
	case info.Offsets == nil:
		return e, formatErr(name, "no data_offsets")
	case len(info.Offsets) != 2:
		return e, formatErr(name, "data_offsets %v is not a pair [begin, end]", info.Offsets)
	}
	e.dtype = *info.DType
	esize, ok := dtypeSize[e.dtype]
	if !ok {
		return e, &DTypeError{Tensor: name, DType: e.dtype}
	}
	// Element count, bounded so that count·esize fits an int64.
	limit := uint64(math.MaxInt64) / uint64(esize)
	numel := uint64(1)
	for _, d := range info.Shape {
		hi, lo := bits.Mul64(numel, d)
		if hi != 0 || lo > limit {
			return e, formatErr(name, "shape %v: element count overflows", info.Shape)
		}
		numel = lo
	}
	e.shape = make([]int, len(info.Shape))
	for i, d := range info.Shape {
		if d > math.MaxInt64 { // only possible with a zero elsewhere in the shape
			return e, formatErr(name, "shape %v: dimension too large", info.Shape)
		}
		e.shape[i] = int(d)
	}
	if uint64(int(numel)) != numel {
		return e, formatErr(name, "shape %v: element count overflows int", info.Shape)
	}
	e.numel = int(numel)
	b, end := info.Offsets[0], info.Offsets[1]
	switch {
	case b > end:
		return e, formatErr(name, "data_offsets [%d, %d]: begin after end", b, end)
	case end > uint64(dataLen):
		return e, formatErr(name, "data_offsets [%d, %d] outside the data section of %d bytes", b, end, dataLen)
	case end-b != numel*uint64(esize):
		return e, formatErr(name, "data_offsets [%d, %d] hold %d bytes, but %s shape %v needs %d", b, end, end-b, e.dtype, e.shape, numel*uint64(esize))
	}
	e.begin, e.end = int64(b), int64(end)
	return e, nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// readData reads and converts one tensor's bytes. The output grows chunk by chunk, so a
// stream shorter than the size passed to Read cannot make it allocate more than it holds
// (plus one chunk).
func readData(r io.Reader, e entry) ([]float32, error) {
	esize := dtypeSize[e.dtype]
	total := e.end - e.begin
	const chunk = 1 << 16 // bytes, a multiple of every element size
	buf := make([]byte, min(total, chunk))
	out := make([]float32, 0, min(e.numel, 1<<20))
	var done int64
	for done < total {
		k := min(total-done, chunk)
		m, err := io.ReadFull(r, buf[:k])
		if err != nil {
			return nil, truncated(e.name, "data", done+int64(m), total, err)
		}
		done += k
		p := buf[:k]
		switch e.dtype {
		case "F32":
			for i := 0; i < len(p); i += esize {
				out = append(out, math.Float32frombits(binary.LittleEndian.Uint32(p[i:])))
			}
		case "F64":
			for i := 0; i < len(p); i += esize {
				out = append(out, float32(math.Float64frombits(binary.LittleEndian.Uint64(p[i:]))))
			}
		case "F16":
			for i := 0; i < len(p); i += esize {
				out = append(out, Float16ToFloat32(binary.LittleEndian.Uint16(p[i:])))
			}
		case "BF16":
			for i := 0; i < len(p); i += esize {
				out = append(out, math.Float32frombits(uint32(binary.LittleEndian.Uint16(p[i:]))<<16))
			}
		}
	}
	return out, nil
}

// Float16ToFloat32 converts an IEEE 754 binary16 value (1 sign, 5 exponent, 10 fraction
// bits) to float32 exactly, subnormals, infinities and NaN payloads included.
func Float16ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	case exp != 0: // normal: rebias 15 → 127
		return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
	case frac == 0:
		return math.Float32frombits(sign)
	}
	// subnormal: frac·2⁻²⁴, exact in float32
	v := float32(frac) * (1.0 / (1 << 24))
	if sign != 0 {
		v = -v
	}
	return v
}

// SaveFile writes tensors and metadata to path as a safetensors file (see Write),
// atomically: a reader never sees a partial file and a failed write leaves path as it was.
func SaveFile(path string, tensors []Tensor, metadata map[string]string) error {
	return atomicfile.WriteFile(path, func(w io.Writer) error {
		return Write(w, tensors, metadata)
	})
}

// LoadFile reads the safetensors file at path (see Read). Errors name the file.
func LoadFile(path string) ([]Tensor, map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err // *PathError names the file
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	ts, meta, err := Read(bufio.NewReaderSize(f, 1<<16), st.Size())
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return ts, meta, nil
}

// MismatchError lists every difference Match found between the tensors a model wants and
// those in a file.
type MismatchError struct {
	Missing    []Tensor // wanted but absent from the file (Shape is the model's)
	Unexpected []Tensor // in the file but not wanted (Shape is the file's)
	Shapes     []ShapeMismatch
	Duplicates []string // names given more than once in want or in got
}

// ShapeMismatch is a tensor present on both sides with different shapes.
type ShapeMismatch struct {
	Name        string
	File, Model []int
}

// Problems returns one line per difference, in the order: duplicates, missing, shape
// mismatches, unexpected.
func (e *MismatchError) Problems() []string {
	var p []string
	for _, n := range e.Duplicates {
		p = append(p, fmt.Sprintf("tensor %s: named more than once", n))
	}
	for _, t := range e.Missing {
		p = append(p, fmt.Sprintf("tensor %s: missing from file, model wants shape %v", t.Name, t.Shape))
	}
	for _, s := range e.Shapes {
		p = append(p, fmt.Sprintf("tensor %s: shape %v in file, model wants %v", s.Name, s.File, s.Model))
	}
	for _, t := range e.Unexpected {
		p = append(p, fmt.Sprintf("tensor %s: shape %v in file, not in model", t.Name, t.Shape))
	}
	return p
}

func (e *MismatchError) Error() string {
	p := e.Problems()
	return fmt.Sprintf("checkpoint does not match model (%d problems):\n\t%s", len(p), strings.Join(p, "\n\t"))
}

// Match compares the names and shapes of got (read from a file) with want (what a model
// expects; Data is ignored on both sides) and returns nil when they agree as sets, or a
// *MismatchError listing every missing name, unexpected name and shape mismatch.
func Match(want, got []Tensor) error {
	e := &MismatchError{}
	gotByName := make(map[string]Tensor, len(got))
	for _, t := range got {
		if _, dup := gotByName[t.Name]; dup {
			e.Duplicates = append(e.Duplicates, t.Name+" (file)")
		}
		gotByName[t.Name] = t
	}
	wanted := make(map[string]bool, len(want))
	for _, w := range want {
		if wanted[w.Name] {
			e.Duplicates = append(e.Duplicates, w.Name+" (model)")
			continue
		}
		wanted[w.Name] = true
		g, ok := gotByName[w.Name]
		switch {
		case !ok:
			e.Missing = append(e.Missing, Tensor{Name: w.Name, Shape: w.Shape})
		case !slices.Equal(g.Shape, w.Shape):
			e.Shapes = append(e.Shapes, ShapeMismatch{Name: w.Name, File: g.Shape, Model: w.Shape})
		}
	}
	for _, g := range got {
		if !wanted[g.Name] {
			e.Unexpected = append(e.Unexpected, Tensor{Name: g.Name, Shape: g.Shape})
		}
	}
	if len(e.Missing)+len(e.Unexpected)+len(e.Shapes)+len(e.Duplicates) == 0 {
		return nil
	}
	return e
}
