package catalog

// TwitterLegacy signs in with X (Twitter) over OAuth 1.0a, which unlike
// OAuth 2.0 can return the user's e-mail address (Auth.js v4's default
// Twitter provider).
var TwitterLegacy = &Provider{
	ID:      "twitter-legacy",
	Name:    "Twitter (OAuth 1.0a)",
	GoName:  "TwitterLegacy",
	Type:    OAuth1,
	Docs:    "https://developer.x.com/en/docs/authentication/oauth-1-0a",
	Console: "https://developer.x.com/en/portal/projects-and-apps",
	Endpoints: Endpoints{
		RequestToken:  "https://api.twitter.com/oauth/request_token",
		Authorization: "https://api.twitter.com/oauth/authenticate",
		Token:         "https://api.twitter.com/oauth/access_token",
		Userinfo:      "https://api.twitter.com/1.1/account/verify_credentials.json?include_email=true&skip_status=true",
	},
	Profile: Struct{
		Doc: "is the user GET account/verify_credentials returns.\n\nDocumentation: https://developer.x.com/en/docs/twitter-api/v1/accounts-and-users/manage-account-settings/api-reference/get-account-verify_credentials",
		Fields: []Field{
			{Name: "IDStr", JSON: "id_str", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "ScreenName", JSON: "screen_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "ProfileImageURLHTTPS", JSON: "profile_image_url_https", Kind: String},
		},
	},
	Map: Mapping{
		ID:    Path("IDStr"),
		Name:  FirstOf{Path("Name"), Path("ScreenName")},
		Email: Path("Email"),
		Image: Path("ProfileImageURLHTTPS"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":6253282,"id_str":"6253282","name":"Twitter API","screen_name":"TwitterAPI","email":"api@example.com","profile_image_url_https":"https://pbs.twimg.com/profile_images/942858479592554497/BbazLO9L_normal.jpg"}`,
		Want:     User{ID: "6253282", Name: "Twitter API", Email: "api@example.com", Image: "https://pbs.twimg.com/profile_images/942858479592554497/BbazLO9L_normal.jpg"},
	},
}
