package oauth_test

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/oauth2"

	"github.com/authgen/authgen/runtime/oauth"
)

func TestGitHubEmails(t *testing.T) {
	tests := []struct {
		name         string
		email        string // already on the profile
		emails       string // body of /user/emails
		userinfoURL  string // suffix of the userinfo URL
		want         string
		wantVerified bool
		wantCalls    int
		wantErr      error
	}{
		{
			name:   "primary verified",
			emails: `[{"email":"other@example.com","primary":false,"verified":true},{"email":"unverified@example.com","primary":true,"verified":false},{"email":"Mona@Example.COM","primary":true,"verified":true,"visibility":"private"}]`,
			want:   "mona@example.com", wantVerified: true, wantCalls: 1,
		},
		{
			name:        "userinfo URL with trailing slash",
			emails:      `[{"email":"mona@example.com","primary":true,"verified":true}]`,
			userinfoURL: "/user/",
			want:        "mona@example.com", wantVerified: true, wantCalls: 1,
		},
		{
			name:      "none verified",
			emails:    `[{"email":"a@example.com","primary":true,"verified":false},{"email":"b@example.com","primary":false,"verified":false}]`,
			wantCalls: 1,
		},
		{
			name:      "verified but not primary",
			emails:    `[{"email":"a@example.com","primary":false,"verified":true}]`,
			wantCalls: 1,
		},
		{
			name:      "empty list",
			emails:    `[]`,
			wantCalls: 1,
		},
		{
			name:   "public address: its verified flag",
			email:  "public@example.com",
			emails: `[{"email":"private@example.com","primary":true,"verified":true},{"email":"Public@Example.com","primary":false,"verified":true}]`,
			want:   "public@example.com", wantVerified: true, wantCalls: 1,
		},
		{
			name:   "public address, unverified",
			email:  "public@example.com",
			emails: `[{"email":"private@example.com","primary":true,"verified":true},{"email":"public@example.com","primary":false,"verified":false}]`,
			want:   "public@example.com", wantCalls: 1,
		},
		{
			name:   "public address, not listed",
			email:  "public@example.com",
			emails: `[{"email":"private@example.com","primary":true,"verified":true}]`,
			want:   "public@example.com", wantCalls: 1,
		},
		{
			name:   "public address, lookup fails",
			email:  "public@example.com",
			emails: "500",
			want:   "public@example.com", wantCalls: 1,
		},
		{
			name:      "endpoint fails",
			emails:    "500",
			wantCalls: 1,
		},
		{
			name:      "malformed JSON",
			emails:    `{"message":"Not Found"}`,
			wantCalls: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fp := newFakeProvider(t, oauth.ClientSecretBasic)
			fp.emailsBody = tt.emails
			p := fp.provider(oauth.PKCE)
			if tt.userinfoURL != "" {
				p.UserinfoURL = fp.srv.URL + tt.userinfoURL
			}
			u := &oauth.User{ID: "1", Email: tt.email}
			tok := &oauth2.Token{AccessToken: fp.accessToken, TokenType: "bearer"}
			err := oauth.GitHubEmails(context.Background(), fp.srv.Client(), p, tok, u)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("GitHubEmails error = %v, want %v", err, tt.wantErr)
			}
			if u.Email != tt.want || u.EmailVerified != tt.wantVerified {
				t.Errorf("email = %q (verified %v), want %q (%v)", u.Email, u.EmailVerified, tt.want, tt.wantVerified)
			}
			if _, _, calls := fp.calls(); calls != tt.wantCalls {
				t.Errorf("/user/emails called %d times, want %d", calls, tt.wantCalls)
			}
		})
	}
}

func TestGitHubEmailsWrongToken(t *testing.T) {
	fp := newFakeProvider(t, oauth.ClientSecretBasic)
	fp.emailsBody = `[{"email":"mona@example.com","primary":true,"verified":true}]`
	u := &oauth.User{ID: "1"}
	tok := &oauth2.Token{AccessToken: "wrong", TokenType: "bearer"}
	// A failed lookup leaves the address empty; the sign-in goes on.
	if err := oauth.GitHubEmails(context.Background(), fp.srv.Client(), fp.provider(oauth.PKCE), tok, u); err != nil {
		t.Fatalf("error = %v, want none", err)
	}
	if u.Email != "" {
		t.Errorf("email set to %q", u.Email)
	}
}

// TestFinishGitHubPrivateEmail runs the whole flow with GitHub's e-mail
// lookup for a user who keeps their address private.
func TestFinishGitHubPrivateEmail(t *testing.T) {
	fp := newFakeProvider(t, oauth.ClientSecretBasic)
	fp.userBody = `{"id":583231,"login":"octocat","name":"Monalisa","email":null}`
	fp.emailsBody = `[{"email":"Private@Example.com","primary":true,"verified":true}]`
	p := fp.provider(oauth.PKCE | oauth.State)
	p.Enrich = oauth.GitHubEmails
	q, ch := signIn(t, fp, p)
	res, err := p.Finish(context.Background(), fp.srv.Client(), q, redirectURI, ch)
	if err != nil {
		t.Fatal(err)
	}
	if res.User.Email != "private@example.com" || !res.User.EmailVerified {
		t.Errorf("User = %+v", res.User)
	}
}
