package catalog

import "golang.org/x/oauth2/endpoints"

// Naver signs in with a Naver account. Naver returns the user under
// response, and wants the client secret in the token request's body.
var Naver = &Provider{
	ID:         "naver",
	Name:       "Naver",
	GoName:     "Naver",
	Type:       OAuth2,
	Docs:       "https://developers.naver.com/docs/login/devguide/devguide.md",
	Console:    "https://developers.naver.com/apps/#/register",
	Endpoints:  fromOAuth2(endpoints.Naver, "https://openapi.naver.com/v1/nid/me"),
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the answer of GET /v1/nid/me: the user is under response.\n\nDocumentation: https://developers.naver.com/docs/login/profile/profile.md",
		Fields: []Field{
			{Name: "Resultcode", JSON: "resultcode", Kind: String},
			{Name: "Message", JSON: "message", Kind: String},
			{Name: "Response", JSON: "response", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "ID", JSON: "id", Kind: String},
				{Name: "Nickname", JSON: "nickname", Kind: String},
				{Name: "Name", JSON: "name", Kind: String},
				{Name: "Email", JSON: "email", Kind: String},
				{Name: "Gender", JSON: "gender", Kind: String},
				{Name: "Age", JSON: "age", Kind: String},
				{Name: "Birthday", JSON: "birthday", Kind: String},
				{Name: "Birthyear", JSON: "birthyear", Kind: String},
				{Name: "ProfileImage", JSON: "profile_image", Kind: String},
				{Name: "Mobile", JSON: "mobile", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The name is the nickname.",
		ID:    Path("Response.ID"),
		Name:  Path("Response.Nickname"),
		Email: Path("Response.Email"),
		Image: Path("Response.ProfileImage"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"resultcode":"00","message":"success","response":{"email":"OpenAPI@Naver.com","nickname":"OpenAPI","profile_image":"https://ssl.pstatic.net/static/pwe/address/nodata_33x33.gif","age":"40-49","gender":"F","id":"32742776","name":"오픈 API","birthday":"10-01","birthyear":"1900","mobile":"010-0000-0000"}}`,
		Want:     User{ID: "32742776", Name: "OpenAPI", Email: "openapi@naver.com", Image: "https://ssl.pstatic.net/static/pwe/address/nodata_33x33.gif"},
	},
}
