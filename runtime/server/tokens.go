package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/session"
	"github.com/authgen/authgen/runtime/store"
)

// Errors of ProviderToken.
var (
	// ErrNoAccount: the user has no account with that provider (or, without
	// a database, did not sign in with it, or the session is only signed).
	ErrNoAccount = errors.New("server: no account with this provider")
	// ErrRefresh: the access token expired and could not be refreshed
	// (no refresh token, or the provider refused it); the user must sign in
	// again.
	ErrRefresh = errors.New("server: access token could not be refreshed")
)

// refreshMargin renews access tokens this long before they expire.
const refreshMargin = time.Minute

// ProviderToken returns a valid access token for the signed-in user's
// account with provider, refreshing it when it has expired (or is about to)
// and keeping the result: in the store with a database, else in the
// (encrypted) session cookie, re-issued through w. A rotated refresh token
// is kept too. Concurrent calls for one account refresh once.
func (a *Auth) ProviderToken(w http.ResponseWriter, r *http.Request, providerID string) (*oauth2.Token, error) {
	p, ok := a.providers[providerID]
	if !ok {
		return nil, fmt.Errorf("%w: unknown provider %q", ErrNoAccount, providerID)
	}
	rq := a.newRequest(w, r)
	c, err := a.readSession(r, rq.jar)
	if err != nil {
		return nil, err
	}
	if a.cfg.Users != nil {
		return a.storedToken(r.Context(), p, c.session.User.ID)
	}
	if c.claims == nil || c.claims.Account == nil || c.claims.Account.Provider != providerID {
		return nil, ErrNoAccount
	}
	acc := c.claims.Account
	tok, changed, err := a.fresh(r.Context(), p, accountKey(providerID, acc.ProviderAccountID), tokenOf(acc.AccessToken, acc.RefreshToken, acc.TokenType, acc.ExpiresAt), nil)
	if err != nil || !changed {
		return tok, err
	}
	setTokens(acc, tok)
	c.claims.ID = ""
	if err := a.writeJWT(rq, c.claims); err != nil {
		return nil, err
	}
	return tok, nil
}

// storedToken is ProviderToken with the account in the store.
func (a *Auth) storedToken(ctx context.Context, p *oauth.Provider, userID string) (*oauth2.Token, error) {
	acc, err := a.account(ctx, userID, p.ID)
	if err != nil {
		return nil, err
	}
	reload := func() (*oauth2.Token, error) {
		again, err := a.account(ctx, userID, p.ID)
		if err != nil {
			return nil, err
		}
		return tokenOf(again.AccessToken, again.RefreshToken, again.TokenType, again.ExpiresAt), nil
	}
	tok, changed, err := a.fresh(ctx, p, accountKey(p.ID, acc.ProviderAccountID), tokenOf(acc.AccessToken, acc.RefreshToken, acc.TokenType, acc.ExpiresAt), reload)
	if err != nil || !changed {
		return tok, err
	}
	acc.AccessToken, acc.TokenType = tok.AccessToken, tok.TokenType
	acc.RefreshToken = cmp.Or(tok.RefreshToken, acc.RefreshToken)
	acc.ExpiresAt = 0
	if !tok.Expiry.IsZero() {
		acc.ExpiresAt = tok.Expiry.Unix()
	}
	if err := a.cfg.Users.UpdateAccount(ctx, *acc); err != nil {
		return nil, fmt.Errorf("%w: keep refreshed token: %w", ErrStore, err)
	}
	return tok, nil
}

func (a *Auth) account(ctx context.Context, userID, provider string) (*store.Account, error) {
	accounts, err := a.cfg.Users.ListAccounts(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStore, err)
	}
	for i := range accounts {
		if accounts[i].Provider == provider {
			return &accounts[i], nil
		}
	}
	return nil, ErrNoAccount
}

func accountKey(provider, id string) string { return provider + "\x00" + id }

func tokenOf(access, refresh, typ string, expiresAt int64) *oauth2.Token {
	t := &oauth2.Token{AccessToken: access, RefreshToken: refresh, TokenType: typ}
	if expiresAt != 0 {
		t.Expiry = time.Unix(expiresAt, 0)
	}
	return t
}

func setTokens(acc *session.AccountTokens, tok *oauth2.Token) {
	acc.AccessToken, acc.TokenType = tok.AccessToken, tok.TokenType
	acc.RefreshToken = cmp.Or(tok.RefreshToken, acc.RefreshToken)
	acc.ExpiresAt = 0
	if !tok.Expiry.IsZero() {
		acc.ExpiresAt = tok.Expiry.Unix()
	}
}

// refreshes serializes refreshes per account within this process.
type refreshes struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

func (rs *refreshes) lock(key string) func() {
	rs.mu.Lock()
	if rs.locks == nil {
		rs.locks = map[string]*sync.Mutex{}
	}
	l, ok := rs.locks[key]
	if !ok {
		l = &sync.Mutex{}
		rs.locks[key] = l
	}
	rs.mu.Unlock()
	l.Lock()
	return l.Unlock
}

// fresh returns tok if still valid, else a refreshed token (changed true).
// Under the account's lock, reload (when given) re-reads the token first:
// another request — or another instance sharing the store — may have
// refreshed it, and with rotating refresh tokens refreshing again with the
// old one would fail.
func (a *Auth) fresh(ctx context.Context, p *oauth.Provider, key string, tok *oauth2.Token, reload func() (*oauth2.Token, error)) (*oauth2.Token, bool, error) {
	now := a.cfg.Now()
	valid := func(t *oauth2.Token) bool { return t.Expiry.IsZero() || t.Expiry.After(now.Add(refreshMargin)) }
	if valid(tok) {
		return tok, false, nil
	}
	unlock := a.refreshing.lock(key)
	defer unlock()
	if reload != nil {
		latest, err := reload()
		if err != nil {
			return nil, false, err
		}
		if valid(latest) {
			return latest, false, nil
		}
		tok = latest
	}
	if tok.RefreshToken == "" {
		return nil, false, fmt.Errorf("%w: no refresh token", ErrRefresh)
	}
	expired := *tok
	expired.Expiry = now.Add(-time.Second) // make the source refresh
	src, err := p.RefreshSource(ctx, a.cfg.HTTPClient, &expired)
	if err != nil {
		return nil, false, fmt.Errorf("%w: %w", ErrRefresh, err)
	}
	next, err := src.Token()
	if err != nil {
		if reload != nil {
			// Another instance may have won the race with a rotated token.
			if latest, rerr := reload(); rerr == nil && valid(latest) {
				return latest, false, nil
			}
		}
		return nil, false, fmt.Errorf("%w: %w", ErrRefresh, oauth.RefreshError(err))
	}
	return next, true, nil
}
