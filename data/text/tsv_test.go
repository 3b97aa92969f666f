package text

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

var corpusSpeakers = []string{"ハルト", "レイ", "ミオ", "ソラ"}

func readFile(t *testing.T, path string, known []string) ([]Example, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if known != nil {
		return ReadTSVSpeakers(f, path, known)
	}
	return ReadTSV(f, path)
}

func TestReadTSVGood(t *testing.T) {
	want := []Example{
		{"ハルト", "そうだね。", 1},
		{"レイ", "違う。", 2},
		{"ミオ", "あたし、がんばります！", 3},
		{"ソラ", "ねえ、ずるいじゃん。", 4},
	}
	got, err := readFile(t, "testdata/good.tsv", corpusSpeakers)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if s := Speakers(got); !reflect.DeepEqual(s, corpusSpeakers) {
		t.Errorf("Speakers = %v, want %v", s, corpusSpeakers)
	}
}

// TestReadTSVLenient checks what is accepted: a byte-order mark, CRLF line ends, a last
// line without newline, whitespace (ASCII and U+3000) around the fields.
func TestReadTSVLenient(t *testing.T) {
	want := []Example{{"ハルト", "そうだね。", 1}, {"レイ", "違う。", 2}, {"ミオ", "はいっ！", 3}}
	got, err := readFile(t, "testdata/crlf-bom-noeol.tsv", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestReadTSVErrors(t *testing.T) {
	tests := []struct {
		file  string
		known []string
		line  int
		msg   string
	}{
		{"missing-tab.tsv", nil, 2, "missing tab between speaker and line"},
		{"empty-line.tsv", nil, 2, "empty line"},
		{"empty-text.tsv", nil, 3, `empty text for speaker "ミオ"`},
		{"invalid-utf8.tsv", nil, 2, "invalid UTF-8 at byte 11"},
		{"two-tabs.tsv", nil, 1, "more than one tab (want speaker<TAB>line)"},
		{"empty-speaker.tsv", nil, 1, "empty speaker"},
		{"unknown-speaker.tsv", corpusSpeakers, 17, `unknown speaker "ユキ" (training speakers: ハルト, レイ, ミオ, ソラ)`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			_, err := readFile(t, path, tt.known)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Name != path || pe.Line != tt.line || pe.Msg != tt.msg {
				t.Errorf("got %s:%d: %s\nwant %s:%d: %s", pe.Name, pe.Line, pe.Msg, path, tt.line, tt.msg)
			}
			if want := fmt.Sprintf("%s:%d: %s", path, tt.line, tt.msg); err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
		})
	}
}

// TestReadTSVIssueExample reproduces the message issue 6 gives as its example.
func TestReadTSVIssueExample(t *testing.T) {
	b, err := os.ReadFile("testdata/unknown-speaker.tsv")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadTSVSpeakers(strings.NewReader(string(b)), "speakers-test.tsv", corpusSpeakers)
	const want = `speakers-test.tsv:17: unknown speaker "ユキ" (training speakers: ハルト, レイ, ミオ, ソラ)`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	// Without the speaker check the same file reads, ユキ included.
	ex, err := ReadTSV(strings.NewReader(string(b)), "speakers-test.tsv")
	if err != nil || len(ex) != 18 || ex[16].Speaker != "ユキ" {
		t.Errorf("ReadTSV: %d examples, err %v", len(ex), err)
	}
}

func TestReadTSVEdgeCases(t *testing.T) {
	tests := []struct {
		name, in, want string // want is the error message, "" for success
	}{
		{"empty file", "", "f.tsv: no examples"},
		{"only newline", "\n", "f.tsv:1: empty line"},
		{"trailing blank line", "ハルト\tうん。\n\n", "f.tsv:2: empty line"},
		{"blank with spaces", "ハルト\tうん。\n \t \n", "f.tsv:2: empty line"},
		{"full-width space only text", "ハルト\t\u3000\n", `f.tsv:1: empty text for speaker "ハルト"`},
		{"too long", "ハルト\t" + strings.Repeat("あ", MaxTSVLine/3+1) + "\n", "f.tsv:1: line longer than 65536 bytes"},
		{"too long after good", "レイ\t次。\nハルト\t" + strings.Repeat("a", MaxTSVLine+10), "f.tsv:2: line longer than 65536 bytes"},
		{"long but within limit", "ハルト\t" + strings.Repeat("a", MaxTSVLine-20) + "\r\n", ""},
		{"last line ends in a lone CR", "ハルト\tうん。\r", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadTSV(strings.NewReader(tt.in), "f.tsv")
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("err = %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzReadTSV checks that ReadTSV never panics, and that what it accepts satisfies the
// documented invariants and survives a write-and-read round trip.
func FuzzReadTSV(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.tsv")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("a\tb\n\n"))
	f.Add([]byte("\xef\xbb\xbf\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ex, err := ReadTSV(strings.NewReader(string(b)), "fuzz.tsv")
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) && (pe.Line < 1 || pe.Name != "fuzz.tsv") {
				t.Fatalf("bad position in %v", err)
			}
			if !strings.HasPrefix(err.Error(), "fuzz.tsv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if len(ex) == 0 {
			t.Fatal("no error and no examples")
		}
		var sb strings.Builder
		last := 0
		for _, e := range ex {
			for _, s := range []string{e.Speaker, e.Line} {
				if s == "" || s != strings.TrimSpace(s) || strings.ContainsAny(s, "\t\n") || !utf8.ValidString(s) {
					t.Fatalf("bad field %q in %+v", s, e)
				}
			}
			if e.LineNo <= last {
				t.Fatalf("line numbers not increasing: %d after %d", e.LineNo, last)
			}
			last = e.LineNo
			sb.WriteString(e.Speaker + "\t" + e.Line + "\n")
		}
		again, err := ReadTSV(strings.NewReader(sb.String()), "again.tsv")
		if err != nil {
			t.Fatalf("re-reading accepted examples: %v", err)
		}
		for i := range ex {
			if again[i].Speaker != ex[i].Speaker || again[i].Line != ex[i].Line {
				t.Fatalf("round trip changed %+v into %+v", ex[i], again[i])
			}
		}
	})
}
