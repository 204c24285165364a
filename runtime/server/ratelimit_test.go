package server_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/ratelimit"
	"github.com/authgen/authgen/runtime/server"
)

// withLimits sets Config.RateLimits.
func withLimits(limits map[string]ratelimit.Limit) appOption {
	return func(c *server.Config) { c.RateLimits = limits }
}

// start posts a sign-in start with a fresh CSRF token, with headers.
func (a *app) start(provider string, header ...string) *http.Response {
	a.t.Helper()
	return a.postForm("/api/auth/signin/"+provider, url.Values{"csrfToken": {a.csrfToken()}}, header...)
}

// wantLimited checks a refusal of a form: 429, Retry-After, the error page
// with the message, and no check cookie set.
func wantLimited(t *testing.T, resp *http.Response, retryAfter, message string) {
	t.Helper()
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != retryAfter {
		t.Fatalf("refused start: %s, Retry-After %q; want 429, %s (body %q)", resp.Status, resp.Header.Get("Retry-After"), retryAfter, body)
	}
	for _, want := range []string{"<h1>Too many attempts</h1>", `data-error="RateLimited"`, message} {
		if !strings.Contains(body, want) {
			t.Errorf("the error page lacks %q:\n%s", want, body)
		}
	}
	for _, c := range resp.Cookies() {
		if strings.Contains(c.Name, "state") || strings.Contains(c.Name, "pkce") {
			t.Errorf("a refused start set %s", c.Name)
		}
	}
}

// TestSignInRateLimit: sign-in starts per client address, refused past the
// limit with 429, Retry-After and the error page (forms) or JSON (clients
// that ask for it), and allowed again as the bucket refills.
func TestSignInRateLimit(t *testing.T) {
	a := newApp(t, withLimits(map[string]ratelimit.Limit{server.LimitSignInPerClient: {Events: 3, Per: time.Minute}}))
	for i := range 3 {
		if got := location(t, a.start("github")); !strings.HasPrefix(got, a.idp.srv.URL) {
			t.Fatalf("start %d went to %q", i+1, got)
		}
	}
	wantLimited(t, a.start("gitlab"), "20", "Too many sign-in attempts came from your network. Try again in 20 seconds.")

	resp := a.start("github", "X-Auth-Return-Redirect", "1")
	got := decodeJSON[map[string]any](t, resp)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "20" ||
		got["url"] != a.base+"/error?error=RateLimited" || got["error"] != "RateLimited" || got["retryAfter"] != 20.0 {
		t.Errorf("JSON client: %s, Retry-After %q, %v", resp.Status, resp.Header.Get("Retry-After"), got)
	}
	form := url.Values{"csrfToken": {a.csrfToken()}, "json": {"true"}}
	if resp := a.postForm("/api/auth/signin/github", form); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("json=true (v4 client): %s", resp.Status)
	}

	a.clock.Advance(19 * time.Second)
	wantLimited(t, a.start("github"), "1", "Try again in 1 second.")
	a.clock.Advance(time.Second)
	if got := location(t, a.start("github")); !strings.HasPrefix(got, a.idp.srv.URL) {
		t.Errorf("20 s later the start went to %q", got)
	}
	if n := strings.Count(a.logs.String(), "authgen: rate limit reached"); n != 4 {
		t.Errorf("%d refusals logged, want 4:\n%s", n, a.logs)
	}
	if !strings.Contains(a.logs.String(), "limit=signInPerClient") || strings.Contains(a.logs.String(), "127.0.0.1") {
		t.Errorf("the log should name the limit and not the client:\n%s", a.logs)
	}

	// The error page a JSON client is sent to.
	resp = a.get("/api/auth/error?error=RateLimited")
	if body := readBody(t, resp); resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Too many attempts. Please wait a while and try again.") {
		t.Errorf("GET /error?error=RateLimited: %s %q", resp.Status, body)
	}
}

// TestRateLimitCountsOnlyValidStarts: a start refused for its CSRF token,
// its origin or an unknown provider is not counted.
func TestRateLimitCountsOnlyValidStarts(t *testing.T) {
	a := newApp(t, withLimits(map[string]ratelimit.Limit{server.LimitSignInPerClient: {Events: 1, Per: time.Hour}}))
	for range 5 {
		resp := a.postForm("/api/auth/signin/github", url.Values{"csrfToken": {"forged"}})
		if got := location(t, resp); !strings.Contains(got, "error=MissingCSRF") {
			t.Fatalf("forged CSRF token: %q", got)
		}
		resp = a.postForm("/api/auth/signin/github", url.Values{"csrfToken": {a.csrfToken()}}, "Sec-Fetch-Site", "cross-site")
		if got := location(t, resp); !strings.Contains(got, "error=MissingCSRF") {
			t.Fatalf("cross-site: %q", got)
		}
		if got := location(t, a.start("nope")); got != a.base+"/signin" {
			t.Fatalf("unknown provider: %q", got)
		}
	}
	if got := location(t, a.start("github")); !strings.HasPrefix(got, a.idp.srv.URL) {
		t.Fatalf("the first valid start went to %q", got)
	}
	wantLimited(t, a.start("github"), "3600", "Try again in 60 minutes.")
}

// TestRateLimitCustomErrorPage: with Pages.Error a refused form goes there
// with ?error=RateLimited, still with Retry-After.
func TestRateLimitCustomErrorPage(t *testing.T) {
	a := newApp(t, withLimits(map[string]ratelimit.Limit{server.LimitSignInPerClient: {Events: 1, Per: time.Hour}}),
		func(c *server.Config) { c.Pages.Error = "/auth-error" })
	a.start("github")
	resp := a.start("github")
	if got := location(t, resp); got != "/auth-error?error=RateLimited" || resp.Header.Get("Retry-After") != "3600" {
		t.Errorf("refused start: to %q, Retry-After %q", got, resp.Header.Get("Retry-After"))
	}
}

// TestRateLimitOff: ratelimit.Off turns a limit off.
func TestRateLimitOff(t *testing.T) {
	a := newApp(t, withLimits(map[string]ratelimit.Limit{server.LimitSignInPerClient: ratelimit.Off}))
	for i := range 100 {
		if resp := a.start("github"); resp.StatusCode != http.StatusFound {
			t.Fatalf("start %d: %s", i+1, resp.Status)
		}
	}
}

// TestDefaultRateLimits: 60 starts a minute by default.
func TestDefaultRateLimits(t *testing.T) {
	a := newApp(t)
	for i := range 60 {
		if resp := a.start("github"); resp.StatusCode != http.StatusFound {
			t.Fatalf("start %d: %s", i+1, resp.Status)
		}
	}
	wantLimited(t, a.start("github"), "1", "Try again in 1 second.")
	want := map[string]ratelimit.Limit{
		server.LimitEmail:           {Events: 5, Per: time.Hour},
		server.LimitEmailPerClient:  {Events: 30, Per: time.Hour},
		server.LimitSignInPerClient: {Events: 60, Per: time.Minute},
		server.LimitCredentials:     {Events: 10, Per: 15 * time.Minute},
		server.LimitTwoFactor:       {Events: 10, Per: time.Hour},
		server.LimitEmailCode:       {Events: 10, Per: 24 * time.Hour},
	}
	got := server.DefaultRateLimits()
	if len(got) != len(want) {
		t.Errorf("DefaultRateLimits = %v", got)
	}
	for name, l := range want {
		if got[name] != l {
			t.Errorf("DefaultRateLimits[%s] = %v, want %v", name, got[name], l)
		}
	}
}

// TestRateLimitForwardedFor: with TrustHost a client is the right-most
// X-Forwarded-For address (an IPv6 client its /64); a right-most value
// that is not an address is refused with 400 and counted nowhere. Without
// TrustHost the header is ignored, and a warning says so once.
func TestRateLimitForwardedFor(t *testing.T) {
	limits := withLimits(map[string]ratelimit.Limit{server.LimitSignInPerClient: {Events: 1, Per: time.Hour}})
	a := newApp(t, limits, func(c *server.Config) { c.TrustHost = true })
	xff := func(v ...string) []string {
		var h []string
		for _, s := range v {
			h = append(h, "X-Forwarded-For", s)
		}
		return h
	}
	for _, c := range []struct {
		name    string
		header  []string
		allowed bool
	}{
		{"a client", xff("6.6.6.6, 203.0.113.9"), true},
		{"the same client, another left part", xff("7.7.7.7, 203.0.113.9"), false},
		{"the same client alone", xff("203.0.113.9"), false},
		{"the same client with a port", xff("203.0.113.9:4711"), false},
		{"the same client mapped into IPv6", xff("::ffff:203.0.113.9"), false},
		{"another client", xff("203.0.113.9, 203.0.113.10"), true},
		{"an IPv6 client", xff("2001:db8::1"), true},
		{"its /64", xff("[2001:db8::2]:443"), false},
		{"another /64", xff("2001:db8:0:1::1"), true},
		{"no header: the connection", nil, true},
		{"the connection again", nil, false},
	} {
		resp := a.start("github", c.header...)
		if allowed := resp.StatusCode == http.StatusFound; allowed != c.allowed {
			t.Errorf("%s (%q): %s, want allowed %v", c.name, c.header, resp.Status, c.allowed)
		}
	}
	for _, bad := range []string{"unknown", "203.0.113.11, unknown", "203.0.113.11,", "1.2.3.4.5", "fe80::1%eth0", "203.0.113.11:0", "_hidden", "2001:db8::/64", "203.0.113.11 203.0.113.12"} {
		resp := a.start("github", "X-Forwarded-For", bad)
		if body := readBody(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "X-Forwarded-For") {
			t.Errorf("X-Forwarded-For %q: %s %q, want 400 naming the header", bad, resp.Status, body)
		}
	}
	if resp := a.start("github", "X-Forwarded-For", "203.0.113.11"); resp.StatusCode != http.StatusFound {
		t.Errorf("a client whose malformed requests were refused was counted: %s", resp.Status)
	}

	b := newApp(t, limits)
	b.start("github", "X-Forwarded-For", "203.0.113.20")
	for _, v := range []string{"203.0.113.21", "203.0.113.22"} {
		if resp := b.start("github", "X-Forwarded-For", v); resp.StatusCode != http.StatusTooManyRequests {
			t.Errorf("without TrustHost, X-Forwarded-For %s made another client: %s", v, resp.Status)
		}
	}
	if n := strings.Count(b.logs.String(), "AUTH_TRUST_HOST is not set"); n != 1 {
		t.Errorf("the proxy warning was logged %d times, want once:\n%s", n, b.logs)
	}
}

// TestNewRejectsBadRateLimits: an unknown name and an unusable limit are
// configuration errors.
func TestNewRejectsBadRateLimits(t *testing.T) {
	origin, _ := url.Parse("http://localhost:3000")
	a := newApp(t)
	for _, c := range []struct {
		limits map[string]ratelimit.Limit
		want   string
	}{
		{map[string]ratelimit.Limit{"emial": {Events: 1, Per: time.Hour}}, `unknown limit "emial"; the limits are credentials, email, emailCode, emailPerClient, signInPerClient, twoFactor`},
		{map[string]ratelimit.Limit{server.LimitEmail: {Events: 1, Per: 365 * 24 * time.Hour}}, "email: a period of 365d"},
	} {
		limits, want := c.limits, c.want
		_, err := server.New(server.Config{URL: origin, Keys: a.keys, RateLimits: limits})
		if !errors.Is(err, server.ErrConfig) || !strings.Contains(err.Error(), want) {
			t.Errorf("RateLimits %v: %v, want ErrConfig saying %q", limits, err, want)
		}
	}
}
