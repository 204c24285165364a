package catalog

// Dribbble signs in with a Dribbble account.
var Dribbble = &Provider{
	ID:      "dribbble",
	Name:    "Dribbble",
	GoName:  "Dribbble",
	Type:    OAuth2,
	Docs:    "https://developer.dribbble.com/v2/oauth/",
	Console: "https://dribbble.com/account/applications/new",
	Endpoints: Endpoints{
		Authorization: "https://dribbble.com/oauth/authorize",
		Token:         "https://dribbble.com/oauth/token",
		Userinfo:      "https://api.dribbble.com/v2/user",
	},
	Scopes:     []string{"public"},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the user GET /v2/user returns. Dribbble documents no e-mail address in it; the mapping reads one if present, as Auth.js does.\n\nDocumentation: https://developer.dribbble.com/v2/user/",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: Int},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Login", JSON: "login", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "HTMLURL", JSON: "html_url", Kind: String},
			{Name: "AvatarURL", JSON: "avatar_url", Kind: String},
			{Name: "Bio", JSON: "bio", Kind: String},
			{Name: "Location", JSON: "location", Kind: String},
			{Name: "Pro", JSON: "pro", Kind: Bool},
			{Name: "Type", JSON: "type", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("ID"), Name: Path("Name"), Email: Path("Email"), Image: Path("AvatarURL")},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":1,"name":"Dan Cederholm","login":"simplebits","html_url":"https://dribbble.com/simplebits","avatar_url":"https://d13yacurqjgara.cloudfront.net/users/1/avatars/normal/dc.jpg?1371679243","bio":"Co-founder &amp; designer of <a href=\"https://dribbble.com/dribbble\">@Dribbble</a>.","location":"Salem, MA","links":{"web":"http://simplebits.com","twitter":"https://twitter.com/simplebits"},"can_upload_shot":true,"pro":true,"followers_count":29262,"created_at":"2009-07-08T02:51:22Z","type":"Player","teams":[]}`,
		Want:     User{ID: "1", Name: "Dan Cederholm", Image: "https://d13yacurqjgara.cloudfront.net/users/1/avatars/normal/dc.jpg?1371679243"},
	},
}
