package server_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/ratelimit"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/memstore"
)

// The WebAuthn ceremonies themselves need an authenticator: they are
// tested in Chromium (internal/integration/passkeys). These tests cover
// what the server checks before and around them.

// noCeremony begins ceremonies with fixed options and verifies no answer:
// enough for the server's checks around the ceremony.
type noCeremony struct{}

var errNoAuthenticator = errors.New("no authenticator in a Go test")

func (noCeremony) BeginRegistration(server.PasskeyRP, server.PasskeyUser) ([]byte, []byte, error) {
	return []byte(`{"publicKey":{"challenge":"AAAA"}}`), []byte(`{}`), nil
}

func (noCeremony) FinishRegistration(server.PasskeyRP, server.PasskeyUser, []byte, []byte) (*server.PasskeyRegistration, error) {
	return nil, errors.Join(server.ErrPasskey, errNoAuthenticator)
}

func (noCeremony) BeginLogin(server.PasskeyRP, *server.PasskeyUser) ([]byte, []byte, error) {
	return []byte(`{"publicKey":{"challenge":"AAAA"}}`), []byte(`{}`), nil
}

func (noCeremony) FinishLogin(server.PasskeyRP, []byte, []byte, func(string, []byte) (server.PasskeyUser, error)) (*server.PasskeyAssertion, error) {
	return nil, errors.Join(server.ErrPasskey, errNoAuthenticator)
}

// pkApp is an app with passkeys on.
type pkApp struct {
	*app
	st *memstore.Store
}

func newPasskeyApp(t *testing.T, opts ...appOption) *pkApp {
	t.Helper()
	st := memstore.New()
	a := newApp(t, append([]appOption{func(c *server.Config) {
		c.Users, c.Sessions, c.Strategy = st, st, server.StrategyDatabase
		c.Passkeys = noCeremony{}
	}}, opts...)...)
	return &pkApp{app: a, st: st}
}

func TestPasskeyConfigErrors(t *testing.T) {
	st := memstore.New()
	for _, tc := range []struct {
		name string
		edit func(*server.Config)
		want string
	}{
		{"no users", func(c *server.Config) { c.Passkeys = noCeremony{} }, "Passkeys needs Users"},
		{"users without store.Passkeys", func(c *server.Config) {
			c.Passkeys, c.Users, c.Sessions = noCeremony{}, struct{ store.Store }{memstore.New()}, nil
		}, "implement store.Passkeys"},
		{"sign-up without passkeys", func(c *server.Config) { c.PasskeySignUp = true }, "PasskeySignUp needs Passkeys"},
		{"users without verification tokens", func(c *server.Config) {
			c.Passkeys, c.Users = noCeremony{}, struct {
				store.Users
				store.Passkeys
			}{st, st}
		}, "implement store.VerificationTokens"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, _ := url.Parse("http://localhost:3000")
			a := newApp(t)
			cfg := server.Config{URL: u, Keys: a.keys}
			tc.edit(&cfg)
			_, err := server.New(cfg)
			if !errors.Is(err, server.ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New: %v, want ErrConfig saying %q", err, tc.want)
			}
		})
	}
}

// TestPasskeyCSRF: every passkey POST without the CSRF token is 403
// MissingCSRF, and changes nothing.
func TestPasskeyCSRF(t *testing.T) {
	a := newPasskeyApp(t, func(c *server.Config) {
		c.PasskeySignUp, c.TwoFactor = true, &server.TwoFactor{Mode: server.TwoFactorOptional}
	})
	a.mustSignIn()
	for _, path := range []string{"/passkeys/register/options", "/passkeys/register", "/passkeys/rename", "/passkeys/delete", "/signin/passkey/options", "/callback/passkey",
		"/signup/passkey/options", "/signup/passkey", "/2fa/passkey/options", "/2fa/passkey"} {
		resp := a.postForm("/api/auth"+path, url.Values{"id": {"x"}, "name": {"y"}})
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "MissingCSRF") {
			t.Errorf("POST %s without CSRF: %d %s, want 403 MissingCSRF", path, resp.StatusCode, body)
		}
	}
	if a.jarCookie("passkey") != "" {
		t.Error("a challenge cookie without CSRF")
	}
}

// TestPasskeyRegisterSignedOut: registration needs a session.
func TestPasskeyRegisterSignedOut(t *testing.T) {
	a := newPasskeyApp(t)
	for _, path := range []string{"/passkeys/register/options", "/passkeys/register"} {
		resp := a.postForm("/api/auth"+path, url.Values{"csrfToken": {a.csrfToken()}})
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "SessionRequired") {
			t.Errorf("POST %s signed out: %d %s, want 401 SessionRequired", path, resp.StatusCode, body)
		}
	}
	resp := a.get("/api/auth/passkeys", "Accept", "text/html")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "/signin") {
		t.Errorf("GET /passkeys signed out: %d %s, want a redirect to sign in", resp.StatusCode, loc)
	}
}

// TestPasskeyCallbackWithoutCeremony: an assertion without this browser's
// challenge is refused before any verification.
func TestPasskeyCallbackWithoutCeremony(t *testing.T) {
	a := newPasskeyApp(t)
	resp := a.postForm("/api/auth/callback/passkey", url.Values{"csrfToken": {a.csrfToken()}, "response": {`{}`}})
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"error":"Passkey"`) {
		t.Fatalf("callback without a ceremony: %d %s, want 401 Passkey", resp.StatusCode, body)
	}
	if !strings.Contains(a.logs.String(), "no login ceremony in this browser") {
		t.Errorf("log does not say why:\n%s", a.logs)
	}
}

// TestPasskeyOptionsAndScript: the sign-in options come with a challenge
// cookie; the sign-in page loads passkey.js, which its CSP allows, and
// which is served with an ETag.
func TestPasskeyOptionsAndScript(t *testing.T) {
	a := newPasskeyApp(t)
	resp := a.postForm("/api/auth/signin/passkey/options", url.Values{"csrfToken": {a.csrfToken()}})
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"publicKey"`) || a.jarCookie("passkey") == "" {
		t.Fatalf("options: %d %s (challenge cookie %q)", resp.StatusCode, body, a.jarCookie("passkey"))
	}
	if body := readBody(t, a.get("/api/auth/providers")); !strings.Contains(body, `"passkey":{"callbackUrl":"`+a.base+`/callback/passkey","id":"passkey","name":"Passkey","signinUrl":"`+a.base+`/signin/passkey","type":"webauthn"}`) {
		t.Errorf("GET /providers does not list the passkey provider as @auth/core does: %s", body)
	}
	page := a.get("/api/auth/signin")
	html := readBody(t, page)
	if !strings.Contains(html, `src="/api/auth/passkey.js?v=`) || !strings.Contains(html, `autocomplete="username webauthn"`) {
		t.Fatalf("sign-in page without the passkey script or the autofill field:\n%s", html)
	}
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self';") {
		t.Errorf("CSP %q: want script-src 'self' only", csp)
	}
	js := a.get("/api/auth/passkey.js")
	etag := js.Header.Get("Etag")
	if js.StatusCode != http.StatusOK || etag == "" || !strings.HasPrefix(js.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("passkey.js: %d, ETag %q, %s", js.StatusCode, etag, js.Header.Get("Content-Type"))
	}
	if again := a.get("/api/auth/passkey.js", "If-None-Match", etag); again.StatusCode != http.StatusNotModified {
		t.Errorf("passkey.js with its ETag: %d, want 304", again.StatusCode)
	}
}

// TestPasskeyDeleteLastWay: a passkey goes with its account and its
// credential, whether deleted (the passkeys page, DeletePasskey) or
// unlinked (the account page's POST /accounts/unlink, UnlinkAccount);
// either way, the user's only way to sign in is refused (409 LastAccount)
// and changes nothing.
func TestPasskeyDeleteLastWay(t *testing.T) {
	for _, route := range []struct {
		name string
		// remove removes the passkey cred-1 of the user u, as the
		// errors of UnlinkAccount say.
		remove func(a *pkApp, u string) error
	}{
		{"POST /passkeys/delete", func(a *pkApp, _ string) error {
			return httpRemoval(a, "/api/auth/passkeys/delete", url.Values{"id": {"cred-1"}}, `"deleted":"cred-1"`)
		}},
		{"POST /accounts/unlink", func(a *pkApp, _ string) error {
			return httpRemoval(a, "/api/auth/accounts/unlink", url.Values{"provider": {"passkey"}, "providerAccountId": {"cred-1"}}, `"unlinked":{"provider":"passkey"`)
		}},
		{"DeletePasskey", func(a *pkApp, u string) error { return a.auth.DeletePasskey(a.t.Context(), u, "cred-1") }},
		{"UnlinkAccount", func(a *pkApp, u string) error {
			return a.auth.UnlinkAccount(a.t.Context(), u, "passkey", "cred-1")
		}},
	} {
		t.Run(route.name, func(t *testing.T) {
			a := newPasskeyApp(t)
			a.mustSignIn()
			ctx := t.Context()
			u, err := a.st.GetUserByAccount(ctx, "github", "583231")
			if err != nil {
				t.Fatal(err)
			}
			pk := store.Passkey{ID: "cred-1", UserID: u.ID, Name: "Laptop", PublicKey: []byte{1}, CreatedAt: time.Now()}
			if err := a.st.CreatePasskey(ctx, pk); err != nil {
				t.Fatal(err)
			}
			if err := a.st.LinkAccount(ctx, store.Account{UserID: u.ID, Type: "webauthn", Provider: "passkey", ProviderAccountID: "cred-1"}); err != nil {
				t.Fatal(err)
			}
			gh, err := a.st.ListAccounts(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := a.st.UnlinkAccount(ctx, "github", "583231"); err != nil {
				t.Fatal(err)
			}
			if err := route.remove(a, u.ID); !errors.Is(err, server.ErrLastAccount) {
				t.Fatalf("removing the only way: %v, want ErrLastAccount (409 LastAccount)", err)
			}
			if _, err := a.st.GetPasskey(ctx, "cred-1"); err != nil {
				t.Fatalf("the passkey is gone after a refused removal: %v", err)
			}
			if _, err := a.st.GetUserByAccount(ctx, "passkey", "cred-1"); err != nil {
				t.Fatalf("the passkey's account is gone after a refused removal: %v", err)
			}
			for _, acc := range gh {
				if acc.Provider == "github" {
					if err := a.st.LinkAccount(ctx, acc); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := route.remove(a, u.ID); err != nil {
				t.Fatalf("removing with another way: %v", err)
			}
			if _, err := a.st.GetPasskey(ctx, "cred-1"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("GetPasskey after the removal: %v, want ErrNotFound", err)
			}
			if _, err := a.st.GetUserByAccount(ctx, "passkey", "cred-1"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("the passkey's account after the removal: %v, want ErrNotFound", err)
			}
			if err := route.remove(a, u.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("removing it again: %v, want ErrNotFound (404)", err)
			}
		})
	}
}

// httpRemoval posts form (with a CSRF token) to path as the account and
// passkeys pages' scripts do, and returns the answer as UnlinkAccount's
// errors: nil for 200 with want in the body, ErrLastAccount for 409
// LastAccount, store.ErrNotFound for 404 AccountNotFound.
func httpRemoval(a *pkApp, path string, form url.Values, want string) error {
	a.t.Helper()
	form.Set("csrfToken", a.csrfToken())
	resp := a.postForm(path, form)
	body := readBody(a.t, resp)
	switch {
	case resp.StatusCode == http.StatusOK && strings.Contains(body, want):
		return nil
	case resp.StatusCode == http.StatusConflict && strings.Contains(body, `"LastAccount"`):
		return server.ErrLastAccount
	case resp.StatusCode == http.StatusNotFound && strings.Contains(body, `"AccountNotFound"`):
		return store.ErrNotFound
	}
	return fmt.Errorf("POST %s: %d %s", path, resp.StatusCode, body)
}

// TestPasskeyAccountPageLink: the account page links to the passkeys
// page, which lists a passkey's name.
func TestPasskeyAccountPageLink(t *testing.T) {
	a := newPasskeyApp(t)
	a.mustSignIn()
	u, err := a.st.GetUserByAccount(t.Context(), "github", "583231")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.st.CreatePasskey(t.Context(), store.Passkey{ID: "cred-1", UserID: u.ID, Name: "Laptop", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if body := readBody(t, a.get("/api/auth/account")); !strings.Contains(body, `id="passkeys-link" href="`+a.base+`/passkeys"`) {
		t.Fatalf("the account page does not link to the passkeys page:\n%s", body)
	}
	if body := readBody(t, a.get("/api/auth/passkeys")); !strings.Contains(body, "Laptop") || !strings.Contains(body, "never used") {
		t.Fatalf("the passkeys page does not list the passkey:\n%s", body)
	}
}

// TestPasskeyRename: the user's passkey is renamed; an empty or over-long
// name is 400, another user's or an unknown passkey 404.
func TestPasskeyRename(t *testing.T) {
	a := newPasskeyApp(t)
	a.mustSignIn()
	ctx := t.Context()
	u, err := a.st.GetUserByAccount(ctx, "github", "583231")
	if err != nil {
		t.Fatal(err)
	}
	other, err := a.st.CreateUser(ctx, store.User{Email: "grace@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []store.Passkey{{ID: "mine", UserID: u.ID, Name: "Laptop"}, {ID: "theirs", UserID: other.ID, Name: "Phone"}} {
		if err := a.st.CreatePasskey(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	rename := func(id, name string) int {
		resp := a.postForm("/api/auth/passkeys/rename", url.Values{"csrfToken": {a.csrfToken()}, "id": {id}, "name": {name}})
		readBody(t, resp)
		return resp.StatusCode
	}
	if got := rename("mine", "  Work laptop "); got != http.StatusOK {
		t.Fatalf("rename: %d", got)
	}
	if p, _ := a.st.GetPasskey(ctx, "mine"); p.Name != "Work laptop" {
		t.Errorf("name %q, want %q", p.Name, "Work laptop")
	}
	for _, tc := range []struct {
		id, name string
		want     int
	}{
		{"mine", "  ", http.StatusBadRequest},
		{"mine", strings.Repeat("x", 101), http.StatusBadRequest},
		{"theirs", "Mine now", http.StatusNotFound},
		{"nobody", "x", http.StatusNotFound},
	} {
		if got := rename(tc.id, tc.name); got != tc.want {
			t.Errorf("rename %q to %q: %d, want %d", tc.id, tc.name, got, tc.want)
		}
	}
	if p, _ := a.st.GetPasskey(ctx, "theirs"); p.Name != "Phone" {
		t.Errorf("another user's passkey renamed to %q", p.Name)
	}
}

// TestPasskeySignUpChecks: the sign-up routes exist only with
// PasskeySignUp; the options need a name and no session; an answer
// without this browser's ceremony is refused and creates nobody.
func TestPasskeySignUpChecks(t *testing.T) {
	off := newPasskeyApp(t)
	resp := off.postForm("/api/auth/signup/passkey/options", url.Values{"csrfToken": {off.csrfToken()}, "name": {"Ada"}})
	if body := readBody(t, resp); resp.StatusCode == http.StatusOK || strings.Contains(body, "publicKey") {
		t.Fatalf("sign-up options without PasskeySignUp: %d %s", resp.StatusCode, body)
	}
	if html := readBody(t, off.get("/api/auth/signin")); strings.Contains(html, "passkey-signup") {
		t.Error("the sign-in page offers sign-up without PasskeySignUp")
	}

	a := newPasskeyApp(t, func(c *server.Config) { c.PasskeySignUp = true })
	if html := readBody(t, a.get("/api/auth/signin")); !strings.Contains(html, `id="passkey-signup"`) || !strings.Contains(html, `/api/auth/signup/passkey/options"`) {
		t.Fatalf("the sign-in page has no sign-up form:\n%s", html)
	}
	for _, name := range []string{"", "   ", strings.Repeat("n", 101), "\xff"} {
		resp := a.postForm("/api/auth/signup/passkey/options", url.Values{"csrfToken": {a.csrfToken()}, "name": {name}})
		if body := readBody(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `"error":"Passkey"`) {
			t.Errorf("sign-up options with name %q: %d %s, want 400 Passkey", name, resp.StatusCode, body)
		}
	}
	resp = a.postForm("/api/auth/signup/passkey/options", url.Values{"csrfToken": {a.csrfToken()}, "name": {"Ada"}})
	if body := readBody(t, resp); resp.StatusCode != http.StatusOK || !strings.Contains(body, "publicKey") || a.jarCookie("passkey") == "" {
		t.Fatalf("sign-up options: %d %s", resp.StatusCode, body)
	}
	resp = a.postForm("/api/auth/signup/passkey", url.Values{"csrfToken": {a.csrfToken()}, "response": {`{}`}})
	if body := readBody(t, resp); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"error":"Passkey"`) {
		t.Fatalf("sign-up with an answer that does not verify: %d %s, want 401 Passkey", resp.StatusCode, body)
	}
	resp = a.postForm("/api/auth/signup/passkey", url.Values{"csrfToken": {a.csrfToken()}, "response": {`{}`}})
	if body := readBody(t, resp); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(a.logs.String(), "no signup ceremony in this browser") {
		t.Fatalf("sign-up without a ceremony: %d %s", resp.StatusCode, body)
	}

	a.mustSignIn()
	resp = a.postForm("/api/auth/signup/passkey/options", url.Values{"csrfToken": {a.csrfToken()}, "name": {"Ada"}})
	if body := readBody(t, resp); resp.StatusCode != http.StatusConflict || !strings.Contains(body, `"url":"http`) {
		t.Fatalf("sign-up options while signed in: %d %s, want 409 with the passkeys page", resp.StatusCode, body)
	}
}

// TestPasskeyOptionsNotCounted: a sign-in page asks for options on every
// load (conditional UI), so they write nothing and count nothing; the
// answers count against signInPerClient.
func TestPasskeyOptionsNotCounted(t *testing.T) {
	a := newPasskeyApp(t, withLimits(map[string]ratelimit.Limit{server.LimitSignInPerClient: {Events: 2, Per: time.Minute}}))
	for i := range 5 {
		resp := a.postForm("/api/auth/signin/passkey/options", url.Values{"csrfToken": {a.csrfToken()}})
		if body := readBody(t, resp); resp.StatusCode != http.StatusOK {
			t.Fatalf("options %d: %d %s", i+1, resp.StatusCode, body)
		}
	}
	for i, want := range []int{http.StatusUnauthorized, http.StatusUnauthorized, http.StatusTooManyRequests} {
		resp := a.postForm("/api/auth/callback/passkey", url.Values{"csrfToken": {a.csrfToken()}, "response": {`{}`}}, "X-Auth-Return-Redirect", "1")
		if body := readBody(t, resp); resp.StatusCode != want {
			t.Fatalf("answer %d: %d %s, want %d", i+1, resp.StatusCode, body, want)
		}
	}
}

// TestTwoFactorPasskeyWithoutPending: the second step's passkey routes
// need a sign-in waiting for it.
func TestTwoFactorPasskeyWithoutPending(t *testing.T) {
	a := newPasskeyApp(t, func(c *server.Config) { c.TwoFactor = &server.TwoFactor{Mode: server.TwoFactorOptional} })
	for _, path := range []string{"/2fa/passkey/options", "/2fa/passkey"} {
		resp := a.postForm("/api/auth"+path, url.Values{"csrfToken": {a.csrfToken()}, "response": {`{}`}})
		if body := readBody(t, resp); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"error":"TwoFactor"`) {
			t.Errorf("POST %s without a pending sign-in: %d %s, want 401 TwoFactor", path, resp.StatusCode, body)
		}
	}
	if a.jarCookie("passkey") != "" {
		t.Error("a challenge cookie without a pending sign-in")
	}
}

// registering accepts every registration, with the credential ID id.
type registering struct {
	noCeremony
	id string
}

func (r registering) FinishRegistration(server.PasskeyRP, server.PasskeyUser, []byte, []byte) (*server.PasskeyRegistration, error) {
	return &server.PasskeyRegistration{Passkey: store.Passkey{ID: r.id, PublicKey: []byte{1}}, UserVerified: true}, nil
}

// TestPasskeyIDLength: a credential ID over MaxPasskeyIDLength characters
// (an account's providerAccountId, a VARCHAR(255) key on MySQL) is
// refused at registration and nothing is stored; one of the maximum is
// kept.
func TestPasskeyIDLength(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want int
	}{{server.MaxPasskeyIDLength + 1, http.StatusBadRequest}, {server.MaxPasskeyIDLength, http.StatusOK}} {
		id := strings.Repeat("A", tc.n)
		a := newPasskeyApp(t, func(c *server.Config) { c.Passkeys = registering{id: id} })
		a.mustSignIn()
		for _, path := range []string{"/passkeys/register/options", "/passkeys/register"} {
			resp := a.postForm("/api/auth"+path, url.Values{"csrfToken": {a.csrfToken()}, "response": {`{}`}})
			body := readBody(t, resp)
			if path == "/passkeys/register/options" {
				continue
			}
			if resp.StatusCode != tc.want {
				t.Fatalf("registering a %d-character ID: %d %s, want %d", tc.n, resp.StatusCode, body, tc.want)
			}
		}
		_, err := a.st.GetPasskey(t.Context(), id)
		if kept := err == nil; kept != (tc.want == http.StatusOK) {
			t.Errorf("a %d-character ID: GetPasskey %v", tc.n, err)
		}
	}
}

// TestWebAuthnOptions: Auth.js's WebAuthn options endpoint answers
// {"action", "options"} with the publicKey member of authgen's options,
// sealing the ceremony in the passkey cookie; registration needs a session
// or PasskeySignUp (with a name); an unknown action is 400.
func TestWebAuthnOptions(t *testing.T) {
	a := newPasskeyApp(t)
	for _, tc := range []struct {
		query, want string
		status      int
	}{
		{"", `{"action":"authenticate","options":{"challenge":"AAAA"}}`, http.StatusOK},
		{"?action=authenticate", `{"action":"authenticate","options":{"challenge":"AAAA"}}`, http.StatusOK},
		{"?action=register", `"SessionRequired"`, http.StatusUnauthorized},
		{"?action=delete", `"Passkey"`, http.StatusBadRequest},
	} {
		resp := a.get("/api/auth/webauthn-options/passkey" + tc.query)
		if body := readBody(t, resp); resp.StatusCode != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("GET webauthn-options%s: %d %s, want %d %s", tc.query, resp.StatusCode, body, tc.status, tc.want)
		}
	}
	if a.jarCookie("passkey") == "" {
		t.Error("no challenge cookie after the options")
	}

	signUp := newPasskeyApp(t, func(c *server.Config) { c.PasskeySignUp = true })
	for _, tc := range []struct {
		query  string
		status int
	}{{"?action=register", http.StatusBadRequest}, {"?action=register&email=Grace", http.StatusOK}, {"?action=register&name=Grace", http.StatusOK}} {
		resp := signUp.get("/api/auth/webauthn-options/passkey" + tc.query)
		if body := readBody(t, resp); resp.StatusCode != tc.status || tc.status == http.StatusOK && !strings.Contains(body, `"action":"register"`) {
			t.Errorf("GET webauthn-options%s with sign-up: %d %s, want %d", tc.query, resp.StatusCode, body, tc.status)
		}
	}

	a.mustSignIn()
	resp := a.get("/api/auth/webauthn-options/passkey")
	if body := readBody(t, resp); resp.StatusCode != http.StatusOK || !strings.Contains(body, `"action":"register"`) {
		t.Errorf("GET webauthn-options signed in: %d %s, want register", resp.StatusCode, body)
	}
}

// TestPasskeyIPWarning: passkeys on a URL whose host is an IP address
// (the harness's 127.0.0.1) start with a warning that browsers refuse it.
func TestPasskeyIPWarning(t *testing.T) {
	a := newPasskeyApp(t)
	if !strings.Contains(a.logs.String(), "the URL's host is an IP address, which browsers refuse as relying party") {
		t.Errorf("no warning at start about the IP address:\n%s", a.logs)
	}
	b := newApp(t)
	if strings.Contains(b.logs.String(), "relying party") {
		t.Errorf("a warning about passkeys without passkeys:\n%s", b.logs)
	}
}

// TestPasskeyForPendingSignIn: with TwoFactorRequired a sign-in that must
// set up a second step may add a passkey only when the request says so
// ("for": "sign-in", as the set-up page's form does); a plain registration
// is the signed-in user's, and there is none yet; the set-up page offers
// the passkey.
func TestPasskeyForPendingSignIn(t *testing.T) {
	mem := memstore.New()
	a := &tfApp{app: newApp(t, func(c *server.Config) {
		c.Users, c.Sessions, c.Strategy = mem, mem, server.StrategyDatabase
		c.TwoFactor = &server.TwoFactor{Mode: server.TwoFactorRequired}
		c.Passkeys = noCeremony{}
	}), mem: mem}
	a.firstFactor("/2fa?for=sign-in")
	resp := a.postForm("/api/auth/passkeys/register/options", url.Values{"csrfToken": {a.csrfToken()}})
	if body := readBody(t, resp); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "SessionRequired") {
		t.Fatalf("registration options without \"for\", signed out with a pending sign-in: %d %s, want 401 SessionRequired", resp.StatusCode, body)
	}
	resp = a.postForm("/api/auth/passkeys/register/options", url.Values{"csrfToken": {a.csrfToken()}, "for": {"sign-in"}})
	if body := readBody(t, resp); resp.StatusCode != http.StatusOK || !strings.Contains(body, "publicKey") {
		t.Fatalf("registration options for the pending sign-in: %d %s", resp.StatusCode, body)
	}
	page := readBody(t, a.get("/api/auth/2fa?for=sign-in", "Accept", "text/html"))
	if !strings.Contains(page, `data-for="sign-in"`) || !strings.Contains(page, `id="add-passkey"`) {
		t.Errorf("the set-up page offers no passkey for the sign-in:\n%s", page)
	}

	other := newPasskeyApp(t)
	resp = other.postForm("/api/auth/passkeys/register/options", url.Values{"csrfToken": {other.csrfToken()}, "for": {"sign-in"}})
	if body := readBody(t, resp); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "TwoFactor") {
		t.Errorf("registration options for a sign-in without one pending: %d %s, want 401 TwoFactor", resp.StatusCode, body)
	}
}

// oneKey is an authenticator with the one credential id: it registers it,
// and asserts it after finding it (find, as go-webauthn does), verifying
// the user (UV) when uv. Its request options list the credentials allowed.
type oneKey struct {
	noCeremony
	id string
	uv bool
}

func (k oneKey) FinishRegistration(server.PasskeyRP, server.PasskeyUser, []byte, []byte) (*server.PasskeyRegistration, error) {
	return &server.PasskeyRegistration{Passkey: store.Passkey{ID: k.id, PublicKey: []byte{1}}, UserVerified: k.uv}, nil
}

func (k oneKey) BeginLogin(_ server.PasskeyRP, u *server.PasskeyUser) ([]byte, []byte, error) {
	allow := []string{}
	if u != nil {
		for _, c := range u.Credentials {
			allow = append(allow, c.ID)
		}
	}
	options, err := json.Marshal(map[string]any{"publicKey": map[string]any{"challenge": "AAAA", "allow": allow}})
	return options, []byte(`{}`), err
}

func (k oneKey) FinishLogin(_ server.PasskeyRP, _, _ []byte, find func(string, []byte) (server.PasskeyUser, error)) (*server.PasskeyAssertion, error) {
	if _, err := find(k.id, nil); err != nil {
		return nil, err
	}
	return &server.PasskeyAssertion{ID: k.id, UserVerified: k.uv}, nil
}

// newPasskeyTwoFactorApp is an app with passkeys (the authenticator k) and
// two-factor sign-in in mode.
func newPasskeyTwoFactorApp(t *testing.T, mode server.TwoFactorMode, k oneKey, opts ...appOption) *tfApp {
	t.Helper()
	mem := memstore.New()
	return &tfApp{app: newApp(t, append([]appOption{func(c *server.Config) {
		c.Users, c.Sessions, c.Strategy = mem, mem, server.StrategyDatabase
		c.TwoFactor = &server.TwoFactor{Mode: mode, Issuer: "Acme"}
		c.Passkeys = k
	}}, opts...)...), mem: mem}
}

// passkeyPost posts form with a CSRF token to the API's path and returns
// the answer's status and body.
func (a *tfApp) passkeyPost(path string, form url.Values) (int, string) {
	a.t.Helper()
	form.Set("csrfToken", a.csrfToken())
	resp := a.postForm("/api/auth"+path, form)
	return resp.StatusCode, readBody(a.t, resp)
}

// TestPasskeyOrphanNoSecondStep: with TwoFactorRequired, a passkey
// unlinked on the account page is deleted, so the next sign-in sets up a
// second step again instead of asking for a passkey that is gone; a
// credential whose account is gone all the same (a failure between an
// unlink's two writes) is no second step either — neither counted nor
// offered — and the passkeys page deletes it.
func TestPasskeyOrphanNoSecondStep(t *testing.T) {
	a := newPasskeyTwoFactorApp(t, server.TwoFactorRequired, oneKey{id: "cred-1"})
	a.firstFactor("/2fa?for=sign-in")
	a.passkeyPost("/passkeys/register/options", url.Values{"for": {"sign-in"}})
	if status, body := a.passkeyPost("/passkeys/register", url.Values{"for": {"sign-in"}, "response": {`{}`}}); status != http.StatusOK || a.jarCookie("session-token") == "" {
		t.Fatalf("adding a passkey as the second step: %d %s", status, body)
	}
	if status, body := a.passkeyPost("/accounts/unlink", url.Values{"provider": {"passkey"}, "providerAccountId": {"cred-1"}}); status != http.StatusOK {
		t.Fatalf("unlinking the passkey's account: %d %s", status, body)
	}
	if list, err := a.mem.ListPasskeys(t.Context(), a.userID()); err != nil || len(list) != 0 {
		t.Fatalf("the user's passkeys after the unlink: %v %v, want none", list, err)
	}
	a.signOut()
	a.firstFactor("/2fa?for=sign-in")

	// The passkey again, then its account unlinked behind the server's back.
	a.passkeyPost("/passkeys/register/options", url.Values{"for": {"sign-in"}})
	if status, body := a.passkeyPost("/passkeys/register", url.Values{"for": {"sign-in"}, "response": {`{}`}}); status != http.StatusOK {
		t.Fatalf("adding the passkey again: %d %s", status, body)
	}
	a.signOut()
	a.firstFactor("/2fa/verify")
	if status, body := a.passkeyPost("/2fa/passkey/options", url.Values{}); status != http.StatusOK || !strings.Contains(body, `"allow":["cred-1"]`) {
		t.Fatalf("second-step options with the passkey linked: %d %s", status, body)
	}
	if err := a.mem.UnlinkAccount(t.Context(), "passkey", "cred-1"); err != nil {
		t.Fatal(err)
	}
	if status, body := a.passkeyPost("/2fa/passkey/options", url.Values{}); status != http.StatusConflict || !strings.Contains(body, `"TwoFactor"`) {
		t.Errorf("second-step options with only a credential whose account is gone: %d %s, want 409 TwoFactor", status, body)
	}
	a.signOut()
	a.firstFactor("/2fa?for=sign-in")
	a.enrolForSignIn()
	if status, body := a.passkeyPost("/passkeys/delete", url.Values{"id": {"cred-1"}}); status != http.StatusOK || !strings.Contains(body, `"deleted":"cred-1"`) {
		t.Errorf("deleting the credential whose account is gone: %d %s", status, body)
	}
	if _, err := a.mem.GetPasskey(t.Context(), "cred-1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetPasskey after deleting it: %v, want ErrNotFound", err)
	}
}

// TestPasskeySignUpSecondStep: with TwoFactorRequired, signing up with a
// passkey whose authenticator verified the user (UV) is two factors and
// signs in; without UV the new user sets up a second step, as a sign-in
// with their only passkey does — the new passkey cannot be both steps.
func TestPasskeySignUpSecondStep(t *testing.T) {
	for _, uv := range []bool{true, false} {
		t.Run(fmt.Sprintf("uv=%v", uv), func(t *testing.T) {
			a := newPasskeyTwoFactorApp(t, server.TwoFactorRequired, oneKey{id: "cred-1", uv: uv}, func(c *server.Config) { c.PasskeySignUp = true })
			if status, body := a.passkeyPost("/signup/passkey/options", url.Values{"name": {"Ada"}}); status != http.StatusOK {
				t.Fatalf("sign-up options: %d %s", status, body)
			}
			status, body := a.passkeyPost("/signup/passkey", url.Values{"response": {`{}`}})
			if uv {
				if status != http.StatusOK || !strings.Contains(body, `"url":"`+a.origin) || a.jarCookie("session-token") == "" {
					t.Fatalf("sign-up with UV: %d %s, session %q; want signed in", status, body, a.jarCookie("session-token"))
				}
				return
			}
			if status != http.StatusOK || !strings.Contains(body, `"url":"`+a.base+`/2fa?for=sign-in"`) || a.jarCookie("session-token") != "" {
				t.Fatalf("sign-up without UV: %d %s, session %q; want sent to set up a second step", status, body, a.jarCookie("session-token"))
			}
			if status, body := a.passkeyPost("/2fa/passkey/options", url.Values{}); status != http.StatusUnauthorized || !strings.Contains(body, `"TwoFactor"`) {
				t.Fatalf("second-step options after the sign-up: %d %s, want 401 TwoFactor (no second step to answer, one to set up)", status, body)
			}
			if status, body := a.passkeyPost("/2fa/passkey", url.Values{"response": {`{}`}}); status != http.StatusUnauthorized || a.jarCookie("session-token") != "" {
				t.Fatalf("the sign-up's passkey as the second step: %d %s, session %q", status, body, a.jarCookie("session-token"))
			}
			// A sign-in with the same passkey goes the same way.
			a.signOut()
			a.passkeyPost("/signin/passkey/options", url.Values{})
			if status, body := a.passkeyPost("/callback/passkey", url.Values{"response": {`{}`}}); status != http.StatusOK || !strings.Contains(body, `"url":"`+a.base+`/2fa?for=sign-in"`) {
				t.Errorf("a sign-in with the passkey without UV: %d %s, want sent to set up a second step", status, body)
			}
		})
	}
}

// TestPasskeyForSignInKeepsCodeStep: a passkey registration for the
// sign-in while that sign-in waits for its code (not a set-up) is 401
// TwoFactor pointing at the code page, and the sign-in stays pending, as
// for /2fa (settingUpSignIn).
func TestPasskeyForSignInKeepsCodeStep(t *testing.T) {
	mem := memstore.New()
	a := &tfApp{app: newApp(t, func(c *server.Config) {
		c.Users, c.Sessions, c.Strategy = mem, mem, server.StrategyDatabase
		c.TwoFactor = &server.TwoFactor{Mode: server.TwoFactorOptional, Issuer: "Acme"}
		c.Passkeys = noCeremony{}
	}), mem: mem}
	a.mustSignIn()
	a.enrol()
	a.signOut()
	a.firstFactor("/2fa/verify")
	resp := a.postForm("/api/auth/passkeys/register/options", url.Values{"csrfToken": {a.csrfToken()}, "for": {"sign-in"}})
	if body := readBody(t, resp); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"TwoFactor"`) || !strings.Contains(body, a.base+"/2fa/verify") {
		t.Errorf("registration options for a sign-in waiting for its code: %d %s, want 401 TwoFactor with the code page", resp.StatusCode, body)
	}
	if a.jarCookie("two-factor") == "" {
		t.Error("the pending sign-in was dropped")
	}
}
