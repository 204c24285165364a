package catalog

// AzureAD is Microsoft Entra ID under the id Auth.js v4 gave it,
// "azure-ad": the same provider, for applications whose callback URLs and
// accounts use that id.
var AzureAD = &Provider{
	ID:            "azure-ad",
	Name:          "Azure Active Directory",
	GoName:        "AzureAD",
	Type:          OIDC,
	Docs:          MicrosoftEntraID.Docs,
	Console:       MicrosoftEntraID.Console,
	Issuer:        MicrosoftEntraID.Issuer,
	Scopes:        MicrosoftEntraID.Scopes,
	Profile:       MicrosoftEntraID.Profile,
	Map:           MicrosoftEntraID.Map,
	Enrich:        MicrosoftEntraID.Enrich,
	EmailVerified: MicrosoftEntraID.EmailVerified,
	Example:       MicrosoftEntraID.Example,
}
