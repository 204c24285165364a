package catalog

import "golang.org/x/oauth2/endpoints"

// Pinterest signs in with a Pinterest account (API v5).
var Pinterest = &Provider{
	ID:        "pinterest",
	Name:      "Pinterest",
	GoName:    "Pinterest",
	Type:      OAuth2,
	Docs:      "https://developers.pinterest.com/docs/getting-started/authentication/",
	Console:   "https://developers.pinterest.com/apps/",
	Endpoints: fromOAuth2(endpoints.Pinterest, "https://api.pinterest.com/v5/user_account"),
	Scopes:    []string{"user_accounts:read"},
	Checks:    []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is the account Pinterest returns from GET /v5/user_account.\n\nDocumentation: https://developers.pinterest.com/docs/api/v5/user_account-get",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "AccountType", JSON: "account_type", Kind: String},
			{Name: "ProfileImage", JSON: "profile_image", Kind: String},
			{Name: "WebsiteURL", JSON: "website_url", Kind: String},
			{Name: "BusinessName", JSON: "business_name", Kind: String},
			{Name: "About", JSON: "about", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "As in Auth.js the account is identified by its username; Pinterest does not share e-mail addresses.",
		ID:    Path("Username"),
		Name:  Path("Username"),
		Image: Path("ProfileImage"),
	},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Userinfo: `{"account_type":"PINNER","id":"1047216739352936425","profile_image":"https://i.pinimg.com/600x600_R/42/f5/36/42f536d8e7a8f8e2e6c1c1c4f6e8f1a2.jpg","website_url":"https://example.com","username":"adalovelace","about":"Analyst","business_name":null,"board_count":12,"pin_count":340,"follower_count":87,"following_count":45,"monthly_views":1200}`,
		Want:     User{ID: "adalovelace", Name: "adalovelace", Image: "https://i.pinimg.com/600x600_R/42/f5/36/42f536d8e7a8f8e2e6c1c1c4f6e8f1a2.jpg"},
	},
}
