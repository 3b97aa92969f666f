package text

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var vocabLines = [][]string{
	{"あたし", "は", "先輩", "が", "好き", "です"},
	{"僕", "は", "そう", "思う"},
	{"ボク", "は", "好き", "じゃん"},
	{"あたし", "も", "です"},
}

func TestBuildVocab(t *testing.T) {
	v := BuildVocab(vocabLines, VocabOptions{})
	// は 3; あたし 2, です 2, 好き 2 (ties by byte order); then the singles by byte order.
	want := []string{PadToken, UnknownToken, "は", "あたし", "です", "好き", "が", "じゃん", "そう", "も", "ボク", "僕", "先輩", "思う"}
	var got []string
	for id := range v.Len() {
		got = append(got, v.Token(id))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("tokens by id = %q\nwant %q", got, want)
	}
	wantCounts := map[string]int{PadToken: 0, UnknownToken: 0, "は": 3, "あたし": 2, "です": 2, "好き": 2, "僕": 1}
	for tok, c := range wantCounts {
		if got := v.Count(v.ID(tok)); got != c {
			t.Errorf("Count(%q) = %d, want %d", tok, got, c)
		}
	}
	if v.ID("ユキ") != UnknownID || v.Has("ユキ") {
		t.Errorf("unknown token: ID %d, Has %v", v.ID("ユキ"), v.Has("ユキ"))
	}
	if v.ID(PadToken) != PadID || v.ID(UnknownToken) != UnknownID {
		t.Error("reserved tokens not at reserved ids")
	}
	// Deterministic: the same lines in another order give the same ids.
	rev := [][]string{vocabLines[3], vocabLines[2], vocabLines[1], vocabLines[0]}
	if v2 := BuildVocab(rev, VocabOptions{}); !reflect.DeepEqual(v2.tokens, v.tokens) {
		t.Errorf("order of lines changed the ids: %q", v2.tokens)
	}
}

func TestBuildVocabMinCountMaxSize(t *testing.T) {
	v := BuildVocab(vocabLines, VocabOptions{MinCount: 2})
	if want := []string{PadToken, UnknownToken, "は", "あたし", "です", "好き"}; !reflect.DeepEqual(v.tokens, want) {
		t.Errorf("MinCount 2: %q, want %q", v.tokens, want)
	}
	if v.ID("僕") != UnknownID {
		t.Error("a token under MinCount has its own id")
	}
	v = BuildVocab(vocabLines, VocabOptions{MaxSize: 4})
	if want := []string{PadToken, UnknownToken, "は", "あたし"}; !reflect.DeepEqual(v.tokens, want) {
		t.Errorf("MaxSize 4: %q, want %q", v.tokens, want)
	}
	v = BuildVocab(vocabLines, VocabOptions{MaxSize: 1})
	if v.Len() != 2 {
		t.Errorf("MaxSize 1: Len %d, want the 2 reserved ids", v.Len())
	}
	v = BuildVocab([][]string{{PadToken, "", UnknownToken, "x"}}, VocabOptions{})
	if want := []string{PadToken, UnknownToken, "x"}; !reflect.DeepEqual(v.tokens, want) {
		t.Errorf("reserved and empty tokens in input: %q, want %q", v.tokens, want)
	}
}

func TestEncode(t *testing.T) {
	v := BuildVocab(vocabLines, VocabOptions{})
	id := v.ID
	line := []string{"あたし", "は", "ユキ", "です"}
	tests := []struct {
		length int
		want   []int
	}{
		// Shorter: padded at the front (Keras padding='pre'); ユキ is unknown.
		{6, []int{PadID, PadID, id("あたし"), id("は"), UnknownID, id("です")}},
		{4, []int{id("あたし"), id("は"), UnknownID, id("です")}},
		// Longer: the first tokens go (Keras truncating='pre'); the ending stays.
		{2, []int{UnknownID, id("です")}},
		{1, []int{id("です")}},
	}
	for _, tt := range tests {
		if got := v.Encode(line, tt.length); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Encode(length %d) = %v, want %v", tt.length, got, tt.want)
		}
	}
	if got := v.Encode(nil, 3); !reflect.DeepEqual(got, []int{0, 0, 0}) {
		t.Errorf("Encode(nil, 3) = %v", got)
	}
	dst := []int{9, 9, 9, 9, 9}
	if got := v.EncodeTo(dst, line); &got[0] != &dst[0] || got[0] != PadID || got[4] != id("です") {
		t.Errorf("EncodeTo = %v", got)
	}
	if got := v.IDs(line); !reflect.DeepEqual(got, []int{id("あたし"), id("は"), UnknownID, id("です")}) {
		t.Errorf("IDs = %v", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("Encode(length 0) did not panic")
		}
	}()
	v.Encode(line, 0)
}

func TestVocabSaveLoad(t *testing.T) {
	spec := TokenizerSpec{Name: "kagome-ipa", Form: "surface", DropPOS: []string{"記号"}}
	v := BuildVocab(vocabLines, VocabOptions{MinCount: 1, MaxSize: 100}).WithSpec(spec)
	path := filepath.Join(t.TempDir(), "vocab.json")
	if err := v.Save(path); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !bytes.Contains(b, []byte(`{"id":0,"token":"<pad>","count":0}`)) || !bytes.Contains(b, []byte(`"token":"あたし"`)) {
		t.Errorf("file does not read as expected:\n%s", b)
	}
	w, err := LoadVocab(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(w.tokens, v.tokens) || !reflect.DeepEqual(w.counts, v.counts) ||
		w.Options() != v.Options() || !reflect.DeepEqual(w.Spec(), spec) {
		t.Errorf("round trip changed the vocabulary:\n%+v\n%+v", w, v)
	}
	// Without a spec, the field is left out and reads back as zero.
	var buf bytes.Buffer
	if err := BuildVocab(vocabLines, VocabOptions{}).WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("tokenizer")) {
		t.Errorf("zero spec written: %s", buf.Bytes())
	}
	w, err = ReadVocab(&buf, "v.json")
	if err != nil || !w.Spec().IsZero() {
		t.Errorf("ReadVocab: %v, spec %+v", err, w.Spec())
	}
	if _, err := LoadVocab(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("LoadVocab of a missing file: no error")
	}
}

func TestReadVocabInvalid(t *testing.T) {
	const head = `{"format":"fugo-vocab","version":1,"min_count":0,"max_size":0,"tokens":[`
	ok := `{"id":0,"token":"<pad>","count":0},{"id":1,"token":"<unk>","count":0}`
	tests := []struct {
		name, json, want string
	}{
		{"good, ids out of order", head + `{"id":2,"token":"は","count":3},` + ok + `]}`, ""},
		{"duplicate id", head + ok + `,{"id":1,"token":"は","count":3}]}`, "v.json: id 1 appears twice"},
		{"gap", head + ok + `,{"id":3,"token":"は","count":3}]}`, "v.json: id 3 out of range: 3 tokens need ids 0..2"},
		{"negative id", head + ok + `,{"id":-1,"token":"は","count":3}]}`, "v.json: id -1 out of range: 3 tokens need ids 0..2"},
		{"no pad", head + `{"id":0,"token":"は","count":0},{"id":1,"token":"<unk>","count":0}]}`, `v.json: reserved ids missing: want 0 = "<pad>" and 1 = "<unk>"`},
		{"unk elsewhere", head + `{"id":0,"token":"<pad>","count":0},{"id":1,"token":"は","count":0},{"id":2,"token":"<unk>","count":0}]}`, `v.json: reserved ids missing: want 0 = "<pad>" and 1 = "<unk>"`},
		{"empty", head + `]}`, `v.json: reserved ids missing: want 0 = "<pad>" and 1 = "<unk>"`},
		{"duplicate token", head + ok + `,{"id":2,"token":"は","count":3},{"id":3,"token":"は","count":1}]}`, `v.json: token "は" has two ids, 2 and 3`},
		{"empty token", head + ok + `,{"id":2,"token":"","count":3}]}`, "v.json: id 2: empty token"},
		{"negative count", head + ok + `,{"id":2,"token":"は","count":-3}]}`, "v.json: id 2: negative count -3"},
		{"wrong format", `{"format":"fugo-labels","version":1,"tokens":[]}`, `v.json: format "fugo-labels", want "fugo-vocab"`},
		{"wrong version", `{"format":"fugo-vocab","version":2,"tokens":[]}`, "v.json: unsupported version 2 (want 1)"},
		{"unknown field", `{"format":"fugo-vocab","version":1,"tokenz":[]}`, `v.json: json: unknown field "tokenz"`},
		{"trailing data", head + ok + `]} {}`, "v.json: trailing data after JSON value"},
		{"truncated", head + ok, "v.json: unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadVocab(strings.NewReader(tt.json), "v.json")
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

func TestLabels(t *testing.T) {
	ex := []Example{{"ハルト", "a", 1}, {"レイ", "b", 2}, {"ハルト", "c", 3}, {"ミオ", "d", 4}, {"ソラ", "e", 5}}
	l := LabelsOf(ex)
	if want := corpusSpeakers; !reflect.DeepEqual(l.Names(), want) {
		t.Fatalf("Names = %v, want %v", l.Names(), want)
	}
	if i, ok := l.Index("ミオ"); !ok || i != 2 || l.Name(2) != "ミオ" || l.Len() != 4 {
		t.Errorf("Index(ミオ) = %d, %v", i, ok)
	}
	if _, ok := l.Index("ユキ"); ok {
		t.Error("Index(ユキ) found")
	}
	l.Names()[0] = "changed"
	if l.Name(0) != "ハルト" {
		t.Error("Names returned the internal slice")
	}
	path := filepath.Join(t.TempDir(), "labels.json")
	if err := l.Save(path); err != nil {
		t.Fatal(err)
	}
	m, err := LoadLabels(path)
	if err != nil || !reflect.DeepEqual(m.Names(), l.Names()) {
		t.Errorf("round trip: %v, %v", m, err)
	}
	for _, bad := range [][]string{nil, {"a", ""}, {"a", "b", "a"}} {
		if _, err := NewLabels(bad...); err == nil {
			t.Errorf("NewLabels(%q): no error", bad)
		}
	}
}

func TestReadLabelsInvalid(t *testing.T) {
	tests := []struct{ name, json, want string }{
		{"good, out of order", `{"format":"fugo-labels","version":1,"labels":[{"index":1,"name":"レイ"},{"index":0,"name":"ハルト"}]}`, ""},
		{"gap", `{"format":"fugo-labels","version":1,"labels":[{"index":0,"name":"ハルト"},{"index":2,"name":"レイ"}]}`, "l.json: index 2 out of range: 2 labels need indices 0..1"},
		{"duplicate index", `{"format":"fugo-labels","version":1,"labels":[{"index":0,"name":"ハルト"},{"index":0,"name":"レイ"}]}`, "l.json: index 0 appears twice"},
		{"duplicate name", `{"format":"fugo-labels","version":1,"labels":[{"index":0,"name":"ハルト"},{"index":1,"name":"ハルト"}]}`, `l.json: label "ハルト" at both 0 and 1`},
		{"empty name", `{"format":"fugo-labels","version":1,"labels":[{"index":0,"name":""}]}`, "l.json: label 0 is empty"},
		{"none", `{"format":"fugo-labels","version":1,"labels":[]}`, "l.json: no labels"},
		{"wrong format", `{"format":"fugo-vocab","version":1,"labels":[]}`, `l.json: format "fugo-vocab", want "fugo-labels"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadLabels(strings.NewReader(tt.json), "l.json")
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
