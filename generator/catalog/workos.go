package catalog

// WorkOS signs in through WorkOS SSO (a customer's SAML or OIDC identity
// provider). The sign-in request must name the connection, organization or
// provider as an authorization parameter (signIn("workos", {}, {connection:
// "conn_..."}) in Auth.js). AUTH_WORKOS_BASE_URL points it at a custom
// domain (Auth.js's issuer option).
var WorkOS = &Provider{
	ID:      "workos",
	Name:    "WorkOS",
	GoName:  "WorkOS",
	Type:    OAuth2,
	Docs:    "https://workos.com/docs/reference/sso",
	Console: "https://dashboard.workos.com/",
	Endpoints: Endpoints{
		Authorization: "https://api.workos.com/sso/authorize",
		Token:         "https://api.workos.com/sso/token",
		Userinfo:      "https://api.workos.com/sso/profile",
	},
	BaseURL: &BaseURL{
		What: "a WorkOS custom domain",
		Endpoints: Endpoints{
			Authorization: "{base}/sso/authorize",
			Token:         "{base}/sso/token",
			Userinfo:      "{base}/sso/profile",
		},
	},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the SSO profile WorkOS returns from GET /sso/profile.\n\nDocumentation: https://workos.com/docs/reference/sso/profile",
		Fields: []Field{
			{Name: "Object", JSON: "object", Kind: String},
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "OrganizationID", JSON: "organization_id", Kind: String},
			{Name: "ConnectionID", JSON: "connection_id", Kind: String},
			{Name: "ConnectionType", JSON: "connection_type", Kind: String},
			{Name: "IdpID", JSON: "idp_id", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "FirstName", JSON: "first_name", Kind: String},
			{Name: "LastName", JSON: "last_name", Kind: String},
			{Name: "RawAttributes", JSON: "raw_attributes", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "Picture", JSON: "picture", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The name is \"first_name last_name\"; the image is the identity provider's picture attribute, when sent.",
		ID:    Path("ID"),
		Name:  Join{Sep: " ", Parts: []Expr{Path("FirstName"), Path("LastName")}},
		Email: Path("Email"),
		Image: Path("RawAttributes.Picture"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"object":"profile","id":"prof_01DMC79VCBZ0NY2099737PSVF1","connection_id":"conn_01E4ZCR3C56J083X43JQXF3JK5","connection_type":"OktaSAML","organization_id":"org_01EHWNCE74X7JSDV0X3SZ3KJNY","email":"Todd@Example.com","first_name":"Todd","last_name":"Rundgren","idp_id":"00u1a0ufowBJlzPlk357","role":{"slug":"admin"},"raw_attributes":{"id":"00u1a0ufowBJlzPlk357","email":"todd@example.com","firstName":"Todd","lastName":"Rundgren","picture":"https://example.okta.com/avatars/todd.png"}}`,
		Want:     User{ID: "prof_01DMC79VCBZ0NY2099737PSVF1", Name: "Todd Rundgren", Email: "todd@example.com", Image: "https://example.okta.com/avatars/todd.png"},
	},
}
