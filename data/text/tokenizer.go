package text

// Tokenizer splits one line of text into tokens (for Japanese, morphemes).
// Implementations must be deterministic: the same line always gives the same tokens.
// The Japanese one, over kagome and the IPA dictionary, is in package fugo/data/text/kagome,
// kept apart so that importing this package does not link the dictionary.
type Tokenizer interface {
	Tokenize(line string) []string
}

// TokenizerSpec describes a tokenizer in a form that can be saved beside a vocabulary
// and a model, so that prediction splits text exactly as training did.
type TokenizerSpec struct {
	Name    string   `json:"name"`               // "kagome-ipa" for fugo/data/text/kagome
	Form    string   `json:"form,omitempty"`     // "surface" or "base"
	DropPOS []string `json:"drop_pos,omitempty"` // part-of-speech filters, as given to kagome.DropPOS
}

// IsZero reports whether s describes no tokenizer.
func (s TokenizerSpec) IsZero() bool { return s.Name == "" && s.Form == "" && len(s.DropPOS) == 0 }
