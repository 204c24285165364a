package catalog

// WeChat signs in with a WeChat account through an Official Account's web
// authorization (Auth.js's default platform type; a Website App uses
// https://open.weixin.qq.com/connect/qrconnect with scope snsapi_login).
// WeChat names the client ID appid and the secret secret, and wants the
// access token and openid as query parameters of the userinfo request.
var WeChat = &Provider{
	ID:      "wechat",
	Name:    "WeChat",
	GoName:  "WeChat",
	Type:    OAuth2,
	Docs:    "https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html",
	Console: "https://mp.weixin.qq.com/",
	Endpoints: Endpoints{
		Authorization: "https://open.weixin.qq.com/connect/oauth2/authorize",
		Token:         "https://api.weixin.qq.com/sns/oauth2/access_token",
		Userinfo:      "https://api.weixin.qq.com/sns/userinfo?lang=zh_CN",
	},
	Scopes:     []string{"snsapi_userinfo"},
	Checks:     []string{"state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the user WeChat returns from /sns/userinfo.\n\nDocumentation: https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html",
		Fields: []Field{
			{Name: "OpenID", JSON: "openid", Kind: String},
			{Name: "UnionID", JSON: "unionid", Kind: String},
			{Name: "Nickname", JSON: "nickname", Kind: String},
			{Name: "Sex", JSON: "sex", Kind: Int},
			{Name: "Province", JSON: "province", Kind: String},
			{Name: "City", JSON: "city", Kind: String},
			{Name: "Country", JSON: "country", Kind: String},
			{Name: "HeadImgURL", JSON: "headimgurl", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The account is the UnionID (as in Auth.js), or the OpenID when the app is not bound to an Open Platform account; WeChat shares no e-mail address.",
		ID:    FirstOf{Path("UnionID"), Path("OpenID")},
		Name:  Path("Nickname"),
		Image: Path("HeadImgURL"),
	},
	Example: Example{
		Userinfo: `{"openid":"oLVPpjqs9BhvzwPj5A-vTYAX3GLc","nickname":"小明","sex":1,"province":"广东","city":"广州","country":"中国","headimgurl":"https://thirdwx.qlogo.cn/mmopen/g3MonUZtNHkdmzicIlibx6iaFqAc56vxLSUfpb6n5WKSYVY0ChQKkiaJSgQ1dZuTOgvLLrhJbERQQ4eMsv84eavHiaiceqxibJxCfHe/46","privilege":[],"unionid":"o6_bmasdasdsad6_2sgVt7hMZOPfL"}`,
		Want:     User{ID: "o6_bmasdasdsad6_2sgVt7hMZOPfL", Name: "小明", Image: "https://thirdwx.qlogo.cn/mmopen/g3MonUZtNHkdmzicIlibx6iaFqAc56vxLSUfpb6n5WKSYVY0ChQKkiaJSgQ1dZuTOgvLLrhJbERQQ4eMsv84eavHiaiceqxibJxCfHe/46"},
	},
}
