package catalog

// Mailru signs in with a Mail.ru (VK) account. Mail.ru's userinfo endpoint
// takes the access token in the access_token query parameter (RFC 6750
// §2.3); it answers a bearer header with "missing request parameter:
// access_token".
var Mailru = &Provider{
	ID:     "mailru",
	Name:   "Mail.ru",
	GoName: "Mailru",
	Type:   OAuth2,
	Docs:   "https://id.vk.com/about/business/go/docs/ru/vkid/latest/oauth/oauth-mail/index",
	Endpoints: Endpoints{
		Authorization: "https://oauth.mail.ru/login",
		Token:         "https://oauth.mail.ru/token",
		Userinfo:      "https://oauth.mail.ru/userinfo?access_token={access_token}",
	},
	Scopes: []string{"userinfo"},
	Checks: []string{"pkce", "state"},
	// The token travels in the query only (RFC 6750 §2).
	UserinfoHeader: map[string]string{"Authorization": ""},
	Profile: Struct{
		Doc: "is the user Mail.ru returns from GET https://oauth.mail.ru/userinfo.\n\nDocumentation: https://id.vk.com/about/business/go/docs/ru/vkid/latest/oauth/oauth-mail/index",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: Flex},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Nickname", JSON: "nickname", Kind: String},
			{Name: "FirstName", JSON: "first_name", Kind: String},
			{Name: "LastName", JSON: "last_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "Image", JSON: "image", Kind: String},
			{Name: "Gender", JSON: "gender", Kind: String},
			{Name: "Birthday", JSON: "birthday", Kind: String},
			{Name: "Locale", JSON: "locale", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name falls back to the nickname.",
		ID:    Path("ID"),
		Name:  FirstOf{Path("Name"), Path("Nickname")},
		Email: Path("Email"),
		Image: Path("Image"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":"1734604429","client_id":"7e5f4707292443fca607873f9f545752","gender":"m","name":"Иван Петров","nickname":"Иван Петров","locale":"ru_RU","first_name":"Иван","last_name":"Петров","email":"Ivan.Petrov@Mail.ru","birthday":"01.01.1990","image":"https://filin.mail.ru/pic?d=B4YYVzU7KpFhQxz0p1xQ2jGf&width=180&height=180"}`,
		Want:     User{ID: "1734604429", Name: "Иван Петров", Email: "ivan.petrov@mail.ru", Image: "https://filin.mail.ru/pic?d=B4YYVzU7KpFhQxz0p1xQ2jGf&width=180&height=180"},
	},
}
