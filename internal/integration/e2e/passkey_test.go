package e2e

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/internal/integration/chromium"
	"github.com/authgen/authgen/internal/integration/fakeidp"
)

// TestPasskeySignIn is passkeys as a user adds them: a project made by
// `authgen init --yes` (GitHub, e-mail, SQLite, database sessions) and
// `authgen add provider passkey` is built and started on
// http://localhost (a relying party ID cannot be an IP address), and
// headless Chromium with a virtual platform authenticator signs in with
// the fake GitHub, registers a passkey at /api/auth/passkeys, signs out,
// and signs in again with the sign-in page's passkey button: /me shows the
// same user, signed in with the passkey. With passkey.signup set (and
// `authgen generate`), a visitor with another authenticator signs up with
// a passkey: a new user, with a name and no address.
func TestPasskeySignIn(t *testing.T) {
	p := chromium.New(t) // skips first when there is no Chromium

	dir := filepath.Join(t.TempDir(), "passkeyapp")
	run(t, filepath.Dir(dir), nil, authgen(t), "init", "passkeyapp", "--module", "example.com/passkeyapp", "--yes")
	out := run(t, dir, nil, authgen(t), "add", "provider", "passkey")
	if !strings.Contains(out, "Added passkey (Passkey) to authgen.yaml.") {
		t.Fatalf("add provider passkey:\n%s", out)
	}
	if mod, err := os.ReadFile(filepath.Join(dir, "go.mod")); err != nil || !strings.Contains(string(mod), "github.com/authgen/authgen/runtime/passkey ") {
		t.Fatalf("go.mod does not require the passkey module (%v):\n%s", err, mod)
	}
	// Visitors may sign up with a passkey, as the output says.
	if !strings.Contains(out, "passkey.signup: true") {
		t.Fatalf("add provider passkey does not say how to allow sign-up:\n%s", out)
	}
	yaml := filepath.Join(dir, "authgen.yaml")
	src, err := os.ReadFile(yaml)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(yaml, append(src, "passkey:\n  signup: true\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, nil, authgen(t), "generate")
	bin := build(t, dir)
	// The app is on localhost; the browser reaches the fake GitHub on
	// 127.0.0.1, another site, as github.com is.
	gh := fakeidp.NewGitHub(t, octocat)
	port := freePort(t)
	base := "http://localhost:" + port
	a := launch(t, base, bin, dir, append(os.Environ(), append([]string{"PORT=" + port, "AUTH_URL=" + base}, gh.Env()...)...))
	auth := p.AddAuthenticator(chromium.PlatformAuthenticator())
	// The passkey button, not the autofill: the virtual authenticator
	// would answer the page's conditional request at once.
	p.NoConditionalMediation()

	// Signed in with GitHub, register a passkey.
	p.Navigate(a.URL + "/api/auth/signin?callbackUrl=" + url.QueryEscape(a.URL+"/api/auth/passkeys"))
	p.ClickAndLoad("#signin-github")
	p.WaitURL("/api/auth/passkeys")
	p.WaitVisible("#no-passkeys")
	p.Screenshot("passkeys-empty")
	p.Fill("#passkey-name", "Laptop")
	p.Click("#passkey-add-button")
	p.WaitText("Laptop")
	p.Screenshot("passkeys-registered")
	creds := auth.Credentials()
	if len(creds) != 1 || !creds[0].IsResidentCredential || creds[0].RpID != "localhost" {
		t.Fatalf("the authenticator holds %+v: want one discoverable credential of relying party localhost", creds)
	}
	before := meJSON(t, p, a)
	if before["provider"] != "github" || before["email"] != "octocat@example.com" {
		t.Fatalf("/me after the GitHub sign-in = %v", before)
	}

	// Sign out with the sign-out page's button.
	p.Navigate(a.URL + "/api/auth/signout?callbackUrl=" + url.QueryEscape(a.URL+"/"))
	p.ClickAndLoad("button#signout")
	p.WaitText("You are not signed in")
	if c := p.Cookie("authgen.session-token"); c != nil {
		t.Fatalf("session cookie after sign-out: %+v", c)
	}

	// Sign in with the passkey, from the sign-in page's button.
	p.Navigate(a.URL + "/me")
	p.WaitURL("/api/auth/signin")
	if got := p.Text("#signin-passkey"); got != "Sign in with a passkey" {
		t.Errorf("passkey button says %q", got)
	}
	p.Screenshot("signin")
	p.Click("#signin-passkey")
	p.WaitURL("/me")
	after := meJSON(t, p, a)
	if after["id"] != before["id"] || !storedID(stringOf(after["id"])) || after["email"] != "octocat@example.com" || after["provider"] != "passkey" {
		t.Errorf("/me after the passkey sign-in = %v, want the user of %v signed in with passkey", after, before)
	}

	// Signed out, a visitor with another authenticator signs up with a
	// passkey from the sign-in page: a new user, named, without an address.
	p.Navigate(a.URL + "/api/auth/signout?callbackUrl=" + url.QueryEscape(a.URL+"/"))
	p.ClickAndLoad("button#signout")
	p.WaitText("You are not signed in")
	auth.Remove()
	p.AddAuthenticator(chromium.PlatformAuthenticator())
	p.Navigate(a.URL + "/me")
	p.WaitURL("/api/auth/signin")
	p.Fill("#signup-name", "Grace")
	p.Screenshot("signup")
	p.Click("#signup-passkey")
	p.WaitURL("/me")
	grace := meJSON(t, p, a)
	if grace["name"] != "Grace" || grace["email"] != "" && grace["email"] != nil || grace["id"] == before["id"] || !storedID(stringOf(grace["id"])) || grace["provider"] != "passkey" {
		t.Errorf("/me after signing up with a passkey = %v, want a new user Grace without an address", grace)
	}
	p.NoErrors()
}

// meJSON returns /me's JSON as the browser sees it.
func meJSON(t *testing.T, p *chromium.Page, a *app) map[string]any {
	t.Helper()
	p.Navigate(a.URL + "/me")
	p.WaitURL("/me")
	var m map[string]any
	if err := json.Unmarshal([]byte(p.Text("body")), &m); err != nil {
		t.Fatalf("/me: %v: %s", err, p.Text("body"))
	}
	return m
}
