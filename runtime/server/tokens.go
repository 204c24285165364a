package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
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
// and keeping the result: in the store with a database (sealed, see
// sealedUsers), else in the (encrypted) session cookie, re-issued through
// w. A rotated refresh token is kept too. A stored token that no longer
// opens (its key was pruned) is absent: without a readable refresh token
// the result is ErrRefresh, and the user signs in again. Concurrent calls for one account refresh once: in this
// process a per-account lock is held until the new tokens are kept, and
// another instance sharing the store is noticed by re-reading the account.
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
	keep := func(tok *oauth2.Token) error {
		setTokens(acc, tok)
		c.claims.ID = ""
		return a.writeJWT(rq, c.claims)
	}
	return a.fresh(r.Context(), p, accountKey(providerID, acc.ProviderAccountID), tokenOf(acc.AccessToken, acc.RefreshToken, acc.TokenType, acc.ExpiresAt, acc.TokenSecret), nil, keep)
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
		acc = again
		return tokenOf(again.AccessToken, again.RefreshToken, again.TokenType, again.ExpiresAt, again.TokenSecret), nil
	}
	keep := func(tok *oauth2.Token) error {
		acc.AccessToken, acc.TokenType = tok.AccessToken, tok.TokenType
		acc.RefreshToken = cmp.Or(tok.RefreshToken, acc.RefreshToken)
		acc.ExpiresAt = 0
		if !tok.Expiry.IsZero() {
			acc.ExpiresAt = tok.Expiry.Unix()
		}
		if s, ok := tok.Extra("scope").(string); ok && s != "" {
			acc.Scope = s
		}
		if err := a.cfg.Users.UpdateAccount(ctx, *acc); err != nil {
			return fmt.Errorf("%w: keep refreshed token: %w", ErrStore, err)
		}
		return nil
	}
	return a.fresh(ctx, p, accountKey(p.ID, acc.ProviderAccountID), tokenOf(acc.AccessToken, acc.RefreshToken, acc.TokenType, acc.ExpiresAt, acc.TokenSecret), reload, keep)
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

// tokenOf rebuilds a kept token; an OAuth 1.0a secret comes back as the
// extra "oauth_token_secret", as oauth.Provider.Finish returned it.
func tokenOf(access, refresh, typ string, expiresAt int64, secret string) *oauth2.Token {
	t := &oauth2.Token{AccessToken: access, RefreshToken: refresh, TokenType: typ}
	if expiresAt != 0 {
		t.Expiry = time.Unix(expiresAt, 0)
	}
	if secret != "" {
		t = t.WithExtra(map[string]any{"oauth_token_secret": secret})
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

// refreshes serializes refreshes per account within this process, and
// remembers each account's last refresh so that a request still holding
// the replaced refresh token (a cookie sent before the rotation) gets the
// new tokens instead of refreshing with a spent one. Neither map grows
// with every account that ever refreshed: an account's lock is deleted
// when no one holds or waits for it, and a rotation once its token has
// expired (it is used only while valid) or, for a token without an expiry,
// rotationMemory after it was made.
type refreshes struct {
	mu     sync.Mutex
	locks  map[string]*refreshLock
	recent map[string]rotation
	// swept is len(recent) after the last sweep of expired rotations.
	swept int
}

// refreshLock is an account's lock, with the count of the calls holding
// or waiting for it.
type refreshLock struct {
	sync.Mutex
	users int
}

// rotation is an account's last refresh.
type rotation struct {
	from string // the refresh token that was spent
	to   *oauth2.Token
	at   time.Time // when it was made
}

// rotationMemory is how long a rotation to a token without an expiry is
// remembered: long enough for the requests that raced it, and for a
// browser whose answer with the new cookie was lost to come back.
const rotationMemory = time.Hour

// lock locks the account key and returns its unlock, which deletes the
// lock once no other call holds or waits for it.
func (rs *refreshes) lock(key string) func() {
	rs.mu.Lock()
	if rs.locks == nil {
		rs.locks = map[string]*refreshLock{}
	}
	l := rs.locks[key]
	if l == nil {
		l = &refreshLock{}
		rs.locks[key] = l
	}
	l.users++
	rs.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		rs.mu.Lock()
		if l.users--; l.users == 0 {
			delete(rs.locks, key)
		}
		rs.mu.Unlock()
	}
}

func (rs *refreshes) last(key string) (rotation, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	r, ok := rs.recent[key]
	return r, ok
}

// remember records the account's refresh at now; when the rotations have
// doubled since the last sweep, those whose token expired are dropped
// (amortized: each sweep's cost is paid by the rotations that doubled
// the map).
func (rs *refreshes) remember(key, from string, to *oauth2.Token, now time.Time) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.recent == nil {
		rs.recent = map[string]rotation{}
	}
	rs.recent[key] = rotation{from: from, to: to, at: now}
	if len(rs.recent) < 2*max(rs.swept, 64) {
		return
	}
	maps.DeleteFunc(rs.recent, func(_ string, r rotation) bool {
		if r.to.Expiry.IsZero() {
			return now.Sub(r.at) > rotationMemory
		}
		return !r.to.Expiry.After(now)
	})
	rs.swept = len(rs.recent)
}

// reloadTries and reloadWait bound how long an instance that lost a
// refresh race waits for the winner's tokens to reach the store.
const (
	reloadTries = 10
	reloadWait  = 150 * time.Millisecond
)

// fresh returns tok if it is still valid; otherwise, holding the account's
// lock until keep has stored the result, a refreshed token. Under the lock
// it first takes a token another call has refreshed meanwhile: one
// remembered by this process, or (with reload) one another instance stored.
func (a *Auth) fresh(ctx context.Context, p *oauth.Provider, key string, tok *oauth2.Token, reload func() (*oauth2.Token, error), keep func(*oauth2.Token) error) (*oauth2.Token, error) {
	now := a.cfg.Now()
	valid := func(t *oauth2.Token) bool {
		return t.AccessToken != "" && (t.Expiry.IsZero() || t.Expiry.After(a.cfg.Now().Add(refreshMargin)))
	}
	if valid(tok) {
		return tok, nil
	}
	unlock := a.refreshing.lock(key)
	defer unlock()
	if r, ok := a.refreshing.last(key); ok && r.from == tok.RefreshToken && valid(r.to) {
		if reload == nil { // the caller's copy (a cookie) still has the old tokens
			return r.to, keep(r.to)
		}
		tok = r.to
	}
	if reload != nil {
		latest, err := reload()
		if err != nil {
			return nil, err
		}
		tok = latest
	}
	if valid(tok) {
		return tok, nil
	}
	if tok.RefreshToken == "" {
		return nil, fmt.Errorf("%w: no refresh token", ErrRefresh)
	}
	next, err := p.Refresh(ctx, a.cfg.HTTPClient, tok.RefreshToken, now)
	if err != nil {
		// Another instance may have won the race with a rotating refresh
		// token: wait a little for its tokens to reach the store.
		for i := 0; reload != nil && i < reloadTries; i++ {
			if latest, rerr := reload(); rerr == nil && latest.AccessToken != tok.AccessToken && valid(latest) {
				return latest, nil
			}
			select {
			case <-ctx.Done():
				return nil, fmt.Errorf("%w: %w", ErrRefresh, ctx.Err())
			case <-time.After(reloadWait):
			}
		}
		return nil, fmt.Errorf("%w: %w", ErrRefresh, err)
	}
	if next.RefreshToken == "" {
		next.RefreshToken = tok.RefreshToken
	}
	if err := keep(next); err != nil {
		return nil, err
	}
	a.refreshing.remember(key, tok.RefreshToken, next, a.cfg.Now())
	return next, nil
}
