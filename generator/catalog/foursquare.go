package catalog

import "golang.org/x/oauth2/endpoints"

// Foursquare signs in with a Foursquare (Swarm) account through the
// legacy v2 API, which takes the access token in the oauth_token query
// parameter rather than an Authorization header, and requires the API
// version date in v (YYYYMMDD); the client secret goes in the token
// request's body.
var Foursquare = &Provider{
	ID:         "foursquare",
	Name:       "Foursquare",
	GoName:     "Foursquare",
	Type:       OAuth2,
	Docs:       "https://docs.foursquare.com/developer/docs/using-oauth-authentication",
	Console:    "https://foursquare.com/developers/apps",
	Endpoints:  fromOAuth2(endpoints.Foursquare, "https://api.foursquare.com/v2/users/self?oauth_token={access_token}&v=20240101"),
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	// The token travels in the query only: no Bearer header.
	UserinfoHeader: map[string]string{"Authorization": ""},
	Profile: Struct{
		Doc: "is the answer of GET /v2/users/self: the user is response.user.\n\nDocumentation: https://developer.foursquare.com/docs/api/users/details",
		Fields: []Field{
			{Name: "Response", JSON: "response", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "User", JSON: "user", Kind: Object, Struct: &Struct{Fields: []Field{
					{Name: "ID", JSON: "id", Kind: String},
					{Name: "FirstName", JSON: "firstName", Kind: String},
					{Name: "LastName", JSON: "lastName", Kind: String},
					{Name: "Gender", JSON: "gender", Kind: String},
					{Name: "HomeCity", JSON: "homeCity", Kind: String},
					{Name: "Bio", JSON: "bio", Kind: String},
					{Name: "Photo", JSON: "photo", Kind: Object, Struct: &Struct{Fields: []Field{
						{Name: "Prefix", JSON: "prefix", Kind: String},
						{Name: "Suffix", JSON: "suffix", Kind: String},
					}}},
					{Name: "Contact", JSON: "contact", Kind: Object, Struct: &Struct{Fields: []Field{
						{Name: "Email", JSON: "email", Kind: String},
						{Name: "Phone", JSON: "phone", Kind: String},
					}}},
				}}},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The name is \"first last\"; the image is the original-size photo.",
		ID:    Path("Response.User.ID"),
		Name:  Join{Sep: " ", Parts: []Expr{Path("Response.User.FirstName"), Path("Response.User.LastName")}},
		Email: Path("Response.User.Contact.Email"),
		Image: Format{Format: "%soriginal%s", Args: []Expr{Path("Response.User.Photo.Prefix"), Path("Response.User.Photo.Suffix")}},
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"meta":{"code":200,"requestId":"5e8b2c4d1a2b3c4d5e6f7a8b"},"notifications":[{"type":"notificationTray","item":{"unreadCount":0}}],"response":{"user":{"id":"1234567","firstName":"Ada","lastName":"Lovelace","gender":"female","relationship":"self","photo":{"prefix":"https://fastly.4sqi.net/img/user/","suffix":"/1234567-ABCDEFGHIJKLMNOP.jpg"},"homeCity":"London","bio":"","contact":{"email":"Ada@Example.com"}}}}`,
		Want:     User{ID: "1234567", Name: "Ada Lovelace", Email: "ada@example.com", Image: "https://fastly.4sqi.net/img/user/original/1234567-ABCDEFGHIJKLMNOP.jpg"},
	},
}
