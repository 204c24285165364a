package catalog

// Shopify signs in a shop (the merchant installing the app, goth's shopify
// provider). Every shop has its own endpoints, so AUTH_SHOPIFY_BASE_URL,
// the shop's https://<shop>.myshopify.com, is required. The Admin API
// takes the access token in the X-Shopify-Access-Token header (the Bearer
// header is sent too, and ignored), and the profile is the shop.
var Shopify = &Provider{
	ID:      "shopify",
	Name:    "Shopify",
	GoName:  "Shopify",
	Type:    OAuth2,
	Docs:    "https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant",
	Console: "https://partners.shopify.com/",
	Endpoints: Endpoints{
		Authorization: "{base}/admin/oauth/authorize",
		Token:         "{base}/admin/oauth/access_token",
		Userinfo:      "{base}/admin/api/2025-07/shop.json",
	},
	BaseURL: &BaseURL{
		What:     "a Shopify shop",
		Required: true,
		Endpoints: Endpoints{
			Authorization: "{base}/admin/oauth/authorize",
			Token:         "{base}/admin/oauth/access_token",
			Userinfo:      "{base}/admin/api/2025-07/shop.json",
		},
	},
	Scopes:         []string{"read_customers"},
	Checks:         []string{"state"},
	AuthMethod:     ClientSecretPost,
	UserinfoHeader: map[string]string{"X-Shopify-Access-Token": "{access_token}"},
	Profile: Struct{
		Doc: "is the answer of GET /admin/api/<version>/shop.json: the shop under shop.\n\nDocumentation: https://shopify.dev/docs/api/admin-rest/latest/resources/shop",
		Fields: []Field{
			{Name: "Shop", JSON: "shop", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "ID", JSON: "id", Kind: Int},
				{Name: "Name", JSON: "name", Kind: String},
				{Name: "Email", JSON: "email", Kind: String},
				{Name: "Domain", JSON: "domain", Kind: String},
				{Name: "MyshopifyDomain", JSON: "myshopify_domain", Kind: String},
				{Name: "ShopOwner", JSON: "shop_owner", Kind: String},
				{Name: "Country", JSON: "country", Kind: String},
				{Name: "City", JSON: "city", Kind: String},
				{Name: "PlanDisplayName", JSON: "plan_display_name", Kind: String},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The user is the shop, as in goth.",
		ID:    Path("Shop.ID"),
		Name:  Path("Shop.Name"),
		Email: Path("Shop.Email"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"shop":{"id":548380009,"name":"John Smith Test Store","email":"J.Smith@Example.com","domain":"shop.apple.com","province":"California","country":"US","address1":"1 Infinite Loop","zip":"95014","city":"Cupertino","phone":"1231231234","shop_owner":"John Smith","myshopify_domain":"jsmith.myshopify.com","plan_display_name":"Shopify Plus","currency":"USD","iana_timezone":"America/New_York"}}`,
		Want:     User{ID: "548380009", Name: "John Smith Test Store", Email: "j.smith@example.com"},
	},
}
