package catalog

import "golang.org/x/oauth2/endpoints"

// Discord signs in with a Discord account.
var Discord = &Provider{
	ID:        "discord",
	Name:      "Discord",
	GoName:    "Discord",
	Type:      OAuth2,
	Docs:      "https://discord.com/developers/docs/topics/oauth2",
	Console:   "https://discord.com/developers/applications",
	Endpoints: fromOAuth2(endpoints.Discord, "https://discord.com/api/users/@me"),
	Scopes:    []string{"identify", "email"},
	Checks:    []string{"pkce", "state"},
	Profile: Struct{
		Doc: "is the user GET /users/@me returns (identify and email scopes).\n\nDocumentation: https://discord.com/developers/docs/resources/user#user-object",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Username", JSON: "username", Kind: String},
			{Name: "Discriminator", JSON: "discriminator", Kind: String},
			{Name: "GlobalName", JSON: "global_name", Kind: String},
			{Name: "Avatar", JSON: "avatar", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "Verified", JSON: "verified", Kind: Bool},
			{Name: "Locale", JSON: "locale", Kind: String},
			{Name: "MFAEnabled", JSON: "mfa_enabled", Kind: Bool},
			{Name: "Banner", JSON: "banner", Kind: String},
			{Name: "AccentColor", JSON: "accent_color", Kind: Int},
			{Name: "PremiumType", JSON: "premium_type", Kind: Int},
			{Name: "Flags", JSON: "flags", Kind: Int},
			{Name: "PublicFlags", JSON: "public_flags", Kind: Int},
		},
	},
	Map: Mapping{
		Doc:   "The name falls back to the username; the image is the avatar on Discord's CDN (PNG, also for animated avatars), none for a user without one.",
		ID:    Path("ID"),
		Name:  FirstOf{Path("GlobalName"), Path("Username")},
		Email: Path("Email"),
		Image: Format{Format: "https://cdn.discordapp.com/avatars/%s/%s.png", Args: []Expr{Path("ID"), Path("Avatar")}},
	},
	EmailVerified: Verified("Verified"),
	Example: Example{
		Userinfo: `{"id":"80351110224678912","username":"nelly","discriminator":"0","global_name":"Nelly","avatar":"8342729096ea3675442027381ff50dfe","verified":true,"email":"Nelly@Discord.com","flags":64,"banner":"06c16474723fe537c283b8efa61a30c8","accent_color":16711680,"premium_type":1,"public_flags":64,"mfa_enabled":true,"locale":"en-US"}`,
		Want:     User{ID: "80351110224678912", Name: "Nelly", Email: "nelly@discord.com", Image: "https://cdn.discordapp.com/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png", EmailVerified: true},
	},
}
