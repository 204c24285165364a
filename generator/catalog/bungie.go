package catalog

// Bungie signs in with a Bungie.net account (Destiny). Every Bungie.net API
// request, the profile's included, carries the application's API key in an
// X-API-Key header: AUTH_BUNGIE_API_KEY, from the application's page.
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
		Userinfo:      "https://www.bungie.net/Platform/User/GetMembershipsForCurrentUser/",
	},
	NeedsAPIKey:    true,
	UserinfoHeader: map[string]string{"X-API-Key": "{api_key}"},
	Params:         map[string]string{"reauth": "true"},
	Checks:         []string{"state"},
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
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Token:    `{"refresh_expires_in":7776000,"membership_id":"12345678"}`,
		Userinfo: `{"Response":{"primaryMembershipId":"4611686018467284386","bungieNetUser":{"membershipId":"12345678","uniqueName":"Guardian#1234","displayName":"Guardian","cachedBungieGlobalDisplayName":"Guardian","cachedBungieGlobalDisplayNameCode":1234,"profilePicturePath":"/img/profile/avatars/default_avatar.gif","locale":"en"}},"ErrorCode":1,"ErrorStatus":"Success"}`,
		Want:     User{ID: "12345678", Name: "Guardian", Image: "https://www.bungie.net/img/profile/avatars/default_avatar.gif"},
	},
}
