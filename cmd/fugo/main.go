// Command fugo trains, inspects and ships the autoencoders of the origin blog series.
//
// Usage:
//
//	fugo <verb> [flags] [arguments]
//
// Each verb lives in its own file of this package and registers itself in init with
// register. Verbs are tested through their run function; only main touches os.Exit.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
)

// env is what a verb may touch of the outside world. Tests fill it with buffers.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// stderrIsTerminal says whether progress bars may be drawn on stderr.
	stderrIsTerminal bool
	getenv           func(string) string
}

// verb is one subcommand: `fugo NAME ...`.
type verb struct {
	name    string
	summary string // one line for `fugo help`
	usage   string // the text for `fugo help NAME`: synopsis, then what it does and its flags
	run     func(ctx context.Context, e *env, args []string) error
}

var verbs = map[string]*verb{}

func register(v *verb) {
	if _, dup := verbs[v.name]; dup {
		panic("fugo: verb registered twice: " + v.name)
	}
	verbs[v.name] = v
}

// usageError marks a mistake in how fugo was called (unknown verb, bad flag value):
// it exits with status 2 instead of 1.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// newFlagSet returns a flag set for a verb that reports errors through the returned
// error rather than printing and exiting.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args into fs and turns any problem into a usage error that names the
// verb. It lets flags and positional arguments mix (`fugo train vae --epochs 3`).
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, usagef("%s: see 'fugo help %s'", fs.Name(), strings.Fields(fs.Name())[0])
			}
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		// After the first Ctrl-C the context is cancelled and training stops after its
		// current step; restoring the default handler lets a second Ctrl-C kill at once.
		<-ctx.Done()
		stop()
	}()
	e := &env{
		stdin:            os.Stdin,
		stdout:           os.Stdout,
		stderr:           os.Stderr,
		stderrIsTerminal: isTerminal(os.Stderr),
		getenv:           os.Getenv,
	}
	os.Exit(runMain(ctx, e, os.Args[1:]))
}

// runMain runs one fugo command line and returns the exit status: 0 success, 1 runtime
// failure (printed as "fugo: <error>"), 2 usage error.
func runMain(ctx context.Context, e *env, args []string) int {
	err := dispatch(ctx, e, args)
	if err == nil {
		return 0
	}
	fmt.Fprintf(e.stderr, "fugo: %v\n", err)
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

func dispatch(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		printHelp(e.stderr)
		return usagef("no verb given")
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		return help(e, args[1:])
	}
	v, ok := verbs[name]
	if !ok {
		return usagef("unknown verb %q; run 'fugo help' for the list", name)
	}
	return v.run(ctx, e, args[1:])
}

func help(e *env, args []string) error {
	if len(args) == 0 {
		printHelp(e.stdout)
		return nil
	}
	v, ok := verbs[args[0]]
	if !ok {
		return usagef("help: unknown verb %q", args[0])
	}
	fmt.Fprintln(e.stdout, strings.TrimSpace(v.usage))
	return nil
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, "fugo trains, inspects and ships autoencoders on the CPU.\n\nUsage:\n\n\tfugo <verb> [flags] [arguments]\n\nVerbs:\n\n")
	names := make([]string, 0, len(verbs))
	for n := range verbs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "\t%-12s %s\n", n, verbs[n].summary)
	}
	fmt.Fprint(w, "\nRun 'fugo help <verb>' for a verb's flags.\n")
}
