package e2e

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/internal/integration/fakeidp"
	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/runtime/store"
)

// TestRedisSessionsApp: init with --session-store redis, two instances on
// one Redis and one SQLite file share sign-in and sign-out; Redis stopping
// makes session checks answer 503 without signing anyone out, an instance
// starts meanwhile, and sessions work again when Redis is back.
func TestRedisSessionsApp(t *testing.T) {
	r := testsvc.Redis(t)
	dir := filepath.Join(t.TempDir(), "app")
	out := run(t, filepath.Dir(dir), nil, authgen(t), "init", "app", "--module", "example.com/app",
		"--providers", "github", "--db", "sqlite", "--session", "database", "--session-store", "redis", "--token", "signed")
	if !strings.Contains(out, "created auth/sessions_gen.go") {
		t.Errorf("init output lacks auth/sessions_gen.go:\n%s", out)
	}
	manifest, _ := os.ReadFile(filepath.Join(dir, "authgen.yaml"))
	if !strings.Contains(string(manifest), "  store: redis\n") {
		t.Errorf("authgen.yaml lacks session.store redis:\n%s", manifest)
	}
	if env, _ := os.ReadFile(filepath.Join(dir, ".env.example")); !strings.Contains(string(env), "REDIS_URL=") {
		t.Errorf(".env.example lacks REDIS_URL:\n%s", env)
	}
	bin := build(t, dir)
	gh := fakeidp.NewGitHub(t, octocat)

	// Without REDIS_URL the app names it and does not start.
	if out, err := runErr(dir, append(gh.Env(), "REDIS_URL=", "PORT="+freePort(t)), bin); err == nil || !strings.Contains(out, "REDIS_URL") {
		t.Errorf("app without REDIS_URL: %v\n%s", err, out)
	}

	env := append(gh.Env(), "REDIS_URL="+r.URL(), "DATABASE_URL=sqlite:"+filepath.Join(dir, "authgen.db"))
	a, other := start(t, bin, dir, env...), start(t, bin, dir, env...)

	// A session made on one instance is valid on the other, and lives in
	// Redis until it expires.
	b := newBrowser(t)
	if end := signInAs(t, b, a, ""); end.Path != "/me" {
		t.Fatalf("sign-in ended at %s", end)
	}
	id := whoami(t, b, a)
	if !storedID(id) {
		t.Fatalf("user id %q is not a stored user's", id)
	}
	if got := whoami(t, b, other); got != id {
		t.Fatalf("session from instance A on instance B: %q, want %q", got, id)
	}
	token := sessionCookie(t, b, a)
	key := "auth_session:" + store.HashToken(token)
	ctx := context.Background()
	if got, err := r.Do(ctx, "HGET", key, "userId"); err != nil || got != id {
		t.Fatalf("HGET %s userId: %q, %v; want %q", key, got, err, id)
	}
	if ms, err := r.Do(ctx, "PTTL", key); err != nil || !longerThan(ms, 29*24*time.Hour) {
		t.Errorf("PTTL of the session: %s ms, %v; want about 30 days", ms, err)
	}

	// Signing out on B ends the session on both: the cookie, replayed as
	// an attacker would, is refused everywhere.
	_, page := b.do("GET", other.URL+"/api/auth/signout", nil)
	b.do("POST", other.URL+"/api/auth/signout", strings.NewReader(url.Values{"csrfToken": {csrfFrom(t, page)}}.Encode()))
	if got, err := r.Do(ctx, "EXISTS", key); err != nil || got != "0" {
		t.Errorf("EXISTS %s after sign-out: %q, %v; want 0", key, got, err)
	}
	replay := withSessionCookie(t, a, token)
	for _, inst := range []*app{a, other} {
		if got := whoami(t, replay, inst); got != "" {
			t.Errorf("signed out on B, the old cookie still signs in on %s as %q", inst.URL, got)
		}
	}

	// Redis goes away: session checks answer 503 and keep the cookie; an
	// instance still starts; everything works again when Redis is back.
	c := newBrowser(t)
	signInAs(t, c, a, "")
	if got := whoami(t, c, other); got != id {
		t.Fatalf("second session on B: %q, want %q", got, id)
	}
	token = sessionCookie(t, c, a)
	r.Stop(t)
	for _, inst := range []*app{a, other} {
		resp, body := c.do("GET", inst.URL+"/api/auth/session", nil, "Accept", "application/json")
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("GET /api/auth/session on %s with Redis down: %d %s, want 503", inst.URL, resp.StatusCode, body)
		}
		for _, sc := range resp.Header.Values("Set-Cookie") {
			if strings.HasPrefix(sc, "authgen.session-token=") {
				t.Errorf("with Redis down the session cookie was rewritten: %s", sc)
			}
		}
		if got := sessionCookie(t, c, inst); got != token {
			t.Errorf("with Redis down the browser lost its session cookie")
		}
	}
	late := start(t, bin, dir, env...)
	r.Start(t)
	for _, inst := range []*app{a, other, late} {
		if got := whoami(t, c, inst); got != id {
			t.Errorf("after Redis came back, on %s: signed in as %q, want %q", inst.URL, got, id)
		}
	}
	if strings.Contains(a.log.String()+other.log.String()+late.log.String(), token) {
		t.Error("an app logged a session token")
	}
}

// sessionCookie returns the session cookie the browser holds for the app
// ("" when none).
func sessionCookie(t *testing.T, b *browser, a *app) string {
	t.Helper()
	u, err := url.Parse(a.URL)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range b.Jar.Cookies(u) {
		if c.Name == "authgen.session-token" {
			return c.Value
		}
	}
	return ""
}

// withSessionCookie returns a new browser holding token as its session
// cookie (for every instance: cookies ignore the port).
func withSessionCookie(t *testing.T, a *app, token string) *browser {
	t.Helper()
	b := newBrowser(t)
	u, err := url.Parse(a.URL)
	if err != nil {
		t.Fatal(err)
	}
	b.Jar.SetCookies(u, []*http.Cookie{{Name: "authgen.session-token", Value: token, Path: "/"}})
	return b
}

// longerThan reports whether ms, a number of milliseconds, exceeds d.
func longerThan(ms string, d time.Duration) bool {
	n, err := strconv.ParseInt(ms, 10, 64)
	return err == nil && time.Duration(n)*time.Millisecond > d
}
