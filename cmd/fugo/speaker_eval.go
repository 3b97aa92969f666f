package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fugo/corpus"
	"fugo/data/text"
	"fugo/data/text/kagome"
	"fugo/metrics"
	"fugo/plot"
	"fugo/tensor"
	"fugo/zoo"
)

// trainedSpeaker is a model folder written by speaker train.
type trainedSpeaker struct {
	model    *zoo.Speaker
	models   ensemble[*zoo.Speaker]    // model and the members saved beside it
	bag      ensemble[*zoo.SpeakerBag] // nil when baseline/ is missing
	vocab    *text.Vocab
	bagVocab *text.Vocab // baseline/vocab.json, or vocab for folders without one
	labels   *text.Labels
	tok      *kagome.Tokenizer
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
		spec = text.TokenizerSpec{Name: kagome.Name}
	}
	if t.tok, err = kagome.NewFromSpec(spec); err != nil {
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

	counts, err := metrics.ConfusionMatrix(pred, d.labels, k)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	perClass, err := metrics.PerClass(counts)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%-10s %9s %9s %7s\n", "speaker", "precision", "recall", "lines")
	for c, r := range perClass {
		fmt.Fprintf(e.stdout, "%-10s %9s %9s %7d\n", t.labels.Name(c), ratio(r.TP, r.TP+r.FP), ratio(r.TP, r.TP+r.FN), r.TP+r.FN)
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
