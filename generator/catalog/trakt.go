package catalog

// Trakt signs in with a Trakt account. Trakt's API wants the
// trakt-api-version header and the trakt-api-key header, the client ID,
// on every request; it shares no e-mail address.
var Trakt = &Provider{
	ID:      "trakt",
	Name:    "Trakt",
	GoName:  "Trakt",
	Type:    OAuth2,
	Docs:    "https://trakt.docs.apiary.io/#reference/authentication-oauth",
	Console: "https://trakt.tv/oauth/applications",
	Endpoints: Endpoints{
		Authorization: "https://trakt.tv/oauth/authorize",
		Token:         "https://api.trakt.tv/oauth/token",
		Userinfo:      "https://api.trakt.tv/users/me?extended=full",
	},
	Checks:         []string{"pkce", "state"},
	UserinfoHeader: map[string]string{"trakt-api-key": "{client_id}", "trakt-api-version": "2"},
	Profile: Struct{
		Doc: "is the user Trakt returns from GET /users/me?extended=full.\n\nDocumentation: https://trakt.docs.apiary.io/#reference/users/profile/get-user-profile",
		Fields: []Field{
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "Private", JSON: "private", Kind: Bool},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "VIP", JSON: "vip", Kind: Bool},
			{Name: "IDs", JSON: "ids", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "Slug", JSON: "slug", Kind: String},
				{Name: "UUID", JSON: "uuid", Kind: String},
			}}},
			{Name: "JoinedAt", JSON: "joined_at", Kind: String},
			{Name: "Location", JSON: "location", Kind: String},
			{Name: "Images", JSON: "images", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "Avatar", JSON: "avatar", Kind: Object, Struct: &Struct{Fields: []Field{
					{Name: "Full", JSON: "full", Kind: String},
				}}},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "As in Auth.js the account is identified by its slug.",
		ID:    Path("IDs.Slug"),
		Name:  Path("Name"),
		Image: Path("Images.Avatar.Full"),
	},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Userinfo: `{"username":"sean","private":false,"name":"Sean Rudford","vip":true,"vip_ep":false,"ids":{"slug":"sean","uuid":"a1b2c3d4e5f60718293a4b5c6d7e8f90"},"joined_at":"2010-09-25T17:49:25.000Z","location":"SF","about":"I have all your cassette tapes.","gender":"male","age":35,"images":{"avatar":{"full":"https://walter-r2.trakt.tv/images/users/000/000/001/avatars/large/6d0f5ad1b8.jpg"}},"vip_og":true,"vip_years":5}`,
		Want:     User{ID: "sean", Name: "Sean Rudford", Image: "https://walter-r2.trakt.tv/images/users/000/000/001/avatars/large/6d0f5ad1b8.jpg"},
	},
}
