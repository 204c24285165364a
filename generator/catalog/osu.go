package catalog

// Osu signs in with an osu! account. osu! shares no e-mail address.
var Osu = &Provider{
	ID:      "osu",
	Name:    "osu!",
	GoName:  "Osu",
	Type:    OAuth2,
	Docs:    "https://osu.ppy.sh/docs/index.html#authorization-code-grant",
	Console: "https://osu.ppy.sh/home/account/edit#oauth",
	Endpoints: Endpoints{
		Authorization: "https://osu.ppy.sh/oauth/authorize",
		Token:         "https://osu.ppy.sh/oauth/token",
		Userinfo:      "https://osu.ppy.sh/api/v2/me",
	},
	Scopes:     []string{"identify"},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the user osu! returns from GET /api/v2/me.\n\nDocumentation: https://osu.ppy.sh/docs/index.html#get-own-data",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: Int},
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "AvatarURL", JSON: "avatar_url", Kind: String},
			{Name: "CountryCode", JSON: "country_code", Kind: String},
			{Name: "DefaultGroup", JSON: "default_group", Kind: String},
			{Name: "IsActive", JSON: "is_active", Kind: Bool},
			{Name: "IsBot", JSON: "is_bot", Kind: Bool},
			{Name: "IsSupporter", JSON: "is_supporter", Kind: Bool},
			{Name: "JoinDate", JSON: "join_date", Kind: String},
			{Name: "Playmode", JSON: "playmode", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name is the osu! username.",
		ID:    Path("ID"),
		Name:  Path("Username"),
		Image: Path("AvatarURL"),
	},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Userinfo: `{"avatar_url":"https://a.ppy.sh/2?1519081077.png","country_code":"AU","default_group":"default","id":2,"is_active":true,"is_bot":false,"is_deleted":false,"is_online":false,"is_supporter":true,"last_visit":null,"pm_friends_only":false,"profile_colour":"#3366FF","username":"peppy","cover_url":"https://assets.ppy.sh/user-profile-covers/2/baba245ef60834b769694178f8f6d4f6166c5188c740de084656ad2b80f1eea7.jpeg","discord":null,"has_supported":true,"interests":null,"join_date":"2007-08-28T03:09:12+00:00","location":"Australia","max_blocks":200,"max_friends":500,"occupation":"","playmode":"osu","playstyle":["mouse","keyboard"],"post_count":1234,"profile_order":["me","recent_activity"],"title":null,"twitter":"ppy","website":"https://ppy.sh","country":{"code":"AU","name":"Australia"},"cover":{"custom_url":null,"url":"https://assets.ppy.sh/user-profile-covers/2/cover.jpeg","id":null},"is_restricted":false,"kudosu":{"available":0,"total":0}}`,
		Want:     User{ID: "2", Name: "peppy", Image: "https://a.ppy.sh/2?1519081077.png"},
	},
}
