package catalog

// Figma signs in with a Figma account.
var Figma = &Provider{
	ID:      "figma",
	Name:    "Figma",
	GoName:  "Figma",
	Type:    OAuth2,
	Docs:    "https://developers.figma.com/docs/rest-api/oauth-apps/",
	Console: "https://www.figma.com/developers/apps",
	Endpoints: Endpoints{
		Authorization: "https://www.figma.com/oauth",
		Token:         "https://api.figma.com/v1/oauth/token",
		Userinfo:      "https://api.figma.com/v1/me",
	},
	Scopes: []string{"current_user:read"},
	Checks: []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is the user GET /v1/me returns (current_user:read scope).\n\nDocumentation: https://developers.figma.com/docs/rest-api/users-endpoints/",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Handle", JSON: "handle", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "ImgURL", JSON: "img_url", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("ID"), Name: Path("Handle"), Email: Path("Email"), Image: Path("ImgURL")},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":"1185410738513364982","handle":"Ana Silva","img_url":"https://s3-alpha.figma.com/profile/5f1c8a2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b","email":"Ana.Silva@Example.com"}`,
		Want:     User{ID: "1185410738513364982", Name: "Ana Silva", Email: "ana.silva@example.com", Image: "https://s3-alpha.figma.com/profile/5f1c8a2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b"},
	},
}
