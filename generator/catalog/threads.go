package catalog

// Threads signs in with a Threads (Meta) account. The profile is read from
// the Threads Graph API, which answers the fields requested in the userinfo
// URL as a flat object.
var Threads = &Provider{
	ID:      "threads",
	Name:    "Threads",
	GoName:  "Threads",
	Type:    OAuth2,
	Docs:    "https://developers.facebook.com/docs/threads/get-started/get-access-tokens-and-permissions",
	Console: "https://developers.facebook.com/apps/",
	Endpoints: Endpoints{
		Authorization: "https://threads.net/oauth/authorize",
		Token:         "https://graph.threads.net/oauth/access_token",
		Userinfo:      "https://graph.threads.net/v1.0/me?fields=id,username,name,threads_profile_picture_url",
	},
	Scopes:     []string{"threads_basic"},
	Checks:     []string{"state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the Threads user GET /v1.0/me returns with the requested fields.\n\nDocumentation: https://developers.facebook.com/docs/threads/threads-profiles",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "ThreadsProfilePictureURL", JSON: "threads_profile_picture_url", Kind: String},
			{Name: "ThreadsBiography", JSON: "threads_biography", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "As in Auth.js the name is the Threads handle; Threads shares no e-mail address.",
		ID:    Path("ID"),
		Name:  Path("Username"),
		Image: Path("ThreadsProfilePictureURL"),
	},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Userinfo: `{"id":"1234567","username":"threadsapitestuser","name":"Threads API Test User","threads_profile_picture_url":"https://scontent-sjc3-1.cdninstagram.com/v/t51.2885-19/threadsapitestuser.jpg","threads_biography":"This is my Threads bio."}`,
		Want:     User{ID: "1234567", Name: "threadsapitestuser", Image: "https://scontent-sjc3-1.cdninstagram.com/v/t51.2885-19/threadsapitestuser.jpg"},
	},
}
