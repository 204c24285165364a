package catalog

// Webex signs in with a Webex account (an integration). The e-mail address
// is the first of the person's emails (oauth.PrimaryEmail). Webex for
// Government sets AUTH_WEBEX_BASE_URL=https://api-usgov.webex.com/v1.
var Webex = &Provider{
	ID:      "webex",
	Name:    "Webex",
	GoName:  "Webex",
	Type:    OAuth2,
	Docs:    "https://developer.webex.com/docs/login-with-webex",
	Console: "https://developer.webex.com/my-apps",
	Endpoints: Endpoints{
		Authorization: "https://webexapis.com/v1/authorize",
		Token:         "https://webexapis.com/v1/access_token",
		Userinfo:      "https://webexapis.com/v1/people/me",
	},
	BaseURL: &BaseURL{
		What: "Webex for Government",
		Endpoints: Endpoints{
			Authorization: "{base}/authorize",
			Token:         "{base}/access_token",
			Userinfo:      "{base}/people/me",
		},
	},
	Scopes: []string{"spark:kms", "spark:people_read"},
	Profile: Struct{
		Doc: "is the person Webex returns from GET /v1/people/me (its emails, a list of strings, are read by oauth.PrimaryEmail).\n\nDocumentation: https://developer.webex.com/docs/api/v1/people/get-my-own-details",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "DisplayName", JSON: "displayName", Kind: String},
			{Name: "NickName", JSON: "nickName", Kind: String},
			{Name: "FirstName", JSON: "firstName", Kind: String},
			{Name: "LastName", JSON: "lastName", Kind: String},
			{Name: "Avatar", JSON: "avatar", Kind: String},
			{Name: "OrgID", JSON: "orgId", Kind: String},
			{Name: "Type", JSON: "type", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The e-mail address is the first of the person's emails.",
		ID:    Path("ID"),
		Name:  Path("DisplayName"),
		Image: Path("Avatar"),
	},
	ProfileWrap:   "PrimaryEmail",
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":"Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mNWIzNjE4Ny1jOGRkLTQ3MjctOGIyZi1mOWM0NDdmMjkwNDY","emails":["John.Andersen@Example.com"],"phoneNumbers":[{"type":"work","value":"+1 408 526 7209","primary":true}],"displayName":"John Andersen","nickName":"John","firstName":"John","lastName":"Andersen","avatar":"https://1efa7a94ed21783e352-c62266528714497a17239ececf39e9e2.ssl.cf1.rackcdn.com/V1~54c844c89e678e5a7b16a306bc2897b9~wx29yGtlTpilEFlYzqPKag==~1600","orgId":"Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi85NmFiYzJhYS0zZGNjLTExZTUtYTE1Mi1mZTM0ODE5Y2RjOWE","created":"2015-10-18T14:26:16.000Z","lastActivity":"2015-10-18T14:26:16.028Z","status":"active","type":"person"}`,
		Want:     User{ID: "Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mNWIzNjE4Ny1jOGRkLTQ3MjctOGIyZi1mOWM0NDdmMjkwNDY", Name: "John Andersen", Email: "john.andersen@example.com", Image: "https://1efa7a94ed21783e352-c62266528714497a17239ececf39e9e2.ssl.cf1.rackcdn.com/V1~54c844c89e678e5a7b16a306bc2897b9~wx29yGtlTpilEFlYzqPKag==~1600"},
	},
}
