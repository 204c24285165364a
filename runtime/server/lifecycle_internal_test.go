package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/authgen/authgen/runtime/store"
)

// TestLivenessOneReadPerDelay: concurrent checks of one session wait for a
// single store read, and the answer stands for RevocationDelay; a failed
// read is not remembered; forgetting a session or a user makes the next
// check read again.
func TestLivenessOneReadPerDelay(t *testing.T) {
	var l liveness
	var reads atomic.Int32
	release := make(chan struct{})
	load := func(stored string) (bool, error) {
		if stored != store.HashToken("sid") {
			t.Errorf("load got stored ID %q, want the sid's hash", stored)
		}
		reads.Add(1)
		<-release
		return true, nil
	}
	now := time.Unix(2_000_000_000, 0)
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			if alive, _, err := l.check(context.Background(), "sid", "u1", now, load); !alive || err != nil {
				t.Errorf("check = %v, %v", alive, err)
			}
		})
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := reads.Load(); n != 1 {
		t.Errorf("32 concurrent checks read the store %d times, want once", n)
	}
	if alive, _, _ := l.check(context.Background(), "sid", "u1", now.Add(RevocationDelay-time.Nanosecond), load); !alive || reads.Load() != 1 {
		t.Errorf("a check within RevocationDelay read again (%d reads)", reads.Load())
	}
	dead := func(string) (bool, error) { reads.Add(1); return false, nil }
	if alive, _, _ := l.check(context.Background(), "sid", "u1", now.Add(RevocationDelay), dead); alive || reads.Load() != 2 {
		t.Errorf("a check RevocationDelay later: alive %v after %d reads, want a new read saying no", alive, reads.Load())
	}
	failing := func(string) (bool, error) { reads.Add(1); return false, context.DeadlineExceeded }
	if _, _, err := l.check(context.Background(), "other", "u2", now, failing); err == nil {
		t.Error("a failed read gave no error")
	}
	alive := func(string) (bool, error) { reads.Add(1); return true, nil }
	before := reads.Load()
	if ok, _, err := l.check(context.Background(), "other", "u2", now, alive); !ok || err != nil || reads.Load() != before+1 {
		t.Errorf("after a failed read: %v, %v after %d reads; want a new read", ok, err, reads.Load()-before)
	}
	l.forgetUser("u2")
	if _, _, _ = l.check(context.Background(), "other", "u2", now, alive); reads.Load() != before+2 {
		t.Error("forgetUser did not make the next check read")
	}
	l.forgetSID("other")
	if _, _, _ = l.check(context.Background(), "other", "u2", now, alive); reads.Load() != before+3 {
		t.Error("forgetSID did not make the next check read")
	}
}

// TestLivenessBounded: the entries never outgrow maxLive.
func TestLivenessBounded(t *testing.T) {
	var l liveness
	now := time.Unix(2_000_000_000, 0)
	alive := func(string) (bool, error) { return true, nil }
	for i := range maxLive + 10 {
		if _, _, err := l.check(context.Background(), "sid-"+strconv.Itoa(i), "u", now, alive); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(l.entries); n > maxLive {
		t.Errorf("%d entries, want at most %d", n, maxLive)
	}
}

// TestUserAgent: the stored User-Agent is valid UTF-8 without control
// characters, cut at a character boundary to 512 bytes.
func TestUserAgent(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Mozilla/5.0 (X11)", "Mozilla/5.0 (X11)"},
		{"bad\x00agent\x1b[31m\xff", "badagent[31m"},
		{"", ""},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("User-Agent", c.in)
		if got := userAgent(r); got != c.want {
			t.Errorf("userAgent(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("User-Agent", strings.Repeat("ü", 400))
	if got := userAgent(r); len(got) > maxUserAgent || !utf8.ValidString(got) || len(got) < maxUserAgent-1 {
		t.Errorf("a long User-Agent is stored as %d bytes (valid UTF-8 %v), want at most %d", len(got), utf8.ValidString(got), maxUserAgent)
	}
}

// TestClientIP: the connection's address, or with TrustHost the right-most
// X-Forwarded-For address; what does not parse as an address is left out.
func TestClientIP(t *testing.T) {
	for _, c := range []struct {
		trust     bool
		remote    string
		forwarded []string
		want      string
	}{
		{false, "192.0.2.1:5555", []string{"203.0.113.9"}, "192.0.2.1"},
		{true, "192.0.2.1:5555", []string{"6.6.6.6, 203.0.113.9"}, "203.0.113.9"},
		{true, "192.0.2.1:5555", []string{"6.6.6.6", "203.0.113.9"}, "203.0.113.9"},
		{true, "192.0.2.1:5555", []string{"2001:db8::1"}, "2001:db8::1"},
		{true, "192.0.2.1:5555", []string{"[2001:db8::1]:443"}, "2001:db8::1"},
		{true, "192.0.2.1:5555", []string{"::ffff:203.0.113.9"}, "203.0.113.9"},
		{true, "192.0.2.1:5555", []string{"unknown"}, ""},
		{true, "192.0.2.1:5555", nil, "192.0.2.1"},
		{false, "[fe80::1%eth0]:5555", nil, "fe80::1"},
	} {
		a := &Auth{cfg: Config{TrustHost: c.trust}}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.remote
		for _, f := range c.forwarded {
			r.Header.Add("X-Forwarded-For", f)
		}
		if got := a.clientIP(r); got != c.want {
			t.Errorf("trust %v, remote %s, X-Forwarded-For %q: clientIP = %q, want %q", c.trust, c.remote, c.forwarded, got, c.want)
		}
	}
}

// TestPublicID: a session's public ID is stable, differs per session and
// is not its stored ID.
func TestPublicID(t *testing.T) {
	a, b := publicID("stored-a"), publicID("stored-b")
	if a == b || a != publicID("stored-a") || strings.Contains(a, "stored") || len(a) != 22 {
		t.Errorf("publicID = %q, %q", a, b)
	}
}
