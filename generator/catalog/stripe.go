package catalog

// Stripe signs in with a Stripe account through Stripe Connect OAuth
// (goth's stripe provider): the client ID is the platform's ca_ ID and the
// client secret its secret key, sent in the token request's body. The
// profile is the connected account.
var Stripe = &Provider{
	ID:      "stripe",
	Name:    "Stripe",
	GoName:  "Stripe",
	Type:    OAuth2,
	Docs:    "https://docs.stripe.com/connect/oauth-reference",
	Console: "https://dashboard.stripe.com/settings/connect",
	Endpoints: Endpoints{
		Authorization: "https://connect.stripe.com/oauth/authorize",
		Token:         "https://connect.stripe.com/oauth/token",
		Userinfo:      "https://api.stripe.com/v1/account",
	},
	Scopes:     []string{"read_only"},
	Checks:     []string{"state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the connected account Stripe returns from GET /v1/account.\n\nDocumentation: https://docs.stripe.com/api/accounts/object",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "Country", JSON: "country", Kind: String},
			{Name: "Type", JSON: "type", Kind: String},
			{Name: "BusinessProfile", JSON: "business_profile", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "Name", JSON: "name", Kind: String},
				{Name: "URL", JSON: "url", Kind: String},
			}}},
			{Name: "Settings", JSON: "settings", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "Dashboard", JSON: "dashboard", Kind: Object, Struct: &Struct{Fields: []Field{
					{Name: "DisplayName", JSON: "display_name", Kind: String},
				}}},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The name is the dashboard's display name, else the business name; Stripe accounts have no picture URL.",
		ID:    Path("ID"),
		Name:  FirstOf{Path("Settings.Dashboard.DisplayName"), Path("BusinessProfile.Name")},
		Email: Path("Email"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":"acct_1Nv0FGQ9RKHgCVdK","object":"account","business_profile":{"mcc":null,"name":"Example Store","support_email":null,"url":"https://example.com"},"business_type":"company","charges_enabled":true,"country":"US","default_currency":"usd","details_submitted":true,"email":"Jenny.Rosen@Example.com","payouts_enabled":true,"settings":{"dashboard":{"display_name":"Example Store","timezone":"America/Los_Angeles"}},"type":"standard"}`,
		Want:     User{ID: "acct_1Nv0FGQ9RKHgCVdK", Name: "Example Store", Email: "jenny.rosen@example.com"},
	},
}
