package oauth_test

import (
	"context"
	"errors"
	"testing"

	"github.com/authgen/authgen/runtime/oauth"
)

func TestPrimaryEmail(t *testing.T) {
	tests := []struct {
		name         string
		mapped       string // e-mail address set by the wrapped mapping
		userinfo     string
		claims       string
		want         string
		wantVerified bool
	}{
		{
			name:   "B2C emails claim",
			claims: `{"sub":"1","emails":["Ada@Example.com","other@example.com"]}`,
			want:   "ada@example.com",
		},
		{
			name:     "Eventbrite primary",
			userinfo: `{"id":"1","emails":[{"email":"old@example.com","verified":true,"primary":false},{"email":"Grace@Example.com","verified":true,"primary":true}]}`,
			want:     "grace@example.com", wantVerified: true,
		},
		{
			name:     "Bitly is_primary, unverified",
			userinfo: `{"login":"x","emails":[{"email":"bit@example.com","is_primary":true,"is_verified":false}]}`,
			want:     "bit@example.com",
		},
		{
			name:     "no primary",
			userinfo: `{"emails":[{"email":"a@example.com","primary":false,"verified":true}]}`,
		},
		{
			name:     "userinfo before claims",
			userinfo: `{"emails":["userinfo@example.com"]}`,
			claims:   `{"emails":["claims@example.com"]}`,
			want:     "userinfo@example.com",
		},
		{
			name:     "mapping already set",
			mapped:   "mapped@example.com",
			userinfo: `{"emails":["other@example.com"]}`,
			want:     "mapped@example.com",
		},
		{name: "no emails member", userinfo: `{"id":"1"}`},
		{name: "empty list", claims: `{"emails":[]}`},
		{name: "blank strings", claims: `{"emails":[""," "]}`},
		{name: "null", claims: `{"emails":null}`},
		{name: "not a list", userinfo: `{"emails":"a@example.com"}`},
		{name: "malformed", userinfo: `{`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := func(context.Context, oauth.ProfileInput) (*oauth.User, any, error) {
				return &oauth.User{ID: "1", Email: tt.mapped}, "profile", nil
			}
			in := oauth.ProfileInput{}
			if tt.userinfo != "" {
				in.Userinfo = []byte(tt.userinfo)
			}
			if tt.claims != "" {
				in.Claims = []byte(tt.claims)
			}
			u, profile, err := oauth.PrimaryEmail(next)(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if profile != "profile" {
				t.Errorf("profile = %v, want the wrapped mapping's", profile)
			}
			if u.Email != tt.want || u.EmailVerified != tt.wantVerified {
				t.Errorf("email = %q (verified %v), want %q (%v)", u.Email, u.EmailVerified, tt.want, tt.wantVerified)
			}
		})
	}
}

func TestPrimaryEmailMappingError(t *testing.T) {
	boom := errors.New("boom")
	next := func(context.Context, oauth.ProfileInput) (*oauth.User, any, error) { return nil, nil, boom }
	_, _, err := oauth.PrimaryEmail(next)(context.Background(), oauth.ProfileInput{Userinfo: []byte(`{"emails":["a@example.com"]}`)})
	if !errors.Is(err, boom) {
		t.Fatalf("error = %v, want %v", err, boom)
	}
}
