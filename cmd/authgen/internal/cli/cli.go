// Package cli assembles authgen's commands and runs them: Run is the whole
// program, so tests drive it in-process.
package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/authgen/authgen/cmd/authgen/internal/adaptercmd"
	"github.com/authgen/authgen/cmd/authgen/internal/diffcmd"
	"github.com/authgen/authgen/cmd/authgen/internal/doctorcmd"
	"github.com/authgen/authgen/cmd/authgen/internal/generatecmd"
	"github.com/authgen/authgen/cmd/authgen/internal/initcmd"
	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/keyscmd"
	"github.com/authgen/authgen/cmd/authgen/internal/migratecmd"
	"github.com/authgen/authgen/cmd/authgen/internal/prompt"
	"github.com/authgen/authgen/cmd/authgen/internal/providercmd"
	"github.com/authgen/authgen/cmd/authgen/internal/targetcmd"
	"github.com/authgen/authgen/cmd/authgen/internal/usage"
	"github.com/authgen/authgen/cmd/authgen/internal/versioncmd"
)

// Exit codes, which ExitCode maps errors to.
const (
	ExitOK = 0
	// ExitError: the command failed (a project in the way, a database
	// unreachable, a file not writable), or doctor found a problem.
	ExitError = 1
	// ExitUsage: the command line is wrong: an unknown command or flag, a
	// missing or extra argument, a flag value that is not valid.
	ExitUsage = 2
	// ExitPending: `migrate --status` found migrations to apply.
	ExitPending = 3
	// ExitCancelled: the user cancelled a form (or interrupted).
	ExitCancelled = 130
)

// ExitCode is the exit code for the error a command returned.
func ExitCode(err error) int {
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, prompt.ErrAborted), errors.Is(err, context.Canceled):
		return ExitCancelled
	case errors.Is(err, usage.ErrUsage):
		return ExitUsage
	case errors.Is(err, migratecmd.ErrPending):
		return ExitPending
	}
	return ExitError
}

// Run runs authgen with args (without the program name) and returns the
// exit code.
func Run(ctx context.Context, args []string, ios *iostreams.IOStreams) int {
	return RunWith(ctx, args, ios, nil)
}

// RunWith is Run with a given prompter (tests script the forms); nil uses
// huh on ios.
func RunWith(ctx context.Context, args []string, ios *iostreams.IOStreams, p prompt.Prompter) int {
	root := newRoot(ios, p)
	root.SetArgs(args)
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	err := root.ExecuteContext(ctx)
	code := ExitCode(err)
	switch code {
	case ExitOK:
	case ExitCancelled:
		fmt.Fprintln(ios.ErrOut, "authgen: cancelled")
	default:
		fmt.Fprintln(ios.ErrOut, "authgen:", err)
	}
	return code
}

func newRoot(ios *iostreams.IOStreams, p prompt.Prompter) *cobra.Command {
	root := &cobra.Command{
		Use:   "authgen",
		Short: "Generate authentication for a Go web application",
		Long:  "authgen generates Auth.js-grade authentication into your Go module: an Auth.js-compatible API, typed providers, sessions and keys, as code you own.",
		Example: `  authgen init myapp --yes
  authgen add provider google
  authgen generate
  source <(authgen completion bash)`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(flagError)
	var accessible bool
	root.PersistentFlags().BoolVar(&accessible, "accessible", false, "line-by-line prompts for screen readers (also ACCESSIBLE=1)")
	prompter := func() prompt.Prompter {
		if p != nil {
			return p
		}
		return &prompt.Huh{In: ios.In, Out: ios.Out, Accessible: accessible || os.Getenv("ACCESSIBLE") != ""}
	}
	add := providercmd.NewAdd(ios)
	add.AddCommand(adaptercmd.New(ios)) // authgen add adapter custom
	add.AddCommand(targetcmd.New(ios))  // authgen add target lambda|container
	root.AddCommand(
		initcmd.New(ios, prompter),
		generatecmd.New(ios),
		diffcmd.New(ios),
		keyscmd.New(ios),
		migratecmd.New(ios),
		doctorcmd.New(ios),
		add, providercmd.NewRemove(ios), providercmd.NewList(ios),
		versioncmd.New(ios),
		newCompletion(ios),
	)
	registerCompletions(root)
	markUsageErrors(root)
	return root
}

// flagError is a flag the command does not have, or a value it cannot
// parse, as a usage error; an unknown flag gets the nearest one it has.
func flagError(cmd *cobra.Command, err error) error {
	name, ok := strings.CutPrefix(err.Error(), "unknown flag: --")
	if !ok {
		return usage.Wrap(err)
	}
	var names []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, "--"+f.Name)
		}
	})
	return usage.Errorf("%w;%s see `%s --help`", err, usage.Suggest("--"+name, names), cmd.CommandPath())
}

// markUsageErrors makes every argument check of the command tree return a
// usage error, and commands that only group others (keys) refuse an
// unknown verb, naming the nearest, instead of printing help and exiting 0.
func markUsageErrors(c *cobra.Command) {
	switch {
	case c.Args != nil:
		check := c.Args
		c.Args = func(cmd *cobra.Command, args []string) error { return usage.Wrap(check(cmd, args)) }
	case !c.Runnable() && c.HasSubCommands():
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			cmd.SuggestionsMinimumDistance = cmp.Or(cmd.SuggestionsMinimumDistance, 2)
			return usage.Errorf("unknown command %q for %q;%s see `%s --help`", args[0], cmd.CommandPath(), usage.DidYouMean(cmd.SuggestionsFor(args[0])), cmd.CommandPath())
		}
		c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	}
	for _, sub := range c.Commands() {
		markUsageErrors(sub)
	}
}
