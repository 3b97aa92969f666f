package arrays

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fugo/internal/atomicfile"
	"fugo/tensor"
)

// ReadCSV reads a numeric matrix from comma-separated text (RFC 4180 quoting, blank lines
// skipped, spaces around fields ignored, a UTF-8 byte order mark dropped) as a tensor of
// shape [rows, cols]. When the first row is not all numbers it is taken as a header and
// skipped (so a malformed first data row is taken for a header: check the row count).
// Numbers are parsed as float32 by strconv (NaN, ±Inf accepted; values beyond
// the float32 range are errors). Every row must have as many fields as the first. Errors
// name the line and the column (1-based field number). Empty input gives shape [0, 0];
// a header alone gives [0, len(header)].
func ReadCSV(r io.Reader) (*tensor.Tensor, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked here, for a better message
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	var data []float32
	cols, rows, first := -1, 0, true
	firstLine := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if first {
			first = false
			rec[0] = strings.TrimPrefix(rec[0], "\uFEFF")
			cols, firstLine = len(rec), line
			if !allNumbers(rec) {
				continue // header
			}
		}
		if len(rec) != cols {
			return nil, fmt.Errorf("csv: line %d: %d fields, want %d as on line %d", line, len(rec), cols, firstLine)
		}
		for j, f := range rec {
			v, err := parseField(f)
			if err != nil {
				l, _ := cr.FieldPos(j)
				return nil, fmt.Errorf("csv: line %d, column %d: %w", l, j+1, err)
			}
			data = append(data, v)
		}
		rows++
	}
	if cols < 0 {
		cols = 0
	}
	if data == nil {
		data = []float32{}
	}
	return &tensor.Tensor{Shape: []int{rows, cols}, Data: data}, nil
}

func parseField(f string) (float32, error) {
	s := strings.TrimSpace(f)
	if s == "" {
		return 0, errors.New("empty field")
	}
	v, err := strconv.ParseFloat(s, 32)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) { // overflow; underflow rounds without error
			return 0, fmt.Errorf("%q is out of the float32 range", f)
		}
		return 0, fmt.Errorf("%q is not a number", f)
	}
	return float32(v), nil
}

func allNumbers(rec []string) bool {
	for _, f := range rec {
		if _, err := parseField(f); err != nil {
			return false
		}
	}
	return true
}

// WriteCSV writes a rank-2 tensor as CSV, one line per row, values formatted with the
// fewest digits that read back to the same float32 (strconv 'g', -1, 32). No header.
func WriteCSV(w io.Writer, t *tensor.Tensor) error {
	if len(t.Shape) != 2 {
		return fmt.Errorf("csv: tensor of shape %v is not a matrix", t.Shape)
	}
	rows, cols := t.Shape[0], t.Shape[1]
	if rows*cols != len(t.Data) || rows < 0 || cols < 0 {
		return fmt.Errorf("csv: %d values for shape %v", len(t.Data), t.Shape)
	}
	if cols == 0 && rows > 0 {
		return fmt.Errorf("csv: cannot write %d rows of no columns", rows)
	}
	bw := bufio.NewWriterSize(w, 1<<15)
	var buf []byte
	for i := range rows {
		buf = buf[:0]
		for j, v := range t.Data[i*cols : (i+1)*cols] {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendFloat(buf, float64(v), 'g', -1, 32)
		}
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}

// LoadFile reads a tensor from path, as .npy (ReadNPY) or .csv (ReadCSV) by the file's
// extension, case-insensitive. Errors name the file.
func LoadFile(path string) (*tensor.Tensor, error) {
	var read func(io.Reader) (*tensor.Tensor, error)
	switch strings.ToLower(filepath.Ext(path)) {
	case ".npy":
		read = ReadNPY
	case ".csv":
		read = ReadCSV
	default:
		return nil, fmt.Errorf("%s: unknown array format (want .npy or .csv)", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *PathError names the file
	}
	defer f.Close()
	t, err := read(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// SaveFile writes t to path as .npy (WriteNPY) or .csv (WriteCSV, rank 2 only) by the
// file's extension, atomically: a failed write leaves path as it was.
func SaveFile(path string, t *tensor.Tensor) error {
	var write func(io.Writer, *tensor.Tensor) error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".npy":
		write = WriteNPY
	case ".csv":
		write = WriteCSV
	default:
		return fmt.Errorf("%s: unknown array format (want .npy or .csv)", path)
	}
	return atomicfile.WriteFile(path, func(w io.Writer) error { return write(w, t) })
}
