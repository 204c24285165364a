package catalog

import "golang.org/x/oauth2/endpoints"

// Spotify signs in with a Spotify account.
var Spotify = &Provider{
	ID:        "spotify",
	Name:      "Spotify",
	GoName:    "Spotify",
	Type:      OAuth2,
	Docs:      "https://developer.spotify.com/documentation/web-api/tutorials/code-flow",
	Console:   "https://developer.spotify.com/dashboard",
	Endpoints: fromOAuth2(endpoints.Spotify, "https://api.spotify.com/v1/me"),
	Scopes:    []string{"user-read-email"},
	Profile: Struct{
		Doc: "is the user Spotify returns from GET /v1/me.\n\nDocumentation: https://developer.spotify.com/documentation/web-api/reference/get-current-users-profile",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "DisplayName", JSON: "display_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "Country", JSON: "country", Kind: String},
			{Name: "Product", JSON: "product", Kind: String},
			{Name: "URI", JSON: "uri", Kind: String},
			{Name: "Images", JSON: "images", Kind: Array, Struct: &Struct{Fields: []Field{
				{Name: "URL", JSON: "url", Kind: String},
				{Name: "Height", JSON: "height", Kind: Int},
				{Name: "Width", JSON: "width", Kind: Int},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The image is the first of the user's images.",
		ID:    Path("ID"),
		Name:  Path("DisplayName"),
		Email: Path("Email"),
		Image: Path("Images.First.URL"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"country":"SE","display_name":"JM Wizzler","email":"email@example.com","explicit_content":{"filter_enabled":false,"filter_locked":false},"external_urls":{"spotify":"https://open.spotify.com/user/wizzler"},"followers":{"href":null,"total":3829},"href":"https://api.spotify.com/v1/users/wizzler","id":"wizzler","images":[{"height":300,"url":"https://i.scdn.co/image/ab6775700000ee85c5f2dd3b8a1e8c5e2e5e3e3b","width":300},{"height":64,"url":"https://i.scdn.co/image/ab67757000003b82c5f2dd3b8a1e8c5e2e5e3e3b","width":64}],"product":"premium","type":"user","uri":"spotify:user:wizzler"}`,
		Want:     User{ID: "wizzler", Name: "JM Wizzler", Email: "email@example.com", Image: "https://i.scdn.co/image/ab6775700000ee85c5f2dd3b8a1e8c5e2e5e3e3b"},
	},
}
