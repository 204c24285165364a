package catalog

// NetSuite signs in with a NetSuite account's user. Every account has its
// own hosts and the profile comes from a RESTlet (or Suitelet) the
// developer deploys, returning N/runtime's getCurrentUser(), so the
// endpoints are required: AUTH_NETSUITE_AUTHORIZATION_URL
// (https://<account-id>.app.netsuite.com/app/login/oauth2/authorize.nl),
// AUTH_NETSUITE_TOKEN_URL
// (https://<account-id>.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token)
// and AUTH_NETSUITE_USERINFO_URL
// (https://<account-id>.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=<id>&deploy=<id>).
var NetSuite = &Provider{
	ID:             "netsuite",
	Name:           "NetSuite",
	GoName:         "NetSuite",
	Type:           OAuth2,
	Docs:           "https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/chapter_157769826287.html",
	Console:        "https://system.netsuite.com/app/common/integration/integrapplist.nl",
	NeedsEndpoints: true,
	Scopes:         []string{"restlets", "rest_webservices"},
	Checks:         []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is what the userinfo RESTlet returns: N/runtime's getCurrentUser().\n\nDocumentation: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_4567507062.html",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: Flex},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "Location", JSON: "location", Kind: Flex},
			{Name: "Role", JSON: "role", Kind: Flex},
			{Name: "RoleID", JSON: "roleId", Kind: String},
			{Name: "RoleCenter", JSON: "roleCenter", Kind: String},
			{Name: "Contact", JSON: "contact", Kind: Flex},
			{Name: "Subsidiary", JSON: "subsidiary", Kind: Flex},
			{Name: "Department", JSON: "department", Kind: Flex},
		},
	},
	Map: Mapping{
		Doc:   "NetSuite users have no picture.",
		ID:    Path("ID"),
		Name:  Path("Name"),
		Email: Path("Email"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":3,"name":"Ada Lovelace","email":"Ada@Example.com","location":1,"role":3,"roleId":"administrator","roleCenter":"BASIC","contact":0,"subsidiary":1,"department":2}`,
		Want:     User{ID: "3", Name: "Ada Lovelace", Email: "ada@example.com"},
	},
}
