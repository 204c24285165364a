package catalog

// UnitedEffects signs in with United Effects Core (OpenID Connect); the
// issuer is the auth group's URL.
var UnitedEffects = &Provider{
	ID:            "united-effects",
	Name:          "United Effects",
	GoName:        "UnitedEffects",
	Type:          OIDC,
	Docs:          "https://docs.unitedeffects.com/integrations/nextauthjs",
	IssuerExample: "https://auth.unitedeffects.com/<auth-group-id>",
	Scopes:        []string{"openid", "email", "profile"},
	Profile:       standardClaims("holds the standard claims of a United Effects ID token.\n\nDocumentation: https://docs.unitedeffects.com/integrations/nextauthjs"),
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"5c8d5b96-86cb-4d58-8e61-2d1b9b0c5c1f","email":"Ada@Example.com","email_verified":true}`,
		Want:   User{ID: "5c8d5b96-86cb-4d58-8e61-2d1b9b0c5c1f", Email: "ada@example.com", EmailVerified: true},
	},
}
