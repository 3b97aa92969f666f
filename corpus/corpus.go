// Package corpus embeds fugo's original Japanese dialogue corpus: lines spoken by four
// characters with distinct voices (ハルト, レイ, ミオ, ソラ), for the speaker classifier of
// the fifth origin post. The corpus was written by hand for fugo and is dedicated to the
// public domain under CC0-1.0; see README.md and LICENSE in this directory.
//
// The files use the format read by fugo/data/text.ReadTSV: one "speaker<TAB>line" per
// line, UTF-8, no header. TrainFile holds the training lines and TestFile the held-out
// lines; no line appears in both.
package corpus

import (
	"bytes"
	"embed"
	"io"
	"io/fs"
)

// File names of the embedded corpus, also their names under corpus/ in the repository.
const (
	TrainFile = "speakers-train.tsv"
	TestFile  = "speakers-test.tsv"
)

// Speakers returns the corpus's four characters, in the order in which they first speak
// in both files (and so the label order data/text.LabelsOf gives): ハルト, レイ, ミオ, ソラ.
// The slice is a fresh copy.
func Speakers() []string { return []string{"ハルト", "レイ", "ミオ", "ソラ"} }

//go:embed speakers-train.tsv speakers-test.tsv
var files embed.FS

// FS returns the embedded corpus files, TrainFile and TestFile, at its root.
func FS() fs.FS { return files }

// Train returns a reader over the training file.
func Train() io.Reader { return mustOpen(TrainFile) }

// Test returns a reader over the held-out test file.
func Test() io.Reader { return mustOpen(TestFile) }

func mustOpen(name string) io.Reader {
	b, err := files.ReadFile(name)
	if err != nil {
		panic("corpus: " + err.Error()) // unreachable: the file is embedded at build time
	}
	return bytes.NewReader(b)
}
