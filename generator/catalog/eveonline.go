package catalog

// EveOnline signs in with an EVE Online character through EVE SSO.
var EveOnline = &Provider{
	ID:      "eveonline",
	Name:    "EVE Online",
	GoName:  "EveOnline",
	Type:    OAuth2,
	Docs:    "https://developers.eveonline.com/docs/services/sso/",
	Console: "https://developers.eveonline.com/applications",
	Endpoints: Endpoints{
		Authorization: "https://login.eveonline.com/v2/oauth/authorize",
		Token:         "https://login.eveonline.com/v2/oauth/token",
		Userinfo:      "https://login.eveonline.com/oauth/verify",
	},
	Scopes: []string{"publicData"},
	Checks: []string{"state"},
	Profile: Struct{
		Doc: "is the character GET /oauth/verify returns for the access token. EVE SSO shares no e-mail address.\n\nDocumentation: https://developers.eveonline.com/docs/services/sso/",
		Fields: []Field{
			{Name: "CharacterID", JSON: "CharacterID", Kind: Int},
			{Name: "CharacterName", JSON: "CharacterName", Kind: String},
			{Name: "ExpiresOn", JSON: "ExpiresOn", Kind: String},
			{Name: "Scopes", JSON: "Scopes", Kind: String},
			{Name: "TokenType", JSON: "TokenType", Kind: String},
			{Name: "CharacterOwnerHash", JSON: "CharacterOwnerHash", Kind: String},
			{Name: "IntellectualProperty", JSON: "IntellectualProperty", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The image is the character's 128-pixel portrait from the EVE image server.",
		ID:    Path("CharacterID"),
		Name:  Path("CharacterName"),
		Image: Format{Format: "https://images.evetech.net/characters/%s/portrait?size=128", Args: []Expr{Path("CharacterID")}},
	},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Userinfo: `{"CharacterID":95465499,"CharacterName":"CCP Bartender","ExpiresOn":"2024-05-20T14:34:16","Scopes":"publicData","TokenType":"Character","CharacterOwnerHash":"lots_of_letters_and_numbers","IntellectualProperty":"EVE"}`,
		Want:     User{ID: "95465499", Name: "CCP Bartender", Image: "https://images.evetech.net/characters/95465499/portrait?size=128"},
	},
}
