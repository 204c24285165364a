package catalog

// LinkedIn signs in with a LinkedIn account (Sign In with LinkedIn using
// OpenID Connect). LinkedIn wants the client secret in the token request's
// body and supports no PKCE for web apps.
var LinkedIn = &Provider{
	ID:         "linkedin",
	Name:       "LinkedIn",
	GoName:     "LinkedIn",
	Type:       OIDC,
	Docs:       "https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2",
	Console:    "https://www.linkedin.com/developers/apps",
	Issuer:     "https://www.linkedin.com/oauth",
	Scopes:     []string{"openid", "profile", "email"},
	Checks:     []string{"state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "holds the claims of a LinkedIn ID token.\n\nDocumentation: https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2#id-token-payload",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "GivenName", JSON: "given_name", Kind: String},
			{Name: "FamilyName", JSON: "family_name", Kind: String},
			{Name: "Picture", JSON: "picture", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Flex},
		},
	},
	Map:           Mapping{ID: Path("Sub"), Name: Path("Name"), Email: Path("Email"), Image: Path("Picture")},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"782bbtaQ","name":"John Doe","given_name":"John","family_name":"Doe","picture":"https://media.licdn.com/dms/image/C5603AQH/profile-displayphoto-shrink_100_100/0/1600000000000","email":"Doe@Email.com","email_verified":"true"}`,
		Want:   User{ID: "782bbtaQ", Name: "John Doe", Email: "doe@email.com", Image: "https://media.licdn.com/dms/image/C5603AQH/profile-displayphoto-shrink_100_100/0/1600000000000", EmailVerified: true},
	},
}
