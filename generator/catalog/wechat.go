package catalog

// WeChat signs in with a WeChat account through a Website App's QR code
// login (Auth.js's platformType "WebsiteApp"; Auth.js's default, an
// Official Account's login inside WeChat's own browser, takes
// AUTH_WECHAT_AUTHORIZATION_URL=https://open.weixin.qq.com/connect/oauth2/authorize
// and the sign-in parameter scope=snsapi_userinfo). WeChat names the
// client ID appid (Params sends it besides client_id); its token request
// is a GET with appid and secret in the query, which oauth.WeChatToken
// makes; and the userinfo request wants the access token and the token
// response's openid in its query. WeChat does not support PKCE.
var WeChat = &Provider{
	ID:      "wechat",
	Name:    "WeChat",
	GoName:  "WeChat",
	Type:    OAuth2,
	Docs:    "https://developers.weixin.qq.com/doc/oplatform/Website_App/WeChat_Login/Wechat_Login.html",
	Console: "https://open.weixin.qq.com/",
	Endpoints: Endpoints{
		Authorization: "https://open.weixin.qq.com/connect/qrconnect",
		Token:         "https://api.weixin.qq.com/sns/oauth2/access_token",
		Userinfo:      "https://api.weixin.qq.com/sns/userinfo?access_token={access_token}&openid={token.openid}",
	},
	Scopes:        []string{"snsapi_login"},
	Params:        map[string]string{"appid": "{client_id}"},
	TokenExchange: "WeChatToken",
	Checks:        []string{"state"},
	Profile: Struct{
		Doc: "is the user WeChat returns from /sns/userinfo.\n\nDocumentation: https://developers.weixin.qq.com/doc/oplatform/Website_App/WeChat_Login/Authorized_Interface_Calling_UnionID.html",
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
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Token:    `{"openid":"oLVPpjqs9BhvzwPj5A-vTYAX3GLc","scope":"snsapi_login","unionid":"o6_bmasdasdsad6_2sgVt7hMZOPfL"}`,
		Userinfo: `{"openid":"oLVPpjqs9BhvzwPj5A-vTYAX3GLc","nickname":"小明","sex":1,"province":"广东","city":"广州","country":"中国","headimgurl":"https://thirdwx.qlogo.cn/mmopen/g3MonUZtNHkdmzicIlibx6iaFqAc56vxLSUfpb6n5WKSYVY0ChQKkiaJSgQ1dZuTOgvLLrhJbERQQ4eMsv84eavHiaiceqxibJxCfHe/46","privilege":[],"unionid":"o6_bmasdasdsad6_2sgVt7hMZOPfL"}`,
		Want:     User{ID: "o6_bmasdasdsad6_2sgVt7hMZOPfL", Name: "小明", Image: "https://thirdwx.qlogo.cn/mmopen/g3MonUZtNHkdmzicIlibx6iaFqAc56vxLSUfpb6n5WKSYVY0ChQKkiaJSgQ1dZuTOgvLLrhJbERQQ4eMsv84eavHiaiceqxibJxCfHe/46"},
	},
}
