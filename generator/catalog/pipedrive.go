package catalog

import "golang.org/x/oauth2/endpoints"

// Pipedrive signs in with a Pipedrive account (a Marketplace app).
var Pipedrive = &Provider{
	ID:        "pipedrive",
	Name:      "Pipedrive",
	GoName:    "Pipedrive",
	Type:      OAuth2,
	Docs:      "https://pipedrive.readme.io/docs/marketplace-oauth-authorization",
	Console:   "https://app.pipedrive.com/developer-hub",
	Endpoints: fromOAuth2(endpoints.Pipedrive, "https://api.pipedrive.com/v1/users/me"),
	Checks:    []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is the answer of GET /v1/users/me: the user, within the company the token is bound to, under data.\n\nDocumentation: https://developers.pipedrive.com/docs/api/v1/Users#getCurrentUser",
		Fields: []Field{
			{Name: "Success", JSON: "success", Kind: Bool},
			{Name: "Data", JSON: "data", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "ID", JSON: "id", Kind: Int},
				{Name: "Name", JSON: "name", Kind: String},
				{Name: "Email", JSON: "email", Kind: String},
				{Name: "IconURL", JSON: "icon_url", Kind: String},
				{Name: "Locale", JSON: "locale", Kind: String},
				{Name: "TimezoneName", JSON: "timezone_name", Kind: String},
				{Name: "CompanyID", JSON: "company_id", Kind: Int},
				{Name: "CompanyName", JSON: "company_name", Kind: String},
				{Name: "CompanyDomain", JSON: "company_domain", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		ID:    Path("Data.ID"),
		Name:  Path("Data.Name"),
		Email: Path("Data.Email"),
		Image: Path("Data.IconURL"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"success":true,"data":{"id":777,"name":"James Bond","default_currency":"USD","locale":"en_US","lang":1,"email":"James.Bond@example.com","phone":null,"activated":true,"last_login":"2017-12-18 08:43:13","created":"2017-11-08 12:00:22","modified":"2017-12-18 08:43:13","has_created_company":true,"is_admin":1,"timezone_name":"Europe/Helsinki","timezone_offset":"+02:00","active_flag":true,"role_id":1,"icon_url":"https://d3myhnqlqw2314.cloudfront.net/profile_120x120_622732_a30ce0fa4cb31e36aa1ee42f1bc271d9.jpg","is_you":true,"company_id":1,"company_name":"MI6","company_domain":"casinoroyale","company_country":"EE","company_industry":"Software, App Development","language":{"language_code":"en","country_code":"US"}}}`,
		Want:     User{ID: "777", Name: "James Bond", Email: "james.bond@example.com", Image: "https://d3myhnqlqw2314.cloudfront.net/profile_120x120_622732_a30ce0fa4cb31e36aa1ee42f1bc271d9.jpg"},
	},
}
