// Package e2e drives authgen as a user does: it runs `authgen init`,
// builds, vets and starts the generated application, and signs in through
// fake identity providers that speak the real protocols.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authgen/authgen/internal/integration/testkit"
	"github.com/authgen/authgen/templates"
)

// repoRoot is the authgen checkout.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

var (
	authgenOnce sync.Once
	authgenBin  string
	authgenErr  error
)

// authgen builds the authgen binary from this checkout, once per run.
func authgen(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds authgen and generated projects (go test -short builds none)")
	}
	authgenOnce.Do(func() {
		dir, err := os.MkdirTemp("", "authgen-bin-")
		if err != nil {
			authgenErr = err
			return
		}
		authgenBin = filepath.Join(dir, "authgen")
		cmd := exec.Command("go", "build", "-o", authgenBin, "./cmd/authgen")
		cmd.Dir = repoRoot(t) // the CLI's own module
		out, err := cmd.CombinedOutput()
		if err != nil {
			authgenErr = fmt.Errorf("build authgen: %v\n%s", err, out)
		}
	})
	if authgenErr != nil {
		t.Fatal(authgenErr)
	}
	return authgenBin
}

// run runs a command in dir and returns its combined output, failing the
// test on error.
func run(t testing.TB, dir string, env []string, name string, args ...string) string {
	t.Helper()
	out, err := runErr(dir, env, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func runErr(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// freePort returns a port that was free a moment ago.
func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// app is a running generated application.
type app struct {
	URL    string
	cmd    *exec.Cmd
	log    *testkit.LogBuffer
	exited chan error
	once   sync.Once
}

// build builds and vets the generated project, returning the binary.
func build(t testing.TB, dir string) string {
	t.Helper()
	run(t, dir, nil, "go", "vet", "./...")
	bin := filepath.Join(t.TempDir(), "app")
	run(t, dir, nil, "go", "build", "-o", bin, ".")
	return bin
}

// start runs the app binary in dir on a free port and waits until it
// answers.
func start(t testing.TB, bin, dir string, env ...string) *app {
	t.Helper()
	return startOn(t, freePort(t), bin, dir, env...)
}

// startOn runs the app binary in dir on port and waits until it answers.
func startOn(t testing.TB, port, bin, dir string, env ...string) *app {
	t.Helper()
	url := "http://127.0.0.1:" + port
	return launch(t, url, bin, dir, append(os.Environ(), append([]string{"PORT=" + port, "AUTH_URL=" + url}, env...)...))
}

// launch runs the app binary in dir with exactly the environment environ
// and waits until it answers at url.
func launch(t testing.TB, url, bin, dir string, environ []string) *app {
	t.Helper()
	a := &app{URL: url, log: &testkit.LogBuffer{}, exited: make(chan error, 1)}
	a.cmd = exec.Command(bin)
	a.cmd.Dir = dir
	a.cmd.Env = environ
	a.cmd.Stdout, a.cmd.Stderr = a.log, a.log
	if err := a.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { a.exited <- a.cmd.Wait() }()
	t.Cleanup(func() {
		a.stop()
		if t.Failed() {
			t.Logf("app log:\n%s", a.log.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-a.exited:
			t.Fatalf("app exited: %v\n%s", err, a.log.String())
		default:
		}
		if resp, err := http.Get(a.URL + "/api/auth/providers"); err == nil {
			resp.Body.Close()
			return a
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("app did not start:\n%s", a.log.String())
	return nil
}

// stop interrupts the app and waits for it to exit (it shuts down
// gracefully); stopping twice is harmless.
func (a *app) stop() {
	a.once.Do(func() {
		_ = a.cmd.Process.Signal(os.Interrupt)
		select {
		case <-a.exited:
		case <-time.After(10 * time.Second):
			_ = a.cmd.Process.Kill()
			<-a.exited
		}
	})
}

// port is the app's listening port.
func (a *app) port() string { return a.URL[strings.LastIndexByte(a.URL, ':')+1:] }

// browser is an HTTP client with a cookie jar that follows redirects, as a
// browser does, and asks for HTML.
type browser struct {
	*http.Client
	t testing.TB
}

func newBrowser(t testing.TB) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{Client: &http.Client{Jar: jar, Timeout: 30 * time.Second}, t: t}
}

// do sends a request and returns the final response with its body read.
func (b *browser) do(method, url string, body io.Reader, header ...string) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html,application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, string(data)
}

var csrfRE = regexp.MustCompile(`name="csrfToken" value="([0-9a-f]{64})"`)

// csrfFrom reads the CSRF token from a page's form.
func csrfFrom(t testing.TB, page string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrfToken in page:\n%s", page)
	}
	return m[1]
}

// migrationVersion is the version of the newest migration authgen writes
// for the dialect ("sqlite", "postgres", "mysql"): what a database is at
// once `authgen migrate` applied them all.
func migrationVersion(t *testing.T, dialect string) int {
	t.Helper()
	files, err := templates.Migrations(dialect, templates.MigrationData{Prefix: "auth_"})
	if err != nil {
		t.Fatal(err)
	}
	return len(files)
}
