package text

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Example is one labelled line of a corpus.
type Example struct {
	Speaker string // who says the line, e.g. ミオ
	Line    string // what is said, without surrounding whitespace
	LineNo  int    // 1-based line number in the file it was read from
}

// MaxTSVLine is the longest line, in bytes, that ReadTSV accepts. Longer lines are an
// error rather than an allocation the size of the input.
const MaxTSVLine = 64 << 10

// ParseError reports a malformed line of a corpus file. Its message reads
// "NAME:LINE: what was wrong", the way compilers report positions.
type ParseError struct {
	Name string // the file name given to ReadTSV
	Line int    // 1-based line number
	Msg  string // what was wrong
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, e.Msg) }

// ReadTSV reads a corpus of labelled lines in the format
//
//	speaker<TAB>line
//
// one example per line, UTF-8, no header and no comments. Both fields are trimmed of
// surrounding whitespace (including the ideographic space U+3000); the line itself may
// contain any character but a tab. Lines may end in LF or CRLF; a UTF-8 byte-order mark
// at the start of the file is skipped; the last line may lack its newline.
//
// Each of these is an error naming the file (name) and the 1-based line number, returned
// as a *ParseError: an empty or blank line, a missing tab, a second tab, an empty
// speaker, an empty text, invalid UTF-8, a line over MaxTSVLine bytes. A file with no
// examples at all is also an error. Errors from r are returned wrapped with name.
func ReadTSV(r io.Reader, name string) ([]Example, error) {
	return readTSV(r, name, nil)
}

// ReadTSVSpeakers is ReadTSV for a file that must use only the given speakers, as a test
// file must use only the speakers the model was trained on. A line with any other
// speaker is an error such as
//
//	speakers-test.tsv:17: unknown speaker "ユキ" (training speakers: ハルト, レイ, ミオ, ソラ)
//
// with the known speakers listed in the order given.
func ReadTSVSpeakers(r io.Reader, name string, known []string) ([]Example, error) {
	set := make(map[string]bool, len(known))
	for _, k := range known {
		set[k] = true
	}
	return readTSV(r, name, func(s string) string {
		if set[s] {
			return ""
		}
		return fmt.Sprintf("unknown speaker %q (training speakers: %s)", s, strings.Join(known, ", "))
	})
}

func readTSV(r io.Reader, name string, check func(speaker string) string) ([]Example, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), MaxTSVLine+2) // room for CRLF
	var out []Example
	n := 0
	fail := func(format string, args ...any) error {
		return &ParseError{Name: name, Line: n, Msg: fmt.Sprintf(format, args...)}
	}
	for sc.Scan() {
		n++
		b := sc.Bytes()
		b = bytes.TrimSuffix(b, []byte{'\r'})
		if n == 1 {
			b = bytes.TrimPrefix(b, []byte("\uFEFF"))
		}
		if len(b) > MaxTSVLine {
			return nil, fail("line longer than %d bytes", MaxTSVLine)
		}
		if !utf8.Valid(b) {
			return nil, fail("invalid UTF-8 at byte %d", invalidAt(b)+1)
		}
		s := string(b)
		if strings.TrimSpace(s) == "" {
			return nil, fail("empty line")
		}
		speaker, text, ok := strings.Cut(s, "\t")
		if !ok {
			return nil, fail("missing tab between speaker and line")
		}
		if strings.Contains(text, "\t") {
			return nil, fail("more than one tab (want speaker<TAB>line)")
		}
		speaker, text = strings.TrimSpace(speaker), strings.TrimSpace(text)
		if speaker == "" {
			return nil, fail("empty speaker")
		}
		if text == "" {
			return nil, fail("empty text for speaker %q", speaker)
		}
		if check != nil {
			if msg := check(speaker); msg != "" {
				return nil, fail("%s", msg)
			}
		}
		out = append(out, Example{Speaker: speaker, Line: text, LineNo: n})
	}
	if err := sc.Err(); err != nil {
		n++
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fail("line longer than %d bytes", MaxTSVLine)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no examples", name)
	}
	return out, nil
}

// invalidAt returns the byte offset of the first invalid UTF-8 sequence in b.
func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// Speakers returns the distinct speakers of examples in order of first appearance.
func Speakers(examples []Example) []string {
	seen := make(map[string]bool)
	var out []string
	for _, e := range examples {
		if !seen[e.Speaker] {
			seen[e.Speaker] = true
			out = append(out, e.Speaker)
		}
	}
	return out
}
