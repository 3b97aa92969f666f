package kagome

import (
	"reflect"
	"sync"
	"testing"

	"fugo/data/text"
)

// kagomeOnce builds one surface-form tokenizer for the tests that need no options;
// tests with options call New, which reuses the loaded dictionary.
var kagomeOnce = sync.OnceValues(func() (*Tokenizer, error) { return New() })

func surfaceTokenizer(t testing.TB) *Tokenizer {
	t.Helper()
	k, err := kagomeOnce()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestKagomeSurface(t *testing.T) {
	k := surfaceTokenizer(t)
	tests := []struct {
		line string
		want []string
	}{
		// Checked by hand against the IPA dictionary's analysis.
		{"あたしは先輩が好きです", []string{"あたし", "は", "先輩", "が", "好き", "です"}},
		{"ねえ、ボクの勝ちじゃん！", []string{"ねえ", "、", "ボク", "の", "勝ち", "じゃん", "！"}},
		{"証明しよう。", []string{"証明", "しよ", "う", "。"}},
		{"これは素数ではない。", []string{"これ", "は", "素数", "で", "は", "ない", "。"}},
		{"僕はそう思うんだけど、どうかな。", []string{"僕", "は", "そう", "思う", "ん", "だ", "けど", "、", "どう", "か", "な", "。"}},
		// Spaces, ASCII or ideographic, are not tokens.
		{"あたし 　は先輩", []string{"あたし", "は", "先輩"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := k.Tokenize(tt.line); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

func TestKagomeBaseForm(t *testing.T) {
	k, err := New(WithForm(Base))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		line string
		want []string
	}{
		{"公園に行った", []string{"公園", "に", "行く", "た"}},
		{"証明しよう。", []string{"証明", "する", "う", "。"}},
		{"食べちゃいました", []string{"食べる", "ちゃう", "ます", "た"}},
		// Unknown words have no base form in the dictionary: the surface stands in.
		{"フーゴが来た", []string{"フーゴ", "が", "来る", "た"}},
	}
	for _, tt := range tests {
		if got := k.Tokenize(tt.line); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
	if k.Form() != Base {
		t.Errorf("Form() = %v", k.Form())
	}
}

func TestKagomeDropPOS(t *testing.T) {
	tests := []struct {
		drop []string
		line string
		want []string
	}{
		{[]string{"記号"}, "ねえ、ボクの勝ちじゃん！", []string{"ねえ", "ボク", "の", "勝ち", "じゃん"}},
		{[]string{"記号,読点"}, "ねえ、ボクの勝ちじゃん！", []string{"ねえ", "ボク", "の", "勝ち", "じゃん", "！"}},
		{[]string{"助詞,格助詞"}, "あたしは先輩が好きです", []string{"あたし", "は", "先輩", "好き", "です"}},
		{[]string{"助詞", "記号"}, "あたしは先輩が好きです。", []string{"あたし", "先輩", "好き", "です"}},
		// A level must match whole: 名詞,代名 is not a prefix of 名詞,代名詞.
		{[]string{"名詞,代名"}, "あたしは", []string{"あたし", "は"}},
	}
	for _, tt := range tests {
		k, err := New(DropPOS(tt.drop...))
		if err != nil {
			t.Fatal(err)
		}
		if got := k.Tokenize(tt.line); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("DropPOS(%q).Tokenize(%q) = %q, want %q", tt.drop, tt.line, got, tt.want)
		}
	}
	if _, err := New(DropPOS("名詞,,一般")); err == nil {
		t.Error("DropPOS with an empty level: no error")
	}
}

func TestKagomeMorphemes(t *testing.T) {
	k := surfaceTokenizer(t)
	got := k.Morphemes("行った")
	want := []Morpheme{
		{Surface: "行っ", Base: "行く", POS: []string{"動詞", "自立"}},
		{Surface: "た", Base: "た", POS: []string{"助動詞"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Morphemes = %+v, want %+v", got, want)
	}
}

func TestKagomeSpec(t *testing.T) {
	k, err := New(WithForm(Base), DropPOS("記号", "助詞,格助詞"))
	if err != nil {
		t.Fatal(err)
	}
	s := k.Spec()
	want := text.TokenizerSpec{Name: Name, Form: "base", DropPOS: []string{"記号", "助詞,格助詞"}}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("Spec = %+v, want %+v", s, want)
	}
	k2, err := NewFromSpec(s)
	if err != nil {
		t.Fatal(err)
	}
	line := "ミオが部室に来た。"
	if a, b := k.Tokenize(line), k2.Tokenize(line); !reflect.DeepEqual(a, b) {
		t.Errorf("rebuilt tokenizer gives %q, original %q", b, a)
	}
	for _, bad := range []text.TokenizerSpec{{Name: "mecab"}, {Name: Name, Form: "reading"}} {
		if _, err := NewFromSpec(bad); err == nil {
			t.Errorf("NewFromSpec(%+v): no error", bad)
		}
	}
	if _, err := New(WithForm(Form(7))); err == nil {
		t.Error("WithForm(7): no error")
	}
}

func TestKagomeConcurrent(t *testing.T) {
	k := surfaceTokenizer(t)
	want := k.Tokenize("あたしは先輩が好きです")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				if got := k.Tokenize("あたしは先輩が好きです"); !reflect.DeepEqual(got, want) {
					t.Errorf("concurrent Tokenize = %q", got)
					return
				}
			}
		})
	}
	wg.Wait()
}

// text.Tokenizer is satisfied by *Tokenizer.
var _ text.Tokenizer = (*Tokenizer)(nil)

func BenchmarkNew(b *testing.B) {
	surfaceTokenizer(b) // the first load is not what this measures
	for b.Loop() {
		if _, err := New(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKagomeTokenize(b *testing.B) {
	k := surfaceTokenizer(b)
	for b.Loop() {
		k.Tokenize("えっと、あたしが考えたのは、こういう場合なんですけど。")
	}
}
