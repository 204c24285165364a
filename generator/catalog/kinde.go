package catalog

// Kinde signs in through a Kinde business (OpenID Connect); the issuer is
// the business's domain.
var Kinde = &Provider{
	ID:            "kinde",
	Name:          "Kinde",
	GoName:        "Kinde",
	Type:          OIDC,
	Docs:          "https://docs.kinde.com/developer-tools/about/using-kinde-without-an-sdk/",
	Console:       "https://app.kinde.com/",
	IssuerExample: "https://<business>.kinde.com",
	Scopes:        []string{"openid", "profile", "email"},
	Checks:        []string{"pkce", "state"},
	Profile: Struct{
		Doc: "holds the claims of a Kinde ID token.\n\nDocumentation: https://docs.kinde.com/build/tokens/about-id-tokens/",
		Fields: append(standardClaims("").Fields,
			Field{Name: "UpdatedAt", JSON: "updated_at", Kind: Flex},
		),
	},
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"kp_0c3a5b7d9e1f2a4c6e8b0d2f4a6c8e0b","auth_time":1700000000,"email":"Ada@Example.com","email_verified":true,"given_name":"Ada","family_name":"Lovelace","name":"Ada Lovelace","picture":"https://lh3.googleusercontent.com/a/ada","updated_at":1699990000}`,
		Want:   User{ID: "kp_0c3a5b7d9e1f2a4c6e8b0d2f4a6c8e0b", Name: "Ada Lovelace", Email: "ada@example.com", Image: "https://lh3.googleusercontent.com/a/ada", EmailVerified: true},
	},
}
