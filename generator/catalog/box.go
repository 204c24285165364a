package catalog

// Box signs in with a Box account.
var Box = &Provider{
	ID:      "box",
	Name:    "Box",
	GoName:  "Box",
	Type:    OAuth2,
	Docs:    "https://developer.box.com/guides/authentication/oauth2/",
	Console: "https://app.box.com/developers/console",
	Endpoints: Endpoints{
		Authorization: "https://account.box.com/api/oauth2/authorize",
		Token:         "https://api.box.com/oauth2/token",
		Userinfo:      "https://api.box.com/2.0/users/me",
	},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the user GET /2.0/users/me returns; login is the e-mail address.\n\nDocumentation: https://developer.box.com/reference/get-users-me/",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Type", JSON: "type", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Login", JSON: "login", Kind: String},
			{Name: "AvatarURL", JSON: "avatar_url", Kind: String},
			{Name: "Language", JSON: "language", Kind: String},
			{Name: "Timezone", JSON: "timezone", Kind: String},
			{Name: "Status", JSON: "status", Kind: String},
			{Name: "JobTitle", JSON: "job_title", Kind: String},
			{Name: "CreatedAt", JSON: "created_at", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("ID"), Name: Path("Name"), Email: Path("Login"), Image: Path("AvatarURL")},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":"11446498","type":"user","address":"900 Jefferson Ave, Redwood City, CA 94063","avatar_url":"https://www.box.com/api/avatar/large/181306","created_at":"2012-12-12T10:53:43-08:00","job_title":"CEO","language":"en","login":"Ceo@Example.com","max_upload_size":2147483648,"modified_at":"2012-12-12T10:53:43-08:00","name":"Aaron Levie","phone":"6509241374","space_amount":11345156112,"space_used":1237009912,"status":"active","timezone":"Africa/Bujumbura"}`,
		Want:     User{ID: "11446498", Name: "Aaron Levie", Email: "ceo@example.com", Image: "https://www.box.com/api/avatar/large/181306"},
	},
}
