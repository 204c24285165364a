package catalog

// Zitadel signs in with ZITADEL (OpenID Connect), cloud or self-hosted;
// the issuer is the instance's domain.
var Zitadel = &Provider{
	ID:            "zitadel",
	Name:          "ZITADEL",
	GoName:        "Zitadel",
	Type:          OIDC,
	Docs:          "https://zitadel.com/docs/guides/integrate/login/oidc",
	IssuerExample: "https://<instance>.zitadel.cloud",
	Scopes:        []string{"openid", "profile", "email"},
	Profile: Struct{
		Doc: "holds the claims of a ZITADEL ID token.\n\nDocumentation: https://zitadel.com/docs/apis/openidoauth/claims",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "GivenName", JSON: "given_name", Kind: String},
			{Name: "FamilyName", JSON: "family_name", Kind: String},
			{Name: "Nickname", JSON: "nickname", Kind: String},
			{Name: "PreferredUsername", JSON: "preferred_username", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Flex},
			{Name: "Picture", JSON: "picture", Kind: String},
			{Name: "Locale", JSON: "locale", Kind: String},
			{Name: "Gender", JSON: "gender", Kind: String},
			{Name: "Phone", JSON: "phone", Kind: String},
			{Name: "PhoneVerified", JSON: "phone_verified", Kind: Flex},
		},
	},
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"77776025198584418","name":"Road Runner","given_name":"Road","family_name":"Runner","nickname":"Beep","preferred_username":"road.runner@acme.zitadel.cloud","email":"Road.Runner@Acme.ch","email_verified":true,"locale":"en","gender":"diverse","picture":"https://acme.zitadel.cloud/assets/v1/avatar/77776025198584418"}`,
		Want:   User{ID: "77776025198584418", Name: "Road Runner", Email: "road.runner@acme.ch", Image: "https://acme.zitadel.cloud/assets/v1/avatar/77776025198584418", EmailVerified: true},
	},
}
