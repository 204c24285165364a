package catalog

// Descope signs in through a Descope project (OpenID Connect); the issuer is
// the project's.
var Descope = &Provider{
	ID:            "descope",
	Name:          "Descope",
	GoName:        "Descope",
	Type:          OIDC,
	Docs:          "https://docs.descope.com/getting-started/oidc-endpoints",
	Console:       "https://app.descope.com",
	IssuerExample: "https://api.descope.com/<project-id>",
	Scopes:        []string{"openid", "profile", "email"},
	Checks:        []string{"pkce", "state", "nonce"},
	Profile: Struct{
		Doc: "holds the claims of a Descope ID token.\n\nDocumentation: https://docs.descope.com/getting-started/oidc-endpoints",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "GivenName", JSON: "given_name", Kind: String},
			{Name: "FamilyName", JSON: "family_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Bool},
			{Name: "PhoneNumber", JSON: "phone_number", Kind: String},
			{Name: "PhoneNumberVerified", JSON: "phone_number_verified", Kind: Bool},
			{Name: "Picture", JSON: "picture", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("Sub"), Name: Path("Name"), Email: Path("Email"), Image: Path("Picture")},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"U2aBcD3eFgH4iJkL5mNoP6qRsT7u","name":"Dana Scully","given_name":"Dana","family_name":"Scully","email":"dana.scully@example.com","email_verified":true,"phone_number":"+15555550123","phone_number_verified":false,"picture":"https://example.com/avatars/dscully.png"}`,
		Want:   User{ID: "U2aBcD3eFgH4iJkL5mNoP6qRsT7u", Name: "Dana Scully", Email: "dana.scully@example.com", Image: "https://example.com/avatars/dscully.png", EmailVerified: true},
	},
}
