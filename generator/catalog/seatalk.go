package catalog

// SeaTalk signs in with a SeaTalk (Sea Group) account (goth's seatalk
// provider).
var SeaTalk = &Provider{
	ID:      "seatalk",
	Name:    "SeaTalk",
	GoName:  "SeaTalk",
	Type:    OAuth2,
	Docs:    "https://open.seatalk.io/docs/",
	Console: "https://open.seatalk.io/",
	Endpoints: Endpoints{
		Authorization: "https://seatalkweb.com/webapp/oauth2/authorize",
		Token:         "https://seatalkweb.com/webapp/oauth2/token",
		Userinfo:      "https://seatalkweb.com/webapp/oauth2/profile",
	},
	Scopes: []string{"email"},
	Checks: []string{"state"},
	Profile: Struct{
		Doc: "is the user SeaTalk returns from /webapp/oauth2/profile.\n\nDocumentation: https://open.seatalk.io/docs/",
		Fields: []Field{
			{Name: "UserID", JSON: "user_id", Kind: Flex},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("UserID"), Name: Path("Name"), Email: Path("Email")},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"user_id":"5f3b2c1d9e8a7b6c","name":"Ada Lovelace","email":"Ada.Lovelace@Example.com"}`,
		Want:     User{ID: "5f3b2c1d9e8a7b6c", Name: "Ada Lovelace", Email: "ada.lovelace@example.com"},
	},
}
