package catalog

import "golang.org/x/oauth2/endpoints"

// Coinbase signs in with a Coinbase account.
var Coinbase = &Provider{
	ID:        "coinbase",
	Name:      "Coinbase",
	GoName:    "Coinbase",
	Type:      OAuth2,
	Docs:      "https://docs.cdp.coinbase.com/coinbase-app/oauth2-integration/overview",
	Console:   "https://portal.cdp.coinbase.com/",
	Endpoints: fromOAuth2(endpoints.Coinbase, "https://api.coinbase.com/v2/user"),
	Scopes:    []string{"wallet:user:read", "wallet:user:email"},
	Checks:    []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is the answer of GET /v2/user: the current user, in data.\n\nDocumentation: https://docs.cdp.coinbase.com/coinbase-app/track-apis/users",
		Fields: []Field{
			{Name: "Data", JSON: "data", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "ID", JSON: "id", Kind: String},
				{Name: "Name", JSON: "name", Kind: String},
				{Name: "Username", JSON: "username", Kind: String},
				{Name: "Email", JSON: "email", Kind: String},
				{Name: "AvatarURL", JSON: "avatar_url", Kind: String},
				{Name: "ProfileLocation", JSON: "profile_location", Kind: String},
				{Name: "ProfileURL", JSON: "profile_url", Kind: String},
				{Name: "TimeZone", JSON: "time_zone", Kind: String},
				{Name: "NativeCurrency", JSON: "native_currency", Kind: String},
			}}},
		},
	},
	Map:           Mapping{ID: Path("Data.ID"), Name: Path("Data.Name"), Email: Path("Data.Email"), Image: Path("Data.AvatarURL")},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"data":{"id":"9da7a204-544e-5fd1-9a12-61176c5d4cd8","name":"User One","username":"user1","profile_location":null,"profile_bio":null,"profile_url":"https://coinbase.com/user1","avatar_url":"https://images.coinbase.com/avatar?h=vR%2FY8igBoPwuwGren5JMwvDNGpURAY%2F0nRIOgH%2FY2Qh%2BQ6nomR3qusA%2Bh6o2%0Af9rH&s=128","resource":"user","resource_path":"/v2/user","email":"user1@example.com","time_zone":"Pacific Time (US & Canada)","native_currency":"USD"}}`,
		Want:     User{ID: "9da7a204-544e-5fd1-9a12-61176c5d4cd8", Name: "User One", Email: "user1@example.com", Image: "https://images.coinbase.com/avatar?h=vR%2FY8igBoPwuwGren5JMwvDNGpURAY%2F0nRIOgH%2FY2Qh%2BQ6nomR3qusA%2Bh6o2%0Af9rH&s=128"},
	},
}
