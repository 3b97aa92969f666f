package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"fugo/plot"
	"fugo/zoo"
)

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
	fmt.Fprintln(e.stdout, "(mean, min, max: accuracy on the test lines over the seeds; val: mean accuracy on the validation lines held out of the\ntraining file, NaN without --val-split; epochs: mean epoch whose weights were kept; both of an ensemble's first member;\nseconds: mean wall time per seed to train all members of an ensemble, side by side)")
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
