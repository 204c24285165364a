package catalog

// Frontegg signs in through a Frontegg environment's hosted login (OpenID
// Connect); the issuer is the environment's login domain, without a
// trailing slash, as in the ID tokens' iss claim. Frontegg serves its
// discovery document at <issuer>/oauth/.well-known/openid-configuration (as
// Auth.js reads it), not at the standard place.
var Frontegg = &Provider{
	ID:            "frontegg",
	Name:          "Frontegg",
	GoName:        "Frontegg",
	Type:          OIDC,
	Docs:          "https://developers.frontegg.com/guides/management/frontegg-idp/native-hosted",
	Console:       "https://portal.frontegg.com/",
	IssuerExample: "https://<subdomain>.frontegg.com",
	DiscoveryURL:  "{issuer}/oauth/.well-known/openid-configuration",
	Scopes:        []string{"openid", "profile", "email"},
	Profile: Struct{
		Doc: "holds the claims of a Frontegg ID token.\n\nDocumentation: https://developers.frontegg.com/guides/management/frontegg-idp/native-hosted",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Flex},
			{Name: "ProfilePictureURL", JSON: "profilePictureUrl", Kind: String},
			{Name: "TenantID", JSON: "tenantId", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The image is the profile picture URL.",
		ID:    Path("Sub"),
		Name:  Path("Name"),
		Email: Path("Email"),
		Image: Path("ProfilePictureURL"),
	},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d","name":"Ada Lovelace","email":"Ada@Example.com","email_verified":true,"profilePictureUrl":"https://www.gravatar.com/avatar/0c3a5b7d9e1f2a4c6e8b0d2f4a6c8e0b?d=pg","roles":["Admin"],"tenantId":"9f8e7d6c-5b4a-4321-8fed-cba987654321"}`,
		Want:   User{ID: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", Name: "Ada Lovelace", Email: "ada@example.com", Image: "https://www.gravatar.com/avatar/0c3a5b7d9e1f2a4c6e8b0d2f4a6c8e0b?d=pg", EmailVerified: true},
	},
}
