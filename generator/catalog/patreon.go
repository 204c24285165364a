package catalog

import "golang.org/x/oauth2/endpoints"

// Patreon signs in with a Patreon account. The profile is API v2's
// identity, a JSON:API document whose fields are named in the query.
var Patreon = &Provider{
	ID:         "patreon",
	Name:       "Patreon",
	GoName:     "Patreon",
	Type:       OAuth2,
	Docs:       "https://docs.patreon.com/#oauth",
	Console:    "https://www.patreon.com/portal/registration/register-clients",
	Endpoints:  fromOAuth2(endpoints.Patreon, "https://www.patreon.com/api/oauth2/v2/identity?fields%5Buser%5D=email,full_name,image_url,vanity,url"),
	Scopes:     []string{"identity", "identity[email]"},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the answer of GET /api/oauth2/v2/identity: the user is data, its fields data.attributes.\n\nDocumentation: https://docs.patreon.com/#get-api-oauth2-v2-identity",
		Fields: []Field{
			{Name: "Data", JSON: "data", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "ID", JSON: "id", Kind: String},
				{Name: "Type", JSON: "type", Kind: String},
				{Name: "Attributes", JSON: "attributes", Kind: Object, Struct: &Struct{Fields: []Field{
					{Name: "FullName", JSON: "full_name", Kind: String},
					{Name: "Email", JSON: "email", Kind: String},
					{Name: "ImageURL", JSON: "image_url", Kind: String},
					{Name: "Vanity", JSON: "vanity", Kind: String},
					{Name: "URL", JSON: "url", Kind: String},
				}}},
			}}},
		},
	},
	Map: Mapping{
		ID:    Path("Data.ID"),
		Name:  Path("Data.Attributes.FullName"),
		Email: Path("Data.Attributes.Email"),
		Image: Path("Data.Attributes.ImageURL"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"data":{"attributes":{"email":"Ada@Example.com","full_name":"Ada Lovelace","image_url":"https://c8.patreon.com/3/200/12345678","url":"https://www.patreon.com/adalovelace","vanity":"adalovelace"},"id":"12345678","type":"user"},"links":{"self":"https://www.patreon.com/api/oauth2/v2/user/12345678"}}`,
		Want:     User{ID: "12345678", Name: "Ada Lovelace", Email: "ada@example.com", Image: "https://c8.patreon.com/3/200/12345678"},
	},
}
