package catalog

// Cognito signs in through an Amazon Cognito user pool (OpenID Connect).
var Cognito = &Provider{
	ID:            "cognito",
	Name:          "Cognito",
	GoName:        "Cognito",
	Type:          OIDC,
	Docs:          "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-app-integration.html",
	Console:       "https://console.aws.amazon.com/cognito/home",
	IssuerExample: "https://cognito-idp.<region>.amazonaws.com/<user-pool-id>",
	Scopes:        []string{"openid", "profile", "email"},
	Profile: Struct{
		Doc: "holds the claims of a Cognito ID token: the user pool's standard attributes that the app client may read.\n\nDocumentation: https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html",
		Fields: append(standardClaims("").Fields,
			Field{Name: "CognitoUsername", JSON: "cognito:username", Kind: String},
		),
	},
	Map:           standardMapping,
	EmailVerified: Verified("EmailVerified"),
	Example: Example{
		Claims: `{"sub":"aaaaaaaa-bbbb-cccc-dddd-example","email_verified":true,"cognito:username":"janedoe","origin_jti":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","event_id":"cccccccc-dddd-eeee-ffff-aaaaaaaaaaaa","token_use":"id","auth_time":1716201600,"name":"Jane Doe","email":"janedoe@example.com","picture":"https://example.com/janedoe.png"}`,
		Want:   User{ID: "aaaaaaaa-bbbb-cccc-dddd-example", Name: "Jane Doe", Email: "janedoe@example.com", Image: "https://example.com/janedoe.png", EmailVerified: true},
	},
}
