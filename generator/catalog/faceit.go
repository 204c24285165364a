package catalog

// Faceit signs in with a FACEIT account (FACEIT Connect).
var Faceit = &Provider{
	ID:      "faceit",
	Name:    "FACEIT",
	GoName:  "Faceit",
	Type:    OAuth2,
	Docs:    "https://docs.faceit.com/getting-started/authentication/oauth2",
	Console: "https://developers.faceit.com/apps",
	Endpoints: Endpoints{
		Authorization: "https://accounts.faceit.com/accounts?redirect_popup=true",
		Token:         "https://api.faceit.com/auth/v1/oauth/token",
		Userinfo:      "https://api.faceit.com/auth/v1/resources/userinfo",
	},
	Scopes: []string{"openid", "email", "profile"},
	Profile: Struct{
		Doc: "is the user FACEIT Connect's userinfo endpoint returns; guid is the FACEIT user ID.\n\nDocumentation: https://docs.faceit.com/getting-started/authentication/oauth2",
		Fields: []Field{
			{Name: "GUID", JSON: "guid", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Nickname", JSON: "nickname", Kind: String},
			{Name: "GivenName", JSON: "given_name", Kind: String},
			{Name: "FamilyName", JSON: "family_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "Picture", JSON: "picture", Kind: String},
			{Name: "Locale", JSON: "locale", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name falls back to the nickname.",
		ID:    Path("GUID"),
		Name:  FirstOf{Path("Name"), Path("Nickname")},
		Email: Path("Email"),
		Image: Path("Picture"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"guid":"0f2a7c3e-5b1d-4e8a-9c6f-2d4b8e1a3c5f","nickname":"s1mple_fan","email":"Player@Example.com","given_name":"Alex","family_name":"Novak","picture":"https://assets.faceit-cdn.net/avatars/0f2a7c3e-5b1d-4e8a-9c6f-2d4b8e1a3c5f_1550x1550.jpg","locale":"en","membership":"free"}`,
		Want:     User{ID: "0f2a7c3e-5b1d-4e8a-9c6f-2d4b8e1a3c5f", Name: "s1mple_fan", Email: "player@example.com", Image: "https://assets.faceit-cdn.net/avatars/0f2a7c3e-5b1d-4e8a-9c6f-2d4b8e1a3c5f_1550x1550.jpg"},
	},
}
