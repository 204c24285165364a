package catalog

import "golang.org/x/oauth2/endpoints"

// Yandex signs in with a Yandex ID. Yandex ID's user information wants
// the token as "Authorization: OAuth <token>".
var Yandex = &Provider{
	ID:             "yandex",
	Name:           "Yandex",
	GoName:         "Yandex",
	Type:           OAuth2,
	Docs:           "https://yandex.com/dev/id/doc/en/codes/code-url",
	Console:        "https://oauth.yandex.com/client/new",
	Endpoints:      fromOAuth2(endpoints.Yandex, "https://login.yandex.ru/info?format=json"),
	Scopes:         []string{"login:info", "login:email", "login:avatar"},
	UserinfoHeader: map[string]string{"Authorization": "OAuth {access_token}"},
	Profile: Struct{
		Doc: "is the user Yandex ID returns from GET https://login.yandex.ru/info (its emails, a list of strings, are read by oauth.PrimaryEmail).\n\nDocumentation: https://yandex.com/dev/id/doc/en/user-information",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Login", JSON: "login", Kind: String},
			{Name: "ClientID", JSON: "client_id", Kind: String},
			{Name: "Psuid", JSON: "psuid", Kind: String},
			{Name: "DisplayName", JSON: "display_name", Kind: String},
			{Name: "RealName", JSON: "real_name", Kind: String},
			{Name: "FirstName", JSON: "first_name", Kind: String},
			{Name: "LastName", JSON: "last_name", Kind: String},
			{Name: "DefaultEmail", JSON: "default_email", Kind: String},
			{Name: "DefaultAvatarID", JSON: "default_avatar_id", Kind: String},
			{Name: "IsAvatarEmpty", JSON: "is_avatar_empty", Kind: Bool},
			{Name: "Sex", JSON: "sex", Kind: String},
			{Name: "Birthday", JSON: "birthday", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name is the display name, else the real name, else the first name; the e-mail address is the default one, else the first of emails. The image is the 200×200 avatar (Yandex's placeholder when is_avatar_empty).",
		ID:    Path("ID"),
		Name:  FirstOf{Path("DisplayName"), Path("RealName"), Path("FirstName")},
		Email: Path("DefaultEmail"),
		Image: Format{Format: "https://avatars.yandex.net/get-yapic/%s/islands-200", Args: []Expr{Path("DefaultAvatarID")}},
	},
	ProfileWrap:   "PrimaryEmail",
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"first_name":"Иван","last_name":"Иванов","display_name":"ivan","emails":["ivan@yandex.ru","Test@Yandex.ru"],"default_email":"Test@Yandex.ru","default_phone":{"id":12345678,"number":"+79037659418"},"real_name":"Иван Иванов","is_avatar_empty":false,"birthday":"1987-03-12","default_avatar_id":"131652443","login":"ivan","old_social_login":"uid-mmzxrnry","sex":"male","id":"1000034426","client_id":"4760187d81bc4b7799476b42b5103713","psuid":"1.AAceCw.tbHgw5DtJ9_zeqPrk-Ba2w.qPWSRC5v2t2IaksPJgnge"}`,
		Want:     User{ID: "1000034426", Name: "ivan", Email: "test@yandex.ru", Image: "https://avatars.yandex.net/get-yapic/131652443/islands-200"},
	},
}
