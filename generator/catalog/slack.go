package catalog

// Slack is Sign in with Slack (OpenID Connect). As in Auth.js it uses no
// PKCE: the ID token's nonce, and the state, protect the callback.
var Slack = &Provider{
	ID:      "slack",
	Name:    "Slack",
	GoName:  "Slack",
	Type:    OIDC,
	Docs:    "https://api.slack.com/authentication/sign-in-with-slack",
	Console: "https://api.slack.com/apps",
	Issuer:  "https://slack.com",
	Scopes:  []string{"openid", "profile", "email"},
	Checks:  []string{"state", "nonce"},
	Profile: Struct{
		Doc: "holds the claims of a Slack ID token.\n\nDocumentation: https://api.slack.com/authentication/sign-in-with-slack#response",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "UserID", JSON: "https://slack.com/user_id", Kind: String},
			{Name: "TeamID", JSON: "https://slack.com/team_id", Kind: String},
			{Name: "TeamName", JSON: "https://slack.com/team_name", Kind: String},
			{Name: "TeamDomain", JSON: "https://slack.com/team_domain", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "GivenName", JSON: "given_name", Kind: String},
			{Name: "FamilyName", JSON: "family_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Flex},
			{Name: "Picture", JSON: "picture", Kind: String},
			{Name: "Locale", JSON: "locale", Kind: String},
			{Name: "UserImage192", JSON: "https://slack.com/user_image_192", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("Sub"), Name: Path("Name"), Email: Path("Email"), Image: Path("Picture")},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"U0R7JM","https://slack.com/user_id":"U0R7JM","https://slack.com/team_id":"T0R7GR","email":"krane@slack-corp.com","email_verified":true,"date_email_verified":1622128723,"name":"krane","picture":"https://secure.gravatar.com/avatar/bc3a2e54d9cc3d6a5a1d9e4a3f3b8b2d.jpg?s=512","given_name":"Bront","family_name":"Labradoodle","locale":"en-US","https://slack.com/team_name":"kraneflannel","https://slack.com/team_domain":"kraneflannel","https://slack.com/user_image_192":"https://secure.gravatar.com/avatar/bc3a2e54d9cc3d6a5a1d9e4a3f3b8b2d.jpg?s=192"}`,
		Want:   User{ID: "U0R7JM", Name: "krane", Email: "krane@slack-corp.com", Image: "https://secure.gravatar.com/avatar/bc3a2e54d9cc3d6a5a1d9e4a3f3b8b2d.jpg?s=512", EmailVerified: true},
	},
}
