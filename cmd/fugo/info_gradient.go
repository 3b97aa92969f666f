package main

import (
	"context"
	"fmt"
	"math"
	"text/tabwriter"

	"fugo/autodiff"
	"fugo/optim"
	"fugo/tensor"
)

func infoGradient(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("info gradient")
	out := fs.String("out", defaultInfoOut, "directory for gradient.png")
	lr := fs.Float64("lr", 0.1, "SGD learning rate")
	z0 := fs.Float64("z0", -10, "starting pre-activation")
	maxSteps := fs.Int64("max-steps", 1_000_000, "step limit")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) > 0:
		return usagef("info gradient: unexpected argument %q", rest[0])
	case *out == "":
		return usagef("info gradient: --out: empty directory name")
	case !(*lr > 0) || math.IsInf(*lr, 0) || *lr > 1e3:
		return usagef("info gradient: --lr %v: want a learning rate in (0, 1000]", *lr)
	case !(*z0 >= -50 && *z0 <= 50):
		return usagef("info gradient: --z0 %v: want a pre-activation in [-50, 50] (beyond, float32 sigmoid saturates to exactly 0 or 1)", *z0)
	case *maxSteps < 1 || *maxSteps > 1e9:
		return usagef("info gradient: --max-steps %d: want 1 to 1e9", *maxSteps)
	}
	w := e.stdout

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "A sigmoid output y = σ(z) with target 1: cross-entropy L = -ln y (nats), squared error L = (1 - y)^2.")
	fmt.Fprintln(w, "Far on the wrong side (z << 0) cross-entropy's gradient stays near 1 while squared error's vanishes.")
	fmt.Fprintln(w)
	fmt.Fprintln(tw, "z\ty = σ(z)\tCE loss\t|dCE/dz|\tSE loss\t|dSE/dz|\tratio\t")
	for _, z := range []float64{-10, -5, -2, 0, 2, 5, 10} {
		fmt.Fprintf(tw, "%g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t\n", z, sigmoid64(z), ceLoss(z), ceGrad(z), seLoss(z), seGrad(z), ceGrad(z)/seGrad(z))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintln(w)
	fmt.Fprintf(w, "Training y = σ(w·x + b) on one example x = 1, target 1, from w = b = %g (z = %g, y = %.3g),\n", *z0/2, *z0, sigmoid64(*z0))
	fmt.Fprintf(w, "with SGD at learning rate %g in float32 (fugo's autodiff and optim.SGD), until y >= 1/2:\n\n", *lr)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "loss\t|dL/dz| at start\tsteps\tz then\ty then\tloss then")
	var results [2]trainResult
	for i, kind := range []lossKind{crossEntropyLoss, squaredErrorLoss} {
		r, err := trainLogistic(ctx, kind, float32(*z0), float32(*lr), *maxSteps)
		if err != nil {
			return err
		}
		results[i] = r
		steps := fmt.Sprint(r.steps)
		if !r.fixed {
			steps = fmt.Sprintf("not fixed after %d", r.steps)
		}
		fmt.Fprintf(tw, "%s\t%.6g\t%s\t%.4g\t%.4g\t%.4g\n", kind, r.gradAbs, steps, r.z, r.y, r.loss)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if ce, se := results[0], results[1]; ce.fixed && se.fixed && ce.steps > 0 {
		fmt.Fprintf(w, "\nsquared error needed %.1f times as many steps as cross-entropy.\n", float64(se.steps)/float64(ce.steps))
	}

	if err := outDir(*out); err != nil {
		return err
	}
	path := outPath(*out, "gradient.png")
	if err := writeGradientPNG(path, *z0); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "\nwrote %s\n", path)
	return err
}

type lossKind int

const (
	crossEntropyLoss lossKind = iota
	squaredErrorLoss
)

func (k lossKind) String() string {
	if k == crossEntropyLoss {
		return "cross-entropy"
	}
	return "squared error"
}

type trainResult struct {
	steps   int64   // SGD steps taken
	fixed   bool    // whether y reached 1/2 within the step limit
	z, y    float32 // pre-activation and output when training stopped
	loss    float32 // the loss then
	gradAbs float32 // |dL/dz| at the start, from autodiff (0 if no step was taken)
}

// trainLogistic trains y = σ(w·x + b) on the single example x = 1 with target 1 from
// w = b = z0/2, one SGD step (learning rate lr) at a time, until y ≥ 1/2 or maxSteps steps.
// The forward pass and gradients come from fugo's autodiff tape, the update from optim.SGD;
// each step moves z by 2·lr·|dL/dz| (w and b both receive dL/dz).
func trainLogistic(ctx context.Context, kind lossKind, z0, lr float32, maxSteps int64) (trainResult, error) {
	w := autodiff.NewParam(tensor.FromSlice([]float32{z0 / 2}, 1))
	b := autodiff.NewParam(tensor.FromSlice([]float32{z0 / 2}, 1))
	x := tensor.FromSlice([]float32{1}, 1)
	opt := optim.NewSGD([]*autodiff.Var{w, b})
	opt.LR = lr
	tp := autodiff.NewTape()
	var r trainResult
	for step := int64(0); ; step++ {
		tp.Reset()
		z := tp.Add(tp.Mul(w, tp.Constant(x)), b)
		y := tp.Activate(z, autodiff.Sigmoid)
		var loss *autodiff.Var
		switch kind {
		case crossEntropyLoss: // −ln y
			loss = tp.Sum(tp.Neg(tp.Log(y)))
		default: // (1 − y)²
			loss = tp.Sum(tp.Square(tp.AddScalar(tp.Neg(y), 1)))
		}
		r = trainResult{steps: step, z: z.Data()[0], y: y.Data()[0], loss: loss.Scalar(), gradAbs: r.gradAbs}
		if r.y >= 0.5 {
			r.fixed = true
			return r, nil
		}
		if step == maxSteps {
			return r, nil
		}
		if step%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return r, err
			}
		}
		tp.Backward(loss)
		if step == 0 {
			r.gradAbs = float32(math.Abs(float64(b.Grad.Data[0]))) // dL/db = dL/dz
		}
		opt.Step()
	}
}
