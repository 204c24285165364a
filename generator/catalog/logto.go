package catalog

// Logto signs in through a Logto tenant, cloud or self-hosted (OpenID
// Connect); the issuer is the tenant's endpoint followed by /oidc.
var Logto = &Provider{
	ID:            "logto",
	Name:          "Logto",
	GoName:        "Logto",
	Type:          OIDC,
	Docs:          "https://docs.logto.io/quick-starts/next-auth",
	Console:       "https://cloud.logto.io/",
	IssuerExample: "https://<tenant>.logto.app/oidc",
	Scopes:        []string{"offline_access", "openid", "email", "profile"},
	Profile: Struct{
		Doc: "holds the claims of a Logto ID token.\n\nDocumentation: https://docs.logto.io/quick-starts/next-auth#scopes-and-claims",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "Picture", JSON: "picture", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Flex},
			{Name: "PhoneNumber", JSON: "phone_number", Kind: String},
			{Name: "PhoneNumberVerified", JSON: "phone_number_verified", Kind: Flex},
			{Name: "UpdatedAt", JSON: "updated_at", Kind: Flex},
			{Name: "CreatedAt", JSON: "created_at", Kind: Flex},
		},
	},
	Map: Mapping{
		Doc:   "The name falls back to the username.",
		ID:    Path("Sub"),
		Name:  FirstOf{Path("Name"), Path("Username")},
		Email: Path("Email"),
		Image: Path("Picture"),
	},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"u8fj3k2l9d0s","name":null,"username":"ada","picture":"https://example.logto.app/avatars/ada.png","email":"Ada@Example.com","email_verified":true,"updated_at":1700000000000,"created_at":1690000000000}`,
		Want:   User{ID: "u8fj3k2l9d0s", Name: "ada", Email: "ada@example.com", Image: "https://example.logto.app/avatars/ada.png", EmailVerified: true},
	},
}
