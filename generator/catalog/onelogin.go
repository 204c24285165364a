package catalog

// OneLogin signs in through a OneLogin account (OpenID Connect); the
// issuer is the account's https://<subdomain>.onelogin.com/oidc/2.
var OneLogin = &Provider{
	ID:            "onelogin",
	Name:          "OneLogin",
	GoName:        "OneLogin",
	Type:          OIDC,
	Docs:          "https://developers.onelogin.com/openid-connect",
	IssuerExample: "https://<subdomain>.onelogin.com/oidc/2",
	Scopes:        []string{"openid", "profile", "email"},
	Profile: Struct{
		Doc: "holds the claims of a OneLogin ID token.\n\nDocumentation: https://developers.onelogin.com/openid-connect/scopes",
		Fields: append(standardClaims("").Fields,
			Field{Name: "UpdatedAt", JSON: "updated_at", Kind: Flex},
		),
	},
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"58613290","email":"Ada@Example.com","preferred_username":"ada","name":"Ada Lovelace","given_name":"Ada","family_name":"Lovelace","updated_at":1700000000,"sid":"9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4"}`,
		Want:   User{ID: "58613290", Name: "Ada Lovelace", Email: "ada@example.com"},
	},
}
