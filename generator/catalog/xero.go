package catalog

// Xero is Sign in with Xero (OpenID Connect). goth's xero provider used
// the retired OAuth 1.0a API.
var Xero = &Provider{
	ID:      "xero",
	Name:    "Xero",
	GoName:  "Xero",
	Type:    OIDC,
	Docs:    "https://developer.xero.com/documentation/guides/oauth2/sign-in",
	Console: "https://developer.xero.com/app/manage",
	Issuer:  "https://identity.xero.com",
	Scopes:  []string{"openid", "profile", "email"},
	Profile: Struct{
		Doc: "holds the claims of a Xero ID token.\n\nDocumentation: https://developer.xero.com/documentation/guides/oauth2/sign-in",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "XeroUserID", JSON: "xero_userid", Kind: String},
			{Name: "GlobalSessionID", JSON: "global_session_id", Kind: String},
			{Name: "PreferredUsername", JSON: "preferred_username", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "GivenName", JSON: "given_name", Kind: String},
			{Name: "FamilyName", JSON: "family_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name is \"given_name family_name\" unless a name claim is sent.",
		ID:    Path("Sub"),
		Name:  FirstOf{Path("Name"), Join{Sep: " ", Parts: []Expr{Path("GivenName"), Path("FamilyName")}}, Path("PreferredUsername")},
		Email: Path("Email"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Claims: `{"sub":"a3a4dbaf5a1b4d7cbd8b6f5e0c3e6c71","auth_time":1589361892,"xero_userid":"1945393b-6eb7-4143-b083-7ab26cd7690b","global_session_id":"ac2202575e824af3a181c50fcaa65c3c","preferred_username":"John.Smith@Example.com","email":"John.Smith@Example.com","given_name":"John","family_name":"Smith","amr":["pwd"]}`,
		Want:   User{ID: "a3a4dbaf5a1b4d7cbd8b6f5e0c3e6c71", Name: "John Smith", Email: "john.smith@example.com"},
	},
}
