package catalog

import "golang.org/x/oauth2/endpoints"

// VK signs in with a VK account. VK returns the user in a one-element
// response array and the e-mail address in the token response, not the
// profile; it wants the client secret in the token request's body.
var VK = &Provider{
	ID:         "vk",
	Name:       "VK",
	GoName:     "VK",
	Type:       OAuth2,
	Docs:       "https://dev.vk.com/en/api/access-token/authcode-flow-user",
	Console:    "https://vk.com/apps?act=manage",
	Endpoints:  fromOAuth2(endpoints.Vk, "https://api.vk.com/method/users.get?fields=photo_100&v=5.131"),
	Scopes:     []string{"email"},
	Params:     map[string]string{"v": "5.131"},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the answer of the users.get method: the signed-in user is response[0].\n\nDocumentation: https://dev.vk.com/en/reference/objects/user",
		Fields: []Field{
			{Name: "Response", JSON: "response", Kind: Array, Struct: &Struct{Fields: []Field{
				{Name: "ID", JSON: "id", Kind: Int},
				{Name: "FirstName", JSON: "first_name", Kind: String},
				{Name: "LastName", JSON: "last_name", Kind: String},
				{Name: "ScreenName", JSON: "screen_name", Kind: String},
				{Name: "Photo100", JSON: "photo_100", Kind: String},
				{Name: "CanAccessClosed", JSON: "can_access_closed", Kind: Bool},
				{Name: "IsClosed", JSON: "is_closed", Kind: Bool},
				{Name: "Deactivated", JSON: "deactivated", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The name is \"first last\"; the e-mail address comes from the token response.",
		ID:    Path("Response.First.ID"),
		Name:  Join{Sep: " ", Parts: []Expr{Path("Response.First.FirstName"), Path("Response.First.LastName")}},
		Image: Path("Response.First.Photo100"),
	},
	Enrich:        "TokenEmail",
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"response":[{"id":743784474,"photo_100":"https://sun1-99.userapi.com/s/v1/ig2/abcdef.jpg?size=100x100&quality=95&crop=0,0,400,400&ava=1","first_name":"Ivan","last_name":"Petrov","can_access_closed":true,"is_closed":false}]}`,
		Token:    `{"user_id":743784474,"email":"Ivan.Petrov@Example.ru"}`,
		Want:     User{ID: "743784474", Name: "Ivan Petrov", Email: "ivan.petrov@example.ru", Image: "https://sun1-99.userapi.com/s/v1/ig2/abcdef.jpg?size=100x100&quality=95&crop=0,0,400,400&ava=1"},
	},
}
