package catalog

// ClickUp signs in with a ClickUp account.
var ClickUp = &Provider{
	ID:      "click-up",
	Name:    "ClickUp",
	GoName:  "ClickUp",
	Type:    OAuth2,
	Docs:    "https://developer.clickup.com/docs/authentication",
	Console: "https://app.clickup.com/settings/apps",
	Endpoints: Endpoints{
		Authorization: "https://app.clickup.com/api",
		Token:         "https://api.clickup.com/api/v2/oauth/token",
		Userinfo:      "https://api.clickup.com/api/v2/user",
	},
	Checks:     []string{"state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the answer of GET /api/v2/user: the authorized user.\n\nDocumentation: https://developer.clickup.com/reference/getauthorizeduser",
		Fields: []Field{
			{Name: "User", JSON: "user", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "ID", JSON: "id", Kind: Int},
				{Name: "Username", JSON: "username", Kind: String},
				{Name: "Email", JSON: "email", Kind: String},
				{Name: "Color", JSON: "color", Kind: String},
				{Name: "ProfilePicture", JSON: "profilePicture", Kind: String},
				{Name: "Initials", JSON: "initials", Kind: String},
				{Name: "Timezone", JSON: "timezone", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "Auth.js keeps only the ID and name; the e-mail address and profile picture ClickUp also returns are mapped here.",
		ID:    Path("User.ID"),
		Name:  Path("User.Username"),
		Email: Path("User.Email"),
		Image: Path("User.ProfilePicture"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"user":{"id":123,"username":"John Doe","email":"JohnDoe@Example.com","color":"#000000","profilePicture":"https://attachments-public.clickup.com/profilePictures/123_abc.jpg","initials":"JD","week_start_day":0,"global_font_support":false,"timezone":"America/Los_Angeles"}}`,
		Want:     User{ID: "123", Name: "John Doe", Email: "johndoe@example.com", Image: "https://attachments-public.clickup.com/profilePictures/123_abc.jpg"},
	},
}
