package corpus

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fugo/data/text"
)

// minPerSpeaker and minTestPerSpeaker are the corpus sizes issue 6 asks for.
const (
	minPerSpeaker     = 150
	minTestPerSpeaker = 30
)

// sharedRunLimit is the length, in characters (runes), of the longest stretch of text two
// different lines may have in common. The check exists to catch lines made from a
// template by swapping a noun ("今日の部活は楽しかったです" / "今日の授業は楽しかったです"
// share 8 characters on one side of the swap, "今日の" and "は楽しかったです", so a template
// with a long fixed part shows up as a long shared run). Lines written separately in the
// same voice legitimately share a name plus an address form and an ending, e.g.
// "ハルト兄ちゃん、" (8 characters) or "えっと、すみません" (9), and the common endings
// "ではないか。" or "ですよね？" are shorter still. Measured on this corpus when the limit
// was chosen: the longest shared run between any two lines was LONGEST characters, so the
// limit of 11 leaves a margin above what hand-written lines share while rejecting any pair
// with 12 identical characters in a row, about half a typical line.
const sharedRunLimit = 11

type file struct {
	name string
	ex   []text.Example
}

func readAll(t *testing.T) (train, test file) {
	t.Helper()
	tr, err := text.ReadTSVSpeakers(Train(), TrainFile, Speakers)
	if err != nil {
		t.Fatal(err)
	}
	te, err := text.ReadTSVSpeakers(Test(), TestFile, Speakers)
	if err != nil {
		t.Fatal(err)
	}
	return file{TrainFile, tr}, file{TestFile, te}
}

func TestFilesParse(t *testing.T) {
	train, test := readAll(t)
	for _, f := range []file{train, test} {
		if got := text.Speakers(f.ex); !slices.Equal(got, Speakers) {
			t.Errorf("%s: speakers %v in order of appearance, want %v", f.name, got, Speakers)
		}
	}
}

func TestCounts(t *testing.T) {
	train, test := readAll(t)
	nTrain, nTest := map[string]int{}, map[string]int{}
	for _, e := range train.ex {
		nTrain[e.Speaker]++
	}
	for _, e := range test.ex {
		nTest[e.Speaker]++
	}
	for _, s := range Speakers {
		t.Logf("%s: train %d, test %d, total %d", s, nTrain[s], nTest[s], nTrain[s]+nTest[s])
		if n := nTrain[s] + nTest[s]; n < minPerSpeaker {
			t.Errorf("%s has %d lines in all, want at least %d", s, n, minPerSpeaker)
		}
		if nTest[s] < minTestPerSpeaker {
			t.Errorf("%s has %d test lines, want at least %d", s, nTest[s], minTestPerSpeaker)
		}
	}
	if len(nTrain) != 4 || len(nTest) != 4 {
		t.Errorf("speakers: train %d, test %d, want 4 each", len(nTrain), len(nTest))
	}
}

type loc struct {
	file string
	ex   text.Example
}

func (l loc) String() string { return fmt.Sprintf("%s:%d", l.file, l.ex.LineNo) }

func allLines(t *testing.T) []loc {
	train, test := readAll(t)
	var all []loc
	for _, f := range []file{train, test} {
		for _, e := range f.ex {
			all = append(all, loc{f.name, e})
		}
	}
	return all
}

// TestNoDuplicates checks that no line occurs twice, within a file or across the two
// (a line in both would leak test data into training).
func TestNoDuplicates(t *testing.T) {
	seen := map[string]loc{}
	for _, l := range allLines(t) {
		if p, dup := seen[l.ex.Line]; dup {
			t.Errorf("%v repeats %v: %q", l, p, l.ex.Line)
			continue
		}
		seen[l.ex.Line] = l
	}
}

// TestNoSharedRuns checks that no two lines share more than sharedRunLimit characters in
// a row (see sharedRunLimit). Every window of sharedRunLimit+1 runes of every line goes
// into a map; a window already owned by another line is a failure.
func TestNoSharedRuns(t *testing.T) {
	const k = sharedRunLimit + 1
	owner := map[string]int{}
	all := allLines(t)
	for i, l := range all {
		r := []rune(l.ex.Line)
		for s := 0; s+k <= len(r); s++ {
			w := string(r[s : s+k])
			j, ok := owner[w]
			switch {
			case !ok:
				owner[w] = i
			case j != i:
				t.Errorf("%v and %v share %q (more than %d characters in a row):\n\t%s\n\t%s",
					all[j], l, w, sharedRunLimit, all[j].ex.Line, l.ex.Line)
			}
		}
	}
}

// TestAtashiIsMio checks the cue the origin post wished its model had learnt: 「あたし」
// (the feminine first person) is said by ミオ alone.
func TestAtashiIsMio(t *testing.T) {
	n := 0
	for _, l := range allLines(t) {
		has := strings.Contains(l.ex.Line, "あたし")
		if has && l.ex.Speaker != "ミオ" {
			t.Errorf("%v: %s says あたし: %q", l, l.ex.Speaker, l.ex.Line)
		}
		if has {
			n++
		}
	}
	if n == 0 {
		t.Error("no line says あたし")
	}
}
