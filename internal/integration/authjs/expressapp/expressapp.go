// Package expressapp starts node/express.mjs (a real @auth/express 0.12.3
// application, pinned by ../node/package-lock.json) for tests that share
// sessions between it and a Go application: package authjs's browser tests
// against the runtime, and the end-to-end test against a generated project.
package expressapp

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/internal/integration/testsvc"
)

// NodeDir is the directory of the Node.js scripts and the pinned packages.
// It skips t (or fails it under AUTHGEN_REQUIRE_SERVERS=1) when node or the
// packages are missing.
func NodeDir(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "node")
	testsvc.LookPath(t, "node", "nodejs")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@auth", "core")); err != nil {
		testsvc.Unavailable(t, "authjs: the Auth.js packages are not installed: run `npm ci --no-audit --no-fund` in %s", dir)
	}
	return dir
}

// Start starts express.mjs on a free loopback port with secret (its
// AUTH_SECRET) and returns its origin with host, a name of the loopback
// address; with cookieDomain it shares the session cookie with that
// domain. Its auth API is at /auth (the sign-in page /auth/signin, with a
// credentials form for ada / pw, user-1, "Ada Lovelace"), and / says who is
// signed in (#who: the name, or "signed out"). It stops with the test.
func Start(t testing.TB, secret, host, cookieDomain string) string {
	t.Helper()
	dir := NodeDir(t)
	port := testsvc.FreePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, "node", filepath.Join(dir, "express.mjs"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), fmt.Sprintf("PORT=%d", port), "AUTH_SECRET="+secret, "NODE_ENV=production", "COOKIE_DOMAIN="+cookieDomain)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("express.mjs stderr:\n%s", stderr.String())
		}
	})
	ready := make(chan bool, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			if s.Text() == "listening" {
				ready <- true
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("express.mjs exited before listening:\n%s", stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("express.mjs did not listen within 30 s:\n%s", stderr.String())
	}
	return fmt.Sprintf("http://%s:%d", host, port)
}
