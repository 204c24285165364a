package catalog

// Atlassian signs in with an Atlassian account (Jira, Confluence) through
// OAuth 2.0 (3LO).
var Atlassian = &Provider{
	ID:      "atlassian",
	Name:    "Atlassian",
	GoName:  "Atlassian",
	Type:    OAuth2,
	Docs:    "https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/",
	Console: "https://developer.atlassian.com/console/myapps/",
	Endpoints: Endpoints{
		Authorization: "https://auth.atlassian.com/authorize",
		Token:         "https://auth.atlassian.com/oauth/token",
		Userinfo:      "https://api.atlassian.com/me",
	},
	Scopes:     []string{"read:me"},
	Params:     map[string]string{"audience": "api.atlassian.com", "prompt": "consent"},
	Checks:     []string{"state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the account GET /me returns (read:me scope).\n\nDocumentation: https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/#how-do-i-retrieve-the-public-profile-of-the-authenticated-user-",
		Fields: []Field{
			{Name: "AccountID", JSON: "account_id", Kind: String},
			{Name: "AccountType", JSON: "account_type", Kind: String},
			{Name: "AccountStatus", JSON: "account_status", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Nickname", JSON: "nickname", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "Picture", JSON: "picture", Kind: String},
			{Name: "Zoneinfo", JSON: "zoneinfo", Kind: String},
			{Name: "Locale", JSON: "locale", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("AccountID"), Name: Path("Name"), Email: Path("Email"), Image: Path("Picture")},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"account_type":"atlassian","account_id":"557058:9f3c2a61-4b8e-4d2a-a0d1-7c6e5b4a3f21","email":"mia@example.com","name":"Mia Krystof","picture":"https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/557058:9f3c2a61/1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b/128","account_status":"active","nickname":"mkrystof","zoneinfo":"Australia/Sydney","locale":"en-US","extended_profile":{"job_title":"Designer","organization":"Example Pty Ltd","department":"Product","location":"Sydney"}}`,
		Want:     User{ID: "557058:9f3c2a61-4b8e-4d2a-a0d1-7c6e5b4a3f21", Name: "Mia Krystof", Email: "mia@example.com", Image: "https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/557058:9f3c2a61/1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b/128"},
	},
}
