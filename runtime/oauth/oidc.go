package oauth

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"
)

// Errors of OpenID Connect sign-ins, wrapped like the others.
var (
	ErrDiscovery = errors.New("oauth: OpenID Connect discovery failed")
	ErrIDToken   = errors.New("oauth: ID token invalid")
	ErrIssuer    = errors.New("oauth: issuer mismatch")
)

// Algorithms accepted for ID token signatures unless a provider says
// otherwise: asymmetric only, never "none" or HMAC.
var defaultIDTokenAlgs = []string{
	oidc.RS256, oidc.RS384, oidc.RS512, oidc.ES256, oidc.ES384, oidc.ES512,
	oidc.PS256, oidc.PS384, oidc.PS512, oidc.EdDSA,
}

// tokenLeeway is the clock skew tolerated on ID token times.
const tokenLeeway = 30 * time.Second

// maxFutureIAT bounds how far in the future an ID token may claim to have
// been issued.
const maxFutureIAT = 5 * time.Minute

// tenantPlaceholder stands for the tenant in multi-tenant issuers
// (Microsoft Entra ID's common endpoint); the ID token's tid fills it.
const tenantPlaceholder = "{tenantid}"

// discovered is what an issuer's discovery document says, cached per
// provider once fetched.
type discovered struct {
	provider   *oidc.Provider
	issuer     string
	jwksURI    string
	endSession string
	// issParam: the provider sends RFC 9207's iss on the callback.
	issParam bool
	algs     []string
}

// Discovery caches an issuer's discovery document for a Provider (its
// Discovery field); the zero value is empty. Failures are not cached, so an
// issuer that was down is asked again. server.New gives every OpenID
// Connect provider one; without it each sign-in rediscovers.
type Discovery struct {
	mu   sync.Mutex
	disc *discovered
}

// discover fetches (once per Discovery) the issuer's discovery document.
func (p *Provider) discover(ctx context.Context, client *http.Client) (*discovered, error) {
	cache := p.Discovery
	if cache == nil {
		cache = &Discovery{}
	}
	cache.mu.Lock()
	defer cache.mu.Unlock()
	if cache.disc != nil {
		return cache.disc, nil
	}
	if p.Issuer == "" {
		return nil, fmt.Errorf("%w: provider %s has no issuer", ErrDiscovery, p.ID)
	}
	ctx = oidc.ClientContext(ctx, client)
	if strings.Contains(p.Issuer, tenantPlaceholder) {
		ctx = oidc.InsecureIssuerURLContext(ctx, p.Issuer)
	}
	var prov *oidc.Provider
	var doc json.RawMessage
	var err error
	if p.DiscoveryURL != "" {
		prov, doc, err = discoverAt(ctx, client, strings.ReplaceAll(p.DiscoveryURL, "{issuer}", strings.TrimSuffix(p.Issuer, "/")), p.Issuer)
	} else if prov, err = oidc.NewProvider(ctx, strings.ReplaceAll(p.Issuer, tenantPlaceholder, "common")); err == nil {
		err = prov.Claims(&doc)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrDiscovery, redactURL(p.Issuer), err)
	}
	var meta struct {
		Issuer     string   `json:"issuer"`
		JWKSURI    string   `json:"jwks_uri"`
		EndSession string   `json:"end_session_endpoint"`
		IssParam   bool     `json:"authorization_response_iss_parameter_supported"`
		Algs       []string `json:"id_token_signing_alg_values_supported"`
	}
	if err := json.Unmarshal(doc, &meta); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDiscovery, err)
	}
	d := &discovered{provider: prov, issuer: meta.Issuer, jwksURI: meta.JWKSURI, endSession: meta.EndSession, issParam: meta.IssParam}
	allowed := p.IDTokenAlgs
	if len(allowed) == 0 {
		allowed = defaultIDTokenAlgs
	}
	for _, a := range meta.Algs {
		if slices.Contains(allowed, a) {
			d.algs = append(d.algs, a)
		}
	}
	if len(d.algs) == 0 {
		d.algs = allowed
	}
	cache.disc = d
	return d, nil
}

// discoverAt reads a discovery document from a provider-specific URL (not
// <issuer>/.well-known/openid-configuration) and requires its issuer to be
// the configured one, as discovery at the standard place does.
func discoverAt(ctx context.Context, client *http.Client, docURL, issuer string) (*oidc.Provider, json.RawMessage, error) {
	body, err := Get(ctx, client, http.MethodGet, docURL, &oauth2.Token{}, nil)
	if err != nil {
		return nil, nil, err
	}
	var cfg oidc.ProviderConfig
	if err := json.Unmarshal(body, &cfg); err != nil {
		return nil, nil, fmt.Errorf("discovery document: %w", err)
	}
	if cfg.IssuerURL != issuer {
		return nil, nil, &oidc.IssuerMismatchError{Provided: issuer, Discovered: cfg.IssuerURL}
	}
	return cfg.NewProvider(ctx), body, nil
}

// endpoints are the URLs a sign-in uses: the provider's own, else the
// discovered ones.
type endpoints struct{ auth, token, userinfo string }

func (p *Provider) endpoints(d *discovered) endpoints {
	e := endpoints{p.AuthorizationURL, p.TokenURL, p.UserinfoURL}
	if d != nil {
		ep := d.provider.Endpoint()
		e.auth = cmp.Or(e.auth, ep.AuthURL)
		e.token = cmp.Or(e.token, ep.TokenURL)
		e.userinfo = cmp.Or(e.userinfo, d.provider.UserInfoEndpoint())
	}
	return e
}

// idTokenClaims are the claims authgen checks beyond go-oidc's.
type idTokenClaims struct {
	Sub   string `json:"sub"`
	Azp   string `json:"azp"`
	Tid   string `json:"tid"`
	Iss   string `json:"iss"`
	Nonce string `json:"nonce"`
}

// verifyIDToken checks an ID token: signature against the issuer's JWKS
// (refetched when an unknown kid appears) with the algorithm allowlist, then
// iss, aud, azp, exp, nbf, iat and nonce. It returns the raw claims.
func (p *Provider) verifyIDToken(ctx context.Context, client *http.Client, d *discovered, raw, nonce string, now time.Time) (json.RawMessage, *idTokenClaims, error) {
	cfg := &oidc.Config{
		ClientID:             p.ClientID,
		SupportedSigningAlgs: d.algs,
		Now:                  func() time.Time { return now.Add(-tokenLeeway) },
		SkipIssuerCheck:      strings.Contains(d.issuer, tenantPlaceholder),
	}
	ctx = oidc.ClientContext(ctx, client)
	var verifier *oidc.IDTokenVerifier
	if p.IDTokenSecretKey {
		cfg.SupportedSigningAlgs = []string{string(jose.HS256)}
		verifier = oidc.NewVerifier(d.issuer, hmacKeySet{secret: []byte(p.ClientSecret)}, cfg)
	} else {
		verifier = d.provider.VerifierContext(ctx, cfg)
	}
	if !p.IDTokenSecretKey {
		if err := p.requireKid(ctx, client, d, raw); err != nil {
			return nil, nil, err
		}
	}
	tok, err := verifier.Verify(ctx, raw)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrIDToken, err)
	}
	var claims json.RawMessage
	var c idTokenClaims
	if err := tok.Claims(&claims); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrIDToken, err)
	}
	if err := json.Unmarshal(claims, &c); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrIDToken, err)
	}
	switch {
	case c.Sub == "":
		return nil, nil, fmt.Errorf("%w: no sub", ErrIDToken)
	case tok.IssuedAt.IsZero():
		return nil, nil, fmt.Errorf("%w: no iat", ErrIDToken)
	case tok.IssuedAt.After(now.Add(maxFutureIAT)):
		return nil, nil, fmt.Errorf("%w: issued in the future (iat %s)", ErrIDToken, tok.IssuedAt.UTC().Format(time.RFC3339))
	case len(tok.Audience) > 1 && c.Azp == "", c.Azp != "" && c.Azp != p.ClientID:
		return nil, nil, fmt.Errorf("%w: authorized party %q is not this client", ErrIDToken, c.Azp)
	case cfg.SkipIssuerCheck && (c.Tid == "" || c.Iss != strings.ReplaceAll(d.issuer, tenantPlaceholder, c.Tid)):
		return nil, nil, fmt.Errorf("%w: %w: tenant issuer %q", ErrIDToken, ErrIssuer, c.Iss)
	case p.Uses(Nonce) && !equal(c.Nonce, nonce):
		return nil, nil, fmt.Errorf("%w: nonce mismatch", ErrIDToken)
	}
	return claims, &c, nil
}

// requireKid refuses an ID token without a kid when the issuer publishes
// several signing keys: which key signed it would be a guess (go-oidc tries
// them all), so a token signed with a key meant for something else could
// pass.
func (p *Provider) requireKid(ctx context.Context, client *http.Client, d *discovered, raw string) error {
	jws, err := jose.ParseSignedCompact(raw, allJWSAlgs)
	if err != nil || len(jws.Signatures) != 1 {
		return nil // go-oidc reports malformed tokens
	}
	if jws.Signatures[0].Header.KeyID != "" {
		return nil
	}
	if d.jwksURI == "" {
		return fmt.Errorf("%w: no kid and no JWKS", ErrIDToken)
	}
	body, err := Get(ctx, client, http.MethodGet, d.jwksURI, &oauth2.Token{}, nil)
	if err != nil {
		return fmt.Errorf("%w: JWKS: %w", ErrIDToken, err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil {
		return fmt.Errorf("%w: JWKS: %w", ErrIDToken, err)
	}
	n := 0
	for _, k := range set.Keys {
		if k.Use == "" || k.Use == "sig" {
			n++
		}
	}
	if n > 1 {
		return fmt.Errorf("%w: no kid, and the issuer has %d signing keys", ErrIDToken, n)
	}
	return nil
}

// allJWSAlgs lets requireKid read any header; verification pins the
// algorithms afterwards.
var allJWSAlgs = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.ES256, jose.ES384, jose.ES512,
	jose.PS256, jose.PS384, jose.PS512, jose.EdDSA, jose.HS256, jose.HS384, jose.HS512,
}

// hmacKeySet verifies HS256 ID tokens signed with the client secret (LINE).
type hmacKeySet struct{ secret []byte }

func (k hmacKeySet) VerifySignature(_ context.Context, raw string) ([]byte, error) {
	jws, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.HS256})
	if err != nil {
		return nil, err
	}
	return jws.Verify(k.secret)
}

// checkIssParam applies RFC 9207: an iss parameter on the callback must be
// the issuer's, and must be there when the provider says it sends it.
func checkIssParam(d *discovered, got string, present bool) error {
	switch {
	case present && strings.Contains(d.issuer, tenantPlaceholder):
		return nil // checked against the ID token's tenant instead
	case present && got != d.issuer:
		return fmt.Errorf("%w: callback iss %q, want %q", ErrIssuer, got, d.issuer)
	case !present && d.issParam:
		return fmt.Errorf("%w: callback lacks the iss parameter the provider advertises", ErrIssuer)
	}
	return nil
}

// EndSessionURL returns the issuer's RP-initiated logout URL for a signed-in
// user's ID token, sending the browser back to postLogout, or "" when the
// provider has no end_session_endpoint.
func (p *Provider) EndSessionURL(ctx context.Context, client *http.Client, idToken, postLogout string) (string, error) {
	if p.Type != TypeOIDC {
		return "", nil
	}
	d, err := p.discover(ctx, client)
	if err != nil || d.endSession == "" {
		return "", err
	}
	q := map[string]string{"client_id": p.ClientID}
	if idToken != "" {
		q["id_token_hint"] = idToken
	}
	if postLogout != "" {
		q["post_logout_redirect_uri"] = postLogout
	}
	return addQuery(d.endSession, q)
}

// Refresh exchanges a refresh token for new tokens at the provider's token
// endpoint (discovered for OpenID Connect), with the provider's client
// authentication and TokenParams (RFC 6749 §6). The result's Expiry counts
// from now (the caller's clock); its RefreshToken is empty when the provider
// did not rotate it. Errors never contain the tokens.
func (p *Provider) Refresh(ctx context.Context, client *http.Client, refreshToken string, now time.Time) (*oauth2.Token, error) {
	var d *discovered
	if p.Type == TypeOIDC {
		var err error
		if d, err = p.discover(ctx, client); err != nil {
			return nil, err
		}
	}
	tokenURL := p.endpoints(d).token
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}}
	for k, v := range p.TokenParams {
		form.Set(k, p.expand(v, nil))
	}
	secret := p.ClientSecret
	if p.ClientSecretFunc != nil {
		var err error
		if secret, err = p.ClientSecretFunc(now); err != nil {
			return nil, fmt.Errorf("%w: client secret: %w", ErrExchange, err)
		}
	}
	basic := p.AuthMethod != ClientSecretPost && p.ClientSecretFunc == nil && p.ClientAssertion == nil
	switch {
	case p.ClientAssertion != nil:
		jwt, err := p.ClientAssertion(tokenURL, now)
		if err != nil {
			return nil, fmt.Errorf("%w: client assertion: %w", ErrExchange, err)
		}
		form.Set("client_id", p.ClientID)
		form.Set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
		form.Set("client_assertion", jwt)
	case !basic:
		form.Set("client_id", p.ClientID)
		form.Set("client_secret", secret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: invalid URL", ErrExchange, redactURL(tokenURL))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if basic {
		req.SetBasicAuth(url.QueryEscape(p.ClientID), url.QueryEscape(secret))
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: POST %s: request failed", ErrExchange, redactURL(tokenURL))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("%w: read %s: %w", ErrExchange, redactURL(tokenURL), err)
	}
	tok, errCode, errDesc := parseTokenResponse(resp.Header.Get("Content-Type"), body)
	if resp.StatusCode/100 != 2 || errCode != "" || tok.AccessToken == "" {
		return nil, fmt.Errorf("%w: status %d, error %q: %s", ErrExchange, resp.StatusCode, sanitize(errCode), sanitize(errDesc))
	}
	if exp := tok.ExpiresIn; exp > 0 {
		tok.Expiry = now.Add(time.Duration(exp) * time.Second)
	}
	if tok.RefreshToken == refreshToken {
		tok.RefreshToken = ""
	}
	return tok, nil
}

// parseTokenResponse reads a token response, JSON or (GitHub-style) form
// encoded, and its RFC 6749 error members.
func parseTokenResponse(contentType string, body []byte) (tok *oauth2.Token, errCode, errDesc string) {
	raw := map[string]any{}
	if strings.Contains(contentType, "urlencoded") || strings.Contains(contentType, "text/plain") {
		vals, _ := url.ParseQuery(string(body))
		for k := range vals {
			raw[k] = vals.Get(k)
		}
	} else if json.Unmarshal(body, &raw) != nil {
		return &oauth2.Token{}, "invalid_response", "the token response is not JSON"
	}
	str := func(k string) string { s, _ := raw[k].(string); return s }
	tok = (&oauth2.Token{AccessToken: str("access_token"), TokenType: str("token_type"), RefreshToken: str("refresh_token")}).WithExtra(raw)
	switch v := raw["expires_in"].(type) {
	case float64:
		tok.ExpiresIn = int64(v)
	case string:
		fmt.Sscan(v, &tok.ExpiresIn)
	}
	return tok, str("error"), str("error_description")
}

// addQuery adds parameters to a URL.
func addQuery(raw string, params map[string]string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("oauth: %s: %w", redactURL(raw), err)
	}
	q := u.Query()
	for k, v := range params {
		q.Set(k, v)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}
