package catalog

// IdentityServer4 signs in through an IdentityServer4 server (OpenID
// Connect); the issuer is the server's. IdentityServer4 is no longer
// maintained; its successor is Duende IdentityServer.
var IdentityServer4 = &Provider{
	ID:            "identity-server4",
	Name:          "IdentityServer4",
	GoName:        "IdentityServer4",
	Type:          OIDC,
	Docs:          "https://identityserver4.readthedocs.io/en/latest/",
	IssuerExample: "https://identity.example.com",
	Scopes:        []string{"openid", "profile", "email"},
	Profile:       standardClaims("holds the claims of an IdentityServer4 ID token (those of the requested identity resources).\n\nDocumentation: https://identityserver4.readthedocs.io/en/latest/topics/resources.html"),
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"88421113","auth_time":1716201600,"idp":"local","amr":["pwd"],"name":"Bob Smith","given_name":"Bob","family_name":"Smith","email":"BobSmith@Email.com","email_verified":"true"}`,
		Want:   User{ID: "88421113", Name: "Bob Smith", Email: "bobsmith@email.com", EmailVerified: true},
	},
}
