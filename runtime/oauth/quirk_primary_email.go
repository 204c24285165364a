package oauth

import (
	"context"
	"encoding/json"
	"strings"
)

// PrimaryEmail wraps the profile mapping of providers that list a user's
// e-mail addresses in an "emails" member rather than giving one address,
// in the userinfo response or in the ID token's claims:
//
//   - a list of strings (Azure AD B2C's emails claim): the first address;
//   - a list of objects (Eventbrite, Bitly): the address of the one marked
//     "primary" or "is_primary", whose "verified" or "is_verified" flag sets
//     EmailVerified.
//
// The userinfo response is looked at first, then the claims. The address
// is filled only when the mapping (and the application's override) left it
// empty.
func PrimaryEmail(next ProfileFunc) ProfileFunc {
	return func(ctx context.Context, in ProfileInput) (*User, any, error) {
		u, profile, err := next(ctx, in)
		if err != nil || u == nil || u.Email != "" {
			return u, profile, err
		}
		for _, doc := range [][]byte{in.Userinfo, in.Claims} {
			if email, verified := primaryEmail(doc); email != "" {
				u.Email, u.EmailVerified = strings.ToLower(email), verified
				break
			}
		}
		return u, profile, nil
	}
}

// primaryEmail picks the address from doc's "emails" member.
func primaryEmail(doc []byte) (email string, verified bool) {
	if len(doc) == 0 {
		return "", false
	}
	var v struct {
		Emails json.RawMessage `json:"emails"`
	}
	if json.Unmarshal(doc, &v) != nil || len(v.Emails) == 0 {
		return "", false
	}
	var list []string
	if json.Unmarshal(v.Emails, &list) == nil {
		for _, e := range list {
			if e = strings.TrimSpace(e); e != "" {
				return e, false
			}
		}
		return "", false
	}
	var objects []struct {
		Email      string `json:"email"`
		Primary    bool   `json:"primary"`
		IsPrimary  bool   `json:"is_primary"`
		Verified   bool   `json:"verified"`
		IsVerified bool   `json:"is_verified"`
	}
	if json.Unmarshal(v.Emails, &objects) != nil {
		return "", false
	}
	for _, o := range objects {
		if e := strings.TrimSpace(o.Email); (o.Primary || o.IsPrimary) && e != "" {
			return e, o.Verified || o.IsVerified
		}
	}
	return "", false
}
