package catalog

// Tumblr signs in with a Tumblr account over OAuth 1.0a (goth's tumblr
// provider). Tumblr has no user ID: the account is the user's name, that
// of their primary blog; it shares no e-mail address.
var Tumblr = &Provider{
	ID:      "tumblr",
	Name:    "Tumblr",
	GoName:  "Tumblr",
	Type:    OAuth1,
	Docs:    "https://www.tumblr.com/docs/en/api/v2#oauth1-authorization",
	Console: "https://www.tumblr.com/oauth/apps",
	Endpoints: Endpoints{
		RequestToken:  "https://www.tumblr.com/oauth/request_token",
		Authorization: "https://www.tumblr.com/oauth/authorize",
		Token:         "https://www.tumblr.com/oauth/access_token",
		Userinfo:      "https://api.tumblr.com/v2/user/info",
	},
	Profile: Struct{
		Doc: "is the answer of GET /v2/user/info: the user under response.user.\n\nDocumentation: https://www.tumblr.com/docs/en/api/v2#userinfo--get-a-users-information",
		Fields: []Field{
			{Name: "Response", JSON: "response", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "User", JSON: "user", Kind: Object, Struct: &Struct{Fields: []Field{
					{Name: "Name", JSON: "name", Kind: String},
					{Name: "Likes", JSON: "likes", Kind: Int},
					{Name: "Following", JSON: "following", Kind: Int},
					{Name: "DefaultPostFormat", JSON: "default_post_format", Kind: String},
					{Name: "Blogs", JSON: "blogs", Kind: Array, Struct: &Struct{Fields: []Field{
						{Name: "Name", JSON: "name", Kind: String},
						{Name: "Title", JSON: "title", Kind: String},
						{Name: "URL", JSON: "url", Kind: String},
						{Name: "UUID", JSON: "uuid", Kind: String},
						{Name: "Primary", JSON: "primary", Kind: Bool},
					}}},
				}}},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The account and name are the user's name; the image is their primary blog's avatar (Tumblr's avatar endpoint redirects to it).",
		ID:    Path("Response.User.Name"),
		Name:  Path("Response.User.Name"),
		Image: Format{Format: "https://api.tumblr.com/v2/blog/%s/avatar/512", Args: []Expr{Path("Response.User.Name")}},
	},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Userinfo: `{"meta":{"status":200,"msg":"OK"},"response":{"user":{"following":263,"default_post_format":"html","name":"derekg","likes":606,"blogs":[{"name":"derekg","title":"Derek Gottfrid","url":"https://derekg.org/","uuid":"t:dRGzrvfHAJkDr-u8dP3Eqw","tweet":"auto","primary":true,"followers":33004929}]}}}`,
		Want:     User{ID: "derekg", Name: "derekg", Image: "https://api.tumblr.com/v2/blog/derekg/avatar/512"},
	},
}
