package catalog

// Lark signs in with a Lark (larksuite.com) account (goth's lark
// provider, which uses Feishu's hosts; point the endpoints at
// accounts.feishu.cn and open.feishu.cn for Feishu). The profile is the
// user_access_token's user, under data; the user ID is the app-scoped
// open_id, which needs no extra permission.
var Lark = &Provider{
	ID:      "lark",
	Name:    "Lark",
	GoName:  "Lark",
	Type:    OAuth2,
	Docs:    "https://open.larksuite.com/document/common-capabilities/sso/api/obtain-oauth-code",
	Console: "https://open.larksuite.com/app",
	Endpoints: Endpoints{
		Authorization: "https://accounts.larksuite.com/open-apis/authen/v1/authorize",
		Token:         "https://open.larksuite.com/open-apis/authen/v2/oauth/token",
		Userinfo:      "https://open.larksuite.com/open-apis/authen/v1/user_info",
	},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the answer of GET /open-apis/authen/v1/user_info: the user is under data.\n\nDocumentation: https://open.larksuite.com/document/server-docs/authentication-management/login-state-management/get",
		Fields: []Field{
			{Name: "Code", JSON: "code", Kind: Int},
			{Name: "Msg", JSON: "msg", Kind: String},
			{Name: "Data", JSON: "data", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "OpenID", JSON: "open_id", Kind: String},
				{Name: "UnionID", JSON: "union_id", Kind: String},
				{Name: "UserID", JSON: "user_id", Kind: String},
				{Name: "TenantKey", JSON: "tenant_key", Kind: String},
				{Name: "Name", JSON: "name", Kind: String},
				{Name: "EnName", JSON: "en_name", Kind: String},
				{Name: "AvatarURL", JSON: "avatar_url", Kind: String},
				{Name: "Email", JSON: "email", Kind: String},
				{Name: "EnterpriseEmail", JSON: "enterprise_email", Kind: String},
				{Name: "Mobile", JSON: "mobile", Kind: String},
				{Name: "EmployeeNo", JSON: "employee_no", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The e-mail address falls back to the enterprise address.",
		ID:    Path("Data.OpenID"),
		Name:  FirstOf{Path("Data.Name"), Path("Data.EnName")},
		Email: FirstOf{Path("Data.Email"), Path("Data.EnterpriseEmail")},
		Image: Path("Data.AvatarURL"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"code":0,"msg":"success","data":{"name":"Zhang San","en_name":"Zhang San","avatar_url":"https://s1-imfile.larksuitecdn.com/static-resource/v1/v2_a1b2c3d4~?image_size=72x72","avatar_thumb":"https://s1-imfile.larksuitecdn.com/static-resource/v1/v2_a1b2c3d4~?image_size=72x72","avatar_middle":"https://s1-imfile.larksuitecdn.com/static-resource/v1/v2_a1b2c3d4~?image_size=240x240","avatar_big":"https://s1-imfile.larksuitecdn.com/static-resource/v1/v2_a1b2c3d4~?image_size=640x640","open_id":"ou_caecc734c2e3328a62489fe0648c4b98779515d3","union_id":"on_d89jhsdhjsajkda7828enjdj328ydhhw3u43yjhdj","email":"ZhangSan@Example.com","enterprise_email":"zhangsan@example.larksuite.com","user_id":"5d9bdxxx","mobile":"+8613xxxxxxxxx","tenant_key":"736588c92lxf175d","employee_no":"111222333"}}`,
		Want:     User{ID: "ou_caecc734c2e3328a62489fe0648c4b98779515d3", Name: "Zhang San", Email: "zhangsan@example.com", Image: "https://s1-imfile.larksuitecdn.com/static-resource/v1/v2_a1b2c3d4~?image_size=72x72"},
	},
}
