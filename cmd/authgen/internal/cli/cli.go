// Package cli assembles authgen's commands and runs them: Run is the whole
// program, so tests drive it in-process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/authgen/authgen/cmd/authgen/internal/adaptercmd"
	"github.com/authgen/authgen/cmd/authgen/internal/diffcmd"
	"github.com/authgen/authgen/cmd/authgen/internal/generatecmd"
	"github.com/authgen/authgen/cmd/authgen/internal/initcmd"
	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/keyscmd"
	"github.com/authgen/authgen/cmd/authgen/internal/migratecmd"
	"github.com/authgen/authgen/cmd/authgen/internal/prompt"
	"github.com/authgen/authgen/cmd/authgen/internal/providercmd"
	"github.com/authgen/authgen/cmd/authgen/internal/versioncmd"
)

// Exit codes.
const (
	ExitOK        = 0
	ExitError     = 1
	ExitUsage     = 2
	ExitCancelled = 130
)

// usageError marks errors in how the command was called.
type usageError struct{ error }

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
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, prompt.ErrAborted), errors.Is(err, context.Canceled):
		fmt.Fprintln(ios.ErrOut, "authgen: cancelled")
		return ExitCancelled
	}
	fmt.Fprintln(ios.ErrOut, "authgen:", err)
	var ue usageError
	if errors.As(err, &ue) {
		return ExitUsage
	}
	return ExitError
}

func newRoot(ios *iostreams.IOStreams, p prompt.Prompter) *cobra.Command {
	root := &cobra.Command{
		Use:           "authgen",
		Short:         "Generate authentication for a Go web application",
		Long:          "authgen generates Auth.js-grade authentication into your Go module: an Auth.js-compatible API, typed providers, sessions and keys, as code you own.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
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
	root.AddCommand(
		initcmd.New(ios, prompter),
		generatecmd.New(ios),
		diffcmd.New(ios),
		keyscmd.New(ios),
		migratecmd.New(ios),
		add, providercmd.NewRemove(ios), providercmd.NewList(ios),
		versioncmd.New(ios),
	)
	return root
}
