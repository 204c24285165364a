package catalog

// PingID signs in through a PingOne environment (OpenID Connect); the
// issuer is https://auth.pingone.<region>/<environment-id>/as.
var PingID = &Provider{
	ID:            "ping-id",
	Name:          "Ping Identity",
	GoName:        "PingID",
	Type:          OIDC,
	Docs:          "https://developer.pingidentity.com/pingone-api/auth/openid-connect-oauth-2.html",
	Console:       "https://console.pingone.com/",
	IssuerExample: "https://auth.pingone.com/<environment-id>/as",
	Scopes:        []string{"openid", "profile", "email"},
	Profile: Struct{
		Doc: "holds the claims of a PingOne ID token; the profile and email scopes name the standard claims.\n\nDocumentation: https://developer.pingidentity.com/pingone-api/foundations/pingone-roles-scopes-and-permissions/access-services-through-scopes-and-roles/openid-connect-oidc-scopes.html",
		Fields: append(standardClaims("").Fields,
			Field{Name: "Env", JSON: "env", Kind: String},
			Field{Name: "Org", JSON: "org", Kind: String},
			Field{Name: "Region", JSON: "p1.region", Kind: String},
			Field{Name: "UpdatedAt", JSON: "updated_at", Kind: Flex},
		),
	},
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"9f8e7d6c-5b4a-4321-8fed-cba987654321","acr":"Single_Factor","amr":["pwd"],"auth_time":1700000000,"sid":"3c2b1a09-8f7e-4d6c-b5a4-f3e2d1c0b9a8","preferred_username":"ada","given_name":"Ada","family_name":"Lovelace","name":"Ada Lovelace","email":"Ada@Example.com","picture":"https://assets.pingone.com/ada.png","updated_at":1699990000,"env":"5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d","org":"1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d","p1.region":"NA"}`,
		Want:   User{ID: "9f8e7d6c-5b4a-4321-8fed-cba987654321", Name: "Ada Lovelace", Email: "ada@example.com", Image: "https://assets.pingone.com/ada.png"},
	},
}
