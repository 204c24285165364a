package catalog

import "golang.org/x/oauth2/endpoints"

// Facebook signs in with a Facebook account (Facebook Login).
var Facebook = &Provider{
	ID:        "facebook",
	Name:      "Facebook",
	GoName:    "Facebook",
	Type:      OAuth2,
	Docs:      "https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow",
	Console:   "https://developers.facebook.com/apps",
	Endpoints: fromOAuth2(endpoints.Facebook, "https://graph.facebook.com/me?fields=id,name,email,picture"),
	Scopes:    []string{"email"},
	Checks:    []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is the user GET /me?fields=id,name,email,picture returns.\n\nDocumentation: https://developers.facebook.com/docs/graph-api/reference/user/",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "Picture", JSON: "picture", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "Data", JSON: "data", Kind: Object, Struct: &Struct{Fields: []Field{
					{Name: "URL", JSON: "url", Kind: String},
					{Name: "Width", JSON: "width", Kind: Int},
					{Name: "Height", JSON: "height", Kind: Int},
					{Name: "IsSilhouette", JSON: "is_silhouette", Kind: Bool},
				}}},
			}}},
		},
	},
	Map:           Mapping{ID: Path("ID"), Name: Path("Name"), Email: Path("Email"), Image: Path("Picture.Data.URL")},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":"10158296584321477","name":"Jane Appleseed","email":"Jane.Appleseed@Example.com","picture":{"data":{"height":50,"is_silhouette":false,"url":"https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=10158296584321477&height=50&width=50&ext=1718793600&hash=AbZ3x","width":50}}}`,
		Want:     User{ID: "10158296584321477", Name: "Jane Appleseed", Email: "jane.appleseed@example.com", Image: "https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=10158296584321477&height=50&width=50&ext=1718793600&hash=AbZ3x"},
	},
}
