package catalog

// BankIDNorway signs in with BankID (Norway) through its OpenID Connect
// service. The profile comes from the ID token: BankID's userinfo answers
// with a signed JWT (and offers the e-mail address only as an experimental,
// consented extra), so it is not read.
var BankIDNorway = &Provider{
	ID:         "bankid-no",
	Name:       "BankID Norge",
	GoName:     "BankIDNorway",
	Type:       OIDC,
	Docs:       "https://confluence.bankidnorge.no/confluence/pdoidcl",
	Issuer:     "https://auth.bankid.no/auth/realms/prod",
	Scopes:     []string{"openid", "profile"},
	Params:     map[string]string{"ui_locales": "no", "login_hint": "BIS"},
	Checks:     []string{"pkce", "state", "nonce"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "holds the claims of a BankID ID token.\n\nDocumentation: https://confluence.bankidnorge.no/confluence/pdoidcl/technical-documentation/tokens/id-token",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "GivenName", JSON: "given_name", Kind: String},
			{Name: "FamilyName", JSON: "family_name", Kind: String},
			{Name: "Birthdate", JSON: "birthdate", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "Amr", JSON: "amr", Kind: Flex},
			{Name: "BankIDAltsub", JSON: "bankid_altsub", Kind: String},
			{Name: "NNINAltsub", JSON: "nnin_altsub", Kind: String},
			{Name: "Originator", JSON: "originator", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("Sub"), Name: Path("Name"), Email: Path("Email")},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Claims: `{"sub":"4c8e6f1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b","typ":"ID","azp":"example-client","auth_time":1716201600,"session_state":"5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e","acr":"urn:bankid:bid;LOA=4","amr":"BID","name":"Nordmann, Ola","given_name":"Ola","family_name":"Nordmann","birthdate":"1986-02-18","updated_at":1716201600,"bankid_altsub":"9578-6000-4-365161","originator":"CN=BankID - TestBank1 - Bank CA 3,OU=123456789,O=TestBank1 AS,C=NO","tid":"bankid","nnin_altsub":"18028612345"}`,
		Want:   User{ID: "4c8e6f1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b", Name: "Nordmann, Ola"},
	},
}
