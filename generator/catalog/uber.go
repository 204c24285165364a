package catalog

import "golang.org/x/oauth2/endpoints"

// Uber signs in with an Uber rider account (goth's uber provider).
var Uber = &Provider{
	ID:        "uber",
	Name:      "Uber",
	GoName:    "Uber",
	Type:      OAuth2,
	Docs:      "https://developer.uber.com/docs/riders/guides/authentication/user-access-token",
	Console:   "https://developer.uber.com/dashboard",
	Endpoints: fromOAuth2(endpoints.Uber, "https://api.uber.com/v1.2/me"),
	Scopes:    []string{"profile"},
	Checks:    []string{"state"},
	Profile: Struct{
		Doc: "is the rider Uber returns from GET /v1.2/me.\n\nDocumentation: https://developer.uber.com/docs/riders/references/api/v1.2/me-get",
		Fields: []Field{
			{Name: "UUID", JSON: "uuid", Kind: String},
			{Name: "RiderID", JSON: "rider_id", Kind: String},
			{Name: "FirstName", JSON: "first_name", Kind: String},
			{Name: "LastName", JSON: "last_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "Picture", JSON: "picture", Kind: String},
			{Name: "MobileVerified", JSON: "mobile_verified", Kind: Bool},
		},
	},
	Map: Mapping{
		Doc:   "The name is \"first_name last_name\".",
		ID:    Path("UUID"),
		Name:  Join{Sep: " ", Parts: []Expr{Path("FirstName"), Path("LastName")}},
		Email: Path("Email"),
		Image: Path("Picture"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"picture":"https://d1w2poirtb3as9.cloudfront.net/f3be498cb0bbf570aa3d.jpeg","first_name":"Uber","last_name":"Developer","uuid":"f4a416e3-6016-4623-8ec9-d5ee105a6e27","rider_id":"8OlTlUG1TyeAQf1JiBZZdkKxuSSOUwu2IkO0Hf9d2HV52Pm25A0NvsbmbnZr85tLVi-s8CckpBK8Eq0Nke4X-no3AcSHfeVh6J5O6LiQt5LsBZDSi4qyVUdSLeYDnTtirw==","email":"UberDevelopers@Example.com","mobile_verified":true,"promo_code":"uberd340ue"}`,
		Want:     User{ID: "f4a416e3-6016-4623-8ec9-d5ee105a6e27", Name: "Uber Developer", Email: "uberdevelopers@example.com", Image: "https://d1w2poirtb3as9.cloudfront.net/f3be498cb0bbf570aa3d.jpeg"},
	},
}
