package catalog

// Notion signs in with a Notion account through a public integration. The
// profile is the integration's bot user, whose owner is the user who
// authorized it; Notion's API wants the Notion-Version header.
var Notion = &Provider{
	ID:      "notion",
	Name:    "Notion",
	GoName:  "Notion",
	Type:    OAuth2,
	Docs:    "https://developers.notion.com/docs/authorization",
	Console: "https://www.notion.so/my-integrations",
	Endpoints: Endpoints{
		Authorization: "https://api.notion.com/v1/oauth/authorize",
		Token:         "https://api.notion.com/v1/oauth/token",
		Userinfo:      "https://api.notion.com/v1/users/me",
	},
	Params:         map[string]string{"owner": "user"},
	Checks:         []string{"pkce", "state"},
	UserinfoHeader: map[string]string{"Notion-Version": "2022-06-28"},
	Profile: Struct{
		Doc: "is the bot user Notion returns from GET /v1/users/me; the signed-in user is bot.owner.user.\n\nDocumentation: https://developers.notion.com/reference/get-self",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "Type", JSON: "type", Kind: String},
			{Name: "Bot", JSON: "bot", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "WorkspaceName", JSON: "workspace_name", Kind: String},
				{Name: "Owner", JSON: "owner", Kind: Object, Struct: &Struct{Fields: []Field{
					{Name: "Type", JSON: "type", Kind: String},
					{Name: "User", JSON: "user", Kind: Object, Struct: &Struct{Fields: []Field{
						{Name: "ID", JSON: "id", Kind: String},
						{Name: "Name", JSON: "name", Kind: String},
						{Name: "AvatarURL", JSON: "avatar_url", Kind: String},
						{Name: "Type", JSON: "type", Kind: String},
						{Name: "Person", JSON: "person", Kind: Object, Struct: &Struct{Fields: []Field{
							{Name: "Email", JSON: "email", Kind: String},
						}}},
					}}},
				}}},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The user is the bot's owner.",
		ID:    Path("Bot.Owner.User.ID"),
		Name:  Path("Bot.Owner.User.Name"),
		Email: Path("Bot.Owner.User.Person.Email"),
		Image: Path("Bot.Owner.User.AvatarURL"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"object":"user","id":"16d84278-ab0e-484c-9bdd-b35da3bd8905","name":"pied piper","avatar_url":null,"type":"bot","bot":{"owner":{"type":"user","user":{"object":"user","id":"5389a034-eb5c-47b5-8a9e-f79c99ef166c","name":"christine makenotion","avatar_url":"https://s3-us-west-2.amazonaws.com/public.notion-static.com/5389a034/christine.png","type":"person","person":{"email":"Christine@MakeNotion.com"}}},"workspace_name":"Christine's Workspace"}}`,
		Want:     User{ID: "5389a034-eb5c-47b5-8a9e-f79c99ef166c", Name: "christine makenotion", Email: "christine@makenotion.com", Image: "https://s3-us-west-2.amazonaws.com/public.notion-static.com/5389a034/christine.png"},
	},
}
