package catalog

// Keycloak signs in through a Keycloak realm (OpenID Connect); the issuer
// is the realm's URL.
var Keycloak = &Provider{
	ID:            "keycloak",
	Name:          "Keycloak",
	GoName:        "Keycloak",
	Type:          OIDC,
	Docs:          "https://www.keycloak.org/securing-apps/oidc-layers",
	IssuerExample: "https://keycloak.example.com/realms/<realm>",
	Scopes:        []string{"openid", "profile", "email"},
	Profile: Struct{
		Doc: "holds the claims of a Keycloak ID token; the profile and email scopes' claims come from the realm's client scope mappers.\n\nDocumentation: https://www.keycloak.org/docs/latest/server_admin/#_oidc_token_and_saml_assertion_mappings",
		Fields: append(standardClaims("").Fields,
			Field{Name: "Sid", JSON: "sid", Kind: String},
		),
	},
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"f2c4e1d6-8b3a-4c9e-a7d5-1e2f3a4b5c6d","typ":"ID","sid":"7a1b2c3d-4e5f-6789-abcd-ef0123456789","acr":"1","email_verified":true,"name":"Ada Lovelace","preferred_username":"ada","given_name":"Ada","family_name":"Lovelace","email":"Ada@Example.com"}`,
		Want:   User{ID: "f2c4e1d6-8b3a-4c9e-a7d5-1e2f3a4b5c6d", Name: "Ada Lovelace", Email: "ada@example.com", EmailVerified: true},
	},
}
