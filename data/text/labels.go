package text

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"fugo/internal/atomicfile"
)

// Labels maps class names (speakers) to the indices 0..Len()-1 of a classifier's output.
// A Labels is immutable and safe for concurrent use.
type Labels struct {
	names []string
	index map[string]int
}

// NewLabels returns labels with names[i] at index i. Names must be non-empty and distinct.
func NewLabels(names ...string) (*Labels, error) {
	if len(names) == 0 {
		return nil, fmt.Errorf("text: no labels")
	}
	l := &Labels{names: append([]string(nil), names...), index: make(map[string]int, len(names))}
	for i, n := range names {
		if strings.TrimSpace(n) == "" {
			return nil, fmt.Errorf("text: label %d is empty", i)
		}
		if j, dup := l.index[n]; dup {
			return nil, fmt.Errorf("text: label %q at both %d and %d", n, j, i)
		}
		l.index[n] = i
	}
	return l, nil
}

// LabelsOf returns the speakers of examples, indexed in order of first appearance (for
// the fugo corpus: ハルト 0, レイ 1, ミオ 2, ソラ 3). It panics if examples is empty.
func LabelsOf(examples []Example) *Labels {
	l, err := NewLabels(Speakers(examples)...)
	if err != nil {
		panic(err) // only for empty examples: ReadTSV never returns empty speakers
	}
	return l
}

// Len is the number of classes.
func (l *Labels) Len() int { return len(l.names) }

// Index returns the index of name and whether it is a known label.
func (l *Labels) Index(name string) (int, bool) {
	i, ok := l.index[name]
	return i, ok
}

// Name returns the label at index i; it panics if i is out of range.
func (l *Labels) Name(i int) string { return l.names[i] }

// Names returns a copy of all labels in index order.
func (l *Labels) Names() []string { return append([]string(nil), l.names...) }

// Labels JSON, for example:
//
//	{"format": "fugo-labels", "version": 1,
//	 "labels": [{"index": 0, "name": "ハルト"}, {"index": 1, "name": "レイ"}, ...]}
type labelsJSON struct {
	Format  string       `json:"format"`
	Version int          `json:"version"`
	Labels  []labelEntry `json:"labels"`
}

type labelEntry struct {
	Index int    `json:"index"`
	Name  string `json:"name"`
}

const labelsFormat = "fugo-labels"

// WriteJSON writes l as indented JSON.
func (l *Labels) WriteJSON(w io.Writer) error {
	j := labelsJSON{Format: labelsFormat, Version: 1, Labels: make([]labelEntry, len(l.names))}
	for i, n := range l.names {
		j.Labels[i] = labelEntry{Index: i, Name: n}
	}
	return writeJSONLines(w, j)
}

// Save writes l to path as JSON, atomically.
func (l *Labels) Save(path string) error { return atomicfile.WriteFile(path, l.WriteJSON) }

// ReadLabels reads labels written by WriteJSON and validates them: format and version,
// indices unique and contiguous from 0, names non-empty and distinct. name is used in
// error messages.
func ReadLabels(r io.Reader, name string) (*Labels, error) {
	var j labelsJSON
	if err := decodeStrict(r, &j); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if j.Format != labelsFormat {
		return nil, fmt.Errorf("%s: format %q, want %q", name, j.Format, labelsFormat)
	}
	if j.Version != 1 {
		return nil, fmt.Errorf("%s: unsupported version %d (want 1)", name, j.Version)
	}
	n := len(j.Labels)
	names := make([]string, n)
	seen := make([]bool, n)
	for _, e := range j.Labels {
		if e.Index < 0 || e.Index >= n {
			return nil, fmt.Errorf("%s: index %d out of range: %d labels need indices 0..%d", name, e.Index, n, n-1)
		}
		if seen[e.Index] {
			return nil, fmt.Errorf("%s: index %d appears twice", name, e.Index)
		}
		seen[e.Index] = true
		names[e.Index] = e.Name
	}
	l, err := NewLabels(names...)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "text: "))
	}
	return l, nil
}

// LoadLabels reads labels saved by Save.
func LoadLabels(path string) (*Labels, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadLabels(f, path)
}

// decodeStrict decodes one JSON value, rejecting unknown fields and trailing data.
func decodeStrict(r io.Reader, v any) error {
	d := json.NewDecoder(r)
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return fmt.Errorf("trailing data after JSON value")
	}
	return nil
}

// writeJSONLines writes v indented, for files people read and diff.
func writeJSONLines(w io.Writer, v any) error {
	e := json.NewEncoder(w)
	e.SetEscapeHTML(false)
	e.SetIndent("", "  ")
	return e.Encode(v)
}

// marshalCompact is json.Marshal without escaping <, > and & (so "<pad>" stays readable)
// and without the trailing newline.
func marshalCompact(v any) ([]byte, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
