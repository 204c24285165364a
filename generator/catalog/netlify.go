package catalog

// Netlify signs in with a Netlify account.
var Netlify = &Provider{
	ID:      "netlify",
	Name:    "Netlify",
	GoName:  "Netlify",
	Type:    OAuth2,
	Docs:    "https://docs.netlify.com/api/get-started/#authentication",
	Console: "https://app.netlify.com/user/applications",
	Endpoints: Endpoints{
		Authorization: "https://app.netlify.com/authorize",
		Token:         "https://api.netlify.com/oauth/token",
		Userinfo:      "https://api.netlify.com/api/v1/user",
	},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the user Netlify returns from GET /api/v1/user.\n\nDocumentation: https://open-api.netlify.com/#tag/user/operation/getCurrentUser",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "FullName", JSON: "full_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "AvatarURL", JSON: "avatar_url", Kind: String},
			{Name: "Slug", JSON: "slug", Kind: String},
			{Name: "SiteCount", JSON: "site_count", Kind: Int},
			{Name: "CreatedAt", JSON: "created_at", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("ID"), Name: Path("FullName"), Email: Path("Email"), Image: Path("AvatarURL")},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":"5b2c3d4e5f6a7b8c9d0e1f2a","uid":null,"full_name":"Ada Lovelace","avatar_url":"https://avatars.githubusercontent.com/u/583231?v=4","email":"Ada@Example.com","affiliate_id":"","site_count":4,"created_at":"2019-02-14T10:20:30.000Z","last_login":"2024-05-14T09:21:37.000Z","login_providers":["github"],"slug":"ada-lovelace"}`,
		Want:     User{ID: "5b2c3d4e5f6a7b8c9d0e1f2a", Name: "Ada Lovelace", Email: "ada@example.com", Image: "https://avatars.githubusercontent.com/u/583231?v=4"},
	},
}
