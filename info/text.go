package info

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sort"
	"unicode/utf8"
)

// Symbol is one distinct symbol of a text and how often it occurs.
type Symbol struct {
	Text  string // the character (a UTF-8 string of one rune) or the single byte
	Count int64
}

// CountRunes counts the Unicode characters of a UTF-8 text. The result is sorted by
// decreasing count, ties by increasing code point. Invalid UTF-8 is an error naming the
// byte offset (count bytes instead for binary files); so is an empty text.
func CountRunes(r io.Reader) ([]Symbol, error) {
	br := bufio.NewReader(r)
	counts := map[rune]int64{}
	var off int64
	for {
		c, size, err := br.ReadRune()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if c == utf8.RuneError && size == 1 {
			return nil, fmt.Errorf("invalid UTF-8 at byte %d (count bytes instead)", off)
		}
		counts[c]++
		off += int64(size)
	}
	if len(counts) == 0 {
		return nil, errors.New("empty text")
	}
	out := make([]Symbol, 0, len(counts))
	for c, n := range counts {
		out = append(out, Symbol{Text: string(c), Count: n})
	}
	sortSymbols(out, func(a, b string) bool {
		ra, _ := utf8.DecodeRuneInString(a)
		rb, _ := utf8.DecodeRuneInString(b)
		return ra < rb
	})
	return out, nil
}

// CountBytes counts the bytes of a file, sorted like CountRunes (ties by byte value). An
// empty file is an error.
func CountBytes(r io.Reader) ([]Symbol, error) {
	var counts [256]int64
	buf := make([]byte, 1<<16)
	for {
		n, err := r.Read(buf)
		for _, b := range buf[:n] {
			counts[b]++
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	var out []Symbol
	for b, n := range counts {
		if n > 0 {
			out = append(out, Symbol{Text: string([]byte{byte(b)}), Count: n})
		}
	}
	if len(out) == 0 {
		return nil, errors.New("empty file")
	}
	sortSymbols(out, func(a, b string) bool { return a < b })
	return out, nil
}

func sortSymbols(s []Symbol, less func(a, b string) bool) {
	sort.Slice(s, func(i, j int) bool {
		if s[i].Count != s[j].Count {
			return s[i].Count > s[j].Count
		}
		return less(s[i].Text, s[j].Text)
	})
}

// Align puts two symbol counts over their common alphabet: the symbols of p in p's order,
// then those only in q in q's order. It returns the alphabet and both count vectors, with 0
// where a text lacks a symbol — which makes H(P, Q) infinite when q lacks one of p's.
func Align(p, q []Symbol) (alphabet []string, pc, qc []float64) {
	index := map[string]int{}
	for _, s := range p {
		index[s.Text] = len(alphabet)
		alphabet = append(alphabet, s.Text)
	}
	for _, s := range q {
		if _, ok := index[s.Text]; !ok {
			index[s.Text] = len(alphabet)
			alphabet = append(alphabet, s.Text)
		}
	}
	pc = make([]float64, len(alphabet))
	qc = make([]float64, len(alphabet))
	for _, s := range p {
		pc[index[s.Text]] = float64(s.Count)
	}
	for _, s := range q {
		qc[index[s.Text]] = float64(s.Count)
	}
	return alphabet, pc, qc
}
