package catalog

// Concept2 signs in with a Concept2 Logbook account. New applications are
// first developed against https://log-dev.concept2.com (set
// AUTH_CONCEPT2_BASE_URL) before Concept2 approves them for the live API.
var Concept2 = &Provider{
	ID:     "concept2",
	Name:   "Concept2",
	GoName: "Concept2",
	Type:   OAuth2,
	Docs:   "https://log.concept2.com/developers/documentation/",
	Endpoints: Endpoints{
		Authorization: "https://log.concept2.com/oauth/authorize",
		Token:         "https://log.concept2.com/oauth/access_token",
		Userinfo:      "https://log.concept2.com/api/users/me",
	},
	BaseURL: &BaseURL{
		What: "the Concept2 Logbook development server",
		Endpoints: Endpoints{
			Authorization: "{base}/oauth/authorize",
			Token:         "{base}/oauth/access_token",
			Userinfo:      "{base}/api/users/me",
		},
	},
	// Concept2 separates scopes with commas.
	Scopes:     []string{"user:read"},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the answer of GET /api/users/me: the user, in data.\n\nDocumentation: https://log.concept2.com/developers/documentation/#users-get",
		Fields: []Field{
			{Name: "Data", JSON: "data", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "ID", JSON: "id", Kind: Int},
				{Name: "Username", JSON: "username", Kind: String},
				{Name: "FirstName", JSON: "first_name", Kind: String},
				{Name: "LastName", JSON: "last_name", Kind: String},
				{Name: "Gender", JSON: "gender", Kind: String},
				{Name: "DOB", JSON: "dob", Kind: String},
				{Name: "Email", JSON: "email", Kind: String},
				{Name: "Country", JSON: "country", Kind: String},
				{Name: "ProfileImage", JSON: "profile_image", Kind: String},
				{Name: "AgeRestricted", JSON: "age_restricted", Kind: Bool},
				{Name: "LogbookPrivacy", JSON: "logbook_privacy", Kind: String},
			}}},
		},
	},
	Map:           Mapping{ID: Path("Data.ID"), Name: Path("Data.Username"), Email: Path("Data.Email"), Image: Path("Data.ProfileImage")},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"data":{"id":1,"username":"david","first_name":"David","last_name":"Hart","gender":"M","dob":"1980-01-01","email":"David@Example.com","country":"USA","profile_image":"https://log.concept2.com/images/profiles/1.jpg","age_restricted":false,"email_permission":true,"max_heart_rate":190,"weight":7500,"logbook_privacy":"partners"}}`,
		Want:     User{ID: "1", Name: "david", Email: "david@example.com", Image: "https://log.concept2.com/images/profiles/1.jpg"},
	},
}
