package catalog

// Okta signs in through an Okta organization (OpenID Connect): the issuer
// is the org authorization server (https://<org>.okta.com) or a custom one
// (https://<org>.okta.com/oauth2/default).
var Okta = &Provider{
	ID:            "okta",
	Name:          "Okta",
	GoName:        "Okta",
	Type:          OIDC,
	Docs:          "https://developer.okta.com/docs/reference/api/oidc/",
	IssuerExample: "https://<org>.okta.com",
	Scopes:        []string{"openid", "profile", "email"},
	Checks:        []string{"pkce", "state", "nonce"},
	Profile: Struct{
		Doc: "holds the claims of an Okta ID token.\n\nDocumentation: https://developer.okta.com/docs/reference/api/oidc/#id-token-payload",
		Fields: append(standardClaims("").Fields,
			Field{Name: "MiddleName", JSON: "middle_name", Kind: String},
			Field{Name: "Zoneinfo", JSON: "zoneinfo", Kind: String},
			Field{Name: "Idp", JSON: "idp", Kind: String},
			Field{Name: "UpdatedAt", JSON: "updated_at", Kind: Flex},
		),
	},
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"00uid4BxXw6I6TV4m0g3","ver":1,"jti":"ID.4eAWJOCMB3SX8XewDfVR","amr":["pwd"],"idp":"00ok1u7AsAkrwdZL3z0g3","auth_time":1700000000,"name":"Ada Lovelace","given_name":"Ada","family_name":"Lovelace","preferred_username":"ada@example.com","email":"Ada@Example.com","email_verified":true,"locale":"en_US","zoneinfo":"America/Los_Angeles","updated_at":1699990000}`,
		Want:   User{ID: "00uid4BxXw6I6TV4m0g3", Name: "Ada Lovelace", Email: "ada@example.com", EmailVerified: true},
	},
}
