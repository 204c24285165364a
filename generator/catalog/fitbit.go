package catalog

import "golang.org/x/oauth2/endpoints"

// Fitbit signs in with a Fitbit (Google) account (goth's fitbit provider).
// Fitbit shares no e-mail address.
var Fitbit = &Provider{
	ID:        "fitbit",
	Name:      "Fitbit",
	GoName:    "Fitbit",
	Type:      OAuth2,
	Docs:      "https://dev.fitbit.com/build/reference/web-api/developer-guide/authorization/",
	Console:   "https://dev.fitbit.com/apps",
	Endpoints: fromOAuth2(endpoints.Fitbit, "https://api.fitbit.com/1/user/-/profile.json"),
	Scopes:    []string{"profile"},
	Checks:    []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is the answer of GET /1/user/-/profile.json: the signed-in user is under user.\n\nDocumentation: https://dev.fitbit.com/build/reference/web-api/user/get-profile/",
		Fields: []Field{
			{Name: "User", JSON: "user", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "EncodedID", JSON: "encodedId", Kind: String},
				{Name: "FullName", JSON: "fullName", Kind: String},
				{Name: "DisplayName", JSON: "displayName", Kind: String},
				{Name: "FirstName", JSON: "firstName", Kind: String},
				{Name: "LastName", JSON: "lastName", Kind: String},
				{Name: "Avatar", JSON: "avatar", Kind: String},
				{Name: "Avatar640", JSON: "avatar640", Kind: String},
				{Name: "Country", JSON: "country", Kind: String},
				{Name: "Timezone", JSON: "timezone", Kind: String},
				{Name: "MemberSince", JSON: "memberSince", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The name falls back to the display name; the image is the largest avatar.",
		ID:    Path("User.EncodedID"),
		Name:  FirstOf{Path("User.FullName"), Path("User.DisplayName")},
		Image: FirstOf{Path("User.Avatar640"), Path("User.Avatar")},
	},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Userinfo: `{"user":{"age":36,"ambassador":false,"avatar":"https://static0.fitbit.com/images/profile/defaultProfile_100.png","avatar150":"https://static0.fitbit.com/images/profile/defaultProfile_150.png","avatar640":"https://static0.fitbit.com/images/profile/defaultProfile_640.png","averageDailySteps":8142,"country":"GB","displayName":"Ada L.","encodedId":"2ABCDE","firstName":"Ada","fullName":"Ada Lovelace","gender":"FEMALE","lastName":"Lovelace","locale":"en_GB","memberSince":"2016-04-12","timezone":"Europe/London","topBadges":[]}}`,
		Want:     User{ID: "2ABCDE", Name: "Ada Lovelace", Image: "https://static0.fitbit.com/images/profile/defaultProfile_640.png"},
	},
}
