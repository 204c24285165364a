package dbcheck_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/dbcheck"
)

// fakeSchema is a database whose state the test sets: reachable or not,
// and at some version against the application's.
type fakeSchema struct {
	mu        sync.Mutex
	down      bool  // CheckSchema and Migrate fail as unreachable
	hang      bool  // CheckSchema waits for its context
	version   int64 // the database's
	latest    int64 // the application's
	newer     bool  // the database has a migration the application lacks
	failing   error // Migrate's error when up
	checks    int
	migrates  int
	checkedCh chan struct{}
}

var errDown = errors.New("dial tcp 127.0.0.1:1: connect: connection refused")

func (f *fakeSchema) CheckSchema(ctx context.Context) error {
	f.mu.Lock()
	f.checks++
	down, hang := f.down, f.hang
	f.mu.Unlock()
	if f.checkedCh != nil {
		select {
		case f.checkedCh <- struct{}{}:
		default:
		}
	}
	switch {
	case hang:
		<-ctx.Done()
		return ctx.Err()
	case down:
		return errDown
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.newer:
		return fmt.Errorf("%w: it records version 9", dbcheck.ErrNewer)
	case f.version < f.latest:
		return fmt.Errorf("%w: it is at version %d, this application's migrations reach %d", dbcheck.ErrPending, f.version, f.latest)
	}
	return nil
}

func (f *fakeSchema) Migrate(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.migrates++
	switch {
	case f.down:
		return errDown
	case f.failing != nil:
		return f.failing
	}
	f.version = f.latest
	return nil
}

func (f *fakeSchema) set(fn func(*fakeSchema)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// logs is a slog text handler's output, safe for the background check.
type logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logs) count(level string) int { return strings.Count(l.String(), "level="+level) }

func options(l *logs, auto bool) dbcheck.Options {
	return dbcheck.Options{
		URL: "postgres://app:hunter2@db.internal/app", AutoMigrate: auto,
		Logger: slog.New(slog.NewTextHandler(l, nil)), Timeout: 200 * time.Millisecond, Retry: 5 * time.Millisecond,
	}
}

func TestCurrent(t *testing.T) {
	var l logs
	f := &fakeSchema{version: 2, latest: 2}
	stop, err := dbcheck.Start(t.Context(), f, options(&l, true))
	if err != nil {
		t.Fatal(err)
	}
	stop()
	stop()
	if f.migrates != 0 || l.String() != "" {
		t.Errorf("migrated %d times, logged %q", f.migrates, l.String())
	}
}

// TestPending: without AutoMigrate a database that lacks migrations stops
// the application, naming both fixes and not the password.
func TestPending(t *testing.T) {
	var l logs
	f := &fakeSchema{version: 1, latest: 2}
	_, err := dbcheck.Start(t.Context(), f, options(&l, false))
	if !errors.Is(err, dbcheck.ErrPending) {
		t.Fatalf("err = %v, want ErrPending", err)
	}
	for _, want := range []string{"postgres://app:xxxxx@db.internal/app", "at version 1", "reach 2", "run `authgen migrate`", "AUTH_AUTO_MIGRATE=true"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "hunter2") || f.migrates != 0 {
		t.Errorf("error %v; migrated %d times", err, f.migrates)
	}
}

func TestAutoMigrate(t *testing.T) {
	var l logs
	f := &fakeSchema{version: 0, latest: 2}
	if _, err := dbcheck.Start(t.Context(), f, options(&l, true)); err != nil {
		t.Fatal(err)
	}
	if f.migrates != 1 || f.version != 2 {
		t.Errorf("migrated %d times, to version %d", f.migrates, f.version)
	}
	// A migration that fails stops the application.
	broken := fmt.Errorf("%w: 00002_x.sql:3: syntax error", dbcheck.ErrSchema)
	f = &fakeSchema{version: 1, latest: 2, failing: broken}
	if _, err := dbcheck.Start(t.Context(), f, options(&l, true)); !errors.Is(err, dbcheck.ErrSchema) || !strings.Contains(err.Error(), "00002_x.sql:3") {
		t.Errorf("failing migration: %v", err)
	}
}

// TestNewer: a database migrated by a newer version starts with a warning.
func TestNewer(t *testing.T) {
	var l logs
	f := &fakeSchema{version: 3, latest: 2, newer: true}
	if _, err := dbcheck.Start(t.Context(), f, options(&l, false)); err != nil {
		t.Fatal(err)
	}
	if l.count("WARN") != 1 || !strings.Contains(l.String(), "newer version") {
		t.Errorf("log:\n%s", l.String())
	}
}

func TestSchemaMismatch(t *testing.T) {
	var l logs
	f := &schemaErr{err: fmt.Errorf("%w: 00001_a.sql was never applied, the database is at version 2", dbcheck.ErrSchema)}
	if _, err := dbcheck.Start(t.Context(), f, options(&l, true)); !errors.Is(err, dbcheck.ErrSchema) || !strings.Contains(err.Error(), "never applied") {
		t.Errorf("err = %v", err)
	}
}

type schemaErr struct{ err error }

func (s *schemaErr) CheckSchema(context.Context) error { return s.err }
func (s *schemaErr) Migrate(context.Context) error     { return nil }

// TestUnreachable: a database that does not answer lets the application
// start with exactly one warning; the background check migrates it once
// it answers and says so once.
func TestUnreachable(t *testing.T) {
	var l logs
	f := &fakeSchema{down: true, latest: 2, checkedCh: make(chan struct{}, 1)}
	stop, err := dbcheck.Start(t.Context(), f, options(&l, true))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	for range 3 { // it keeps trying, quietly
		<-f.checkedCh
	}
	if l.count("WARN") != 1 || !strings.Contains(l.String(), "does not answer") || !strings.Contains(l.String(), "connection refused") || strings.Contains(l.String(), "hunter2") {
		t.Fatalf("log while down:\n%s", l.String())
	}
	f.set(func(f *fakeSchema) { f.down = false })
	waitFor(t, func() bool { return strings.Contains(l.String(), "migrations applied") })
	stop()
	if f.version != 2 || l.count("WARN") != 1 || l.count("INFO") != 1 {
		t.Errorf("version %d; log:\n%s", f.version, l.String())
	}
}

// TestUnreachableThenPending: without AutoMigrate, a database that turns
// out unmigrated when it answers is reported once, as an error.
func TestUnreachableThenPending(t *testing.T) {
	var l logs
	f := &fakeSchema{down: true, latest: 1}
	stop, err := dbcheck.Start(t.Context(), f, options(&l, false))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	f.set(func(f *fakeSchema) { f.down = false })
	waitFor(t, func() bool { return l.count("ERROR") == 1 })
	stop()
	if !strings.Contains(l.String(), "authgen migrate") || f.migrates != 0 {
		t.Errorf("log:\n%s", l.String())
	}
}

// TestHanging: a check that does not return is cut at the timeout and
// counts as unreachable; stop ends the background check.
func TestHanging(t *testing.T) {
	var l logs
	f := &fakeSchema{hang: true, latest: 1}
	begin := time.Now()
	stop, err := dbcheck.Start(t.Context(), f, options(&l, false))
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(begin); d > 5*time.Second {
		t.Errorf("Start took %v", d)
	}
	stop()
	f.mu.Lock()
	n := f.checks
	f.mu.Unlock()
	time.Sleep(50 * time.Millisecond)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.checks != n {
		t.Errorf("checks went on after stop: %d, then %d", n, f.checks)
	}
	if !strings.Contains(l.String(), "deadline exceeded") {
		t.Errorf("log:\n%s", l.String())
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
