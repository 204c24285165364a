package catalog

// AzureADB2C signs in through an Azure AD B2C user flow (OpenID Connect).
// The issuer is the user flow's: set its "Issuer (iss) claim" property to
// the form with the user flow (tfp), whose discovery document lives under
// the issuer.
var AzureADB2C = &Provider{
	ID:            "azure-ad-b2c",
	Name:          "Azure AD B2C",
	GoName:        "AzureADB2C",
	Type:          OIDC,
	Docs:          "https://learn.microsoft.com/en-us/azure/active-directory-b2c/openid-connect",
	Console:       "https://portal.azure.com/#view/Microsoft_AAD_B2CAdmin/TenantManagementMenuBlade/~/registeredApps",
	IssuerExample: "https://<tenant>.b2clogin.com/tfp/<tenant-id>/<user-flow>/v2.0/",
	Scopes:        []string{"openid"},
	Profile: Struct{
		Doc: "holds the claims of an Azure AD B2C ID token: those the user flow's application claims return. The addresses are in the emails claim (\"Email Addresses\"), a list of strings.\n\nDocumentation: https://learn.microsoft.com/en-us/azure/active-directory-b2c/tokens-overview#claims",
		Fields: []Field{
			{Name: "Sub", JSON: "sub", Kind: String},
			{Name: "OID", JSON: "oid", Kind: String},
			{Name: "Name", JSON: "name", Kind: String},
			{Name: "GivenName", JSON: "given_name", Kind: String},
			{Name: "FamilyName", JSON: "family_name", Kind: String},
			{Name: "PreferredUsername", JSON: "preferred_username", Kind: String},
			{Name: "Country", JSON: "country", Kind: String},
			{Name: "PostalCode", JSON: "postalCode", Kind: String},
			{Name: "IDP", JSON: "idp", Kind: String},
			{Name: "TFP", JSON: "tfp", Kind: String},
		},
	},
	Map: Mapping{
		Doc:  "The name falls back to the preferred username; the e-mail address is the first of the emails claim (oauth.PrimaryEmail).",
		ID:   Path("Sub"),
		Name: FirstOf{Path("Name"), Path("PreferredUsername")},
	},
	ProfileWrap:   "PrimaryEmail",
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Claims: `{"sub":"7c1f4e2a-9b3d-4c8e-a5f1-2d6b0e9c3a71","oid":"7c1f4e2a-9b3d-4c8e-a5f1-2d6b0e9c3a71","ver":"1.0","auth_time":1716201600,"name":"Grace Hopper","given_name":"Grace","family_name":"Hopper","emails":["Grace.Hopper@Example.com"],"idp":"google.com","country":"US","postalCode":"10001","tfp":"B2C_1_signupsignin1"}`,
		Want:   User{ID: "7c1f4e2a-9b3d-4c8e-a5f1-2d6b0e9c3a71", Name: "Grace Hopper", Email: "grace.hopper@example.com"},
	},
}
