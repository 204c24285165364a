package oauth

import (
	"context"
	"net/http"
	"strconv"

	"golang.org/x/oauth2"
)

// BungieMembershipID sets the user's account ID, when the profile gave
// none, to the token response's membership_id: the Bungie.net membership
// ID, the same as the profile's Response.bungieNetUser.membershipId.
//
// Bungie.net's API, the profile's User/GetMembershipsForCurrentUser
// included, wants the application's API key in an X-API-Key header, which
// authgen has no setting for; the catalog's Bungie entry therefore reads
// no profile by default and signs in with the ID alone (no name or
// picture). With AUTH_BUNGIE_USERINFO_URL pointing at a proxy that adds
// the key, the profile is read and mapped, and the ID is the same.
//
// Documentation: https://github.com/Bungie-net/api/wiki/OAuth-Documentation
func BungieMembershipID(_ context.Context, _ *http.Client, _ *Provider, tok *oauth2.Token, u *User) error {
	if u.ID != "" {
		return nil
	}
	switch id := tok.Extra("membership_id").(type) {
	case string:
		u.ID = id
	case float64: // a number, should Bungie ever send one
		u.ID = strconv.FormatFloat(id, 'f', -1, 64)
	}
	return nil
}
