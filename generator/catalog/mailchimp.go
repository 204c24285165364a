package catalog

import "golang.org/x/oauth2/endpoints"

// Mailchimp signs in with a Mailchimp (Intuit) login. The profile is the
// token's metadata: the login and the account it manages. Mailchimp
// documents the token as "Authorization: OAuth <token>".
var Mailchimp = &Provider{
	ID:             "mailchimp",
	Name:           "Mailchimp",
	GoName:         "Mailchimp",
	Type:           OAuth2,
	Docs:           "https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/",
	Console:        "https://admin.mailchimp.com/account/oauth2/",
	Endpoints:      fromOAuth2(endpoints.Mailchimp, "https://login.mailchimp.com/oauth2/metadata"),
	Checks:         []string{"pkce", "state"},
	AuthMethod:     ClientSecretPost,
	UserinfoHeader: map[string]string{"Authorization": "OAuth {access_token}"},
	Profile: Struct{
		Doc: "is the answer of GET https://login.mailchimp.com/oauth2/metadata: the account and, under login, the user.\n\nDocumentation: https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/#implement-the-oauth-2-workflow-on-your-server",
		Fields: []Field{
			{Name: "DC", JSON: "dc", Kind: String},
			{Name: "Role", JSON: "role", Kind: String},
			{Name: "Accountname", JSON: "accountname", Kind: String},
			{Name: "UserID", JSON: "user_id", Kind: Flex},
			{Name: "Login", JSON: "login", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "Email", JSON: "email", Kind: String},
				{Name: "Avatar", JSON: "avatar", Kind: String},
				{Name: "LoginID", JSON: "login_id", Kind: Flex},
				{Name: "LoginName", JSON: "login_name", Kind: String},
				{Name: "LoginEmail", JSON: "login_email", Kind: String},
			}}},
			{Name: "LoginURL", JSON: "login_url", Kind: String},
			{Name: "APIEndpoint", JSON: "api_endpoint", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The ID is the login's; the name is the account's.",
		ID:    Path("Login.LoginID"),
		Name:  Path("Accountname"),
		Email: Path("Login.Email"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"dc":"us19","role":"owner","accountname":"Freddie's Jokes","user_id":67890123,"login":{"email":"Freddie@Example.com","avatar":null,"login_id":12345678,"login_name":"freddie","login_email":"freddie@example.com"},"login_url":"https://login.mailchimp.com","api_endpoint":"https://us19.api.mailchimp.com"}`,
		Want:     User{ID: "12345678", Name: "Freddie's Jokes", Email: "freddie@example.com"},
	},
}
