package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
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
	d, err := p.discover(ctx, Guard(client))
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
	client = Guard(client)
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
		return nil, fmt.Errorf("%w: %w", ErrExchange, requestError(http.MethodPost, redactURL(tokenURL), err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
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
	tok.ExpiresIn = expiresIn(raw["expires_in"])
	return tok, str("error"), str("error_description")
}

// maxExpiresIn bounds the lifetime a token response may announce (ten
// years): a larger one, a negative one or one that is not a number is taken
// as unknown (0), never as an expiry that overflows.
const maxExpiresIn = 10 * 365 * 24 * 60 * 60

// expiresIn reads expires_in, a JSON number or (form-encoded, or from
// providers that quote it) a decimal string.
func expiresIn(v any) int64 {
	var n float64
	switch v := v.(type) {
	case float64:
		n = v
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return 0
		}
		n = f
	}
	if !(n > 0 && n <= maxExpiresIn) {
		return 0
	}
	return int64(n)
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
