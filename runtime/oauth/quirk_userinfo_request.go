package oauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
)

// Some providers serve the profile only to a request the userinfo step
// cannot make: it sends the access token as a bearer header (RFC 6750
// §2.1), and these want it in the URL, or want a GraphQL query posted.
// Their catalog entries leave the userinfo URL unset, so the sign-in maps
// an empty profile first; the EnrichFuncs below then make the provider's
// own request and map its answer with the provider's Profile (the
// application's override included), replacing that user.
//
// When AUTH_<ID>_USERINFO_URL is set the profile has been read from there
// with a bearer token (a proxy, a test server) and they do nothing. The
// profile handed to callbacks is the one mapped before the request: for
// these providers, read the user instead.

// Provider APIs the functions below call.
const (
	foursquareUserinfoURL = "https://api.foursquare.com/v2/users/self"
	// foursquareVersion is the API version date Foursquare's v parameter
	// wants (Auth.js's default).
	foursquareVersion = "20230131"
	mailruUserinfoURL = "https://oauth.mail.ru/userinfo"
	hubspotTokenInfo  = "https://api.hubapi.com/oauth/v1/access-tokens/"
	meetupGraphQLURL  = "https://api.meetup.com/gql-ext"
	// meetupSelfQuery asks for the signed-in member.
	meetupSelfQuery = `{"query":"query { self { id name email memberPhoto { baseUrl highResUrl } } }"}`
)

// FoursquareUser reads the Foursquare user from GET /v2/users/self, which
// takes the access token in the oauth_token query parameter.
//
// Documentation: https://docs.foursquare.com/developer/reference/authentication-v2
func FoursquareUser(ctx context.Context, c *http.Client, p *Provider, tok *oauth2.Token, u *User) error {
	q := url.Values{"v": {foursquareVersion}, "oauth_token": {tok.AccessToken}}
	return userinfoRequest(ctx, c, p, tok, u, "GET "+foursquareUserinfoURL, func() (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, foursquareUserinfoURL+"?"+q.Encode(), nil)
	})
}

// MailruUser reads the Mail.ru user from GET https://oauth.mail.ru/userinfo,
// which takes the access token in the access_token query parameter
// (RFC 6750 §2.3) and answers a bearer header with "missing request
// parameter: access_token".
//
// Documentation: https://id.vk.com/about/business/go/docs/ru/vkid/latest/oauth/oauth-mail/index
func MailruUser(ctx context.Context, c *http.Client, p *Provider, tok *oauth2.Token, u *User) error {
	q := url.Values{"access_token": {tok.AccessToken}}
	return userinfoRequest(ctx, c, p, tok, u, "GET "+mailruUserinfoURL, func() (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, mailruUserinfoURL+"?"+q.Encode(), nil)
	})
}

// HubSpotUser reads the HubSpot user from the access token's metadata,
// GET /oauth/v1/access-tokens/{token}: the token is in the path, and the
// answer names the user (user_id, and the e-mail address as user) and the
// account (hub_id).
//
// Documentation: https://developers.hubspot.com/docs/api-reference/auth-oauth-v1/access-tokens/get-oauth-v1-access-tokens-token
func HubSpotUser(ctx context.Context, c *http.Client, p *Provider, tok *oauth2.Token, u *User) error {
	return userinfoRequest(ctx, c, p, tok, u, "GET "+hubspotTokenInfo+"…", func() (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, hubspotTokenInfo+url.PathEscape(tok.AccessToken), nil)
	})
}

// MeetupUser reads the Meetup member by posting the GraphQL query
// self { id name email memberPhoto { baseUrl highResUrl } } to Meetup's
// API, with the access token as a bearer header.
//
// Documentation: https://www.meetup.com/api/guide/
func MeetupUser(ctx context.Context, c *http.Client, p *Provider, tok *oauth2.Token, u *User) error {
	return userinfoRequest(ctx, c, p, tok, u, "POST "+meetupGraphQLURL, func() (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, meetupGraphQLURL, strings.NewReader(meetupSelfQuery))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		tok.SetAuthHeader(req)
		return req, nil
	})
}

// userinfoRequest makes the request newReq returns, unless u already has
// an account ID, and maps the answer with p.Profile into u. what names the
// request in errors, which never contain its URL (it may carry the token).
func userinfoRequest(ctx context.Context, c *http.Client, p *Provider, tok *oauth2.Token, u *User, what string, newReq func() (*http.Request, error)) error {
	if u.ID != "" {
		return nil
	}
	if p.Profile == nil {
		return fmt.Errorf("%w: provider %s has no profile mapping", ErrProfile, p.ID)
	}
	req, err := newReq()
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrUserinfo, what, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "authgen")
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("%w: %s: %w", ErrUserinfo, what, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("%w: %s: read: %w", ErrUserinfo, what, err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%w: %s: status %d", ErrUserinfo, what, resp.StatusCode)
	}
	mapped, _, err := p.Profile(ctx, ProfileInput{Userinfo: body, Token: tok})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrProfile, err)
	}
	if mapped == nil {
		return fmt.Errorf("%w: no user", ErrProfile)
	}
	*u = *mapped
	return nil
}
