package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/internal/integration/authjs/expressapp"
	"github.com/authgen/authgen/internal/integration/chromium"
	"github.com/authgen/authgen/internal/integration/fakeidp"
)

// TestAuthJSSharedSession: a project made by `authgen init` (GitHub, JWT
// sessions, no database) with `authjs: {version: 5}` added to authgen.yaml
// and regenerated, built and started beside a real @auth/express
// application on the same loopback host (the ports differ; cookies ignore
// ports), both under one AUTH_SECRET, in Chromium: signing in on the
// Auth.js side shows the user on the generated app's home page, and its
// sign-out link (client.js) signs out of both; signing in with GitHub on
// the Go side signs in on the Auth.js side, whose sign-out then signs out
// of the Go app.
func TestAuthJSSharedSession(t *testing.T) {
	p := chromium.New(t) // skips first when there is no Chromium
	const secret = "a-secret-the-next-js-app-and-go-share-0123"
	js := expressapp.Start(t, secret, "127.0.0.1", "")

	dir := filepath.Join(t.TempDir(), "sharedapp")
	run(t, filepath.Dir(dir), nil, authgen(t), "init", "sharedapp", "--module", "example.com/sharedapp",
		"--db", "none", "--session", "jwt", "--providers", "github", "--yes")
	yaml := filepath.Join(dir, "authgen.yaml")
	data, err := os.ReadFile(yaml)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(yaml, append(data, "authjs:\n  version: 5\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, nil, authgen(t), "generate")
	gh := fakeidp.NewGitHub(t, octocat)
	gh.Consent = true
	a := start(t, build(t, dir), dir, append(gh.Env(), "AUTH_SECRET="+secret)...)

	who := func() string {
		p.Navigate(js + "/")
		return p.Text("#who")
	}

	// Sign in on the Auth.js side: the generated app's page shows the user.
	p.Navigate(js + "/auth/signin")
	p.Fill("#input-username-for-credentials-provider", "ada")
	p.Fill("#input-password-for-credentials-provider", "pw")
	p.ClickAndLoad(`form[action$="/callback/credentials"] button`)
	if got := who(); got != "Ada Lovelace" {
		t.Fatalf("Auth.js after its sign-in: %q", got)
	}
	p.Navigate(a.URL)
	p.WaitText("Signed in as Ada Lovelace (ada@example.com)")
	p.Screenshot("go-signed-in-by-authjs")

	// The generated app's sign-out link signs out of both.
	p.WaitVisible("html[data-authgen-state=signed-in]")
	p.ClickAndLoad("a#signout")
	p.WaitText("You are not signed in")
	if got := who(); got != "signed out" {
		t.Errorf("Auth.js after the Go app's sign-out: %q", got)
	}

	// Sign in with GitHub on the Go side: the Auth.js side sees the user.
	p.Navigate(a.URL + "/api/auth/signin")
	p.ClickAndLoad("#signin-github")
	p.ClickAndLoad("#authorize")
	p.WaitText("Signed in as The Octocat")
	if got := who(); got != "The Octocat" {
		t.Fatalf("Auth.js after the Go app's sign-in: %q", got)
	}
	p.Screenshot("authjs-signed-in-by-go")

	// Auth.js's sign-out signs out of the Go app.
	p.Navigate(js + "/auth/signout")
	p.ClickAndLoad(`form[action$="/signout"] button`)
	if got := who(); got != "signed out" {
		t.Errorf("Auth.js after its sign-out: %q", got)
	}
	p.Navigate(a.URL)
	p.WaitText("You are not signed in")
	if c := p.Cookie("authjs.session-token"); c != nil && c.Value != "" {
		t.Errorf("session cookie after both sign-outs: %+v", c)
	}
	if strings.Contains(p.Text("body"), "Signed in") {
		t.Error("the Go app still shows a user")
	}
}
