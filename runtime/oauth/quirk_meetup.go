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

// Meetup serves the profile only to a GraphQL query posted as JSON, a
// request the userinfo step (a GET, or an empty POST, of the userinfo URL)
// cannot make. Its catalog entry leaves the userinfo URL unset, so the
// sign-in maps an empty profile first; MeetupUser then makes the request
// and maps the answer with the provider's Profile (the application's
// override included), replacing that user.
//
// When AUTH_MEETUP_USERINFO_URL is set the profile has been read from
// there (a proxy, a test server) and MeetupUser does nothing. The profile
// handed to callbacks is the one mapped before the request, empty: read
// the user instead.

// Meetup's API and the query MeetupUser posts.
const (
	meetupGraphQLURL = "https://api.meetup.com/gql-ext"
	// meetupSelfQuery asks for the signed-in member.
	meetupSelfQuery = `{"query":"query { self { id name email memberPhoto { baseUrl highResUrl } } }"}`
)

// MeetupUser reads the Meetup member by posting the GraphQL query
// self { id name email memberPhoto { baseUrl highResUrl } } to Meetup's
// API, with the access token as a bearer header, unless u already has an
// account ID. A refused query (GraphQL errors with status 200) is an
// error.
//
// Documentation: https://www.meetup.com/api/guide/
func MeetupUser(ctx context.Context, c *http.Client, p *Provider, tok *oauth2.Token, u *User) error {
	if u.ID != "" {
		return nil
	}
	if p.Profile == nil {
		return fmt.Errorf("%w: provider %s has no profile mapping", ErrProfile, p.ID)
	}
	c = Guard(c)
	const what = "POST " + meetupGraphQLURL
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, meetupGraphQLURL, strings.NewReader(meetupSelfQuery))
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrUserinfo, what, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "authgen")
	tok.SetAuthHeader(req)
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("%w: %s: %w", ErrUserinfo, what, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
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
