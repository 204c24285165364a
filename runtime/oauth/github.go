package oauth

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
)

// GitHubEmails fills in the user's primary verified e-mail address from
// GitHub's /user/emails endpoint when /user has none (the user keeps their
// address private), and sets EmailVerified. When /user has an address (the
// public one) it looks the address up there too, to set EmailVerified from
// its verified flag: the user's stored address is then known proven or not,
// which decides whether e-mail sign-in and trustEmail providers may reach
// the user later (see server's linking rules). It needs
// the user:email scope. The endpoint is the userinfo URL with /emails
// appended, so it follows GitHub Enterprise base URLs and test overrides.
// As in Auth.js, a failed lookup (a missing scope, an app without e-mail
// permission) leaves the address empty, or unverified, rather than
// failing the sign-in.
//
// Documentation: https://docs.github.com/en/rest/users/emails#list-email-addresses-for-the-authenticated-user
func GitHubEmails(ctx context.Context, c *http.Client, p *Provider, tok *oauth2.Token, u *User) error {
	if u.Email != "" && u.EmailVerified {
		return nil
	}
	body, err := Get(ctx, c, http.MethodGet, strings.TrimSuffix(p.UserinfoURL, "/")+"/emails", tok, p.UserinfoHeader)
	if err != nil {
		return nil
	}
	var emails []struct {
		Email    string `json:"email"`
		Primary  bool   `json:"primary"`
		Verified bool   `json:"verified"`
	}
	if json.Unmarshal(body, &emails) != nil {
		return nil
	}
	if u.Email != "" {
		for _, e := range emails {
			if strings.EqualFold(e.Email, u.Email) {
				u.EmailVerified = e.Verified
				return nil
			}
		}
		return nil
	}
	for _, e := range emails {
		if e.Primary && e.Verified {
			u.Email, u.EmailVerified = strings.ToLower(e.Email), true
			return nil
		}
	}
	return nil
}

// TokenEmail takes the user's e-mail address from the token response's
// "email" member when the profile has none (VK returns it there, not in the
// profile).
func TokenEmail(_ context.Context, _ *http.Client, _ *Provider, tok *oauth2.Token, u *User) error {
	if u.Email == "" {
		if e, ok := tok.Extra("email").(string); ok {
			u.Email = strings.ToLower(e)
		}
	}
	return nil
}
