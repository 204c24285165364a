// This file is yours: authgen wrote it once and never changes it.

package auth_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"example.com/passkeys/auth"
	"github.com/authgen/authgen/runtime/authtest"
)

// These tests run the application offline with "go test ./...": newTestApp
// (authtest_gen_test.go, generated) builds it as main.go does, with a fake
// identity provider of package authtest standing in for each provider of
// authgen.yaml. Write more on the same helper: add your routes to app.Mux,
// sign in with signIn(t, app, firstProvider(t, app)) (or through each of
// app.Providers; both are generated too), and read the session with
// sessionUser.

// me is a protected route of the tests: Require lets only signed-in requests
// through, and the handler reads the typed session with SessionFrom.
func me(app *testApp) {
	app.Mux.Handle("GET /me", app.Auth.Require(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, ok := auth.SessionFrom(r.Context())
		if !ok {
			http.Error(w, "no session under Require", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"email": s.User.Email, "name": s.User.Name, "provider": s.Provider})
	})))
}

// sessionUser returns the user of GET {basePath}/session, nil when the
// browser is signed out.
func sessionUser(t *testing.T, b *authtest.Browser) *auth.User {
	t.Helper()
	resp := b.Get(b.API("/session"))
	var s struct {
		User *auth.User `json:"user"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("GET /session: %s (%v)", resp.Status, err)
	}
	return s.User
}

// TestSignIn signs in through the fake of each provider, each time in an
// application of its own (the providers' example users may share an
// address), and reads the session three ways: GET {basePath}/session (what
// the browser client reads), SessionFrom under Require, and Auth.Session
// outside the middlewares.
func TestSignIn(t *testing.T) {
	if len(testFakes) == 0 {
		t.Skip("authgen.yaml has no OAuth or OpenID Connect provider to sign in with")
	}
	for i, fake := range testFakes {
		t.Run(fake.ID, func(t *testing.T) {
			app := newTestApp(t)
			me(app)
			app.Mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
				s, err := app.Auth.Session(r)
				if err != nil {
					http.Error(w, err.Error(), http.StatusUnauthorized)
					return
				}
				_, _ = w.Write([]byte(s.User.Email))
			})
			p := app.Providers[i]
			b := signIn(t, app, p)
			u := sessionUser(t, b)
			if u == nil || u.Email != p.User.Email || u.Name != p.User.Name {
				t.Fatalf("GET /session: user %+v, want %s's %+v", u, p.ID, p.User)
			}
			resp := b.Get("/me")
			var got map[string]string
			if err := json.NewDecoder(resp.Body).Decode(&got); resp.StatusCode != http.StatusOK || err != nil {
				t.Fatalf("GET /me: %s (%v)", resp.Status, err)
			}
			if got["provider"] != p.ID || got["email"] != p.User.Email {
				t.Errorf("GET /me: %v, want provider %s and %q", got, p.ID, p.User.Email)
			}
			if resp := b.Get("/whoami"); resp.StatusCode != http.StatusOK || authtest.Body(t, resp) != p.User.Email {
				t.Errorf("Auth.Session: %s %q, want %q", resp.Status, authtest.Body(t, resp), p.User.Email)
			}
		})
	}
}

// TestRequire: a visitor who is not signed in never reaches a route behind
// Require: a browser asking for a page is sent to sign in and back, an API
// client gets 401.
func TestRequire(t *testing.T) {
	app := newTestApp(t)
	me(app)
	b := app.NewBrowser(t)

	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, app.URL+"/me", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	resp := b.Do(req)
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound || loc.Query().Get("callbackUrl") != app.URL+"/me" {
		t.Errorf("a page behind Require, signed out: %s to %q, want 302 to sign in with callbackUrl %s/me", resp.Status, resp.Header.Get("Location"), app.URL)
	}

	resp = b.Get("/me")
	var body struct {
		Error string `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); resp.StatusCode != http.StatusUnauthorized || err != nil || body.Error != "SessionRequired" {
		t.Errorf("an API request behind Require, signed out: %s %+v, want 401 SessionRequired", resp.Status, body)
	}
}

// TestSignOut: signing out needs the CSRF token; without it nothing changes,
// with it the session ends.
func TestSignOut(t *testing.T) {
	app := newTestApp(t)
	me(app)
	b := signIn(t, app, firstProvider(t, app))

	b.PostForm(b.API("/signout"), url.Values{})
	if sessionUser(t, b) == nil {
		t.Fatal("a sign-out without the CSRF token ended the session")
	}
	resp := b.PostForm(b.API("/signout"), url.Values{"csrfToken": {b.CSRF()}})
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("POST /signout: %s, want 302", resp.Status)
	}
	if u := sessionUser(t, b); u != nil {
		t.Errorf("signed out, GET /session still has %+v", u)
	}
	if resp := b.Get("/me"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("signed out, GET /me: %s, want 401", resp.Status)
	}
}

// TestForgedCookie: a session cookie changed by the browser, or made up, is
// no session.
func TestForgedCookie(t *testing.T) {
	app := newTestApp(t)
	me(app)
	b := signIn(t, app, firstProvider(t, app))

	token := []byte(b.Cookie("session-token"))
	if len(token) == 0 {
		t.Fatal("signed in, the browser holds no session-token cookie")
	}
	// One character in the middle changed for another of the same alphabet.
	if mid := len(token) / 2; token[mid] == 'A' {
		token[mid] = 'B'
	} else {
		token[mid] = 'A'
	}
	b.SetCookie("session-token", string(token))
	if u := sessionUser(t, b); u != nil {
		t.Errorf("a tampered session cookie reads as %+v", u)
	}
	if resp := b.Get("/me"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a tampered session cookie, GET /me: %s, want 401", resp.Status)
	}
}
