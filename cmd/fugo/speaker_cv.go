package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"fugo/corpus"
	"fugo/data/text"
	"fugo/data/text/kagome"
	"fugo/metrics"
	"fugo/tensor"
	"fugo/zoo"
)

// speaker cv: k-fold cross-validation on the training file, the way to choose the
// hyper-parameters without looking at the test file. It never reads a test file.

// cvList is a flag holding a comma-separated list of values.
type cvList struct {
	name, raw string
}

func (l *cvList) floats(lo, hi float64, loOpen bool) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(l.raw, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || v < lo || v >= hi || loOpen && v == lo || math.IsNaN(v) {
			return nil, usagef("speaker cv: --%s %q: want a comma-separated list of numbers in %s%g, %g)", l.name, l.raw, map[bool]string{true: "(", false: "["}[loOpen], lo, hi)
		}
		out = append(out, v)
	}
	return out, nil
}

func (l *cvList) ints(lo, hi int) ([]int, error) {
	var out []int
	for _, f := range strings.Split(l.raw, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < lo || v > hi {
			return nil, usagef("speaker cv: --%s %q: want a comma-separated list of whole numbers from %d to %d", l.name, l.raw, lo, hi)
		}
		out = append(out, v)
	}
	return out, nil
}

// cvSetup is the setup of fold f: vocabulary (and length) built from the other folds'
// lines only, those lines as training data and fold f as the held-out data.
func cvSetup(tok *kagome.Tokenizer, toks [][]string, ex []text.Example, labels *text.Labels, fold []int, f, minCount, maxlen int, name string) *speakerSetup {
	var trEx, teEx []text.Example
	var trToks [][]string
	longest := 0
	for i, x := range ex {
		if fold[i] == f {
			teEx = append(teEx, x)
			continue
		}
		trEx = append(trEx, x)
		trToks = append(trToks, toks[i])
		longest = max(longest, len(toks[i]))
	}
	s := &speakerSetup{
		tok:        tok,
		vocab:      text.BuildVocab(trToks, text.VocabOptions{MinCount: minCount}).WithSpec(tok.Spec()),
		labels:     labels,
		length:     maxlen,
		corpusName: name,
	}
	if s.length == 0 {
		s.length = min(max(longest, 2), 200)
	}
	s.length = max(s.length, 2)
	s.train = s.encode(trEx)
	d := s.encode(teEx)
	s.test, s.testName = &d, fmt.Sprintf("%s fold %d", name, f+1)
	return s
}

// cvResult collects the held-out accuracy of one configuration, per fold (the mean over
// the seeds) and per run.
type cvResult struct {
	label  string
	folds  []float64 // accuracy per fold, mean over the seeds
	runs   []float64 // every (fold, seed) accuracy
	epochs float64   // mean kept epoch
}

func (r *cvResult) mean() float64 { return meanOf(r.folds) }

func meanOf(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// sd is the sample standard deviation.
func sd(v []float64) float64 {
	if len(v) < 2 {
		return math.NaN()
	}
	m, s := meanOf(v), 0.0
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(v)-1))
}

func speakerCV(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("speaker cv")
	corpusFile := fs.String("corpus", "", "")
	maxlen := fs.Int("maxlen", 0, "")
	lists := map[string]*cvList{}
	for _, l := range []struct{ name, def string }{
		{"form", "surface"}, {"min-count", "2"}, {"bag-min-count", strconv.Itoa(defaultBagMinCount)},
		{"units", "100"}, {"embed", "128"}, {"dropout", "0.7"}, {"spatial-dropout", "0.3"},
		{"lstm-dropout", "0"}, {"recurrent-dropout", "0.5"}, {"l2", "0.00001"}, {"lr", "0.001"},
		{"bag-l2", "0.0001"}, {"bag-lr", "0.01"}, {"bag-epochs", strconv.Itoa(bagEpochs)},
		{"ensemble", "5"}, {"bag-ensemble", "5"},
	} {
		lists[l.name] = &cvList{name: l.name}
		fs.StringVar(&lists[l.name].raw, l.name, l.def, "")
	}
	folds := fs.Int("folds", 5, "")
	seeds := fs.Int("seeds", 1, "")
	seed := fs.Uint64("seed", 1, "")
	epochs := fs.Int("epochs", 100, "")
	batch := fs.Int("batch", 32, "")
	valSplit := fs.Float64("val-split", 0.1, "")
	patience := fs.Int("patience", 15, "")
	monitor := fs.String("monitor", "val_loss", "")
	noBag := fs.Bool("no-bag", false, "")
	noLSTM := fs.Bool("no-lstm", false, "")
	quiet := fs.Bool("q", false, "")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("speaker cv: unexpected argument %q", rest[0])
	}
	if *folds < 2 || *folds > 100 {
		return usagef("speaker cv: --folds must be from 2 to 100, got %d", *folds)
	}
	if *seeds < 1 || *seeds > 1000 {
		return usagef("speaker cv: --seeds must be from 1 to 1000, got %d", *seeds)
	}
	if err := checkSizes("cv", *epochs, 1, *batch); err != nil {
		return err
	}
	if *maxlen < 0 || *maxlen > 100000 {
		return usagef("speaker cv: --maxlen must be from 0 (automatic) to 100000, got %d", *maxlen)
	}
	forms := strings.Split(lists["form"].raw, ",")
	for i, f := range forms {
		forms[i] = strings.TrimSpace(f)
		if _, err := kagome.ParseForm(forms[i]); err != nil {
			return usagef("speaker cv: --form %q: want a comma-separated list of surface and base", lists["form"].raw)
		}
	}
	minCounts, err := lists["min-count"].ints(0, 1000)
	if err != nil {
		return err
	}
	bagMinCounts, err := lists["bag-min-count"].ints(0, 1000)
	if err != nil {
		return err
	}
	// The vocabularies to try: the LSTM's grid runs with each of minCounts, the baseline's
	// with each of bagMinCounts.
	allCounts := append([]int(nil), minCounts...)
	for _, mc := range bagMinCounts {
		if !slices.Contains(allCounts, mc) {
			allCounts = append(allCounts, mc)
		}
	}
	units, err := lists["units"].ints(1, 4096)
	if err != nil {
		return err
	}
	embeds, err := lists["embed"].ints(1, 4096)
	if err != nil {
		return err
	}
	bagEpochsL, err := lists["bag-epochs"].ints(1, 1000000)
	if err != nil {
		return err
	}
	ens, err := lists["ensemble"].ints(1, 100)
	if err != nil {
		return err
	}
	bagEns, err := lists["bag-ensemble"].ints(1, 100)
	if err != nil {
		return err
	}
	fl := map[string][]float64{}
	for _, n := range []string{"dropout", "spatial-dropout", "lstm-dropout", "recurrent-dropout", "l2", "bag-l2"} {
		if fl[n], err = lists[n].floats(0, 1, false); err != nil {
			return err
		}
	}
	for _, n := range []string{"lr", "bag-lr"} {
		if fl[n], err = lists[n].floats(0, 1.0000001, true); err != nil {
			return err
		}
	}
	base := fitOpts{epochs: *epochs, batch: *batch, lr: 0.001, valSplit: *valSplit, patience: *patience, monitor: *monitor, quiet: true}
	if err := base.check("cv"); err != nil {
		return err
	}

	// The grids: every combination of the listed values.
	var lstmGrid, bagGrid []fitOpts
	for _, u := range units {
		for _, em := range embeds {
			for _, d := range fl["dropout"] {
				for _, sdr := range fl["spatial-dropout"] {
					for _, ld := range fl["lstm-dropout"] {
						for _, rd := range fl["recurrent-dropout"] {
							for _, l2 := range fl["l2"] {
								for _, lr := range fl["lr"] {
									for _, n := range ens {
										o := base
										o.units, o.embed, o.dropout, o.spatialDropout, o.lstmDropout, o.recurrentDropout, o.l2, o.lr = u, em, d, sdr, ld, rd, l2, lr
										o.ensemble = n
										lstmGrid = append(lstmGrid, o)
									}
								}
							}
						}
					}
				}
			}
		}
	}
	for _, l2 := range fl["bag-l2"] {
		for _, lr := range fl["bag-lr"] {
			for _, ep := range bagEpochsL {
				for _, n := range bagEns {
					o := base
					o.bagL2, o.bagLR, o.bagEpochs, o.bagEnsemble = l2, lr, ep, n
					bagGrid = append(bagGrid, o)
				}
			}
		}
	}
	if *noLSTM {
		lstmGrid = nil
	}
	if *noBag {
		bagGrid = nil
	}

	ex, name, err := readCorpus(*corpusFile, corpus.TrainFile, nil)
	if err != nil {
		return err
	}
	labels := text.LabelsOf(ex)
	if labels.Len() < 2 {
		return fmt.Errorf("%s: only one speaker; a classifier needs at least two", name)
	}
	lab := make([]int, len(ex))
	for i, x := range ex {
		lab[i], _ = labels.Index(x.Speaker)
	}
	if len(ex) < 2**folds {
		return fmt.Errorf("%s: %d lines are too few for %d folds", name, len(ex), *folds)
	}
	fold, err := metrics.StratifiedKFold(lab, labels.Len(), *folds, tensor.NewRNG(104729))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(e.stdout, "%d-fold cross-validation on %s (%d lines; no test file is read), seeds %d…%d per fold, at most %d epochs, batch %d, early stopping on %s of %.0f%% of each fold's training lines (patience %d; baseline %d)\n",
		*folds, name, len(ex), *seed, *seed+uint64(*seeds)-1, *epochs, *batch, *monitor, 100**valSplit, *patience, 2**patience)
	fmt.Fprintf(e.stdout, "%-64s %7s %6s %7s %7s %6s\n", "configuration", "cv acc", "sd", "min", "max", "epoch")

	var all []*cvResult
	var bestL, bestB *cvResult
	for _, form := range forms {
		fm, _ := kagome.ParseForm(form)
		tok, err := kagome.New(kagome.WithForm(fm))
		if err != nil {
			return err
		}
		toks := make([][]string, len(ex))
		for i, x := range ex {
			toks[i] = tok.Tokenize(x.Line)
		}
		for _, mc := range allCounts {
			prefix := fmt.Sprintf("form=%s min-count=%d ", form, mc)
			var bagGrid, lstmGrid = bagGrid, lstmGrid
			if !slices.Contains(bagMinCounts, mc) {
				bagGrid = nil
			}
			if !slices.Contains(minCounts, mc) {
				lstmGrid = nil
			}
			bag := make([]*cvResult, len(bagGrid))
			lstm := make([]*cvResult, len(lstmGrid))
			for i, o := range bagGrid {
				bag[i] = &cvResult{label: prefix + fmt.Sprintf("baseline bag-l2=%g bag-lr=%g bag-epochs=%d", o.bagL2, o.bagLR, o.bagEpochs)}
				if o.bagEnsemble > 1 {
					bag[i].label += fmt.Sprintf(" bag-ensemble=%d", o.bagEnsemble)
				}
			}
			for i, o := range lstmGrid {
				lstm[i] = &cvResult{label: prefix + fmt.Sprintf("units=%d embed=%d dropout=%g spatial=%g lstm-dropout=%g recurrent=%g l2=%g lr=%g",
					o.units, o.embed, o.dropout, o.spatialDropout, o.lstmDropout, o.recurrentDropout, o.l2, o.lr)}
				if o.ensemble > 1 {
					lstm[i].label += fmt.Sprintf(" ensemble=%d", o.ensemble)
				}
			}
			for f := 0; f < *folds; f++ {
				s := cvSetup(tok, toks, ex, labels, fold, f, mc, *maxlen, name)
				d := s.test
				run := func(r *cvResult, fit func(o fitOpts) (float64, speakerFit, error), o fitOpts) error {
					sum := 0.0
					for k := 0; k < *seeds; k++ {
						oo := o
						oo.seed = *seed + uint64(k)
						acc, res, err := fit(oo)
						if err != nil {
							return err
						}
						sum += acc
						r.runs = append(r.runs, acc)
						r.epochs += float64(res.best) / float64(*folds**seeds)
					}
					r.folds = append(r.folds, sum/float64(*seeds))
					return nil
				}
				for i, o := range bagGrid {
					if err := run(bag[i], func(o fitOpts) (float64, speakerFit, error) {
						m, r, err := fitBags(ctx, s, o)
						if err != nil {
							return 0, r, err
						}
						return accuracyOf(argmaxRows(m.predict(zoo.Counts(d.ids, s.vocab.Len()))), d.labels), r, nil
					}, o); err != nil {
						return err
					}
				}
				for i, o := range lstmGrid {
					if err := run(lstm[i], func(o fitOpts) (float64, speakerFit, error) {
						m, r, err := fitSpeakers(ctx, e, s, o)
						if err != nil {
							return 0, r, err
						}
						return accuracyOf(argmaxRows(m.predict(d.ids)), d.labels), r, nil
					}, o); err != nil {
						return err
					}
				}
				if !*quiet {
					fmt.Fprintf(e.stderr, "%sfold %d of %d done\n", prefix, f+1, *folds)
				}
			}
			for _, r := range append(bag, lstm...) {
				printCV(e, r)
				all = append(all, r)
			}
			for _, r := range bag {
				if bestB == nil || r.mean() > bestB.mean() {
					bestB = r
				}
			}
			for _, r := range lstm {
				if bestL == nil || r.mean() > bestL.mean() {
					bestL = r
				}
			}
		}
	}
	fmt.Fprintln(e.stdout, "(cv acc: mean over the folds of the held-out fold's accuracy, each the mean over the seeds; sd: standard deviation of the fold accuracies; min, max: worst and best single run; epoch: mean kept epoch)")
	if len(all) > 1 {
		sort.SliceStable(all, func(i, j int) bool { return all[i].mean() > all[j].mean() })
		fmt.Fprintln(e.stdout, "ranked:")
		for _, r := range all {
			printCV(e, r)
		}
	}
	if bestB != nil {
		fmt.Fprintf(e.stdout, "best baseline: %s (%.1f%%)\n", bestB.label, 100*bestB.mean())
	}
	if bestL != nil {
		fmt.Fprintf(e.stdout, "best LSTM:     %s (%.1f%%)\n", bestL.label, 100*bestL.mean())
	}
	return nil
}

func printCV(e *env, r *cvResult) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range r.runs {
		lo, hi = min(lo, v), max(hi, v)
	}
	fmt.Fprintf(e.stdout, "%-64s %6.1f%% %5.1f%% %6.1f%% %6.1f%% %6.1f\n", r.label, 100*r.mean(), 100*sd(r.folds), 100*lo, 100*hi, r.epochs)
}
