package catalog

// WeCom signs in an enterprise WeChat (WeCom) member with the web login
// (goth's wecom provider). WeCom's login is not a standard code exchange:
// the code is resolved with the corp's own access token (gettoken with
// corpid and corpsecret) to a member ID, whose details /user/get returns.
var WeCom = &Provider{
	ID:      "wecom",
	Name:    "WeCom",
	GoName:  "WeCom",
	Type:    OAuth2,
	Docs:    "https://developer.work.weixin.qq.com/document/path/98152",
	Console: "https://work.weixin.qq.com/wework_admin/frame#apps",
	Endpoints: Endpoints{
		Authorization: "https://login.work.weixin.qq.com/wwlogin/sso/login",
		Token:         "https://qyapi.weixin.qq.com/cgi-bin/gettoken",
		Userinfo:      "https://qyapi.weixin.qq.com/cgi-bin/user/get",
	},
	Checks: []string{"state"},
	Profile: Struct{
		Doc: "is the member WeCom returns from /cgi-bin/user/get.\n\nDocumentation: https://developer.work.weixin.qq.com/document/path/90196",
		Fields: []Field{
			{Name: "ErrCode", JSON: "errcode", Kind: Int},
			{Name: "ErrMsg", JSON: "errmsg", Kind: String},
			{Name: "UserID", JSON: "userid", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Alias", JSON: "alias", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "BizMail", JSON: "biz_mail", Kind: String},
			{Name: "Avatar", JSON: "avatar", Kind: String},
			{Name: "Position", JSON: "position", Kind: String},
			{Name: "Address", JSON: "address", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The e-mail address is the member's, else their business mailbox.",
		ID:    Path("UserID"),
		Name:  Path("Name"),
		Email: FirstOf{Path("Email"), Path("BizMail")},
		Image: Path("Avatar"),
	},
	Example: Example{
		Userinfo: `{"errcode":0,"errmsg":"ok","userid":"zhangsan","name":"张三","department":[1,2],"position":"后台工程师","gender":"1","email":"ZhangSan@Example.com","biz_mail":"zhangsan@tencent.onexmail.com","avatar":"https://wework.qpic.cn/wwhead/duc2TvpEgSSjibPZlNR6chpx9W3dtd9Ogp8XEmSNKGa6uufMWn2239HUPuwIFoYYZ7Ph580FPvo8/0","alias":"jackzhang","status":1,"address":"广州市海珠区新港中路"}`,
		Want:     User{ID: "zhangsan", Name: "张三", Email: "zhangsan@example.com", Image: "https://wework.qpic.cn/wwhead/duc2TvpEgSSjibPZlNR6chpx9W3dtd9Ogp8XEmSNKGa6uufMWn2239HUPuwIFoYYZ7Ph580FPvo8/0"},
	},
}
