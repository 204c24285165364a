package catalog

// TikTok is Login Kit for Web. TikTok names the client ID client_key in
// the authorization and token requests (Auth.js adds it with a custom
// fetch): Params and TokenParams send it besides client_id. TikTok shares
// no e-mail address.
var TikTok = &Provider{
	ID:      "tiktok",
	Name:    "TikTok",
	GoName:  "TikTok",
	Type:    OAuth2,
	Docs:    "https://developers.tiktok.com/doc/login-kit-web/",
	Console: "https://developers.tiktok.com/apps/",
	Endpoints: Endpoints{
		Authorization: "https://www.tiktok.com/v2/auth/authorize/",
		Token:         "https://open.tiktokapis.com/v2/oauth/token/",
		Userinfo:      "https://open.tiktokapis.com/v2/user/info/?fields=open_id,union_id,avatar_url,display_name",
	},
	Scopes:      []string{"user.info.basic"},
	Params:      map[string]string{"client_key": "{client_id}"},
	TokenParams: map[string]string{"client_key": "{client_id}"},
	Checks:      []string{"pkce", "state"},
	AuthMethod:  ClientSecretPost,
	Profile: Struct{
		Doc: "is the answer of GET /v2/user/info/ with the requested fields, under data.user.\n\nDocumentation: https://developers.tiktok.com/doc/tiktok-api-v2-get-user-info/",
		Fields: []Field{
			{Name: "Data", JSON: "data", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "User", JSON: "user", Kind: Object, Struct: &Struct{Fields: []Field{
					{Name: "OpenID", JSON: "open_id", Kind: String},
					{Name: "UnionID", JSON: "union_id", Kind: String},
					{Name: "AvatarURL", JSON: "avatar_url", Kind: String},
					{Name: "DisplayName", JSON: "display_name", Kind: String},
					{Name: "Username", JSON: "username", Kind: String},
				}}},
			}}},
			{Name: "Error", JSON: "error", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "Code", JSON: "code", Kind: String},
				{Name: "Message", JSON: "message", Kind: String},
				{Name: "LogID", JSON: "log_id", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		ID:    Path("Data.User.OpenID"),
		Name:  Path("Data.User.DisplayName"),
		Image: Path("Data.User.AvatarURL"),
	},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Userinfo: `{"data":{"user":{"avatar_url":"https://p19-sign.tiktokcdn-us.com/tos-useast5-avt-0068-tx/b17f0e4b3a4f4a50993cf72cda8b88b8~c5_168x168.jpeg","open_id":"723f24d7-e717-40f8-a2b6-cb8464cd23b4","union_id":"c9c60f44-a68e-4f5d-84dd-ce22faeb0ba1","display_name":"Tik Toker"}},"error":{"code":"ok","message":"","log_id":"20220829194722CBE87ED59D524E727021"}}`,
		Want:     User{ID: "723f24d7-e717-40f8-a2b6-cb8464cd23b4", Name: "Tik Toker", Image: "https://p19-sign.tiktokcdn-us.com/tos-useast5-avt-0068-tx/b17f0e4b3a4f4a50993cf72cda8b88b8~c5_168x168.jpeg"},
	},
}
