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

	"github.com/authgen/authgen/runtime/atrest"
	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store"
)

// Tests of provider tokens at rest: the server seals every account's
// tokens before they reach the store (memstore here; the same test runs on
// SQLite, PostgreSQL, MariaDB and FerretDB in internal/integration) and
// opens them when it reads them back.

// openAccounts returns accounts as the server reads them: their tokens
// opened with ks.
func openAccounts(t testing.TB, ks *keys.Set, accounts ...store.Account) []store.Account {
	t.Helper()
	s, err := atrest.New(ks, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	out := make([]store.Account, len(accounts))
	for i, a := range accounts {
		if err := s.OpenAccount(&a, time.Now()); err != nil {
			t.Fatalf("account %s/%s: %v", a.Provider, a.ProviderAccountID, err)
		}
		out[i] = a
	}
	return out
}

// sealAccount returns acc as the server writes it: tokens sealed with ks.
func sealAccount(t testing.TB, ks *keys.Set, acc store.Account) store.Account {
	t.Helper()
	s, err := atrest.New(ks, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s.SealAccount(&acc)
	return acc
}

// oidcTokApp is a tokApp whose provider "corp" is OpenID Connect (so an
// account has an access, a refresh and an ID token) with RP-initiated
// logout, and which keeps the token endpoint's answers. Its access tokens
// live an hour: tests advance the clock by two to need a refresh.
func oidcTokApp(t *testing.T, tc tokConfig) *tokApp {
	t.Helper()
	if tc.idp == nil {
		tc.idp = authtest.NewProvider(t, authtest.Config{OIDC: true,
			Claims: `{"sub":"u-1815","email":"ada@example.com","email_verified":true,"name":"Ada Lovelace"}`})
	}
	tc.provider = func(idp *authtest.Provider) *oauth.Provider {
		return &oauth.Provider{
			ID: "corp", Name: "Corp", Type: oauth.TypeOIDC, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret, Issuer: idp.Issuer,
			Scopes: []string{"openid", "email"}, Checks: oauth.PKCE | oauth.State | oauth.Nonce, Logout: true,
			Profile: oauth.Map(corpUser, nil),
		}
	}
	a := newTokApp(t, tc)
	tokenURL := tc.idp.URL + "/token"
	a.rec.keepBody = func(u *url.URL) bool { return u.Scheme+"://"+u.Host+u.Path == tokenURL }
	return a
}

// issued returns every token the provider issued to the app (access,
// refresh and ID tokens from the token endpoint's answers).
func (a *tokApp) issued() []string {
	a.t.Helper()
	var out []string
	for _, ex := range a.rec.requests(http.MethodPost, a.idp.URL+"/token") {
		var body map[string]any
		if ex.Status != http.StatusOK || json.Unmarshal([]byte(ex.Body), &body) != nil {
			continue
		}
		for _, k := range []string{"access_token", "refresh_token", "id_token"} {
			if v, ok := body[k].(string); ok && v != "" {
				out = append(out, v)
			}
		}
	}
	if len(out) < 3 {
		a.t.Fatalf("the provider issued %d tokens, want at least an access, a refresh and an ID token", len(out))
	}
	return out
}

// assertSealed checks the stored account of provider "corp": every token
// field sealed with the key kid, and no token the provider issued anywhere
// in the store's accounts.
func (a *tokApp) assertSealed(kid string) {
	a.t.Helper()
	uid, raw := a.storedAccount("corp")
	for name, v := range map[string]string{"access_token": raw.AccessToken, "refresh_token": raw.RefreshToken, "id_token": raw.IDToken} {
		if !strings.HasPrefix(v, atrest.Prefix) || atrest.KeyID(v) != kid {
			a.t.Errorf("stored %s %.30q… is not sealed with key %s", name, v, kid)
		}
	}
	all, err := a.mem.ListAccounts(a.t.Context(), uid)
	if err != nil {
		a.t.Fatal(err)
	}
	mustNotContain(a.t, "the stored accounts", fmt.Sprintf("%#v", all), a.issued()...)
}

// TestProviderTokensSealed: with a store, every provider token is sealed
// with the active key before it is stored, by the sign-in, by a refresh and
// for both strategies; the server reads them back — ProviderToken, the ID
// token hint of sign-out — and no token reaches the logs.
func TestProviderTokensSealed(t *testing.T) {
	jwtWithStore := func(c *server.Config) { c.Strategy, c.Sessions = server.StrategyJWT, nil }
	for _, st := range []struct {
		name      string
		configure func(*server.Config)
	}{{"database", nil}, {"jwt-with-store", jwtWithStore}} {
		t.Run(st.name, func(t *testing.T) {
			a := oidcTokApp(t, tokConfig{configure: st.configure})
			b := newBrowser(t)
			a.mustSignIn(b, "corp")
			kid := a.keys.Encryption().ID
			a.assertSealed(kid)

			_, opened := a.onlyAccount("corp")
			tok, _, err := b.providerToken(a.auth, a.origin, "corp")
			if err != nil || tok.AccessToken != opened.AccessToken {
				t.Fatalf("ProviderToken: %v (the stored token: %v)", err, err == nil && tok.AccessToken == opened.AccessToken)
			}
			useToken(t, a.idp, tok.AccessToken)

			// A refresh writes sealed tokens too.
			a.clock.Advance(2 * time.Hour)
			fresh, _, err := b.providerToken(a.auth, a.origin, "corp")
			if err != nil || fresh.AccessToken == tok.AccessToken || a.idp.Refreshes() != 1 {
				t.Fatalf("refresh: %v, new token %v, Refreshes() = %d", err, err == nil && fresh.AccessToken != tok.AccessToken, a.idp.Refreshes())
			}
			useToken(t, a.idp, fresh.AccessToken)
			a.assertSealed(kid)

			// Sign-out reads the ID token for the provider's logout.
			resp := b.postForm(a.base+"/signout", url.Values{"csrfToken": {b.csrf(a.base)}})
			target, err := url.Parse(resp.Header.Get("Location"))
			if err != nil || !strings.HasPrefix(target.String(), a.idp.URL) {
				t.Fatalf("sign-out went to %q, want the provider's end_session_endpoint", resp.Header.Get("Location"))
			}
			if got := target.Query().Get("id_token_hint"); got != opened.IDToken || strings.Count(got, ".") != 2 {
				t.Errorf("id_token_hint is not the stored ID token opened (a JWT): %.30q…", got)
			}
			mustNotContain(t, "the logs", a.logs.String(), a.issued()...)
		})
	}
}

// TestProviderTokensKeyRotation: after `authgen keys rotate`, an instance
// with the new key set reads the tokens the old key sealed, and its next
// write (a refresh) seals with the new key. A row sealed with a key the
// set has dropped reads as absent: ProviderToken fails with ErrRefresh,
// logged once and never with a token, and the next sign-in seals anew.
func TestProviderTokensKeyRotation(t *testing.T) {
	a := oidcTokApp(t, tokConfig{})
	b := newBrowser(t)
	a.mustSignIn(b, "corp")
	oldKid := a.keys.Encryption().ID
	_, before := a.onlyAccount("corp")

	rotated := cloneKeys(t, a.keys)
	if err := rotated.Rotate(a.clock.Now(), 30*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	newKid := rotated.Encryption().ID
	r := a.instance(rotated)

	tok, _, err := b.providerToken(r.auth, a.origin, "corp")
	if err != nil || tok.AccessToken != before.AccessToken || a.idp.Refreshes() != 0 {
		t.Fatalf("the rotated instance reading the old key's row: %v, the stored token %v, Refreshes() = %d", err, err == nil && tok.AccessToken == before.AccessToken, a.idp.Refreshes())
	}
	r.assertSealed(oldKid) // reading writes nothing

	a.clock.Advance(2 * time.Hour)
	fresh, _, err := b.providerToken(r.auth, a.origin, "corp")
	if err != nil || fresh.AccessToken == before.AccessToken {
		t.Fatalf("refresh on the rotated instance: %v", err)
	}
	r.assertSealed(newKid)
	if _, after := r.onlyAccount("corp"); after.AccessToken != fresh.AccessToken || after.RefreshToken != fresh.RefreshToken || after.IDToken != before.IDToken {
		t.Error("the row written with the new key does not hold the refreshed tokens and the ID token")
	}

	// A set without the key the row names (rotated again with --keep 0s,
	// so newKid is retired and expired at once).
	leaked := cloneKeys(t, rotated)
	if err := leaked.Rotate(a.clock.Now(), 0); err != nil {
		t.Fatal(err)
	}
	l := a.instance(leaked)
	for i := range 2 {
		tok, _, err := b.providerToken(l.auth, a.origin, "corp")
		if !errors.Is(err, server.ErrRefresh) || tok != nil {
			t.Fatalf("call %d with the row's key gone: %v, %v; want ErrRefresh", i, tok != nil, err)
		}
	}
	if n := strings.Count(l.logs.String(), "no longer in the key set"); n != 1 {
		t.Errorf("the unreadable row was logged %d times, want once:\n%s", n, l.logs)
	}
	if !strings.Contains(l.logs.String(), newKid) {
		t.Errorf("the log does not name the missing key %s:\n%s", newKid, l.logs)
	}
	mustNotContain(t, "the logs", l.logs.String()+a.logs.String()+r.logs.String(), a.issued()...)
	if a.idp.Refreshes() != 1 {
		t.Errorf("Refreshes() = %d, want 1 (no refresh without a readable refresh token)", a.idp.Refreshes())
	}
	// Signing in again (on that instance) seals fresh tokens with its key.
	l.origin, l.base = a.origin, a.base
	a.route(l.auth)
	a.mustSignIn(newBrowser(t), "corp")
	l.assertSealed(leaked.Encryption().ID)
}

// TestProviderTokensPlaintextFromBefore: an account stored before tokens
// were sealed still reads, and is sealed on its next write: a refresh, or
// the next sign-in.
func TestProviderTokensPlaintextFromBefore(t *testing.T) {
	for _, next := range []string{"refresh", "sign-in"} {
		t.Run(next, func(t *testing.T) {
			a := oidcTokApp(t, tokConfig{})
			b := newBrowser(t)
			a.mustSignIn(b, "corp")
			_, plain := a.onlyAccount("corp")
			if err := a.mem.UpdateAccount(t.Context(), plain); err != nil { // as an older authgen wrote it
				t.Fatal(err)
			}
			if _, raw := a.storedAccount("corp"); raw.AccessToken != plain.AccessToken || raw.IDToken != plain.IDToken {
				t.Fatal("the row is not in plaintext")
			}
			tok, _, err := b.providerToken(a.auth, a.origin, "corp")
			if err != nil || tok.AccessToken != plain.AccessToken {
				t.Fatalf("ProviderToken of a plaintext row: %v", err)
			}
			switch next {
			case "refresh":
				a.clock.Advance(2 * time.Hour)
				if _, _, err := b.providerToken(a.auth, a.origin, "corp"); err != nil || a.idp.Refreshes() != 1 {
					t.Fatalf("refresh: %v, Refreshes() = %d", err, a.idp.Refreshes())
				}
			case "sign-in":
				a.mustSignIn(newBrowser(t), "corp")
			}
			a.assertSealed(a.keys.Encryption().ID)
			if strings.Contains(a.logs.String(), "read as absent") || strings.Contains(a.logs.String(), "does not open") {
				t.Errorf("a plaintext row was logged as unreadable:\n%s", a.logs)
			}
		})
	}
}

// TestProviderTokensMoved: a sealed token copied into another field, or
// into another user's account, does not open there: the other user never
// gets it, and it is logged once without its value.
func TestProviderTokensMoved(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{OIDC: true,
		Claims: `{"sub":"u-1815","email":"ada@example.com","email_verified":true,"name":"Ada Lovelace"}`})
	a := oidcTokApp(t, tokConfig{idp: idp})
	ada := newBrowser(t)
	a.mustSignIn(ada, "corp")
	adaID, adaRaw := a.storedAccount("corp")
	_, adaOpen := a.onlyAccount("corp")

	idp.SetClaims(`{"sub":"u-1906","email":"grace@example.com","email_verified":true,"name":"Grace Hopper"}`)
	grace := newBrowser(t)
	a.mustSignIn(grace, "corp")
	graceUser, err := a.mem.GetUserByEmail(t.Context(), "grace@example.com")
	if err != nil || graceUser.ID == adaID {
		t.Fatalf("Grace's user: %v", err)
	}
	graceAccounts, err := a.mem.ListAccounts(t.Context(), graceUser.ID)
	if err != nil || len(graceAccounts) != 1 {
		t.Fatalf("Grace's accounts: %d, %v", len(graceAccounts), err)
	}
	// Ada's sealed tokens into Grace's row.
	moved := graceAccounts[0]
	moved.AccessToken, moved.RefreshToken = adaRaw.AccessToken, adaRaw.RefreshToken
	if err := a.mem.UpdateAccount(t.Context(), moved); err != nil {
		t.Fatal(err)
	}
	tok, _, err := grace.providerToken(a.auth, a.origin, "corp")
	if tok != nil && (tok.AccessToken == adaOpen.AccessToken || tok.RefreshToken == adaOpen.RefreshToken) {
		t.Fatal("Grace got Ada's token from a value moved into her row")
	}
	if !errors.Is(err, server.ErrRefresh) {
		t.Errorf("ProviderToken with moved tokens: %v, want ErrRefresh (no readable token)", err)
	}
	if _, _, err := grace.providerToken(a.auth, a.origin, "corp"); !errors.Is(err, server.ErrRefresh) {
		t.Errorf("second call: %v", err)
	}
	// Ada's ID token into her access token field.
	swapped := adaRaw
	swapped.AccessToken = adaRaw.IDToken
	if err := a.mem.UpdateAccount(t.Context(), swapped); err != nil {
		t.Fatal(err)
	}
	_, opened := a.onlyAccountLenient("corp", adaID)
	if opened.AccessToken != "" || opened.IDToken != adaOpen.IDToken {
		t.Errorf("the ID token moved to the access token field opened: access %v, ID token intact %v", opened.AccessToken != "", opened.IDToken == adaOpen.IDToken)
	}
	// Ada still gets a token: the refresh token opens, so it is refreshed.
	if tok, _, err := ada.providerToken(a.auth, a.origin, "corp"); err != nil || tok.AccessToken == "" || tok.AccessToken == adaOpen.IDToken {
		t.Fatalf("Ada's ProviderToken with an unreadable access token: %v", err)
	}

	logs := a.logs.String()
	if n := strings.Count(logs, "does not open"); n != 3 {
		t.Errorf("%d log lines about values that do not open, want 3 (Grace's two fields once, Ada's access token):\n%s", n, logs)
	}
	mustNotContain(t, "the logs", logs, append(a.issued(), adaRaw.AccessToken, adaRaw.RefreshToken, adaRaw.IDToken)...)
}

// onlyAccountLenient is onlyAccount for the user userID, through the
// server's reading: fields that do not open are empty.
func (a *tokApp) onlyAccountLenient(provider, userID string) (string, store.Account) {
	a.t.Helper()
	accounts, err := a.mem.ListAccounts(a.t.Context(), userID)
	if err != nil || len(accounts) != 1 || accounts[0].Provider != provider {
		a.t.Fatalf("accounts: %d, %v", len(accounts), err)
	}
	s, err := atrest.New(a.keys, a.clock.Now())
	if err != nil {
		a.t.Fatal(err)
	}
	acc := accounts[0]
	_ = s.OpenAccount(&acc, a.clock.Now())
	return userID, acc
}

// instance starts another instance of the app, sharing its store, clock,
// provider and HTTP client (so a.issued sees its tokens too), with the key
// set ks.
func (a *tokApp) instance(ks *keys.Set) *tokApp {
	a.t.Helper()
	i := newTokApp(a.t, tokConfig{idp: a.idp, provider: func(*authtest.Provider) *oauth.Provider { return a.cfg.Providers[0] }, shared: a,
		configure: func(c *server.Config) { c.Keys, c.HTTPClient = ks, a.cfg.HTTPClient }})
	i.keys, i.rec = ks, a.rec
	return i
}

// cloneKeys returns a copy of ks, so that rotating it leaves ks alone.
func cloneKeys(t *testing.T, ks *keys.Set) *keys.Set {
	t.Helper()
	data, err := ks.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	c, err := keys.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestAccounts: Auth.Accounts gives the application the user's accounts
// with their tokens opened, where the store holds them sealed.
func TestAccounts(t *testing.T) {
	a := oidcTokApp(t, tokConfig{})
	a.mustSignIn(newBrowser(t), "corp")
	uid, stored := a.storedAccount("corp")
	accounts, err := a.auth.Accounts(t.Context(), uid)
	if err != nil || len(accounts) != 1 {
		t.Fatalf("Accounts: %d, %v", len(accounts), err)
	}
	if want := openAccounts(t, a.keys, stored)[0]; accounts[0] != want || accounts[0].AccessToken == stored.AccessToken {
		t.Errorf("Accounts = %+v, want the stored account opened", accounts[0])
	}
	if got, err := a.auth.Accounts(t.Context(), "nobody"); err != nil || got == nil || len(got) != 0 {
		t.Errorf("Accounts of an unknown user = %v, %v; want an empty slice", got, err)
	}
	noStore := newTokApp(t, tokConfig{idp: a.idp, configure: withoutStore})
	if got, err := noStore.auth.Accounts(t.Context(), uid); err != nil || got == nil || len(got) != 0 {
		t.Errorf("Accounts without a store = %v, %v; want an empty slice", got, err)
	}
}
