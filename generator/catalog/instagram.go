package catalog

import "golang.org/x/oauth2/endpoints"

// Instagram signs in with an Instagram professional (business or creator)
// account through the Instagram API with Instagram Login; the Basic
// Display API Auth.js used for personal accounts was retired in December
// 2024. Instagram wants the client secret in the token request's body and
// shares no e-mail address.
var Instagram = &Provider{
	ID:         "instagram",
	Name:       "Instagram",
	GoName:     "Instagram",
	Type:       OAuth2,
	Docs:       "https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login",
	Console:    "https://developers.facebook.com/apps/",
	Endpoints:  fromOAuth2(endpoints.Instagram, "https://graph.instagram.com/me?fields=id,user_id,username,name,account_type,profile_picture_url"),
	Scopes:     []string{"instagram_business_basic"},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the user Instagram's Graph API returns from GET /me with the fields named in the query.\n\nDocumentation: https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/get-started#fields",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "UserID", JSON: "user_id", Kind: String},
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "AccountType", JSON: "account_type", Kind: String},
			{Name: "ProfilePictureURL", JSON: "profile_picture_url", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name is the username, as in Auth.js.",
		ID:    Path("ID"),
		Name:  Path("Username"),
		Image: Path("ProfilePictureURL"),
	},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Userinfo: `{"id":"7590394274337316","user_id":"17841405822304914","username":"ada.lovelace","name":"Ada Lovelace","account_type":"Business","profile_picture_url":"https://scontent.cdninstagram.com/v/t51.2885-19/ada.jpg"}`,
		Want:     User{ID: "7590394274337316", Name: "ada.lovelace", Image: "https://scontent.cdninstagram.com/v/t51.2885-19/ada.jpg"},
	},
}
