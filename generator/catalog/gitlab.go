package catalog

import "golang.org/x/oauth2/endpoints"

// GitLab signs in with a GitLab.com account (and GitLab Self-Managed or
// Dedicated).
var GitLab = &Provider{
	ID:        "gitlab",
	Name:      "GitLab",
	GoName:    "GitLab",
	Type:      OAuth2,
	Docs:      "https://docs.gitlab.com/api/oauth2/",
	Console:   "https://gitlab.com/-/user_settings/applications",
	Endpoints: fromOAuth2(endpoints.GitLab, "https://gitlab.com/api/v4/user"),
	BaseURL: &BaseURL{
		What: "a GitLab Self-Managed instance",
		Endpoints: Endpoints{
			Authorization: "{base}/oauth/authorize",
			Token:         "{base}/oauth/token",
			Userinfo:      "{base}/api/v4/user",
		},
	},
	Scopes: []string{"read_user"},
	Profile: Struct{
		Doc: "is the user GitLab returns from GET /api/v4/user.\n\nDocumentation: https://docs.gitlab.com/api/users/#retrieve-the-current-user",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: Int},
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "PublicEmail", JSON: "public_email", Kind: String},
			{Name: "AvatarURL", JSON: "avatar_url", Kind: String},
			{Name: "WebURL", JSON: "web_url", Kind: String},
			{Name: "State", JSON: "state", Kind: String},
			{Name: "Bot", JSON: "bot", Kind: Bool},
			{Name: "Location", JSON: "location", Kind: String},
			{Name: "Organization", JSON: "organization", Kind: String},
			{Name: "TwoFactorEnabled", JSON: "two_factor_enabled", Kind: Bool},
		},
	},
	Map: Mapping{
		Doc:   "The name falls back to the username.",
		ID:    Path("ID"),
		Name:  FirstOf{Path("Name"), Path("Username")},
		Email: Path("Email"),
		Image: Path("AvatarURL"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":1,"username":"john_smith","email":"John@Example.com","name":"John Smith","state":"active","locked":false,"avatar_url":"https://gitlab.com/uploads/-/system/user/avatar/1/index.jpg","web_url":"https://gitlab.com/john_smith","created_at":"2012-05-23T08:00:58Z","bio":"","location":null,"public_email":"john@example.com","linkedin":"","twitter":"","website_url":"","organization":"","job_title":"","bot":false,"last_sign_in_at":"2012-06-01T11:41:01Z","confirmed_at":"2012-05-23T09:05:22Z","two_factor_enabled":true,"external":false,"private_profile":false,"commit_email":"john@example.com"}`,
		Want:     User{ID: "1", Name: "John Smith", Email: "john@example.com", Image: "https://gitlab.com/uploads/-/system/user/avatar/1/index.jpg"},
	},
}
