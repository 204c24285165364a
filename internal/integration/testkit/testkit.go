// Package testkit holds the small helpers the integration tests share: a
// settable clock for a server's Config.Now and a log sink handlers can
// write to concurrently.
package testkit

import (
	"bytes"
	"sync"
	"time"
)

// Clock is a fake clock safe for use from handlers.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts at the current second. It is anchored to the wall clock
// because cookie jars count Max-Age from the wall clock, which a fake clock
// far from the real one would turn into one-second cookies.
func NewClock() *Clock { return &Clock{now: time.Now().Truncate(time.Second)} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// LogBuffer is a log sink safe for concurrent use, such as a server's
// slog handler's while a test reads it.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String is what was written so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
