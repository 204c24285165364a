package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/authjs"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/session"
	"github.com/authgen/authgen/runtime/store/memstore"
)

// The Auth.js side of these tests is package authjs, which
// internal/integration/authjs checks against the real @auth/core and
// next-auth 4.

// withAuthJS shares sessions with an Auth.js application of version v,
// and shows each session's Data in GET /session as "data".
func withAuthJS(v int, secrets ...string) appOption {
	return func(c *server.Config) {
		c.AuthJS = &server.AuthJS{Version: v, Secrets: secrets}
		c.Callbacks.Session = func(_ context.Context, s *server.Session, body map[string]any) error {
			body["data"] = s.Data
			return nil
		}
	}
}

// authjsNames are the shared cookies' names on http, by version.
var authjsNames = map[int]struct{ session, csrf, callback string }{
	5: {"authjs.session-token", "authjs.csrf-token", "authjs.callback-url"},
	4: {"next-auth.session-token", "next-auth.csrf-token", "next-auth.callback-url"},
}

func authjsCodec(t *testing.T, v int, salt string, secrets ...string) *authjs.Codec {
	t.Helper()
	c, err := authjs.NewCodec(authjs.Version(v), salt, secrets)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// cookieValue returns the value of the cookie named name in the jar.
func (a *app) cookieValue(name string) string {
	u, _ := url.Parse(a.origin)
	for _, c := range a.jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

type sessionAnswer struct {
	User struct {
		Name, Email, Image string
	}
	Expires string
	Data    map[string]any
}

// TestAuthJSSignInWritesAuthJSToken: a sign-in writes the Auth.js session
// cookie that version reads, with Auth.js's claims and authgen's.
func TestAuthJSSignInWritesAuthJSToken(t *testing.T) {
	for _, v := range []int{5, 4} {
		t.Run("v"+string(rune('0'+v)), func(t *testing.T) {
			a := newApp(t, withAuthJS(v, "s3cret"))
			a.mustSignInAuthJS(v)
			names := authjsNames[v]
			tok := a.cookieValue(names.session)
			cl, err := authjsCodec(t, v, names.session, "s3cret").Decode(tok, a.clock.Now())
			if err != nil {
				t.Fatalf("the Auth.js codec refuses the cookie: %v", err)
			}
			now := a.clock.Now().Unix()
			if cl.Name != "Monalisa Octocat" || cl.Email != "mona@example.com" || cl.Picture == "" || cl.Subject == "" ||
				cl.IssuedAt != now || cl.Expiry != now+int64(session.DefaultMaxAge/time.Second) || len(cl.ID) != 36 {
				t.Errorf("claims %+v", cl)
			}
			if string(cl.Extra["provider"]) != `"github"` || string(cl.Extra["auth_time"]) == "" {
				t.Errorf("authgen's claims missing: %s", cl.Extra)
			}
			if a.cookieValue("authgen.session-token") != "" {
				t.Error("an authgen.session-token cookie was written too")
			}
			// Signing out deletes it.
			resp := a.postForm("/api/auth/signout", url.Values{"csrfToken": {a.csrfTokenAuthJS()}})
			if resp.StatusCode != http.StatusFound || a.cookieValue(names.session) != "" {
				t.Errorf("sign-out: %s, cookie %q", resp.Status, a.cookieValue(names.session))
			}
		})
	}
}

// mustSignInAuthJS signs in with GitHub (the harness's cookie names are
// authgen's, so it checks the Auth.js one).
func (a *app) mustSignInAuthJS(v int) {
	a.t.Helper()
	resp := a.signIn("github", "/dashboard")
	if got := location(a.t, resp); got != a.origin+"/dashboard" {
		a.t.Fatalf("sign-in ended at %q", got)
	}
	if a.cookieValue(authjsNames[v].session) == "" {
		a.t.Fatal("no Auth.js session cookie after sign-in")
	}
}

// csrfTokenAuthJS fetches a CSRF token.
func (a *app) csrfTokenAuthJS() string {
	a.t.Helper()
	return decodeJSON[map[string]string](a.t, a.get("/api/auth/csrf"))["csrfToken"]
}

// TestAuthJSTokenReadAndRenewed: a token the Auth.js application wrote
// (here through package authjs) is a session, its extra claims are the
// session's Data, and its renewal keeps them.
func TestAuthJSTokenReadAndRenewed(t *testing.T) {
	for _, v := range []int{5, 4} {
		t.Run("v"+string(rune('0'+v)), func(t *testing.T) {
			a := newApp(t, withAuthJS(v, "new", "old"), func(c *server.Config) {
				c.Session = session.Options{MaxAge: time.Hour, UpdateAge: time.Minute}
			})
			names := authjsNames[v]
			// Written by Auth.js before the rotation, under the old secret.
			tok, err := authjsCodec(t, v, names.session, "old").Encode(authjs.Claims{Name: "Ada", Email: "ada@example.com", Subject: "user-1",
				Extra: map[string]json.RawMessage{"role": json.RawMessage(`"admin"`)}}, a.clock.Now(), time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			a.setJarCookie(names.session, tok)
			body, _ := a.sessionJSON()
			var s sessionAnswer
			if err := json.Unmarshal([]byte(body), &s); err != nil || s.User.Name != "Ada" || s.Data["role"] != "admin" {
				t.Fatalf("GET /session = %s (%v)", body, err)
			}
			if got := readBody(t, a.get("/protected", "Accept", "application/json")); !strings.Contains(got, `"id":"user-1"`) {
				t.Errorf("/protected = %s", got)
			}
			// After UpdateAge the session is re-issued under the new secret,
			// with the same claims.
			a.clock.Advance(2 * time.Minute)
			a.sessionJSON()
			renewed := a.cookieValue(names.session)
			if renewed == tok {
				t.Fatal("not renewed")
			}
			if _, err := authjsCodec(t, v, names.session, "old").Decode(renewed, a.clock.Now()); err == nil {
				t.Error("renewed under the old secret")
			}
			cl, err := authjsCodec(t, v, names.session, "new").Decode(renewed, a.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			if cl.Subject != "user-1" || cl.Name != "Ada" || string(cl.Extra["role"]) != `"admin"` || cl.IssuedAt != a.clock.Now().Unix() {
				t.Errorf("renewed claims %+v", cl)
			}
		})
	}
}

// TestAuthJSForeignCookieLeftAlone: a cookie under the shared name that
// the secrets did not seal is no session and stays; authgen's own format,
// and an Auth.js token of these secrets that expired, are deleted.
func TestAuthJSForeignCookieLeftAlone(t *testing.T) {
	a := newApp(t, withAuthJS(5, "s3cret"))
	name := authjsNames[5].session
	now := a.clock.Now()
	foreign, _ := authjsCodec(t, 5, name, "another").Encode(authjs.Claims{Subject: "u"}, now, time.Hour)
	ours, _ := authjsCodec(t, 5, name, "s3cret").Encode(authjs.Claims{Subject: "u"}, now, time.Hour)
	tampered := ours[:len(ours)-30] + strings.Map(func(r rune) rune {
		if r == 'A' {
			return 'B'
		}
		return 'A'
	}, ours[len(ours)-30:len(ours)-29]) + ours[len(ours)-29:]
	expired, _ := authjsCodec(t, 5, name, "s3cret").Encode(authjs.Claims{Subject: "u"}, now.Add(-2*time.Hour), time.Hour)

	// authgen's own signed token, from a server without AuthJS on the
	// same keys.
	plain := newApp(t, func(c *server.Config) { c.Keys = a.keys })
	plain.mustSignIn()
	own := plain.jarCookie("session-token")

	for _, tc := range []struct {
		name, value string
		deleted     bool
	}{
		{"foreign secret", foreign, false},
		{"tampered", tampered, false},
		{"not a JWE", "hello", false},
		{"authgen's own", own, true},
		{"expired", expired, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a.setJarCookie(name, tc.value)
			body, resp := a.sessionJSON()
			if body != "null" {
				t.Errorf("GET /session = %s", body)
			}
			c, set := setCookies(resp)[name]
			if deleted := set && c.MaxAge < 0; deleted != tc.deleted {
				t.Errorf("deleted %v, want %v (Set-Cookie %v)", deleted, tc.deleted, resp.Header.Values("Set-Cookie"))
			}
		})
	}
}

// TestAuthJSCSRFAndCallbackCookies: the CSRF cookie is Auth.js's format
// under its name (each side accepts the other's), and so is the
// URL-encoded callback-url cookie.
func TestAuthJSCSRFAndCallbackCookies(t *testing.T) {
	for _, v := range []int{5, 4} {
		t.Run("v"+string(rune('0'+v)), func(t *testing.T) {
			a := newApp(t, withAuthJS(v, "s3cret"))
			names := authjsNames[v]
			p := authjs.NewCSRF([]string{"s3cret"})
			token := a.csrfTokenAuthJS()
			c := a.cookieValue(names.csrf)
			if !strings.Contains(c, "%7C") || !p.Verify(c, token) {
				t.Errorf("CSRF cookie %q is not Auth.js's for token %s", c, token)
			}
			// A cookie the Auth.js application issued, and a callback URL
			// it remembered, URL-encoded.
			jsToken, jsCookie := p.Issue()
			a.setJarCookie(names.csrf, jsCookie)
			a.setJarCookie(names.callback, authjs.EncodeCookieValue(a.origin+"/after?x=1"))
			resp := a.postForm("/api/auth/signout", url.Values{"csrfToken": {jsToken}})
			if got := location(t, resp); got != a.origin+"/after?x=1" {
				t.Errorf("sign-out with Auth.js's cookies went to %q", got)
			}
			// authgen writes the callback URL URL-encoded.
			resp = a.get("/api/auth/signin?callbackUrl=" + url.QueryEscape("/dash?a=b"))
			cb, ok := setCookies(resp)[names.callback]
			if !ok || cb.Value != authjs.EncodeCookieValue(a.origin+"/dash?a=b") {
				t.Errorf("callback-url cookie %+v", cb)
			}
		})
	}
}

// TestAuthJSSecureNames: on https the shared cookies take Auth.js's
// __Secure- and __Host- names, the others keep authgen's.
func TestAuthJSSecureNames(t *testing.T) {
	a := newAppTLS(t, true, withAuthJS(5, "s3cret"))
	u := a.startSignIn("github", "/")
	resp := a.get(a.authorize(u))
	set := setCookies(resp)
	tok := set["__Secure-authjs.session-token"]
	if tok == nil || !tok.Secure {
		t.Fatalf("Set-Cookie %v", resp.Header.Values("Set-Cookie"))
	}
	if _, err := authjsCodec(t, 5, "__Secure-authjs.session-token", "s3cret").Decode(tok.Value, a.clock.Now()); err != nil {
		t.Errorf("the secure name salts the key: %v", err)
	}
	if a.cookieValue("__Host-authjs.csrf-token") == "" || a.cookieValue("__Secure-authjs.callback-url") == "" {
		t.Errorf("jar %v", a.jar.Cookies(mustParse(a.origin)))
	}
	if _, ok := set["__Host-authgen.state"]; !ok {
		t.Errorf("the state cookie is not authgen's: %v", resp.Header.Values("Set-Cookie"))
	}
}

func mustParse(s string) *url.URL { u, _ := url.Parse(s); return u }

// TestAuthJSRefused: server.New refuses AuthJS where it cannot work, and
// says why.
func TestAuthJSRefused(t *testing.T) {
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	origin, _ := url.Parse("http://localhost:3000")
	for _, tc := range []struct {
		name string
		cfg  func(c *server.Config)
		want string
	}{
		{"database sessions", func(c *server.Config) {
			c.Strategy = server.StrategyDatabase
			st := memstore.New()
			c.Users, c.Sessions = st, st
		}, "needs JWT sessions"},
		{"version", func(c *server.Config) { c.AuthJS.Version = 3 }, "want 5"},
		{"no secret", func(c *server.Config) { c.AuthJS.Secrets = nil }, "AUTH_SECRET"},
		{"empty secret", func(c *server.Config) { c.AuthJS.Secrets = []string{"a", ""} }, "no empty one"},
		{"Auth.js's prefix", func(c *server.Config) { c.CookiePrefix = "authjs" }, "prefix of their own"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := server.Config{URL: origin, Keys: ks, AuthJS: &server.AuthJS{Version: 5, Secrets: []string{"s"}}}
			tc.cfg(&c)
			_, err := server.New(c)
			if !errors.Is(err, server.ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New: %v, want ErrConfig saying %q", err, tc.want)
			}
		})
	}
}

// TestAuthJSWithRevocation: with Revocation, a session the Auth.js
// application signed in (no sid, no record) is read, while authgen's own
// sign-ins stay revocable: signing out everywhere ends them on the Go side,
// which then deletes the shared cookie.
func TestAuthJSWithRevocation(t *testing.T) {
	st := memstore.New()
	a := newApp(t, withAuthJS(5, "s3cret"), func(c *server.Config) {
		c.Users, c.Sessions, c.Revocation = st, st, true
	})
	name := authjsNames[5].session
	tok, err := authjsCodec(t, 5, name, "s3cret").Encode(authjs.Claims{Name: "Ada", Subject: "user-1"}, a.clock.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	a.setJarCookie(name, tok)
	if body, _ := a.sessionJSON(); !strings.Contains(body, `"Ada"`) {
		t.Fatalf("Auth.js's session with Revocation: %s", body)
	}
	a.setJarCookie(name, "")

	a.mustSignInAuthJS(5)
	cl, err := authjsCodec(t, 5, name, "s3cret").Decode(a.cookieValue(name), a.clock.Now())
	if err != nil || len(cl.Extra["sid"]) == 0 {
		t.Fatalf("authgen's sign-in: %v, claims %+v", err, cl)
	}
	if err := a.auth.SignOutEverywhere(context.Background(), cl.Subject); err != nil {
		t.Fatal(err)
	}
	a.clock.Advance(server.RevocationDelay + time.Second)
	body, resp := a.sessionJSON()
	if body != "null" {
		t.Errorf("revoked session: %s", body)
	}
	if c, ok := setCookies(resp)[name]; !ok || c.MaxAge >= 0 {
		t.Errorf("the revoked session's cookie was not deleted: %v", resp.Header.Values("Set-Cookie"))
	}
}

// TestAuthJSVersionAnswers: without ErrorCodes or EmptySessionObject set,
// a server sharing sessions with an Auth.js application answers as that
// version's server does: no session is {} under next-auth 4 and null under
// Auth.js 5, and a sign-out without its CSRF token goes to v4's sign-out
// page or v5's sign-in page.
func TestAuthJSVersionAnswers(t *testing.T) {
	for _, c := range []struct {
		version        int
		empty, signOut string
	}{
		{4, "{}", "/signout?error=MissingCSRF"},
		{5, "null", "/signin?error=MissingCSRF"},
	} {
		t.Run(fmt.Sprint("version ", c.version), func(t *testing.T) {
			a := newApp(t, withAuthJS(c.version, "a-secret"))
			if got := strings.TrimSpace(readBody(t, a.get("/api/auth/session"))); got != c.empty {
				t.Errorf("GET /session signed out = %s, want %s", got, c.empty)
			}
			if got := location(t, a.postForm("/api/auth/signout", url.Values{})); got != a.base+c.signOut {
				t.Errorf("sign-out without CSRF: to %s, want %s", got, a.base+c.signOut)
			}
		})
	}
}
