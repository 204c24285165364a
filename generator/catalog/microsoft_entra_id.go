package catalog

// MicrosoftEntraID signs in with a Microsoft Entra ID (Azure AD) work or
// school account, or a personal Microsoft account (OpenID Connect). The
// default issuer accepts any tenant: the ID token's tid names it and its
// iss must be that tenant's. For a single tenant set
// AUTH_MICROSOFT_ENTRA_ID_ISSUER=https://login.microsoftonline.com/<tenant-id>/v2.0.
var MicrosoftEntraID = &Provider{
	ID:      "microsoft-entra-id",
	Name:    "Microsoft Entra ID",
	GoName:  "MicrosoftEntraID",
	Type:    OIDC,
	Docs:    "https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc",
	Console: "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
	Issuer:  "https://login.microsoftonline.com/{tenantid}/v2.0",
	Scopes:  []string{"openid", "profile", "email", "User.Read"},
	Profile: Struct{
		Doc: "holds the claims of a Microsoft identity platform (v2.0) ID token. The email claim is optional and unverified for some accounts; oid is the user's ID across the tenant's applications, sub only for this one.\n\nDocumentation: https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "OID", JSON: "oid", Kind: String},
			{Name: "TID", JSON: "tid", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "GivenName", JSON: "given_name", Kind: String},
			{Name: "FamilyName", JSON: "family_name", Kind: String},
			{Name: "PreferredUsername", JSON: "preferred_username", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "LoginHint", JSON: "login_hint", Kind: String},
			{Name: "Ver", JSON: "ver", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The image is the user's Microsoft Graph profile photo (oauth.MicrosoftGraphPhoto).",
		ID:    Path("Sub"),
		Name:  Path("Name"),
		Email: Path("Email"),
	},
	Enrich:        "MicrosoftGraphPhoto",
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Claims: `{"sub":"AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ","oid":"00000000-0000-0000-66f3-3332eca7ea81","tid":"9122040d-6c67-4c5b-b112-36a304b66dad","ver":"2.0","name":"Abe Lincoln","preferred_username":"AbeLi@microsoft.com","email":"AbeLi@Microsoft.com","login_hint":"O.CiQ3NTUxYTljZC0zMTY2LTRhYTYtOGVkOS1lMjk5NjU5OGM2ZDUSJDkxMjIwNDBkLTZjNjctNGM1Yi1iMTEyLTM2YTMwNGI2NmRhZBoTYWJlbGlAbWljcm9zb2Z0LmNvbSBb","aio":"Df2UVXL1ix!lMCWMSOJBcFatzcGfvFGhjKv8q5g0x732dR5MB5BisvGQO7YWByjd8iQDLq!eGbIDakyp5mnOrcdqHeYSnltepQmRp6AIZ8jY"}`,
		Want:   User{ID: "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", Name: "Abe Lincoln", Email: "abeli@microsoft.com"},
	},
}
