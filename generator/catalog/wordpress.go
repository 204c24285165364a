package catalog

// WordPress signs in with a WordPress.com account (also used by Jetpack
// sites).
var WordPress = &Provider{
	ID:      "wordpress",
	Name:    "WordPress.com",
	GoName:  "WordPress",
	Type:    OAuth2,
	Docs:    "https://developer.wordpress.com/docs/oauth2/",
	Console: "https://developer.wordpress.com/apps/",
	Endpoints: Endpoints{
		Authorization: "https://public-api.wordpress.com/oauth2/authorize",
		Token:         "https://public-api.wordpress.com/oauth2/token",
		Userinfo:      "https://public-api.wordpress.com/rest/v1/me",
	},
	Scopes: []string{"auth"},
	Checks: []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is the user WordPress.com returns from GET /rest/v1/me.\n\nDocumentation: https://developer.wordpress.com/docs/api/1/get/me/",
		Fields: []Field{
			{Name: "ID", JSON: "ID", Kind: Int},
			{Name: "DisplayName", JSON: "display_name", Kind: String},
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Bool},
			{Name: "AvatarURL", JSON: "avatar_URL", Kind: String},
			{Name: "ProfileURL", JSON: "profile_URL", Kind: String},
			{Name: "PrimaryBlog", JSON: "primary_blog", Kind: Int},
		},
	},
	Map:           Mapping{ID: Path("ID"), Name: Path("DisplayName"), Email: Path("Email"), Image: Path("AvatarURL")},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Userinfo: `{"ID":18342963,"display_name":"Ada Lovelace","username":"adalovelace","email":"Ada@Example.com","primary_blog":5836086,"primary_blog_url":"https://ada.example.com","language":"en","avatar_URL":"https://0.gravatar.com/avatar/9e8c8a0e6e0e5e3f0c1d8b2a4f6e7d5c?s=96&d=identicon","profile_URL":"https://gravatar.com/adalovelace","verified":true,"email_verified":true,"date":"2010-10-22T20:07:49+00:00","site_count":3}`,
		Want:     User{ID: "18342963", Name: "Ada Lovelace", Email: "ada@example.com", Image: "https://0.gravatar.com/avatar/9e8c8a0e6e0e5e3f0c1d8b2a4f6e7d5c?s=96&d=identicon", EmailVerified: true},
	},
}
