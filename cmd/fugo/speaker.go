package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"fugo/autodiff"
	"fugo/corpus"
	"fugo/data/text"
	"fugo/data/text/kagome"
	"fugo/metrics"
	"fugo/nn"
	"fugo/optim"
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
  with seeds s, s+1000, …, as many at a time as there are cores; 1: a
  single model). All dropout rates and --l2
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
	tok        *kagome.Tokenizer
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
	if _, err := kagome.ParseForm(c.form); err != nil {
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
	form, _ := kagome.ParseForm(c.form) // checked with the flags
	tok, err := kagome.New(kagome.WithForm(form))
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

// splitValidation holds out about frac of every speaker's training lines (see
// metrics.StratifiedSplit), chosen with rng: the validation data of early stopping,
// carved from the training file only.
func splitValidation(d speakerData, classes int, frac float64, rng *rand.Rand) (tr, val speakerData, err error) {
	if frac <= 0 {
		return d, speakerData{}, nil
	}
	ti, vi, err := metrics.StratifiedSplit(d.labels, classes, frac, rng)
	if err != nil {
		return tr, val, err
	}
	return d.rows(ti), d.rows(vi), nil
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
	tr, val, err := splitValidation(s.train, s.labels.Len(), o.valSplit, tensor.NewRNG(o.seed+7919))
	if err != nil {
		return nil, speakerFit{}, err
	}
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
	tr, val, err := splitValidation(s.train, s.labels.Len(), o.valSplit, tensor.NewRNG(o.seed+7919))
	if err != nil {
		return nil, speakerFit{}, err
	}
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

// accuracyOf is metrics.Accuracy, NaN when undefined (no lines).
func accuracyOf(pred, want []int) float64 {
	a, err := metrics.Accuracy(pred, want)
	if err != nil {
		return math.NaN()
	}
	return a
}

// evalData returns the held-out data, or the training data (and a note) without one.
func (s *speakerSetup) evalData() (*speakerData, string) {
	if s.test != nil {
		return s.test, s.testName
	}
	return &s.train, s.corpusName + " (training lines: no --test file)"
}
