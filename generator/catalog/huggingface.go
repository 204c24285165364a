package catalog

// HuggingFace signs in with a Hugging Face account (OpenID Connect).
var HuggingFace = &Provider{
	ID:      "huggingface",
	Name:    "Hugging Face",
	GoName:  "HuggingFace",
	Type:    OIDC,
	Docs:    "https://huggingface.co/docs/hub/oauth",
	Console: "https://huggingface.co/settings/applications/new",
	Issuer:  "https://huggingface.co",
	Scopes:  []string{"openid", "profile", "email"},
	Checks:  []string{"pkce", "state"},
	Profile: Struct{
		Doc: "holds the claims of a Hugging Face ID token.\n\nDocumentation: https://huggingface.co/docs/hub/oauth#currently-supported-scopes",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "PreferredUsername", JSON: "preferred_username", Kind: String},
			{Name: "Profile", JSON: "profile", Kind: String},
			{Name: "Picture", JSON: "picture", Kind: String},
			{Name: "Website", JSON: "website", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Flex},
			{Name: "IsPro", JSON: "isPro", Kind: Bool},
			{Name: "CanPay", JSON: "canPay", Kind: Bool},
		},
	},
	Map: Mapping{
		Doc:   "The name falls back to the username.",
		ID:    Path("Sub"),
		Name:  FirstOf{Path("Name"), Path("PreferredUsername")},
		Email: Path("Email"),
		Image: Path("Picture"),
	},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"64b6f1c2e4a9d3b5c7e8f901","name":"Ada Lovelace","preferred_username":"ada","profile":"https://huggingface.co/ada","picture":"https://cdn-avatars.huggingface.co/v1/production/uploads/64b6f1c2e4a9d3b5c7e8f901/ada.png","website":"https://example.com","email":"Ada@Example.com","email_verified":true,"isPro":false,"canPay":false,"orgs":[]}`,
		Want:   User{ID: "64b6f1c2e4a9d3b5c7e8f901", Name: "Ada Lovelace", Email: "ada@example.com", Image: "https://cdn-avatars.huggingface.co/v1/production/uploads/64b6f1c2e4a9d3b5c7e8f901/ada.png", EmailVerified: true},
	},
}
