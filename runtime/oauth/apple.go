package oauth

import (
	"context"
	"encoding/json"
)

// AppleName wraps Sign in with Apple's profile mapping: Apple sends the
// user's name only once, in the "user" parameter of the first callback (a
// form_post), never in the ID token. When present it names the user;
// otherwise the name stays as mapped (empty, or the user's override).
//
// Documentation: https://developer.apple.com/documentation/sign_in_with_apple/sign_in_with_apple_js/incorporating_sign_in_with_apple_into_other_platforms
func AppleName(next ProfileFunc) ProfileFunc {
	return func(ctx context.Context, in ProfileInput) (*User, any, error) {
		u, profile, err := next(ctx, in)
		if err != nil || u == nil || u.Name != "" {
			return u, profile, err
		}
		var user struct {
			Name struct {
				FirstName string `json:"firstName"`
				LastName  string `json:"lastName"`
			} `json:"name"`
		}
		if raw := in.Callback.Get("user"); raw != "" && json.Unmarshal([]byte(raw), &user) == nil {
			u.Name = Join(" ", user.Name.FirstName, user.Name.LastName)
		}
		return u, profile, nil
	}
}
