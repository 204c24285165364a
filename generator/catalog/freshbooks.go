package catalog

// Freshbooks signs in with a FreshBooks account. FreshBooks returns the
// user under response, wants the client secret in the token request's
// body, and needs the user:profile:read scope enabled for the app.
var Freshbooks = &Provider{
	ID:      "freshbooks",
	Name:    "Freshbooks",
	GoName:  "Freshbooks",
	Type:    OAuth2,
	Docs:    "https://www.freshbooks.com/api/authentication",
	Console: "https://my.freshbooks.com/#/developer",
	Endpoints: Endpoints{
		Authorization: "https://auth.freshbooks.com/oauth/authorize",
		Token:         "https://api.freshbooks.com/auth/oauth/token",
		Userinfo:      "https://api.freshbooks.com/auth/api/v1/users/me",
	},
	Scopes:     []string{"user:profile:read"},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the answer of GET /auth/api/v1/users/me: the user is under response.\n\nDocumentation: https://www.freshbooks.com/api/me_endpoint",
		Fields: []Field{
			{Name: "Response", JSON: "response", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "ID", JSON: "id", Kind: Int},
				{Name: "IdentityUUID", JSON: "identity_uuid", Kind: String},
				{Name: "FirstName", JSON: "first_name", Kind: String},
				{Name: "LastName", JSON: "last_name", Kind: String},
				{Name: "Email", JSON: "email", Kind: String},
				{Name: "Language", JSON: "language", Kind: String},
				{Name: "ConfirmedAt", JSON: "confirmed_at", Kind: String},
				{Name: "CreatedAt", JSON: "created_at", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The name is \"first last\".",
		ID:    Path("Response.ID"),
		Name:  Join{Sep: " ", Parts: []Expr{Path("Response.FirstName"), Path("Response.LastName")}},
		Email: Path("Response.Email"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"response":{"id":2192788,"identity_id":2192788,"identity_uuid":"9c0a5e8b-7d2f-4b1e-a3c6-1f8d2e4b6a90","first_name":"Jane","last_name":"Doe","email":"Jane.Doe@Example.com","language":"en","confirmed_at":"2020-01-14T15:50:24Z","created_at":"2020-01-14T15:49:42Z","unconfirmed_email":null,"setup_complete":true,"phone_numbers":[],"addresses":[],"identity_origin":"magnum","roles":[{"id":3425,"role":"admin","systemid":5432,"userid":1,"created_at":"2020-01-14T15:50:24Z","links":{"destroy":"/auth/api/v1/users/role/3425"},"accountid":"Ax9nE"}]}}`,
		Want:     User{ID: "2192788", Name: "Jane Doe", Email: "jane.doe@example.com"},
	},
}
