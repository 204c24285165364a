package catalog

// Medium signs in with a Medium account. Medium requires the state
// parameter, wants the client secret in the token request's body and
// shares no e-mail address. Medium no longer issues new integrations; this
// entry serves existing ones.
var Medium = &Provider{
	ID:      "medium",
	Name:    "Medium",
	GoName:  "Medium",
	Type:    OAuth2,
	Docs:    "https://github.com/Medium/medium-api-docs#2-authentication",
	Console: "https://medium.com/me/applications",
	Endpoints: Endpoints{
		Authorization: "https://medium.com/m/oauth/authorize",
		Token:         "https://api.medium.com/v1/tokens",
		Userinfo:      "https://api.medium.com/v1/me",
	},
	Scopes:     []string{"basicProfile"},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the answer of GET /v1/me: the user is under data.\n\nDocumentation: https://github.com/Medium/medium-api-docs#31-users",
		Fields: []Field{
			{Name: "Data", JSON: "data", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "ID", JSON: "id", Kind: String},
				{Name: "Username", JSON: "username", Kind: String},
				{Name: "Name", JSON: "name", Kind: String},
				{Name: "URL", JSON: "url", Kind: String},
				{Name: "ImageURL", JSON: "imageUrl", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		ID:    Path("Data.ID"),
		Name:  Path("Data.Name"),
		Image: Path("Data.ImageURL"),
	},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Userinfo: `{"data":{"id":"5303d74c64f66366f00cb9b2a94f3251bf5","username":"majelbstoat","name":"Jamie Talbot","url":"https://medium.com/@majelbstoat","imageUrl":"https://images.medium.com/0*fkfQiTzT7TlUGGyI.png"}}`,
		Want:     User{ID: "5303d74c64f66366f00cb9b2a94f3251bf5", Name: "Jamie Talbot", Image: "https://images.medium.com/0*fkfQiTzT7TlUGGyI.png"},
	},
}
