package catalog

// Dailymotion signs in with a Dailymotion account.
var Dailymotion = &Provider{
	ID:      "dailymotion",
	Name:    "Dailymotion",
	GoName:  "Dailymotion",
	Type:    OAuth2,
	Docs:    "https://developers.dailymotion.com/docs/authenticate",
	Console: "https://www.dailymotion.com/partner/api-keys/",
	Endpoints: Endpoints{
		Authorization: "https://api.dailymotion.com/oauth/authorize",
		Token:         "https://api.dailymotion.com/oauth/token",
		Userinfo:      "https://api.dailymotion.com/user/me?fields=id,username,screenname,email,avatar_720_url",
	},
	Scopes:     []string{"email"},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the user GET /user/me returns with the fields the userinfo URL asks for (email needs the email scope).\n\nDocumentation: https://developers.dailymotion.com/v0/reference/user-fields",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "Screenname", JSON: "screenname", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "Avatar720URL", JSON: "avatar_720_url", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name is the screen name (the full name or the username, as the user chose), falling back to the username.",
		ID:    Path("ID"),
		Name:  FirstOf{Path("Screenname"), Path("Username")},
		Email: Path("Email"),
		Image: Path("Avatar720URL"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":"x1fz4ii","username":"dailymotion-fan","screenname":"Camille Martin","email":"Camille.Martin@Example.fr","avatar_720_url":"https://s2.dmcdn.net/u/8Fx2v1Yc5tSZ1qkq2/720x720"}`,
		Want:     User{ID: "x1fz4ii", Name: "Camille Martin", Email: "camille.martin@example.fr", Image: "https://s2.dmcdn.net/u/8Fx2v1Yc5tSZ1qkq2/720x720"},
	},
}
