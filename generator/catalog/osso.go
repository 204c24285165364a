package catalog

// Osso signs in through an Osso server, which brokers SAML single sign-on
// as OAuth 2.0. There is no default server: set AUTH_OSSO_BASE_URL. The
// sign-in request's domain (or email) parameter picks the customer's
// identity provider.
var Osso = &Provider{
	ID:     "osso",
	Name:   "Osso",
	GoName: "Osso",
	Type:   OAuth2,
	Docs:   "https://ossoapp.com/docs/consume/overview",
	Endpoints: Endpoints{
		Authorization: "{base}/oauth/authorize",
		Token:         "{base}/oauth/token",
		Userinfo:      "{base}/oauth/me",
	},
	BaseURL: &BaseURL{
		What:     "an Osso server",
		Required: true,
		Endpoints: Endpoints{
			Authorization: "{base}/oauth/authorize",
			Token:         "{base}/oauth/token",
			Userinfo:      "{base}/oauth/me",
		},
	},
	Checks: []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is the user Osso returns from GET /oauth/me, from the SAML assertion.\n\nDocumentation: https://ossoapp.com/docs/consume/overview",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "IDP", JSON: "idp", Kind: String},
			{Name: "Requested", JSON: "requested", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "Domain", JSON: "domain", Kind: String},
				{Name: "Email", JSON: "email", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "SAML assertions brokered by Osso carry no name or picture.",
		ID:    Path("ID"),
		Email: Path("Email"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":"a1b2c3d4-e5f6-4789-abcd-ef0123456789","email":"Ada@Example.com","idp":"Okta","requested":{"domain":"example.com","email":null}}`,
		Want:     User{ID: "a1b2c3d4-e5f6-4789-abcd-ef0123456789", Email: "ada@example.com"},
	},
}
