package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/authgen/authgen/runtime/cookie"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/session"
)

// checkMaxAge is the lifetime of the state, PKCE and nonce cookies.
const checkMaxAge = 15 * time.Minute

var zeroTime time.Time

func (a *Auth) handleSignInPage(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	q := r.URL.Query()
	if p := a.cfg.Pages.SignIn; p != "" {
		out := url.Values{}
		for _, k := range []string{"callbackUrl", "error"} {
			if v := q.Get(k); v != "" {
				out.Set(k, v)
			}
		}
		http.Redirect(w, r, withQuery(p, out), http.StatusFound)
		return
	}
	callbackURL := a.callbackURL(rq)
	a.rememberCallbackURL(rq, callbackURL)
	code := Code(q.Get("error"))
	data := pageData{
		CSRFToken:   a.csrfToken(rq),
		CallbackURL: callbackURL,
		Home:        rq.origin.String(),
	}
	if code != "" {
		data.Error, data.Message = code, errorMessage(code)
	}
	for _, p := range a.cfg.Providers {
		data.Providers = append(data.Providers, providerData{ID: p.ID, Name: p.Name, SignInURL: rq.apiURL(a, "/signin/"+p.ID)})
	}
	noStore(w)
	a.pages.render(w, http.StatusOK, "signin", data)
}

func (a *Auth) rememberCallbackURL(rq *request, u string) {
	if rq.jar.Get(rq.r, cookie.CallbackURL) != u {
		rq.jar.Set(rq.w, cookie.CallbackURL, u, zeroTime)
	}
}

// handleSignIn starts an OAuth sign-in: POST /signin/{provider}.
func (a *Auth) handleSignIn(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	if err := a.checkCSRF(rq); err != nil {
		a.fail(w, rq, CodeMissingCSRF, err)
		return
	}
	p, ok := a.providers[r.PathValue("provider")]
	if !ok {
		rq.redirectTo(rq.apiURL(a, "/signin"), http.StatusOK)
		return
	}
	a.rememberCallbackURL(rq, a.callbackURL(rq))
	authURL, ch := p.Start(rq.apiURL(a, "/callback/"+p.ID), r.URL.Query())
	expires := a.cfg.Now().Add(checkMaxAge)
	for base, value := range map[string]string{cookie.State: ch.State, cookie.PKCEVerifier: ch.Verifier, cookie.Nonce: ch.Nonce} {
		if value == "" {
			continue
		}
		sealed, err := a.sealCheck(base, p.ID, value, expires)
		if err != nil {
			a.fail(w, rq, CodeOAuthSignin, err)
			return
		}
		rq.jar.Set(w, base, sealed, expires)
	}
	rq.redirectTo(authURL, http.StatusOK)
}

// check is the sealed payload of a state, PKCE or nonce cookie: bound to the
// cookie it was written to and to the provider, and short-lived.
type check struct {
	Value    string `json:"v"`
	Cookie   string `json:"c"`
	Provider string `json:"p"`
	Expiry   int64  `json:"exp"`
}

func (a *Auth) sealCheck(base, provider, value string, expires time.Time) (string, error) {
	payload, err := json.Marshal(check{Value: value, Cookie: base, Provider: provider, Expiry: expires.Unix()})
	if err != nil {
		return "", err
	}
	return a.checks.Encrypt(payload)
}

// openCheck returns the value of a check cookie when it decrypts, belongs
// to this cookie and provider, and has not expired; else "".
func (a *Auth) openCheck(rq *request, base, provider string) string {
	raw := rq.jar.Get(rq.r, base)
	if raw == "" {
		return ""
	}
	now := a.cfg.Now()
	payload, err := a.checks.Decrypt(nil, raw, now)
	if err != nil {
		return ""
	}
	var c check
	if json.Unmarshal(payload, &c) != nil || c.Cookie != base || c.Provider != provider || now.Unix() > c.Expiry {
		return ""
	}
	return c.Value
}

// handleCallback finishes an OAuth sign-in: GET (or POST, for
// response_mode=form_post) /callback/{provider}.
func (a *Auth) handleCallback(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	p, ok := a.providers[r.PathValue("provider")]
	if !ok {
		a.fail(w, rq, CodeOAuthCallback, fmt.Errorf("unknown provider %q", r.PathValue("provider")))
		return
	}
	params := r.URL.Query()
	if r.Method == http.MethodPost {
		if err := a.parseBody(rq); err != nil {
			a.fail(w, rq, CodeOAuthCallback, err)
			return
		}
		params = rq.body
	}
	ch := oauth.Checks{
		State:    a.openCheck(rq, cookie.State, p.ID),
		Verifier: a.openCheck(rq, cookie.PKCEVerifier, p.ID),
		Nonce:    a.openCheck(rq, cookie.Nonce, p.ID),
	}
	// The checks are single-use, whatever happens next.
	for _, base := range []string{cookie.State, cookie.PKCEVerifier, cookie.Nonce} {
		if rq.jar.Get(r, base) != "" {
			rq.jar.Delete(w, base)
		}
	}
	res, err := p.Finish(r.Context(), a.cfg.HTTPClient, params, rq.apiURL(a, "/callback/"+p.ID), ch)
	if err != nil {
		a.fail(w, rq, CodeOAuthCallback, fmt.Errorf("provider %s: %w", p.ID, err))
		return
	}
	a.completeSignIn(rq, p, res)
}

// completeSignIn runs the SignIn callback, writes the session and redirects.
func (a *Auth) completeSignIn(rq *request, p *oauth.Provider, res *oauth.Result) {
	ctx := rq.r.Context()
	user := User{
		ID:    p.ID + ":" + res.User.ID,
		Name:  res.User.Name,
		Email: res.User.Email,
		Image: res.User.Image,
	}
	if cb := a.cfg.Callbacks.SignIn; cb != nil {
		if err := cb(ctx, &SignInInput{User: user, Provider: p.ID, Profile: res.Profile}); err != nil {
			var re *RedirectError
			if errors.As(err, &re) {
				rq.redirectTo(a.safeRedirect(ctx, rq, re.URL), http.StatusOK)
				return
			}
			a.fail(rq.w, rq, CodeAccessDenied, fmt.Errorf("sign-in callback refused %s user: %w", p.ID, err))
			return
		}
	}
	claims := &session.Claims{
		Subject:  user.ID,
		Name:     user.Name,
		Email:    user.Email,
		Picture:  user.Image,
		Provider: p.ID,
	}
	if a.cfg.Session.Protection == session.Encrypted && res.Token != nil {
		claims.Account = accountTokens(p.ID, res)
	}
	if cb := a.cfg.Callbacks.JWT; cb != nil {
		if err := cb(ctx, &JWTInput{Trigger: TriggerSignIn, Claims: claims, User: &user, Profile: res.Profile}); err != nil {
			a.fail(rq.w, rq, CodeCallback, fmt.Errorf("jwt callback: %w", err))
			return
		}
	}
	if err := a.writeSession(rq, claims); err != nil {
		a.fail(rq.w, rq, CodeCallback, err)
		return
	}
	if ev := a.cfg.Events.SignIn; ev != nil {
		ev(context.WithoutCancel(ctx), SignInEvent{User: user, Provider: p.ID})
	}
	rq.redirectTo(a.callbackURL(rq), http.StatusOK)
}

func accountTokens(provider string, res *oauth.Result) *session.AccountTokens {
	t := res.Token
	at := &session.AccountTokens{
		Provider:          provider,
		ProviderAccountID: res.User.ID,
		AccessToken:       t.AccessToken,
		RefreshToken:      t.RefreshToken,
		TokenType:         t.TokenType,
	}
	if !t.Expiry.IsZero() {
		at.ExpiresAt = t.Expiry.Unix()
	}
	if s, ok := t.Extra("scope").(string); ok {
		at.Scope = s
	}
	if s, ok := t.Extra("id_token").(string); ok {
		at.IDToken = s
	}
	return at
}

// writeSession encodes claims into the session cookie.
func (a *Auth) writeSession(rq *request, claims *session.Claims) error {
	now := a.cfg.Now()
	token, err := a.sessions.Encode(claims, now)
	if err != nil {
		return fmt.Errorf("encode session: %w", err)
	}
	if err := rq.jar.SetChunked(rq.w, rq.r, cookie.SessionToken, token, claims.Expires()); err != nil {
		return fmt.Errorf("write session cookie: %w", err)
	}
	return nil
}
