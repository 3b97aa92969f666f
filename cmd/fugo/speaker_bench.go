package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"fugo/data/arrays"
	"fugo/data/text"
	"fugo/tensor"
)

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
