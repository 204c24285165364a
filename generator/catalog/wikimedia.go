package catalog

// Wikimedia signs in with a Wikimedia (SUL) account through Meta-Wiki's
// OAuth 2.0, or with an account of another MediaWiki wiki running
// Extension:OAuth (AUTH_WIKIMEDIA_BASE_URL is then the wiki's script path,
// such as https://wiki.example.org/w).
var Wikimedia = &Provider{
	ID:      "wikimedia",
	Name:    "Wikimedia",
	GoName:  "Wikimedia",
	Type:    OAuth2,
	Docs:    "https://www.mediawiki.org/wiki/OAuth/For_Developers",
	Console: "https://meta.wikimedia.org/wiki/Special:OAuthConsumerRegistration/propose/oauth2",
	Endpoints: Endpoints{
		Authorization: "https://meta.wikimedia.org/w/rest.php/oauth2/authorize",
		Token:         "https://meta.wikimedia.org/w/rest.php/oauth2/access_token",
		Userinfo:      "https://meta.wikimedia.org/w/rest.php/oauth2/resource/profile",
	},
	BaseURL: &BaseURL{
		What: "a self-hosted MediaWiki",
		Endpoints: Endpoints{
			Authorization: "{base}/rest.php/oauth2/authorize",
			Token:         "{base}/rest.php/oauth2/access_token",
			Userinfo:      "{base}/rest.php/oauth2/resource/profile",
		},
	},
	Profile: Struct{
		Doc: "is the user GET /oauth2/resource/profile returns; the e-mail address needs the consumer's \"User identity verification, with access to real name and email address\" grant.\n\nDocumentation: https://www.mediawiki.org/wiki/Extension:OAuth#OAuth_2",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: Flex},
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "Realname", JSON: "realname", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "ConfirmedEmail", JSON: "confirmed_email", Kind: Bool},
			{Name: "Editcount", JSON: "editcount", Kind: Int},
			{Name: "Blocked", JSON: "blocked", Kind: Bool},
			{Name: "Registered", JSON: "registered", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name is the username; wikis have no profile pictures.",
		ID:    Path("Sub"),
		Name:  Path("Username"),
		Email: Path("Email"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"sub":"49640227","username":"Ada Lovelace","editcount":1342,"confirmed_email":true,"blocked":false,"registered":"20150317203020","groups":["*","user","autoconfirmed"],"rights":["read","edit","createpage"],"grants":["mwoauth-authonlyprivate"],"realname":"Augusta Ada King","email":"Ada@Example.org"}`,
		Want:     User{ID: "49640227", Name: "Ada Lovelace", Email: "ada@example.org"},
	},
}
