package catalog

// Gitea signs in with a gitea.com account or a self-hosted Gitea (goth's
// gitea provider).
var Gitea = &Provider{
	ID:      "gitea",
	Name:    "Gitea",
	GoName:  "Gitea",
	Type:    OAuth2,
	Docs:    "https://docs.gitea.com/development/oauth2-provider",
	Console: "https://gitea.com/user/settings/applications",
	Endpoints: Endpoints{
		Authorization: "https://gitea.com/login/oauth/authorize",
		Token:         "https://gitea.com/login/oauth/access_token",
		Userinfo:      "https://gitea.com/api/v1/user",
	},
	BaseURL: &BaseURL{
		What: "a self-hosted Gitea",
		Endpoints: Endpoints{
			Authorization: "{base}/login/oauth/authorize",
			Token:         "{base}/login/oauth/access_token",
			Userinfo:      "{base}/api/v1/user",
		},
	},
	Scopes: []string{"read:user"},
	Checks: []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is the user Gitea returns from GET /api/v1/user.\n\nDocumentation: https://gitea.com/api/swagger#/user/userGetCurrent",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: Int},
			{Name: "Login", JSON: "login", Kind: String},
			{Name: "FullName", JSON: "full_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "AvatarURL", JSON: "avatar_url", Kind: String},
			{Name: "HTMLURL", JSON: "html_url", Kind: String},
			{Name: "Language", JSON: "language", Kind: String},
			{Name: "IsAdmin", JSON: "is_admin", Kind: Bool},
			{Name: "Location", JSON: "location", Kind: String},
			{Name: "Website", JSON: "website", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name falls back to the login.",
		ID:    Path("ID"),
		Name:  FirstOf{Path("FullName"), Path("Login")},
		Email: Path("Email"),
		Image: Path("AvatarURL"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":4202,"login":"ada","login_name":"","source_id":0,"full_name":"Ada Lovelace","email":"Ada@Example.com","avatar_url":"https://gitea.com/avatars/0c3a5b7d9e1f2a4c6e8b0d2f4a6c8e0b","html_url":"https://gitea.com/ada","language":"en-US","is_admin":false,"last_login":"2024-05-14T09:21:37Z","created":"2021-03-01T10:00:00Z","restricted":false,"active":true,"prohibit_login":false,"location":"London","website":"https://example.com","description":"","visibility":"public","followers_count":3,"following_count":1,"starred_repos_count":7,"username":"ada"}`,
		Want:     User{ID: "4202", Name: "Ada Lovelace", Email: "ada@example.com", Image: "https://gitea.com/avatars/0c3a5b7d9e1f2a4c6e8b0d2f4a6c8e0b"},
	},
}
