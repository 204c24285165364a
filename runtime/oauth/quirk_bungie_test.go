package oauth_test

import (
	"testing"

	"golang.org/x/oauth2"

	"github.com/authgen/authgen/runtime/oauth"
)

func TestBungieMembershipID(t *testing.T) {
	tests := []struct {
		name   string
		mapped string // the ID the profile gave
		extra  map[string]any
		want   string
	}{
		{name: "from the token", extra: map[string]any{"membership_id": "4353"}, want: "4353"},
		{name: "a number", extra: map[string]any{"membership_id": float64(12345678)}, want: "12345678"},
		{name: "profile first", mapped: "1", extra: map[string]any{"membership_id": "4353"}, want: "1"},
		{name: "none", extra: map[string]any{"access_token": "at"}},
		{name: "not a scalar", extra: map[string]any{"membership_id": []any{"4353"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := (&oauth2.Token{AccessToken: "at"}).WithExtra(tt.extra)
			u := &oauth.User{ID: tt.mapped}
			if err := oauth.BungieMembershipID(t.Context(), nil, &oauth.Provider{}, tok, u); err != nil {
				t.Fatal(err)
			}
			if u.ID != tt.want {
				t.Errorf("ID = %q, want %q", u.ID, tt.want)
			}
		})
	}
}
