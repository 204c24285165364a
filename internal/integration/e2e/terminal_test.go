package e2e

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// terminal answers what a program asks its terminal (the background colour,
// the cursor position), as xterm does, and records what it shows.
type terminal struct {
	mu   sync.Mutex
	out  bytes.Buffer
	last time.Time // when output last arrived
}

// queries are the requests charmbracelet's libraries send a terminal, with
// a plausible xterm answer.
var queries = []struct{ ask, answer string }{
	{"\x1b]11;?\x07", "\x1b]11;rgb:0000/0000/0000\x07"},
	{"\x1b]11;?\x1b\\", "\x1b]11;rgb:0000/0000/0000\x1b\\"},
	{"\x1b[6n", "\x1b[1;1R"},
	{"\x1b[c", "\x1b[?62;22c"},
}

// runInTerminal runs name in dir with a pseudo-terminal of 24 rows and 80
// columns as its stdin, stdout and stderr, as a user at a terminal does,
// typing each answer once the program has stopped writing (it waits for
// input). It returns what the terminal showed and the exit code.
func runInTerminal(t testing.TB, dir string, answers []string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	ptm, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatalf("start %s in a terminal: %v", name, err)
	}
	defer ptm.Close()
	term := &terminal{last: time.Now()}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptm.Read(buf)
			if n > 0 {
				term.mu.Lock()
				term.out.Write(buf[:n])
				term.last = time.Now()
				for _, q := range queries {
					if bytes.Contains(buf[:n], []byte(q.ask)) {
						ptm.WriteString(q.answer)
					}
				}
				term.mu.Unlock()
			}
			if err != nil { // EIO once the program and its children are gone
				return
			}
		}
	}()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.After(5 * time.Minute)
	pending := answers
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
wait:
	for {
		select {
		case err = <-done:
			break wait
		case <-deadline:
			cmd.Process.Kill()
			t.Fatalf("%s did not finish; the terminal showed:\n%s", name, term.String())
		case <-tick.C:
			term.mu.Lock()
			quiet := time.Since(term.last) > 400*time.Millisecond
			term.mu.Unlock()
			if quiet && len(pending) > 0 {
				ptm.WriteString(pending[0] + "\r")
				pending = pending[1:]
				term.mu.Lock()
				term.last = time.Now()
				term.mu.Unlock()
			}
		}
	}
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	time.Sleep(100 * time.Millisecond) // the last output
	return term.String(), code
}

// String is what the terminal showed, with CRLF as LF.
func (t *terminal) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.ReplaceAll(t.out.String(), "\r\n", "\n")
}
