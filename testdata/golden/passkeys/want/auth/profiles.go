// This file is yours: authgen wrote it once and never changes it.

package auth

import (
	"context"

	"github.com/authgen/authgen/runtime/oauth"
)

// mapProfile lets you change how a provider's profile becomes a user. It runs
// after the provider's default mapping (in its _gen.go file) with the typed
// profile, such as *GitHubProfile, and may change u.
func mapProfile(ctx context.Context, profile any, u *oauth.User) error {
	// For example, to prefer a GitHub user's login to their display name:
	//
	//	if p, ok := profile.(*GitHubProfile); ok {
	//		u.Name = p.Login
	//	}
	return nil
}
