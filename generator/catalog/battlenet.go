package catalog

// BattleNet signs in with a Blizzard Battle.net account (OpenID Connect).
// The issuer defaults to the global region; for China set
// AUTH_BATTLENET_ISSUER=https://oauth.battlenet.com.cn.
var BattleNet = &Provider{
	ID:      "battlenet",
	Name:    "Battle.net",
	GoName:  "BattleNet",
	Type:    OIDC,
	Docs:    "https://develop.battle.net/documentation/guides/using-oauth/authorization-code-flow",
	Console: "https://develop.battle.net/access/clients",
	Issuer:  "https://oauth.battle.net",
	Scopes:  []string{"openid"},
	Profile: Struct{
		Doc: "holds the claims of a Battle.net ID token. Battle.net shares no e-mail address or picture.\n\nDocumentation: https://develop.battle.net/documentation/guides/using-oauth",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "BattleTag", JSON: "battle_tag", Kind: String},
		},
	},
	Map:           Mapping{ID: Path("Sub"), Name: Path("BattleTag")},
	EmailVerified: NeverVerified(NoEmail),
	Example: Example{
		Claims: `{"sub":"100452863","battle_tag":"Tracer#11894","azp":"4d7f2c9e1b3a4f6e8d0c2b4a6f8e0d2c","auth_time":1716201600}`,
		Want:   User{ID: "100452863", Name: "Tracer#11894"},
	},
}
