package main

import (
	"context"
	"fmt"
)

func init() {
	register(&verb{
		name:    "models",
		summary: "list the models 'fugo train' knows, a line each",
		usage: `usage: fugo models

Lists the models of 'fugo train MODEL', a line each: the name, then the
architecture, the defaults and the figures it writes.`,
		run: runModels,
	})
}

func runModels(_ context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return usagef("models: unexpected argument %q", args[0])
	}
	for _, t := range trainers {
		fmt.Fprintf(e.stdout, "%-8s %s\n", t.name, t.summary)
	}
	return nil
}
