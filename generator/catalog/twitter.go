package catalog

import "golang.org/x/oauth2/endpoints"

// Twitter signs in with an X (Twitter) account over OAuth 2.0, on the x.com
// endpoints as Auth.js does. OAuth 2.0 does not give the e-mail address
// (see TwitterLegacy).
var Twitter = &Provider{
	ID:        "twitter",
	Name:      "Twitter",
	GoName:    "Twitter",
	Type:      OAuth2,
	Docs:      "https://developer.x.com/en/docs/authentication/oauth-2-0/authorization-code",
	Console:   "https://developer.x.com/en/portal/projects-and-apps",
	Endpoints: fromOAuth2(endpoints.X, "https://api.x.com/2/users/me?user.fields=profile_image_url"),
	Scopes:    []string{"users.read", "tweet.read", "offline.access"},
	Checks:    []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is the answer of GET /2/users/me: the user under data.\n\nDocumentation: https://developer.x.com/en/docs/twitter-api/users/lookup/api-reference/get-users-me",
		Fields: []Field{
			{Name: "Data", JSON: "data", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "ID", JSON: "id", Kind: String},
				{Name: "Name", JSON: "name", Kind: String},
				{Name: "Username", JSON: "username", Kind: String},
				{Name: "Email", JSON: "email", Kind: String},
				{Name: "ProfileImageURL", JSON: "profile_image_url", Kind: String},
				{Name: "Verified", JSON: "verified", Kind: Bool},
				{Name: "Description", JSON: "description", Kind: String},
				{Name: "Location", JSON: "location", Kind: String},
				{Name: "CreatedAt", JSON: "created_at", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		ID:    Path("Data.ID"),
		Name:  Path("Data.Name"),
		Email: Path("Data.Email"),
		Image: Path("Data.ProfileImageURL"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"data":{"id":"2244994945","name":"X Dev","username":"XDevelopers","profile_image_url":"https://pbs.twimg.com/profile_images/1683501992314798080/xl1POYLw_normal.jpg"}}`,
		Want:     User{ID: "2244994945", Name: "X Dev", Image: "https://pbs.twimg.com/profile_images/1683501992314798080/xl1POYLw_normal.jpg"},
	},
}
