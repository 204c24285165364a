package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/authgen/authgen/runtime/authjs"
	"github.com/authgen/authgen/runtime/cookie"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/session"
)

// AuthJS shares sessions with an Auth.js application on the same site
// (Next.js with next-auth, @auth/express, …), as Config.AuthJS: the session
// token, the CSRF token and the callback URL are the cookies Auth.js of
// that version names and writes, so that a user signed in on either side
// is signed in on the other, and signing out on either ends both.
//
//   - The session cookie is authjs.session-token (Version 5) or
//     next-auth.session-token (Version 4), __Secure- on https, chunked as
//     that version chunks it, and holds the version's JWE (package authjs)
//     with Auth.js's claims — name, email, picture, sub, iat, exp, jti —
//     and authgen's own as further claims: provider, sid, auth_time,
//     account (the provider tokens, as the token is encrypted), and the
//     members of the JWT callback's Data, which must then be a JSON object
//     whose members are not named as one of those. Claims an Auth.js
//     application added come back as Data's members.
//   - The CSRF cookie is token|sha256(token+secret), URL-encoded, and the
//     callback-url cookie is URL-encoded, so each side accepts the other's.
//   - A session cookie that these secrets did not seal (another secret,
//     tampered with, another format) is ignored and left in place, unless
//     it is authgen's own token format: it may be the Auth.js
//     application's under a secret being rotated in. One they sealed but
//     whose times are refused (expired) is deleted, as Auth.js does.
//
// It needs JWT sessions (Auth.js cannot read a database session of
// authgen's store) and a symmetric key set. Its secrets replace the key
// set for the three shared cookies only: sign-in checks (state, PKCE,
// nonce) and everything else keep authgen's keys and names, which must
// therefore not use Auth.js's prefix (Config.CookiePrefix).
type AuthJS struct {
	// Version is 5 (Auth.js 5: @auth/core, next-auth 5) or 4 (next-auth
	// 4).
	Version int
	// Secrets are the Auth.js application's secrets, the one that
	// encrypts first: @auth/core's secret array (AUTH_SECRET_3 …
	// AUTH_SECRET_1, then AUTH_SECRET, those that are set), next-auth 4's
	// NEXTAUTH_SECRET alone. Every one decrypts.
	Secrets []string
}

// authjsExtra are the claims authgen keeps in an Auth.js token beside
// Auth.js's own: Data's members may not take these names.
var authjsExtra = []string{"provider", "sid", "auth_time", "account"}

// authjsPrefix and authjsChunk are the cookie prefix and chunk size of
// each Auth.js version (@auth/core lib/utils/cookie.ts, next-auth 4
// core/lib/cookie.ts).
var (
	authjsPrefix = map[int]string{4: "next-auth", 5: "authjs"}
	authjsChunk  = map[int]int{4: 4096 - 163, 5: 4096 - 160}
)

// authjsState is Config.AuthJS made ready.
type authjsState struct {
	version authjs.Version
	// codecs by session cookie name: the name salts version 5's key.
	codecs map[string]*authjs.Codec
	csrf   *authjs.CSRF
}

// checkAuthJS checks Config.AuthJS against the rest of the configuration
// (normalize has filled its defaults).
func (c *Config) checkAuthJS() error {
	aj := c.AuthJS
	if aj == nil {
		return nil
	}
	prefix, ok := authjsPrefix[aj.Version]
	switch {
	case !ok:
		return fmt.Errorf("%w: AuthJS.Version is %d: want 5 (Auth.js 5) or 4 (next-auth 4)", ErrConfig, aj.Version)
	case len(aj.Secrets) == 0 || slices.Contains(aj.Secrets, ""):
		return fmt.Errorf("%w: AuthJS.Secrets needs the Auth.js application's secret (AUTH_SECRET), and no empty one", ErrConfig)
	case c.Strategy == StrategyDatabase:
		return fmt.Errorf("%w: AuthJS needs JWT sessions: with database sessions the cookie holds a token only authgen's store knows, which the Auth.js application cannot read (use strategy jwt, with Revocation to keep sessions revocable)", ErrConfig)
	case c.CookiePrefix == prefix:
		return fmt.Errorf("%w: CookiePrefix %q is Auth.js's: with AuthJS the shared cookies take Auth.js's names, and authgen's others (state, PKCE, nonce) need a prefix of their own so that sign-ins on the two sides do not overwrite each other's", ErrConfig, prefix)
	}
	if k := c.Keys.Signing(); k.Alg != keys.AlgHS512 {
		return fmt.Errorf("%w: AuthJS needs an HS512 signing key, not %s (key %s): with AuthJS the session is Auth.js's token, encrypted under the secret both applications hold (AUTH_SECRET), so a public-key signing key would sign no session and services verifying with {basePath}/jwks could verify none; rotate to HS512 (authgen keys rotate) or run without AuthJS", ErrConfig, k.Alg, k.ID)
	}
	return nil
}

// newAuthJS prepares Config.AuthJS, checked by checkAuthJS.
func newAuthJS(aj *AuthJS) (*authjsState, error) {
	s := &authjsState{version: authjs.Version(aj.Version), codecs: map[string]*authjs.Codec{}, csrf: authjs.NewCSRF(aj.Secrets)}
	for _, secure := range []bool{false, true} {
		name := cookie.New("authgen", secure).WithAuthJS(authjsPrefix[aj.Version], 0).Name(cookie.SessionToken)
		c, err := authjs.NewCodec(s.version, name, aj.Secrets)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		s.codecs[name] = c
	}
	return s, nil
}

// withAuthJS returns the jar with Auth.js's names for the shared cookies
// when Config.AuthJS is set.
func (a *Auth) withAuthJS(j cookie.Jar) cookie.Jar {
	if a.authjs == nil {
		return j
	}
	v := int(a.authjs.version)
	return j.WithAuthJS(authjsPrefix[v], authjsChunk[v])
}

// encodeJWT encodes a JWT session's claims, stamping their times: in
// authgen's format, or Auth.js's with Config.AuthJS.
func (a *Auth) encodeJWT(jar cookie.Jar, claims *session.Claims, now time.Time) (string, error) {
	if a.authjs == nil {
		return a.sessions.Encode(claims, now)
	}
	if claims.Subject == "" {
		return "", session.ErrNoSubject
	}
	if claims.ID == "" {
		claims.ID = authjs.NewUUID()
	}
	a.sessions.Stamp(claims, now)
	ac, err := toAuthJS(claims)
	if err != nil {
		return "", err
	}
	return a.authjs.codecs[jar.Name(cookie.SessionToken)].Seal(ac)
}

// decodeJWT decodes and checks a JWT session token: authgen's, or with
// Config.AuthJS Auth.js's, whose times are checked as Auth.js checks them
// and as authgen checks its own (MaxAge, the absolute lifetime).
func (a *Auth) decodeJWT(jar cookie.Jar, token string, now time.Time) (*session.Claims, error) {
	if a.authjs == nil {
		return a.sessions.Decode(token, now)
	}
	ac, err := a.authjs.codecs[jar.Name(cookie.SessionToken)].Open(token)
	if err != nil {
		return nil, err
	}
	if err := ac.CheckTime(now); err != nil {
		return nil, err
	}
	claims, err := fromAuthJS(ac)
	if err != nil {
		return nil, err
	}
	if err := a.sessions.Check(claims, now); err != nil {
		return nil, err
	}
	return claims, nil
}

// dropRejected reports whether a session cookie whose token was refused
// (err) is deleted: always, but with Config.AuthJS a token the secrets did
// not seal stays, unless it is authgen's own format.
func (a *Auth) dropRejected(token string, err error) bool {
	if a.authjs == nil || !errors.Is(err, authjs.ErrForeign) {
		return true
	}
	return a.sessions.Owns(token)
}

// toAuthJS maps session claims to an Auth.js token's.
func toAuthJS(cl *session.Claims) (*authjs.Claims, error) {
	ac := &authjs.Claims{
		Name: cl.Name, Email: cl.Email, Picture: cl.Picture, Subject: cl.Subject,
		IssuedAt: cl.IssuedAt, Expiry: cl.Expiry, NotBefore: cl.NotBefore, ID: cl.ID,
		Extra: map[string]json.RawMessage{},
	}
	if len(cl.Data) > 0 && string(cl.Data) != "null" {
		var data map[string]json.RawMessage
		if err := json.Unmarshal(cl.Data, &data); err != nil || data == nil {
			return nil, errors.New("server: with AuthJS the session's Data must be a JSON object, whose members become the Auth.js token's claims")
		}
		for name, v := range data {
			if authjs.IsReserved(name) || slices.Contains(authjsExtra, name) {
				return nil, fmt.Errorf("server: with AuthJS the session's Data may not have a member %q: it is one of the token's own claims", name)
			}
			ac.Extra[name] = v
		}
	}
	set := func(name string, v any) {
		b, _ := json.Marshal(v) // strings, numbers, AccountTokens
		ac.Extra[name] = b
	}
	if cl.Provider != "" {
		set("provider", cl.Provider)
	}
	if cl.SessionID != "" {
		set("sid", cl.SessionID)
	}
	if cl.AuthTime != 0 {
		set("auth_time", cl.AuthTime)
	}
	if cl.Account != nil {
		set("account", cl.Account)
	}
	return ac, nil
}

// fromAuthJS maps an Auth.js token's claims to session claims: authgen's
// own by name, every other into Data.
func fromAuthJS(ac *authjs.Claims) (*session.Claims, error) {
	cl := &session.Claims{
		Name: ac.Name, Email: ac.Email, Picture: ac.Picture, Subject: ac.Subject,
		IssuedAt: ac.IssuedAt, Expiry: ac.Expiry, NotBefore: ac.NotBefore, ID: ac.ID,
	}
	extra := maps.Clone(ac.Extra)
	for name, dst := range map[string]any{"provider": &cl.Provider, "sid": &cl.SessionID, "auth_time": &cl.AuthTime, "account": &cl.Account} {
		v, ok := extra[name]
		if !ok {
			continue
		}
		if err := json.Unmarshal(v, dst); err != nil {
			return nil, fmt.Errorf("%w: claim %s: %w", authjs.ErrClaims, name, err)
		}
		delete(extra, name)
	}
	if len(extra) > 0 {
		data, err := json.Marshal(extra)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", authjs.ErrClaims, err)
		}
		cl.Data = data
	}
	return cl, nil
}

// getCallbackCookie returns the callback-url cookie's value: with
// Config.AuthJS URL-decoded, as Auth.js writes it.
func (a *Auth) getCallbackCookie(rq *request) string {
	v := rq.jar.Get(rq.r, cookie.CallbackURL)
	if a.authjs != nil {
		v = authjs.DecodeCookieValue(v)
	}
	return v
}

// setCallbackCookie writes the callback-url cookie when it changes: with
// Config.AuthJS URL-encoded, as Auth.js writes it.
func (a *Auth) setCallbackCookie(rq *request, u string) {
	if a.getCallbackCookie(rq) == u {
		return
	}
	if a.authjs != nil {
		u = authjs.EncodeCookieValue(u)
	}
	rq.jar.Set(rq.w, cookie.CallbackURL, u, zeroTime)
}
