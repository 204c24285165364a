package catalog

// Bungie signs in with a Bungie.net account (Destiny). Every Bungie.net API
// request, the profile's included, must carry the application's API key in
// an X-API-Key header.
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
	Example: Example{
		Userinfo: `{"Response":{"destinyMemberships":[{"LastSeenDisplayName":"Guardian","LastSeenDisplayNameType":3,"iconPath":"/img/theme/bungienet/icons/steamLogo.png","crossSaveOverride":0,"isPublic":true,"membershipType":3,"membershipId":"4611686018467284386","displayName":"Guardian","bungieGlobalDisplayName":"Guardian","bungieGlobalDisplayNameCode":1234}],"primaryMembershipId":"4611686018467284386","bungieNetUser":{"membershipId":"12345678","uniqueName":"Guardian#1234","displayName":"Guardian","profilePicture":70567,"profileTheme":1054,"userTitle":0,"successMessageFlags":"0","isDeleted":false,"about":"","firstAccess":"2017-09-06T18:38:07.383Z","lastUpdate":"2024-05-01T12:00:00.000Z","showActivity":true,"locale":"en","localeInheritDefault":true,"profilePicturePath":"/img/profile/avatars/default_avatar.gif","profileThemeName":"d2_18","userTitleDisplay":"Newbie","statusText":"","statusDate":"0001-01-01T00:00:00Z","cachedBungieGlobalDisplayName":"Guardian","cachedBungieGlobalDisplayNameCode":1234}},"ErrorCode":1,"ThrottleSeconds":0,"ErrorStatus":"Success","Message":"Ok","MessageData":{}}`,
		Want:     User{ID: "12345678", Name: "Guardian", Image: "https://www.bungie.net/img/profile/avatars/default_avatar.gif"},
	},
}
