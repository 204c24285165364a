package catalog

import "golang.org/x/oauth2/endpoints"

// Dropbox signs in with a Dropbox account. Its profile endpoint is an RPC
// call: POST, no body.
var Dropbox = &Provider{
	ID:             "dropbox",
	Name:           "Dropbox",
	GoName:         "Dropbox",
	Type:           OAuth2,
	Docs:           "https://developers.dropbox.com/oauth-guide",
	Console:        "https://www.dropbox.com/developers/apps",
	Endpoints:      fromOAuth2(endpoints.Dropbox, "https://api.dropboxapi.com/2/users/get_current_account"),
	UserinfoMethod: "POST",
	Scopes:         []string{"account_info.read"},
	Params:         map[string]string{"token_access_type": "offline"},
	Profile: Struct{
		Doc: "is the account POST /2/users/get_current_account returns.\n\nDocumentation: https://www.dropbox.com/developers/documentation/http/documentation#users-get_current_account",
		Fields: []Field{
			{Name: "AccountID", JSON: "account_id", Kind: String},
			{Name: "Name", JSON: "name", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "GivenName", JSON: "given_name", Kind: String},
				{Name: "Surname", JSON: "surname", Kind: String},
				{Name: "FamiliarName", JSON: "familiar_name", Kind: String},
				{Name: "DisplayName", JSON: "display_name", Kind: String},
				{Name: "AbbreviatedName", JSON: "abbreviated_name", Kind: String},
			}}},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Bool},
			{Name: "Disabled", JSON: "disabled", Kind: Bool},
			{Name: "Country", JSON: "country", Kind: String},
			{Name: "Locale", JSON: "locale", Kind: String},
			{Name: "ProfilePhotoURL", JSON: "profile_photo_url", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("AccountID"), Name: Path("Name.DisplayName"), Email: Path("Email"), Image: Path("ProfilePhotoURL")},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Userinfo: `{"account_id":"dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc","account_type":{".tag":"basic"},"country":"US","disabled":false,"email":"Franz@Dropbox.com","email_verified":true,"is_paired":false,"locale":"en","name":{"abbreviated_name":"FF","display_name":"Franz Ferdinand (Personal)","familiar_name":"Franz","given_name":"Franz","surname":"Ferdinand"},"profile_photo_url":"https://dl-web.dropbox.com/account_photo/get/dbaphid%3AAAHWGmIXV3sUuOmBfTz0wPsiqHUpBWvv3ZA?vers=1556069330102&size=128x128","referral_link":"https://db.tt/ZITNuhtI","root_info":{".tag":"user","home_namespace_id":"3235641","root_namespace_id":"3235641"},"team_member_id":"dbmid:AAHhy7WsR0x-u4ZCqiDl5Fz5zvuL3kmspwU"}`,
		Want:     User{ID: "dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc", Name: "Franz Ferdinand (Personal)", Email: "franz@dropbox.com", Image: "https://dl-web.dropbox.com/account_photo/get/dbaphid%3AAAHWGmIXV3sUuOmBfTz0wPsiqHUpBWvv3ZA?vers=1556069330102&size=128x128", EmailVerified: true},
	},
}
