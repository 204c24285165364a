package catalog

import "golang.org/x/oauth2/endpoints"

// Heroku signs in with a Heroku account (goth's heroku provider). The
// Platform API wants its version in the Accept header, and the client
// secret in the token request's body.
var Heroku = &Provider{
	ID:             "heroku",
	Name:           "Heroku",
	GoName:         "Heroku",
	Type:           OAuth2,
	Docs:           "https://devcenter.heroku.com/articles/oauth",
	Console:        "https://dashboard.heroku.com/account/applications",
	Endpoints:      fromOAuth2(endpoints.Heroku, "https://api.heroku.com/account"),
	Scopes:         []string{"identity"},
	Checks:         []string{"pkce", "state"},
	AuthMethod:     ClientSecretPost,
	UserinfoHeader: map[string]string{"Accept": "application/vnd.heroku+json; version=3"},
	Profile: Struct{
		Doc: "is the account Heroku's Platform API returns from GET /account.\n\nDocumentation: https://devcenter.heroku.com/articles/platform-api-reference#account-info",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Verified", JSON: "verified", Kind: Bool},
			{Name: "Federated", JSON: "federated", Kind: Bool},
			{Name: "TwoFactorAuthentication", JSON: "two_factor_authentication", Kind: Bool},
			{Name: "CountryOfResidence", JSON: "country_of_residence", Kind: String},
			{Name: "CreatedAt", JSON: "created_at", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "Heroku shares no picture.",
		ID:    Path("ID"),
		Name:  Path("Name"),
		Email: Path("Email"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"allow_tracking":true,"beta":false,"created_at":"2012-01-01T12:00:00Z","email":"Username@Example.com","federated":false,"id":"01234567-89ab-cdef-0123-456789abcdef","identity_provider":null,"last_login":"2012-01-01T12:00:00Z","name":"Tina Edmonds","sms_number":"+1 ***-***-1234","suspended_at":null,"delinquent_at":null,"two_factor_authentication":false,"updated_at":"2012-01-01T12:00:00Z","verified":false,"country_of_residence":"United States","default_organization":null,"default_team":null}`,
		Want:     User{ID: "01234567-89ab-cdef-0123-456789abcdef", Name: "Tina Edmonds", Email: "username@example.com"},
	},
}
