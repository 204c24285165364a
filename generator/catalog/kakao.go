package catalog

import "golang.org/x/oauth2/endpoints"

// Kakao signs in with a Kakao account. Kakao wants the client secret in
// the token request's body; the scopes are the consent items set in the
// app.
var Kakao = &Provider{
	ID:         "kakao",
	Name:       "Kakao",
	GoName:     "Kakao",
	Type:       OAuth2,
	Docs:       "https://developers.kakao.com/docs/latest/en/kakaologin/rest-api",
	Console:    "https://developers.kakao.com/console/app",
	Endpoints:  fromOAuth2(endpoints.KaKao, "https://kapi.kakao.com/v2/user/me"),
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the user Kakao returns from GET /v2/user/me; what kakao_account holds depends on the consent items.\n\nDocumentation: https://developers.kakao.com/docs/latest/en/kakaologin/rest-api#req-user-info",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: Int},
			{Name: "ConnectedAt", JSON: "connected_at", Kind: String},
			{Name: "KakaoAccount", JSON: "kakao_account", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "Profile", JSON: "profile", Kind: Object, Struct: &Struct{Fields: []Field{
					{Name: "Nickname", JSON: "nickname", Kind: String},
					{Name: "ThumbnailImageURL", JSON: "thumbnail_image_url", Kind: String},
					{Name: "ProfileImageURL", JSON: "profile_image_url", Kind: String},
					{Name: "IsDefaultImage", JSON: "is_default_image", Kind: Bool},
				}}},
				{Name: "Name", JSON: "name", Kind: String},
				{Name: "Email", JSON: "email", Kind: String},
				{Name: "IsEmailValid", JSON: "is_email_valid", Kind: Bool},
				{Name: "IsEmailVerified", JSON: "is_email_verified", Kind: Bool},
				{Name: "AgeRange", JSON: "age_range", Kind: String},
				{Name: "Gender", JSON: "gender", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The name is the profile nickname.",
		ID:    Path("ID"),
		Name:  Path("KakaoAccount.Profile.Nickname"),
		Email: Path("KakaoAccount.Email"),
		Image: Path("KakaoAccount.Profile.ProfileImageURL"),
	},
	EmailVerified: Verified("KakaoAccount.IsEmailVerified", "KakaoAccount.IsEmailValid"),
	Example: Example{
		Userinfo: `{"id":123456789,"connected_at":"2022-04-11T01:45:28Z","kakao_account":{"profile_nickname_needs_agreement":false,"profile_image_needs_agreement":false,"profile":{"nickname":"홍길동","thumbnail_image_url":"http://k.kakaocdn.net/dn/abc/img_110x110.jpg","profile_image_url":"http://k.kakaocdn.net/dn/abc/img_640x640.jpg","is_default_image":false},"name_needs_agreement":false,"name":"홍길동","email_needs_agreement":false,"is_email_valid":true,"is_email_verified":true,"email":"Sample@Sample.com","age_range_needs_agreement":false,"age_range":"20~29","gender_needs_agreement":false,"gender":"female"},"properties":{"nickname":"홍길동","profile_image":"http://k.kakaocdn.net/dn/abc/img_640x640.jpg","thumbnail_image":"http://k.kakaocdn.net/dn/abc/img_110x110.jpg"}}`,
		Want:     User{ID: "123456789", Name: "홍길동", Email: "sample@sample.com", Image: "http://k.kakaocdn.net/dn/abc/img_640x640.jpg", EmailVerified: true},
	},
}
