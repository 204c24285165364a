package catalog

// LINE signs in with a LINE account (LINE Login v2.1, OpenID Connect).
// LINE signs its ID tokens with HS256 and the channel secret; the e-mail
// address needs the permission granted to the channel.
var LINE = &Provider{
	ID:               "line",
	Name:             "LINE",
	GoName:           "LINE",
	Type:             OIDC,
	Docs:             "https://developers.line.biz/en/docs/line-login/integrate-line-login/",
	Console:          "https://developers.line.biz/console/",
	Issuer:           "https://access.line.me",
	IDTokenSecretKey: true,
	Scopes:           []string{"openid", "profile", "email"},
	Checks:           []string{"pkce", "state", "nonce"},
	Profile: Struct{
		Doc: "holds the claims of a LINE ID token.\n\nDocumentation: https://developers.line.biz/en/docs/line-login/verify-id-token/#id-tokens",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Picture", JSON: "picture", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("Sub"), Name: Path("Name"), Email: Path("Email"), Image: Path("Picture")},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Claims: `{"sub":"U1234567890abcdef1234567890abcdef","auth_time":1700000000,"amr":["linesso"],"name":"Taro Line","picture":"https://profile.line-scdn.net/0h1a2b3c4d5e6f","email":"Taro.Line@Example.com"}`,
		Want:   User{ID: "U1234567890abcdef1234567890abcdef", Name: "Taro Line", Email: "taro.line@example.com", Image: "https://profile.line-scdn.net/0h1a2b3c4d5e6f"},
	},
}
