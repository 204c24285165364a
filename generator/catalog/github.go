package catalog

// GitHub signs in with a GitHub account (and GitHub Enterprise Server).
var GitHub = &Provider{
	ID:      "github",
	Name:    "GitHub",
	GoName:  "GitHub",
	Type:    OAuth2,
	Docs:    "https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps",
	Console: "https://github.com/settings/developers",
	Endpoints: Endpoints{
		Authorization: "https://github.com/login/oauth/authorize",
		Token:         "https://github.com/login/oauth/access_token",
		Userinfo:      "https://api.github.com/user",
	},
	BaseURL: &BaseURL{
		What: "GitHub Enterprise Server",
		Endpoints: Endpoints{
			Authorization: "{base}/login/oauth/authorize",
			Token:         "{base}/login/oauth/access_token",
			Userinfo:      "{base}/api/v3/user",
		},
	},
	Scopes: []string{"read:user", "user:email"},
	Checks: []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is the user GitHub returns from GET /user.\n\nDocumentation: https://docs.github.com/en/rest/users/users#get-the-authenticated-user",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: Int},
			{Name: "Login", JSON: "login", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "AvatarURL", JSON: "avatar_url", Kind: String},
			{Name: "HTMLURL", JSON: "html_url", Kind: String},
			{Name: "Company", JSON: "company", Kind: String},
			{Name: "Location", JSON: "location", Kind: String},
			{Name: "Bio", JSON: "bio", Kind: String},
			{Name: "TwoFactorAuthentication", JSON: "two_factor_authentication", Kind: Bool},
		},
	},
	Map: Mapping{
		Doc:   "The name falls back to the login; a private e-mail address is looked up in /user/emails.",
		ID:    Path("ID"),
		Name:  FirstOf{Path("Name"), Path("Login")},
		Email: Path("Email"),
		Image: Path("AvatarURL"),
	},
	Enrich:        "GitHubEmails",
	EmailVerified: VerifiedByRuntime("the address's `verified` in `/user/emails`"),
	Example: Example{
		Userinfo: `{"login":"octocat","id":583231,"node_id":"MDQ6VXNlcjU4MzIzMQ==","avatar_url":"https://avatars.githubusercontent.com/u/583231?v=4","html_url":"https://github.com/octocat","type":"User","name":"The Octocat","company":"@github","location":"San Francisco","email":null,"bio":null,"two_factor_authentication":true}`,
		Responses: map[string]string{
			"/user/emails": `[{"email":"old@example.com","primary":false,"verified":true},{"email":"octocat@github.com","primary":true,"verified":true,"visibility":"private"}]`,
		},
		Want: User{ID: "583231", Name: "The Octocat", Email: "octocat@github.com", Image: "https://avatars.githubusercontent.com/u/583231?v=4", EmailVerified: true},
	},
}
