// Package iostreams carries the CLI's input and output and knows whether
// they are terminals, so commands prompt only when a person can answer.
package iostreams

import (
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are the CLI's standard streams.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY, stdoutTTY bool
}

// System returns the process's streams.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		stdinTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		stdoutTTY: term.IsTerminal(int(os.Stdout.Fd())),
	}
}

// New returns streams over in, out and errOut that are not terminals, for
// tests and pipes.
func New(in io.Reader, out, errOut io.Writer) *IOStreams {
	return &IOStreams{In: in, Out: out, ErrOut: errOut}
}

// SetTTY marks the streams as terminals (or not), for tests.
func (s *IOStreams) SetTTY(tty bool) { s.stdinTTY, s.stdoutTTY = tty, tty }

// CanPrompt reports whether both stdin and stdout are terminals.
func (s *IOStreams) CanPrompt() bool { return s.stdinTTY && s.stdoutTTY }
