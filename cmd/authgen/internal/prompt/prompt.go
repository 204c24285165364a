// Package prompt runs charmbracelet/huh forms behind a small interface, so
// commands build their forms and tests run them with scripted answers in
// huh's accessible mode.
package prompt

import (
	"context"
	"errors"
	"io"

	"github.com/charmbracelet/huh"
)

// ErrAborted reports that the user cancelled a form.
var ErrAborted = errors.New("prompt: cancelled")

// Prompter runs a form.
type Prompter interface {
	Run(ctx context.Context, f *huh.Form) error
}

// Huh runs forms on the terminal, or line by line in accessible mode (for
// screen readers, and for scripted input).
type Huh struct {
	In         io.Reader
	Out        io.Writer
	Accessible bool
}

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
