package server

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/ratelimit"
)

// newLimitedAuth is a server with the limits, on a settable clock.
func newLimitedAuth(t *testing.T, now *time.Time, trustHost bool, limits map[string]ratelimit.Limit) *Auth {
	t.Helper()
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("http://localhost:3000")
	a, err := New(Config{URL: u, Keys: ks, TrustHost: trustHost, RateLimits: limits, Now: func() time.Time { return *now }})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestAllowEmailSend: an e-mail is counted per client and per address,
// all or none, and nothing is sent past a limit (a counting sender stands
// for the e-mail handler).
func TestAllowEmailSend(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	a := newLimitedAuth(t, &now, false, map[string]ratelimit.Limit{
		LimitEmail:          {Events: 2, Per: time.Hour},
		LimitEmailPerClient: {Events: 3, Per: time.Hour},
	})
	sent := map[string]int{}
	send := func(addr, remote string) *httptest.ResponseRecorder {
		t.Helper()
		r := httptest.NewRequest(http.MethodPost, "http://localhost:3000/api/auth/signin/email", nil)
		r.RemoteAddr = remote
		w := httptest.NewRecorder()
		if a.allowEmailSend(a.newRequest(w, r), addr) {
			sent[addr]++
			w.WriteHeader(http.StatusOK)
		}
		return w
	}
	for range 2 {
		if w := send("a@example.com", "192.0.2.1:1000"); w.Code != http.StatusOK {
			t.Fatalf("within the limits: %d", w.Code)
		}
	}
	w := send("a@example.com", "192.0.2.2:1000")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1800" ||
		!strings.Contains(w.Body.String(), "Too many sign-in e-mails were sent to this address. Try again in 30 minutes.") {
		t.Errorf("a third e-mail to one address: %d, Retry-After %q, %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	// The refusal counted nowhere: 192.0.2.2 still has its 3.
	for _, addr := range []string{"b@example.com", "c@example.com", "d@example.com"} {
		if w := send(addr, "192.0.2.2:1000"); w.Code != http.StatusOK {
			t.Fatalf("%s from a client with e-mails left: %d", addr, w.Code)
		}
	}
	w = send("e@example.com", "192.0.2.2:1000")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1200" ||
		!strings.Contains(w.Body.String(), "Too many sign-in e-mails were requested from your network. Try again in 20 minutes.") {
		t.Errorf("a fourth e-mail from one client: %d, Retry-After %q, %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	// The refused e-mail to e@ did not count against e@.
	now = now.Add(20 * time.Minute)
	for range 2 {
		if w := send("e@example.com", "192.0.2.3:1000"); w.Code != http.StatusOK {
			t.Errorf("e@ from another client: %d", w.Code)
		}
	}
	want := map[string]int{"a@example.com": 2, "b@example.com": 1, "c@example.com": 1, "d@example.com": 1, "e@example.com": 2}
	for addr, n := range want {
		if sent[addr] != n {
			t.Errorf("%d e-mails sent to %s, want %d", sent[addr], addr, n)
		}
	}
}

// TestClientKey: IPv4 clients by address, IPv6 clients by /64, mapped
// addresses as IPv4; a connection without an IP by its RemoteAddr.
func TestClientKey(t *testing.T) {
	for _, c := range []struct{ remote, want string }{
		{"192.0.2.1:5555", "192.0.2.1"},
		{"[::ffff:192.0.2.1]:5555", "192.0.2.1"},
		{"[2001:db8:1:2:3:4:5:6]:5555", "2001:db8:1:2::/64"},
		{"[fe80::1%eth0]:5555", "fe80::/64"},
		{"@", "remote @"},
		{"", "remote "},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.remote
		addr, err := (&Auth{}).clientAddr(r)
		if err != nil {
			t.Fatal(err)
		}
		if got := clientKey(addr, r); got != c.want {
			t.Errorf("RemoteAddr %q: key %q, want %q", c.remote, got, c.want)
		}
	}
}

// TestWaitText: waits read as people write them, rounded up.
func TestWaitText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Millisecond:              "1 second",
		time.Second:                   "1 second",
		1500 * time.Millisecond:       "2 seconds",
		59 * time.Second:              "59 seconds",
		time.Minute:                   "1 minute",
		61 * time.Second:              "2 minutes",
		12 * time.Minute:              "12 minutes",
		2 * time.Hour:                 "120 minutes",
		2*time.Hour + time.Second:     "3 hours",
		24 * time.Hour:                "24 hours",
		36*time.Hour + 30*time.Minute: "37 hours",
	} {
		if got := waitText(d); got != want {
			t.Errorf("waitText(%v) = %q, want %q", d, got, want)
		}
	}
}

// FuzzForwardedFor: whatever X-Forwarded-For holds, clientAddr never
// panics; with TrustHost it either refuses the request or returns a valid
// address, without a zone, that is the right-most value's; and the
// per-client key is stable and short.
func FuzzForwardedFor(f *testing.F) {
	for _, s := range []string{"203.0.113.9", "6.6.6.6, 203.0.113.9", "[2001:db8::1]:443", "::ffff:1.2.3.4", "unknown", "fe80::1%eth0", "1.2.3.4:0", "", ",", " 1.2.3.4 ", "1.2.3.4,\t2001:db8::1"} {
		f.Add(s)
	}
	trusted, untrusted := &Auth{cfg: Config{TrustHost: true}}, &Auth{}
	f.Fuzz(func(t *testing.T, v string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = "192.0.2.1:5555"
		r.Header["X-Forwarded-For"] = []string{v}
		addr, err := trusted.clientAddr(r)
		if err == nil {
			if !addr.IsValid() || addr.Zone() != "" || addr.Is4In6() {
				t.Fatalf("X-Forwarded-For %q: address %v", v, addr)
			}
			last := strings.TrimSpace(v[strings.LastIndexByte(v, ',')+1:])
			if p, perr := netip.ParseAddr(last); perr == nil && p.Unmap() != addr {
				t.Fatalf("X-Forwarded-For %q: %v, not the right-most value", v, addr)
			}
			key := clientKey(addr, r)
			if again := clientKey(addr, r); again != key || len(key) > len("ffff:ffff:ffff:ffff::/64") {
				t.Fatalf("X-Forwarded-For %q: key %q", v, key)
			}
			if trusted.clientIP(r) != addr.String() {
				t.Fatalf("X-Forwarded-For %q: clientIP %q, clientAddr %v", v, trusted.clientIP(r), addr)
			}
		} else if trusted.clientIP(r) != "" {
			t.Fatalf("X-Forwarded-For %q refused, but clientIP is %q", v, trusted.clientIP(r))
		}
		if addr, err := untrusted.clientAddr(r); err != nil || addr.String() != "192.0.2.1" {
			t.Fatalf("without TrustHost, X-Forwarded-For %q gave %v, %v", v, addr, err)
		}
	})
}
