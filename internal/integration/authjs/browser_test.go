package authjs_test

import (
	"context"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"

	"github.com/authgen/authgen/internal/integration/authjs/expressapp"
	"github.com/authgen/authgen/internal/integration/chromium"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/server"
)

func TestMain(m *testing.M) {
	code := m.Run()
	chromium.Close()
	os.Exit(code)
}

// startGo starts a Go application on the authgen runtime sharing sessions
// with an Auth.js 5 application under secret: its auth API at /api/auth,
// with a credentials provider (ada / pw, the same user as express.mjs's),
// and a page at / that says who is signed in. Its origin has host, a name
// of the loopback address; with cookieDomain it shares the session cookie
// with that domain (Config.CookieDomain).
func startGo(t *testing.T, secret, host, cookieDomain string) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	origin := "http://" + net.JoinHostPort(host, port)
	u, _ := url.Parse(origin)
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	auth, err := server.New(server.Config{
		URL:          u,
		Keys:         ks,
		CookieDomain: cookieDomain,
		AuthJS:       &server.AuthJS{Version: 5, Secrets: []string{secret}},
		Credentials: []*server.Credentials{{
			ID: "password", Name: "Password", Identifier: "username",
			Fields: []server.CredentialField{{Name: "username"}, {Name: "password", Type: server.FieldPassword}},
			Authorize: func(_ context.Context, in server.CredentialsInput) (*server.Identity, error) {
				if in.Fields["username"] != "ada" || in.Fields["password"] != "pw" {
					return nil, server.ErrCredentials
				}
				return &server.Identity{ID: "user-1", Name: "Ada Lovelace", Email: "ada@example.com"}, nil
			},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/auth/", auth)
	mux.Handle("/", auth.WithSession(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		who := "signed out"
		if s, ok := server.FromContext(r.Context()); ok {
			who = s.User.Name
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>Go</title><p id="who">%s</p>`, html.EscapeString(who))
	})))
	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(srv.Close)
	return origin
}

// who opens origin's page and returns who it says is signed in.
func who(p *chromium.Page, origin string) string {
	p.T().Helper()
	p.Navigate(origin + "/")
	return p.Text("#who")
}

// TestSharedSessionInChromium: a real @auth/express application and a Go
// application in Chromium, on one loopback host (different ports share
// cookies), and on sibling host names under a cookie domain both sides
// set (Chromium resolves every name under localhost to loopback): signing
// in on either signs in on both, signing out on the other signs out of
// both.
func TestSharedSessionInChromium(t *testing.T) {
	for _, tc := range []struct{ name, jsHost, goHost, domain string }{
		{"one host", "127.0.0.1", "127.0.0.1", ""},
		{"sibling subdomains", "js.app.localhost", "go.app.localhost", "app.localhost"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := chromium.New(t)
			const secret = "a-secret-both-sides-hold-0123456789"
			sharedSession(t, p, expressapp.Start(t, secret, tc.jsHost, tc.domain), startGo(t, secret, tc.goHost, tc.domain))
		})
	}
}

// sharedSession runs the two sign-ins and sign-outs in p, with the
// Auth.js application at js and the Go one at goApp.
func sharedSession(t *testing.T, p *chromium.Page, js, goApp string) {

	t.Log("sign in on Auth.js, be signed in on Go, sign out on Go")
	if got := who(p, goApp); got != "signed out" {
		t.Fatalf("Go before: %q", got)
	}
	p.Navigate(js + "/auth/signin")
	p.Fill("#input-username-for-credentials-provider", "ada")
	p.Fill("#input-password-for-credentials-provider", "pw")
	p.ClickAndLoad(`form[action$="/callback/credentials"] button`)
	if got := who(p, js); got != "Ada Lovelace" {
		t.Fatalf("Auth.js after its sign-in: %q", got)
	}
	if c := p.Cookie("authjs.session-token"); c == nil {
		t.Fatal("no authjs.session-token")
	} else {
		t.Logf("Auth.js's session cookie: domain %q", c.Domain)
	}
	if got := who(p, goApp); got != "Ada Lovelace" {
		t.Fatalf("Go after Auth.js's sign-in: %q", got)
	}
	p.Screenshot("go-signed-in-by-authjs")
	p.Navigate(goApp + "/api/auth/signout")
	p.ClickAndLoad("#signout")
	if got := who(p, goApp); got != "signed out" {
		t.Errorf("Go after its sign-out: %q", got)
	}
	if got := who(p, js); got != "signed out" {
		t.Errorf("Auth.js after Go's sign-out: %q", got)
	}

	t.Log("sign in on Go, be signed in on Auth.js, sign out on Auth.js")
	p.Navigate(goApp + "/api/auth/signin")
	p.Fill("#password-username", "ada")
	p.Fill("#password-password", "pw")
	p.ClickAndLoad("#signin-password")
	if got := who(p, goApp); got != "Ada Lovelace" {
		t.Fatalf("Go after its sign-in: %q", got)
	}
	if got := who(p, js); got != "Ada Lovelace" {
		t.Fatalf("Auth.js after Go's sign-in: %q", got)
	}
	p.Screenshot("authjs-signed-in-by-go")
	p.Navigate(js + "/auth/signout")
	p.ClickAndLoad(`form[action$="/signout"] button`)
	if got := who(p, js); got != "signed out" {
		t.Errorf("Auth.js after its sign-out: %q", got)
	}
	if got := who(p, goApp); got != "signed out" {
		t.Errorf("Go after Auth.js's sign-out: %q", got)
	}
	p.NoErrors()
}
