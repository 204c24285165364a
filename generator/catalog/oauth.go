package catalog

// GenericOAuth is any OAuth 2.0 provider, configured by its endpoints
// (AUTH_<ID>_AUTHORIZATION_URL, _TOKEN_URL and _USERINFO_URL). Its profile
// reads the usual member names; override the mapping in profiles.go.
var GenericOAuth = &Provider{
	ID:             "oauth",
	Name:           "OAuth 2.0",
	GoName:         "OAuth",
	Type:           OAuth2,
	Docs:           "https://www.rfc-editor.org/rfc/rfc6749",
	NeedsEndpoints: true,
	Checks:         []string{"pkce", "state"},
	Profile: Struct{
		Doc: "holds the members most userinfo endpoints return. Override the mapping in profiles.go for another shape.",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: Flex},
			{Name: "ID", JSON: "id", Kind: Flex},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "Login", JSON: "login", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "Picture", JSON: "picture", Kind: String},
			{Name: "AvatarURL", JSON: "avatar_url", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "Each field takes the first member present.",
		ID:    FirstOf{Path("Sub"), Path("ID")},
		Name:  FirstOf{Path("Name"), Path("Username"), Path("Login")},
		Email: Path("Email"),
		Image: FirstOf{Path("Picture"), Path("AvatarURL")},
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":42,"username":"grace","email":"grace@example.com","avatar_url":"https://example.com/grace.png"}`,
		Want:     User{ID: "42", Name: "grace", Email: "grace@example.com", Image: "https://example.com/grace.png"},
	},
}

// GenericOAuth1 is any OAuth 1.0a provider, configured by its endpoints
// (AUTH_<ID>_REQUEST_TOKEN_URL, _AUTHORIZATION_URL, _TOKEN_URL and
// _USERINFO_URL).
var GenericOAuth1 = &Provider{
	ID:             "oauth1",
	Name:           "OAuth 1.0a",
	GoName:         "OAuth1",
	Type:           OAuth1,
	Docs:           "https://www.rfc-editor.org/rfc/rfc5849",
	NeedsEndpoints: true,
	Profile:        GenericOAuth.Profile,
	Map:            GenericOAuth.Map,
	EmailVerified:  GenericOAuth.EmailVerified,
	Example:        GenericOAuth.Example,
}
