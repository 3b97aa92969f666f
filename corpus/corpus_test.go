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
// different lines may have in common; TestNoSharedRuns fails on a pair sharing
// sharedRunLimit+1 = 13 characters in a row.
//
// Why 12: lines written separately in the same voice legitimately share set phrases —
// a name with an address form ("ハルト先輩、ちょっと", 10), a polite formula
// ("ありがとうございました", 11) or a request ("てもらってもいいですか？", 12, the longest
// such phrase met while writing the corpus; it made a limit of 11 fail on two genuine
// lines). When the limit was set, the longest run shared by any two of the 780 lines was
// 11 characters (「ありがとうございます！」, 「、反対のことを仮定する」). A line copied from
// another with a word or two changed keeps a long untouched stretch, usually well over
// half of a 20–30 character line, and fails; so does pasting a long sentence into two lines.
//
// Short templates ("今日の部活は楽しかったです" / "今日の授業は楽しかったです") share less
// than 13 characters in a row, so TestNoSwappedTemplates catches them separately.
const sharedRunLimit = 12

// swapShare is the largest part of a line that may be shared with another line as a common
// prefix plus a common suffix — the shape of a line made from another by swapping one word.
// Lines shorter than swapMinLen runes are exempt: "だって眠いんだもん。" and
// "だって知らないんだもん。" are both natural. The highest share in the corpus when the
// limit was set was 0.75 (exactly that pair, 9 of 12 runes); the next was 0.69. The noun
// swap above shares 11 of 13 runes (0.85) and fails.
const (
	swapShare  = 0.8
	swapMinLen = 10
)

type file struct {
	name string
	ex   []text.Example
}

func readAll(t *testing.T) (train, test file) {
	t.Helper()
	tr, err := text.ReadTSVSpeakers(Train(), TrainFile, Speakers())
	if err != nil {
		t.Fatal(err)
	}
	te, err := text.ReadTSVSpeakers(Test(), TestFile, Speakers())
	if err != nil {
		t.Fatal(err)
	}
	return file{TrainFile, tr}, file{TestFile, te}
}

func TestFilesParse(t *testing.T) {
	train, test := readAll(t)
	for _, f := range []file{train, test} {
		if got := text.Speakers(f.ex); !slices.Equal(got, Speakers()) {
			t.Errorf("%s: speakers %v in order of appearance, want %v", f.name, got, Speakers())
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
	for _, s := range Speakers() {
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

// TestNoSwappedTemplates checks that no two lines are the same but for one changed
// stretch in the middle (see swapShare).
func TestNoSwappedTemplates(t *testing.T) {
	all := allLines(t)
	runes := make([][]rune, len(all))
	for i, l := range all {
		runes[i] = []rune(l.ex.Line)
	}
	for i := range all {
		for j := i + 1; j < len(all); j++ {
			a, b := runes[i], runes[j]
			n := max(len(a), len(b))
			if n < swapMinLen {
				continue
			}
			m := min(len(a), len(b))
			p := 0
			for p < m && a[p] == b[p] {
				p++
			}
			q := 0
			for q < m-p && a[len(a)-1-q] == b[len(b)-1-q] {
				q++
			}
			if float64(p+q) >= swapShare*float64(n) {
				t.Errorf("%v and %v differ only in the middle (%d of %d characters shared as prefix and suffix):\n\t%s\n\t%s",
					all[i], all[j], p+q, n, all[i].ex.Line, all[j].ex.Line)
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
