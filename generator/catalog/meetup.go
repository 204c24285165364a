package catalog

// Meetup signs in with a Meetup account (goth's meetup provider, whose
// REST API is gone). Meetup's API is GraphQL: oauth.MeetupUser posts the
// self query to https://api.meetup.com/gql-ext. Meetup wants the client
// secret in the token request's body.
var Meetup = &Provider{
	ID:      "meetup",
	Name:    "Meetup",
	GoName:  "Meetup",
	Type:    OAuth2,
	Docs:    "https://www.meetup.com/api/authentication/",
	Console: "https://www.meetup.com/api/oauth/list/",
	Endpoints: Endpoints{
		Authorization: "https://secure.meetup.com/oauth2/authorize",
		Token:         "https://secure.meetup.com/oauth2/access",
	},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the answer of the GraphQL query self { id name email memberPhoto { baseUrl highResUrl } }: the member is data.self.\n\nDocumentation: https://www.meetup.com/api/schema/#Member",
		Fields: []Field{
			{Name: "Data", JSON: "data", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "Self", JSON: "self", Kind: Object, Struct: &Struct{Fields: []Field{
					{Name: "ID", JSON: "id", Kind: Flex},
					{Name: "Name", JSON: "name", Kind: String},
					{Name: "Email", JSON: "email", Kind: String},
					{Name: "MemberPhoto", JSON: "memberPhoto", Kind: Object, Struct: &Struct{Fields: []Field{
						{Name: "BaseURL", JSON: "baseUrl", Kind: String},
						{Name: "HighResURL", JSON: "highResUrl", Kind: String},
					}}},
				}}},
			}}},
		},
	},
	Map: Mapping{
		ID:    Path("Data.Self.ID"),
		Name:  Path("Data.Self.Name"),
		Email: Path("Data.Self.Email"),
		Image: Path("Data.Self.MemberPhoto.HighResURL"),
	},
	Enrich:        "MeetupUser",
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Responses: map[string]string{
			"/gql-ext": `{"data":{"self":{"id":"275386425","name":"Adam Goins","email":"Adam.Goins@Example.com","memberPhoto":{"baseUrl":"https://secure-content.meetupstatic.com/images/classic-member/","highResUrl":"https://secure.meetupstatic.com/photos/member/3/5/1/b/highres_285493595.jpeg"}}}}`,
		},
		Want: User{ID: "275386425", Name: "Adam Goins", Email: "adam.goins@example.com", Image: "https://secure.meetupstatic.com/photos/member/3/5/1/b/highres_285493595.jpeg"},
	},
}
