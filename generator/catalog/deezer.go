package catalog

// Deezer signs in with a Deezer account. Deezer's OAuth predates the
// standard in places (permissions in perms, the token endpoint's JSON only
// with output=json).
var Deezer = &Provider{
	ID:      "deezer",
	Name:    "Deezer",
	GoName:  "Deezer",
	Type:    OAuth2,
	Docs:    "https://developers.deezer.com/api/oauth",
	Console: "https://developers.deezer.com/myapps",
	Endpoints: Endpoints{
		Authorization: "https://connect.deezer.com/oauth/auth.php",
		Token:         "https://connect.deezer.com/oauth/access_token.php?output=json",
		Userinfo:      "https://api.deezer.com/user/me",
	},
	Params:     map[string]string{"perms": "basic_access,email"},
	Checks:     []string{"state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the user GET /user/me returns (email with the email permission).\n\nDocumentation: https://developers.deezer.com/api/user",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: Flex},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Firstname", JSON: "firstname", Kind: String},
			{Name: "Lastname", JSON: "lastname", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "Link", JSON: "link", Kind: String},
			{Name: "Picture", JSON: "picture", Kind: String},
			{Name: "PictureMedium", JSON: "picture_medium", Kind: String},
			{Name: "Country", JSON: "country", Kind: String},
			{Name: "Lang", JSON: "lang", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("ID"), Name: Path("Name"), Email: Path("Email"), Image: Path("PictureMedium")},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":2529,"name":"dzcodeur","lastname":"","firstname":"","email":"DzCodeur@Example.com","status":0,"birthday":"1990-01-01","inscription_date":"2007-01-01","gender":"","link":"https://www.deezer.com/profile/2529","picture":"https://api.deezer.com/user/2529/image","picture_small":"https://e-cdns-images.dzcdn.net/images/user/9b0ad3ef2c7b24f55bbd2ec5d6c9b4ea/56x56-000000-80-0-0.jpg","picture_medium":"https://e-cdns-images.dzcdn.net/images/user/9b0ad3ef2c7b24f55bbd2ec5d6c9b4ea/250x250-000000-80-0-0.jpg","picture_big":"https://e-cdns-images.dzcdn.net/images/user/9b0ad3ef2c7b24f55bbd2ec5d6c9b4ea/500x500-000000-80-0-0.jpg","country":"FR","lang":"FR","is_kid":false,"tracklist":"https://api.deezer.com/user/2529/flow","type":"user"}`,
		Want:     User{ID: "2529", Name: "dzcodeur", Email: "dzcodeur@example.com", Image: "https://e-cdns-images.dzcdn.net/images/user/9b0ad3ef2c7b24f55bbd2ec5d6c9b4ea/250x250-000000-80-0-0.jpg"},
	},
}
