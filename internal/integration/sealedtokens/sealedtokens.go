// Package sealedtokens checks, against a real store, that authgen keeps
// provider tokens sealed at rest (runtime/atrest, applied by runtime/server
// at its boundary with the store): the database's own rows and documents
// never hold a token the provider issued; a rotated key set still reads
// what the old key sealed and seals new writes with the new key; a row
// written in plaintext before tokens were sealed still reads and is sealed
// on its next write; a sealed value moved to another account does not
// open there; and the largest token the store's columns hold round-trips.
//
// The SQL and MongoDB tests run Run with their store and a DB that reads
// and writes the rows beneath it.
package sealedtokens

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/authgen/authgen/internal/integration/testkit"
	"github.com/authgen/authgen/runtime/atrest"
	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store"
)

// DB is the database beneath a store, read and written directly. Columns
// are named as in the SQL schema (and MongoDB's fields): "access_token",
// "refresh_token", "id_token", "oauth_token_secret".
type DB struct {
	// Dump returns every stored account (row or document), all its
	// columns, as text.
	Dump func(t testing.TB) string
	// Get returns a column of the account (provider, providerAccountID).
	Get func(t testing.TB, provider, accountID, column string) string
	// Set writes a column of the account.
	Set func(t testing.TB, provider, accountID, column, value string)
}

// MaxToken is the longest token whose sealed form (atrest.SealedLen) fits
// MySQL's TEXT, 65,535 bytes.
const MaxToken = 49_082

// Run runs the checks on st, which must be migrated; the checks' accounts
// do not collide with one another's or other tests'. longTokenFails tells
// whether a token one byte over MaxToken must be refused by the store (a
// column of MySQL's TEXT) rather than kept.
func Run(t *testing.T, st store.Store, db DB, longTokenFails bool) {
	t.Run("Sealed", func(t *testing.T) { sealed(t, st, db) })
	t.Run("KeyRotation", func(t *testing.T) { rotation(t, st, db) })
	t.Run("PlaintextFromBefore", func(t *testing.T) { plaintext(t, st, db) })
	t.Run("MovedToAnotherAccount", func(t *testing.T) { moved(t, st, db) })
	t.Run("LongestToken", func(t *testing.T) { longest(t, st, longTokenFails) })
}

// sealed: a sign-in stores every token sealed with the active key, no
// issued token appears in the database, and the server reads them back.
func sealed(t *testing.T, st store.Store, db DB) {
	a := newApp(t, st, db)
	b := a.browser()
	a.signIn(b)
	a.assertSealed(a.keys.Encryption().ID)
	tok := a.providerToken(b, a.auth)
	if a.idp.Refreshes() != 0 || !tok.Valid() {
		t.Fatalf("ProviderToken after sign-in: Refreshes() = %d", a.idp.Refreshes())
	}
	a.assertLogsClean()
}

// rotation: a second instance with the rotated key set reads the row the
// old key sealed, and its refresh seals with the new key; the old row
// never shows a token.
func rotation(t *testing.T, st store.Store, db DB) {
	a := newApp(t, st, db)
	b := a.browser()
	a.signIn(b)
	oldKid := a.keys.Encryption().ID
	first := a.providerToken(b, a.auth)

	rotated := clone(t, a.keys)
	if err := rotated.Rotate(a.now(), 30*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	r := a.instance(rotated)
	if tok := a.providerToken(b, r); tok.AccessToken != first.AccessToken || a.idp.Refreshes() != 0 {
		t.Fatalf("the rotated instance did not read the old key's row (same token %v, Refreshes() = %d)", tok.AccessToken == first.AccessToken, a.idp.Refreshes())
	}
	a.assertSealed(oldKid)

	a.advance(2 * time.Hour)
	fresh := a.providerToken(b, r)
	if fresh.AccessToken == first.AccessToken || a.idp.Refreshes() != 1 {
		t.Fatalf("no refresh on the rotated instance (Refreshes() = %d)", a.idp.Refreshes())
	}
	a.assertSealed(rotated.Encryption().ID)
	a.assertLogsClean()
}

// plaintext: a row as authgen wrote it before sealing reads, and the next
// sign-in seals it.
func plaintext(t *testing.T, st store.Store, db DB) {
	a := newApp(t, st, db)
	b := a.browser()
	a.signIn(b)
	opened := a.opened()
	for col, v := range map[string]string{"access_token": opened.AccessToken, "refresh_token": opened.RefreshToken, "id_token": opened.IDToken} {
		db.Set(t, "corp", a.sub, col, v)
	}
	if db.Get(t, "corp", a.sub, "access_token") != opened.AccessToken {
		t.Fatal("the row is not in plaintext")
	}
	if tok := a.providerToken(b, a.auth); tok.AccessToken != opened.AccessToken {
		t.Fatal("ProviderToken does not read the plaintext row")
	}
	a.signIn(a.browser())
	a.assertSealed(a.keys.Encryption().ID)
	if strings.Contains(a.logs.String(), "does not open") {
		t.Errorf("a plaintext row was logged as unreadable:\n%s", a.logs)
	}
	a.assertLogsClean()
}

// moved: one account's sealed tokens copied into another's row do not
// open there; the other user never gets them.
func moved(t *testing.T, st store.Store, db DB) {
	ada := newApp(t, st, db)
	bAda := ada.browser()
	ada.signIn(bAda)
	grace := newApp(t, st, db, ada.keys) // the same application's key set
	bGrace := grace.browser()
	grace.signIn(bGrace)
	for _, col := range []string{"access_token", "refresh_token"} {
		db.Set(t, "corp", grace.sub, col, db.Get(t, "corp", ada.sub, col))
	}
	adaTokens := ada.opened()
	req := bGrace.request(grace.origin)
	tok, err := grace.auth.ProviderToken(httptest.NewRecorder(), req, "corp")
	if tok != nil && (tok.AccessToken == adaTokens.AccessToken || tok.RefreshToken == adaTokens.RefreshToken) {
		t.Fatal("Grace got Ada's token from a value moved into her row")
	}
	if !errors.Is(err, server.ErrRefresh) {
		t.Errorf("ProviderToken with another account's tokens: %v, want ErrRefresh", err)
	}
	if !strings.Contains(grace.logs.String(), "does not open") {
		t.Errorf("the moved values were not logged:\n%s", grace.logs)
	}
	ada.assertLogsClean()
	grace.assertLogsClean()
}

// longest: a sealed token of MaxToken bytes round-trips through the
// store; one byte more fails to write where the column is MySQL's TEXT
// (an error, never a truncated value that would not open).
func longest(t *testing.T, st store.Store, longTokenFails bool) {
	ctx := t.Context()
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	s, err := atrest.New(ks, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	sub := randomSub()
	plain := store.Account{Type: "oidc", Provider: "corp", ProviderAccountID: sub, AccessToken: strings.Repeat("a", MaxToken), IDToken: strings.Repeat("i", MaxToken)}
	acc := plain
	s.SealAccount(&acc)
	if len(acc.AccessToken) != atrest.SealedLen(MaxToken) || atrest.SealedLen(MaxToken) > 65_535 || atrest.SealedLen(MaxToken+1) <= 65_535 {
		t.Fatalf("a sealed token of MaxToken bytes is %d bytes, want the most that fits 65,535", len(acc.AccessToken))
	}
	u, err := st.CreateUserAndAccount(ctx, store.User{Email: sub + "@example.com"}, acc)
	if err != nil {
		t.Fatalf("storing a sealed token of %d bytes: %v", len(acc.AccessToken), err)
	}
	accounts, err := st.ListAccounts(ctx, u.ID)
	if err != nil || len(accounts) != 1 {
		t.Fatalf("ListAccounts: %d, %v", len(accounts), err)
	}
	got := accounts[0]
	if err := s.OpenAccount(&got, time.Now()); err != nil || got.AccessToken != plain.AccessToken || got.IDToken != plain.IDToken {
		t.Fatalf("the longest token did not round-trip: %v", err)
	}
	over := plain
	over.AccessToken += "a"
	s.SealAccount(&over)
	err = st.UpdateAccount(ctx, over)
	switch {
	case longTokenFails && err == nil:
		accounts, _ := st.ListAccounts(ctx, u.ID)
		t.Errorf("a sealed token of %d bytes was kept (as %d bytes), want an error", len(over.AccessToken), len(accounts[0].AccessToken))
	case !longTokenFails && err != nil:
		t.Errorf("a sealed token of %d bytes: %v", len(over.AccessToken), err)
	}
}

// app is an application on st with one OpenID Connect provider, "corp",
// whose user has an account ID of its own.
type app struct {
	t      *testing.T
	st     store.Store
	db     DB
	idp    *authtest.Provider
	sub    string
	keys   *keys.Set
	auth   *server.Auth
	cfg    server.Config
	origin string
	front  atomic.Pointer[server.Auth]
	offset atomic.Int64 // the clock's advance, in nanoseconds
	logs   *testkit.LogBuffer

	mu     sync.Mutex
	issued []string // every token the provider issued
}

// newApp starts an application on st with a new key set, or with ks.
func newApp(t *testing.T, st store.Store, db DB, ks ...*keys.Set) *app {
	t.Helper()
	a := &app{t: t, st: st, db: db, sub: randomSub(), logs: &testkit.LogBuffer{}}
	a.idp = authtest.NewProvider(t, authtest.Config{OIDC: true,
		Claims: fmt.Sprintf(`{"sub":%q,"email":"%s@example.com","email_verified":true,"name":"User %s"}`, a.sub, a.sub, a.sub)})
	var err error
	if len(ks) > 0 {
		a.keys = ks[0]
	} else if a.keys, err = keys.Generate(); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { a.front.Load().ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	a.origin = srv.URL
	origin, _ := url.Parse(a.origin)
	corp := &oauth.Provider{
		ID: "corp", Name: "Corp", Type: oauth.TypeOIDC, ClientID: a.idp.ClientID, ClientSecret: a.idp.ClientSecret, Issuer: a.idp.Issuer,
		Scopes: []string{"openid", "email"}, Checks: oauth.PKCE | oauth.State | oauth.Nonce,
		Profile: oauth.Map(func(c *claims) oauth.User {
			return oauth.User{ID: c.Sub, Email: c.Email, EmailVerified: c.EmailVerified, Name: c.Name}
		}, nil),
	}
	a.cfg = server.Config{
		URL:        origin,
		Keys:       a.keys,
		Providers:  []*oauth.Provider{corp},
		Logger:     slog.New(slog.NewTextHandler(a.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		HTTPClient: &http.Client{Transport: recorder{a: a, base: a.idp.Client().Transport}},
		Now:        a.now,
		Users:      st,
		Sessions:   st,
		Strategy:   server.StrategyDatabase,
	}
	a.auth = a.instance(a.keys)
	return a
}

// claims is the provider's profile.
type claims struct {
	Sub           string `json:"sub"`
	Email         string `json:"email"`
	EmailVerified bool   `json:"email_verified"`
	Name          string `json:"name"`
}

// instance starts another instance of the application, with the key set
// ks, and serves the application's address with it from then on.
func (a *app) instance(ks *keys.Set) *server.Auth {
	a.t.Helper()
	cfg := a.cfg
	cfg.Keys = ks
	// Each instance gets a provider of its own, as in another process.
	p := *cfg.Providers[0]
	cfg.Providers = []*oauth.Provider{&p}
	s, err := server.New(cfg)
	if err != nil {
		a.t.Fatal(err)
	}
	a.front.Store(s)
	return s
}

func (a *app) now() time.Time { return time.Now().Add(time.Duration(a.offset.Load())) }

func (a *app) advance(d time.Duration) { a.offset.Add(int64(d)) }

// signIn signs b in with corp through the HTTP API, playing the user at
// the provider.
func (a *app) signIn(b *browser) {
	a.t.Helper()
	form := url.Values{"csrfToken": {b.csrf(a.origin)}, "callbackUrl": {a.origin + "/"}}
	resp := b.post(a.origin+"/api/auth/signin/corp", form)
	if resp.StatusCode != http.StatusFound {
		a.t.Fatalf("POST /signin/corp: %s", resp.Status)
	}
	cb, err := a.idp.CallbackRequest(a.t.Context(), resp.Header.Get("Location"))
	if err != nil {
		a.t.Fatal(err)
	}
	resp = b.do(cb)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != a.origin+"/" {
		a.t.Fatalf("sign-in ended with %s to %q (logs: %s)", resp.Status, loc, a.logs)
	}
}

// providerToken calls auth.ProviderToken for a request of b.
func (a *app) providerToken(b *browser, auth *server.Auth) *oauth2.Token {
	a.t.Helper()
	tok, err := auth.ProviderToken(httptest.NewRecorder(), b.request(a.origin), "corp")
	if err != nil {
		a.t.Fatalf("ProviderToken: %v (logs: %s)", err, a.logs)
	}
	return tok
}

// opened returns the user's account as the server reads it.
func (a *app) opened() store.Account {
	a.t.Helper()
	u, err := a.st.GetUserByAccount(a.t.Context(), "corp", a.sub)
	if err != nil {
		a.t.Fatal(err)
	}
	accounts, err := a.st.ListAccounts(a.t.Context(), u.ID)
	if err != nil || len(accounts) != 1 {
		a.t.Fatalf("accounts: %d, %v", len(accounts), err)
	}
	s, err := atrest.New(a.keys, a.now())
	if err != nil {
		a.t.Fatal(err)
	}
	acc := accounts[0]
	if err := s.OpenAccount(&acc, a.now()); err != nil {
		a.t.Fatal(err)
	}
	return acc
}

// assertSealed checks that the user's token columns are sealed with the
// key kid and that no token the provider issued is anywhere in the
// database's accounts.
func (a *app) assertSealed(kid string) {
	a.t.Helper()
	for _, col := range []string{"access_token", "refresh_token", "id_token"} {
		if v := a.db.Get(a.t, "corp", a.sub, col); !strings.HasPrefix(v, atrest.Prefix) || atrest.KeyID(v) != kid {
			a.t.Errorf("stored %s %.30q… is not sealed with key %s", col, v, kid)
		}
	}
	dump := a.db.Dump(a.t)
	if !strings.Contains(dump, a.sub) {
		a.t.Fatalf("the dump of the accounts does not show the account %s", a.sub)
	}
	for _, tok := range a.tokens() {
		if strings.Contains(dump, tok) {
			a.t.Errorf("the database holds a token the provider issued (%.8s…)", tok)
		}
	}
}

// assertLogsClean checks that no issued token reached the logs.
func (a *app) assertLogsClean() {
	a.t.Helper()
	logs := a.logs.String()
	for _, tok := range a.tokens() {
		if strings.Contains(logs, tok) {
			a.t.Errorf("the logs hold a token the provider issued (%.8s…)", tok)
		}
	}
}

func (a *app) tokens() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.issued) < 3 {
		a.t.Fatalf("the provider issued %d tokens, want an access, a refresh and an ID token", len(a.issued))
	}
	return append([]string(nil), a.issued...)
}

// recorder keeps every token the provider's token endpoint issues.
type recorder struct {
	a    *app
	base http.RoundTripper
}

func (rt recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := rt.base.RoundTrip(req)
	if err != nil || req.URL.String() != rt.a.idp.TokenURL() {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var answer map[string]any
	if json.Unmarshal(body, &answer) == nil {
		rt.a.mu.Lock()
		for _, k := range []string{"access_token", "refresh_token", "id_token"} {
			if v, ok := answer[k].(string); ok && v != "" {
				rt.a.issued = append(rt.a.issued, v)
			}
		}
		rt.a.mu.Unlock()
	}
	return resp, nil
}

// browser is a user agent with cookies that does not follow redirects.
type browser struct {
	t      *testing.T
	jar    *cookiejar.Jar
	client *http.Client
}

func (a *app) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		a.t.Fatal(err)
	}
	return &browser{t: a.t, jar: jar, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(req *http.Request) *http.Response {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func (b *browser) csrf(origin string) string {
	b.t.Helper()
	resp, err := b.client.Get(origin + "/api/auth/csrf")
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		CSRFToken string `json:"csrfToken"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.CSRFToken == "" {
		b.t.Fatalf("GET /csrf: %s, %v", resp.Status, err)
	}
	return v.CSRFToken
}

func (b *browser) post(target string, form url.Values) *http.Response {
	b.t.Helper()
	req, err := http.NewRequestWithContext(b.t.Context(), http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// request is an application's request from b, with b's cookies.
func (b *browser) request(origin string) *http.Request {
	req := httptest.NewRequestWithContext(b.t.Context(), http.MethodGet, origin+"/api/data", nil)
	u, _ := url.Parse(origin)
	for _, c := range b.jar.Cookies(u) {
		req.AddCookie(c)
	}
	return req
}

func clone(t *testing.T, ks *keys.Set) *keys.Set {
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

var subs atomic.Int64

// randomSub is an account ID no other test uses.
func randomSub() string {
	return fmt.Sprintf("u-%d-%d", time.Now().UnixNano(), subs.Add(1))
}
