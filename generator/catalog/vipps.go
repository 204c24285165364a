package catalog

// Vipps is Vipps MobilePay Login (OpenID Connect). As in Auth.js the
// userinfo endpoint is read too; set AUTH_VIPPS_ISSUER to
// https://apitest.vipps.no/access-management-1.0/access/ for the test
// environment.
var Vipps = &Provider{
	ID:            "vipps",
	Name:          "Vipps",
	GoName:        "Vipps",
	Type:          OIDC,
	Docs:          "https://developer.vippsmobilepay.com/docs/APIs/login-api/api-guide/",
	Console:       "https://portal.vippsmobilepay.com/",
	Issuer:        "https://api.vipps.no/access-management-1.0/access/",
	FetchUserinfo: true,
	Scopes:        []string{"openid", "name", "email"},
	Checks:        []string{"pkce", "state", "nonce"},
	Profile: Struct{
		Doc: "holds the claims of a Vipps ID token, completed by the userinfo endpoint with the consented scopes.\n\nDocumentation: https://developer.vippsmobilepay.com/api/userinfo/",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "Sid", JSON: "sid", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "GivenName", JSON: "given_name", Kind: String},
			{Name: "FamilyName", JSON: "family_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Flex},
			{Name: "PhoneNumber", JSON: "phone_number", Kind: String},
			{Name: "Birthdate", JSON: "birthdate", Kind: String},
			{Name: "Address", JSON: "address", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "AddressType", JSON: "address_type", Kind: String},
				{Name: "Formatted", JSON: "formatted", Kind: String},
				{Name: "StreetAddress", JSON: "street_address", Kind: String},
				{Name: "PostalCode", JSON: "postal_code", Kind: String},
				{Name: "Region", JSON: "region", Kind: String},
				{Name: "Country", JSON: "country", Kind: String},
			}}},
		},
	},
	Map:           Mapping{ID: Path("Sub"), Name: Path("Name"), Email: Path("Email")},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims:   `{"sub":"c06c4afe-d9e1-4c5d-939a-177d752a0944","sid":"7d78a726-af92-499e-b857-de263ef9a969","auth_time":1700000000,"amr":["PWD"]}`,
		Userinfo: `{"sub":"c06c4afe-d9e1-4c5d-939a-177d752a0944","sid":"7d78a726-af92-499e-b857-de263ef9a969","name":"Ada Lovelace","given_name":"Ada","family_name":"Lovelace","email":"Ada.Lovelace@Example.no","email_verified":true}`,
		Want:     User{ID: "c06c4afe-d9e1-4c5d-939a-177d752a0944", Name: "Ada Lovelace", Email: "ada.lovelace@example.no", EmailVerified: true},
	},
}
