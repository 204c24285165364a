package catalog

// Typetalk signs in with a Typetalk (Nulab) account (goth's typetalk
// provider).
var Typetalk = &Provider{
	ID:      "typetalk",
	Name:    "Typetalk",
	GoName:  "Typetalk",
	Type:    OAuth2,
	Docs:    "https://developer.nulab.com/docs/typetalk/auth/",
	Console: "https://typetalk.com/my/develop/applications",
	Endpoints: Endpoints{
		Authorization: "https://typetalk.com/oauth2/authorize",
		Token:         "https://typetalk.com/oauth2/access_token",
		Userinfo:      "https://typetalk.com/api/v1/profile",
	},
	Scopes: []string{"my"},
	Checks: []string{"state"},
	Profile: Struct{
		Doc: "is the answer of GET /api/v1/profile: the user under account.\n\nDocumentation: https://developer.nulab.com/docs/typetalk/api/1/get-profile/",
		Fields: []Field{
			{Name: "Account", JSON: "account", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "ID", JSON: "id", Kind: Int},
				{Name: "Name", JSON: "name", Kind: String},
				{Name: "FullName", JSON: "fullName", Kind: String},
				{Name: "Suggestion", JSON: "suggestion", Kind: String},
				{Name: "MailAddress", JSON: "mailAddress", Kind: String},
				{Name: "ImageURL", JSON: "imageUrl", Kind: String},
				{Name: "CreatedAt", JSON: "createdAt", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The name is the full name, else the account name.",
		ID:    Path("Account.ID"),
		Name:  FirstOf{Path("Account.FullName"), Path("Account.Name")},
		Email: Path("Account.MailAddress"),
		Image: Path("Account.ImageURL"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"account":{"id":100,"name":"jessica","fullName":"Jessica Fitzherbert","suggestion":"Jessica Fitzherbert","mailAddress":"Jessica@Example.com","imageUrl":"https://typetalk.com/accounts/100/profile_image.png?t=1403577149000","createdAt":"2014-06-24T02:32:29Z","updatedAt":"2014-06-24T02:32:29Z","imageUpdatedAt":"2014-06-24T02:32:29Z"},"lang":"en","theme":"default"}`,
		Want:     User{ID: "100", Name: "Jessica Fitzherbert", Email: "jessica@example.com", Image: "https://typetalk.com/accounts/100/profile_image.png?t=1403577149000"},
	},
}
