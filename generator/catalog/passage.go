package catalog

// Passage signs in with Passage by 1Password's hosted login (OpenID
// Connect, passkeys); the issuer is the app's domain.
var Passage = &Provider{
	ID:            "passage",
	Name:          "Passage",
	GoName:        "Passage",
	Type:          OIDC,
	Docs:          "https://docs.passage.id/hosted-login/oidc-client-configuration",
	Console:       "https://console.passage.id/",
	IssuerExample: "https://<app>.withpassage.com",
	Scopes:        []string{"openid", "email"},
	Profile: Struct{
		Doc: "holds the claims of a Passage ID token: the address (or phone number) the user signed in with.\n\nDocumentation: https://docs.passage.id/hosted-login/oidc-client-configuration#supported-scopes",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Flex},
			{Name: "Phone", JSON: "phone", Kind: String},
			{Name: "PhoneNumberVerified", JSON: "phone_number_verified", Kind: Flex},
		},
	},
	Map: Mapping{
		Doc:   "Passage shares no name or picture.",
		ID:    Path("Sub"),
		Email: Path("Email"),
	},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"W8kN2pQ7xR4tY6uZ1aB3cD5e","email":"Ada@Example.com","email_verified":true,"phone":"","phone_number_verified":false}`,
		Want:   User{ID: "W8kN2pQ7xR4tY6uZ1aB3cD5e", Email: "ada@example.com", EmailVerified: true},
	},
}
