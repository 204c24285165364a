package catalog

import (
	"golang.org/x/oauth2"
)

// all is every catalog entry: the core entries here, and the groups of
// group_*.go (kept apart so they can grow independently).
var all = concat(core, groupA, groupB, groupC)

// core entries, sorted by variable name.
var core = []*Provider{
	Apple,
	Credentials,
	Email,
	GenericOAuth,
	GenericOAuth1,
	GenericOIDC,
	GitHub,
	Google,
	LDAP,
	Passkey,
	TwitterLegacy,
}

func concat(groups ...[]*Provider) []*Provider {
	var out []*Provider
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// fromOAuth2 takes the authorization and token endpoints from
// golang.org/x/oauth2/endpoints (so they are not restated here) and adds
// the userinfo endpoint.
func fromOAuth2(e oauth2.Endpoint, userinfo string) Endpoints {
	return Endpoints{Authorization: e.AuthURL, Token: e.TokenURL, Userinfo: userinfo}
}
