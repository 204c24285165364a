package catalog

// Eventbrite signs in with an Eventbrite account.
var Eventbrite = &Provider{
	ID:      "eventbrite",
	Name:    "Eventbrite",
	GoName:  "Eventbrite",
	Type:    OAuth2,
	Docs:    "https://www.eventbrite.com/platform/docs/authentication",
	Console: "https://www.eventbrite.com/account-settings/apps",
	Endpoints: Endpoints{
		Authorization: "https://www.eventbrite.com/oauth/authorize",
		Token:         "https://www.eventbrite.com/oauth/token",
		Userinfo:      "https://www.eventbriteapi.com/v3/users/me/",
	},
	Scopes:     []string{"user.profile"},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the user GET /v3/users/me/ returns. Its addresses are in emails, a list of objects; the primary one is the user's (oauth.PrimaryEmail).\n\nDocumentation: https://www.eventbrite.com/platform/api#/reference/user/retrieve-your-user/retrieve-your-user",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "FirstName", JSON: "first_name", Kind: String},
			{Name: "LastName", JSON: "last_name", Kind: String},
			{Name: "IsPublic", JSON: "is_public", Kind: Bool},
			{Name: "ImageID", JSON: "image_id", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The e-mail address is the primary one of emails (oauth.PrimaryEmail); the image is the original of the profile image on Eventbrite's image CDN.",
		ID:    Path("ID"),
		Name:  Path("Name"),
		Image: Format{Format: "https://img.evbuc.com/https%%3A%%2F%%2Fcdn.evbuc.com%%2Fimages%%2F%s%%2F1%%2Foriginal.jpg", Args: []Expr{Path("ImageID")}},
	},
	ProfileWrap:   "PrimaryEmail",
	EmailVerified: VerifiedByRuntime("the primary address's `verified` in `emails`"),
	Example: Example{
		Userinfo: `{"emails":[{"email":"old.address@example.com","verified":true,"primary":false},{"email":"Mark.Sanders@Example.com","verified":true,"primary":true}],"id":"208417318631","name":"Mark Sanders","first_name":"Mark","last_name":"Sanders","is_public":false,"image_id":"412345678"}`,
		Want:     User{ID: "208417318631", Name: "Mark Sanders", Email: "mark.sanders@example.com", Image: "https://img.evbuc.com/https%3A%2F%2Fcdn.evbuc.com%2Fimages%2F412345678%2F1%2Foriginal.jpg", EmailVerified: true},
	},
}
