package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"fugo/zoo"
)

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
