package catalog

// HubSpot signs in with a HubSpot user, who installs the app in one of
// their accounts. The profile is the access token's metadata, the user's
// ID and e-mail address (HubSpot shares no name or picture), from
// GET /oauth/v1/access-tokens/{token}: the token is in the userinfo URL's
// path (error messages show the URL without it). HubSpot wants the client
// secret in the token request's body.
var HubSpot = &Provider{
	ID:      "hubspot",
	Name:    "HubSpot",
	GoName:  "HubSpot",
	Type:    OAuth2,
	Docs:    "https://developers.hubspot.com/docs/api/oauth-quickstart-guide",
	Console: "https://app.hubspot.com/developer",
	Endpoints: Endpoints{
		Authorization: "https://app.hubspot.com/oauth/authorize",
		Token:         "https://api.hubapi.com/oauth/v1/token",
		Userinfo:      "https://api.hubapi.com/oauth/v1/access-tokens/{access_token}",
	},
	Scopes:     []string{"oauth"},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the access token's metadata from GET /oauth/v1/access-tokens/{token}: user is the e-mail address.\n\nDocumentation: https://developers.hubspot.com/docs/api-reference/auth-oauth-v1/access-tokens/get-oauth-v1-access-tokens-token",
		Fields: []Field{
			{Name: "User", JSON: "user", Kind: String},
			{Name: "UserID", JSON: "user_id", Kind: Flex},
			{Name: "HubID", JSON: "hub_id", Kind: Flex},
			{Name: "HubDomain", JSON: "hub_domain", Kind: String},
			{Name: "AppID", JSON: "app_id", Kind: Flex},
			{Name: "TokenType", JSON: "token_type", Kind: String},
			{Name: "ExpiresIn", JSON: "expires_in", Kind: Int},
		},
	},
	Map: Mapping{
		Doc:   "The name is the e-mail address, as in Auth.js.",
		ID:    Path("UserID"),
		Name:  Path("User"),
		Email: Path("User"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"token":"CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4","user":"Test@HubSpot.com","hub_domain":"demo.hubapi.com","scopes":["oauth","crm.objects.contacts.read"],"hub_id":62515,"app_id":456789,"expires_in":21588,"user_id":123456,"token_type":"access"}`,
		Want:     User{ID: "123456", Name: "Test@HubSpot.com", Email: "test@hubspot.com"},
	},
}
