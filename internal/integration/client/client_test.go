// Package client tests the browser client, {basePath}/client.js, in a real
// Chromium against a runtime/server application: tabs of one browser keep
// in step when one signs in or out (BroadcastChannel, and the storage
// event where there is none), the data attributes work without a line of
// the page's own JavaScript, and keepalives keep a short session alive
// while a tab is open, which ends once it is closed. Time passes on the
// server's injected clock, so minutes of a session take seconds; no test
// asserts a timing beyond a generous bound.
package client

import (
	"context"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"

	"github.com/authgen/authgen/internal/integration/chromium"
	"github.com/authgen/authgen/internal/integration/testkit"
	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/session"
)

func TestMain(m *testing.M) {
	code := m.Run()
	chromium.Close()
	os.Exit(code)
}

// basePath is not the default, so the script must find it from its own URL.
const basePath = "/auth"

// syncBound is how long a tab may take to follow another: the issue asks
// for a second; the bound is generous, so a slow machine does not fail.
const syncBound = 10 * time.Second

// app is an application with an OpenID provider (corp) and a credentials
// provider (password: any user name, the password "secret"), JWT sessions,
// its API under /auth, and one page using client.js.
type app struct {
	t      *testing.T
	origin string
	clock  *testkit.Clock
	// sessionGets counts the requests for GET /auth/session (keepalives
	// among them), as they arrive.
	sessionGets atomic.Int64
	logs        *testkit.LogBuffer
}

// page is the application's page: what a Go application renders with
// html/template, with client.js and its data attributes, and no script of
// its own.
var appPage = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>App</title>
<script src="{{.Script}}"{{with .KeepAlive}} data-keepalive="{{.}}"{{end}}{{if .Reload}} data-reload{{end}} defer></script>
</head>
<body>
<h1>App</h1>
<p id="server">{{with .Session}}Rendered for {{.User.Name}}{{else}}Rendered for nobody{{end}}</p>
<div id="in" data-authgen-if="signed-in" hidden>
<p>Signed in as <strong id="name" data-authgen-session="user.name"></strong> (<span id="email" data-authgen-session="user.email"></span>).</p>
<button id="signout" data-authgen-signout>Sign out</button>
</div>
<div id="out" data-authgen-if="signed-out" hidden>
<p>You are not signed in.</p>
<button id="signin" data-authgen-signin="corp">Sign in with Corp</button>
</div>
</body>
</html>
`))

func newApp(t *testing.T, opts session.Options) *app {
	t.Helper()
	a := &app{t: t, clock: testkit.NewClock(), logs: &testkit.LogBuffer{}}
	corp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: `{"sub":"ada","email":"ada@example.com","email_verified":true,"name":"Ada"}`})
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	var auth *server.Auth
	mux := http.NewServeMux()
	mux.HandleFunc(basePath+"/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == basePath+"/session" {
			a.sessionGets.Add(1)
		}
		auth.ServeHTTP(w, r)
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		s, _ := auth.Session(r)
		_ = appPage.Execute(w, map[string]any{
			"Script": server.ClientScriptURL(basePath), "Session": s,
			"KeepAlive": r.URL.Query().Get("keepalive"), "Reload": r.URL.Query().Has("reload"),
		})
	})
	srv := httptest.NewServer(server.SecureHeaders(mux))
	t.Cleanup(srv.Close)
	a.origin = srv.URL
	origin, _ := url.Parse(srv.URL)
	auth, err = server.New(server.Config{
		URL:      origin,
		BasePath: basePath,
		Keys:     ks,
		Session:  opts,
		Providers: []*oauth.Provider{{
			ID: "corp", Name: "Corp", Type: oauth.TypeOIDC, ClientID: corp.ClientID, ClientSecret: corp.ClientSecret, Issuer: corp.Issuer,
			Scopes: []string{"openid", "email", "profile"}, Checks: oauth.PKCE | oauth.State | oauth.Nonce,
			Profile: oauth.Map(func(c *struct {
				Sub   string `json:"sub"`
				Email string `json:"email"`
				Name  string `json:"name"`
			}) oauth.User {
				return oauth.User{ID: c.Sub, Email: c.Email, EmailVerified: true, Name: c.Name}
			}, nil),
		}},
		Credentials: []*server.Credentials{{
			ID: "password", Name: "Password", Identifier: "username",
			Fields: []server.CredentialField{{Name: "username"}, {Name: "password", Type: server.FieldPassword}},
			Authorize: func(_ context.Context, in server.CredentialsInput) (*server.Identity, error) {
				if in.Fields["password"] != "secret" || in.Fields["username"] == "" {
					return nil, server.ErrCredentials
				}
				u := in.Fields["username"]
				return &server.Identity{ID: u, Name: strings.ToUpper(u[:1]) + u[1:], Email: u + "@example.com"}, nil
			},
		}},
		HTTPClient: corp.Client(),
		Logger:     slog.New(slog.NewTextHandler(a.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:        a.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", a.logs)
		}
	})
	return a
}

// open loads the application's page in p and waits until client.js has
// shown the session's state.
func (a *app) open(p *chromium.Page, query string) {
	a.t.Helper()
	p.Navigate(a.origin + "/" + query)
	p.WaitVisible("html[data-authgen-state]")
}

// state is what the page shows: "signed-in as NAME" or "signed-out".
func state(p *chromium.Page) string {
	var s string
	p.Eval(`(() => {
		if (!document.documentElement || !document.getElementById("in")) return "loading";
		const state = document.documentElement.dataset.authgenState || "";
		const shown = id => !document.getElementById(id).hidden;
		if (state === "signed-in" && shown("in") && !shown("out")) return "signed-in as " + document.getElementById("name").textContent;
		if (state === "signed-out" && shown("out") && !shown("in")) return "signed-out";
		return "inconsistent: " + state;
	})()`, &s)
	return s
}

// waitState waits, up to syncBound, until p shows want.
func waitState(t *testing.T, p *chromium.Page, want string) {
	t.Helper()
	deadline := time.Now().Add(syncBound)
	for {
		got := state(p)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page shows %q, not %q, after %v", got, want, syncBound)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// watch keeps the page from re-checking the session on focus (so only the
// other tab's message can update it), marks the document (so a reload
// shows), and records what onChange reports.
func watch(p *chromium.Page) {
	p.Eval(`authgen.configure({refetchOnWindowFocus: false});
		window.unreloaded = true;
		window.changes = [];
		authgen.onChange(s => window.changes.push(s ? s.user.email : null));
		true`, nil)
}

// changes returns what onChange reported in p since watch, and checks that
// the page was not reloaded.
func changes(t *testing.T, p *chromium.Page) []*string {
	t.Helper()
	var out struct {
		Unreloaded bool
		Changes    []*string
	}
	p.Eval(`({unreloaded: window.unreloaded === true, changes: window.changes || []})`, &out)
	if !out.Unreloaded {
		t.Fatal("the page was reloaded; it should have followed the other tab by itself")
	}
	return out.Changes
}

func describe(changes []*string) string {
	var parts []string
	for _, c := range changes {
		if c == nil {
			parts = append(parts, "null")
		} else {
			parts = append(parts, *c)
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// TestTabs: two tabs of one browser show the application's page. Signing
// in with the page's data-authgen-signin button in one (a real OpenID
// Connect sign-in) shows the other as signed in, without a reload or a
// focus; the data-authgen-signout button in the other signs both out; the
// JavaScript API's signIn with a credentials provider and redirect: false
// signs both in again, and signOut out. With BroadcastChannel, and with
// the storage event when the browser has none.
func TestTabs(t *testing.T) {
	for _, tc := range []struct {
		name string
		// script runs in each tab before the page's scripts.
		script string
	}{
		{"BroadcastChannel", ""},
		{"storage event", `window.BroadcastChannel = undefined;`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			one := chromium.New(t)
			two := one.NewTab()
			a := newApp(t, session.Options{})
			if tc.script != "" {
				for _, p := range []*chromium.Page{one, two} {
					chromium.Call(p, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: tc.script})
				}
			}
			a.open(one, "")
			a.open(two, "")
			waitState(t, one, "signed-out")
			waitState(t, two, "signed-out")
			watch(two)

			// The sign-in button: a provider's sign-in and back to the page.
			one.Click("#signin")
			one.WaitURL(a.origin + "/")
			waitState(t, one, "signed-in as Ada")
			if got := one.Text("#email"); got != "ada@example.com" {
				t.Errorf("data-authgen-session=user.email shows %q", got)
			}
			waitState(t, two, "signed-in as Ada")
			one.Screenshot("signed-in")
			watch(one)

			// The sign-out button in the other tab.
			two.Click("#signout")
			waitState(t, two, "signed-out")
			waitState(t, one, "signed-out")
			if got := describe(changes(t, one)); got != "[ada@example.com, null]" {
				t.Errorf("onChange in the first tab: %s, want the session once known, then null", got)
			}
			if c := one.Cookie("authgen.session-token"); c != nil {
				t.Errorf("a session cookie after sign-out: %v", c)
			}

			// The API: credentials without leaving the page.
			a.open(two, "")
			watch(two)
			var res struct {
				OK     bool    `json:"ok"`
				Error  *string `json:"error"`
				Status int     `json:"status"`
				URL    *string `json:"url"`
			}
			one.Eval(`authgen.signIn("password", {username: "grace", password: "secret", redirect: false})`, &res)
			if !res.OK || res.Error != nil || res.Status != http.StatusOK || res.URL == nil {
				t.Fatalf("signIn(password, redirect: false) = %+v", res)
			}
			waitState(t, one, "signed-in as Grace")
			waitState(t, two, "signed-in as Grace")
			var email string
			two.Eval(`authgen.session().then(s => s.user.email)`, &email)
			if email != "grace@example.com" {
				t.Errorf("session() in the other tab: user.email %q", email)
			}
			var out struct {
				URL string `json:"url"`
				OK  bool   `json:"ok"`
			}
			two.Eval(`authgen.signOut({redirect: false, callbackUrl: "/bye"})`, &out)
			if !out.OK || out.URL != a.origin+"/bye" {
				t.Errorf("signOut({redirect: false}) = %+v", out)
			}
			waitState(t, two, "signed-out")
			waitState(t, one, "signed-out")
			var none any = "unset"
			one.Eval(`authgen.session()`, &none)
			if none != nil {
				t.Errorf("session() after sign-out = %v, want null", none)
			}
			if got := describe(changes(t, two)); got != "[null, grace@example.com, null]" {
				t.Errorf("onChange in the second tab: %s", got)
			}
			one.NoErrors()
			two.NoErrors()
		})
	}
}

// TestReload: a page the server rendered for the session it had, whose
// script has data-reload, is loaded again when another tab signs in, and
// again when it signs out, so the server renders it anew.
func TestReload(t *testing.T) {
	one := chromium.New(t)
	two := one.NewTab()
	a := newApp(t, session.Options{})
	a.open(one, "")
	a.open(two, "?reload")
	if got := two.Text("#server"); got != "Rendered for nobody" {
		t.Fatalf("the server rendered %q", got)
	}
	one.Eval(`authgen.signIn("password", {username: "grace", password: "secret", redirect: false}).then(r => r.ok)`, nil)
	two.Timeout = syncBound // WaitText keeps looking across the reloads
	two.WaitText("Rendered for Grace")
	one.Eval(`authgen.signOut({redirect: false}).then(r => r.ok)`, nil)
	two.WaitText("Rendered for nobody")
	one.NoErrors()
	two.NoErrors()
}

// TestFocus: a tab re-checks the session when it gets the focus, so a
// sign-out that told no tab (a plain POST /signout, not the client's) shows
// there then.
func TestFocus(t *testing.T) {
	one := chromium.New(t)
	two := one.NewTab()
	a := newApp(t, session.Options{})
	a.open(one, "")
	one.Eval(`authgen.signIn("password", {username: "grace", password: "secret", redirect: false}).then(r => r.ok)`, nil)
	a.open(two, "")
	waitState(t, two, "signed-in as Grace")
	var status int
	one.Eval(`fetch("`+basePath+`/csrf").then(r => r.json()).then(c => fetch("`+basePath+`/signout", {method: "POST",
		headers: {"Content-Type": "application/x-www-form-urlencoded"},
		body: new URLSearchParams({csrfToken: c.csrfToken, json: "true"})})).then(r => r.status)`, &status)
	if status != http.StatusOK {
		t.Fatalf("POST /signout: %d", status)
	}
	two.Eval(`window.dispatchEvent(new Event("focus")); true`, nil)
	waitState(t, two, "signed-out")
	two.NoErrors()
}

// TestSignInRefused: a credentials sign-in with the wrong password and
// redirect: false answers the error code and changes nothing; signIn
// without a provider goes to the sign-in page and back.
func TestSignInRefused(t *testing.T) {
	p := chromium.New(t)
	a := newApp(t, session.Options{})
	a.open(p, "")
	watch(p)
	var res struct {
		OK    bool    `json:"ok"`
		Error *string `json:"error"`
		URL   *string `json:"url"`
	}
	p.Eval(`authgen.signIn("password", {username: "grace", password: "wrong", redirect: false})`, &res)
	if res.OK || res.Error == nil || *res.Error != string(server.CodeCredentialsSignin) || res.URL != nil {
		t.Errorf("signIn with a wrong password = %+v, want ok false, error CredentialsSignin", res)
	}
	waitState(t, p, "signed-out")
	if got := describe(changes(t, p)); got != "[null]" {
		t.Errorf("onChange: %s", got)
	}
	p.Eval(`authgen.signIn(); true`, nil)
	u := p.WaitURL(basePath + "/signin")
	if q, _ := url.Parse(u); q.Query().Get("callbackUrl") != a.origin+"/" {
		t.Errorf("signIn() went to %s", u)
	}
}

// TestKeepAlive: a session of 2 minutes (renewed when older than 30 s)
// lives for 5 minutes of the server's clock while a tab with
// data-keepalive is open — the clock moves 20 s at a time, and each time
// the test waits until a keepalive has reached the server — and has ended
// 3 minutes after the tab was closed.
func TestKeepAlive(t *testing.T) {
	one := chromium.New(t)
	a := newApp(t, session.Options{MaxAge: 2 * time.Minute, UpdateAge: 30 * time.Second})

	a.open(one, "")
	var res struct{ OK bool }
	one.Eval(`authgen.signIn("password", {username: "grace", password: "secret", redirect: false})`, &res)
	if !res.OK {
		t.Fatal("the sign-in failed")
	}
	waitState(t, one, "signed-in as Grace")
	// The first tab leaves the application: only the second keeps the
	// session alive.
	one.Navigate("about:blank")

	two := one.NewTab()
	a.open(two, "?keepalive=1")
	waitState(t, two, "signed-in as Grace")
	const step = 20 * time.Second
	for elapsed := step; elapsed <= 5*time.Minute; elapsed += step {
		seen := a.sessionGets.Load()
		a.clock.Advance(step)
		a.waitSessionGet(seen, fmt.Sprintf("a keepalive %v into the session", elapsed))
	}
	waitState(t, two, "signed-in as Grace")
	var email string
	two.Eval(`authgen.session().then(s => s && s.user.email)`, &email)
	if email != "grace@example.com" {
		t.Fatalf("after 5 minutes with a tab open the session is %q, want grace's", email)
	}
	two.NoErrors()

	two.Close()
	a.clock.Advance(3 * time.Minute)
	a.open(one, "")
	waitState(t, one, "signed-out")
	one.NoErrors()
}

// waitSessionGet waits, up to syncBound, until a GET /session arrives
// after the seen-th.
func (a *app) waitSessionGet(seen int64, what string) {
	a.t.Helper()
	deadline := time.Now().Add(syncBound)
	for a.sessionGets.Load() <= seen {
		if time.Now().After(deadline) {
			a.t.Fatalf("no %s within %v", what, syncBound)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
