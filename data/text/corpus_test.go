package text_test

import (
	"slices"
	"strings"
	"testing"

	"fugo/corpus"
	"fugo/data/text"
	"fugo/data/text/kagome"
)

// TestCorpusPipeline runs the whole pipeline on fugo's own corpus: read both files (the
// test file checked against the training speakers), tokenise, build the vocabulary from
// the training lines only, encode, and check the cue the origin post cared about: every
// line with あたし keeps it as one morpheme, which has an id of its own.
func TestCorpusPipeline(t *testing.T) {
	train, err := text.ReadTSV(corpus.Train(), corpus.TrainFile)
	if err != nil {
		t.Fatal(err)
	}
	labels := text.LabelsOf(train)
	test, err := text.ReadTSVSpeakers(corpus.Test(), corpus.TestFile, labels.Names())
	if err != nil {
		t.Fatal(err)
	}
	k, err := kagome.New()
	if err != nil {
		t.Fatal(err)
	}
	var toks [][]string
	maxLen := 0
	for _, e := range train {
		ts := k.Tokenize(e.Line)
		toks = append(toks, ts)
		maxLen = max(maxLen, len(ts))
	}
	v := text.BuildVocab(toks, text.VocabOptions{MinCount: 1})
	t.Logf("%d training lines, %d test lines, %d ids, longest line %d morphemes", len(train), len(test), v.Len(), maxLen)
	if !v.Has("あたし") {
		t.Fatal("あたし has no id")
	}
	unknown, total := 0, 0
	for _, e := range test {
		ts := k.Tokenize(e.Line)
		if strings.Contains(e.Line, "あたし") && !slices.Contains(ts, "あたし") {
			t.Errorf("%s:%d: あたし split: %q", corpus.TestFile, e.LineNo, ts)
		}
		ids := v.Encode(ts, maxLen)
		if len(ids) != maxLen {
			t.Fatalf("Encode gave %d ids", len(ids))
		}
		for _, id := range ids {
			if id == text.UnknownID {
				unknown++
			}
			if id != text.PadID {
				total++
			}
		}
	}
	t.Logf("test morphemes unknown to the training vocabulary: %d of %d", unknown, total)
	for i, e := range train {
		if strings.Contains(e.Line, "あたし") && !slices.Contains(toks[i], "あたし") {
			t.Errorf("%s:%d: あたし split: %q", corpus.TrainFile, e.LineNo, toks[i])
		}
	}
}
