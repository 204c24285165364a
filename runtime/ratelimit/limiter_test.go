package ratelimit_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/ratelimit"
)

// clock is a settable clock for the limiter.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newLimiter(t *testing.T, c *clock, limits map[string]ratelimit.Limit) *ratelimit.Limiter {
	t.Helper()
	l, err := ratelimit.New(ratelimit.Config{Limits: limits, Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestLimiter: named limits counted per key, refused with the wait, and
// refilled as the clock moves.
func TestLimiter(t *testing.T) {
	c := &clock{time.Unix(1_700_000_000, 0)}
	l := newLimiter(t, c, map[string]ratelimit.Limit{
		"email":           {Events: 2, Per: time.Hour},
		"emailPerClient":  {Events: 3, Per: time.Hour},
		"signInPerClient": ratelimit.Off,
	})
	ctx := context.Background()
	send := func(addr, client string) ratelimit.Decision {
		t.Helper()
		d, err := l.Allow(ctx, ratelimit.Event{Limit: "signInPerClient", Key: client},
			ratelimit.Event{Limit: "emailPerClient", Key: client}, ratelimit.Event{Limit: "email", Key: addr})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if d := send("a@example.com", "192.0.2.1"); !d.Allowed || d.Remaining != 1 {
		t.Errorf("first: %+v", d)
	}
	send("a@example.com", "192.0.2.1")
	d := send("a@example.com", "192.0.2.1")
	if d.Allowed || d.Refused != 2 || d.RetryAfter != 30*time.Minute {
		t.Errorf("third to one address: %+v, want refused by email (event 2) for 30m", d)
	}
	if d := send("b@example.com", "192.0.2.1"); !d.Allowed {
		t.Errorf("another address from the client: %+v", d)
	}
	d = send("c@example.com", "192.0.2.1")
	if d.Allowed || d.Refused != 1 || d.RetryAfter != 20*time.Minute {
		t.Errorf("fourth from the client: %+v, want refused by emailPerClient (event 1) for 20m", d)
	}
	if d := send("c@example.com", "192.0.2.2"); !d.Allowed {
		t.Errorf("another client: %+v", d)
	}
	c.t = c.t.Add(30 * time.Minute)
	if d := send("a@example.com", "192.0.2.3"); !d.Allowed {
		t.Errorf("half an hour later: %+v", d)
	}
	if err := l.Reset(ctx, ratelimit.Event{Limit: "email", Key: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	if d := send("a@example.com", "192.0.2.4"); !d.Allowed || d.Remaining != 1 {
		t.Errorf("after Reset: %+v", d)
	}
}

// TestLimiterOff: with every limit off nothing is stored and everything
// is allowed.
func TestLimiterOff(t *testing.T) {
	m := ratelimit.NewMemory(0)
	l, err := ratelimit.New(ratelimit.Config{Limits: map[string]ratelimit.Limit{"email": ratelimit.Off}, Store: m})
	if err != nil {
		t.Fatal(err)
	}
	for range 100 {
		if d, err := l.Allow(context.Background(), ratelimit.Event{Limit: "email", Key: "a"}); err != nil || !d.Allowed || d.Remaining != -1 {
			t.Fatalf("Allow = %+v, %v", d, err)
		}
	}
	if m.Len() != 0 {
		t.Errorf("%d buckets stored for a limit that is off", m.Len())
	}
}

// TestLimiterErrors: unknown limits, a key counted twice, invalid limits
// and a failing store.
func TestLimiterErrors(t *testing.T) {
	c := &clock{time.Unix(1_700_000_000, 0)}
	l := newLimiter(t, c, map[string]ratelimit.Limit{"email": {Events: 1, Per: time.Hour}})
	ctx := context.Background()
	if _, err := l.Allow(ctx, ratelimit.Event{Limit: "emial", Key: "a"}); !errors.Is(err, ratelimit.ErrUnknownLimit) {
		t.Errorf("unknown limit: %v", err)
	}
	if err := l.Reset(ctx, ratelimit.Event{Limit: "emial", Key: "a"}); !errors.Is(err, ratelimit.ErrUnknownLimit) {
		t.Errorf("Reset of an unknown limit: %v", err)
	}
	if _, err := l.Allow(ctx, ratelimit.Event{Limit: "email", Key: "a"}, ratelimit.Event{Limit: "email", Key: "a"}); err == nil {
		t.Error("one key counted twice: no error")
	}
	_, err := ratelimit.New(ratelimit.Config{Limits: map[string]ratelimit.Limit{"e-mail": {Events: 1, Per: time.Hour}, "x": {Events: 0, Per: time.Hour}}})
	if !errors.Is(err, ratelimit.ErrInvalid) || !strings.Contains(err.Error(), `"e-mail" is not letters and digits`) || !strings.Contains(err.Error(), "x: 0 events") {
		t.Errorf("invalid limits: %v", err)
	}
	failing, err := ratelimit.New(ratelimit.Config{Limits: map[string]ratelimit.Limit{"email": {Events: 1, Per: time.Hour}}, Store: failingStore{}})
	if err != nil {
		t.Fatal(err)
	}
	if d, err := failing.Allow(ctx, ratelimit.Event{Limit: "email", Key: "a"}); err == nil || d.Allowed {
		t.Errorf("a failing store: %+v, %v", d, err)
	}
}

type failingStore struct{}

func (failingStore) Take(context.Context, time.Time, []ratelimit.Bucket) (ratelimit.Decision, error) {
	return ratelimit.Decision{}, errors.New("down")
}
func (failingStore) Reset(context.Context, ...string) error { return errors.New("down") }

// TestBucketKey: keys hold the limit's name and a fixed-length hash, never
// the key in clear.
func TestBucketKey(t *testing.T) {
	k := ratelimit.BucketKey("email", "alice@example.com")
	if !strings.HasPrefix(k, "email:") || len(k) != len("email:")+22 || strings.Contains(k, "alice") {
		t.Errorf("BucketKey = %q", k)
	}
	if k == ratelimit.BucketKey("email", "bob@example.com") || k == ratelimit.BucketKey("emailPerClient", "alice@example.com")[len("emailPerClient:")-len("email:"):] {
		t.Error("keys collide")
	}
	if long := ratelimit.BucketKey("email", strings.Repeat("x", 10_000)); len(long) != len(k) {
		t.Errorf("a long key is %d bytes", len(long))
	}
}
