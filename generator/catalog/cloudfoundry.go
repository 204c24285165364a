package catalog

// CloudFoundry signs in through a Cloud Foundry UAA server. There is no
// default server: AUTH_CLOUDFOUNDRY_BASE_URL, the UAA
// (https://uaa.<system-domain>), is required.
var CloudFoundry = &Provider{
	ID:     "cloudfoundry",
	Name:   "Cloud Foundry",
	GoName: "CloudFoundry",
	Type:   OAuth2,
	Docs:   "https://docs.cloudfoundry.org/api/uaa/",
	Endpoints: Endpoints{
		Authorization: "{base}/oauth/authorize",
		Token:         "{base}/oauth/token",
		Userinfo:      "{base}/userinfo",
	},
	BaseURL: &BaseURL{
		What:     "a Cloud Foundry UAA server",
		Required: true,
		Endpoints: Endpoints{
			Authorization: "{base}/oauth/authorize",
			Token:         "{base}/oauth/token",
			Userinfo:      "{base}/userinfo",
		},
	},
	Scopes: []string{"openid"},
	Checks: []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is the user UAA's GET /userinfo returns (openid scope).\n\nDocumentation: https://docs.cloudfoundry.org/api/uaa/#user-info",
		Fields: []Field{
			{Name: "UserID", JSON: "user_id", Kind: String},
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "UserName", JSON: "user_name", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "GivenName", JSON: "given_name", Kind: String},
			{Name: "FamilyName", JSON: "family_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Bool},
			{Name: "PhoneNumber", JSON: "phone_number", Kind: String},
			{Name: "PreviousLogonTime", JSON: "previous_logon_time", Kind: Int},
		},
	},
	Map: Mapping{
		Doc:   "The name falls back to the user name.",
		ID:    FirstOf{Path("UserID"), Path("Sub")},
		Name:  FirstOf{Path("Name"), Path("UserName")},
		Email: Path("Email"),
	},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Userinfo: `{"user_id":"9cbc1a5c-3b6e-4a1c-92fd-0c1a2b3c4d5e","user_name":"marissa","given_name":"Marissa","family_name":"Bloggs","email":"Marissa@Test.org","phone_number":null,"previous_logon_time":1716201600000,"sub":"9cbc1a5c-3b6e-4a1c-92fd-0c1a2b3c4d5e","name":"Marissa Bloggs","email_verified":true}`,
		Want:     User{ID: "9cbc1a5c-3b6e-4a1c-92fd-0c1a2b3c4d5e", Name: "Marissa Bloggs", Email: "marissa@test.org", EmailVerified: true},
	},
}
