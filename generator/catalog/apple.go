package catalog

// Apple is Sign in with Apple (OpenID Connect with a form_post callback and
// an ES256 client secret made from the team's .p8 key).
var Apple = &Provider{
	ID:           "apple",
	Name:         "Apple",
	GoName:       "Apple",
	Type:         OIDC,
	Docs:         "https://developer.apple.com/documentation/sign_in_with_apple/sign_in_with_apple_rest_api",
	Console:      "https://developer.apple.com/account/resources/identifiers/list/serviceId",
	Issuer:       "https://appleid.apple.com",
	Scopes:       []string{"openid", "name", "email"},
	ResponseMode: "form_post",
	AuthMethod:   AppleSecret,
	Checks:       []string{"pkce", "state", "nonce"},
	Profile: Struct{
		Doc: "holds the claims of an Apple ID token. Apple sends the user's name only once, in the first callback's form (see oauth.AppleName).\n\nDocumentation: https://developer.apple.com/documentation/sign_in_with_apple/sign_in_with_apple_rest_api/authenticating_users_with_sign_in_with_apple",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Flex},
			{Name: "IsPrivateEmail", JSON: "is_private_email", Kind: Flex},
		},
	},
	Map:           Mapping{ID: Path("Sub"), Email: Path("Email"), Doc: "The name comes from the first callback's user parameter."},
	ProfileWrap:   "AppleName",
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"001234.abcdef0123456789abcdef0123456789.1234","email":"ada@privaterelay.appleid.com","email_verified":"true","is_private_email":"true"}`,
		Want:   User{ID: "001234.abcdef0123456789abcdef0123456789.1234", Email: "ada@privaterelay.appleid.com", EmailVerified: true},
	},
}
