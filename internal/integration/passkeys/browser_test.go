package passkeys

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	cdpwebauthn "github.com/chromedp/cdproto/webauthn"

	"github.com/authgen/authgen/internal/integration/chromium"
)

// ceremonyJS defines, in the page, what the tests run by hand: the
// sign-in options from the server (its challenge cookie set) as
// navigator.credentials.get takes them, and an assertion as JSON.
const ceremonyJS = `
window.pk = {
  dec: s => { s = s.replace(/-/g, "+").replace(/_/g, "/"); while (s.length % 4) s += "="; return Uint8Array.from(atob(s), c => c.charCodeAt(0)).buffer; },
  enc: b => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
  options: async (base, csrf) => {
    const r = await fetch(base + "/signin/passkey/options", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({csrfToken: csrf})});
    return r.json();
  },
  get: async (o) => {
    const pk = o.publicKey; pk.challenge = pk.dec ? pk.challenge : window.pk.dec(pk.challenge);
    const c = await navigator.credentials.get({publicKey: pk});
    const r = c.response;
    return {id: c.id, rawId: window.pk.enc(c.rawId), type: c.type, clientExtensionResults: {},
      response: {clientDataJSON: window.pk.enc(r.clientDataJSON), authenticatorData: window.pk.enc(r.authenticatorData),
        signature: window.pk.enc(r.signature), userHandle: window.pk.enc(r.userHandle)}};
  },
  post: async (base, csrf, assertion) => {
    const r = await fetch(base + "/callback/passkey", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({csrfToken: csrf, response: assertion})});
    return {status: r.status, body: await r.json()};
  },
};
true`

// answer is the callback's answer.
type answer struct {
	Status int
	Body   struct{ URL, Error string }
}

// TestPasskeysInChromium: register a passkey while signed in (after an
// OIDC sign-in), sign out, sign in with it from the sign-in page's button;
// a second passkey; delete one; the deleted one is refused; a replayed
// assertion is refused (with its challenge cookie restored, so only the
// server-side record refuses it); an assertion made on another origin is
// refused; a counter going backwards is refused.
func TestPasskeysInChromium(t *testing.T) {
	p := chromium.New(t) // skips first when there is no Chromium
	a := newApp(t)
	auth := p.AddAuthenticator(chromium.PlatformAuthenticator())

	// First sign-in with the provider, then the passkeys page.
	p.Navigate(a.base + "/signin?callbackUrl=" + url.QueryEscape(a.base+"/passkeys"))
	p.ClickAndLoad("#signin-corp")
	p.WaitURL("/api/auth/passkeys")
	p.WaitVisible("#no-passkeys")
	p.Fill("#passkey-name", "Laptop")
	p.Click("#passkey-add-button")
	p.WaitText("Laptop")
	if n := len(auth.Credentials()); n != 1 {
		t.Fatalf("the authenticator holds %d credentials, want 1", n)
	}
	first := auth.Credentials()[0]
	if !first.IsResidentCredential || first.RpID != "localhost" {
		t.Fatalf("credential %+v: want a discoverable credential of relying party localhost", first)
	}

	// Sign out, sign in with the passkey (the button).
	signOut(p, a)
	if c := p.Cookie("authgen.session-token"); c != nil {
		t.Fatal("a session after signing out")
	}
	p.Navigate(a.base + "/signin?callbackUrl=" + url.QueryEscape(a.origin+"/dashboard"))
	// Conditional UI: the page's request with mediation "conditional"
	// is answered by the virtual authenticator as if the user picked the
	// passkey from the autofill, without a click.
	p.WaitURL("/dashboard")
	if c := p.Cookie("authgen.session-token"); c == nil {
		t.Fatal("no session after signing in with the passkey (conditional UI)")
	}

	// The button, in pages where the browser offers no conditional UI
	// (as the rest of the test needs, which runs ceremonies by hand).
	p.NoConditionalMediation()
	signOut(p, a)
	p.Navigate(a.base + "/signin?callbackUrl=" + url.QueryEscape(a.origin+"/dashboard"))
	p.Click("#signin-passkey")
	p.WaitURL("/dashboard")
	if c := p.Cookie("authgen.session-token"); c == nil {
		t.Fatal("no session after signing in with the passkey (button)")
	}
	if p.Has(`#passkey-signin[data-conditional]`) {
		t.Fatal("conditional UI was still on")
	}

	// A second passkey, on another authenticator (this one refuses: it
	// holds a credential the options exclude).
	first = auth.Credentials()[0] // its sign count now
	auth.Remove()
	auth = p.AddAuthenticator(chromium.PlatformAuthenticator())
	p.Navigate(a.base + "/passkeys")
	p.Fill("#passkey-name", "Phone")
	p.Click("#passkey-add-button")
	p.WaitText("Phone")
	if n := len(auth.Credentials()); n != 1 {
		t.Fatalf("the second authenticator holds %d credentials, want 1", n)
	}
	second := auth.Credentials()[0]
	if bytes.Equal(second.CredentialID, first.CredentialID) {
		t.Fatal("the second passkey is the first")
	}

	// Delete the second.
	id := base64.RawURLEncoding.EncodeToString(second.CredentialID)
	p.Submit(`li[data-passkey-id="` + id + `"] form[action$="/passkeys/delete"]`)
	p.WaitText("The passkey was deleted.")
	if p.Has(`li[data-passkey-id="` + id + `"]`) {
		t.Fatal("the deleted passkey is still listed")
	}

	// Signed out, the authenticator holding only the deleted credential:
	// refused.
	signOut(p, a)
	auth.Clear()
	auth.AddCredential(again(second, -2))
	got := tryAssertion(p, a)
	if got.Status != 401 || got.Body.Error != "Passkey" {
		t.Fatalf("sign-in with the deleted passkey: %+v, want 401 Passkey", got)
	}

	// The first credential again: a replayed assertion is refused.
	auth.Clear()
	auth.AddCredential(again(first, -2))
	csrf := openSignIn(p, a)
	var options json.RawMessage
	p.Eval(`pk.options(`+js(a.base)+`,`+js(csrf)+`)`, &options)
	challengeCookie := p.Cookie("authgen.passkey")
	if challengeCookie == nil {
		t.Fatal("no challenge cookie after the options")
	}
	var assertion json.RawMessage
	p.Eval(`pk.get(`+string(options)+`)`, &assertion)
	var ok answer
	p.Eval(`pk.post(`+js(a.base)+`,`+js(csrf)+`,`+string(assertion)+`)`, &ok)
	if ok.Status != 200 || ok.Body.URL == "" {
		t.Fatalf("sign-in with the first passkey: %+v", ok)
	}
	signOut(p, a)
	csrf = openSignIn(p, a)
	chromium.Call(p, network.SetCookie, network.SetCookieParams{Name: challengeCookie.Name, Value: challengeCookie.Value,
		URL: a.origin, Path: challengeCookie.Path, HTTPOnly: new(true), SameSite: challengeCookie.SameSite})
	var replay answer
	p.Eval(`pk.post(`+js(a.base)+`,`+js(csrf)+`,`+string(assertion)+`)`, &replay)
	if replay.Status != 401 || replay.Body.Error != "Passkey" {
		t.Fatalf("a replayed assertion: %+v, want 401 Passkey", replay)
	}
	if !strings.Contains(a.logs.String(), "the challenge was used already") {
		t.Error("the replay was not refused by the challenge's server-side record")
	}

	// Another origin (same relying party ID, another port) makes the
	// assertion for the app's challenge: refused.
	evil := localhost(t, httpPage("<!doctype html><title>Other</title><p>another origin"))
	csrf = openSignIn(p, a)
	p.Eval(`pk.options(`+js(a.base)+`,`+js(csrf)+`)`, &options)
	p.Navigate(evil + "/")
	p.Eval(ceremonyJS, nil)
	p.Eval(`pk.get(`+string(options)+`)`, &assertion)
	p.Navigate(a.base + "/signin")
	p.Eval(ceremonyJS, nil)
	var wrongOrigin answer
	p.Eval(`pk.post(`+js(a.base)+`,`+js(csrf)+`,`+string(assertion)+`)`, &wrongOrigin)
	if wrongOrigin.Status != 401 || wrongOrigin.Body.Error != "Passkey" {
		t.Fatalf("an assertion made on another origin: %+v, want 401 Passkey", wrongOrigin)
	}
	if !strings.Contains(a.logs.String(), "Error validating origin") {
		t.Error("the other origin was not what refused the sign-in")
	}

	// The counter going backwards (a cloned authenticator): refused.
	now := auth.Credentials()[0]
	if now.SignCount < 2 {
		t.Fatalf("sign count %v after two sign-ins", now.SignCount)
	}
	auth.Clear()
	auth.AddCredential(again(now, 0))
	got = tryAssertion(p, a)
	if got.Status != 401 || got.Body.Error != "Passkey" {
		t.Fatalf("a counter gone backwards: %+v, want 401 Passkey", got)
	}
	if !strings.Contains(a.logs.String(), "the sign count went from") {
		t.Error("the backwards counter was not what refused the sign-in")
	}
}

// again is c as AddCredential takes it back (without what
// getCredentials adds), with the sign count n (-2: c's).
func again(c *cdpwebauthn.Credential, n float64) cdpwebauthn.Credential {
	if n == -2 {
		n = c.SignCount
	}
	return cdpwebauthn.Credential{
		CredentialID: c.CredentialID, IsResidentCredential: c.IsResidentCredential, RpID: c.RpID,
		PrivateKey: c.PrivateKey, UserHandle: c.UserHandle, SignCount: n,
		BackupEligibility: c.BackupEligibility, BackupState: c.BackupState,
		UserName: c.UserName, UserDisplayName: c.UserDisplayName,
	}
}

// openSignIn opens the sign-in page, defines ceremonyJS and returns the
// CSRF token.
func openSignIn(p *chromium.Page, a *app) string {
	p.Navigate(a.base + "/signin")
	p.Eval(ceremonyJS, nil)
	csrf, _ := p.Attr("#passkey-signin", "data-csrf")
	return csrf
}

// tryAssertion signs in by hand with the authenticator's credential.
func tryAssertion(p *chromium.Page, a *app) answer {
	csrf := openSignIn(p, a)
	var options, assertion json.RawMessage
	p.Eval(`pk.options(`+js(a.base)+`,`+js(csrf)+`)`, &options)
	p.Eval(`pk.get(`+string(options)+`)`, &assertion)
	var got answer
	p.Eval(`pk.post(`+js(a.base)+`,`+js(csrf)+`,`+string(assertion)+`)`, &got)
	return got
}

// signOut signs the browser out.
// It waits for the application's page the sign-out ends on, so the
// sign-out's new CSRF cookie is set before the next page reads it.
func signOut(p *chromium.Page, a *app) {
	p.Navigate(a.base + "/signout?callbackUrl=" + url.QueryEscape(a.origin+"/"))
	p.ClickAndLoad("#signout")
	p.WaitText("The application")
}

// js is s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
