package catalog

// FortyTwo signs in with a 42 school intranet account.
var FortyTwo = &Provider{
	ID:      "42-school",
	Name:    "42 School",
	GoName:  "FortyTwo",
	Type:    OAuth2,
	Docs:    "https://api.intra.42.fr/apidoc/guides/web_application_flow",
	Console: "https://profile.intra.42.fr/oauth/applications/new",
	Endpoints: Endpoints{
		Authorization: "https://api.intra.42.fr/oauth/authorize",
		Token:         "https://api.intra.42.fr/oauth/token",
		Userinfo:      "https://api.intra.42.fr/v2/me",
	},
	Scopes: []string{"public"},
	Checks: []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is the user the 42 API returns from GET /v2/me.\n\nDocumentation: https://api.intra.42.fr/apidoc/2.0/users/me.html",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: Int},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "Login", JSON: "login", Kind: String},
			{Name: "FirstName", JSON: "first_name", Kind: String},
			{Name: "LastName", JSON: "last_name", Kind: String},
			{Name: "UsualFullName", JSON: "usual_full_name", Kind: String},
			{Name: "UsualFirstName", JSON: "usual_first_name", Kind: String},
			{Name: "Displayname", JSON: "displayname", Kind: String},
			{Name: "URL", JSON: "url", Kind: String},
			{Name: "Image", JSON: "image", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "Link", JSON: "link", Kind: String},
				{Name: "Versions", JSON: "versions", Kind: Object, Struct: &Struct{Fields: []Field{
					{Name: "Large", JSON: "large", Kind: String},
					{Name: "Medium", JSON: "medium", Kind: String},
					{Name: "Small", JSON: "small", Kind: String},
					{Name: "Micro", JSON: "micro", Kind: String},
				}}},
			}}},
			{Name: "Staff", JSON: "staff?", Kind: Bool},
			{Name: "PoolYear", JSON: "pool_year", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name is the usual full name, which the intranet builds from the usual or legal first name and the last name.",
		ID:    Path("ID"),
		Name:  Path("UsualFullName"),
		Email: Path("Email"),
		Image: Path("Image.Link"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":107203,"email":"nlebrun@student.42.fr","login":"nlebrun","first_name":"Nathalie","last_name":"Lebrun","usual_full_name":"Nath Lebrun","usual_first_name":"Nath","url":"https://api.intra.42.fr/v2/users/nlebrun","phone":"hidden","displayname":"Nath Lebrun","kind":"student","image":{"link":"https://cdn.intra.42.fr/users/8a6c1e2b3f4d/nlebrun.jpg","versions":{"large":"https://cdn.intra.42.fr/users/8a6c1e2b3f4d/large_nlebrun.jpg","medium":"https://cdn.intra.42.fr/users/8a6c1e2b3f4d/medium_nlebrun.jpg","small":"https://cdn.intra.42.fr/users/8a6c1e2b3f4d/small_nlebrun.jpg","micro":"https://cdn.intra.42.fr/users/8a6c1e2b3f4d/micro_nlebrun.jpg"}},"staff?":false,"correction_point":5,"pool_month":"august","pool_year":"2023","location":null,"wallet":120,"alumni?":false,"active?":true,"cursus_users":[],"campus":[{"id":1,"name":"Paris","time_zone":"Europe/Paris"}]}`,
		Want:     User{ID: "107203", Name: "Nath Lebrun", Email: "nlebrun@student.42.fr", Image: "https://cdn.intra.42.fr/users/8a6c1e2b3f4d/nlebrun.jpg"},
	},
}
