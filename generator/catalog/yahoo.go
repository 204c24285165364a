package catalog

// Yahoo signs in with a Yahoo account (OpenID Connect; goth's yahoo
// provider reads the same userinfo endpoint, fetched here too).
var Yahoo = &Provider{
	ID:            "yahoo",
	Name:          "Yahoo",
	GoName:        "Yahoo",
	Type:          OIDC,
	Docs:          "https://developer.yahoo.com/oauth2/guide/openid_connect/",
	Console:       "https://developer.yahoo.com/apps/",
	Issuer:        "https://api.login.yahoo.com",
	FetchUserinfo: true,
	Scopes:        []string{"openid", "profile", "email"},
	Profile:       standardClaims("holds the claims of a Yahoo ID token, completed by the userinfo endpoint.\n\nDocumentation: https://developer.yahoo.com/oauth2/guide/openid_connect/decode_id_token.html"),
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims:   `{"sub":"FSVIDUW3D7FSVIDUW3D72F2F","name":"Jasmine Smith","given_name":"Jasmine","family_name":"Smith","nickname":"Jasmine","email":"Jasmine.Smith@Yahoo.com","email_verified":true,"locale":"en-US"}`,
		Userinfo: `{"sub":"FSVIDUW3D7FSVIDUW3D72F2F","name":"Jasmine Smith","given_name":"Jasmine","family_name":"Smith","nickname":"Jasmine","locale":"en-US","email":"Jasmine.Smith@Yahoo.com","email_verified":true,"picture":"https://s.yimg.com/ag/images/4564/36379558862_6f5e3e_192sq.jpg","profile_images":{"image32":"https://s.yimg.com/ag/images/4564/36379558862_6f5e3e_32sq.jpg"}}`,
		Want:     User{ID: "FSVIDUW3D7FSVIDUW3D72F2F", Name: "Jasmine Smith", Email: "jasmine.smith@yahoo.com", Image: "https://s.yimg.com/ag/images/4564/36379558862_6f5e3e_192sq.jpg", EmailVerified: true},
	},
}
