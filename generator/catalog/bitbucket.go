package catalog

import "golang.org/x/oauth2/endpoints"

// Bitbucket signs in with a Bitbucket Cloud (Atlassian) account.
var Bitbucket = &Provider{
	ID:        "bitbucket",
	Name:      "Bitbucket",
	GoName:    "Bitbucket",
	Type:      OAuth2,
	Docs:      "https://developer.atlassian.com/cloud/bitbucket/oauth-2/",
	Endpoints: fromOAuth2(endpoints.Bitbucket, "https://api.bitbucket.org/2.0/user"),
	Scopes:    []string{"account"},
	Checks:    []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is the account GET /2.0/user returns. It has no e-mail address (that needs the email scope and /2.0/user/emails).\n\nDocumentation: https://developer.atlassian.com/cloud/bitbucket/rest/api-group-users/#api-user-get",
		Fields: []Field{
			{Name: "UUID", JSON: "uuid", Kind: String},
			{Name: "AccountID", JSON: "account_id", Kind: String},
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "Nickname", JSON: "nickname", Kind: String},
			{Name: "DisplayName", JSON: "display_name", Kind: String},
			{Name: "AccountStatus", JSON: "account_status", Kind: String},
			{Name: "CreatedOn", JSON: "created_on", Kind: String},
			{Name: "Location", JSON: "location", Kind: String},
			{Name: "Links", JSON: "links", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "Avatar", JSON: "avatar", Kind: Object, Struct: &Struct{Fields: []Field{{Name: "Href", JSON: "href", Kind: String}}}},
				{Name: "HTML", JSON: "html", Kind: Object, Struct: &Struct{Fields: []Field{{Name: "Href", JSON: "href", Kind: String}}}},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The name falls back to the username.",
		ID:    Path("AccountID"),
		Name:  FirstOf{Path("DisplayName"), Path("Username")},
		Image: Path("Links.Avatar.Href"),
	},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Userinfo: `{"display_name":"Erik van Zijst","links":{"self":{"href":"https://api.bitbucket.org/2.0/users/%7Bd301aafa-d676-4ee0-88be-962be7417567%7D"},"avatar":{"href":"https://secure.gravatar.com/avatar/6d4ffe9fbb9a9a0a2e0e6f1c5c3e8a8b?d=https%3A%2F%2Favatar-management--avatars.us-west-2.prod.public.atl-paas.net%2Finitials%2FEZ-5.png"},"html":{"href":"https://bitbucket.org/%7Bd301aafa-d676-4ee0-88be-962be7417567%7D/"}},"created_on":"2010-11-05T00:57:12.000000+00:00","type":"user","uuid":"{d301aafa-d676-4ee0-88be-962be7417567}","has_2fa_enabled":null,"username":"evzijst","is_staff":false,"account_id":"557058:c0b72ad0-1cb5-4018-9cdc-0cde8492c443","nickname":"evzijst","account_status":"active","location":null}`,
		Want:     User{ID: "557058:c0b72ad0-1cb5-4018-9cdc-0cde8492c443", Name: "Erik van Zijst", Image: "https://secure.gravatar.com/avatar/6d4ffe9fbb9a9a0a2e0e6f1c5c3e8a8b?d=https%3A%2F%2Favatar-management--avatars.us-west-2.prod.public.atl-paas.net%2Finitials%2FEZ-5.png"},
	},
}
