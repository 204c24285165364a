package catalog

// Twitch signs in with a Twitch account (OpenID Connect). The claims
// parameter asks for the e-mail address, picture and username in the ID
// token; Twitch wants the client secret in the token request's body.
var Twitch = &Provider{
	ID:         "twitch",
	Name:       "Twitch",
	GoName:     "Twitch",
	Type:       OIDC,
	Docs:       "https://dev.twitch.tv/docs/authentication/getting-tokens-oidc/",
	Console:    "https://dev.twitch.tv/console/apps",
	Issuer:     "https://id.twitch.tv/oauth2",
	Scopes:     []string{"openid", "user:read:email"},
	Params:     map[string]string{"claims": `{"id_token":{"email":null,"email_verified":null,"picture":null,"preferred_username":null}}`},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "holds the claims of a Twitch ID token, as requested by the claims parameter.\n\nDocumentation: https://dev.twitch.tv/docs/authentication/getting-tokens-oidc/#requesting-claims",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "PreferredUsername", JSON: "preferred_username", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Flex},
			{Name: "Picture", JSON: "picture", Kind: String},
			{Name: "UpdatedAt", JSON: "updated_at", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name is the Twitch username.",
		ID:    Path("Sub"),
		Name:  Path("PreferredUsername"),
		Email: Path("Email"),
		Image: Path("Picture"),
	},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"713936733","preferred_username":"CoolStreamer","email":"CoolStreamer@Example.com","email_verified":true,"picture":"https://static-cdn.jtvnw.net/jtv_user_pictures/8a6381c7-d0c0-4576-b179-38bd5ce1d6af-profile_image-300x300.png","updated_at":"2022-04-20T20:54:52Z"}`,
		Want:   User{ID: "713936733", Name: "CoolStreamer", Email: "coolstreamer@example.com", Image: "https://static-cdn.jtvnw.net/jtv_user_pictures/8a6381c7-d0c0-4576-b179-38bd5ce1d6af-profile_image-300x300.png", EmailVerified: true},
	},
}
