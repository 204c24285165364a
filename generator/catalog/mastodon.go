package catalog

// Mastodon signs in with an account on a Mastodon server: mastodon.social
// unless AUTH_MASTODON_BASE_URL names another (each server registers its
// own apps). Mastodon shares no e-mail address.
var Mastodon = &Provider{
	ID:      "mastodon",
	Name:    "Mastodon",
	GoName:  "Mastodon",
	Type:    OAuth2,
	Docs:    "https://docs.joinmastodon.org/spec/oauth/",
	Console: "https://mastodon.social/settings/applications",
	Endpoints: Endpoints{
		Authorization: "https://mastodon.social/oauth/authorize",
		Token:         "https://mastodon.social/oauth/token",
		Userinfo:      "https://mastodon.social/api/v1/accounts/verify_credentials",
	},
	BaseURL: &BaseURL{
		What: "a Mastodon server",
		Endpoints: Endpoints{
			Authorization: "{base}/oauth/authorize",
			Token:         "{base}/oauth/token",
			Userinfo:      "{base}/api/v1/accounts/verify_credentials",
		},
	},
	Scopes: []string{"read:accounts"},
	Checks: []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is the account Mastodon returns from GET /api/v1/accounts/verify_credentials.\n\nDocumentation: https://docs.joinmastodon.org/methods/accounts/#verify_credentials",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "Acct", JSON: "acct", Kind: String},
			{Name: "DisplayName", JSON: "display_name", Kind: String},
			{Name: "URL", JSON: "url", Kind: String},
			{Name: "Avatar", JSON: "avatar", Kind: String},
			{Name: "AvatarStatic", JSON: "avatar_static", Kind: String},
			{Name: "Locked", JSON: "locked", Kind: Bool},
			{Name: "Bot", JSON: "bot", Kind: Bool},
			{Name: "CreatedAt", JSON: "created_at", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name is the username; the image is the static avatar.",
		ID:    Path("ID"),
		Name:  Path("Username"),
		Image: Path("AvatarStatic"),
	},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Userinfo: `{"id":"14715","username":"trwnh","acct":"trwnh","display_name":"infinite love ⴳ","locked":false,"bot":false,"created_at":"2016-11-24T00:00:00.000Z","note":"<p>writing</p>","url":"https://mastodon.social/@trwnh","avatar":"https://files.mastodon.social/accounts/avatars/000/014/715/original/34aa222f4ae2e0a9.png","avatar_static":"https://files.mastodon.social/accounts/avatars/000/014/715/original/34aa222f4ae2e0a9.png","header":"https://files.mastodon.social/accounts/headers/000/014/715/original/5c6fc24edb3bb873.jpg","header_static":"https://files.mastodon.social/accounts/headers/000/014/715/original/5c6fc24edb3bb873.jpg","followers_count":821,"following_count":178,"statuses_count":33120,"last_status_at":"2019-11-24","source":{"privacy":"public","sensitive":false,"language":"","note":"writing","fields":[],"follow_requests_count":0},"emojis":[],"fields":[]}`,
		Want:     User{ID: "14715", Name: "trwnh", Image: "https://files.mastodon.social/accounts/avatars/000/014/715/original/34aa222f4ae2e0a9.png"},
	},
}
