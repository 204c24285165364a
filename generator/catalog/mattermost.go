package catalog

// Mattermost signs in with an account on a Mattermost server, which acts
// as an OAuth 2.0 service provider. There is no default server: set
// AUTH_MATTERMOST_BASE_URL. Mattermost wants the client secret in the
// token request's body.
var Mattermost = &Provider{
	ID:      "mattermost",
	Name:    "Mattermost",
	GoName:  "Mattermost",
	Type:    OAuth2,
	Docs:    "https://developers.mattermost.com/integrate/apps/authentication/oauth2/",
	Console: "https://docs.mattermost.com/integrations-guide/oauth2-apps.html",
	Endpoints: Endpoints{
		Authorization: "{base}/oauth/authorize",
		Token:         "{base}/oauth/access_token",
		Userinfo:      "{base}/api/v4/users/me",
	},
	BaseURL: &BaseURL{
		What:     "a Mattermost server",
		Required: true,
		Endpoints: Endpoints{
			Authorization: "{base}/oauth/authorize",
			Token:         "{base}/oauth/access_token",
			Userinfo:      "{base}/api/v4/users/me",
		},
	},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the user Mattermost returns from GET /api/v4/users/me.\n\nDocumentation: https://developers.mattermost.com/api-documentation/#/operations/GetUser",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "FirstName", JSON: "first_name", Kind: String},
			{Name: "LastName", JSON: "last_name", Kind: String},
			{Name: "Nickname", JSON: "nickname", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "EmailVerified", JSON: "email_verified", Kind: Bool},
			{Name: "Position", JSON: "position", Kind: String},
			{Name: "Roles", JSON: "roles", Kind: String},
			{Name: "Locale", JSON: "locale", Kind: String},
			{Name: "AuthService", JSON: "auth_service", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name is the username, else \"first last\"; Mattermost's profile has no picture URL.",
		ID:    Path("ID"),
		Name:  FirstOf{Path("Username"), Join{Sep: " ", Parts: []Expr{Path("FirstName"), Path("LastName")}}},
		Email: Path("Email"),
	},
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Userinfo: `{"id":"8ga3x5b1pjfjpbx7zg1nqw7fwo","create_at":1600000000000,"update_at":1700000000000,"delete_at":0,"username":"ada.lovelace","auth_data":"","auth_service":"","email":"Ada@Example.com","email_verified":true,"nickname":"","first_name":"Ada","last_name":"Lovelace","position":"Analyst","roles":"system_user","notify_props":{"channel":"true","comments":"never","desktop":"mention","desktop_sound":"true","email":"true","first_name":"false","mention_keys":"","push":"mention","push_status":"away"},"last_password_update":1600000000000,"locale":"en","timezone":{"automaticTimezone":"Europe/London","manualTimezone":"","useAutomaticTimezone":"true"},"disable_welcome_email":false}`,
		Want:     User{ID: "8ga3x5b1pjfjpbx7zg1nqw7fwo", Name: "ada.lovelace", Email: "ada@example.com", EmailVerified: true},
	},
}
