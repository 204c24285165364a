package catalog

// Bitly signs in with a Bitly account.
var Bitly = &Provider{
	ID:      "bitly",
	Name:    "Bitly",
	GoName:  "Bitly",
	Type:    OAuth2,
	Docs:    "https://dev.bitly.com/docs/getting-started/authentication/",
	Console: "https://app.bitly.com/settings/api/oauth/",
	Endpoints: Endpoints{
		Authorization: "https://bitly.com/oauth/authorize",
		Token:         "https://api-ssl.bitly.com/oauth/access_token",
		Userinfo:      "https://api-ssl.bitly.com/v4/user",
	},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the user GET /v4/user returns. Its addresses are in emails, a list of objects; the primary one is the user's (oauth.PrimaryEmail).\n\nDocumentation: https://dev.bitly.com/api-reference/#getUser",
		Fields: []Field{
			{Name: "Login", JSON: "login", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "IsActive", JSON: "is_active", Kind: Bool},
			{Name: "Created", JSON: "created", Kind: String},
			{Name: "IsSSOUser", JSON: "is_sso_user", Kind: Bool},
			{Name: "Is2FAEnabled", JSON: "is_2fa_enabled", Kind: Bool},
			{Name: "DefaultGroupGUID", JSON: "default_group_guid", Kind: String},
		},
	},
	Map: Mapping{
		Doc:  "The ID is the login; the name falls back to it; the e-mail address is the primary one of emails (oauth.PrimaryEmail).",
		ID:   Path("Login"),
		Name: FirstOf{Path("Name"), Path("Login")},
	},
	ProfileWrap:   "PrimaryEmail",
	EmailVerified: VerifiedByRuntime("the primary address's `is_verified` in `emails`"),
	Example: Example{
		Userinfo: `{"login":"o_4ab1cd2ef3","name":"Casey Jones","is_active":true,"created":"2021-03-02T17:21:09+0000","modified":"2024-01-15T08:00:00+0000","is_sso_user":false,"emails":[{"email":"Casey@Example.com","is_primary":true,"is_verified":true}],"is_2fa_enabled":false,"default_group_guid":"Bl3k9JH2mNq"}`,
		Want:     User{ID: "o_4ab1cd2ef3", Name: "Casey Jones", Email: "casey@example.com", EmailVerified: true},
	},
}
