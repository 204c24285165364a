package nextclient

import (
	"encoding/base64"
	"testing"

	"github.com/authgen/authgen/internal/integration/chromium"
	"github.com/authgen/authgen/runtime/passkey"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store/memstore"
)

// TestWebAuthnClient: Auth.js's WebAuthn client — signIn("passkey") of
// next-auth/webauthn 5.0.0-beta.32 with @simplewebauthn/browser 9.0.1 —
// against authgen's passkeys in Chromium with a virtual authenticator:
// a signed-in user registers a passkey (action "register"), signs out and
// signs in with it; a visitor signs up with a passkey (PasskeySignUp); the
// answer of a sign-in with a deleted credential is refused.
func TestWebAuthnClient(t *testing.T) {
	dist := bundles(t)
	st := memstore.New()
	a := newAppOn(t, dist, true, func(c *server.Config) {
		c.AuthJS = &server.AuthJS{Version: 5, Secrets: []string{secret}}
		c.Users, c.Passkeys, c.PasskeySignUp = st, passkey.New(), true
	})
	p := chromium.New(t)
	auth := p.AddAuthenticator(chromium.PlatformAuthenticator())
	p.Navigate(a.origin + "/harness/v5")
	waitStatus(t, p, "unauthenticated")

	var providers map[string]struct{ ID, Type string }
	await(p, `harness.getProviders()`, &providers)
	if providers["passkey"].Type != "webauthn" {
		t.Fatalf("getProviders() lists no webauthn provider passkey: %+v", providers)
	}

	type result struct {
		Error  string `json:"error"`
		OK     bool   `json:"ok"`
		Status int    `json:"status"`
		URL    string `json:"url"`
	}
	var res result
	await(p, `harness.signIn("credentials", {username: "grace", password: "right horse", redirect: false})`, &res)
	if s := waitStatus(t, p, "authenticated"); s.Data.User.Email != "grace@example.com" {
		t.Fatalf("signed in as %+v", s.Data)
	}

	// Signed in: register.
	res = result{}
	await(p, `harness.webauthnSignIn("passkey", {action: "register", redirect: false})`, &res)
	if !res.OK || res.Error != "" || res.URL == "" {
		t.Fatalf(`webauthn signIn("passkey", {action: "register"}) = %+v`, res)
	}
	if n := len(auth.Credentials()); n != 1 {
		t.Fatalf("the authenticator holds %d credentials, want 1", n)
	}
	u, err := st.GetUserByEmail(t.Context(), "grace@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if list, err := st.ListPasskeys(t.Context(), u.ID); err != nil || len(list) != 1 {
		t.Fatalf("Grace's passkeys: %+v, %v", list, err)
	}

	// Signed out: the passkey signs in.
	var out any
	await(p, `harness.signOut({redirect: false})`, &out)
	waitStatus(t, p, "unauthenticated")
	res = result{}
	await(p, `harness.webauthnSignIn("passkey", {redirect: false})`, &res)
	if !res.OK || res.Error != "" {
		t.Fatalf(`webauthn signIn("passkey") = %+v`, res)
	}
	if s := waitStatus(t, p, "authenticated"); s.Data.User.Email != "grace@example.com" {
		t.Fatalf("signed in with the passkey as %+v", s.Data)
	}

	// A visitor signs up: the name Auth.js's client passes as email is
	// only the name.
	await(p, `harness.signOut({redirect: false})`, &out)
	waitStatus(t, p, "unauthenticated")
	auth.Remove()
	auth = p.AddAuthenticator(chromium.PlatformAuthenticator())
	res = result{}
	await(p, `harness.webauthnSignIn("passkey", {action: "register", email: "Hopper", redirect: false})`, &res)
	if !res.OK || res.Error != "" {
		t.Fatalf(`webauthn signIn("passkey", {action: "register", email}) signed out = %+v`, res)
	}
	s := waitStatus(t, p, "authenticated")
	if s.Data.User.Name != "Hopper" || s.Data.User.Email != "" {
		t.Fatalf("signed up as %+v, want Hopper without an address", s.Data)
	}

	// Its passkey deleted (the store's), the credential is refused.
	await(p, `harness.signOut({redirect: false})`, &out)
	waitStatus(t, p, "unauthenticated")
	id := auth.Credentials()[0].CredentialID
	hopper, err := st.GetPasskey(t.Context(), encodeID(id))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.DeletePasskey(t.Context(), hopper.UserID, hopper.ID); err != nil {
		t.Fatal(err)
	}
	res = result{}
	await(p, `harness.webauthnSignIn("passkey", {redirect: false})`, &res)
	if res.Error == "" || res.URL != "" {
		t.Fatalf(`webauthn signIn("passkey") with a deleted passkey = %+v, want an error`, res)
	}
	waitStatus(t, p, "unauthenticated")
	if errs := state(p).Errors; len(errs) > 0 {
		t.Errorf("the page threw: %v", errs)
	}
}

// encodeID is a credential ID as the store keys it (base64url).
func encodeID(id []byte) string { return base64.RawURLEncoding.EncodeToString(id) }
