package catalog

// Google signs in with a Google account (OpenID Connect).
var Google = &Provider{
	ID:      "google",
	Name:    "Google",
	GoName:  "Google",
	Type:    OIDC,
	Docs:    "https://developers.google.com/identity/openid-connect/openid-connect",
	Console: "https://console.cloud.google.com/apis/credentials",
	Issuer:  "https://accounts.google.com",
	Scopes:  []string{"openid", "profile", "email"},
	Profile: Struct{
		Doc: "holds the claims of a Google ID token.\n\nDocumentation: https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "GivenName", JSON: "given_name", Kind: String},
			{Name: "FamilyName", JSON: "family_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Bool},
			{Name: "Picture", JSON: "picture", Kind: String},
			{Name: "HD", JSON: "hd", Kind: String},
			{Name: "Locale", JSON: "locale", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("Sub"), Name: Path("Name"), Email: Path("Email"), Image: Path("Picture")},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"110169484474386276334","name":"Ada Lovelace","given_name":"Ada","family_name":"Lovelace","email":"ada@example.com","email_verified":true,"picture":"https://lh3.googleusercontent.com/a/ada","hd":"example.com","locale":"en"}`,
		Want:   User{ID: "110169484474386276334", Name: "Ada Lovelace", Email: "ada@example.com", Image: "https://lh3.googleusercontent.com/a/ada", EmailVerified: true},
	},
}
