package catalog

import "golang.org/x/oauth2/endpoints"

// PayPal is Log in with PayPal (goth's paypal provider). The profile is the
// OpenID schema of PayPal's identity userinfo endpoint.
var PayPal = &Provider{
	ID:        "paypal",
	Name:      "PayPal",
	GoName:    "PayPal",
	Type:      OAuth2,
	Docs:      "https://developer.paypal.com/docs/log-in-with-paypal/",
	Console:   "https://developer.paypal.com/dashboard/applications/live",
	Endpoints: fromOAuth2(endpoints.PayPal, "https://api.paypal.com/v1/identity/openidconnect/userinfo?schema=openid"),
	Scopes:    []string{"openid", "profile", "email"},
	Checks:    []string{"state"},
	Profile: Struct{
		Doc: "is the user PayPal returns from GET /v1/identity/openidconnect/userinfo?schema=openid.\n\nDocumentation: https://developer.paypal.com/docs/api/identity/v1/#userinfo_get",
		Fields: []Field{
			{Name: "UserID", JSON: "user_id", Kind: String},
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "GivenName", JSON: "given_name", Kind: String},
			{Name: "FamilyName", JSON: "family_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Flex},
			{Name: "VerifiedAccount", JSON: "verified_account", Kind: Flex},
			{Name: "PayerID", JSON: "payer_id", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The account is PayPal's user_id, an identity URL (as in goth).",
		ID:    FirstOf{Path("UserID"), Path("Sub")},
		Name:  FirstOf{Path("Name"), Join{Sep: " ", Parts: []Expr{Path("GivenName"), Path("FamilyName")}}},
		Email: Path("Email"),
	},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Userinfo: `{"user_id":"https://www.paypal.com/webapps/auth/identity/user/mWq6_1sU85v5EG9yHdPxJRrhGHrnMJ-1PQKtX6pcsmA","sub":"https://www.paypal.com/webapps/auth/identity/user/mWq6_1sU85v5EG9yHdPxJRrhGHrnMJ-1PQKtX6pcsmA","name":"identity test","given_name":"identity","family_name":"test","payer_id":"WDJJHEBZ4X2LY","email":"User1@Example.com","email_verified":true,"verified_account":"true"}`,
		Want:     User{ID: "https://www.paypal.com/webapps/auth/identity/user/mWq6_1sU85v5EG9yHdPxJRrhGHrnMJ-1PQKtX6pcsmA", Name: "identity test", Email: "user1@example.com", EmailVerified: true},
	},
}
