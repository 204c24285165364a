package testsvc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Process is a server process started by one of the helpers. It is embedded
// in every server type, so Stop, Start, Running and Log are available on all
// of them. A stopped server restarts on the same port with the same data
// directory, which lets tests simulate an outage and recovery.
type Process struct {
	// Name is a short name for messages, e.g. "postgres".
	Name string
	// Dir is the server's private temporary directory (data, config, log).
	Dir string
	// LogPath is the file that receives the server's stdout and stderr.
	LogPath string

	// newCmd builds the command for one start (called on every start, so
	// it sees the current port).
	newCmd func() *exec.Cmd
	// ready reports nil once the server answers.
	ready func(ctx context.Context) error
	// shutdown, if set, asks the server to stop gracefully (e.g. over its
	// protocol); otherwise stopSignal is sent.
	shutdown   func(ctx context.Context) error
	stopSignal syscall.Signal
	// user, if set, runs the process as that user (used for PostgreSQL
	// when the tests run as root).
	user *osUser

	mu  sync.Mutex
	cur *running
}

type running struct {
	cmd     *exec.Cmd
	logFile *os.File
	done    chan struct{} // closed when the process has exited
	err     error         // Wait's result, valid after done is closed
}

func (r *running) exited() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// Running reports whether the server process is running.
func (p *Process) Running() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cur != nil && !p.cur.exited()
}

// Pid returns the server's process ID, or 0 if it is not running.
func (p *Process) Pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur == nil || p.cur.exited() {
		return 0
	}
	return p.cur.cmd.Process.Pid
}

// Log returns the last 16 KiB of the server's log.
func (p *Process) Log() string { return tailFile(p.LogPath, 0, 16<<10) }

// Start starts the stopped server again, on the same port and data
// directory, and waits until it is ready. It fails the test if the server is
// already running or does not become ready.
func (p *Process) Start(t testing.TB) {
	t.Helper()
	if p.Running() {
		t.Fatalf("testsvc: %s: Start called while the server is running", p.Name)
	}
	// Not t.Context(): Start may be called from a cleanup, after the test
	// context is canceled. The wait is bounded by readyTimeout anyway.
	if err := p.start(context.Background()); err != nil {
		t.Fatalf("testsvc: restart %s: %v", p.Name, err)
	}
}

// Stop stops the server gracefully and waits for the process to exit (it is
// killed if it has not exited after 30 s). Stopping a stopped server does
// nothing.
func (p *Process) Stop(t testing.TB) {
	t.Helper()
	if err := p.stop(); err != nil {
		t.Fatalf("testsvc: stop %s: %v", p.Name, err)
	}
}

// start launches the process and waits for readiness. On failure the
// process is killed and the error carries the log of this attempt; the error
// wraps errAddrInUse if the log says the port was taken.
func (p *Process) start(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur != nil && !p.cur.exited() {
		return errors.New("already running")
	}

	logFile, err := os.OpenFile(p.LogPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintf(logFile, "\n=== testsvc: starting %s at %s ===\n", p.Name, time.Now().Format(time.RFC3339Nano))
	offset, _ := logFile.Seek(0, io.SeekEnd)

	cmd := p.newCmd()
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.Dir = p.Dir
	if err := configureCmd(cmd, p.user); err != nil {
		logFile.Close()
		return err
	}
	if err := spawn(cmd); err != nil {
		logFile.Close()
		return fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	r := &running{cmd: cmd, logFile: logFile, done: make(chan struct{})}
	go func() {
		r.err = cmd.Wait()
		logFile.Close()
		close(r.done)
	}()
	p.cur = r

	fail := func(format string, args ...any) error {
		killGroup(cmd)
		<-r.done
		log := tailFile(p.LogPath, offset, 8<<10)
		err := fmt.Errorf(format+"\n--- %s log (%s) ---\n%s", append(args, p.Name, p.LogPath, log)...)
		if strings.Contains(strings.ToLower(log), "already in use") {
			err = fmt.Errorf("%w: %w", errAddrInUse, err)
		}
		return err
	}

	deadline := time.Now().Add(readyTimeout)
	var lastErr error
	for {
		if r.exited() {
			return fail("%s exited before it was ready: %v", p.Name, r.err)
		}
		if err := ctx.Err(); err != nil {
			return fail("%s: %v", p.Name, err)
		}
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		lastErr = p.ready(pctx)
		cancel()
		if lastErr == nil {
			// Something answered. Make sure it is our process and not
			// another server that won the port.
			time.Sleep(20 * time.Millisecond)
			if r.exited() {
				return fail("%s exited just after it looked ready: %v", p.Name, r.err)
			}
			return nil
		}
		if time.Now().After(deadline) {
			return fail("%s not ready after %v: %v", p.Name, readyTimeout, lastErr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop shuts the process down and waits for it.
func (p *Process) stop() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := p.cur
	if r == nil || r.exited() {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var errs []error
	if p.shutdown != nil {
		if err := p.shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("graceful shutdown: %w", err))
			_ = r.cmd.Process.Signal(syscall.SIGTERM)
		}
	} else {
		sig := p.stopSignal
		if sig == 0 {
			sig = syscall.SIGTERM
		}
		_ = r.cmd.Process.Signal(sig)
	}
	select {
	case <-r.done:
		return errors.Join(errs...)
	case <-ctx.Done():
	}
	killGroup(r.cmd)
	<-r.done
	return errors.Join(append(errs, fmt.Errorf("%s did not exit within 30s; killed", p.Name))...)
}

// startNew starts a freshly configured server, choosing new ports and
// retrying when a port turns out to be taken. setPorts receives n fresh
// ports before each attempt. It registers the cleanup that stops the
// process (and, if the test failed, logs the server's log).
func (p *Process) startNew(t testing.TB, n int, setPorts func(ports []int)) {
	t.Helper()
	p.LogPath = p.Dir + "/server.log"
	t.Cleanup(func() {
		if err := p.stop(); err != nil {
			t.Logf("testsvc: stop %s: %v", p.Name, err)
		}
		if t.Failed() {
			t.Logf("testsvc: %s log (tail):\n%s", p.Name, p.Log())
		}
	})
	const attempts = 5
	for i := 1; ; i++ {
		ports, err := freePorts(n)
		if err != nil {
			t.Fatalf("testsvc: %v", err)
		}
		setPorts(ports)
		err = p.start(context.Background())
		if err == nil {
			return
		}
		if errors.Is(err, errAddrInUse) && i < attempts {
			t.Logf("testsvc: %s: port %v taken, retrying with another", p.Name, ports)
			continue
		}
		t.Fatalf("testsvc: start %s: %v", p.Name, err)
	}
}

// tailFile returns up to max bytes of the end of path, starting no earlier
// than offset.
func tailFile(path string, offset int64, max int64) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err.Error()
	}
	start := offset
	if fi.Size()-start > max {
		start = fi.Size() - max
	}
	if _, err := f.Seek(start, io.SeekStart); err != nil {
		return err.Error()
	}
	b, _ := io.ReadAll(f)
	s := string(b)
	if start > offset {
		s = "…" + s
	}
	return s
}
