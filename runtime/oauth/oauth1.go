package oauth

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/dghubble/oauth1"
	"golang.org/x/oauth2"
)

// ErrOAuth1 wraps OAuth 1.0a failures (request token, access token).
var ErrOAuth1 = fmt.Errorf("%w: OAuth 1.0a", ErrExchange)

func (p *Provider) oauth1Config(client *http.Client, callbackURL string) *oauth1.Config {
	return &oauth1.Config{
		ConsumerKey:    p.ClientID,
		ConsumerSecret: p.ClientSecret,
		CallbackURL:    callbackURL,
		Endpoint: oauth1.Endpoint{
			RequestTokenURL: p.RequestTokenURL,
			AuthorizeURL:    p.AuthorizationURL,
			AccessTokenURL:  p.TokenURL,
		},
		HTTPClient: client,
	}
}

// beginOAuth1 obtains temporary credentials (RFC 5849 §2.1) and returns the
// authorization URL. The request secret goes back to the caller in the
// checks — authgen's server seals it into a short-lived cookie, so any
// instance can finish the sign-in (Auth.js kept it in process memory).
func (p *Provider) beginOAuth1(_ context.Context, client *http.Client, callbackURL string) (string, Checks, error) {
	cfg := p.oauth1Config(client, callbackURL)
	token, secret, err := cfg.RequestToken()
	if err != nil {
		return "", Checks{}, fmt.Errorf("%w: request token: %w", ErrOAuth1, requestError(http.MethodPost, redactURL(p.RequestTokenURL), err))
	}
	u, err := cfg.AuthorizationURL(token)
	if err != nil {
		return "", Checks{}, fmt.Errorf("%w: authorization URL: %w", ErrOAuth1, err)
	}
	return u.String(), Checks{RequestToken: token, RequestSecret: secret}, nil
}

// finishOAuth1 checks that the callback's oauth_token is the request token
// this browser was given, exchanges the verifier for token credentials, and
// fetches the profile with a signed request.
func (p *Provider) finishOAuth1(ctx context.Context, client *http.Client, q url.Values, ch Checks) (*Result, error) {
	if q.Get("denied") != "" {
		return nil, fmt.Errorf("%w: access denied", ErrProviderError)
	}
	if ch.RequestToken == "" || !equal(q.Get("oauth_token"), ch.RequestToken) {
		return nil, ErrState
	}
	verifier := q.Get("oauth_verifier")
	if verifier == "" {
		return nil, ErrCode
	}
	cfg := p.oauth1Config(client, "")
	access, secret, err := cfg.AccessToken(ch.RequestToken, ch.RequestSecret, verifier)
	if err != nil {
		return nil, fmt.Errorf("%w: access token: %w", ErrOAuth1, requestError(http.MethodPost, redactURL(p.TokenURL), err))
	}
	// oauth1's client signs over client's transport but follows redirects:
	// guard it like every other.
	signed := cfg.Client(context.WithValue(ctx, oauth1.HTTPClient, client), oauth1.NewToken(access, secret))
	signed.Timeout = client.Timeout
	signed = Guard(signed)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.UserinfoURL, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUserinfo, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := signed.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUserinfo, requestError(http.MethodGet, redactURL(p.UserinfoURL), err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%w: read %s: %w", ErrUserinfo, redactURL(p.UserinfoURL), err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%w: GET %s: status %d", ErrUserinfo, redactURL(p.UserinfoURL), resp.StatusCode)
	}
	// The token credentials travel as an oauth2.Token so that accounts keep
	// them like any other: the token as the access token, its secret as
	// the extra oauth_token_secret.
	tok := (&oauth2.Token{AccessToken: access, TokenType: "oauth1"}).WithExtra(map[string]any{"oauth_token_secret": secret})
	return p.finishProfile(ctx, client, tok, ProfileInput{Userinfo: body, Token: tok})
}
