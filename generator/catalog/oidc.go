package catalog

// GenericOIDC is any OpenID Connect provider, configured by its issuer
// (`authgen add provider oidc --id corp --issuer https://idp.example.com`).
var GenericOIDC = &Provider{
	ID:            "oidc",
	Name:          "OpenID Connect",
	GoName:        "OIDC",
	Type:          OIDC,
	Docs:          "https://openid.net/specs/openid-connect-core-1_0.html",
	IssuerExample: "https://idp.example.com",
	Scopes:        []string{"openid", "profile", "email"},
	FetchUserinfo: true,
	Profile:       standardClaims("holds the standard claims of the ID token, completed by the userinfo endpoint.\n\nDocumentation: https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims"),
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims:   `{"sub":"248289761001","name":"Jane Doe","preferred_username":"j.doe","email":"janedoe@example.com","email_verified":true}`,
		Userinfo: `{"sub":"248289761001","name":"Jane Doe","preferred_username":"j.doe","email":"janedoe@example.com","picture":"https://idp.example.com/janedoe/me.jpg"}`,
		Want:     User{ID: "248289761001", Name: "Jane Doe", Email: "janedoe@example.com", Image: "https://idp.example.com/janedoe/me.jpg", EmailVerified: true},
	},
}

// standardClaims is the OpenID Connect standard claims profile.
func standardClaims(doc string) Struct {
	return Struct{Doc: doc, Fields: []Field{
		{Name: "Sub", JSON: "sub", Kind: String},
		{Name: "Name", JSON: "name", Kind: String},
		{Name: "GivenName", JSON: "given_name", Kind: String},
		{Name: "FamilyName", JSON: "family_name", Kind: String},
		{Name: "Nickname", JSON: "nickname", Kind: String},
		{Name: "PreferredUsername", JSON: "preferred_username", Kind: String},
		{Name: "Email", JSON: "email", Kind: String},
		{Name: "EmailVerified", JSON: "email_verified", Kind: Flex},
		{Name: "Picture", JSON: "picture", Kind: String},
		{Name: "Locale", JSON: "locale", Kind: String},
	}}
}

// standardMapping maps standard claims as Auth.js does: the name falls back
// to the nickname, then the preferred username.
var standardMapping = Mapping{
	Doc:   "The name falls back to the nickname, then the preferred username.",
	ID:    Path("Sub"),
	Name:  FirstOf{Path("Name"), Path("Nickname"), Path("PreferredUsername")},
	Email: Path("Email"),
	Image: Path("Picture"),
}
