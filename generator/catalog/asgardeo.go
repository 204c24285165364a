package catalog

// Asgardeo signs in with an Asgardeo (WSO2) organization (OpenID Connect).
var Asgardeo = &Provider{
	ID:            "asgardeo",
	Name:          "Asgardeo",
	GoName:        "Asgardeo",
	Type:          OIDC,
	Docs:          "https://wso2.com/asgardeo/docs/guides/authentication/oidc/",
	Console:       "https://console.asgardeo.io",
	IssuerExample: "https://api.asgardeo.io/t/<organization>/oauth2/token",
	Scopes:        []string{"openid", "profile", "email"},
	Profile:       standardClaims("holds the claims of an Asgardeo ID token (the profile and email claims the application is configured to release).\n\nDocumentation: https://wso2.com/asgardeo/docs/guides/users/attributes/user-attributes/"),
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"b5b5d8a0-6f3c-4a59-9c1e-3d2a5e7f9b10","given_name":"Kamala","family_name":"Perera","name":"Kamala Perera","email":"kamala@example.lk","email_verified":true,"picture":"https://example.lk/avatars/kamala.png","username":"kamala@example.lk"}`,
		Want:   User{ID: "b5b5d8a0-6f3c-4a59-9c1e-3d2a5e7f9b10", Name: "Kamala Perera", Email: "kamala@example.lk", Image: "https://example.lk/avatars/kamala.png", EmailVerified: true},
	},
}
