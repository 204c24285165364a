package catalog

// Salesforce signs in with a Salesforce account (OpenID Connect). As in
// Auth.js the userinfo endpoint is read too; set AUTH_SALESFORCE_ISSUER for
// a sandbox (https://test.salesforce.com) or a My Domain login URL.
var Salesforce = &Provider{
	ID:            "salesforce",
	Name:          "Salesforce",
	GoName:        "Salesforce",
	Type:          OIDC,
	Docs:          "https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm",
	Issuer:        "https://login.salesforce.com",
	FetchUserinfo: true,
	Scopes:        []string{"openid", "profile", "email"},
	Checks:        []string{"pkce", "state", "nonce"},
	Profile: Struct{
		Doc: "holds the claims of a Salesforce ID token, completed by the userinfo endpoint. The subject is the user's identity URL.\n\nDocumentation: https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_userinfo_endpoint.htm",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "UserID", JSON: "user_id", Kind: String},
			{Name: "OrganizationID", JSON: "organization_id", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "GivenName", JSON: "given_name", Kind: String},
			{Name: "FamilyName", JSON: "family_name", Kind: String},
			{Name: "Nickname", JSON: "nickname", Kind: String},
			{Name: "PreferredUsername", JSON: "preferred_username", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Flex},
			{Name: "Picture", JSON: "picture", Kind: String},
			{Name: "Locale", JSON: "locale", Kind: String},
			{Name: "Zoneinfo", JSON: "zoneinfo", Kind: String},
		},
	},
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims:   `{"sub":"https://login.salesforce.com/id/00D5e000000GxHqEAK/0055e000003VnKpAAK","name":"Ada Lovelace","given_name":"Ada","family_name":"Lovelace","nickname":"ada","preferred_username":"ada@example.com","email":"Ada@Example.com","email_verified":true,"picture":"https://example.my.salesforce.com/profilephoto/005/F","zoneinfo":"Europe/London","locale":"en_GB"}`,
		Userinfo: `{"sub":"https://login.salesforce.com/id/00D5e000000GxHqEAK/0055e000003VnKpAAK","user_id":"0055e000003VnKpAAK","organization_id":"00D5e000000GxHqEAK","preferred_username":"ada@example.com","nickname":"ada","name":"Ada Lovelace","email":"Ada@Example.com","email_verified":true,"given_name":"Ada","family_name":"Lovelace","zoneinfo":"Europe/London","photos":{"picture":"https://example.my.salesforce.com/profilephoto/005/F","thumbnail":"https://example.my.salesforce.com/profilephoto/005/T"},"profile":"https://example.my.salesforce.com/0055e000003VnKpAAK","picture":"https://example.my.salesforce.com/profilephoto/005/F","active":true,"user_type":"STANDARD","language":"en_US","locale":"en_GB","utcOffset":0,"updated_at":"2024-03-01T10:00:00Z"}`,
		Want:     User{ID: "https://login.salesforce.com/id/00D5e000000GxHqEAK/0055e000003VnKpAAK", Name: "Ada Lovelace", Email: "ada@example.com", Image: "https://example.my.salesforce.com/profilephoto/005/F", EmailVerified: true},
	},
}
