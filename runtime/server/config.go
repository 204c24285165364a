// Package server serves authgen's HTTP API — the Auth.js REST API under a
// base path (default /api/auth) — with its default pages, and provides the
// middleware and session accessor applications use to protect their routes.
//
// Routes, relative to the base path:
//
//	GET  /providers             the configured providers
//	GET  /csrf                  a CSRF token (and its cookie)
//	GET  /session               the current session, or null
//	POST /session               update the session (CSRF)
//	GET  /signin                the sign-in page
//	POST /signin/{provider}     start a sign-in (CSRF; rate limited, ratelimit.go)
//	GET  /callback/{provider}   finish an OAuth sign-in (also POST, for form_post)
//	POST /callback/{id}         sign in with a credentials provider's form (CSRF; rate limited; Config.Credentials)
//	POST /signin/email          mail a sign-in link and code (CSRF; rate limited; with Config.Email)
//	GET  /callback/email        the mail's link: a page asking to confirm, which uses nothing up
//	POST /callback/email        finish an e-mail sign-in with the link's token or the code (CSRF)
//	GET  /signout               the sign-out page
//	POST /signout               sign out (CSRF); everywhere=true ends every session of the user
//	GET  /sessions              the signed-in user's sessions (database sessions, revocable JWTs)
//	POST /sessions/revoke       end one of them by its id (CSRF)
//	GET  /accounts              the signed-in user's ways to sign in (with Users)
//	POST /accounts/unlink       unlink one of them (CSRF), never the last
//	GET  /account               the account page: ways to sign in, sessions
//	GET  /2fa                   two-factor: enrol, or manage (with Config.TwoFactor)
//	POST /2fa/enroll            start enrolling: a new secret (CSRF)
//	POST /2fa/confirm           confirm with a first code: 10 recovery codes (CSRF)
//	POST /2fa/disable           turn it off with a code (CSRF)
//	POST /2fa/recovery-codes    new recovery codes, with a code (CSRF)
//	GET  /2fa/verify            the code page of a sign-in waiting for its second factor
//	POST /2fa/verify            finish that sign-in with a code (CSRF; rate limited)
//	GET  /verify-request        the "check your e-mail" page
//	GET  /error                 the error page
package server

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/ratelimit"
	"github.com/authgen/authgen/runtime/session"
	"github.com/authgen/authgen/runtime/store"
)

// Config configures the auth server. URL and Keys are required; zero values of the rest take secure defaults.
type Config struct {
	// URL is the application's public origin, scheme://host[:port]
	// (AUTH_URL). Cookies are Secure and prefixed when it is https.
	URL *url.URL
	// BasePath is where the routes live; default /api/auth.
	BasePath string
	// TrustHost makes the origin come from X-Forwarded-Proto and
	// X-Forwarded-Host (else Host) instead of URL (AUTH_TRUST_HOST): their
	// right-most values, as a proxy appends its own to the client's. A
	// request whose values are not a plain host[:port] and http or https is
	// refused with 400 (ErrForwarded). Only set it behind a proxy that sets
	// those headers.
	TrustHost bool
	// TrustedOrigins are other origins allowed to POST to the API (for
	// example a front end on another host); see http.CrossOriginProtection.
	TrustedOrigins []string

	// Keys sign and encrypt tokens and cookies. The server reads the set
	// from many goroutines and keeps what it derives until the set's next
	// scheduled change (a staged key's takeover, a retired key's expiry):
	// do not change it after New. A rotation (authgen keys rotate) takes
	// effect at the next start.
	Keys *keys.Set
	// Providers, in the order the sign-in page lists them.
	Providers []*oauth.Provider
	// Email, when set, turns on e-mail sign-in (provider ID
	// EmailProviderID), which needs Users; nil leaves it off.
	Email *Email
	// Credentials are the credentials providers (a form checked by the
	// application's Authorize, credentials.go), in the order the sign-in
	// page shows them after the OAuth buttons.
	Credentials []*Credentials
	// TwoFactor, when set with a Mode other than TwoFactorOff, turns on
	// two-factor sign-in with TOTP (twofactor.go), which needs Users that
	// also implement store.TwoFactors and store.VerificationTokens.
	TwoFactor *TwoFactor

	// Session configures session lifetimes and the JWT's protection.
	Session session.Options
	// Strategy is StrategyJWT (default) or StrategyDatabase, which needs
	// Users and Sessions.
	Strategy Strategy
	// Users, when set, keeps users and their provider accounts: a signed-in
	// user gets a stable ID and the same user is found at the next sign-in.
	// The accounts' provider tokens reach it sealed with a key of Keys
	// (package atrest), and are opened when the server reads them.
	Users store.Users
	// Sessions keeps database sessions (Strategy database), and the records
	// of JWT sessions with Revocation.
	Sessions store.Sessions
	// Revocation makes JWT sessions revocable: each has a record in
	// Sessions (with Users), which signing out deletes, and a session whose
	// record is gone is refused on every instance within RevocationDelay.
	// Without it a JWT session lives until it expires, whatever happens on
	// the server. Database sessions are revocable anyway.
	Revocation bool
	// CookiePrefix replaces "authgen" in cookie names.
	CookiePrefix string
	// CookieDomain, when set, shares the session with the domain and its
	// subdomains (auth.example.com and www.example.com under example.com):
	// the session token and its chunks are written with this Domain and,
	// on https, named __Secure- instead of __Host-. The CSRF token and the
	// sign-in's check cookies stay host-only __Host- cookies. A session
	// cookie with a Domain can be planted by any host under that domain.
	// A request for a host outside the domain (URL's, in development, or
	// another with TrustHost) gets host-only cookies, as a browser would
	// refuse the Domain; New logs a warning when URL's host is outside it.
	CookieDomain string
	// Passkeys turns passkeys (WebAuthn) on: the ceremony, from the module
	// runtime/passkey (passkey.New()). It needs Users implementing
	// store.Passkeys and store.VerificationTokens. Nil: no passkey routes.
	Passkeys PasskeyCeremony
	// PasskeySignUp lets a visitor without an account sign up with a
	// passkey (authgen.yaml passkey.signup); else passkeys only attach to
	// signed-in users.
	PasskeySignUp bool
	// HSTS, when positive, is the max-age of the Strict-Transport-Security
	// header on every answer of the API to an https request.
	HSTS time.Duration
	// AuthJS, when set, shares sessions with an Auth.js application on
	// the same site (see AuthJS); it needs StrategyJWT.
	AuthJS *AuthJS
	// EmptySessionObject makes GET /session answer {} instead of null when
	// there is no session, as next-auth v4 clients expect (and as a
	// next-auth 4 server answers: AuthJS with Version 4 turns it on).
	EmptySessionObject bool
	// ErrorCodes is the Auth.js version whose error codes and routing the
	// server follows: ErrorCodesV4 (next-auth v4's codes such as
	// OAuthCallback, most failures on the sign-in or error page as v4 sends
	// them) or ErrorCodesV5 (@auth/core's client-safe codes, the rest
	// Configuration). errors.go maps each situation under both. The default
	// is AuthJS's version when it is set, else ErrorCodesV4.
	ErrorCodes ErrorCodeStyle

	Callbacks Callbacks
	Events    Events
	// DecodeData turns a session's Data (the JSON the JWT callback stored
	// in the claims) into the application's own type, kept in
	// Session.Decoded. A session whose Data it refuses is an error wrapping
	// ErrSessionData, logged once per session: Session returns it, and
	// Require, WithSession and GET /session answer 500. Nil: Data is not
	// decoded.
	DecodeData func(data json.RawMessage) (any, error)
	// Pages replace the built-in pages with the application's own.
	Pages Pages
	// Theme styles the built-in pages.
	Theme Theme

	// Logger receives errors and warnings; nil discards them. Secrets and
	// tokens are never logged.
	Logger *slog.Logger
	// RateLimits replace DefaultRateLimits name by name (LimitEmail,
	// LimitEmailPerClient, LimitSignInPerClient); ratelimit.Off turns one
	// off. A name the server does not know is a configuration error.
	RateLimits map[string]ratelimit.Limit
	// RateLimitStore keeps the rate limits' buckets. Default:
	// ratelimit.NewMemory(0), this instance's memory, so that each
	// instance counts on its own; instances behind one load balancer share
	// a store such as redisstore.Store, or a client gets every limit once
	// per instance.
	RateLimitStore ratelimit.Store

	// HTTPClient talks to providers (discovery, key sets, token, userinfo,
	// OAuth 1.0a endpoints, refresh). Default: oauth.NewClient(), with
	// connect, TLS handshake, response header and whole-request timeouts.
	// A client of the application's keeps its transport (proxy, TLS roots,
	// its own timeouts) and is used through oauth.Guard, which keeps the
	// guarantees: no redirect is followed, no answer is read past 1 MB, no
	// cookie is kept, and a request times out after 10 s unless the client
	// sets its own Timeout.
	HTTPClient *http.Client
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Strategy says where sessions live.
type Strategy string

// Session strategies.
const (
	// StrategyJWT keeps the session in the cookie, signed or encrypted.
	StrategyJWT Strategy = "jwt"
	// StrategyDatabase keeps an opaque random token in the cookie and the
	// session in the store, which holds only the token's SHA-256.
	StrategyDatabase Strategy = "database"
)

// Pages are the application's own pages, each an absolute http(s) URL or
// a path on the application's origin outside BasePath (see CheckPagePath).
// Authgen redirects there with the same query parameters Auth.js passes
// (callbackUrl, error).
type Pages struct {
	SignIn        string
	SignOut       string
	Error         string
	VerifyRequest string
	// NewUser, when set, is where a user is sent after their first sign-in,
	// with ?callbackUrl=.
	NewUser string
}

// Theme styles the built-in pages.
type Theme struct {
	// Brand is a CSS colour for buttons and accents: a hex colour or a CSS
	// colour name (see CheckColor).
	Brand string
	// Logo is the URL of an image shown above the forms: https, or a path
	// on the application's origin (see CheckLogo).
	Logo string
	// AppName is shown in page titles.
	AppName string
}

// Callbacks let the application decide and shape what happens. Each may be
// nil.
type Callbacks struct {
	// SignIn decides whether a user may sign in. Returning an error refuses
	// with AccessDenied, or redirects when the error is a *RedirectError.
	SignIn func(ctx context.Context, in *SignInInput) error
	// Redirect decides where the browser may be sent after sign-in or
	// sign-out. The default allows only the application's own origin.
	Redirect func(ctx context.Context, target string, origin *url.URL) (string, error)
	// JWT shapes the session token's claims: at sign-in (Trigger SignIn or
	// SignUp), on POST /session (Update, with the client's data) and when a
	// session is renewed (Refresh). Store custom fields in claims.Data.
	JWT func(ctx context.Context, in *JWTInput) error
	// Session shapes the JSON body of GET and POST /session.
	Session func(ctx context.Context, s *Session, body map[string]any) error
	// NormalizeEmail turns the address typed for e-mail sign-in into the
	// one the user is known by, replacing NormalizeEmail (which a hook may
	// call first). An error refuses the address: the sign-in page shows
	// EmailSignin.
	NormalizeEmail func(ctx context.Context, email string) (string, error)
}

// Trigger says why the JWT callback runs.
type Trigger string

// Triggers of the JWT callback.
const (
	TriggerSignIn  Trigger = "signIn"
	TriggerSignUp  Trigger = "signUp"
	TriggerUpdate  Trigger = "update"
	TriggerRefresh Trigger = "refresh"
)

// SignInInput is what the SignIn callback decides on.
type SignInInput struct {
	// User is the user about to sign in.
	User User
	// Provider is the provider's ID.
	Provider string
	// Profile is the provider's typed profile (a pointer to the generated
	// profile struct); a credentials provider's *Identity; nil for e-mail
	// sign-in.
	Profile any
	// VerificationRequest is true when a user asks for a sign-in e-mail
	// (Provider EmailProviderID, before anything is sent; refusing sends
	// nothing), as Auth.js's email.verificationRequest. The callback runs
	// again, with it false, when the link or code is used.
	VerificationRequest bool
}

// JWTInput is given to the JWT callback.
type JWTInput struct {
	Trigger Trigger
	// Claims may be changed; they become the new token.
	Claims *session.Claims
	// User is set on sign-in.
	User *User
	// Profile is set on sign-in: the provider's typed profile, or a
	// credentials provider's *Identity (with its Claims).
	Profile any
	// Update is the client's data on POST /session.
	Update json.RawMessage
}

// RedirectError, returned by the SignIn callback, sends the browser to URL
// instead of signing in. The URL goes through the Redirect callback.
type RedirectError struct{ URL string }

func (e *RedirectError) Error() string { return "server: sign-in redirected to " + e.URL }

// User is the signed-in user.
type User struct {
	ID    string
	Name  string
	Email string
	Image string
}

// Session is a signed-in user's session.
type Session struct {
	User User
	// Provider is the ID of the provider the user signed in with; empty for
	// a database session stored before sessions recorded it.
	Provider string
	Expires  time.Time
	// Data is the JSON the JWT callback stored in claims.Data.
	Data json.RawMessage
	// Decoded is Data as Config.DecodeData returned it (nil without it).
	Decoded any
}

// ErrConfig reports an unusable configuration.
var ErrConfig = errors.New("server: invalid configuration")

// reservedProviderIDs says why EmailProviderID and PasskeyProviderID are
// no other provider's ID: accounts of those providers are e-mail sign-in's
// and passkeys' (the ways to sign in, the account page), and their routes
// are fixed.
const reservedProviderIDs = "\"" + EmailProviderID + "\" and \"" + PasskeyProviderID + "\" are e-mail sign-in's and passkeys' (their accounts and routes), whether on or off: rename the provider"

// reservedProviderID reports whether id is e-mail sign-in's or passkeys'.
func reservedProviderID(id string) bool {
	return id == EmailProviderID || id == PasskeyProviderID
}

// validBasePath reports whether a BasePath is a path whose segments are
// plain — none empty, . or .., and no space, control character or one of
// ?#{}%\ — so the routes under it are valid http.ServeMux patterns.
func validBasePath(p string) bool {
	for _, seg := range strings.Split(strings.Trim(p, "/"), "/") {
		if seg == "" || seg == "." || seg == ".." || strings.ContainsFunc(seg, func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("?#{}%\\", r)
		}) {
			return false
		}
	}
	return true
}

// plainSegment reports whether s is a non-empty path segment of ASCII
// letters, digits, -, _, . and ~ only.
func plainSegment(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("-_.~", r))
	})
}

func (c *Config) normalize() error {
	var problems []string
	if c.URL == nil || c.URL.Host == "" || (c.URL.Scheme != "http" && c.URL.Scheme != "https") {
		problems = append(problems, "URL must be an absolute http(s) origin")
	} else if strings.TrimSuffix(c.URL.Path, "/") != "" || c.URL.RawQuery != "" {
		problems = append(problems, "URL must be an origin without path or query (set BasePath for the path)")
	}
	if c.Keys == nil {
		problems = append(problems, "Keys is required")
	}
	if c.BasePath != "" && !validBasePath(c.BasePath) {
		problems = append(problems, fmt.Sprintf("BasePath %q must be a path without empty, . or .. segments, spaces or any of ?#{}%%\\, such as /api/auth", c.BasePath))
	}
	seen := map[string]bool{}
	for _, p := range c.Providers {
		switch {
		case p == nil:
			problems = append(problems, "a provider is nil")
			continue
		case p.ID == "" || strings.ContainsAny(p.ID, "/?#% "):
			problems = append(problems, fmt.Sprintf("provider ID %q is not URL-safe", p.ID))
		case reservedProviderID(p.ID):
			problems = append(problems, fmt.Sprintf("provider ID %q is reserved: %s", p.ID, reservedProviderIDs))
		case seen[p.ID]:
			problems = append(problems, fmt.Sprintf("provider ID %q is used twice", p.ID))
		case p.Profile == nil:
			problems = append(problems, fmt.Sprintf("provider %q has no Profile function", p.ID))
		}
		seen[p.ID] = true
	}
	problems = append(problems, c.checkCredentials(seen)...)
	problems = append(problems, c.checkPresentation()...)
	problems = append(problems, c.checkEmail()...)
	problems = append(problems, c.checkTwoFactor()...)
	problems = append(problems, c.checkPasskeys()...)
	problems = append(problems, c.checkHeaders()...)
	switch c.Strategy {
	case "", StrategyJWT:
		c.Strategy = StrategyJWT
		if c.Revocation && (c.Sessions == nil || c.Users == nil) {
			problems = append(problems, "Revocation needs Users and Sessions, which keep the sessions' records")
		}
	case StrategyDatabase:
		if c.Sessions == nil || c.Users == nil {
			problems = append(problems, "Strategy database needs Users and Sessions")
		}
		if c.Revocation {
			problems = append(problems, "Revocation is for JWT sessions: database sessions are revocable anyway")
		}
	default:
		problems = append(problems, fmt.Sprintf("unknown Strategy %q", c.Strategy))
	}
	switch c.ErrorCodes {
	case "":
		c.ErrorCodes = ErrorCodesV4
		if c.AuthJS != nil && c.AuthJS.Version == 5 {
			c.ErrorCodes = ErrorCodesV5
		}
	case ErrorCodesV4, ErrorCodesV5:
	default:
		problems = append(problems, fmt.Sprintf("unknown ErrorCodes %q: use ErrorCodesV4 (%q) or ErrorCodesV5 (%q)", c.ErrorCodes, ErrorCodesV4, ErrorCodesV5))
	}
	if c.AuthJS != nil && c.AuthJS.Version == 4 {
		c.EmptySessionObject = true
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrConfig, strings.Join(problems, "; "))
	}
	c.BasePath = "/" + strings.Trim(cmp.Or(c.BasePath, "/api/auth"), "/")
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	c.HTTPClient = oauth.Guard(c.HTTPClient)
	if c.Now == nil {
		c.Now = time.Now
	}
	c.Theme.AppName = cmp.Or(c.Theme.AppName, "authgen")
	c.emailDefaults()
	return nil
}

// checkHeaders checks CookieDomain and HSTS.
func (c *Config) checkHeaders() []string {
	var problems []string
	if d := c.CookieDomain; d != "" {
		if err := CheckCookieDomain(d); err != nil {
			problems = append(problems, "CookieDomain "+err.Error())
		}
	}
	if c.HSTS < 0 {
		problems = append(problems, fmt.Sprintf("HSTS %s is negative: give the max-age, such as 8760h (a year), or 0 for none", c.HSTS))
	}
	return problems
}

// checkPresentation checks the values that reach the pages and the origin
// check: Theme, Pages and TrustedOrigins.
func (c *Config) checkPresentation() []string {
	var problems []string
	if c.Theme.Brand != "" {
		if err := CheckColor(c.Theme.Brand); err != nil {
			problems = append(problems, "Theme.Brand "+err.Error())
		}
	}
	if c.Theme.Logo != "" {
		if err := CheckLogo(c.Theme.Logo); err != nil {
			problems = append(problems, "Theme.Logo "+err.Error())
		}
	}
	base := cmp.Or(c.BasePath, "/api/auth")
	for _, p := range []struct{ name, page string }{
		{"SignIn", c.Pages.SignIn}, {"SignOut", c.Pages.SignOut}, {"Error", c.Pages.Error},
		{"VerifyRequest", c.Pages.VerifyRequest}, {"NewUser", c.Pages.NewUser},
	} {
		if p.page == "" || isAbsoluteHTTP(p.page) {
			continue
		}
		if err := CheckPagePath(p.page, base); err != nil {
			problems = append(problems, "Pages."+p.name+" "+err.Error())
		}
	}
	for _, o := range c.TrustedOrigins {
		if err := CheckOrigin(o); err != nil {
			problems = append(problems, "TrustedOrigins: "+err.Error())
		}
	}
	return problems
}

// isAbsoluteHTTP reports whether s is an absolute http(s) URL with a host.
func isAbsoluteHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil &&
		!strings.ContainsFunc(s, unsafeURLRune)
}
