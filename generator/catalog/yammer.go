package catalog

// Yammer signs in with a Yammer (Viva Engage) account (goth's yammer
// provider). Yammer's token response holds the access token as an object
// ({"access_token":{"token":...}}).
var Yammer = &Provider{
	ID:      "yammer",
	Name:    "Yammer",
	GoName:  "Yammer",
	Type:    OAuth2,
	Docs:    "https://learn.microsoft.com/en-us/rest/api/yammer/oauth-2",
	Console: "https://www.yammer.com/client_applications",
	Endpoints: Endpoints{
		Authorization: "https://www.yammer.com/oauth2/authorize",
		Token:         "https://www.yammer.com/oauth2/access_token",
		Userinfo:      "https://www.yammer.com/api/v1/users/current.json",
	},
	Checks: []string{"state"},
	Profile: Struct{
		Doc: "is the user Yammer returns from GET /api/v1/users/current.json.\n\nDocumentation: https://learn.microsoft.com/en-us/rest/api/yammer/userscurrentjson",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: Int},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "FullName", JSON: "full_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "MugshotURL", JSON: "mugshot_url", Kind: String},
			{Name: "WebURL", JSON: "web_url", Kind: String},
			{Name: "Location", JSON: "location", Kind: String},
			{Name: "NetworkID", JSON: "network_id", Kind: Int},
		},
	},
	Map: Mapping{
		Doc:   "The name is the full name, else the username.",
		ID:    Path("ID"),
		Name:  FirstOf{Path("FullName"), Path("Name")},
		Email: Path("Email"),
		Image: Path("MugshotURL"),
	},
	Example: Example{
		Userinfo: `{"type":"user","id":1488374664,"network_id":104604,"state":"active","job_title":"Engineer","location":"Redmond","full_name":"Ada Lovelace","first_name":"Ada","last_name":"Lovelace","name":"adalovelace","url":"https://www.yammer.com/api/v1/users/1488374664","web_url":"https://www.yammer.com/example.com/users/adalovelace","mugshot_url":"https://mug0.assets-yammer.com/mugshot/images/48x48/abcdef","email":"Ada@Example.com"}`,
		Want:     User{ID: "1488374664", Name: "Ada Lovelace", Email: "ada@example.com", Image: "https://mug0.assets-yammer.com/mugshot/images/48x48/abcdef"},
	},
}
