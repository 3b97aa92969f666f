package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fugo/autodiff"
	"fugo/corpus"
	"fugo/data/arrays"
	"fugo/data/text"
	"fugo/nn"
	"fugo/optim"
	"fugo/plot"
	"fugo/tensor"
	"fugo/train"
	"fugo/zoo"
)

func init() {
	register(&verb{
		name:    "speaker",
		summary: "who said it? train, use and evaluate the Japanese speaker classifier",
		usage: `usage: fugo speaker train|predict|eval|sweep|cv|bench [flags] [arguments]

The classifier of the fifth origin post: lines split into morphemes (kagome, IPA
dictionary), then Embedding(vocab, embed) → Conv1D(32, 3, relu, same) →
MaxPooling1D(2) → LSTM(units) → Dense(speakers, softmax), trained with Adam on
the categorical cross-entropy. A bag-of-morphemes softmax regression (logistic
regression on morpheme counts) is trained beside it as the baseline. Corpora
are TSV files, one "speaker<TAB>line" per line (UTF-8); the default is fugo's
own corpus (ハルト, レイ, ミオ, ソラ).

  fugo speaker train [--corpus FILE] [--test FILE] [--epochs N] [--units N]
                     [training flags] [corpus flags] [--out DIR] [--seed N] [-q]
      trains both models and writes into --out (default runs/speaker):
      model.json, model.safetensors, vocab.json, labels.json and baseline/
      (with its own vocab.json); with --ensemble N > 1 also member2/ …
      memberN/ (and baseline/member2/ …); prints the held-out accuracy of
      both. --val-split of each speaker's training lines (never the test file)
      are held out for early stopping, as Keras' EarlyStopping(monitor,
      patience, restore_best_weights): the weights of the epoch with the best
      validation loss (or accuracy) are kept. The baseline gets the same split
      and early stopping.
  fugo speaker predict [--model DIR] "line" ...
      prints each line's most likely speaker and the probability of every
      speaker (an ensemble's averaged probabilities); with no line arguments,
      reads lines from standard input.
  fugo speaker eval [--model DIR] [--test FILE] [--out DIR]
      accuracy of the model and the baseline, per-speaker precision and
      recall, the misclassified lines with true and predicted speaker, and
      confusion.png (in --out, default the model folder; speakers are
      romanised in the figure: the plot font has no Japanese glyphs).
  fugo speaker sweep [--units 2,3,5,10,25,50,100] [--seeds N] [--corpus FILE]
                     [--test FILE] [--epochs N] [training flags] [--out DIR]
                     [--seed N] [-q]
      accuracy against LSTM size, each size and the baseline trained with
      seeds --seed … --seed+N−1 (default 3): mean, worst and best seed as a
      table and sweep.png (default runs/speaker-sweep).
  fugo speaker cv [--folds 5] [--seeds N] [--corpus FILE] [--epochs N]
                  [--batch N] [--val-split F] [--monitor M] [--patience N]
                  [--maxlen N] [--no-bag | --no-lstm] [--seed N] [-q]
                  [grid flags]
      chooses settings without the test file: stratified k-fold
      cross-validation on the training file (each fold's vocabulary built
      from the other folds; early stopping on a split of the other folds).
      The grid flags take comma-separated lists and every combination is
      run: --form (both models), --min-count, --units, --embed, --dropout,
      --spatial-dropout, --lstm-dropout, --recurrent-dropout, --l2, --lr,
      --ensemble (the LSTM), --bag-min-count, --bag-l2, --bag-lr,
      --bag-epochs, --bag-ensemble (the baseline); each defaults to the
      default of train. Prints the mean held-out-fold accuracy
      of each combination (each fold averaged over --seeds, default 1), the
      ranking and the best of each model. bench/speaker_cv.sh records how
      the defaults below were chosen.
  fugo speaker bench [--corpus FILE | --synthetic N,LEN,VOCAB] [--epochs N]
                     [--units N] [--batch N] [--dropout R] [--export DIR]
                     [--seed N]
      times the training alone (all lines, a fixed number of epochs: no
      baseline, no validation split, no evaluation, no other dropout;
      --dropout default 0: the post's model, embedding 32) for comparison
      with bench/torch_speaker.py; --export writes the encoded training data
      (x.npy ids, y.npy labels) for the PyTorch side.

Training flags of train and sweep, with their defaults (chosen by 5-fold
cross-validation on the training file, never on the test file):
  the LSTM: --epochs 100 (at most: early stopping usually ends training after
  15–50), --batch 32 (Keras' default), --lr 0.001 (Adam), --embed 128
  (embedding size; the post's is 32), --dropout 0.7 (Dropout layers after the
  Embedding and after the LSTM, as in Machine Learning Mastery's dropout
  variant of the post's model), --spatial-dropout 0.3 (SpatialDropout1D
  after the Embedding: whole embedding channels of a line), --lstm-dropout 0
  and --recurrent-dropout 0.5 (Keras' LSTM(dropout=,
  recurrent_dropout=): one mask per line on the LSTM's inputs and on h(t−1)
  in its recurrent product), --l2 0.00001 (weight decay of the kernels),
  --ensemble 5 (average the predicted probabilities of N models trained
  with seeds s, s+1000, …; 1: a single model). All dropout rates and --l2
  0, --embed 32 and --ensemble 1 give the post's model.
  the baseline: --bag-lr 0.01, --bag-l2 0.0001, --bag-epochs 100 (at most),
  --bag-min-count 1 (its vocabulary keeps every morpheme of the training
  lines), --bag-ensemble 0 (as many as --ensemble).
  both: --val-split 0.1, --monitor val_loss (or val_accuracy), --patience 15
  (the baseline: twice that).
Without early stopping and dropout the 100-unit LSTM over-fits the 720
training lines. Other defaults: --units 100, --maxlen 0 (the longest training
line, at most 200 morphemes), --min-count 2 (the LSTM's vocabulary: rarer
morphemes map to the unknown id, so that its embedding is trained), --form
surface (or base: dictionary forms), --seed 1. bench keeps --epochs 30,
--batch 64 and --dropout 0, the post's setting. train, sweep and bench take
the corpus flags --corpus, --test, --maxlen, --min-count, --bag-min-count
and --form.
With --corpus FILE and no --test, accuracy is measured on the training lines.`,
		run: runSpeaker,
	})
}

func runSpeaker(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usagef("speaker: want train, predict, eval, sweep, cv or bench; see 'fugo help speaker'")
	}
	switch args[0] {
	case "train":
		return speakerTrain(ctx, e, args[1:])
	case "predict":
		return speakerPredict(e, args[1:])
	case "eval":
		return speakerEval(e, args[1:])
	case "sweep":
		return speakerSweep(ctx, e, args[1:])
	case "bench":
		return speakerBench(ctx, e, args[1:])
	case "cv":
		return speakerCV(ctx, e, args[1:])
	}
	return usagef("speaker: unknown subcommand %q; see 'fugo help speaker'", args[0])
}

// Romanised speaker names for figures (the plot font has no Japanese glyphs).
var romaji = map[string]string{"ハルト": "Haruto", "レイ": "Rei", "ミオ": "Mio", "ソラ": "Sora"}

func romanise(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		if r, ok := romaji[n]; ok {
			out[i] = r
		} else if isASCII(n) {
			out[i] = n
		} else {
			out[i] = fmt.Sprintf("speaker %d", i+1)
		}
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// speakerData is a corpus turned into model inputs.
type speakerData struct {
	examples []text.Example
	ids      *tensor.Tensor // [N, length], float32-coded ids
	labels   []int
}

// speakerSetup is everything shared by training runs on one corpus.
type speakerSetup struct {
	tok        *text.Kagome
	vocab      *text.Vocab
	labels     *text.Labels
	length     int
	train      speakerData
	test       *speakerData // nil: no held-out file
	testName   string
	corpusName string
	vocabLen   int // ids when there is no vocabulary (synthetic data); 0: vocab.Len()
	// bag is the baseline's view of the same lines when it has its own vocabulary
	// (--bag-min-count other than --min-count); nil: the baseline shares vocab.
	bag *speakerSetup
}

// bagView is the setup the baseline trains and is evaluated on.
func (s *speakerSetup) bagView() *speakerSetup {
	if s.bag != nil {
		return s.bag
	}
	return s
}

func (s *speakerSetup) vocabSize() int {
	if s.vocabLen > 0 {
		return s.vocabLen
	}
	return s.vocab.Len()
}

type corpusFlags struct {
	corpus, test string
	maxlen       int
	minCount     int
	bagMinCount  int // the baseline's vocabulary; -1: the same as minCount
	form         string
}

func (c *corpusFlags) register(fs interface {
	StringVar(*string, string, string, string)
	IntVar(*int, string, int, string)
}) {
	fs.StringVar(&c.corpus, "corpus", "", "")
	fs.StringVar(&c.test, "test", "", "")
	fs.IntVar(&c.maxlen, "maxlen", 0, "")
	fs.IntVar(&c.minCount, "min-count", 2, "")
	fs.IntVar(&c.bagMinCount, "bag-min-count", defaultBagMinCount, "")
	fs.StringVar(&c.form, "form", "surface", "")
}

func (c *corpusFlags) check(verb string) error {
	if c.maxlen < 0 || c.maxlen > 100000 {
		return usagef("speaker %s: --maxlen must be from 0 (automatic) to 100000, got %d", verb, c.maxlen)
	}
	if _, err := text.ParseForm(c.form); err != nil {
		return usagef("speaker %s: --form %q: want surface or base", verb, c.form)
	}
	if c.minCount < 0 {
		return usagef("speaker %s: --min-count must not be negative, got %d", verb, c.minCount)
	}
	if c.bagMinCount < -1 {
		return usagef("speaker %s: --bag-min-count must not be negative (-1: as --min-count), got %d", verb, c.bagMinCount)
	}
	return nil
}

// readCorpus reads a TSV file, or the embedded file name when path is "".
func readCorpus(path, embedded string, known []string) ([]text.Example, string, error) {
	var r io.Reader
	name := path
	if path == "" {
		name = "corpus/" + embedded
		if embedded == corpus.TrainFile {
			r = corpus.Train()
		} else {
			r = corpus.Test()
		}
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		r = bufio.NewReader(f)
	}
	var ex []text.Example
	var err error
	if known != nil {
		ex, err = text.ReadTSVSpeakers(r, name, known)
	} else {
		ex, err = text.ReadTSV(r, name)
	}
	return ex, name, err
}

func (s *speakerSetup) encode(ex []text.Example) speakerData {
	d := speakerData{examples: ex, ids: tensor.New(len(ex), s.length), labels: make([]int, len(ex))}
	buf := make([]int, s.length)
	for i, x := range ex {
		s.vocab.EncodeTo(buf, s.tok.Tokenize(x.Line))
		for j, id := range buf {
			d.ids.Data[i*s.length+j] = float32(id)
		}
		d.labels[i], _ = s.labels.Index(x.Speaker)
	}
	return d
}

func loadSpeakerSetup(c corpusFlags) (*speakerSetup, error) {
	trainEx, trainName, err := readCorpus(c.corpus, corpus.TrainFile, nil)
	if err != nil {
		return nil, err
	}
	form, _ := text.ParseForm(c.form) // checked with the flags
	tok, err := text.NewKagome(text.WithForm(form))
	if err != nil {
		return nil, err
	}
	lines := make([][]string, len(trainEx))
	longest := 0
	for i, x := range trainEx {
		lines[i] = tok.Tokenize(x.Line)
		longest = max(longest, len(lines[i]))
	}
	s := &speakerSetup{
		tok:        tok,
		vocab:      text.BuildVocab(lines, text.VocabOptions{MinCount: c.minCount}).WithSpec(tok.Spec()),
		labels:     text.LabelsOf(trainEx),
		length:     c.maxlen,
		corpusName: trainName,
	}
	if s.labels.Len() < 2 {
		return nil, fmt.Errorf("%s: only one speaker (%s); a classifier needs at least two", trainName, s.labels.Name(0))
	}
	if s.length == 0 {
		s.length = min(max(longest, 2), 200)
	}
	s.length = max(s.length, 2) // the pooling needs two steps
	s.train = s.encode(trainEx)
	if c.bagMinCount >= 0 && c.bagMinCount != c.minCount {
		b := *s
		b.vocab = text.BuildVocab(lines, text.VocabOptions{MinCount: c.bagMinCount}).WithSpec(tok.Spec())
		b.train = b.encode(trainEx)
		s.bag = &b
	}
	if c.test != "" || c.corpus == "" {
		testEx, testName, err := readCorpus(c.test, corpus.TestFile, s.labels.Names())
		if err != nil {
			return nil, err
		}
		d := s.encode(testEx)
		s.test, s.testName = &d, testName
		if s.bag != nil {
			bd := s.bag.encode(testEx)
			s.bag.test, s.bag.testName = &bd, testName
		}
	}
	return s, nil
}

func params(m zoo.Model) []*autodiff.Var {
	var vs []*autodiff.Var
	for _, p := range m.Params() {
		vs = append(vs, p.Var)
	}
	return vs
}

// fitOpts are the training options of train, sweep and bench.
type fitOpts struct {
	units, epochs, batch int
	embed                int // embedding size (0: 32, the post's)
	seed                 uint64
	dropout              float64 // rate of the two dropout layers
	spatialDropout       float64 // SpatialDropout1D after the Embedding
	lstmDropout          float64 // Keras' LSTM(dropout=): one mask per line on the LSTM's inputs
	recurrentDropout     float64 // Keras' LSTM(recurrent_dropout=)
	bagL2                float64 // the baseline's weight decay
	bagLR                float64 // the baseline's Adam learning rate (0: 0.001)
	bagEpochs            int     // the baseline's most epochs (0: bagEpochs)
	ensemble             int     // LSTMs whose predictions are averaged (0, 1: one model)
	bagEnsemble          int     // baselines whose predictions are averaged (0: as ensemble)
	l2                   float64 // weight decay of the kernels
	lr                   float64 // Adam's learning rate (the LSTM's; the baseline keeps Keras' 0.001)
	valSplit             float64 // fraction of each speaker's training lines held out for early stopping (0: none)
	patience             int     // epochs without a better validation value before stopping
	monitor              string  // val_loss or val_accuracy
	quiet                bool
}

func (o *fitOpts) register(fs interface {
	IntVar(*int, string, int, string)
	Float64Var(*float64, string, float64, string)
	StringVar(*string, string, string, string)
}) {
	fs.Float64Var(&o.dropout, "dropout", 0.7, "")
	fs.Float64Var(&o.spatialDropout, "spatial-dropout", 0.3, "")
	fs.Float64Var(&o.lstmDropout, "lstm-dropout", 0, "")
	fs.Float64Var(&o.recurrentDropout, "recurrent-dropout", 0.5, "")
	fs.IntVar(&o.embed, "embed", 128, "")
	fs.Float64Var(&o.l2, "l2", 0.00001, "")
	fs.Float64Var(&o.lr, "lr", 0.001, "")
	fs.Float64Var(&o.bagL2, "bag-l2", 0.0001, "")
	fs.Float64Var(&o.bagLR, "bag-lr", 0.01, "")
	fs.IntVar(&o.bagEpochs, "bag-epochs", bagEpochs, "")
	fs.IntVar(&o.ensemble, "ensemble", 5, "")
	fs.IntVar(&o.bagEnsemble, "bag-ensemble", 0, "")
	fs.Float64Var(&o.valSplit, "val-split", 0.1, "")
	fs.IntVar(&o.patience, "patience", 15, "")
	fs.StringVar(&o.monitor, "monitor", "val_loss", "")
}

func (o *fitOpts) check(verb string) error {
	switch {
	case !(o.dropout >= 0 && o.dropout < 1):
		return usagef("speaker %s: --dropout must be from 0 to below 1, got %v", verb, o.dropout)
	case !(o.spatialDropout >= 0 && o.spatialDropout < 1):
		return usagef("speaker %s: --spatial-dropout must be from 0 to below 1, got %v", verb, o.spatialDropout)
	case !(o.lstmDropout >= 0 && o.lstmDropout < 1):
		return usagef("speaker %s: --lstm-dropout must be from 0 to below 1, got %v", verb, o.lstmDropout)
	case !(o.recurrentDropout >= 0 && o.recurrentDropout < 1):
		return usagef("speaker %s: --recurrent-dropout must be from 0 to below 1, got %v", verb, o.recurrentDropout)
	case o.embed < 0 || o.embed > 4096:
		return usagef("speaker %s: --embed must be from 1 to 4096, got %d", verb, o.embed)
	case !(o.lr > 0 && o.lr <= 1):
		return usagef("speaker %s: --lr must be above 0 and at most 1, got %v", verb, o.lr)
	case !(o.l2 >= 0 && o.l2 < 1):
		return usagef("speaker %s: --l2 must be from 0 to below 1, got %v", verb, o.l2)
	case !(o.bagLR >= 0 && o.bagLR <= 1):
		return usagef("speaker %s: --bag-lr must be above 0 and at most 1, got %v", verb, o.bagLR)
	case !(o.bagL2 >= 0 && o.bagL2 < 1):
		return usagef("speaker %s: --bag-l2 must be from 0 to below 1, got %v", verb, o.bagL2)
	case o.ensemble < 0 || o.ensemble > 100:
		return usagef("speaker %s: --ensemble must be from 1 to 100, got %d", verb, o.ensemble)
	case o.bagEnsemble < 0 || o.bagEnsemble > 100:
		return usagef("speaker %s: --bag-ensemble must be from 1 to 100 (0: as --ensemble), got %d", verb, o.bagEnsemble)
	case o.bagEpochs < 0 || o.bagEpochs > 1000000:
		return usagef("speaker %s: --bag-epochs must be from 1 to 1000000, got %d", verb, o.bagEpochs)
	case !(o.valSplit >= 0 && o.valSplit < 1):
		return usagef("speaker %s: --val-split must be from 0 to below 1, got %v", verb, o.valSplit)
	case o.monitor != "val_loss" && o.monitor != "val_accuracy":
		return usagef("speaker %s: --monitor must be val_loss or val_accuracy, got %q", verb, o.monitor)
	case o.patience < 1:
		return usagef("speaker %s: --patience must be at least 1, got %d", verb, o.patience)
	}
	return nil
}

// speakerFit is what a training run reports.
type speakerFit struct {
	took             time.Duration
	epochs, best     int     // epochs run; the epoch whose weights were kept
	valValue         float64 // the kept epoch's monitored validation value (NaN: no validation)
	monitor          string
	valAcc           float64 // accuracy of the kept weights on the validation lines (NaN: none)
	trainN, validate int     // lines trained on and held out
}

// splitValidation holds out round(frac·n_c) of the n_c training lines of each speaker c
// (at least one when frac > 0 and the speaker has two or more lines), chosen with rng:
// the validation data of early stopping, carved from the training file only.
func splitValidation(d speakerData, classes int, frac float64, rng *rand.Rand) (tr, val speakerData) {
	if frac <= 0 {
		return d, speakerData{}
	}
	byClass := make([][]int, classes)
	for i, c := range d.labels {
		byClass[c] = append(byClass[c], i)
	}
	held := make([]bool, len(d.labels))
	for _, rows := range byClass {
		k := int(math.Round(frac * float64(len(rows))))
		if k == 0 && len(rows) > 1 {
			k = 1
		}
		k = min(k, len(rows)-1)
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		for _, i := range rows[:max(k, 0)] {
			held[i] = true
		}
	}
	var ti, vi []int
	for i, h := range held {
		if h {
			vi = append(vi, i)
		} else {
			ti = append(ti, i)
		}
	}
	return d.rows(ti), d.rows(vi)
}

// rows returns the listed rows of d (copies).
func (d speakerData) rows(idx []int) speakerData {
	l := d.ids.Cols()
	out := speakerData{ids: tensor.New(len(idx), l), labels: make([]int, len(idx))}
	for k, i := range idx {
		copy(out.ids.Data[k*l:k*l+l], d.ids.Data[i*l:i*l+l])
		out.labels[k] = d.labels[i]
		if d.examples != nil {
			out.examples = append(out.examples, d.examples[i])
		}
	}
	return out
}

// fitEarlyStopping runs train.Fit one epoch at a time (continuing the shuffled order, as
// one Fit would). With validation data (valX non-nil) it then works as Keras'
// EarlyStopping(monitor, patience=patience, restore_best_weights=True): after each epoch
// the monitored quantity is measured on the validation data — "val_loss" (lower is
// better) or "val_accuracy" (higher is better) — the weights of the best epoch so far
// (the first, on ties) are kept, training stops after patience epochs without a
// strictly better value, and the best weights are restored. Returns the epochs run,
// the best epoch and its monitored value (NaN without validation data).
func fitEarlyStopping(ctx context.Context, m interface {
	train.Model
	Params() []nn.Param
	Probs(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var
}, cfg train.Config, valX, valY *tensor.Tensor, monitor string, patience int) (epochs, best int, bestValue float64, err error) {
	total := cfg.Epochs
	cfg.Epochs = 1
	cfg.Order = make([]int, cfg.X.Rows())
	for i := range cfg.Order {
		cfg.Order[i] = i
	}
	var valLabels []int
	if valY != nil {
		valLabels = argmaxRows(valY)
	}
	ps := m.Params()
	var saved [][]float32
	bestValue = math.NaN()
	for e := 0; e < total; e++ {
		cfg.InitialEpoch = e
		if _, err := train.Fit(ctx, m, cfg); err != nil {
			return e, best, bestValue, err
		}
		epochs = e + 1
		if valX == nil {
			best = epochs
			continue
		}
		var v float64
		better := false
		if monitor == "val_accuracy" {
			v = accuracyOf(argmaxRows(train.Predict(m.Probs, valX, cfg.BatchSize)), valLabels)
			better = v > bestValue
		} else {
			if v, err = train.Evaluate(ctx, m, valX, valY, cfg.BatchSize); err != nil {
				return epochs, best, bestValue, err
			}
			better = v < bestValue
		}
		if best == 0 || better {
			best, bestValue = epochs, v
			if saved == nil {
				saved = make([][]float32, len(ps))
				for i, p := range ps {
					saved[i] = make([]float32, len(p.Var.Value.Data))
				}
			}
			for i, p := range ps {
				copy(saved[i], p.Var.Value.Data)
			}
		} else if epochs-best >= patience {
			break
		}
	}
	if saved != nil && best != epochs {
		for i, p := range ps {
			copy(p.Var.Value.Data, saved[i])
		}
	}
	return epochs, best, bestValue, nil
}

// fitSpeaker trains the LSTM classifier (with early stopping on a validation split of
// the training lines when o.valSplit > 0).
func fitSpeaker(ctx context.Context, e *env, s *speakerSetup, o fitOpts) (*zoo.Speaker, speakerFit, error) {
	rng := tensor.NewRNG(o.seed)
	cfg := zoo.DefaultSpeakerConfig(s.vocabSize(), s.length, s.labels.Len())
	cfg.Units = o.units
	if o.embed > 0 {
		cfg.EmbedDim = o.embed
	}
	cfg.Dropout = float32(o.dropout)
	cfg.SpatialDropout = float32(o.spatialDropout)
	cfg.LSTMDropout = float32(o.lstmDropout)
	cfg.RecurrentDropout = float32(o.recurrentDropout)
	cfg.L2 = float32(o.l2)
	m := zoo.NewSpeaker(cfg, rng)
	tr, val := splitValidation(s.train, s.labels.Len(), o.valSplit, tensor.NewRNG(o.seed+7919))
	var valX, valY *tensor.Tensor
	if len(val.labels) > 0 {
		valX, valY = val.ids, zoo.OneHot(val.labels, s.labels.Len())
	}
	bar := &progress{e: e, quiet: o.quiet, epochs: o.epochs}
	opt := optim.NewAdam(params(m))
	opt.LR = float32(o.lr)
	start := time.Now()
	n, best, vl, err := fitEarlyStopping(ctx, m, train.Config{
		Epochs: o.epochs, BatchSize: o.batch, Shuffle: true, RNG: rng,
		X: tr.ids, Y: zoo.OneHot(tr.labels, s.labels.Len()),
		Optimizer: opt,
		OnBatch:   bar.onBatch,
	}, valX, valY, o.monitor, o.patience)
	bar.clear()
	r := speakerFit{took: time.Since(start), epochs: n, best: best, valValue: vl, monitor: o.monitor, valAcc: math.NaN(), trainN: len(tr.labels), validate: len(val.labels)}
	if valX != nil {
		r.valAcc = accuracyOf(argmaxRows(train.Predict(m.Probs, valX, 256)), val.labels)
	}
	return m, r, err
}

// bagEpochs is the baseline's largest training length: softmax regression on counts
// converges more slowly per epoch than the LSTM with Adam's default step, and costs
// little.
const bagEpochs = 100

// defaultBagMinCount is the baseline's --bag-min-count, chosen by 'fugo speaker cv' on
// the training file (see bench/speaker_cv.sh).
const defaultBagMinCount = 1

// fitBag trains the baseline with the same validation split and early stopping as the
// LSTM (patience scaled to its longer training).
func fitBag(ctx context.Context, s *speakerSetup, o fitOpts) (*zoo.SpeakerBag, speakerFit, error) {
	s = s.bagView()
	rng := tensor.NewRNG(o.seed)
	m := zoo.NewSpeakerBag(zoo.BagConfig{Vocab: s.vocab.Len(), Classes: s.labels.Len(), L2: float32(o.bagL2)}, rng)
	epochs := o.bagEpochs
	if epochs == 0 {
		epochs = bagEpochs
	}
	opt := optim.NewAdam(params(m))
	if o.bagLR > 0 {
		opt.LR = float32(o.bagLR)
	}
	tr, val := splitValidation(s.train, s.labels.Len(), o.valSplit, tensor.NewRNG(o.seed+7919))
	var valX, valY *tensor.Tensor
	if len(val.labels) > 0 {
		valX, valY = zoo.Counts(val.ids, s.vocab.Len()), zoo.OneHot(val.labels, s.labels.Len())
	}
	start := time.Now()
	n, best, vl, err := fitEarlyStopping(ctx, m, train.Config{
		Epochs: epochs, BatchSize: o.batch, Shuffle: true, RNG: rng,
		X: zoo.Counts(tr.ids, s.vocab.Len()), Y: zoo.OneHot(tr.labels, s.labels.Len()),
		Optimizer: opt,
	}, valX, valY, o.monitor, 2*o.patience)
	r := speakerFit{took: time.Since(start), epochs: n, best: best, valValue: vl, monitor: o.monitor, valAcc: math.NaN(), trainN: len(tr.labels), validate: len(val.labels)}
	if valX != nil {
		r.valAcc = accuracyOf(argmaxRows(train.Predict(m.Probs, valX, 256)), val.labels)
	}
	return m, r, err
}

func argmaxRows(p *tensor.Tensor) []int {
	k := p.Cols()
	out := make([]int, p.Rows())
	for i := range out {
		row := p.Data[i*k : i*k+k]
		for j, v := range row {
			if v > row[out[i]] {
				out[i] = j
			}
		}
	}
	return out
}

func accuracyOf(pred, want []int) float64 {
	ok := 0
	for i := range pred {
		if pred[i] == want[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(want))
}

// evalData returns the held-out data, or the training data (and a note) without one.
func (s *speakerSetup) evalData() (*speakerData, string) {
	if s.test != nil {
		return s.test, s.testName
	}
	return &s.train, s.corpusName + " (training lines: no --test file)"
}

func speakerTrain(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("speaker train")
	var c corpusFlags
	c.register(fs)
	epochs := fs.Int("epochs", 100, "")
	units := fs.Int("units", 100, "")
	batch := fs.Int("batch", 32, "")
	out := fs.String("out", filepath.Join("runs", "speaker"), "")
	seed := fs.Uint64("seed", 1, "")
	quiet := fs.Bool("q", false, "")
	var o fitOpts
	o.register(fs)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("speaker train: unexpected argument %q", rest[0])
	}
	if err := checkSizes("train", *epochs, *units, *batch); err != nil {
		return err
	}
	if err := c.check("train"); err != nil {
		return err
	}
	if err := o.check("train"); err != nil {
		return err
	}
	o.units, o.epochs, o.batch, o.seed, o.quiet = *units, *epochs, *batch, *seed, *quiet
	if *out == "" {
		return usagef("speaker train: --out must not be empty")
	}
	s, err := loadSpeakerSetup(c)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d lines, %d speakers (%s), vocabulary %d, %d morphemes per line\n",
		s.corpusName, len(s.train.examples), s.labels.Len(), strings.Join(s.labels.Names(), ", "), s.vocab.Len(), s.length)
	m, res, err := fitSpeakers(ctx, e, s, o)
	if err != nil {
		return err
	}
	bag, bres, err := fitBags(ctx, s, o)
	if err != nil {
		return err
	}
	if err := mkdirOut(*out); err != nil {
		return err
	}
	meta := map[string]string{"epochs": strconv.Itoa(res.best), "seed": strconv.FormatUint(*seed, 10), "corpus": s.corpusName}
	files, err := saveMembers(*out, m, meta)
	if err != nil {
		return err
	}
	meta["epochs"] = strconv.Itoa(bres.best)
	bfiles, err := saveMembers(filepath.Join(*out, "baseline"), bag, meta)
	if err != nil {
		return err
	}
	if err := s.vocab.Save(filepath.Join(*out, "vocab.json")); err != nil {
		return err
	}
	if err := s.bagView().vocab.Save(filepath.Join(*out, "baseline", "vocab.json")); err != nil {
		return err
	}
	if err := s.labels.Save(filepath.Join(*out, "labels.json")); err != nil {
		return err
	}
	d, name := s.evalData()
	bd, _ := s.bagView().evalData()
	accL := accuracyOf(argmaxRows(m.predict(d.ids)), d.labels)
	accB := accuracyOf(argmaxRows(bag.predict(zoo.Counts(bd.ids, s.bagView().vocab.Len()))), d.labels)
	fmt.Fprint(e.stdout, describeFit(ensembleName("LSTM", len(m)), res), describeFit(ensembleName("baseline", len(bag)), bres))
	fmt.Fprintf(e.stdout, "accuracy on %s (%d lines): %s %.1f%%, bag-of-morphemes %s %.1f%%\n", name, len(d.labels),
		ensembleName("LSTM", len(m)), 100*accL, ensembleName("baseline", len(bag)), 100*accB)
	files = append(files, "vocab.json", "labels.json")
	for _, f := range append(bfiles, "vocab.json") {
		files = append(files, filepath.Join("baseline", f))
	}
	listFiles(e.stdout, *out, files)
	return nil
}

// ensembleDesc says how many models' predictions are averaged.
func ensembleDesc(n int) string {
	if n <= 1 {
		return "a single model"
	}
	return fmt.Sprintf("the averaged predictions of %d models", n)
}

// ensembleName is name, or "name ensemble of n" (the averaged predictions of n models).
func ensembleName(name string, n int) string {
	if n <= 1 {
		return name
	}
	return fmt.Sprintf("%s ensemble of %d", name, n)
}

// describeFit says how long a model trained and which epoch it kept (an ensemble's first
// member's; the time is all members').
func describeFit(name string, r speakerFit) string {
	if r.validate == 0 {
		return fmt.Sprintf("%s: trained %d epochs on %d lines in %.1f s\n", name, r.epochs, r.trainN, r.took.Seconds())
	}
	return fmt.Sprintf("%s: trained %d epochs on %d lines in %.1f s, kept epoch %d (%s %.3f on %d held-out training lines)\n",
		name, r.epochs, r.trainN, r.took.Seconds(), r.best, r.monitor, r.valValue, r.validate)
}

func checkSizes(verb string, epochs, units, batch int) error {
	switch {
	case epochs < 1 || epochs > 1000000:
		return usagef("speaker %s: --epochs must be from 1 to 1000000, got %d", verb, epochs)
	case units < 1 || units > 4096:
		return usagef("speaker %s: --units must be from 1 to 4096, got %d", verb, units)
	case batch < 1 || batch > 1<<20:
		return usagef("speaker %s: --batch must be from 1 to 1048576, got %d", verb, batch)
	}
	return nil
}

// trainedSpeaker is a model folder written by speaker train.
type trainedSpeaker struct {
	model    *zoo.Speaker
	models   ensemble[*zoo.Speaker]    // model and the members saved beside it
	bag      ensemble[*zoo.SpeakerBag] // nil when baseline/ is missing
	vocab    *text.Vocab
	bagVocab *text.Vocab // baseline/vocab.json, or vocab for folders without one
	labels   *text.Labels
	tok      *text.Kagome
}

func loadTrainedSpeaker(dir string) (*trainedSpeaker, error) {
	m, err := zoo.Load(dir, tensor.NewRNG(1))
	if err != nil {
		return nil, err
	}
	sp, ok := m.(*zoo.Speaker)
	if !ok {
		return nil, fmt.Errorf("%s: a %q model, not a speaker classifier", dir, m.Kind())
	}
	t := &trainedSpeaker{model: sp}
	if t.vocab, err = text.LoadVocab(filepath.Join(dir, "vocab.json")); err != nil {
		return nil, err
	}
	if t.labels, err = text.LoadLabels(filepath.Join(dir, "labels.json")); err != nil {
		return nil, err
	}
	if t.vocab.Len() != sp.Cfg.Vocab || t.labels.Len() != sp.Cfg.Classes {
		return nil, fmt.Errorf("%s: vocab.json has %d ids and labels.json %d speakers, but the model was built for %d and %d",
			dir, t.vocab.Len(), t.labels.Len(), sp.Cfg.Vocab, sp.Cfg.Classes)
	}
	spec := t.vocab.Spec()
	if spec.IsZero() {
		spec = text.TokenizerSpec{Name: text.KagomeName}
	}
	if t.tok, err = text.NewKagomeFromSpec(spec); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "vocab.json"), err)
	}
	if t.models, err = loadMembers(dir, sp); err != nil {
		return nil, err
	}
	bdir := filepath.Join(dir, "baseline")
	t.bagVocab = t.vocab
	if _, err := os.Stat(filepath.Join(bdir, "vocab.json")); err == nil {
		if t.bagVocab, err = text.LoadVocab(filepath.Join(bdir, "vocab.json")); err != nil {
			return nil, err
		}
		if fmt.Sprint(t.bagVocab.Spec()) != fmt.Sprint(t.vocab.Spec()) {
			return nil, fmt.Errorf("%s: the baseline's tokenizer %+v differs from the model's %+v", filepath.Join(bdir, "vocab.json"), t.bagVocab.Spec(), t.vocab.Spec())
		}
	}
	if _, err := os.Stat(filepath.Join(bdir, zoo.ConfigName)); err == nil {
		b, err := zoo.Load(bdir, tensor.NewRNG(1))
		if err != nil {
			return nil, err
		}
		bag, ok := b.(*zoo.SpeakerBag)
		if !ok || bag.Cfg.Vocab != t.bagVocab.Len() || bag.Cfg.Classes != sp.Cfg.Classes {
			return nil, fmt.Errorf("%s: not the baseline of this model", bdir)
		}
		if t.bag, err = loadMembers(bdir, bag); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func (t *trainedSpeaker) setup() *speakerSetup {
	s := &speakerSetup{tok: t.tok, vocab: t.vocab, labels: t.labels, length: t.model.Cfg.Length}
	if t.bagVocab != t.vocab {
		s.bag = &speakerSetup{tok: t.tok, vocab: t.bagVocab, labels: t.labels, length: t.model.Cfg.Length}
	}
	return s
}

func speakerPredict(e *env, args []string) error {
	fs := newFlagSet("speaker predict")
	dir := fs.String("model", filepath.Join("runs", "speaker"), "")
	lines, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(lines) == 0 {
		sc := bufio.NewScanner(e.stdin)
		sc.Buffer(make([]byte, 0, 4096), text.MaxTSVLine)
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" {
				lines = append(lines, l)
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("standard input: %w", err)
		}
		if len(lines) == 0 {
			return usagef("speaker predict: no lines given (as arguments or on standard input)")
		}
	}
	t, err := loadTrainedSpeaker(*dir)
	if err != nil {
		return err
	}
	s := t.setup()
	ex := make([]text.Example, len(lines))
	for i, l := range lines {
		ex[i] = text.Example{Line: l}
	}
	d := s.encode(ex)
	probs := t.models.predict(d.ids)
	k := t.labels.Len()
	for i, l := range lines {
		row := probs.Data[i*k : i*k+k]
		best := argmaxRows(tensor.FromSlice(row, 1, k))[0]
		fmt.Fprintf(e.stdout, "%s\t%s", t.labels.Name(best), l)
		for j, p := range row {
			fmt.Fprintf(e.stdout, "\t%s %.3f", t.labels.Name(j), p)
		}
		fmt.Fprintln(e.stdout)
	}
	return nil
}

func speakerEval(e *env, args []string) error {
	fs := newFlagSet("speaker eval")
	dir := fs.String("model", filepath.Join("runs", "speaker"), "")
	testFile := fs.String("test", "", "")
	out := fs.String("out", "", "")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("speaker eval: unexpected argument %q", rest[0])
	}
	if *out == "" {
		*out = *dir
	}
	t, err := loadTrainedSpeaker(*dir)
	if err != nil {
		return err
	}
	s := t.setup()
	ex, name, err := readCorpus(*testFile, corpus.TestFile, t.labels.Names())
	if err != nil {
		return err
	}
	d := s.encode(ex)
	pred := argmaxRows(t.models.predict(d.ids))
	k := t.labels.Len()
	fmt.Fprintf(e.stdout, "%s: %d lines\n", name, len(ex))
	fmt.Fprintf(e.stdout, "accuracy: %s %.1f%%", ensembleName("LSTM", len(t.models)), 100*accuracyOf(pred, d.labels))
	if t.bag != nil {
		bd := s.bagView().encode(ex)
		bp := argmaxRows(t.bag.predict(zoo.Counts(bd.ids, t.bagVocab.Len())))
		fmt.Fprintf(e.stdout, ", bag-of-morphemes %s %.1f%%", ensembleName("baseline", len(t.bag)), 100*accuracyOf(bp, d.labels))
	}
	fmt.Fprintf(e.stdout, " (chance %.1f%%)\n\n", 100/float64(k))

	counts := make([][]int, k)
	for i := range counts {
		counts[i] = make([]int, k)
	}
	for i, p := range pred {
		counts[d.labels[i]][p]++
	}
	fmt.Fprintf(e.stdout, "%-10s %9s %9s %7s\n", "speaker", "precision", "recall", "lines")
	for c := 0; c < k; c++ {
		tp, predicted, actual := counts[c][c], 0, 0
		for j := 0; j < k; j++ {
			predicted += counts[j][c]
			actual += counts[c][j]
		}
		fmt.Fprintf(e.stdout, "%-10s %9s %9s %7d\n", t.labels.Name(c), ratio(tp, predicted), ratio(tp, actual), actual)
	}

	fmt.Fprintf(e.stdout, "\nmisclassified lines (file line, true → predicted):\n")
	wrong := 0
	for i, p := range pred {
		if p != d.labels[i] {
			wrong++
			fmt.Fprintf(e.stdout, "  %4d  %s → %s\t%s\n", ex[i].LineNo, ex[i].Speaker, t.labels.Name(p), ex[i].Line)
		}
	}
	if wrong == 0 {
		fmt.Fprintln(e.stdout, "  none")
	}
	// The post's remark: a line with あたし should give its speaker away.
	atashi, toMio := 0, 0
	mio, hasMio := t.labels.Index("ミオ")
	for i, x := range ex {
		if strings.Contains(x.Line, "あたし") {
			atashi++
			if hasMio && pred[i] == mio {
				toMio++
			}
		}
	}
	if atashi > 0 && hasMio {
		fmt.Fprintf(e.stdout, "\nlines with あたし: %d of %d predicted as ミオ\n", toMio, atashi)
	}

	if err := mkdirOut(*out); err != nil {
		return err
	}
	path := filepath.Join(*out, "confusion.png")
	if err := plot.Confusion(path, romanise(t.labels.Names()), counts, "Who said it? "+ensembleName("LSTM", len(t.models))+" on "+filepath.Base(name)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s (speakers romanised: the plot font has no Japanese glyphs)\n", path)
	return nil
}

func ratio(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}

func parseUnits(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 4096 {
			return nil, usagef("speaker sweep: --units %q: want a comma-separated list of sizes from 1 to 4096", s)
		}
		out = append(out, n)
	}
	return out, nil
}

func speakerSweep(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("speaker sweep")
	var c corpusFlags
	c.register(fs)
	unitsFlag := fs.String("units", "2,3,5,10,25,50,100", "")
	epochs := fs.Int("epochs", 100, "")
	batch := fs.Int("batch", 32, "")
	out := fs.String("out", filepath.Join("runs", "speaker-sweep"), "")
	seed := fs.Uint64("seed", 1, "")
	seeds := fs.Int("seeds", 3, "")
	quiet := fs.Bool("q", false, "")
	var o fitOpts
	o.register(fs)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("speaker sweep: unexpected argument %q", rest[0])
	}
	units, err := parseUnits(*unitsFlag)
	if err != nil {
		return err
	}
	if err := checkSizes("sweep", *epochs, 1, *batch); err != nil {
		return err
	}
	if *seeds < 1 || *seeds > 1000 {
		return usagef("speaker sweep: --seeds must be from 1 to 1000, got %d", *seeds)
	}
	if err := c.check("sweep"); err != nil {
		return err
	}
	if err := o.check("sweep"); err != nil {
		return err
	}
	if *out == "" {
		return usagef("speaker sweep: --out must not be empty")
	}
	o.epochs, o.batch, o.quiet = *epochs, *batch, *quiet
	s, err := loadSpeakerSetup(c)
	if err != nil {
		return err
	}
	d, name := s.evalData()
	stop := "no early stopping"
	if o.valSplit > 0 {
		stop = fmt.Sprintf("early stopping on %s of %.0f%% of the training lines (patience %d)", o.monitor, 100*o.valSplit, o.patience)
	}
	bagN := o.bagEnsemble
	if bagN == 0 {
		bagN = o.ensemble
	}
	fmt.Fprintf(e.stdout, "accuracy on %s (%d lines), at most %d epochs, batch %d; LSTM: embed %d, lr %g, dropout %g, spatial dropout %g, LSTM input dropout %g, recurrent dropout %g, l2 %g, %s; baseline: lr %g, l2 %g, %s; %s; seeds %d…%d\n%6s %8s %8s %8s %8s %7s %8s\n",
		name, len(d.labels), *epochs, o.batch, o.embed, o.lr, o.dropout, o.spatialDropout, o.lstmDropout, o.recurrentDropout, o.l2,
		ensembleDesc(o.ensemble), o.bagLR, o.bagL2, ensembleDesc(bagN), stop, *seed, *seed+uint64(*seeds)-1,
		"units", "mean", "min", "max", "val", "epochs", "seconds")
	// row runs one model kind over the seeds and prints its line.
	row := func(label string, fit func(o fitOpts) (float64, speakerFit, error)) ([3]float64, error) {
		var sum, lo, hi, secs, eps, vacc float64
		lo = math.Inf(1)
		for k := 0; k < *seeds; k++ {
			oo := o
			oo.seed = *seed + uint64(k)
			acc, r, err := fit(oo)
			if err != nil {
				return [3]float64{}, err
			}
			sum, lo, hi = sum+acc, min(lo, acc), max(hi, acc)
			secs, eps, vacc = secs+r.took.Seconds(), eps+float64(r.best), vacc+r.valAcc
		}
		n := float64(*seeds)
		fmt.Fprintf(e.stdout, "%6s %7.1f%% %7.1f%% %7.1f%% %7.1f%% %7.1f %8.1f\n", label, 100*sum/n, 100*lo, 100*hi, 100*vacc/n, eps/n, secs/n)
		return [3]float64{100 * lo, 100 * sum / n, 100 * hi}, nil
	}
	var stats [][3]float64
	var cats []string
	bagStats, err := row("bag", func(o fitOpts) (float64, speakerFit, error) {
		bag, r, err := fitBags(ctx, s, o)
		if err != nil {
			return 0, r, err
		}
		bd, _ := s.bagView().evalData()
		return accuracyOf(argmaxRows(bag.predict(zoo.Counts(bd.ids, s.bagView().vocab.Len()))), d.labels), r, nil
	})
	if err != nil {
		return err
	}
	for _, u := range units {
		st, err := row(strconv.Itoa(u), func(o fitOpts) (float64, speakerFit, error) {
			o.units = u
			m, r, err := fitSpeakers(ctx, e, s, o)
			if err != nil {
				return 0, r, err
			}
			return accuracyOf(argmaxRows(m.predict(d.ids)), d.labels), r, nil
		})
		if err != nil {
			return err
		}
		stats, cats = append(stats, st), append(cats, strconv.Itoa(u))
	}
	fmt.Fprintln(e.stdout, "(mean, min, max: accuracy on the test lines over the seeds; val: mean accuracy on the validation lines held out of the\ntraining file, NaN without --val-split; epochs: mean epoch whose weights were kept; both of an ensemble's first member;\nseconds: mean training time per seed, all members of an ensemble)")
	if err := mkdirOut(*out); err != nil {
		return err
	}
	path := filepath.Join(*out, "sweep.png")
	// Bars: the baseline, then one per size (the sizes are far from evenly spaced).
	cats = append([]string{"bag"}, cats...)
	stats = append([][3]float64{bagStats}, stats...)
	// One bar per size, the mean over the seeds; the worst and best seed under each
	// label (a legend would cover the tallest bars).
	title := fmt.Sprintf("Who said it? held-out accuracy by LSTM size (chance %.0f%%)", 100/float64(s.labels.Len()))
	xlabel := "LSTM units (bag: bag-of-morphemes baseline)"
	if *seeds > 1 {
		for i := range cats {
			cats[i] += fmt.Sprintf("\n%.1f–%.1f", stats[i][0], stats[i][2])
		}
		title = fmt.Sprintf("Who said it? held-out accuracy by LSTM size, mean of %d seeds", *seeds)
		xlabel = fmt.Sprintf("LSTM units (bag: bag-of-morphemes baseline); worst–best seed; chance %.0f%%", 100/float64(s.labels.Len()))
	}
	series := []plot.BarSeries{{Values: statColumn(stats, 1)}}
	if err := plot.Bars(path, title, xlabel, "accuracy (%)", cats, series); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", path)
	return nil
}

func statColumn(rows [][3]float64, j int) []float64 {
	out := make([]float64, len(rows))
	for i, r := range rows {
		out[i] = r[j]
	}
	return out
}

// parseSynthetic reads N,LEN,VOCAB.
func parseSynthetic(s string) (n, length, vocab int, err error) {
	f := strings.Split(s, ",")
	bad := usagef("speaker bench: --synthetic %q: want N,LEN,VOCAB (e.g. 25000,500,5000)", s)
	if len(f) != 3 {
		return 0, 0, 0, bad
	}
	v := make([]int, 3)
	for i, x := range f {
		if v[i], err = strconv.Atoi(strings.TrimSpace(x)); err != nil || v[i] < 2 || v[i] > 1<<24 {
			return 0, 0, 0, bad
		}
	}
	if v[0]*v[1] > 1<<28 {
		return 0, 0, 0, usagef("speaker bench: --synthetic %q: more than 2^28 ids", s)
	}
	return v[0], v[1], v[2], nil
}

func speakerBench(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("speaker bench")
	var c corpusFlags
	c.register(fs)
	synthetic := fs.String("synthetic", "", "")
	epochs := fs.Int("epochs", 30, "")
	units := fs.Int("units", 100, "")
	batch := fs.Int("batch", 64, "")
	export := fs.String("export", "", "")
	seed := fs.Uint64("seed", 1, "")
	dropout := fs.Float64("dropout", 0, "")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("speaker bench: unexpected argument %q", rest[0])
	}
	if err := checkSizes("bench", *epochs, *units, *batch); err != nil {
		return err
	}
	if err := c.check("bench"); err != nil {
		return err
	}
	// The bench times a fixed number of epochs on all lines, as the PyTorch side does: no
	// validation split, no early stopping.
	o := fitOpts{units: *units, epochs: *epochs, batch: *batch, seed: *seed, dropout: *dropout, lr: 0.001, patience: 1, monitor: "val_loss", quiet: true}
	if err := o.check("bench"); err != nil {
		return err
	}
	var s *speakerSetup
	if *synthetic != "" {
		n, length, vocab, err := parseSynthetic(*synthetic)
		if err != nil {
			return err
		}
		// The post's setting: random ids (the IMDB reviews' words stand in), two classes.
		rng := tensor.NewRNG(*seed + 1000)
		ids := tensor.New(n, length)
		for i := range ids.Data {
			ids.Data[i] = float32(rng.IntN(vocab))
		}
		labels := make([]int, n)
		for i := range labels {
			labels[i] = rng.IntN(2)
		}
		lb, _ := text.NewLabels("a", "b")
		s = &speakerSetup{labels: lb, length: length, train: speakerData{ids: ids, labels: labels},
			vocabLen: vocab, corpusName: "synthetic " + *synthetic}
	} else {
		if s, err = loadSpeakerSetup(c); err != nil {
			return err
		}
	}
	if *export != "" {
		if err := mkdirOut(*export); err != nil {
			return err
		}
		y := tensor.New(len(s.train.labels))
		for i, l := range s.train.labels {
			y.Data[i] = float32(l)
		}
		if err := arrays.SaveFile(filepath.Join(*export, "x.npy"), s.train.ids); err != nil {
			return err
		}
		if err := arrays.SaveFile(filepath.Join(*export, "y.npy"), y); err != nil {
			return err
		}
	}
	_, r, err := fitSpeaker(ctx, e, s, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "fugo speaker bench: %s, %d lines × %d ids, vocabulary %d, %d classes, units %d, dropout %g, batch %d, %d epochs: %.3f s\n",
		s.corpusName, s.train.ids.Rows(), s.length, s.vocabSize(), s.labels.Len(), *units, *dropout, *batch, *epochs, r.took.Seconds())
	return nil
}
