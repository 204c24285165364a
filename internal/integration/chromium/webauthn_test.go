package chromium

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestVirtualAuthenticator enables Chromium's virtual authenticator over the
// DevTools protocol and has a page register and use a passkey with it
// (navigator.credentials.create and .get, no relying-party server: the page
// makes up its challenges), then reads the credential back from the
// authenticator.
func TestVirtualAuthenticator(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>Passkeys</title><p id="ready">ready</p>`)
	}))
	t.Cleanup(srv.Close)
	// WebAuthn wants a secure context and a domain for the relying party:
	// http://localhost is both (an IP address is not a relying party ID).
	origin := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)

	p := New(t)
	a := p.AddAuthenticator(PlatformAuthenticator())
	if a.ID == "" {
		t.Fatal("no authenticator ID")
	}
	if creds := a.Credentials(); len(creds) != 0 {
		t.Fatalf("a new authenticator holds %d credentials", len(creds))
	}
	p.Navigate(origin)
	p.WaitVisible("#ready")

	var created struct{ ID, Type, Attachment, Error string }
	p.Eval(`navigator.credentials.create({publicKey: {
		challenge: crypto.getRandomValues(new Uint8Array(32)),
		rp: {id: "localhost", name: "authgen test"},
		user: {id: new TextEncoder().encode("user-1"), name: "ada@example.com", displayName: "Ada"},
		pubKeyCredParams: [{type: "public-key", alg: -7}],
		authenticatorSelection: {authenticatorAttachment: "platform", residentKey: "required", userVerification: "required"},
		timeout: 10000,
	}}).then(c => ({id: c.id, type: c.type, attachment: c.authenticatorAttachment}), e => ({error: e.name + ": " + e.message}))`, &created)
	if created.Error != "" || created.Type != "public-key" || created.Attachment != "platform" {
		t.Fatalf("create: %+v", created)
	}

	creds := a.Credentials()
	if len(creds) != 1 {
		t.Fatalf("%d credentials after create", len(creds))
	}
	c := creds[0]
	if !c.IsResidentCredential || c.RpID != "localhost" || !bytes.Equal(c.UserHandle, []byte("user-1")) || len(c.PrivateKey) == 0 {
		t.Errorf("credential: resident %v, rp %q, user handle %q, private key %d bytes", c.IsResidentCredential, c.RpID, c.UserHandle, len(c.PrivateKey))
	}
	if id := base64.RawURLEncoding.EncodeToString(c.CredentialID); id != created.ID {
		t.Errorf("credential ID %s, page got %s", id, created.ID)
	}

	// Sign in with it: a discoverable credential, no allowCredentials.
	get := `navigator.credentials.get({publicKey: {
		challenge: crypto.getRandomValues(new Uint8Array(32)), rpId: "localhost", userVerification: "required", timeout: 3000,
	}}).then(c => ({id: c.id, user: new TextDecoder().decode(c.response.userHandle)}), e => ({error: e.name}))`
	var got struct{ ID, User, Error string }
	p.Eval(get, &got)
	if got.Error != "" || got.ID != created.ID || got.User != "user-1" {
		t.Fatalf("get: %+v", got)
	}
	if n := a.Credentials()[0].SignCount; n < 1 {
		t.Errorf("sign count %v after an assertion", n)
	}

	// User verification that fails: the page gets NotAllowedError.
	a.SetUserVerified(false)
	got = struct{ ID, User, Error string }{}
	p.Eval(get, &got)
	if got.Error != "NotAllowedError" {
		t.Errorf("get without user verification: %+v", got)
	}

	a.Clear()
	if n := len(a.Credentials()); n != 0 {
		t.Errorf("%d credentials after Clear", n)
	}
	a.Remove()
}
