package text

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"os"
	"slices"

	"fugo/internal/atomicfile"
)

// Reserved ids of every Vocab.
const (
	PadID     = 0 // fills sequences up to their length; Embedding rows for it are never trained usefully
	UnknownID = 1 // any token not in the vocabulary
)

// Reserved tokens, stored at PadID and UnknownID. Neither can come out of a tokenizer
// that splits Japanese text, and BuildVocab skips them if one does.
const (
	PadToken     = "<pad>"
	UnknownToken = "<unk>"
)

// VocabOptions configures BuildVocab.
type VocabOptions struct {
	// MinCount drops tokens seen fewer times than this in the training lines; they encode
	// as UnknownID. 0 and 1 both keep every token.
	MinCount int
	// MaxSize caps the number of ids, the two reserved ones included (Keras Tokenizer's
	// num_words, the Embedding's input_dim); the rarest tokens are dropped first. 0 means
	// no cap. A MaxSize below 2 is treated as 2.
	MaxSize int
}

// Vocab maps tokens to integer ids: PadID = 0, UnknownID = 1, then the kept tokens in
// order of decreasing training count, ties broken by the token's byte order, so the same
// training lines always give the same ids. A Vocab is immutable once built and safe for
// concurrent use.
type Vocab struct {
	tokens []string
	counts []int
	ids    map[string]int
	opts   VocabOptions
	spec   TokenizerSpec
}

// BuildVocab counts the tokens of the tokenised training lines (one []string per line)
// and keeps those that pass opts.
func BuildVocab(lines [][]string, opts VocabOptions) *Vocab {
	count := make(map[string]int)
	for _, l := range lines {
		for _, t := range l {
			if t == "" || t == PadToken || t == UnknownToken {
				continue
			}
			count[t]++
		}
	}
	type tc struct {
		t string
		c int
	}
	var all []tc
	for t, c := range count {
		if c >= opts.MinCount {
			all = append(all, tc{t, c})
		}
	}
	slices.SortFunc(all, func(a, b tc) int {
		if a.c != b.c {
			return cmp.Compare(b.c, a.c)
		}
		return cmp.Compare(a.t, b.t)
	})
	if opts.MaxSize > 0 {
		keep := max(opts.MaxSize-2, 0)
		if len(all) > keep {
			all = all[:keep]
		}
	}
	tokens := []string{PadToken, UnknownToken}
	counts := []int{0, 0}
	for _, x := range all {
		tokens = append(tokens, x.t)
		counts = append(counts, x.c)
	}
	v, err := newVocab(tokens, counts)
	if err != nil {
		panic("text: BuildVocab: " + err.Error()) // unreachable: tokens are distinct by construction
	}
	v.opts = opts
	return v
}

func newVocab(tokens []string, counts []int) (*Vocab, error) {
	if len(tokens) < 2 || tokens[PadID] != PadToken || tokens[UnknownID] != UnknownToken {
		return nil, fmt.Errorf("reserved ids missing: want %d = %q and %d = %q", PadID, PadToken, UnknownID, UnknownToken)
	}
	ids := make(map[string]int, len(tokens))
	for i, t := range tokens {
		if t == "" {
			return nil, fmt.Errorf("id %d: empty token", i)
		}
		if j, dup := ids[t]; dup {
			return nil, fmt.Errorf("token %q has two ids, %d and %d", t, j, i)
		}
		ids[t] = i
	}
	return &Vocab{tokens: tokens, counts: counts, ids: ids}, nil
}

// WithSpec returns a copy of v that records which tokenizer produced its tokens, so a
// saved model can rebuild the same tokenizer (see fugo/data/text/kagome: Tokenizer.Spec
// and NewFromSpec).
func (v *Vocab) WithSpec(s TokenizerSpec) *Vocab {
	c := *v
	c.spec = s
	return &c
}

// Spec returns the tokenizer description recorded with WithSpec (zero if none).
func (v *Vocab) Spec() TokenizerSpec { return v.spec }

// Options returns the options the vocabulary was built with.
func (v *Vocab) Options() VocabOptions { return v.opts }

// Len is the number of ids, the reserved ones included: the Embedding's input size.
func (v *Vocab) Len() int { return len(v.tokens) }

// ID returns the id of token, or UnknownID if the vocabulary lacks it.
func (v *Vocab) ID(token string) int {
	if id, ok := v.ids[token]; ok {
		return id
	}
	return UnknownID
}

// Has reports whether token has an id of its own (the reserved tokens included).
func (v *Vocab) Has(token string) bool { _, ok := v.ids[token]; return ok }

// Token returns the token of id; it panics if id is out of range.
func (v *Vocab) Token(id int) string { return v.tokens[id] }

// Count returns how often the token of id was seen in the training lines (0 for the
// reserved ids); it panics if id is out of range.
func (v *Vocab) Count(id int) int { return v.counts[id] }

// IDs maps tokens to ids without padding or truncation.
func (v *Vocab) IDs(tokens []string) []int {
	out := make([]int, len(tokens))
	for i, t := range tokens {
		out[i] = v.ID(t)
	}
	return out
}

// Encode maps tokens to exactly length ids, following the defaults of Keras'
// pad_sequences (padding='pre', truncating='pre'): a short line is padded with PadID at
// the front, a long line loses its first tokens and keeps its last length. Keeping the
// end suits Japanese dialogue, whose sentence-final particles and copulas (だね, です,
// じゃん) say most about the speaker. It panics if length < 1.
func (v *Vocab) Encode(tokens []string, length int) []int {
	if length < 1 {
		panic(fmt.Sprintf("text: Vocab.Encode: length %d < 1", length))
	}
	return v.EncodeTo(make([]int, length), tokens)
}

// EncodeTo is Encode into dst, whose length is the sequence length; it returns dst.
// It panics if dst is empty.
func (v *Vocab) EncodeTo(dst []int, tokens []string) []int {
	length := len(dst)
	if length < 1 {
		panic("text: Vocab.EncodeTo: empty dst")
	}
	if len(tokens) > length {
		tokens = tokens[len(tokens)-length:]
	}
	pad := length - len(tokens)
	for i := range pad {
		dst[i] = PadID
	}
	for i, t := range tokens {
		dst[pad+i] = v.ID(t)
	}
	return dst
}

// Vocabulary JSON, for example:
//
//	{"format": "fugo-vocab", "version": 1, "min_count": 2, "max_size": 0,
//	 "tokenizer": {"name": "kagome-ipa", "form": "surface"},
//	 "tokens": [{"id": 0, "token": "<pad>", "count": 0}, {"id": 1, "token": "<unk>", "count": 0},
//	            {"id": 2, "token": "。", "count": 512}, ...]}
type vocabJSON struct {
	Format    string         `json:"format"`
	Version   int            `json:"version"`
	MinCount  int            `json:"min_count"`
	MaxSize   int            `json:"max_size"`
	Tokenizer *TokenizerSpec `json:"tokenizer,omitempty"`
	Tokens    []vocabEntry   `json:"tokens"`
}

type vocabEntry struct {
	ID    int    `json:"id"`
	Token string `json:"token"`
	Count int    `json:"count"`
}

const vocabFormat = "fugo-vocab"

// WriteJSON writes v as JSON laid out for people: the header fields, then one token
// per line, in id order.
func (v *Vocab) WriteJSON(w io.Writer) error {
	head := vocabJSON{Format: vocabFormat, Version: 1, MinCount: v.opts.MinCount, MaxSize: v.opts.MaxSize}
	if !v.spec.IsZero() {
		s := v.spec
		head.Tokenizer = &s
	}
	hb, err := marshalCompact(head)
	if err != nil {
		return err
	}
	// hb ends in `"tokens":null}`: replace that with the token lines.
	hb = bytes.TrimSuffix(hb, []byte(`"tokens":null}`))
	var b bytes.Buffer
	b.Write(hb)
	b.WriteString("\"tokens\":[\n")
	for i, t := range v.tokens {
		eb, err := marshalCompact(vocabEntry{ID: i, Token: t, Count: v.counts[i]})
		if err != nil {
			return err
		}
		b.WriteString("  ")
		b.Write(eb)
		if i < len(v.tokens)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	_, err = w.Write(b.Bytes())
	return err
}

// Save writes v to path as JSON, atomically: a reader never sees half a file.
func (v *Vocab) Save(path string) error {
	return atomicfile.WriteFile(path, v.WriteJSON)
}

// ReadVocab reads a vocabulary written by WriteJSON and validates it: the format tag and
// version, ids unique and contiguous from 0 (in any order in the file), the reserved ids
// holding PadToken and UnknownToken, tokens non-empty and distinct, counts not negative.
// name is used in error messages.
func ReadVocab(r io.Reader, name string) (*Vocab, error) {
	var j vocabJSON
	if err := decodeStrict(r, &j); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if j.Format != vocabFormat {
		return nil, fmt.Errorf("%s: format %q, want %q", name, j.Format, vocabFormat)
	}
	if j.Version != 1 {
		return nil, fmt.Errorf("%s: unsupported version %d (want 1)", name, j.Version)
	}
	n := len(j.Tokens)
	tokens := make([]string, n)
	counts := make([]int, n)
	seen := make([]bool, n)
	for _, e := range j.Tokens {
		if e.ID < 0 || e.ID >= n {
			return nil, fmt.Errorf("%s: id %d out of range: %d tokens need ids 0..%d", name, e.ID, n, n-1)
		}
		if seen[e.ID] {
			return nil, fmt.Errorf("%s: id %d appears twice", name, e.ID)
		}
		if e.Count < 0 {
			return nil, fmt.Errorf("%s: id %d: negative count %d", name, e.ID, e.Count)
		}
		seen[e.ID] = true
		tokens[e.ID], counts[e.ID] = e.Token, e.Count
	}
	v, err := newVocab(tokens, counts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	v.opts = VocabOptions{MinCount: j.MinCount, MaxSize: j.MaxSize}
	if j.Tokenizer != nil {
		v.spec = *j.Tokenizer
	}
	return v, nil
}

// LoadVocab reads a vocabulary saved by Save.
func LoadVocab(path string) (*Vocab, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadVocab(f, path)
}
