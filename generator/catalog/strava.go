package catalog

import "golang.org/x/oauth2/endpoints"

// Strava signs in with a Strava account. Strava sends the client secret in
// the token request's body and shares no e-mail address.
var Strava = &Provider{
	ID:         "strava",
	Name:       "Strava",
	GoName:     "Strava",
	Type:       OAuth2,
	Docs:       "https://developers.strava.com/docs/authentication/",
	Console:    "https://www.strava.com/settings/api",
	Endpoints:  fromOAuth2(endpoints.Strava, "https://www.strava.com/api/v3/athlete"),
	Scopes:     []string{"read"},
	Params:     map[string]string{"approval_prompt": "auto"},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the athlete Strava returns from GET /api/v3/athlete.\n\nDocumentation: https://developers.strava.com/docs/reference/#api-Athletes-getLoggedInAthlete",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: Int},
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "Firstname", JSON: "firstname", Kind: String},
			{Name: "Lastname", JSON: "lastname", Kind: String},
			{Name: "Profile", JSON: "profile", Kind: String},
			{Name: "ProfileMedium", JSON: "profile_medium", Kind: String},
			{Name: "City", JSON: "city", Kind: String},
			{Name: "Country", JSON: "country", Kind: String},
			{Name: "Premium", JSON: "premium", Kind: Bool},
		},
	},
	Map: Mapping{
		Doc:   "The name is \"firstname lastname\"; the image is the large profile picture.",
		ID:    Path("ID"),
		Name:  Join{Sep: " ", Parts: []Expr{Path("Firstname"), Path("Lastname")}},
		Image: Path("Profile"),
	},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Userinfo: `{"id":134815,"username":"marianne_t","resource_state":3,"firstname":"Marianne","lastname":"Teutenberg","city":"San Francisco","state":"CA","country":"US","sex":"F","premium":true,"summit":true,"created_at":"2017-11-14T02:30:05Z","updated_at":"2018-02-06T19:32:20Z","badge_type_id":4,"profile_medium":"https://dgalywyr863hv.cloudfront.net/pictures/athletes/134815/134815/2/medium.jpg","profile":"https://dgalywyr863hv.cloudfront.net/pictures/athletes/134815/134815/2/large.jpg","follower_count":5,"friend_count":5,"measurement_preference":"feet","ftp":null,"weight":0}`,
		Want:     User{ID: "134815", Name: "Marianne Teutenberg", Image: "https://dgalywyr863hv.cloudfront.net/pictures/athletes/134815/134815/2/large.jpg"},
	},
}
