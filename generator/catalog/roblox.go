package catalog

// Roblox signs in with a Roblox account (OpenID Connect). The avatar is
// only in userinfo, which is therefore fetched too.
var Roblox = &Provider{
	ID:            "roblox",
	Name:          "Roblox",
	GoName:        "Roblox",
	Type:          OIDC,
	Docs:          "https://create.roblox.com/docs/cloud/reference/oauth2",
	Console:       "https://create.roblox.com/dashboard/credentials?activeTab=OAuthTab",
	Issuer:        "https://apis.roblox.com/oauth/",
	FetchUserinfo: true,
	Scopes:        []string{"openid", "profile"},
	Checks:        []string{"pkce", "state", "nonce"},
	Profile: Struct{
		Doc: "holds the claims of a Roblox ID token, completed by GET /oauth/v1/userinfo (picture).\n\nDocumentation: https://create.roblox.com/docs/cloud/reference/oauth2#get-v1userinfo",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Nickname", JSON: "nickname", Kind: String},
			{Name: "PreferredUsername", JSON: "preferred_username", Kind: String},
			{Name: "CreatedAt", JSON: "created_at", Kind: Int},
			{Name: "Profile", JSON: "profile", Kind: String},
			{Name: "Picture", JSON: "picture", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name is the display name, falling back to the username. Roblox shares no e-mail address with third-party apps.",
		ID:    Path("Sub"),
		Name:  FirstOf{Path("Name"), Path("Nickname"), Path("PreferredUsername")},
		Image: Path("Picture"),
	},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Claims:   `{"sub":"1516563360","name":"exampleuser","nickname":"exampleuser","preferred_username":"exampleuser","created_at":1584682495,"profile":"https://www.roblox.com/users/1516563360/profile"}`,
		Userinfo: `{"sub":"1516563360","name":"exampleuser","nickname":"exampleuser","preferred_username":"exampleuser","created_at":1584682495,"profile":"https://www.roblox.com/users/1516563360/profile","picture":"https://tr.rbxcdn.com/03dc2a9abe7b1aacaaf93ea46d5c0646/150/150/AvatarHeadshot/Png"}`,
		Want:     User{ID: "1516563360", Name: "exampleuser", Image: "https://tr.rbxcdn.com/03dc2a9abe7b1aacaaf93ea46d5c0646/150/150/AvatarHeadshot/Png"},
	},
}
