package catalog

// SimpleLogin is Sign in with SimpleLogin (OpenID Connect): the e-mail
// address may be a SimpleLogin alias.
var SimpleLogin = &Provider{
	ID:      "simplelogin",
	Name:    "SimpleLogin",
	GoName:  "SimpleLogin",
	Type:    OIDC,
	Docs:    "https://simplelogin.io/docs/siwsl/intro/",
	Console: "https://app.simplelogin.io/developer",
	Issuer:  "https://app.simplelogin.io",
	Scopes:  []string{"openid", "profile", "email"},
	Profile: Struct{
		Doc: "holds the claims of a SimpleLogin ID token, which carry the user's information.\n\nDocumentation: https://simplelogin.io/docs/siwsl/code-flow/",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "ID", JSON: "id", Kind: Int},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Flex},
			{Name: "AvatarURL", JSON: "avatar_url", Kind: String},
			{Name: "Client", JSON: "client", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("Sub"), Name: Path("Name"), Email: Path("Email"), Image: Path("AvatarURL")},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"2","id":2,"name":"John Wick","email":"john.wick@simplelogin.fr","email_verified":true,"avatar_url":"https://app.simplelogin.io/static/default-avatar.png","client":"Continental"}`,
		Want:   User{ID: "2", Name: "John Wick", Email: "john.wick@simplelogin.fr", Image: "https://app.simplelogin.io/static/default-avatar.png", EmailVerified: true},
	},
}
