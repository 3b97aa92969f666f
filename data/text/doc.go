// Package text turns Japanese lines into fixed-length sequences of integer ids for the
// speaker classifier of the fifth origin post (Embedding → Conv1D → MaxPool1D → LSTM).
//
// The pipeline is:
//
//	ReadTSV        speaker<TAB>line files  → []Example
//	Tokenizer      a line                  → morphemes (fugo/data/text/kagome: kagome v2 and
//	                                         the IPA dictionary, in its own package)
//	BuildVocab     training morphemes      → Vocab (0 = padding, 1 = unknown)
//	Vocab.Encode   morphemes               → []int of a fixed length (Keras 'pre' padding)
//	Labels         speaker names           ↔ class indices
//
// Vocab and Labels are saved as JSON beside a trained model so that prediction maps text
// to the same ids as training did.
package text
