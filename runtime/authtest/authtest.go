// Package authtest is a fake identity provider for tests of applications
// built with authgen, served over net/http/httptest and speaking the real
// protocols: OAuth 2.0 (RFC 6749) with PKCE (RFC 7636), OpenID Connect
// (discovery, JWKS, signed ID tokens, userinfo, RP-initiated logout) and
// OAuth 1.0a (RFC 5849, HMAC-SHA1 signatures checked on every request).
//
// A test starts one with NewProvider, points a provider of its application
// at it (Provider.Env gives the AUTH_<ID>_* variables), and plays the user
// with Provider.Authorize, which visits the authorization URL the way a
// browser would and returns the redirect back to the application:
//
//	idp := authtest.NewProvider(t, authtest.Config{
//		OIDC:   true,
//		Claims: `{"sub":"42","name":"Ada","email":"ada@example.com"}`,
//	})
//	p := &oauth.Provider{ID: "corp", Type: oauth.TypeOIDC, Issuer: idp.Issuer,
//		ClientID: idp.ClientID, ClientSecret: idp.ClientSecret, …}
//	authURL, checks, err := p.Begin(ctx, idp.Client(), redirectURI, nil)
//	callback, err := idp.Authorize(ctx, authURL)
//	res, err := p.Finish(ctx, idp.Client(), callback.Query(), redirectURI, checks)
//
// The endpoints are strict where real providers are: the token endpoint
// enforces the configured client authentication, codes are single-use and
// bound to the client, the redirect URI and the PKCE challenge, refresh
// tokens rotate, and userinfo wants a valid access token. For negative tests
// SetIDTokenFault makes the ID tokens bad in every way a relying party must
// notice (unsigned, wrong key, wrong audience, expired, …), SetDiscovery
// makes the discovery document bad (no endpoints, megabytes long), and
// SetRedirect makes a back-channel endpoint (token, userinfo, discovery,
// JWKS) answer with a redirect a client must not follow.
package authtest

import (
	"cmp"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/oauth"
)

// Client authentication methods for Config.AuthMethod.
const (
	// AuthAny accepts client_secret_basic or client_secret_post (exactly
	// one of them). It is the default.
	AuthAny = "any"
	// AuthBasic wants the client's credentials in the Authorization header
	// (RFC 6749 §2.3.1), form-encoded then Basic-encoded.
	AuthBasic = "client_secret_basic"
	// AuthPost wants client_id and client_secret in the request body.
	AuthPost = "client_secret_post"
	// AuthPrivateKeyJWT wants a client assertion (RFC 7523) signed with
	// the key of Provider.ClientKeyPEM, for the token endpoint's URL.
	AuthPrivateKeyJWT = "private_key_jwt"
	// AuthApple wants Sign in with Apple's client secret: an ES256 JWT
	// signed with Provider.ClientKeyPEM under Provider.KeyID, issued by
	// Provider.TeamID for the client, audience https://appleid.apple.com.
	AuthApple = "apple"
	// AuthNone is a public client: client_id only, PKCE required.
	AuthNone = "none"
)

// Config describes the provider. The zero value is an OAuth 2.0 provider
// whose userinfo endpoint answers {}.
type Config struct {
	// ClientID and ClientSecret are the registered client's credentials;
	// random ones are made when empty.
	ClientID, ClientSecret string
	// AuthMethod is how the token endpoint authenticates the client: one
	// of the Auth* constants. Default AuthAny.
	AuthMethod string
	// RedirectURI, when set, is the only redirect URI the authorization
	// endpoint accepts; otherwise any absolute http(s) URI is.
	RedirectURI string

	// Userinfo is the body of the userinfo endpoint (JSON). For OpenID
	// Connect it defaults to the ID token's claims without the protocol
	// ones (iss, aud, exp, …).
	Userinfo string
	// UserinfoMethod is the method the userinfo endpoint accepts: GET
	// (default) or POST.
	UserinfoMethod string
	// Claims are the ID token's claims (OpenID Connect), JSON merged over
	// iss, aud, exp, iat, auth_time, nonce and at_hash. It must hold sub.
	Claims string
	// Token holds further members of the token response, JSON merged over
	// access_token, token_type, expires_in, refresh_token and scope; the
	// ID token is minted afterwards (for the access token sent) unless
	// Token has an id_token. OAuth 1.0a: added to the access token
	// response.
	Token string
	// Responses are further resources by path ("/user/emails"), answered
	// to requests of any method (a GraphQL query is POSTed) that carry a
	// valid access token (or, for OAuth 1.0a, a valid signature). A path
	// may contain {access_token}, as Paths.Userinfo.
	//
	// The userinfo endpoint and Responses take the access token in the
	// Authorization header under any scheme (Bearer; GitHub's token,
	// Yandex's OAuth), in an access_token or oauth_token query parameter
	// (RFC 6750 §2.3, WeChat; Foursquare), for POST in such a form member,
	// or in the path (see Paths.Userinfo); several must be the same token.
	Responses map[string]string
	// CallbackParams are added to the authorization response, such as
	// Apple's "user" (the name, sent once).
	CallbackParams map[string]string

	// Paths are where the endpoints live on the server.
	Paths Paths

	// OIDC makes the provider an OpenID Connect provider: discovery, JWKS
	// and RS256-signed ID tokens (with a kid).
	OIDC bool
	// IssParam adds RFC 9207's iss to authorization responses and
	// advertises it in discovery.
	IssParam bool
	// IDTokenHS256 signs ID tokens HS256 with the client secret (LINE).
	IDTokenHS256 bool
	// OAuth1 makes the provider an OAuth 1.0a provider: request token,
	// authorization and access token endpoints, and HMAC-SHA1 signatures
	// (RFC 5849 §3.4) checked on every request, userinfo included.
	OAuth1 bool

	// TokenRequest, when set, reads token requests that do not follow
	// RFC 6749 (WeChat's GET with appid and secret in the query): it
	// returns their parameters under the RFC 6749 names (grant_type,
	// code, redirect_uri, code_verifier, client_id, client_secret, …),
	// which the token endpoint then checks as usual, the client's
	// credentials as client_secret_post. The token endpoint then also
	// answers GET. A code exchanged without redirect_uri is not checked
	// against the authorization request's.
	TokenRequest func(r *http.Request) url.Values

	// AnyHost makes Client send requests for other hosts to the provider
	// too, with their paths, instead of failing them: API URLs a client
	// hard-codes (https://graph.microsoft.com/v1.0/me/photos/…) then reach
	// Responses. StrayHosts lists them.
	AnyHost bool
}

// Paths are the endpoints' paths on the provider's server. A path may
// carry a query (the catalog's userinfo URLs do): URLs built from it keep
// the query, requests are routed by the path alone. Empty fields take the
// defaults.
type Paths struct {
	// Authorization defaults to /authorize.
	Authorization string
	// Token defaults to /token.
	Token string
	// Userinfo defaults to /userinfo. Its path may contain
	// {access_token} where the provider wants the token in the path
	// (HubSpot's /oauth/v1/access-tokens/{access_token}): requests match
	// with a valid access token there.
	Userinfo string
	// RequestToken is OAuth 1.0a's temporary-credentials endpoint; default
	// /oauth1/request_token.
	RequestToken string
	// Issuer is the issuer's path (OpenID Connect), "" by default. It is
	// kept as given, since issuers compare exactly and some end in "/";
	// discovery is at the path without a final "/" followed by
	// /.well-known/openid-configuration. An issuer containing {tenantid}
	// (Microsoft Entra ID's multi-tenant one) is also discovered with
	// "common" in its place, and issues ID tokens with the tid claim in
	// its place.
	Issuer string
	// JWKS defaults to /jwks.
	JWKS string
	// EndSession is the RP-initiated logout endpoint; default /logout.
	EndSession string
}

func (p Paths) withDefaults() Paths {
	p.Authorization = cmp.Or(p.Authorization, "/authorize")
	p.Token = cmp.Or(p.Token, "/token")
	p.Userinfo = cmp.Or(p.Userinfo, "/userinfo")
	p.RequestToken = cmp.Or(p.RequestToken, "/oauth1/request_token")
	p.JWKS = cmp.Or(p.JWKS, "/jwks")
	p.EndSession = cmp.Or(p.EndSession, "/logout")
	return p
}

// Provider is a running fake identity provider. Its exported fields are
// read-only; it is safe for concurrent use.
type Provider struct {
	// URL is the server's base URL, http://127.0.0.1:port.
	URL string
	// Issuer is the OpenID Connect issuer, URL + Paths.Issuer.
	Issuer string
	// ClientID and ClientSecret are the registered client's credentials.
	ClientID, ClientSecret string
	// ClientKeyPEM is the client's private key (PKCS #8 PEM, P-256), for
	// AuthApple and AuthPrivateKeyJWT: the contents of the .p8 or .pem
	// file a developer would download. KeyID and TeamID go with it.
	ClientKeyPEM []byte
	KeyID        string
	TeamID       string
	// Server is the underlying test server.
	Server *httptest.Server

	cfg       Config
	paths     Paths
	clientPub crypto.PublicKey

	mu             sync.Mutex
	userinfo       string
	claims         string
	codes          map[string]*grant
	usedCodes      map[string]*grant
	access         map[string]*issued
	refresh        map[string]*issued
	idTokens       map[string]bool
	jtis           map[string]bool
	fault          *IDTokenFault
	discoveryEdit  func(doc map[string]any)
	redirects      map[Endpoint]redirect
	authorizeError string
	tokenError     string
	keyFirst       int // pool index of the oldest published key
	keyCurrent     int // pool index of the signing key
	lastAuth       url.Values
	lastUserinfo   http.Header
	logouts        []url.Values
	stray          []string
	oauth1         oauth1State
	n              counters
}

type counters struct {
	authorizations, exchanges, refreshes, userinfo, jwks, discovery int
}

// grant is an issued authorization code.
type grant struct {
	clientID, redirectURI string
	challenge, method     string
	nonce, scope          string
	expires               time.Time
	// tokens were issued with the code, revoked if it is replayed.
	tokens []string
	// userinfo, when set, is the profile of the user who consented
	// (CallbackRequestAs), answered for the tokens issued with the code.
	userinfo string
}

// issued is an access or refresh token.
type issued struct {
	clientID, scope string
	expires         time.Time
	revoked         bool
	// userinfo is the grant's (CallbackRequestAs), "" for the provider's.
	userinfo string
}

// codeLifetime and tokenLifetime bound codes and access tokens.
const (
	codeLifetime  = 10 * time.Minute
	tokenLifetime = time.Hour
)

// NewProvider starts a provider for t; it stops when t ends. A Config that
// cannot work (OpenID Connect claims without sub, malformed JSON) fails t.
func NewProvider(t testing.TB, cfg Config) *Provider {
	t.Helper()
	cfg.AuthMethod = cmp.Or(cfg.AuthMethod, AuthAny)
	cfg.UserinfoMethod = strings.ToUpper(cmp.Or(cfg.UserinfoMethod, http.MethodGet))
	switch cfg.AuthMethod {
	case AuthAny, AuthBasic, AuthPost, AuthPrivateKeyJWT, AuthApple, AuthNone:
	default:
		t.Fatalf("authtest: unknown AuthMethod %q", cfg.AuthMethod)
	}
	if cfg.UserinfoMethod != http.MethodGet && cfg.UserinfoMethod != http.MethodPost {
		t.Fatalf("authtest: UserinfoMethod %q is not GET or POST", cfg.UserinfoMethod)
	}
	if cfg.OIDC && cfg.OAuth1 {
		t.Fatal("authtest: a provider is OpenID Connect or OAuth 1.0a, not both")
	}
	for name, doc := range map[string]string{"Userinfo": cfg.Userinfo, "Claims": cfg.Claims, "Token": cfg.Token} {
		if doc != "" && !json.Valid([]byte(doc)) {
			t.Fatalf("authtest: Config.%s is not JSON: %s", name, doc)
		}
	}
	if cfg.Token != "" {
		var m map[string]any
		if err := json.Unmarshal([]byte(cfg.Token), &m); err != nil {
			t.Fatalf("authtest: Config.Token is not a JSON object: %v", err)
		}
	}
	if cfg.OIDC {
		var c map[string]any
		if err := json.Unmarshal([]byte(cmp.Or(cfg.Claims, "{}")), &c); err != nil {
			t.Fatalf("authtest: Config.Claims is not a JSON object: %v", err)
		}
		if s, _ := c["sub"].(string); s == "" {
			t.Fatal(`authtest: Config.Claims must hold the subject, {"sub":"…"}`)
		}
	}
	p := &Provider{
		ClientID:     cmp.Or(cfg.ClientID, "client-"+random(8)),
		ClientSecret: cmp.Or(cfg.ClientSecret, "secret-"+random(24)),
		cfg:          cfg,
		paths:        cfg.Paths.withDefaults(),
		userinfo:     cfg.Userinfo,
		claims:       cfg.Claims,
		codes:        map[string]*grant{},
		usedCodes:    map[string]*grant{},
		access:       map[string]*issued{},
		refresh:      map[string]*issued{},
		idTokens:     map[string]bool{},
		jtis:         map[string]bool{},
		keyFirst:     1,
		keyCurrent:   1,
	}
	p.oauth1.init()
	if cfg.AuthMethod == AuthApple || cfg.AuthMethod == AuthPrivateKeyJWT {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		p.ClientKeyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
		p.clientPub = &key.PublicKey
		p.KeyID, p.TeamID = "KEY"+strings.ToUpper(random(5)), "TEAM"+strings.ToUpper(random(5))
	}
	if cfg.OIDC && !cfg.IDTokenHS256 {
		// Two published keys, as most providers publish during rotation.
		poolKey(p.keyCurrent + 1)
	}
	p.Server = httptest.NewServer(p)
	t.Cleanup(p.Server.Close)
	p.URL = p.Server.URL
	p.Issuer = p.URL + p.paths.Issuer
	return p
}

// Client returns an HTTP client for the provider. It never leaves the test
// server: a request for another host fails, or with Config.AnyHost is sent
// to the provider.
func (p *Provider) Client() *http.Client {
	return &http.Client{Transport: guard{p}, Timeout: time.Minute}
}

// guard keeps a client's requests on the provider's server.
type guard struct{ p *Provider }

func (g guard) RoundTrip(req *http.Request) (*http.Response, error) {
	host := strings.TrimPrefix(g.p.URL, "http://")
	if req.URL.Host != host {
		g.p.mu.Lock()
		if !slices.Contains(g.p.stray, req.URL.Host) {
			g.p.stray = append(g.p.stray, req.URL.Host)
		}
		g.p.mu.Unlock()
		if !g.p.cfg.AnyHost {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, fmt.Errorf("authtest: %s %s://%s%s would leave the test server (set Config.AnyHost to answer it)", req.Method, req.URL.Scheme, req.URL.Host, req.URL.Path)
		}
		req = req.Clone(req.Context())
		req.URL.Scheme, req.URL.Host = "http", host
	}
	return g.p.Server.Client().Transport.RoundTrip(req)
}

// StrayHosts returns the other hosts Client was asked to reach.
func (p *Provider) StrayHosts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.stray)
}

// AuthorizationURL is the authorization endpoint's URL (OAuth 1.0a: the
// resource owner authorization endpoint's).
func (p *Provider) AuthorizationURL() string { return p.URL + p.paths.Authorization }

// TokenURL is the token (OAuth 1.0a: access token) endpoint's URL.
func (p *Provider) TokenURL() string { return p.URL + p.paths.Token }

// UserinfoURL is the userinfo endpoint's URL, with the query of
// Paths.Userinfo (and its {access_token}, for the client to fill).
func (p *Provider) UserinfoURL() string { return p.URL + p.paths.Userinfo }

// RequestTokenURL is OAuth 1.0a's temporary-credentials endpoint's URL.
func (p *Provider) RequestTokenURL() string { return p.URL + p.paths.RequestToken }

// JWKSURL is the OpenID Connect key set's URL.
func (p *Provider) JWKSURL() string { return p.URL + p.paths.JWKS }

// DiscoveryURL is the OpenID Connect discovery document's URL:
// <issuer>/.well-known/openid-configuration (a multi-tenant issuer's with
// "common" for the tenant).
func (p *Provider) DiscoveryURL() string {
	return strings.TrimSuffix(strings.ReplaceAll(p.Issuer, "{tenantid}", "common"), "/") + "/.well-known/openid-configuration"
}

// Env returns the variables that configure a generated application's
// provider envName ("GITHUB" for AUTH_GITHUB_*) to use this provider: the
// client's credentials (or key), and the issuer for OpenID Connect (whose
// discovery supplies the endpoints) or the endpoint URLs otherwise.
func (p *Provider) Env(envName string) map[string]string {
	prefix := "AUTH_" + envName + "_"
	m := map[string]string{prefix + "ID": p.ClientID}
	switch p.cfg.AuthMethod {
	case AuthApple, AuthPrivateKeyJWT:
		m[prefix+"PRIVATE_KEY"] = string(p.ClientKeyPEM)
		m[prefix+"KEY_ID"] = p.KeyID
		m[prefix+"TEAM_ID"] = p.TeamID
	case AuthNone:
	default:
		m[prefix+"SECRET"] = p.ClientSecret
	}
	if p.cfg.OIDC {
		m[prefix+"ISSUER"] = p.Issuer
		return m
	}
	m[prefix+"AUTHORIZATION_URL"] = p.AuthorizationURL()
	m[prefix+"TOKEN_URL"] = p.TokenURL()
	m[prefix+"USERINFO_URL"] = p.UserinfoURL()
	if p.cfg.OAuth1 {
		m[prefix+"REQUEST_TOKEN_URL"] = p.RequestTokenURL()
	}
	return m
}

// OIDC returns the definition of an OpenID Connect provider with the ID
// and name that signs in through p (an OIDC authtest provider): p's
// client, issuer and HTTP client's checks (PKCE, state, nonce), the openid
// and email scopes, and the ID token's sub, email, email_verified, name and
// picture as the user. Set its other fields (TrustEmail, Logout) on the
// result. Give the server p.Client() as its HTTP client.
func (p *Provider) OIDC(id, name string) *oauth.Provider {
	return &oauth.Provider{
		ID: id, Name: name, Type: oauth.TypeOIDC,
		ClientID: p.ClientID, ClientSecret: p.ClientSecret, Issuer: p.Issuer,
		Scopes: []string{"openid", "email"}, Checks: oauth.PKCE | oauth.State | oauth.Nonce,
		Profile: oauth.Map(func(c *struct {
			Sub           string `json:"sub"`
			Email         string `json:"email"`
			EmailVerified bool   `json:"email_verified"`
			Name          string `json:"name"`
			Picture       string `json:"picture"`
		}) oauth.User {
			return oauth.User{ID: c.Sub, Email: c.Email, EmailVerified: c.EmailVerified, Name: c.Name, Image: c.Picture}
		}, nil),
	}
}

// SetUserinfo replaces the body of the userinfo endpoint.
func (p *Provider) SetUserinfo(body string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.userinfo = body
}

// SetClaims replaces the ID token claims (Config.Claims).
func (p *Provider) SetClaims(claims string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.claims = claims
}

// SetAuthorizeError makes the authorization endpoint answer with an error
// (OAuth 2.0: error=code, such as "access_denied"; OAuth 1.0a: denied=),
// as when the user refuses; "" restores consent.
func (p *Provider) SetAuthorizeError(code string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.authorizeError = code
}

// SetTokenError makes the token endpoint refuse every request with the
// OAuth error code (such as "invalid_grant"); "" restores it.
func (p *Provider) SetTokenError(code string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokenError = code
}

// LastAuthorization returns the query of the last authorization request
// (client_id, redirect_uri, scope, state, nonce, code_challenge, …), or nil.
func (p *Provider) LastAuthorization() url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	return cloneValues(p.lastAuth)
}

// UserinfoHeader returns the header of the last accepted userinfo request,
// or nil.
func (p *Provider) UserinfoHeader() http.Header {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastUserinfo.Clone()
}

// Authorizations counts the authorization requests that were granted.
func (p *Provider) Authorizations() int {
	return p.count(func(c *counters) int { return c.authorizations })
}

// Exchanges counts successful code exchanges (OAuth 1.0a: access token
// requests).
func (p *Provider) Exchanges() int { return p.count(func(c *counters) int { return c.exchanges }) }

// Refreshes counts successful refresh token grants.
func (p *Provider) Refreshes() int { return p.count(func(c *counters) int { return c.refreshes }) }

// UserinfoCalls counts accepted userinfo requests.
func (p *Provider) UserinfoCalls() int { return p.count(func(c *counters) int { return c.userinfo }) }

// JWKSFetches counts requests for the key set.
func (p *Provider) JWKSFetches() int { return p.count(func(c *counters) int { return c.jwks }) }

// DiscoveryFetches counts requests for the discovery document.
func (p *Provider) DiscoveryFetches() int {
	return p.count(func(c *counters) int { return c.discovery })
}

// Logouts returns the queries of the RP-initiated logout requests accepted.
func (p *Provider) Logouts() []url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]url.Values, len(p.logouts))
	for i, q := range p.logouts {
		out[i] = cloneValues(q)
	}
	return out
}

func (p *Provider) count(f func(*counters) int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return f(&p.n)
}

// AccessToken issues a valid access token outside any sign-in, for tests
// that call the provider's API directly.
func (p *Provider) AccessToken() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	tok := "at-" + random(24)
	p.access[tok] = &issued{clientID: p.ClientID, expires: time.Now().Add(tokenLifetime)}
	return tok
}

// ServeHTTP routes a request to the endpoint its path names.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	is := func(endpoint string) bool { return path == routePath(endpoint) }
	userinfoToken, isUserinfo := matchPath(p.paths.Userinfo, path)
	responseKey, responseToken := p.response(path)
	switch {
	case p.cfg.OIDC && p.isDiscovery(path):
		p.serveEndpoint(w, r, EndpointDiscovery, p.serveDiscovery)
	case p.cfg.OIDC && is(p.paths.JWKS):
		p.serveEndpoint(w, r, EndpointJWKS, p.serveJWKS)
	case p.cfg.OIDC && is(p.paths.EndSession):
		p.serveEndSession(w, r)
	case p.cfg.OAuth1 && is(p.paths.RequestToken) && r.Method == http.MethodPost:
		p.serveEndpoint(w, r, EndpointRequestToken, p.serveRequestToken)
	case is(p.paths.Authorization) && r.Method == http.MethodGet:
		if p.cfg.OAuth1 {
			p.serveOAuth1Authorize(w, r)
		} else {
			p.serveAuthorize(w, r)
		}
	case is(p.paths.Token) && (r.Method == http.MethodPost || (r.Method == http.MethodGet && p.cfg.TokenRequest != nil)):
		if p.cfg.OAuth1 {
			p.serveEndpoint(w, r, EndpointToken, p.serveAccessToken)
		} else {
			p.serveEndpoint(w, r, EndpointToken, p.serveToken)
		}
	case isUserinfo:
		p.serveEndpoint(w, r, EndpointUserinfo, func(w http.ResponseWriter, r *http.Request) {
			p.serveUserinfo(w, r, userinfoToken)
		})
	case responseKey != "":
		p.serveResponse(w, r, responseKey, responseToken)
	default:
		http.Error(w, "authtest: no endpoint "+r.Method+" "+path, http.StatusNotFound)
	}
}

// response returns the Config.Responses key for path, or "", and the
// access token in the path, if the key has {access_token}.
func (p *Provider) response(path string) (key, token string) {
	for k := range p.cfg.Responses {
		if tok, ok := matchPath(k, path); ok {
			return k, tok
		}
	}
	return "", ""
}

// tokenPlaceholder marks where an endpoint path carries the access token.
const tokenPlaceholder = "{access_token}"

// matchPath reports whether a request path is endpoint's (whose query is
// ignored) and returns the access token the path carries where the
// endpoint has {access_token}.
func matchPath(endpoint, path string) (token string, ok bool) {
	route := routePath(endpoint)
	prefix, suffix, templated := strings.Cut(route, tokenPlaceholder)
	if !templated {
		return "", path == route
	}
	if len(path) <= len(prefix)+len(suffix) || !strings.HasPrefix(path, prefix) || !strings.HasSuffix(path, suffix) {
		return "", false
	}
	return path[len(prefix) : len(path)-len(suffix)], true
}

// routePath is the path part of an endpoint path that may carry a query.
func routePath(p string) string {
	path, _, _ := strings.Cut(p, "?")
	return path
}

func random(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeRawJSON(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(body))
}

// Endpoint names one of the provider's back-channel endpoints — those an
// application calls itself rather than sending the browser to — for
// SetRedirect.
type Endpoint string

// The back-channel endpoints.
const (
	// EndpointDiscovery is the OpenID Connect discovery document.
	EndpointDiscovery Endpoint = "discovery"
	// EndpointJWKS is the OpenID Connect key set.
	EndpointJWKS Endpoint = "jwks"
	// EndpointToken is the token endpoint (OAuth 1.0a: the access token
	// endpoint).
	EndpointToken Endpoint = "token"
	// EndpointUserinfo is the userinfo endpoint.
	EndpointUserinfo Endpoint = "userinfo"
	// EndpointRequestToken is OAuth 1.0a's temporary-credentials endpoint.
	EndpointRequestToken Endpoint = "request_token"
)

// redirect is an answer SetRedirect configured.
type redirect struct {
	status   int
	location string
}

// SetRedirect makes endpoint e answer every request with a redirect: the
// status (301, 302, 303, 307 or 308) and Location, which may be on another
// server — the provider of a test that a client does not follow it (a 307
// from the token endpoint would have the code, the PKCE verifier and a
// client_secret_post secret re-sent there). A location of "" restores the
// endpoint (the status is then ignored). Requests answered with a
// redirect are not counted (Exchanges, UserinfoCalls, …). It panics on an
// unknown endpoint or status.
func (p *Provider) SetRedirect(e Endpoint, status int, location string) {
	switch e {
	case EndpointDiscovery, EndpointJWKS, EndpointToken, EndpointUserinfo, EndpointRequestToken:
	default:
		panic(fmt.Sprintf("authtest: SetRedirect: unknown endpoint %q", e))
	}
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		if location != "" {
			panic(fmt.Sprintf("authtest: SetRedirect: status %d is not 301, 302, 303, 307 or 308", status))
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if location == "" {
		delete(p.redirects, e)
		return
	}
	if p.redirects == nil {
		p.redirects = map[Endpoint]redirect{}
	}
	p.redirects[e] = redirect{status: status, location: location}
}

// serveEndpoint serves a back-channel endpoint with serve, or with the
// redirect SetRedirect configured for it.
func (p *Provider) serveEndpoint(w http.ResponseWriter, r *http.Request, e Endpoint, serve http.HandlerFunc) {
	p.mu.Lock()
	rd, ok := p.redirects[e]
	p.mu.Unlock()
	if !ok {
		serve(w, r)
		return
	}
	w.Header().Set("Location", rd.location)
	w.WriteHeader(rd.status)
}
