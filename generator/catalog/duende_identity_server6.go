package catalog

// DuendeIdentityServer6 signs in through a Duende IdentityServer (OpenID
// Connect); the issuer is the server's.
var DuendeIdentityServer6 = &Provider{
	ID:            "duende-identity-server6",
	Name:          "DuendeIdentityServer6",
	GoName:        "DuendeIdentityServer6",
	Type:          OIDC,
	Docs:          "https://docs.duendesoftware.com/identityserver/",
	IssuerExample: "https://identity.example.com",
	Scopes:        []string{"openid", "profile", "email"},
	Profile:       standardClaims("holds the claims of a Duende IdentityServer ID token (those of the requested identity resources).\n\nDocumentation: https://docs.duendesoftware.com/identityserver/fundamentals/claims/"),
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"818727","auth_time":1716201600,"idp":"local","amr":["pwd"],"sid":"2A1B3C4D5E6F7A8B9C0D1E2F3A4B5C6D","name":"Alice Smith","given_name":"Alice","family_name":"Smith","website":"http://alice.example.com","email":"AliceSmith@Example.com","email_verified":true}`,
		Want:   User{ID: "818727", Name: "Alice Smith", Email: "alicesmith@example.com", EmailVerified: true},
	},
}
