package catalog

// Auth0 signs in through an Auth0 tenant (OpenID Connect).
var Auth0 = &Provider{
	ID:            "auth0",
	Name:          "Auth0",
	GoName:        "Auth0",
	Type:          OIDC,
	Docs:          "https://auth0.com/docs/authenticate/protocols/openid-connect-protocol",
	Console:       "https://manage.auth0.com/dashboard",
	IssuerExample: "https://<tenant>.us.auth0.com/",
	Scopes:        []string{"openid", "profile", "email"},
	Profile: Struct{
		Doc: "holds the claims of an Auth0 ID token.\n\nDocumentation: https://auth0.com/docs/secure/tokens/id-tokens/id-token-structure",
		Fields: append(standardClaims("").Fields,
			Field{Name: "UpdatedAt", JSON: "updated_at", Kind: String},
			Field{Name: "Sid", JSON: "sid", Kind: String},
		),
	},
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"auth0|6543a1b2c3d4e5f6a7b8c9d0","given_name":"Ada","family_name":"Lovelace","nickname":"ada","name":"Ada Lovelace","picture":"https://s.gravatar.com/avatar/0c3a5b7d9e1f2a4c6e8b0d2f4a6c8e0b?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2Fal.png","updated_at":"2024-05-14T09:21:37.512Z","email":"Ada@Example.com","email_verified":true,"sid":"Hq3Lr5Zk8TnW2yVb"}`,
		Want:   User{ID: "auth0|6543a1b2c3d4e5f6a7b8c9d0", Name: "Ada Lovelace", Email: "ada@example.com", Image: "https://s.gravatar.com/avatar/0c3a5b7d9e1f2a4c6e8b0d2f4a6c8e0b?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2Fal.png", EmailVerified: true},
	},
}
