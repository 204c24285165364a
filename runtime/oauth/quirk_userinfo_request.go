package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
)

// Two providers serve the profile only to a request the userinfo step (a
// GET, or an empty POST, of the userinfo URL) should not make: HubSpot
// names the user in the access token's metadata, at a URL with the token
// in its path, which error messages would then show; Meetup answers a
// GraphQL query posted as JSON. Their catalog entries leave the userinfo
// URL unset, so the sign-in maps an empty profile first; the EnrichFuncs
// below then make the provider's request and map the answer with the
// provider's Profile (the application's override included), replacing
// that user.
//
// When AUTH_<ID>_USERINFO_URL is set the profile has been read from there
// (a proxy, a test server) and they do nothing. The profile handed to
// callbacks is the one mapped before the request, empty: read the user
// instead.

// Provider APIs the functions below call.
const (
	hubspotTokenInfo = "https://api.hubapi.com/oauth/v1/access-tokens/"
	meetupGraphQLURL = "https://api.meetup.com/gql-ext"
	// meetupSelfQuery asks for the signed-in member.
	meetupSelfQuery = `{"query":"query { self { id name email memberPhoto { baseUrl highResUrl } } }"}`
)

// HubSpotUser reads the HubSpot user from the access token's metadata,
// GET /oauth/v1/access-tokens/{token}, which names the user (user_id, and
// the e-mail address as user) and the account (hub_id). Errors name the
// request without the token.
//
// Documentation: https://developers.hubspot.com/docs/api-reference/auth-oauth-v1/access-tokens/get-oauth-v1-access-tokens-token
func HubSpotUser(ctx context.Context, c *http.Client, p *Provider, tok *oauth2.Token, u *User) error {
	return userinfoRequest(ctx, c, p, tok, u, "GET "+hubspotTokenInfo+"…", func() (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, hubspotTokenInfo+url.PathEscape(tok.AccessToken), nil)
	})
}

// MeetupUser reads the Meetup member by posting the GraphQL query
// self { id name email memberPhoto { baseUrl highResUrl } } to Meetup's
// API, with the access token as a bearer header. A refused query (GraphQL
// errors with status 200) is an error.
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
	// GraphQL reports a refused query (a missing scope, a changed schema)
	// with status 200 and errors instead of data.
	var gql struct {
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &gql) == nil && len(gql.Errors) > 0 {
		return fmt.Errorf("%w: %s: %s", ErrUserinfo, what, sanitize(gql.Errors[0].Message))
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
