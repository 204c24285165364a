package catalog

// Hydra signs in through Ory Hydra or Ory Network's OAuth2 service
// (OpenID Connect); the issuer is the Hydra public URL or the project's
// https://<project>.projects.oryapis.com.
var Hydra = &Provider{
	ID:            "hydra",
	Name:          "Hydra",
	GoName:        "Hydra",
	Type:          OIDC,
	Docs:          "https://www.ory.sh/docs/oauth2-oidc/authorization-code-flow",
	Console:       "https://console.ory.sh/",
	IssuerExample: "https://<project>.projects.oryapis.com",
	Scopes:        []string{"openid", "profile", "email"},
	Profile:       standardClaims("holds the claims of an Ory Hydra ID token: the subject, and what the login and consent app put in the session.\n\nDocumentation: https://www.ory.sh/docs/oauth2-oidc/openid-connect-claims-scope-custom"),
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"0b2f6e1c-3d4a-4f5b-9c8d-7e6f5a4b3c2d","amr":["pwd"],"sid":"c5d6e7f8-a9b0-4c1d-8e2f-3a4b5c6d7e8f","email":"Ada@Example.com","email_verified":true,"name":"Ada Lovelace"}`,
		Want:   User{ID: "0b2f6e1c-3d4a-4f5b-9c8d-7e6f5a4b3c2d", Name: "Ada Lovelace", Email: "ada@example.com", EmailVerified: true},
	},
}
