package catalog

// Zoho signs in with a Zoho account. Accounts live in one data centre;
// AUTH_ZOHO_BASE_URL points at another's accounts server
// (https://accounts.zoho.eu, .in, .com.au, .jp, .ca, .sa). Zoho documents
// the token as "Authorization: Zoho-oauthtoken <token>".
var Zoho = &Provider{
	ID:      "zoho",
	Name:    "Zoho",
	GoName:  "Zoho",
	Type:    OAuth2,
	Docs:    "https://www.zoho.com/accounts/protocol/oauth/web-server-applications.html",
	Console: "https://api-console.zoho.com/",
	Endpoints: Endpoints{
		Authorization: "https://accounts.zoho.com/oauth/v2/auth",
		Token:         "https://accounts.zoho.com/oauth/v2/token",
		Userinfo:      "https://accounts.zoho.com/oauth/user/info",
	},
	BaseURL: &BaseURL{
		What: "another Zoho data centre",
		Endpoints: Endpoints{
			Authorization: "{base}/oauth/v2/auth",
			Token:         "{base}/oauth/v2/token",
			Userinfo:      "{base}/oauth/user/info",
		},
	},
	Scopes:         []string{"AaaServer.profile.Read"},
	Checks:         []string{"pkce", "state"},
	UserinfoHeader: map[string]string{"Authorization": "Zoho-oauthtoken {access_token}"},
	Profile: Struct{
		Doc: "is the user Zoho Accounts returns from GET /oauth/user/info.\n\nDocumentation: https://www.zoho.com/accounts/protocol/oauth/web-server-applications.html",
		Fields: []Field{
			{Name: "ZUID", JSON: "ZUID", Kind: Flex},
			{Name: "FirstName", JSON: "First_Name", Kind: String},
			{Name: "LastName", JSON: "Last_Name", Kind: String},
			{Name: "DisplayName", JSON: "Display_Name", Kind: String},
			{Name: "Email", JSON: "Email", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name is \"First_Name Last_Name\".",
		ID:    Path("ZUID"),
		Name:  Join{Sep: " ", Parts: []Expr{Path("FirstName"), Path("LastName")}},
		Email: Path("Email"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"First_Name":"Ada","Email":"Ada@Example.com","Last_Name":"Lovelace","Display_Name":"ada","ZUID":712345678}`,
		Want:     User{ID: "712345678", Name: "Ada Lovelace", Email: "ada@example.com"},
	},
}
