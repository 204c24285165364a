package passkeys

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/internal/integration/chromium"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/totp"
)

// sessionName is the signed-in user's name from GET /session ("" signed
// out).
func sessionName(p *chromium.Page, a *app) string {
	var name string
	p.Eval(`fetch(`+js(a.base+"/session")+`).then(r => r.json()).then(s => (s && s.user && s.user.name) || "")`, &name)
	return name
}

// signInWithCorp signs in with the OIDC provider from the sign-in page and
// waits for wantPath.
func signInWithCorp(p *chromium.Page, a *app, wantPath string) {
	p.Navigate(a.base + "/signin?callbackUrl=" + url.QueryEscape(a.origin+"/dashboard"))
	p.ClickAndLoad("#signin-corp")
	p.WaitURL(wantPath)
}

// TestPasskeySignUpInChromium: with PasskeySignUp, a visitor signs up
// from the sign-in page (its conditional request running) with a name and
// a new passkey: the user is created with the credential's user handle as
// ID, without an e-mail address, and signed in; signed out, the passkey
// signs them in again. A sign-up the SignIn callback refuses creates
// nothing.
func TestPasskeySignUpInChromium(t *testing.T) {
	p := chromium.New(t)
	a := newApp(t, func(c *server.Config) {
		c.PasskeySignUp = true
		c.Callbacks.SignIn = func(_ context.Context, in *server.SignInInput) error {
			if in.User.Name == "Mallory" {
				return errors.New("not Mallory")
			}
			return nil
		}
	})
	auth := p.AddAuthenticator(chromium.PlatformAuthenticator())
	ctx := context.Background()

	p.Navigate(a.base + "/signin?callbackUrl=" + url.QueryEscape(a.origin+"/dashboard"))
	p.Fill("#signup-name", "Grace")
	p.Click("#signup-passkey")
	p.WaitURL("/dashboard")
	if got := sessionName(p, a); got != "Grace" {
		t.Fatalf("signed up, the session's user is %q, want Grace", got)
	}
	creds := auth.Credentials()
	if len(creds) != 1 || !creds[0].IsResidentCredential {
		t.Fatalf("the authenticator holds %+v, want one discoverable credential", creds)
	}
	id := base64.RawURLEncoding.EncodeToString(creds[0].CredentialID)
	u, err := a.st.GetUserByAccount(ctx, server.PasskeyProviderID, id)
	if err != nil {
		t.Fatalf("the passkey's account: %v", err)
	}
	handle := creds[0].UserHandle
	if u.Name != "Grace" || u.Email != "" || u.ID != string(handle) {
		t.Fatalf("user %+v; the credential's user handle %q: want Grace, no address, the handle as ID", u, handle)
	}
	if list, err := a.st.ListPasskeys(ctx, u.ID); err != nil || len(list) != 1 || list[0].ID != id {
		t.Fatalf("the user's passkeys: %+v, %v", list, err)
	}

	// Signed out, the passkey signs in (conditional UI).
	signOut(p, a)
	p.Navigate(a.base + "/signin?callbackUrl=" + url.QueryEscape(a.origin+"/dashboard"))
	p.WaitURL("/dashboard")
	if got := sessionName(p, a); got != "Grace" {
		t.Fatalf("signed in with the new passkey as %q, want Grace", got)
	}

	// The SignIn callback refuses: no user, no passkey, no account.
	signOut(p, a)
	auth.Remove()
	auth = p.AddAuthenticator(chromium.PlatformAuthenticator())
	p.Navigate(a.base + "/signin?callbackUrl=" + url.QueryEscape(a.origin+"/dashboard"))
	p.Fill("#signup-name", "Mallory")
	p.Click("#signup-passkey")
	p.WaitURL("/api/auth/error")
	if got := sessionName(p, a); got != "" {
		t.Fatalf("a refused sign-up is signed in as %q", got)
	}
	refused := auth.Credentials()
	if len(refused) != 1 {
		t.Fatalf("the authenticator holds %d credentials, want the refused one", len(refused))
	}
	rid := base64.RawURLEncoding.EncodeToString(refused[0].CredentialID)
	if _, err := a.st.GetPasskey(ctx, rid); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the refused sign-up's passkey: %v, want ErrNotFound", err)
	}
	rhandle := refused[0].UserHandle
	if _, err := a.st.GetUser(ctx, string(rhandle)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the refused sign-up's user: %v, want ErrNotFound", err)
	}
}

// enrolTOTP turns two-factor sign-in on for the user of the address with
// the runtime calls, and returns the secret.
func enrolTOTP(t *testing.T, a *app, email string) string {
	t.Helper()
	ctx := context.Background()
	u, err := a.st.GetUserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	en, err := a.auth.BeginTwoFactor(ctx, server.User{ID: u.ID, Email: u.Email, Name: u.Name})
	if err != nil {
		t.Fatal(err)
	}
	code, err := totp.Code(en.Secret, totp.Step(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.auth.ConfirmTwoFactor(ctx, u.ID, code); err != nil {
		t.Fatal(err)
	}
	return en.Secret
}

// addPasskey adds a passkey on the passkeys page, signed in.
func addPasskey(p *chromium.Page, a *app, name string) {
	p.Navigate(a.base + "/passkeys")
	p.Fill("#passkey-name", name)
	p.Click("#passkey-add-button")
	p.WaitText(name)
}

// TestPasskeySecondFactorInChromium (TwoFactorOptional): a user with an
// authenticator app and a passkey signs in with the OIDC provider and
// answers the second step with the passkey; a passkey sign-in whose
// authenticator verifies the user asks no second step; one on a security
// key that cannot verify the user is asked, where its own passkey is not
// offered and a code answers.
func TestPasskeySecondFactorInChromium(t *testing.T) {
	p := chromium.New(t)
	p.NoConditionalMediation()
	a := newApp(t, func(c *server.Config) { c.TwoFactor = &server.TwoFactor{Mode: server.TwoFactorOptional} })
	auth := p.AddAuthenticator(chromium.PlatformAuthenticator())

	signInWithCorp(p, a, "/dashboard")
	secret := enrolTOTP(t, a, "ada@example.com")
	addPasskey(p, a, "Laptop")
	p.Navigate(a.base + "/2fa")
	if !p.Has("#passkeys-too") {
		t.Error("the two-factor page does not say that passkeys answer the second step")
	}
	signOut(p, a)

	// The provider, then the passkey as the second step.
	signInWithCorp(p, a, "/api/auth/2fa/verify")
	if !p.Has("#code") || !p.Has("#verify-passkey") {
		t.Fatalf("the second step offers no code field or no passkey:\n%s", p.HTML())
	}
	if got := sessionName(p, a); got != "" {
		t.Fatalf("signed in as %q before the second step", got)
	}
	p.Click("#verify-passkey")
	p.WaitURL("/dashboard")
	if got := sessionName(p, a); got != "Ada" {
		t.Fatalf("after the passkey, the session's user is %q, want Ada", got)
	}

	// A passkey with user verification is two factors.
	signOut(p, a)
	p.Navigate(a.base + "/signin?callbackUrl=" + url.QueryEscape(a.origin+"/dashboard"))
	p.Click("#signin-passkey")
	p.WaitURL("/dashboard")
	if got := sessionName(p, a); got != "Ada" {
		t.Fatalf("passkey sign-in with UV: session user %q, want Ada", got)
	}

	// A second passkey (Key), used without user verification (the
	// request asks for none, as a page of the application might): the
	// sign-in goes on to the second step, which does not offer Key and
	// takes a code or Laptop's passkey.
	auth.Remove()
	auth = p.AddAuthenticator(chromium.PlatformAuthenticator())
	addPasskey(p, a, "Key")
	signOut(p, a)
	csrf := openSignIn(p, a)
	var options map[string]any
	p.Eval(`pk.options(`+js(a.base)+`,`+js(csrf)+`)`, &options)
	options["publicKey"].(map[string]any)["userVerification"] = "discouraged"
	raw, _ := json.Marshal(options)
	var assertion json.RawMessage
	p.Eval(`pk.get(`+string(raw)+`)`, &assertion)
	var got answer
	p.Eval(`pk.post(`+js(a.base)+`,`+js(csrf)+`,`+string(assertion)+`)`, &got)
	if got.Status != 200 || !strings.HasSuffix(got.Body.URL, "/api/auth/2fa/verify") {
		t.Fatalf("a passkey sign-in without user verification: %+v, want the second step", got)
	}
	p.Navigate(got.Body.URL)
	if !p.Has("#verify-passkey") || !p.Has("#code") {
		t.Fatal("the second step does not offer the other passkey (Laptop) and a code")
	}
	var offered []string
	p.Eval(`fetch(`+js(a.base+"/2fa/passkey/options")+`, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({csrfToken: document.querySelector("#passkey-second-factor").dataset.csrf})}).then(r => r.json()).then(o => o.publicKey.allowCredentials.map(c => c.id))`, &offered)
	key := base64.RawURLEncoding.EncodeToString(auth.Credentials()[0].CredentialID)
	if len(offered) != 1 || offered[0] == key {
		t.Fatalf("the second step offers %q; want Laptop's passkey only, not %q (the first step's)", offered, key)
	}
	// The next step's code: the enrolment used this one's.
	code, err := totp.Code(secret, totp.Step(time.Now())+1)
	if err != nil {
		t.Fatal(err)
	}
	p.Fill("#code", code)
	p.ClickAndLoad("#verify")
	p.WaitURL("/dashboard")
	if got := sessionName(p, a); got != "Ada" {
		t.Fatalf("passkey without UV, then a code: session user %q, want Ada", got)
	}
}

// TestPasskeyRequiredSecondFactorInChromium (TwoFactorRequired): a new
// user, sent to set up a second step after the provider, adds a passkey
// instead of an app, which starts the session; from then on the provider's
// sign-in asks for the passkey (no code field: there is no app).
func TestPasskeyRequiredSecondFactorInChromium(t *testing.T) {
	p := chromium.New(t)
	p.NoConditionalMediation()
	a := newApp(t, func(c *server.Config) { c.TwoFactor = &server.TwoFactor{Mode: server.TwoFactorRequired} })
	auth := p.AddAuthenticator(chromium.PlatformAuthenticator())

	signInWithCorp(p, a, "/api/auth/2fa")
	if got := sessionName(p, a); got != "" {
		t.Fatalf("signed in as %q before the second step is set up", got)
	}
	p.Click("#passkey-add-button")
	p.WaitURL("/dashboard")
	if got := sessionName(p, a); got != "Ada" {
		t.Fatalf("after adding a passkey as the second step, session user %q, want Ada", got)
	}
	if n := len(auth.Credentials()); n != 1 {
		t.Fatalf("the authenticator holds %d credentials, want 1", n)
	}

	signOut(p, a)
	signInWithCorp(p, a, "/api/auth/2fa/verify")
	if p.Has("#code") || !p.Has("#verify-passkey") {
		t.Fatalf("want the passkey and no code field:\n%s", p.HTML())
	}
	p.Click("#verify-passkey")
	p.WaitURL("/dashboard")
	if got := sessionName(p, a); got != "Ada" {
		t.Fatalf("after the passkey, session user %q, want Ada", got)
	}
}

// registerJS registers a passkey through the application's own endpoints
// (the runtime calls) and answers {first, again}: the registration, and
// the same answer posted a second time.
const registerJS = `(async () => {
  const dec = s => { s = s.replace(/-/g, "+").replace(/_/g, "/"); while (s.length % 4) s += "="; return Uint8Array.from(atob(s), c => c.charCodeAt(0)).buffer; };
  const enc = b => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const o = await (await fetch("/app/passkeys/options", {method: "POST"})).json();
  const pk = o.options.publicKey;
  pk.challenge = dec(pk.challenge); pk.user.id = dec(pk.user.id);
  (pk.excludeCredentials || []).forEach(c => c.id = dec(c.id));
  const c = await navigator.credentials.create({publicKey: pk});
  const body = JSON.stringify({state: o.state, name: "Desk", response: {id: c.id, rawId: enc(c.rawId), type: c.type, clientExtensionResults: {},
    response: {clientDataJSON: enc(c.response.clientDataJSON), attestationObject: enc(c.response.attestationObject), transports: c.response.getTransports()}}});
  const post = async () => { const r = await fetch("/app/passkeys/register", {method: "POST", body}); return {status: r.status, body: await r.json()}; };
  return {first: await post(), again: await post()};
})()`

// TestPasskeyRuntimeCallsInChromium: an application's own page adds a
// passkey through BeginPasskeyRegistration and FinishPasskeyRegistration;
// the state is used once (the same answer again is refused); the passkey
// is listed, renamed and signs in.
func TestPasskeyRuntimeCallsInChromium(t *testing.T) {
	p := chromium.New(t)
	p.NoConditionalMediation()
	a := newApp(t)
	auth := p.AddAuthenticator(chromium.PlatformAuthenticator())
	signInWithCorp(p, a, "/dashboard")

	var got struct {
		First, Again struct {
			Status int
			Body   map[string]string
		}
	}
	p.Eval(registerJS, &got)
	if got.First.Status != 200 || got.First.Body["name"] != "Desk" {
		t.Fatalf("registering through the runtime calls: %+v", got.First)
	}
	if got.Again.Status != 400 || got.Again.Body["passkey"] != "true" {
		t.Fatalf("the same state and answer again: %+v, want refused with ErrPasskey", got.Again)
	}
	ctx := context.Background()
	u, err := a.st.GetUserByEmail(ctx, "ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	list, err := a.auth.ListPasskeys(ctx, u.ID)
	if err != nil || len(list) != 1 || list[0].ID != got.First.Body["id"] {
		t.Fatalf("ListPasskeys: %+v, %v", list, err)
	}
	if id := base64.RawURLEncoding.EncodeToString(auth.Credentials()[0].CredentialID); id != list[0].ID {
		t.Fatalf("stored %q, the authenticator holds %q", list[0].ID, id)
	}
	if err := a.auth.RenamePasskey(ctx, u.ID, list[0].ID, "Desk at home"); err != nil {
		t.Fatal(err)
	}
	if err := a.auth.RenamePasskey(ctx, "someone-else", list[0].ID, "Mine"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("renaming another user's passkey: %v, want ErrNotFound", err)
	}
	if err := a.auth.RenamePasskey(ctx, u.ID, list[0].ID, " "); !errors.Is(err, server.ErrPasskeyName) {
		t.Errorf("renaming to a blank name: %v, want ErrPasskeyName", err)
	}
	p.Navigate(a.base + "/passkeys")
	p.WaitText("Desk at home")

	signOut(p, a)
	p.Navigate(a.base + "/signin?callbackUrl=" + url.QueryEscape(a.origin+"/dashboard"))
	p.Click("#signin-passkey")
	p.WaitURL("/dashboard")
	if name := sessionName(p, a); name != "Ada" {
		t.Fatalf("signed in with the passkey as %q, want Ada", name)
	}
}
