// Package testsvc starts real servers for Go tests: PostgreSQL, MariaDB,
// Redis, a MongoDB wire-protocol server (FerretDB), OpenLDAP, Dex, the
// zitadel/oidc example OP and Mailpit.
//
// Every helper takes a testing.TB, starts its server on 127.0.0.1 on a free
// port with its state in a fresh directory under os.TempDir(), waits until the
// server answers a real protocol request, and registers a t.Cleanup that stops
// the process and removes the directory. Nothing listens on a fixed port, so
// helpers can be used from parallel tests and parallel test packages.
//
// Servers come from two places:
//
//   - Debian packages (postgresql, mariadb-server, redis-server, slapd and,
//     for tests that use the command-line clients, ldap-utils);
//   - Go programs built from the separate tools module in <repo>/tools
//     (ferretdb-embed, dex, mailpit, zitadel-example-op); see [ToolPath].
//
// When a server is not installed the helper skips the test with a message
// naming what to install, unless the environment variable
// AUTHGEN_REQUIRE_SERVERS=1 is set (as CI does), in which case the test
// fails instead. See [Unavailable].
//
// The package deliberately depends on the standard library only, so that
// importing it does not add database drivers to the main module.
package testsvc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Environment variables read by this package.
const (
	// EnvRequireServers, when set to "1" (or "true"), turns every "server
	// not installed" skip into a test failure.
	EnvRequireServers = "AUTHGEN_REQUIRE_SERVERS"
	// EnvToolsBin names the directory holding the tool binaries
	// (default <repo root>/tools/bin).
	EnvToolsBin = "AUTHGEN_TOOLS_BIN"
)

// readyTimeout bounds how long a helper waits for a server to answer.
const readyTimeout = 60 * time.Second

// Required reports whether missing servers must fail tests rather than skip
// them, i.e. whether AUTHGEN_REQUIRE_SERVERS is set to a true value.
func Required() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv(EnvRequireServers))) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// Unavailable is the single place that decides what happens when a server,
// client program or tool binary a test needs is not available: it calls
// t.Skip with the message, or t.Fatal if [Required] is true. It never
// returns.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if Required() {
		t.Fatalf("%s (%s=1, so this is a failure, not a skip)", msg, EnvRequireServers)
	}
	t.Skipf("%s (skipping; set %s=1 to make this a failure)", msg, EnvRequireServers)
}

// skipShort skips t under go test -short, which runs no server.
func skipShort(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a server (go test -short runs none)")
	}
}

// LookPath finds an executable by name in $PATH and then in extraDirs. If it
// is not found, it calls [Unavailable] with a message saying to install the
// Debian package pkg.
func LookPath(t testing.TB, name, pkg string, extraDirs ...string) string {
	t.Helper()
	if p, err := lookPath(name, extraDirs...); err == nil {
		return p
	}
	where := "$PATH"
	if len(extraDirs) > 0 {
		where += " or " + strings.Join(extraDirs, ", ")
	}
	Unavailable(t, "testsvc: %s not found in %s: install the Debian package %s (apt-get install %s)",
		name, where, pkg, pkg)
	return ""
}

func lookPath(name string, extraDirs ...string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, d := range extraDirs {
		p := filepath.Join(d, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: executable not found", name)
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago: it
// listens on port 0 and closes the listener. Another process may take the
// port before it is used, so callers that start servers should retry on a
// bind failure (the helpers in this package do).
func FreePort(t testing.TB) int {
	t.Helper()
	p, err := freePort()
	if err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	return p
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pick a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// freePorts returns n distinct free ports.
func freePorts(n int) ([]int, error) {
	// Hold all listeners open until every port is chosen, so the kernel
	// does not hand out the same port twice.
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("pick a free port: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// newDir creates a fresh directory under os.TempDir() (not t.TempDir(),
// whose parents may not be traversable by a server that drops privileges)
// and removes it when the test ends. Cleanups run last-in first-out, so
// register this before the process that uses it.
func newDir(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "authgen-"+name+"-")
	if err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Logf("testsvc: remove %s: %v", dir, err)
		}
	})
	return dir
}

// run runs a short-lived command and returns its combined output. The error
// includes the output.
func run(ctx context.Context, name string, args ...string) (string, error) {
	return runInDir(ctx, "", nil, name, args...)
}

// runInDir is run with a working directory and extra environment variables.
func runInDir(ctx context.Context, dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("%s %s: %w\n%s", filepath.Base(name), strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	return out.String(), nil
}

// httpOK reports an error unless GET url answers 200.
func httpOK(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	if _, err := body.ReadFrom(resp.Body); err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return body.Bytes(), fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return body.Bytes(), nil
}

// tcpDial checks that something accepts TCP connections on addr.
func tcpDial(ctx context.Context, addr string) error {
	var d net.Dialer
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return c.Close()
}

// errAddrInUse marks a start failure caused by a port that was taken.
var errAddrInUse = errors.New("address already in use")

func hostPort(port int) string { return net.JoinHostPort("127.0.0.1", fmt.Sprint(port)) }
