package server_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/session"
	"github.com/authgen/authgen/runtime/store"
)

// Tests of Auth.ProviderToken against authtest providers: a valid token is
// returned as it is, an expired one is refreshed once and kept (in the
// store, or re-issued in an encrypted session cookie), rotated refresh
// tokens are kept, concurrent calls refresh once, and failures are
// ErrRefresh / ErrNoAccount without changing what is kept.

const adaUserinfo = `{"id":"u-1815","name":"Ada Lovelace","email":"ada@example.com","email_verified":true}`

// shortLived makes the sign-in's access token expire 5 seconds after it was
// issued (the refresh responses keep authtest's hour). Advancing the
// server's clock by expireShort then puts the token past its expiry. (Such
// a token is already inside ProviderToken's one-minute refresh margin, so
// tests using it do not ask for it before advancing the clock. The clock
// moves only a few seconds: farther from the wall clock, refreshes do not
// happen at all, see TestProviderTokenRefreshesAfterClockAdvance.)
const shortLived = `{"expires_in":5}`

const expireShort = 6 * time.Second

// encrypted is a JWT application without a store whose sessions are
// encrypted, so that they carry the provider's tokens.
func encrypted(c *server.Config) {
	withoutStore(c)
	c.Session.Protection = session.Encrypted
}

// strategies are the two ways ProviderToken keeps tokens.
var strategies = []struct {
	name      string
	configure func(c *server.Config)
}{
	{"database", nil},
	{"jwt-encrypted", encrypted},
}

func newIdP(t *testing.T, token string) *authtest.Provider {
	return authtest.NewProvider(t, authtest.Config{Userinfo: adaUserinfo, Token: token})
}

// sessionCookieName is the session cookie's name on an http origin.
const sessionCookieName = "authgen.session-token"

func sessionSetCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookieName || strings.HasPrefix(c.Name, sessionCookieName+".") {
			return c
		}
	}
	return nil
}

// useToken checks that the provider accepts tok at its userinfo endpoint.
func useToken(t *testing.T, idp *authtest.Provider, tok string) {
	t.Helper()
	if _, err := oauth.Get(t.Context(), idp.Client(), http.MethodGet, idp.UserinfoURL(), &oauth2.Token{AccessToken: tok}, nil); err != nil {
		t.Errorf("the provider refuses the access token: %v", err)
	}
}

// refreshDirectly refreshes refreshToken at the provider, outside authgen.
func refreshDirectly(ctx context.Context, idp *authtest.Provider, refreshToken string) (*oauth2.Token, error) {
	cfg := &oauth2.Config{ClientID: idp.ClientID, ClientSecret: idp.ClientSecret, Endpoint: oauth2.Endpoint{TokenURL: idp.TokenURL()}}
	src := cfg.TokenSource(context.WithValue(ctx, oauth2.HTTPClient, idp.Client()), &oauth2.Token{RefreshToken: refreshToken, Expiry: time.Unix(1, 0)})
	return src.Token()
}

func TestProviderTokenValid(t *testing.T) {
	for _, st := range strategies {
		t.Run(st.name, func(t *testing.T) {
			idp := newIdP(t, "")
			a := newTokApp(t, tokConfig{idp: idp, configure: st.configure})
			b := newBrowser(t)
			a.mustSignIn(b, "corp")
			before := b.cookie(a.origin, sessionCookieName)

			tok, resp, err := b.providerToken(a.auth, a.origin, "corp")
			if err != nil {
				t.Fatalf("ProviderToken: %v", err)
			}
			if !strings.HasPrefix(tok.AccessToken, "at-") || tok.Expiry.IsZero() || !tok.Valid() {
				t.Errorf("token %q expiring %v", tok.AccessToken, tok.Expiry)
			}
			useToken(t, idp, tok.AccessToken)
			if n := idp.Refreshes(); n != 0 {
				t.Errorf("Refreshes() = %d, want 0", n)
			}
			if c := sessionSetCookie(resp); c != nil {
				t.Errorf("a valid token re-issued the session cookie %s", c.Name)
			}
			if b.cookie(a.origin, sessionCookieName) != before {
				t.Error("the session cookie changed")
			}
			if a.mem != nil {
				if _, acc := a.onlyAccount("corp"); acc.AccessToken != tok.AccessToken {
					t.Error("the token is not the stored one")
				}
			}
			// Again: the same token.
			again, _, err := b.providerToken(a.auth, a.origin, "corp")
			if err != nil || again.AccessToken != tok.AccessToken {
				t.Errorf("second call: %v, same token %v", err, err == nil && again.AccessToken == tok.AccessToken)
			}
		})
	}
}

func TestProviderTokenRefreshesExpired(t *testing.T) {
	t.Run("database", func(t *testing.T) {
		idp := newIdP(t, shortLived)
		a := newTokApp(t, tokConfig{idp: idp})
		b := newBrowser(t)
		a.mustSignIn(b, "corp")
		userID, acc0 := a.onlyAccount("corp")
		if acc0.RefreshToken == "" || acc0.ExpiresAt == 0 {
			t.Fatalf("stored account %q has no refresh token or expiry", acc0.ProviderAccountID)
		}
		a.clock.Advance(expireShort)

		tok, resp, err := b.providerToken(a.auth, a.origin, "corp")
		if err != nil {
			t.Fatalf("ProviderToken: %v (logs: %s)", err, a.logs)
		}
		if n := idp.Refreshes(); n != 1 {
			t.Fatalf("Refreshes() = %d, want 1", n)
		}
		if tok.AccessToken == acc0.AccessToken || tok.RefreshToken == acc0.RefreshToken || tok.RefreshToken == "" {
			t.Errorf("the token was not renewed (access same %v, refresh same %v)", tok.AccessToken == acc0.AccessToken, tok.RefreshToken == acc0.RefreshToken)
		}
		if !tok.Expiry.After(a.clock.Now().Add(time.Minute)) {
			t.Errorf("refreshed token expires %v", tok.Expiry)
		}
		useToken(t, idp, tok.AccessToken)
		// The refresh used the stored refresh token.
		if r := a.rec.refreshes(idp.TokenURL()); len(r) != 1 || r[0].Form.Get("refresh_token") != acc0.RefreshToken {
			t.Errorf("%d refresh requests, want 1 with the stored refresh token", len(r))
		}
		if c := sessionSetCookie(resp); c != nil {
			t.Errorf("a database session's cookie was re-issued: %s", c.Name)
		}
		// Kept in the store, for the same user.
		uid, acc := a.onlyAccount("corp")
		if uid != userID || acc.AccessToken != tok.AccessToken || acc.RefreshToken != tok.RefreshToken || acc.ExpiresAt != tok.Expiry.Unix() {
			t.Errorf("stored account not updated: user kept %v, access %v, refresh %v, expiry %d vs %d",
				uid == userID, acc.AccessToken == tok.AccessToken, acc.RefreshToken == tok.RefreshToken, acc.ExpiresAt, tok.Expiry.Unix())
		}
		if acc.IDToken != acc0.IDToken || acc.Scope != acc0.Scope || acc.Type != acc0.Type {
			t.Errorf("other account fields changed: %+v", acc.Scope)
		}
		// A second call uses the stored token.
		again, _, err := b.providerToken(a.auth, a.origin, "corp")
		if err != nil || again.AccessToken != tok.AccessToken || idp.Refreshes() != 1 {
			t.Errorf("second call: %v, same token %v, Refreshes() = %d", err, err == nil && again.AccessToken == tok.AccessToken, idp.Refreshes())
		}
	})

	t.Run("jwt-encrypted", func(t *testing.T) {
		idp := newIdP(t, shortLived)
		a := newTokApp(t, tokConfig{idp: idp, configure: encrypted})
		b := newBrowser(t)
		a.mustSignIn(b, "corp")
		first := a.signInTokens()
		if first.AccessToken == "" || first.RefreshToken == "" {
			t.Fatal("the session keeps no tokens")
		}
		cookie0 := b.cookie(a.origin, sessionCookieName)
		mustNotContain(t, "the session cookie", cookie0, first.AccessToken, first.RefreshToken)
		a.clock.Advance(expireShort)

		tok, resp, err := b.providerToken(a.auth, a.origin, "corp")
		if err != nil {
			t.Fatalf("ProviderToken after expiry: %v (logs: %s)", err, a.logs)
		}
		if n := idp.Refreshes(); n != 1 {
			t.Fatalf("Refreshes() = %d, want 1", n)
		}
		if tok.AccessToken == first.AccessToken || tok.RefreshToken == first.RefreshToken || tok.RefreshToken == "" {
			t.Error("the token was not renewed")
		}
		useToken(t, idp, tok.AccessToken)
		// Re-issued through the ResponseWriter: an encrypted cookie, not
		// showing the tokens.
		c := sessionSetCookie(resp)
		if c == nil || c.Value == "" || c.MaxAge < 0 {
			t.Fatalf("no session cookie re-issued; Set-Cookie: %v", resp.Header.Values("Set-Cookie"))
		}
		if c.Value == cookie0 {
			t.Error("the re-issued session cookie is the old one")
		}
		if strings.Count(c.Value, ".") != 4 {
			t.Errorf("the re-issued session cookie is not a JWE (%d dots)", strings.Count(c.Value, "."))
		}
		mustNotContain(t, "the session cookie", strings.Join(resp.Header.Values("Set-Cookie"), "\n"), tok.AccessToken, tok.RefreshToken, first.AccessToken, first.RefreshToken)
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
			t.Errorf("cookie attributes: HttpOnly=%v SameSite=%v Path=%q", c.HttpOnly, c.SameSite, c.Path)
		}
		// The session is still the same user's.
		if s := b.sessionBody(a.base); !strings.Contains(s, `"email":"ada@example.com"`) {
			t.Errorf("GET /session after the refresh = %s", s)
		}
		// A second call, with the new cookie, uses the new token without
		// refreshing and without writing the cookie again.
		again, resp, err := b.providerToken(a.auth, a.origin, "corp")
		if err != nil || again.AccessToken != tok.AccessToken || again.RefreshToken != tok.RefreshToken {
			t.Fatalf("second call: %v, same token %v", err, err == nil && again.AccessToken == tok.AccessToken)
		}
		if n := idp.Refreshes(); n != 1 {
			t.Errorf("Refreshes() = %d after the second call, want 1", n)
		}
		if c := sessionSetCookie(resp); c != nil {
			t.Errorf("the second call re-issued the cookie")
		}
		// The old cookie's refresh token was rotated out at the provider.
		if _, err := refreshDirectly(t.Context(), idp, first.RefreshToken); err == nil {
			t.Error("the provider still accepts the rotated-out refresh token")
		}
	})

	t.Run("jwt-with-store", func(t *testing.T) {
		// A JWT session with Users keeps the tokens in the store.
		idp := newIdP(t, shortLived)
		a := newTokApp(t, tokConfig{idp: idp, configure: func(c *server.Config) { c.Strategy = server.StrategyJWT; c.Sessions = nil }})
		b := newBrowser(t)
		a.mustSignIn(b, "corp")
		_, acc0 := a.onlyAccount("corp")
		a.clock.Advance(expireShort)
		tok, resp, err := b.providerToken(a.auth, a.origin, "corp")
		if err != nil || idp.Refreshes() != 1 {
			t.Fatalf("ProviderToken: %v, Refreshes() = %d", err, idp.Refreshes())
		}
		if _, acc := a.onlyAccount("corp"); acc.AccessToken != tok.AccessToken || acc.RefreshToken == acc0.RefreshToken {
			t.Error("the refreshed token is not in the store")
		}
		if c := sessionSetCookie(resp); c != nil {
			t.Error("the session cookie was re-issued although the tokens are in the store")
		}
	})
}

// TestProviderTokenRotation: the rotated refresh token is kept, and the
// next refresh uses it, not the old one.
func TestProviderTokenRotation(t *testing.T) {
	idp := newIdP(t, shortLived)
	a := newTokApp(t, tokConfig{idp: idp})
	b := newBrowser(t)
	a.mustSignIn(b, "corp")
	_, acc0 := a.onlyAccount("corp")
	a.clock.Advance(expireShort)
	tok1, _, err := b.providerToken(a.auth, a.origin, "corp")
	if err != nil {
		t.Fatal(err)
	}
	_, acc1 := a.onlyAccount("corp")
	if acc1.RefreshToken != tok1.RefreshToken || acc1.RefreshToken == acc0.RefreshToken {
		t.Fatal("the rotated refresh token was not kept")
	}

	// The access token expires again (the store says so).
	acc1.ExpiresAt = a.clock.Now().Add(-time.Minute).Unix()
	if err := a.mem.UpdateAccount(t.Context(), sealAccount(t, a.keys, acc1)); err != nil {
		t.Fatal(err)
	}
	tok2, _, err := b.providerToken(a.auth, a.origin, "corp")
	if err != nil {
		t.Fatalf("second refresh: %v (logs: %s)", err, a.logs)
	}
	if n := idp.Refreshes(); n != 2 {
		t.Fatalf("Refreshes() = %d, want 2", n)
	}
	r := a.rec.refreshes(idp.TokenURL())
	if len(r) != 2 || r[0].Form.Get("refresh_token") != acc0.RefreshToken || r[1].Form.Get("refresh_token") != acc1.RefreshToken {
		t.Errorf("the refreshes did not use the first, then the rotated refresh token (%d requests)", len(r))
	}
	for _, ex := range r {
		if ex.Status != http.StatusOK {
			t.Errorf("a refresh got %d", ex.Status)
		}
	}
	if _, acc2 := a.onlyAccount("corp"); acc2.RefreshToken != tok2.RefreshToken || acc2.RefreshToken == acc1.RefreshToken || acc2.AccessToken != tok2.AccessToken {
		t.Error("the second rotation was not kept")
	}
	// The provider refuses both old refresh tokens.
	for i, old := range []string{acc0.RefreshToken, acc1.RefreshToken} {
		if _, err := refreshDirectly(t.Context(), idp, old); err == nil {
			t.Errorf("refresh token %d still works at the provider", i)
		}
	}
}

func TestProviderTokenConcurrentRefreshOnce(t *testing.T) {
	for _, st := range strategies {
		t.Run(st.name, func(t *testing.T) {
			idp := newIdP(t, shortLived)
			a := newTokApp(t, tokConfig{idp: idp, configure: st.configure})
			b := newBrowser(t)
			a.mustSignIn(b, "corp")
			a.clock.Advance(expireShort)

			const n = 8
			var wg sync.WaitGroup
			toks := make([]*oauth2.Token, n)
			errs := make([]error, n)
			start := make(chan struct{})
			for i := range n {
				wg.Go(func() {
					<-start
					toks[i], _, errs[i] = b.providerToken(a.auth, a.origin, "corp")
				})
			}
			close(start)
			wg.Wait()

			// Whatever the interleaving: one successful refresh, and every
			// successful call has its token, which is the stored one.
			if got := idp.Refreshes(); got != 1 {
				t.Errorf("Refreshes() = %d, want 1", got)
			}
			var got *oauth2.Token
			var failed []error
			for i := range n {
				switch {
				case errs[i] != nil:
					failed = append(failed, errs[i])
				case got == nil:
					got = toks[i]
				case toks[i].AccessToken != got.AccessToken:
					t.Errorf("call %d got another access token", i)
				}
			}
			if got == nil {
				t.Fatalf("every call failed: %v", failed)
			}
			useToken(t, idp, got.AccessToken)
			if a.mem != nil {
				if _, acc := a.onlyAccount("corp"); acc.AccessToken != got.AccessToken {
					t.Error("the stored token is not the one returned")
				}
			}
			for _, err := range failed {
				if !errors.Is(err, server.ErrRefresh) || !strings.Contains(err.Error(), "invalid_grant") {
					t.Fatalf("a call failed unexpectedly: %v", err)
				}
			}
			// Exactly one refresh request, and no call failed: only when
			// no call refreshed with a spent refresh token.
			if r := a.rec.refreshes(idp.TokenURL()); len(r) != 1 || len(failed) > 0 {
				t.Errorf("%d refresh requests, %d of %d calls failed; want 1 and none", len(r), len(failed), n)
			}
		})
	}
}

// TestProviderTokenLockReleasedBeforeStore forces the interleaving of
// a second call waiting while the first keeps its new tokens, on one instance: the second call runs while the
// first is between the provider's answer and its write to the store.
func TestProviderTokenLockReleasedBeforeStore(t *testing.T) {
	idp := newIdP(t, shortLived)
	hooked := &hookStore{}
	a := newTokApp(t, tokConfig{idp: idp, configure: func(c *server.Config) {
		hooked.Users = c.Users
		c.Users = hooked
	}})
	b := newBrowser(t)
	a.mustSignIn(b, "corp")
	a.clock.Advance(expireShort)

	refreshed, secondDone := make(chan struct{}), make(chan struct{})
	var once sync.Once
	hooked.beforeUpdate = func() {
		once.Do(func() {
			close(refreshed)
			// Wait for the second call; with the lock held here (the
			// fix), it cannot finish, so do not wait forever.
			select {
			case <-secondDone:
			case <-time.After(time.Second):
			}
		})
	}
	var wg sync.WaitGroup
	var err1, err2 error
	wg.Go(func() { _, _, err1 = b.providerToken(a.auth, a.origin, "corp") })
	<-refreshed
	wg.Go(func() {
		defer close(secondDone)
		_, _, err2 = b.providerToken(a.auth, a.origin, "corp")
	})
	wg.Wait()
	if err1 != nil || err2 != nil {
		t.Fatalf("first call: %v; second call: %v", err1, err2)
	}
	if r := a.rec.refreshes(idp.TokenURL()); len(r) != 1 {
		t.Errorf("%d refresh requests, want 1", len(r))
	}
}

// TestProviderTokenTwoInstances: two instances share a store; both see the
// expired token at once. The provider rotates refresh tokens and refuses a
// rotated-out one, so the loser must find the winner's token in the store.
func TestProviderTokenTwoInstances(t *testing.T) {
	idp := newIdP(t, shortLived)
	a := newTokApp(t, tokConfig{idp: idp})
	b2 := newTokApp(t, tokConfig{idp: idp, shared: a})
	br := newBrowser(t)
	a.mustSignIn(br, "corp")
	_, acc0 := a.onlyAccount("corp")
	a.clock.Advance(expireShort)

	var wg sync.WaitGroup
	var tokA, tokB *oauth2.Token
	var errA, errB error
	start := make(chan struct{})
	wg.Go(func() { <-start; tokA, _, errA = br.providerToken(a.auth, a.origin, "corp") })
	wg.Go(func() { <-start; tokB, _, errB = br.providerToken(b2.auth, a.origin, "corp") })
	close(start)
	wg.Wait()

	// At most one refresh with the original refresh token succeeded.
	ok := 0
	for _, ex := range append(a.rec.refreshes(idp.TokenURL()), b2.rec.refreshes(idp.TokenURL())...) {
		if ex.Form.Get("refresh_token") == acc0.RefreshToken && ex.Status == http.StatusOK {
			ok++
		}
	}
	if ok != 1 || idp.Refreshes() != 1 {
		t.Errorf("%d successful refreshes with the original refresh token, Refreshes() = %d; want 1", ok, idp.Refreshes())
	}
	_, acc := a.onlyAccount("corp")
	if acc.AccessToken == acc0.AccessToken || acc.RefreshToken == acc0.RefreshToken {
		t.Fatal("the store does not hold a refreshed token")
	}
	useToken(t, idp, acc.AccessToken)
	for name, r := range map[string]struct {
		tok *oauth2.Token
		err error
	}{"A": {tokA, errA}, "B": {tokB, errB}} {
		switch {
		case r.err == nil && r.tok.AccessToken != acc.AccessToken:
			t.Errorf("instance %s returned another token than the stored one", name)
		case r.err != nil && !errors.Is(r.err, server.ErrRefresh):
			t.Errorf("instance %s: %v", name, r.err)
		}
	}
	if errA != nil && errB != nil {
		t.Fatalf("both instances failed: %v; %v", errA, errB)
	}
	if errA != nil || errB != nil {
		t.Errorf("an instance failed: A %v; B %v", errA, errB)
	}
}

// TestProviderTokenTwoInstancesLoserBeforeWinnerStores forces the
// interleaving where the losing instance's refresh is refused
// before the winner has written its new token to the shared store.
func TestProviderTokenTwoInstancesLoserBeforeWinnerStores(t *testing.T) {
	idp := newIdP(t, shortLived)
	hooked := &hookStore{}
	a := newTokApp(t, tokConfig{idp: idp, configure: func(c *server.Config) {
		hooked.Users = c.Users
		c.Users = hooked
	}})
	b2 := newTokApp(t, tokConfig{idp: idp, shared: a})
	br := newBrowser(t)
	a.mustSignIn(br, "corp")
	a.clock.Advance(expireShort)

	// A refreshes first; its write to the store waits for B (not forever:
	// a fix may have B wait for A).
	aRefreshed, bDone := make(chan struct{}), make(chan struct{})
	var once sync.Once
	hooked.beforeUpdate = func() {
		once.Do(func() {
			close(aRefreshed) // the provider has rotated the refresh token
			select {
			case <-bDone:
			case <-time.After(time.Second):
			}
		})
	}
	var wg sync.WaitGroup
	var errA, errB error
	wg.Go(func() { _, _, errA = br.providerToken(a.auth, a.origin, "corp") })
	<-aRefreshed
	wg.Go(func() {
		defer close(bDone)
		_, _, errB = br.providerToken(b2.auth, a.origin, "corp")
	})
	wg.Wait()
	if errA != nil || errB != nil {
		t.Fatalf("instance A: %v; instance B: %v", errA, errB)
	}
}

// hookStore is a store.Users whose UpdateAccount can be held up.
type hookStore struct {
	store.Users
	beforeUpdate func()
}

func (h *hookStore) UpdateAccount(ctx context.Context, acc store.Account) error {
	if h.beforeUpdate != nil {
		h.beforeUpdate()
	}
	return h.Users.UpdateAccount(ctx, acc)
}

func TestProviderTokenNoRefreshToken(t *testing.T) {
	for _, st := range strategies {
		t.Run(st.name, func(t *testing.T) {
			idp := newIdP(t, `{"expires_in":5,"refresh_token":""}`)
			a := newTokApp(t, tokConfig{idp: idp, configure: st.configure})
			b := newBrowser(t)
			a.mustSignIn(b, "corp")
			first := a.signInTokens()
			if first.AccessToken == "" || first.RefreshToken != "" {
				t.Fatalf("kept access token %v, refresh token %v", first.AccessToken != "", first.RefreshToken != "")
			}
			a.clock.Advance(expireShort)
			cookie0 := b.cookie(a.origin, sessionCookieName)
			tok, resp, err := b.providerToken(a.auth, a.origin, "corp")
			if !errors.Is(err, server.ErrRefresh) || tok != nil {
				t.Fatalf("ProviderToken = %v, %v; want ErrRefresh", tok != nil, err)
			}
			mustNotContain(t, "the error", err.Error(), first.AccessToken, idp.ClientSecret)
			if idp.Refreshes() != 0 || len(a.rec.refreshes(idp.TokenURL())) != 0 {
				t.Error("a refresh was attempted without a refresh token")
			}
			if sessionSetCookie(resp) != nil || b.cookie(a.origin, sessionCookieName) != cookie0 {
				t.Error("the session cookie changed")
			}
		})
	}
}

func TestProviderTokenNoAccount(t *testing.T) {
	for _, st := range strategies {
		t.Run(st.name, func(t *testing.T) {
			idp := newIdP(t, "")
			other := corpProvider(idp)
			other.ID, other.Name = "other", "Other"
			a := newTokApp(t, tokConfig{idp: idp, configure: st.configure, extra: []*oauth.Provider{other}})
			b := newBrowser(t)
			a.mustSignIn(b, "corp")
			for _, id := range []string{"nope", "other"} {
				tok, resp, err := b.providerToken(a.auth, a.origin, id)
				if !errors.Is(err, server.ErrNoAccount) || tok != nil {
					t.Errorf("ProviderToken(%q) = %v, %v; want ErrNoAccount", id, tok != nil, err)
				}
				if sessionSetCookie(resp) != nil {
					t.Errorf("ProviderToken(%q) wrote the session cookie", id)
				}
			}
			// Without a session: ErrNoSession, not a token.
			tok, _, err := newBrowser(t).providerToken(a.auth, a.origin, "corp")
			if !errors.Is(err, server.ErrNoSession) || tok != nil {
				t.Errorf("without a session: %v, %v; want ErrNoSession", tok != nil, err)
			}
			if idp.Refreshes() != 0 {
				t.Error("a refresh happened")
			}
		})
	}

	t.Run("signed-jwt", func(t *testing.T) {
		// A signed (not encrypted) session carries no tokens.
		idp := newIdP(t, "")
		a := newTokApp(t, tokConfig{idp: idp, configure: withoutStore})
		b := newBrowser(t)
		a.mustSignIn(b, "corp")
		if v := b.cookie(a.origin, sessionCookieName); strings.Count(v, ".") != 2 {
			t.Fatalf("the session is not a signed JWT: %d dots", strings.Count(v, "."))
		}
		tok, resp, err := b.providerToken(a.auth, a.origin, "corp")
		if !errors.Is(err, server.ErrNoAccount) || tok != nil {
			t.Errorf("ProviderToken = %v, %v; want ErrNoAccount", tok != nil, err)
		}
		if sessionSetCookie(resp) != nil {
			t.Error("the session cookie was written")
		}
	})
}

// TestProviderTokenRefused: the provider refuses the refresh; ProviderToken
// fails with ErrRefresh, keeps what it had, and says nothing secret.
func TestProviderTokenRefused(t *testing.T) {
	refusals := []struct {
		name   string
		refuse func(t *testing.T, idp *authtest.Provider, refreshToken string)
	}{
		{"token-error", func(t *testing.T, idp *authtest.Provider, _ string) { idp.SetTokenError("invalid_grant") }},
		{"revoked", func(t *testing.T, idp *authtest.Provider, rt string) {
			// Someone else used the refresh token: authtest rotated it out.
			if _, err := refreshDirectly(t.Context(), idp, rt); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, st := range strategies {
		for _, rf := range refusals {
			t.Run(st.name+"/"+rf.name, func(t *testing.T) {
				idp := newIdP(t, shortLived)
				a := newTokApp(t, tokConfig{idp: idp, configure: st.configure})
				b := newBrowser(t)
				a.mustSignIn(b, "corp")
				first := a.signInTokens()
				var acc0 store.Account
				if a.mem != nil {
					_, acc0 = a.onlyAccount("corp")
				}
				cookie0 := b.cookie(a.origin, sessionCookieName)
				rf.refuse(t, idp, first.RefreshToken)
				refreshes := idp.Refreshes()
				a.clock.Advance(expireShort)

				for i := range 2 { // and again: still refused, nothing kept
					tok, resp, err := b.providerToken(a.auth, a.origin, "corp")
					if !errors.Is(err, server.ErrRefresh) || tok != nil {
						t.Fatalf("call %d: ProviderToken = %v, %v; want ErrRefresh", i, tok != nil, err)
					}
					if !strings.Contains(err.Error(), "invalid_grant") {
						t.Errorf("the error does not say why: %v", err)
					}
					mustNotContain(t, "the error", err.Error(), first.AccessToken, first.RefreshToken, idp.ClientSecret, cookie0)
					if sessionSetCookie(resp) != nil {
						t.Errorf("call %d wrote the session cookie", i)
					}
				}
				if b.cookie(a.origin, sessionCookieName) != cookie0 {
					t.Error("the session cookie changed")
				}
				if a.mem != nil {
					if _, acc := a.onlyAccount("corp"); acc != acc0 {
						t.Error("the stored account changed")
					}
				}
				if idp.Refreshes() != refreshes {
					t.Error("a refresh succeeded")
				}
				mustNotContain(t, "the logs", a.logs.String(), first.AccessToken, first.RefreshToken, idp.ClientSecret)
				// The session itself is intact.
				if s := b.sessionBody(a.base); !strings.Contains(s, `"email":"ada@example.com"`) {
					t.Errorf("GET /session = %s", s)
				}
			})
		}
	}
}

// TestProviderTokenRefreshesAfterClockAdvance moves the server's clock
// (Config.Now) past the expiry of an ordinary one-hour token.
func TestProviderTokenRefreshesAfterClockAdvance(t *testing.T) {
	for _, st := range strategies {
		t.Run(st.name, func(t *testing.T) {
			idp := newIdP(t, "")
			a := newTokApp(t, tokConfig{idp: idp, configure: st.configure})
			b := newBrowser(t)
			a.mustSignIn(b, "corp")
			first, _, err := b.providerToken(a.auth, a.origin, "corp")
			if err != nil {
				t.Fatal(err)
			}
			a.clock.Advance(2 * time.Hour)
			tok, _, err := b.providerToken(a.auth, a.origin, "corp")
			if err != nil {
				t.Fatal(err)
			}
			if idp.Refreshes() != 1 || tok.AccessToken == first.AccessToken {
				t.Fatalf("Refreshes() = %d, new token %v", idp.Refreshes(), tok.AccessToken != first.AccessToken)
			}
			again, _, err := b.providerToken(a.auth, a.origin, "corp")
			if err != nil || again.AccessToken != tok.AccessToken || idp.Refreshes() != 1 {
				t.Fatalf("second call: %v, Refreshes() = %d", err, idp.Refreshes())
			}
		})
	}
}
