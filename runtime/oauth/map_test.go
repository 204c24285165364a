package oauth_test

import (
	"context"
	"testing"

	"github.com/authgen/authgen/runtime/oauth"
)

// TestMapKeepsVerificationWithTheAddress: the mapping's EmailVerified
// survives an override that keeps the address (in any case), and is
// cleared when the override changes it: the provider verified its own
// address, not the application's choice.
func TestMapKeepsVerificationWithTheAddress(t *testing.T) {
	type profile struct {
		Sub           string `json:"sub"`
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
	}
	mapping := func(p *profile) oauth.User {
		return oauth.User{ID: p.Sub, Email: p.Email, EmailVerified: p.EmailVerified}
	}
	for _, c := range []struct {
		name         string
		hook         func(ctx context.Context, profile any, u *oauth.User) error
		wantEmail    string
		wantVerified bool
	}{
		{"no override", nil, "ada@example.com", true},
		{"override keeps the address", func(_ context.Context, _ any, u *oauth.User) error { u.Name = "Ada"; return nil }, "ada@example.com", true},
		{"override changes its case", func(_ context.Context, _ any, u *oauth.User) error { u.Email = "Ada@Example.com"; return nil }, "Ada@Example.com", true},
		{"override changes the address", func(_ context.Context, _ any, u *oauth.User) error { u.Email = "other@example.com"; return nil }, "other@example.com", false},
		{"override clears the address", func(_ context.Context, _ any, u *oauth.User) error { u.Email = ""; return nil }, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := oauth.Map(mapping, c.hook)
			u, _, err := f(t.Context(), oauth.ProfileInput{Claims: []byte(`{"sub":"1","email":"Ada@Example.com","email_verified":true}`)})
			if err != nil {
				t.Fatal(err)
			}
			if u.Email != c.wantEmail || u.EmailVerified != c.wantVerified {
				t.Errorf("user %q verified %v, want %q verified %v", u.Email, u.EmailVerified, c.wantEmail, c.wantVerified)
			}
		})
	}
}
