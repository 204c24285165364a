package catalog

// Authentik signs in through a self-hosted authentik application (OpenID
// Connect).
var Authentik = &Provider{
	ID:            "authentik",
	Name:          "Authentik",
	GoName:        "Authentik",
	Type:          OIDC,
	Docs:          "https://docs.goauthentik.io/add-secure-apps/providers/oauth2/",
	IssuerExample: "https://authentik.example.com/application/o/<application-slug>/",
	Scopes:        []string{"openid", "profile", "email"},
	Profile:       standardClaims("holds the claims of an authentik ID token (its default profile and email scope mappings).\n\nDocumentation: https://docs.goauthentik.io/add-secure-apps/providers/property-mappings/"),
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"2f9a5c1e7b3d48c6a0e4f8b2d6c0a4e8f2b6d0c4a8e2f6b0d4c8a2e6f0b4d8c2","email":"jens@example.org","email_verified":true,"name":"Jens Langhammer","given_name":"Jens Langhammer","preferred_username":"jens","nickname":"jens","groups":["authentik Admins","staff"]}`,
		Want:   User{ID: "2f9a5c1e7b3d48c6a0e4f8b2d6c0a4e8f2b6d0c4a8e2f6b0d4c8a2e6f0b4d8c2", Name: "Jens Langhammer", Email: "jens@example.org", EmailVerified: true},
	},
}
