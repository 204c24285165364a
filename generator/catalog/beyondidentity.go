package catalog

// BeyondIdentity signs in with Beyond Identity's passwordless
// authentication (OpenID Connect); the issuer is the application's.
var BeyondIdentity = &Provider{
	ID:            "beyondidentity",
	Name:          "Beyond Identity",
	GoName:        "BeyondIdentity",
	Type:          OIDC,
	Docs:          "https://developer.beyondidentity.com/docs/",
	Console:       "https://console-us.beyondidentity.com",
	IssuerExample: "https://auth-us.beyondidentity.com/v1/tenants/<tenant-id>/realms/<realm-id>/applications/<application-id>",
	Scopes:        []string{"openid", "profile", "email"},
	Profile: Struct{
		Doc: "holds the claims of a Beyond Identity ID token.\n\nDocumentation: https://developer.beyondidentity.com/docs/",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "PreferredUsername", JSON: "preferred_username", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("Sub"), Name: Path("Name"), Email: Path("Email")},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Claims: `{"sub":"e2b6c1a4d8f03e5b","name":"Sam Rivera","preferred_username":"srivera","email":"sam.rivera@example.com"}`,
		Want:   User{ID: "e2b6c1a4d8f03e5b", Name: "Sam Rivera", Email: "sam.rivera@example.com"},
	},
}
