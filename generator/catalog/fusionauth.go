package catalog

// FusionAuth signs in through a FusionAuth instance (OpenID Connect); the
// issuer is the instance's URL (or the tenant's configured issuer). A
// server with several tenants takes the tenantId sign-in parameter.
var FusionAuth = &Provider{
	ID:            "fusionauth",
	Name:          "FusionAuth",
	GoName:        "FusionAuth",
	Type:          OIDC,
	Docs:          "https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/",
	IssuerExample: "https://<instance>.fusionauth.io",
	Scopes:        []string{"openid", "offline_access", "email", "profile"},
	Checks:        []string{"pkce", "state", "nonce"},
	Profile: Struct{
		Doc: "holds the claims of a FusionAuth ID token.\n\nDocumentation: https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/tokens#id-token",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "PreferredUsername", JSON: "preferred_username", Kind: String},
			{Name: "GivenName", JSON: "given_name", Kind: String},
			{Name: "MiddleName", JSON: "middle_name", Kind: String},
			{Name: "FamilyName", JSON: "family_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Flex},
			{Name: "Picture", JSON: "picture", Kind: String},
			{Name: "AuthenticationType", JSON: "authenticationType", Kind: String},
			{Name: "ApplicationID", JSON: "applicationId", Kind: String},
			{Name: "TenantID", JSON: "tid", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name falls back to the preferred username, then the given, middle and family names.",
		ID:    Path("Sub"),
		Name:  FirstOf{Path("Name"), Path("PreferredUsername"), Join{Sep: " ", Parts: []Expr{Path("GivenName"), Path("MiddleName"), Path("FamilyName")}}},
		Email: Path("Email"),
		Image: Path("Picture"),
	},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"2ec1e5d4-8b6a-4c3f-9e7d-1a2b3c4d5e6f","jti":"5f0c1b9e-7a3d-4e2b-8c6f-0d1e2f3a4b5c","authenticationType":"PASSWORD","applicationId":"85a03867-dccf-4882-adde-1a79aeec50df","tid":"d7d09513-a3f5-401c-9685-34ab6c552453","email":"Ada@Example.com","email_verified":true,"given_name":"Ada","middle_name":"King","family_name":"Lovelace","picture":"https://www.gravatar.com/avatar/0c3a5b7d9e1f2a4c6e8b0d2f4a6c8e0b","roles":["user"],"scope":"openid offline_access email profile","auth_time":1700000000}`,
		Want:   User{ID: "2ec1e5d4-8b6a-4c3f-9e7d-1a2b3c4d5e6f", Name: "Ada King Lovelace", Email: "ada@example.com", Image: "https://www.gravatar.com/avatar/0c3a5b7d9e1f2a4c6e8b0d2f4a6c8e0b", EmailVerified: true},
	},
}
