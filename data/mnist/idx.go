package mnist

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// IDX type codes (third byte of the magic number).
const (
	TypeUint8   = 0x08 // unsigned byte: the only type ReadIDX decodes (MNIST, Fashion-MNIST)
	TypeInt8    = 0x09 // signed byte
	TypeInt16   = 0x0B // big-endian short
	TypeInt32   = 0x0C // big-endian int
	TypeFloat32 = 0x0D // big-endian float
	TypeFloat64 = 0x0E // big-endian double
)

// MaxElements is the largest element count (product of the dimensions) ReadIDX accepts.
// A header that claims more is rejected with ErrBadDims before anything is allocated.
const MaxElements = 1 << 31

// readChunk is how much ReadIDX asks of the reader at a time; the data buffer grows
// with what was actually read, so a lying header costs at most about twice the bytes
// really present, never the size it claims.
const readChunk = 1 << 20

// ErrBadMagic is wrapped by the error ReadIDX returns when the first four bytes are not
// an IDX magic number (0x00 0x00 type ndims) or name an unknown type code.
var ErrBadMagic = errors.New("not an IDX file: bad magic number")

// ErrBadDims is wrapped by the error ReadIDX returns for impossible dimensions: a
// dimension count of 0, a dimension of 0, or an element count above MaxElements.
var ErrBadDims = errors.New("impossible IDX dimensions")

// UnsupportedTypeError reports a well-formed IDX header whose element type ReadIDX does
// not decode (anything but TypeUint8).
type UnsupportedTypeError struct {
	Code byte // the IDX type code, e.g. 0x0D
}

func (e *UnsupportedTypeError) Error() string {
	return fmt.Sprintf("unsupported IDX data type 0x%02X (%s); only 0x08 (unsigned byte) is read", e.Code, typeName(e.Code))
}

// TruncatedError reports input that ended mid-record. It wraps io.ErrUnexpectedEOF.
// Read and Want count bytes of the (decompressed) IDX stream from its start: Want is
// the full length the header implies, or the header length itself while the header is
// incomplete (Header is then true).
type TruncatedError struct {
	Read, Want int64
	Header     bool
}

func (e *TruncatedError) Error() string {
	if e.Header {
		return fmt.Sprintf("truncated header after %d of %d bytes", e.Read, e.Want)
	}
	return fmt.Sprintf("truncated after %d of %d bytes", e.Read, e.Want)
}

// Unwrap returns io.ErrUnexpectedEOF.
func (e *TruncatedError) Unwrap() error { return io.ErrUnexpectedEOF }

func typeName(code byte) string {
	switch code {
	case TypeUint8:
		return "unsigned byte"
	case TypeInt8:
		return "signed byte"
	case TypeInt16:
		return "short"
	case TypeInt32:
		return "int"
	case TypeFloat32:
		return "float"
	case TypeFloat64:
		return "double"
	}
	return "unknown"
}

// IDX is a decoded IDX file of unsigned bytes: len(Data) is the product of Dims, laid out
// row-major (the last dimension varies fastest), e.g. Dims [60000 28 28] for MNIST images,
// [60000] for labels.
type IDX struct {
	Dims []int
	Data []uint8
}

// ReadIDX decodes one IDX file (Y. LeCun's format: magic 0x00 0x00 type ndims, ndims
// big-endian uint32 dimensions, then the elements). Input starting with the gzip magic
// bytes 0x1f 0x8b is decompressed first, whatever its name. Only unsigned-byte data
// (type 0x08) is decoded; other types give an *UnsupportedTypeError. Bytes after the
// last element are not read.
//
// Errors: ErrBadMagic, ErrBadDims (checked before allocating), *UnsupportedTypeError,
// *TruncatedError (wraps io.ErrUnexpectedEOF) for input that ends early, and the
// reader's or gzip's own errors. Memory grows with the bytes actually read, not with
// the size the header claims.
func ReadIDX(r io.Reader) (*IDX, error) {
	br := bufio.NewReader(r)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("gzip header: %w", io.ErrUnexpectedEOF)
			}
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		zr.Multistream(false)
		x, err := readIDX(zr)
		if err != nil {
			return nil, err
		}
		// Read on to the end of the member so gzip verifies its CRC and length; bytes
		// past the IDX payload are ignored like in uncompressed input.
		var one [1]byte
		if _, err := zr.Read(one[:]); err != nil && err != io.EOF {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return x, nil
	}
	return readIDX(br)
}

func readIDX(r io.Reader) (*IDX, error) {
	var head [4]byte
	if n, err := io.ReadFull(r, head[:]); err != nil {
		return nil, truncated(err, int64(n), 4, true)
	}
	if head[0] != 0 || head[1] != 0 || typeName(head[2]) == "unknown" {
		return nil, fmt.Errorf("%w: % x", ErrBadMagic, head[:])
	}
	if head[2] != TypeUint8 {
		return nil, &UnsupportedTypeError{Code: head[2]}
	}
	nd := int(head[3])
	if nd == 0 {
		return nil, fmt.Errorf("%w: zero dimensions", ErrBadDims)
	}
	hlen := 4 + 4*nd
	raw := make([]byte, 4*nd)
	if n, err := io.ReadFull(r, raw); err != nil {
		return nil, truncated(err, int64(4+n), int64(hlen), true)
	}
	dims := make([]int, nd)
	total := int64(1)
	for i := range dims {
		d := int64(binary.BigEndian.Uint32(raw[4*i:]))
		if d == 0 {
			return nil, fmt.Errorf("%w: dimension %d of %s is 0", ErrBadDims, i, fmtDims(raw))
		}
		if d > MaxElements || total*d > MaxElements { // total ≤ 2^31, d ≤ 2^31: no overflow
			return nil, fmt.Errorf("%w: %s has more than %d elements", ErrBadDims, fmtDims(raw), MaxElements)
		}
		total *= d
		dims[i] = int(d)
	}
	n := int(total)
	data := make([]byte, 0, min(n, readChunk))
	for len(data) < n {
		want := min(n-len(data), readChunk)
		if cap(data)-len(data) < want {
			grown := make([]byte, len(data), min(n, max(2*cap(data), len(data)+want)))
			copy(grown, data)
			data = grown
		}
		m, err := io.ReadFull(r, data[len(data):len(data)+want])
		data = data[:len(data)+m]
		if err != nil {
			return nil, truncated(err, int64(hlen+len(data)), int64(hlen)+total, false)
		}
	}
	return &IDX{Dims: dims, Data: data}, nil
}

// truncated maps an EOF from io.ReadFull to a *TruncatedError and passes other errors on.
func truncated(err error, read, want int64, header bool) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &TruncatedError{Read: read, Want: want, Header: header}
	}
	return err
}

func fmtDims(raw []byte) string {
	s := make([]string, len(raw)/4)
	for i := range s {
		s[i] = fmt.Sprint(binary.BigEndian.Uint32(raw[4*i:]))
	}
	return "[" + strings.Join(s, " ") + "]"
}

// WriteIDX writes x as an uncompressed unsigned-byte IDX file. It returns an error
// when x's dimensions are impossible (see ReadIDX) or disagree with len(x.Data).
func WriteIDX(w io.Writer, x *IDX) error {
	if len(x.Dims) == 0 || len(x.Dims) > 255 {
		return fmt.Errorf("%w: %d dimensions", ErrBadDims, len(x.Dims))
	}
	buf := make([]byte, 4+4*len(x.Dims))
	buf[2], buf[3] = TypeUint8, byte(len(x.Dims))
	total := int64(1)
	for i, d := range x.Dims {
		if d <= 0 || int64(d) > MaxElements || total*int64(d) > MaxElements {
			return fmt.Errorf("%w: %v", ErrBadDims, x.Dims)
		}
		total *= int64(d)
		binary.BigEndian.PutUint32(buf[4+4*i:], uint32(d))
	}
	if total != int64(len(x.Data)) {
		return fmt.Errorf("mnist.WriteIDX: %d bytes of data for dimensions %v (%d elements)", len(x.Data), x.Dims, total)
	}
	if _, err := w.Write(buf); err != nil {
		return err
	}
	_, err := w.Write(x.Data)
	return err
}
