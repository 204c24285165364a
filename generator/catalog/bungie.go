package catalog

// Bungie signs in with a Bungie.net account (Destiny). Every Bungie.net API
// request, the profile's included, must carry the application's API key in
// an X-API-Key header, which authgen has no setting for yet: the sign-in
// reads no profile and takes the account ID, the Bungie.net membership ID,
// from the token response's membership_id (oauth.BungieMembershipID), so
// the user has no name or picture. Pointing AUTH_BUNGIE_USERINFO_URL at
// https://www.bungie.net/Platform/User/GetMembershipsForCurrentUser/
// through a proxy that adds the key reads the profile below, mapped to the
// same ID.
var Bungie = &Provider{
	ID:      "bungie",
	Name:    "Bungie",
	GoName:  "Bungie",
	Type:    OAuth2,
	Docs:    "https://github.com/Bungie-net/api/wiki/OAuth-Documentation",
	Console: "https://www.bungie.net/en/Application",
	Endpoints: Endpoints{
		Authorization: "https://www.bungie.net/en/OAuth/Authorize",
		Token:         "https://www.bungie.net/Platform/App/OAuth/token/",
	},
	Params: map[string]string{"reauth": "true"},
	Checks: []string{"state"},
	Profile: Struct{
		Doc: "is the answer of GET User/GetMembershipsForCurrentUser: the Bungie.net user and their Destiny memberships.\n\nDocumentation: https://bungie-net.github.io/multi/operation_get_User-GetMembershipDataForCurrentUser.html",
		Fields: []Field{
			{Name: "Response", JSON: "Response", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "PrimaryMembershipID", JSON: "primaryMembershipId", Kind: String},
				{Name: "BungieNetUser", JSON: "bungieNetUser", Kind: Object, Struct: &Struct{Fields: []Field{
					{Name: "MembershipID", JSON: "membershipId", Kind: Flex},
					{Name: "UniqueName", JSON: "uniqueName", Kind: String},
					{Name: "DisplayName", JSON: "displayName", Kind: String},
					{Name: "CachedBungieGlobalDisplayName", JSON: "cachedBungieGlobalDisplayName", Kind: String},
					{Name: "CachedBungieGlobalDisplayNameCode", JSON: "cachedBungieGlobalDisplayNameCode", Kind: Int},
					{Name: "ProfilePicturePath", JSON: "profilePicturePath", Kind: String},
					{Name: "Locale", JSON: "locale", Kind: String},
				}}},
			}}},
			{Name: "ErrorCode", JSON: "ErrorCode", Kind: Int},
			{Name: "ErrorStatus", JSON: "ErrorStatus", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The image is the profile picture on www.bungie.net.",
		ID:    Path("Response.BungieNetUser.MembershipID"),
		Name:  Path("Response.BungieNetUser.DisplayName"),
		Image: Format{Format: "https://www.bungie.net%s", Args: []Expr{Path("Response.BungieNetUser.ProfilePicturePath")}},
	},
	Enrich: "BungieMembershipID",
	Example: Example{
		Token: `{"refresh_expires_in":7776000,"membership_id":"12345678"}`,
		Want:  User{ID: "12345678"},
	},
}
