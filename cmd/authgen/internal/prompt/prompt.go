// Package prompt runs charmbracelet/huh forms behind a small interface, so
// commands build their forms and tests run them with scripted answers in
// huh's accessible mode.
//
// Forms are built to fit a terminal of TerminalRows rows: a long list (the
// provider catalog) gets ListHeight rows and a filter, and each question
// that does not depend on another is a group of its own, shown one at a
// time.
package prompt

import (
	"context"
	"errors"
	"io"

	"github.com/charmbracelet/huh"
)

// ErrAborted reports that the user cancelled a form.
var ErrAborted = errors.New("prompt: cancelled")

// TerminalRows is the smallest terminal height forms are built for.
const TerminalRows = 24

// ListHeight is the height of a long list field (title and options), so its
// group, with the help line under it, fits TerminalRows.
const ListHeight = 14

// Prompter runs a form.
type Prompter interface {
	Run(ctx context.Context, f *huh.Form) error
	// LineByLine reports whether forms are asked line by line (huh's
	// accessible mode: screen readers, scripted input), where a preselected
	// default is not seen: titles name it (see Title).
	LineByLine() bool
}

// Title is a question's title; when p asks line by line it names def, the
// answer an empty line (Enter) keeps.
func Title(p Prompter, title, def string) string {
	if !p.LineByLine() || def == "" {
		return title
	}
	return title + " (Enter for " + def + ")"
}

// Huh runs forms on the terminal, or line by line in accessible mode (for
// screen readers, and for scripted input).
type Huh struct {
	In         io.Reader
	Out        io.Writer
	Accessible bool
}

// LineByLine reports whether h asks in accessible mode.
func (h *Huh) LineByLine() bool { return h.Accessible }

// Run runs f.
func (h *Huh) Run(ctx context.Context, f *huh.Form) error {
	f = f.WithAccessible(h.Accessible).WithOutput(h.Out)
	if h.Accessible {
		// huh reads each accessible prompt with a new bufio.Scanner; give it
		// one line per Read so no answer is lost in a scanner's buffer.
		f = f.WithInput(&lineReader{r: h.In})
	} else {
		f = f.WithInput(h.In)
	}
	err := f.RunWithContext(ctx)
	if errors.Is(err, huh.ErrUserAborted) {
		return ErrAborted
	}
	return err
}

// lineReader returns at most one line per Read.
type lineReader struct{ r io.Reader }

func (l *lineReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := l.r.Read(p[n : n+1])
		n += m
		if err != nil {
			if n > 0 && errors.Is(err, io.EOF) {
				return n, nil
			}
			return n, err
		}
		if m == 1 && p[n-1] == '\n' {
			break
		}
	}
	return n, nil
}
