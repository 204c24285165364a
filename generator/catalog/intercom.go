package catalog

// Intercom signs in an Intercom teammate (admin) (goth's intercom
// provider). Intercom wants the client secret in the token request's body
// and supports no PKCE.
var Intercom = &Provider{
	ID:      "intercom",
	Name:    "Intercom",
	GoName:  "Intercom",
	Type:    OAuth2,
	Docs:    "https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/setting-up-oauth",
	Console: "https://app.intercom.com/a/apps/_/developer-hub",
	Endpoints: Endpoints{
		Authorization: "https://app.intercom.com/oauth",
		Token:         "https://api.intercom.io/auth/eagle/token",
		Userinfo:      "https://api.intercom.io/me",
	},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the admin Intercom returns from GET /me.\n\nDocumentation: https://developers.intercom.com/docs/references/rest-api/api.intercom.io/admins/identifyadmin",
		Fields: []Field{
			{Name: "Type", JSON: "type", Kind: String},
			{Name: "ID", JSON: "id", Kind: Flex},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Bool},
			{Name: "Avatar", JSON: "avatar", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "ImageURL", JSON: "image_url", Kind: String},
			}}},
			{Name: "App", JSON: "app", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "IDCode", JSON: "id_code", Kind: String},
				{Name: "Name", JSON: "name", Kind: String},
				{Name: "Region", JSON: "region", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		ID:    Path("ID"),
		Name:  Path("Name"),
		Email: Path("Email"),
		Image: Path("Avatar.ImageURL"),
	},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Userinfo: `{"type":"admin","id":"1295","email":"Wash@Serenity.io","name":"Hoban Washburne","email_verified":true,"app":{"type":"app","id_code":"xyz789","name":"Serenity","created_at":1700000000,"secure":false,"identity_verification":false,"timezone":"America/Los_Angeles","region":"US"},"avatar":{"type":"avatar","image_url":"https://static.intercomassets.com/avatars/1295/square_128/wash.jpg"},"has_inbox_seat":true}`,
		Want:     User{ID: "1295", Name: "Hoban Washburne", Email: "wash@serenity.io", Image: "https://static.intercomassets.com/avatars/1295/square_128/wash.jpg", EmailVerified: true},
	},
}
