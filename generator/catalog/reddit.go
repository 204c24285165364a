package catalog

// Reddit signs in with a Reddit account.
var Reddit = &Provider{
	ID:      "reddit",
	Name:    "Reddit",
	GoName:  "Reddit",
	Type:    OAuth2,
	Docs:    "https://github.com/reddit-archive/reddit/wiki/OAuth2",
	Console: "https://www.reddit.com/prefs/apps",
	Endpoints: Endpoints{
		Authorization: "https://www.reddit.com/api/v1/authorize",
		Token:         "https://www.reddit.com/api/v1/access_token",
		Userinfo:      "https://oauth.reddit.com/api/v1/me",
	},
	Scopes: []string{"identity"},
	Checks: []string{"state"},
	Profile: Struct{
		Doc: "is the account Reddit returns from GET /api/v1/me.\n\nDocumentation: https://www.reddit.com/dev/api/#GET_api_v1_me",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "IconImg", JSON: "icon_img", Kind: String},
			{Name: "SnoovatarImg", JSON: "snoovatar_img", Kind: String},
			{Name: "Verified", JSON: "verified", Kind: Bool},
			{Name: "HasVerifiedEmail", JSON: "has_verified_email", Kind: Bool},
			{Name: "CreatedUTC", JSON: "created_utc", Kind: Float},
		},
	},
	Map: Mapping{
		Doc:  "Reddit does not share e-mail addresses; as in Auth.js no image is mapped (icon_img is on the profile).",
		ID:   Path("ID"),
		Name: Path("Name"),
	},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Userinfo: `{"id":"1w72","name":"spez","icon_img":"https://styles.redditmedia.com/t5_3k30p/styles/profileIcon_snoo.png","snoovatar_img":"","verified":true,"has_verified_email":true,"created_utc":1118030400.0,"total_karma":936612,"is_employee":true}`,
		Want:     User{ID: "1w72", Name: "spez"},
	},
}
