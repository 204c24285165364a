// Package oauth runs the OAuth 2.0 authorization-code flow (RFC 6749) with
// PKCE (RFC 7636) against a provider described as data: endpoints, scopes,
// which checks it supports, and a function that maps its profile to a user.
//
// The package keeps no state between the redirect and the callback: Start
// returns the Checks (state, PKCE verifier, nonce) that the caller must keep —
// authgen's server keeps them in encrypted, provider-bound cookies — and hand
// back to Finish.
package oauth

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Type is the kind of provider, as Auth.js reports it in GET /providers.
type Type string

// Provider types.
const (
	TypeOAuth  Type = "oauth"
	TypeOIDC   Type = "oidc"
	TypeOAuth1 Type = "oauth1"
)

// Check is a set of protections a provider supports on the callback.
type Check uint8

// Checks a provider may use. PKCE (S256) is the default; State is added for
// providers that do not support PKCE, and both may be used together.
const (
	PKCE Check = 1 << iota
	State
	Nonce
)

// AuthMethod is how the client authenticates at the token endpoint.
type AuthMethod string

// Client authentication methods (OpenID Connect Core §9).
const (
	ClientSecretBasic AuthMethod = "client_secret_basic"
	ClientSecretPost  AuthMethod = "client_secret_post"
)

// Errors from Finish, for callers that branch on them. authgen's server
// answers all of them with the OAuthCallback error code.
var (
	ErrProviderError = errors.New("oauth: provider returned an error")
	ErrState         = errors.New("oauth: state mismatch")
	ErrPKCE          = errors.New("oauth: PKCE verifier missing")
	ErrCode          = errors.New("oauth: authorization code missing")
	ErrExchange      = errors.New("oauth: code exchange failed")
	ErrUserinfo      = errors.New("oauth: userinfo request failed")
	ErrProfile       = errors.New("oauth: profile invalid")
)

// User is a provider's profile mapped to the fields authgen keeps.
type User struct {
	// ID is the provider's stable identifier of the account
	// (Auth.js's providerAccountId).
	ID            string
	Name          string
	Email         string
	EmailVerified bool
	Image         string
}

// ProfileInput is what a provider returned, for a ProfileFunc to map.
type ProfileInput struct {
	// Claims are a verified ID token's claims (OpenID Connect).
	Claims []byte
	// Userinfo is the body of the userinfo response.
	Userinfo []byte
	// Token is the token response.
	Token *oauth2.Token
	// Callback holds the callback's parameters (Apple posts the user's name
	// there, once).
	Callback url.Values
}

// ProfileFunc maps a provider's answers to a User.
type ProfileFunc func(ctx context.Context, in ProfileInput) (*User, any, error)

// EnrichFunc completes a mapped user with further requests, such as GitHub's
// e-mail lookup.
type EnrichFunc func(ctx context.Context, c *http.Client, p *Provider, tok *oauth2.Token, u *User) error

// Provider describes an OAuth 2.0, OpenID Connect or OAuth 1.0a provider.
// Create it as a literal; it is safe for concurrent use once in use.
type Provider struct {
	// ID is the provider's identifier in URLs ("github").
	ID string
	// Name is shown on the sign-in page ("GitHub").
	Name string
	// Type is TypeOAuth, TypeOIDC or TypeOAuth1.
	Type Type

	ClientID     string
	ClientSecret string
	// APIKey is an application key some APIs want besides the token
	// (Bungie's X-API-Key), for the {api_key} template.
	APIKey string
	// AuthMethod defaults to ClientSecretBasic.
	AuthMethod AuthMethod
	// ClientSecretFunc, when set, makes the client secret at each token
	// request (Apple's ES256 client-secret JWT, see AppleClientSecret).
	ClientSecretFunc func(now time.Time) (string, error)
	// ClientAssertion, when set, authenticates with private_key_jwt
	// (RFC 7523): a JWT for the token endpoint audience (see PrivateKeyJWT).
	ClientAssertion func(audience string, now time.Time) (string, error)

	// Issuer is an OpenID Connect provider's issuer; its discovery
	// document supplies the endpoints not set below.
	Issuer string
	// DiscoveryURL, when set, is where the discovery document is instead of
	// <Issuer>/.well-known/openid-configuration (Frontegg); "{issuer}" in it
	// stands for the issuer. The document's issuer must still be Issuer.
	DiscoveryURL string
	// IDTokenAlgs are the ID token signature algorithms accepted (default:
	// the asymmetric ones, intersected with the issuer's).
	IDTokenAlgs []string
	// IDTokenSecretKey: ID tokens are HS256-signed with the client secret
	// (LINE).
	IDTokenSecretKey bool
	// FetchUserinfo also fetches an OpenID Connect provider's userinfo
	// (whose sub must be the ID token's); OAuth 2.0 providers always do.
	FetchUserinfo bool
	// ResponseMode "form_post" makes the provider POST the callback
	// (Apple); its check cookies are then SameSite=None.
	ResponseMode string
	// Logout makes sign-out also end the provider's session
	// (OpenID Connect RP-initiated logout, with id_token_hint), when the
	// issuer has an end_session_endpoint.
	Logout bool

	AuthorizationURL string
	TokenURL         string
	UserinfoURL      string
	// RequestTokenURL is an OAuth 1.0a provider's temporary-credentials
	// endpoint.
	RequestTokenURL string
	// UserinfoMethod is GET unless set (Dropbox wants POST).
	UserinfoMethod string
	// UserinfoHeader is added to the userinfo request. Values may use
	// {client_id}, {api_key}, {access_token} and {token.NAME} (a member of the token
	// response); setting Authorization replaces the Bearer header.
	UserinfoHeader map[string]string

	// Scopes are requested space-separated in the scope parameter.
	Scopes []string
	// Params are added to the authorization URL. Values may use
	// {client_id}.
	Params map[string]string
	// TokenParams are added to the token request. Values may use
	// {client_id} and {client_secret} (TikTok's client_key).
	TokenParams map[string]string
	// TokenExchange, when set, replaces the code exchange for providers
	// that do not follow RFC 6749 there (WeChat's GET with appid).
	TokenExchange func(ctx context.Context, c *http.Client, p *Provider, code, redirectURI string) (*oauth2.Token, error)
	// Checks defaults to PKCE.
	Checks Check

	// Profile maps the provider's answers to a user. Required.
	Profile ProfileFunc
	// Enrich, when set, runs after Profile.
	Enrich EnrichFunc

	// TrustEmail lets a sign-in with an account of this provider that is
	// linked to nobody, while nobody is signed in, link to the existing
	// user with the same e-mail address — when the provider reports the
	// address verified (User.EmailVerified). Without it such a sign-in is
	// refused (Auth.js's OAuthAccountNotLinked). Set it only for a provider
	// you trust to verify the addresses it reports: one that reports an
	// address its user does not own hands that address's account to them.
	// It is authgen.yaml's trustEmail, Auth.js's
	// allowDangerousEmailAccountLinking with the verification required.
	TrustEmail bool

	// Discovery caches the issuer's discovery document (OpenID Connect).
	Discovery *Discovery
}

// Checks are the values kept between Begin and Finish.
type Checks struct {
	State    string
	Verifier string
	Nonce    string
	// RequestToken and RequestSecret are OAuth 1.0a's temporary
	// credentials.
	RequestToken  string
	RequestSecret string
}

func (p *Provider) checks() Check {
	if p.Checks == 0 {
		return PKCE
	}
	return p.Checks
}

// Uses reports whether the provider uses check c.
func (p *Provider) Uses(c Check) bool { return p.checks()&c != 0 }

func (p *Provider) config(redirectURI string, ep endpoints) *oauth2.Config {
	style := oauth2.AuthStyleInHeader
	if p.AuthMethod == ClientSecretPost || p.ClientSecretFunc != nil || p.ClientAssertion != nil {
		style = oauth2.AuthStyleInParams
	}
	return &oauth2.Config{
		ClientID:     p.ClientID,
		ClientSecret: p.ClientSecret,
		Endpoint:     oauth2.Endpoint{AuthURL: ep.auth, TokenURL: ep.token, AuthStyle: style},
		RedirectURL:  redirectURI,
		Scopes:       p.Scopes,
	}
}

// Begin starts a sign-in: it returns the URL to send the browser to and the
// checks to keep until the callback. An OpenID Connect provider's issuer is
// discovered first (once); an OAuth 1.0a provider is asked for a request
// token. extra parameters (from the sign-in request) are added to the
// authorization URL after the provider's own.
func (p *Provider) Begin(ctx context.Context, client *http.Client, redirectURI string, extra url.Values) (string, Checks, error) {
	client = Guard(client)
	switch p.Type {
	case TypeOAuth1:
		return p.beginOAuth1(ctx, client, redirectURI)
	case TypeOIDC:
		d, err := p.discover(ctx, client)
		if err != nil {
			return "", Checks{}, err
		}
		u, ch := p.start(redirectURI, extra, p.endpoints(d))
		return u, ch, nil
	}
	u, ch := p.start(redirectURI, extra, p.endpoints(nil))
	return u, ch, nil
}

// Start is Begin for an OAuth 2.0 provider with known endpoints: it makes
// no request.
func (p *Provider) Start(redirectURI string, extra url.Values) (string, Checks) {
	return p.start(redirectURI, extra, p.endpoints(nil))
}

func (p *Provider) start(redirectURI string, extra url.Values, ep endpoints) (string, Checks) {
	var ch Checks
	var opts []oauth2.AuthCodeOption
	for k, v := range p.Params {
		opts = append(opts, oauth2.SetAuthURLParam(k, p.expand(v, nil)))
	}
	for k, vs := range extra {
		if reserved[k] || len(vs) == 0 {
			continue
		}
		opts = append(opts, oauth2.SetAuthURLParam(k, vs[0]))
	}
	if p.Uses(PKCE) {
		ch.Verifier = oauth2.GenerateVerifier()
		opts = append(opts, oauth2.S256ChallengeOption(ch.Verifier))
	}
	if p.Uses(Nonce) {
		ch.Nonce = random()
		opts = append(opts, oauth2.SetAuthURLParam("nonce", ch.Nonce))
	}
	state := ""
	if p.Uses(State) {
		ch.State = random()
		state = ch.State
	}
	if p.ResponseMode != "" {
		opts = append(opts, oauth2.SetAuthURLParam("response_mode", p.ResponseMode))
	}
	u := p.config(redirectURI, ep).AuthCodeURL(state, opts...)
	if state == "" {
		u = dropEmptyState(u)
	}
	return u, ch
}

// ReservedParam reports whether name is an authorization parameter the
// sign-in flow sets itself (client_id, redirect_uri, response_type, state,
// the PKCE challenge, nonce, response_mode): a sign-in request's extra
// parameters never override one, and a provider's Params must not set one.
func ReservedParam(name string) bool { return reserved[name] }

// reserved are the parameters a sign-in request may not override.
var reserved = map[string]bool{
	"client_id": true, "redirect_uri": true, "response_type": true, "state": true,
	"code_challenge": true, "code_challenge_method": true, "nonce": true, "response_mode": true,
}

// dropEmptyState removes the empty state=" parameter x/oauth2 always adds.
func dropEmptyState(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	if q.Get("state") == "" {
		q.Del("state")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

func random() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Result is a completed sign-in.
type Result struct {
	User *User
	// Profile is the provider's typed profile (for example *GitHubProfile in
	// generated code), for callbacks.
	Profile any
	Token   *oauth2.Token
}

// Finish completes the callback whose query (or form_post body) is q: it
// checks the state, the RFC 9207 issuer and the PKCE verifier kept in ch,
// exchanges the code, verifies an OpenID Connect ID token (signature, iss,
// aud, azp, exp, iat, nonce), fetches the profile and maps it. Errors wrap
// the sentinels above and never contain tokens.
func (p *Provider) Finish(ctx context.Context, client *http.Client, q url.Values, redirectURI string, ch Checks) (*Result, error) {
	client = Guard(client)
	if p.Type == TypeOAuth1 {
		return p.finishOAuth1(ctx, client, q, ch)
	}
	if e := q.Get("error"); e != "" {
		return nil, fmt.Errorf("%w: %s", ErrProviderError, sanitize(e))
	}
	if p.Uses(State) && !equal(q.Get("state"), ch.State) {
		return nil, ErrState
	}
	var d *discovered
	if p.Type == TypeOIDC {
		var err error
		if d, err = p.discover(ctx, client); err != nil {
			return nil, err
		}
		if err := checkIssParam(d, q.Get("iss"), q.Has("iss")); err != nil {
			return nil, err
		}
	}
	if p.Uses(PKCE) && ch.Verifier == "" {
		return nil, ErrPKCE
	}
	code := q.Get("code")
	if code == "" {
		return nil, ErrCode
	}
	now := time.Now()
	ep := p.endpoints(d)
	opts, err := p.clientAuth(ep.token, now)
	if err != nil {
		return nil, err
	}
	if p.Uses(PKCE) {
		opts = append(opts, oauth2.VerifierOption(ch.Verifier))
	}
	for k, v := range p.TokenParams {
		opts = append(opts, oauth2.SetAuthURLParam(k, p.expand(v, nil)))
	}
	cfg := p.config(redirectURI, ep)
	if p.ClientSecretFunc != nil {
		if cfg.ClientSecret, err = p.ClientSecretFunc(now); err != nil {
			return nil, fmt.Errorf("%w: client secret: %w", ErrExchange, err)
		}
	}
	var tok *oauth2.Token
	if p.TokenExchange != nil {
		tok, err = p.TokenExchange(ctx, client, p, code, redirectURI)
	} else {
		tok, err = cfg.Exchange(context.WithValue(ctx, oauth2.HTTPClient, client), code, opts...)
	}
	if err != nil {
		return nil, exchangeError(err, ep.token)
	}
	in := ProfileInput{Token: tok, Callback: q}
	var sub string
	if p.Type == TypeOIDC {
		raw, _ := tok.Extra("id_token").(string)
		if raw == "" {
			return nil, fmt.Errorf("%w: the token response has no id_token", ErrIDToken)
		}
		claims, c, err := p.verifyIDToken(ctx, client, d, raw, ch.Nonce, tok.AccessToken, now)
		if err != nil {
			return nil, err
		}
		in.Claims, sub = claims, c.Sub
	}
	if p.Type != TypeOIDC || p.FetchUserinfo {
		body, err := p.userinfo(ctx, client, ep.userinfo, tok)
		if err != nil {
			return nil, err
		}
		if sub != "" && body != nil {
			var ui struct {
				Sub string `json:"sub"`
			}
			if json.Unmarshal(body, &ui) != nil || ui.Sub != sub {
				return nil, fmt.Errorf("%w: userinfo sub differs from the ID token's", ErrProfile)
			}
		}
		in.Userinfo = body
	}
	return p.finishProfile(ctx, client, tok, in)
}

// finishProfile maps the provider's answers to a user.
func (p *Provider) finishProfile(ctx context.Context, client *http.Client, tok *oauth2.Token, in ProfileInput) (*Result, error) {
	u, profile, err := p.Profile(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProfile, err)
	}
	if u == nil {
		return nil, fmt.Errorf("%w: no user", ErrProfile)
	}
	if p.Enrich != nil {
		if err := p.Enrich(ctx, client, p, tok, u); err != nil {
			return nil, err
		}
	}
	if u.ID == "" {
		return nil, fmt.Errorf("%w: no account id", ErrProfile)
	}
	return &Result{User: u, Profile: profile, Token: tok}, nil
}

// clientAuth returns the token request options of private_key_jwt.
func (p *Provider) clientAuth(tokenURL string, now time.Time) ([]oauth2.AuthCodeOption, error) {
	if p.ClientAssertion == nil {
		return nil, nil
	}
	jwt, err := p.ClientAssertion(tokenURL, now)
	if err != nil {
		return nil, fmt.Errorf("%w: client assertion: %w", ErrExchange, err)
	}
	return []oauth2.AuthCodeOption{
		oauth2.SetAuthURLParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
		oauth2.SetAuthURLParam("client_assertion", jwt),
	}, nil
}

func equal(a, b string) bool {
	return a != "" && len(a) == len(b) && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// exchangeError keeps the token endpoint's error code and description but not
// its body, which could echo credentials; a failed request names the
// endpoint.
func exchangeError(err error, tokenURL string) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		return fmt.Errorf("%w: status %d, error %q: %s", ErrExchange, status, sanitize(re.ErrorCode), sanitize(re.ErrorDescription))
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%w: %w", ErrExchange, requestError(http.MethodPost, redactURL(tokenURL), err))
	}
	return fmt.Errorf("%w: %w", ErrExchange, err)
}

// userinfo fetches the userinfo endpoint with the access token.
func (p *Provider) userinfo(ctx context.Context, client *http.Client, userinfoURL string, tok *oauth2.Token) ([]byte, error) {
	if userinfoURL == "" {
		return nil, nil
	}
	header := make(map[string]string, len(p.UserinfoHeader))
	for k, v := range p.UserinfoHeader {
		header[k] = p.expand(v, tok)
	}
	body, err := Get(ctx, client, cmp.Or(p.UserinfoMethod, http.MethodGet), p.expand(userinfoURL, tok), tok, header)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUserinfo, err)
	}
	return body, nil
}

// Get makes an authorized JSON request to a provider API and returns the
// body of a 2xx response. The client is guarded (see Guard): a redirect is
// an error wrapping ErrRedirect, an answer over 1 MB one wrapping
// ErrTooLarge. tok may be nil for a request without a token.
func Get(ctx context.Context, client *http.Client, method, rawURL string, tok *oauth2.Token, header map[string]string) ([]byte, error) {
	client = Guard(client)
	if tok == nil {
		tok = &oauth2.Token{}
	}
	// shown is the URL for messages: no query, and no token even where a
	// provider wants it in the path.
	shown := redactURL(rawURL)
	if t := tok.AccessToken; t != "" {
		shown = strings.NewReplacer(t, "…", url.PathEscape(t), "…").Replace(shown)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("request %s: invalid URL", shown)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "authgen")
	tok.SetAuthHeader(req)
	for k, v := range header {
		if v == "" {
			req.Header.Del(k) // "Authorization": "" sends no token header
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, requestError(method, shown, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", shown, err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s %s: status %d", method, shown, resp.StatusCode)
	}
	return body, nil
}

// Map returns a ProfileFunc that decodes the ID token's claims and the
// userinfo JSON into a T, maps it with m, then lets hook (the
// application's override, may be nil) change the result. When hook
// changes the e-mail address, EmailVerified is cleared: the provider
// verified the address it gave, not the new one.
func Map[T any](m func(*T) User, hook func(ctx context.Context, profile any, u *User) error) ProfileFunc {
	return func(ctx context.Context, in ProfileInput) (*User, any, error) {
		p := new(T)
		// ID token claims first; userinfo, when fetched, completes them.
		for _, doc := range [][]byte{in.Claims, in.Userinfo} {
			if doc == nil {
				continue
			}
			if err := json.Unmarshal(doc, p); err != nil {
				return nil, nil, fmt.Errorf("decode profile: %w", err)
			}
		}
		u := m(p)
		u.Email = strings.ToLower(u.Email)
		if hook != nil {
			mapped := u.Email
			if err := hook(ctx, p, &u); err != nil {
				return nil, nil, err
			}
			if !strings.EqualFold(u.Email, mapped) {
				// The provider verified the address it gave, not this one.
				u.EmailVerified = false
			}
		}
		return &u, p, nil
	}
}

// redactURL drops the query and user info of a URL, which may carry secrets.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid URL)"
	}
	u.RawQuery, u.User, u.Fragment = "", nil, ""
	return u.String()
}

// sanitize bounds a provider-supplied string for logs.
func sanitize(s string) string { return clip(s, 200) }

// clip bounds s to n bytes and drops control characters.
func clip(s string, n int) string {
	if len(s) > n {
		s = s[:n] + "…"
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "�"))
}

// bounded keeps err (for errors.Is and As) with its message clipped: a
// library's error may quote a provider's answer, up to a megabyte of it
// (go-oidc puts the key set endpoint's error body in its message).
func bounded(err error) error {
	if msg := err.Error(); len(msg) > maxErrorText || clip(msg, maxErrorText) != msg {
		return boundedError{msg: clip(msg, maxErrorText), err: err}
	}
	return err
}

// maxErrorText bounds the text of an error from a library.
const maxErrorText = 500

type boundedError struct {
	msg string
	err error
}

func (e boundedError) Error() string { return e.msg }
func (e boundedError) Unwrap() error { return e.err }

// Join joins the non-empty parts with sep, for names built from several
// profile fields ("first last").
func Join(sep string, parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.String()
}

// expand fills {client_id}, {client_secret}, {api_key}, {access_token} and
// {token.NAME} in a provider's parameter, header or URL template. Values
// are substituted as they are (URL templates receive them query-escaped).
func (p *Provider) expand(tmpl string, tok *oauth2.Token) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	escape := strings.HasPrefix(tmpl, "http")
	val := func(v string) string {
		if escape {
			return url.QueryEscape(v)
		}
		return v
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		j := strings.IndexByte(tmpl[i+1:], '}')
		if i < 0 || j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		name := tmpl[i+1 : i+1+j]
		b.WriteString(tmpl[:i])
		switch {
		case name == "client_id":
			b.WriteString(val(p.ClientID))
		case name == "client_secret":
			b.WriteString(val(p.ClientSecret))
		case name == "api_key":
			b.WriteString(val(p.APIKey))
		case name == "access_token" && tok != nil:
			b.WriteString(val(tok.AccessToken))
		case strings.HasPrefix(name, "token.") && tok != nil:
			if v := tok.Extra(strings.TrimPrefix(name, "token.")); v != nil {
				b.WriteString(val(fmt.Sprint(v)))
			}
		default:
			b.WriteString("{" + name + "}")
		}
		tmpl = tmpl[i+2+j:]
	}
}
