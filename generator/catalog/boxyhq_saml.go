package catalog

// BoxyHQSAML signs in with SAML single sign-on through a BoxyHQ SAML
// Jackson service, which speaks OAuth 2.0 to the application. There is no
// default service: AUTH_BOXYHQ_SAML_BASE_URL, the Jackson service, is
// required. The client ID and secret may be "dummy" when the sign-in
// passes tenant and product parameters.
var BoxyHQSAML = &Provider{
	ID:     "boxyhq-saml",
	Name:   "BoxyHQ SAML",
	GoName: "BoxyHQSAML",
	Type:   OAuth2,
	Docs:   "https://boxyhq.com/docs/jackson/sso-flow",
	Endpoints: Endpoints{
		Authorization: "{base}/api/oauth/authorize",
		Token:         "{base}/api/oauth/token",
		Userinfo:      "{base}/api/oauth/userinfo",
	},
	BaseURL: &BaseURL{
		What:     "a SAML Jackson service",
		Required: true,
		Endpoints: Endpoints{
			Authorization: "{base}/api/oauth/authorize",
			Token:         "{base}/api/oauth/token",
			Userinfo:      "{base}/api/oauth/userinfo",
		},
	},
	Params:     map[string]string{"provider": "saml"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the user SAML Jackson's userinfo endpoint returns, mapped from the SAML assertion.\n\nDocumentation: https://boxyhq.com/docs/jackson/sso-flow#3-fetch-user-profile",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "FirstName", JSON: "firstName", Kind: String},
			{Name: "LastName", JSON: "lastName", Kind: String},
			{Name: "Requested", JSON: "requested", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "Tenant", JSON: "tenant", Kind: String},
				{Name: "Product", JSON: "product", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The name joins the first and last names.",
		ID:    Path("ID"),
		Name:  Join{Sep: " ", Parts: []Expr{Path("FirstName"), Path("LastName")}},
		Email: Path("Email"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":"f7c9a2e4b1d3c5a7e9f1b3d5c7a9e1f3b5d7c9a1","email":"Jackson@Example.com","firstName":"Samuel","lastName":"Jackson","roles":["admin"],"groups":["engineering"],"requested":{"tenant":"example.com","product":"saas-app","client_id":"dummy","state":"xyz"}}`,
		Want:     User{ID: "f7c9a2e4b1d3c5a7e9f1b3d5c7a9e1f3b5d7c9a1", Name: "Samuel Jackson", Email: "jackson@example.com"},
	},
}
