package catalog

// SoundCloud signs in with a SoundCloud account (goth's soundcloud
// provider, on SoundCloud's current secure.soundcloud.com endpoints).
// SoundCloud's API documents the token as "Authorization: OAuth <token>";
// it shares no e-mail address.
var SoundCloud = &Provider{
	ID:      "soundcloud",
	Name:    "SoundCloud",
	GoName:  "SoundCloud",
	Type:    OAuth2,
	Docs:    "https://developers.soundcloud.com/docs/api/guide#authentication",
	Console: "https://soundcloud.com/you/apps",
	Endpoints: Endpoints{
		Authorization: "https://secure.soundcloud.com/authorize",
		Token:         "https://secure.soundcloud.com/oauth/token",
		Userinfo:      "https://api.soundcloud.com/me",
	},
	Checks:         []string{"pkce", "state"},
	UserinfoHeader: map[string]string{"Authorization": "OAuth {access_token}"},
	Profile: Struct{
		Doc: "is the user SoundCloud returns from GET /me.\n\nDocumentation: https://developers.soundcloud.com/docs/api/explorer/open-api#/me/get_me",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: Int},
			{Name: "URN", JSON: "urn", Kind: String},
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "FullName", JSON: "full_name", Kind: String},
			{Name: "AvatarURL", JSON: "avatar_url", Kind: String},
			{Name: "PermalinkURL", JSON: "permalink_url", Kind: String},
			{Name: "City", JSON: "city", Kind: String},
			{Name: "Country", JSON: "country", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name is the full name, else the username.",
		ID:    Path("ID"),
		Name:  FirstOf{Path("FullName"), Path("Username")},
		Image: Path("AvatarURL"),
	},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Userinfo: `{"avatar_url":"https://i1.sndcdn.com/avatars-000009442929-p7uac3-large.jpg","city":"Berlin","country":"Germany","full_name":"Johannes Wagener","id":3207,"kind":"user","permalink":"jwagener","permalink_url":"https://soundcloud.com/jwagener","uri":"https://api.soundcloud.com/users/3207","urn":"soundcloud:users:3207","username":"jwagener","followers_count":3250,"followings_count":420,"plan":"Pro Unlimited"}`,
		Want:     User{ID: "3207", Name: "Johannes Wagener", Image: "https://i1.sndcdn.com/avatars-000009442929-p7uac3-large.jpg"},
	},
}
