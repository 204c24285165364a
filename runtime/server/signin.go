package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/authgen/authgen/runtime/cookie"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/session"
	"github.com/authgen/authgen/runtime/store"
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
	data.Credentials = a.credentialsForms(rq)
	if a.email != nil {
		data.EmailSignInURL = rq.apiURL(a, "/signin/"+EmailProviderID)
	}
	if a.passkeys != nil {
		data.Passkey = &passkeySignIn{OptionsURL: rq.apiURL(a, "/signin/"+PasskeyProviderID+"/options"),
			CallbackURL: rq.apiURL(a, "/callback/"+PasskeyProviderID), ScriptURL: a.passkeyScriptURL()}
		if a.cfg.PasskeySignUp {
			data.Passkey.SignUpOptionsURL, data.Passkey.SignUpURL = rq.apiURL(a, passkeySignUpPath+"/options"), rq.apiURL(a, passkeySignUpPath)
		}
	}
	data.formAction = a.signInFormAction(r.Context(), rq)
	a.pages.render(w, http.StatusOK, "signin", data)
}

func (a *Auth) rememberCallbackURL(rq *request, u string) {
	a.setCallbackCookie(rq, u)
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
	if !a.allowSignIn(rq, CodeOAuthSignin) {
		return
	}
	a.rememberCallbackURL(rq, a.callbackURL(rq))
	authURL, ch, err := p.Begin(r.Context(), a.cfg.HTTPClient, rq.apiURL(a, "/callback/"+p.ID), r.URL.Query())
	if err != nil {
		a.fail(w, rq, CodeOAuthSignin, fmt.Errorf("provider %s: %w", p.ID, err))
		return
	}
	expires := a.cfg.Now().Add(checkMaxAge)
	oauth1 := ""
	if ch.RequestToken != "" {
		oauth1 = ch.RequestToken + " " + ch.RequestSecret
	}
	for base, value := range map[string]string{cookie.State: ch.State, cookie.PKCEVerifier: ch.Verifier, cookie.Nonce: ch.Nonce, cookie.OAuth1: oauth1} {
		if value == "" {
			continue
		}
		sealed, err := a.sealCheck(base, p.ID, value, expires)
		if err != nil {
			a.fail(w, rq, CodeOAuthSignin, err)
			return
		}
		c := rq.jar.Cookie(base, sealed, expires)
		if p.ResponseMode == "form_post" && rq.jar.Secure() {
			// The provider POSTs the callback from its own site: a Lax
			// cookie would not come along.
			c.SameSite = http.SameSiteNoneMode
		}
		http.SetCookie(w, c)
	}
	rq.redirectTo(authURL, http.StatusOK)
}

// checkCookies are the cookies holding a sign-in's checks.
var checkCookies = []string{cookie.State, cookie.PKCEVerifier, cookie.Nonce, cookie.OAuth1}

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
	return a.openSealed(rq.jar.Get(rq.r, base), base, provider)
}

// openSealed is openCheck on a sealed value raw.
func (a *Auth) openSealed(raw, base, provider string) string {
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
	ch.RequestToken, ch.RequestSecret, _ = strings.Cut(a.openCheck(rq, cookie.OAuth1, p.ID), " ")
	// The checks are single-use, whatever happens next.
	for _, base := range checkCookies {
		if rq.jar.Get(r, base) != "" {
			rq.jar.Delete(w, base)
		}
	}
	res, err := p.Finish(r.Context(), a.cfg.HTTPClient, params, rq.apiURL(a, "/callback/"+p.ID), ch)
	if err != nil {
		a.failAs(rq, CodeOAuthCallback, callbackV5Code(p, params, ch, err), fmt.Errorf("provider %s: %w", p.ID, err))
		return
	}
	a.completeSignIn(rq, p, res)
}

// callbackV5Code is @auth/core's code for a callback that failed with err:
// OAuthCallbackError when the provider answered with its own error (and the
// state, when the provider uses one, is this browser's, which core checks
// first), else Configuration (a state or PKCE check, the code exchange,
// the ID token or the profile).
func callbackV5Code(p *oauth.Provider, params url.Values, ch oauth.Checks, err error) Code {
	if !errors.Is(err, oauth.ErrProviderError) {
		return CodeConfiguration
	}
	if p.Type != oauth.TypeOAuth1 && p.Uses(oauth.State) && (ch.State == "" || params.Get("state") != ch.State) {
		return CodeConfiguration
	}
	return CodeOAuthCallbackError
}

// completeSignIn finds or plans the user, runs the SignIn callback, then
// (only if it agrees) links or creates, starts the session and redirects.
// A sign-in by a user who is signed in already (linking another account,
// or signing in again with one of theirs) replaces their session: the new
// one starts, the old one ends.
func (a *Auth) completeSignIn(rq *request, p *oauth.Provider, res *oauth.Result) {
	ctx := rq.r.Context()
	account := accountOf(p, res)
	user := User{ID: p.ID + ":" + res.User.ID, Name: res.User.Name, Email: res.User.Email, Image: res.User.Image}
	var plan *linkPlan
	if a.cfg.Users != nil {
		var code Code
		var err error
		if plan, code, err = a.findUser(rq, p, res); err != nil {
			a.failLink(rq, plan, code, err)
			return
		}
		user = userOf(plan.user)
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
	isNew := false
	if plan != nil {
		u, code, err := a.applyPlan(ctx, plan, res, account)
		if err != nil {
			a.failLink(rq, plan, code, err)
			return
		}
		user, isNew = userOf(u), plan.created
		if a.secondFactorNeeded(rq, user, p.ID, isNew, plan.previous) {
			return
		}
	}
	if err := a.startSession(rq, user, p.ID, res, isNew); err != nil {
		a.fail(rq.w, rq, CodeCallback, err)
		return
	}
	if plan != nil && plan.previous != nil {
		// Replaced, not left behind in the user's list of sessions.
		if err := a.endSessions(ctx, plan.previous, false); err != nil {
			a.log.WarnContext(ctx, "authgen: ending the session a sign-in replaced", "error", err)
		}
	}
	a.rotateCSRF(rq)
	a.emitSignIn(ctx, SignInEvent{User: user, Provider: p.ID, IsNewUser: isNew})
	target := a.callbackURL(rq)
	if isNew && a.cfg.Pages.NewUser != "" {
		target = withQuery(a.cfg.Pages.NewUser, url.Values{"callbackUrl": {target}})
	}
	rq.redirectTo(target, http.StatusOK)
}

func accountOf(p *oauth.Provider, res *oauth.Result) store.Account {
	acc := store.Account{Type: string(p.Type), Provider: p.ID, ProviderAccountID: res.User.ID}
	if t := res.Token; t != nil {
		acc.AccessToken, acc.RefreshToken, acc.TokenType = t.AccessToken, t.RefreshToken, t.TokenType
		if !t.Expiry.IsZero() {
			acc.ExpiresAt = t.Expiry.Unix()
		}
		if s, ok := t.Extra("scope").(string); ok {
			acc.Scope = s
		}
		if s, ok := t.Extra("id_token").(string); ok {
			acc.IDToken = s
		}
		if s, ok := t.Extra("session_state").(string); ok {
			acc.SessionState = s
		}
		if s, ok := t.Extra("oauth_token_secret").(string); ok {
			acc.TokenSecret = s
		}
	}
	return acc
}

// startSession writes the new session of user, signed in with the provider
// providerID: a JWT (through the JWT callback) or a database session with a
// fresh random token. res is the OAuth sign-in's result, nil for e-mail
// sign-in.
func (a *Auth) startSession(rq *request, user User, providerID string, res *oauth.Result, isNew bool) error {
	ctx := rq.r.Context()
	now := a.cfg.Now()
	if a.cfg.Strategy == StrategyDatabase {
		token := random32()
		rec := a.newSessionRecord(rq, store.HashToken(token), user, providerID, now)
		if err := a.cfg.Sessions.CreateSession(ctx, rec); err != nil {
			return fmt.Errorf("%w: create session: %w", ErrStore, err)
		}
		a.maybeCleanup(ctx)
		rq.jar.Set(rq.w, cookie.SessionToken, token, rec.Expires)
		return nil
	}
	claims := &session.Claims{Subject: user.ID, Name: user.Name, Email: user.Email, Picture: user.Image, Provider: providerID, AuthTime: now.Unix()}
	var profile any
	if res != nil {
		profile = res.Profile
	}
	if a.cfg.Session.Protection == session.Encrypted && res != nil && res.Token != nil && a.cfg.Users == nil {
		acc := accountOf(a.providers[providerID], res)
		claims.Account = &session.AccountTokens{
			Provider: acc.Provider, ProviderAccountID: acc.ProviderAccountID, AccessToken: acc.AccessToken,
			RefreshToken: acc.RefreshToken, ExpiresAt: acc.ExpiresAt, TokenType: acc.TokenType, Scope: acc.Scope, IDToken: acc.IDToken,
			TokenSecret: acc.TokenSecret,
		}
	}
	if cb := a.cfg.Callbacks.JWT; cb != nil {
		trigger := TriggerSignIn
		if isNew {
			trigger = TriggerSignUp
		}
		if err := cb(ctx, &JWTInput{Trigger: trigger, Claims: claims, User: &user, Profile: profile}); err != nil {
			return fmt.Errorf("jwt callback: %w", err)
		}
		claims.SessionID, claims.AuthTime = "", now.Unix()
	}
	if a.revocable() {
		sid := random32()
		if err := a.cfg.Sessions.CreateSession(ctx, a.newSessionRecord(rq, store.HashToken(sid), user, providerID, now)); err != nil {
			return fmt.Errorf("%w: create the session's record: %w", ErrStore, err)
		}
		a.maybeCleanup(ctx)
		claims.SessionID = sid
	}
	return a.writeJWT(rq, claims)
}

// writeJWT encodes claims into the session cookie.
func (a *Auth) writeJWT(rq *request, claims *session.Claims) error {
	token, err := a.encodeJWT(rq.jar, claims, a.cfg.Now())
	if err != nil {
		return fmt.Errorf("encode session: %w", err)
	}
	if err := rq.jar.SetChunked(rq.w, rq.r, cookie.SessionToken, token, claims.Expires()); err != nil {
		return fmt.Errorf("write session cookie: %w", err)
	}
	return nil
}

// cleanupEvery is how often sign-ins also delete expired sessions.
const cleanupEvery = time.Hour

// maybeCleanup deletes expired sessions in the background at most once per
// cleanupEvery.
func (a *Auth) maybeCleanup(ctx context.Context) {
	now := a.cfg.Now().Unix()
	last := a.lastCleanup.Load()
	if now-last < int64(cleanupEvery/time.Second) || !a.lastCleanup.CompareAndSwap(last, now) {
		return
	}
	ctx = context.WithoutCancel(ctx)
	go func() {
		if _, err := a.CleanupSessions(ctx); err != nil {
			a.log.WarnContext(ctx, "authgen: deleting expired sessions", "error", err)
		}
	}()
}

// CleanupSessions deletes expired database sessions and returns how many.
// Sign-ins run it at most hourly; applications may also schedule it.
func (a *Auth) CleanupSessions(ctx context.Context) (int64, error) {
	if a.cfg.Sessions == nil {
		return 0, nil
	}
	return a.cfg.Sessions.DeleteExpiredSessions(ctx, a.cfg.Now())
}

// random32 returns 32 random bytes, base64url-encoded: a session token.
func random32() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails
	return base64.RawURLEncoding.EncodeToString(b[:])
}
