package catalog

// DigitalOcean signs in with a DigitalOcean account.
var DigitalOcean = &Provider{
	ID:      "digitalocean",
	Name:    "DigitalOcean",
	GoName:  "DigitalOcean",
	Type:    OAuth2,
	Docs:    "https://docs.digitalocean.com/reference/api/oauth/",
	Console: "https://cloud.digitalocean.com/account/api/applications",
	Endpoints: Endpoints{
		Authorization: "https://cloud.digitalocean.com/v1/oauth/authorize",
		Token:         "https://cloud.digitalocean.com/v1/oauth/token",
		Userinfo:      "https://api.digitalocean.com/v2/account",
	},
	Scopes:     []string{"read"},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the answer of GET /v2/account: the account, in account.\n\nDocumentation: https://docs.digitalocean.com/reference/api/digitalocean/#tag/Account",
		Fields: []Field{
			{Name: "Account", JSON: "account", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "UUID", JSON: "uuid", Kind: String},
				{Name: "Name", JSON: "name", Kind: String},
				{Name: "Email", JSON: "email", Kind: String},
				{Name: "EmailVerified", JSON: "email_verified", Kind: Bool},
				{Name: "Status", JSON: "status", Kind: String},
				{Name: "Team", JSON: "team", Kind: Object, Struct: &Struct{Fields: []Field{
					{Name: "UUID", JSON: "uuid", Kind: String},
					{Name: "Name", JSON: "name", Kind: String},
				}}},
			}}},
		},
	},
	Map:           Mapping{ID: Path("Account.UUID"), Name: Path("Account.Name"), Email: Path("Account.Email")},
	EmailVerified: Verified("Account.EmailVerified"),
	Example: Example{
		Userinfo: `{"account":{"droplet_limit":25,"floating_ip_limit":5,"reserved_ip_limit":5,"volume_limit":100,"email":"Sammy@DigitalOcean.com","name":"Sammy the Shark","uuid":"b6fr89dbf6d9156cace5f3c78dc9851d957381ef","email_verified":true,"status":"active","status_message":" ","team":{"uuid":"5df3e3004a17e242b7c20ca6c9fc25b701a47ece","name":"My Team"}}}`,
		Want:     User{ID: "b6fr89dbf6d9156cace5f3c78dc9851d957381ef", Name: "Sammy the Shark", Email: "sammy@digitalocean.com", EmailVerified: true},
	},
}
