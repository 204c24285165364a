package catalog

import "golang.org/x/oauth2/endpoints"

// Amazon signs in with an Amazon account (Login with Amazon).
var Amazon = &Provider{
	ID:        "amazon",
	Name:      "Amazon",
	GoName:    "Amazon",
	Type:      OAuth2,
	Docs:      "https://developer.amazon.com/docs/login-with-amazon/authorization-code-grant.html",
	Console:   "https://developer.amazon.com/loginwithamazon/console/site/lwa/overview.html",
	Endpoints: fromOAuth2(endpoints.Amazon, "https://api.amazon.com/user/profile"),
	Scopes:    []string{"profile"},
	Profile: Struct{
		Doc: "is the customer profile GET /user/profile returns (profile scope; postal_code with the postal_code scope).\n\nDocumentation: https://developer.amazon.com/docs/login-with-amazon/customer-profile.html",
		Fields: []Field{
			{Name: "UserID", JSON: "user_id", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "PostalCode", JSON: "postal_code", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("UserID"), Name: Path("Name"), Email: Path("Email")},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"user_id":"amzn1.account.K2LI23KL2LK2","email":"JohnDoe@Example.com","name":"John Doe"}`,
		Want:     User{ID: "amzn1.account.K2LI23KL2LK2", Name: "John Doe", Email: "johndoe@example.com"},
	},
}
