package catalog

import "golang.org/x/oauth2/endpoints"

// AzureDevOps signs in with an account of an Azure DevOps organization. The
// app is registered in Microsoft Entra ID with the Azure DevOps
// vso.profile permission: Azure DevOps OAuth, which Auth.js's provider
// uses (a JWT-bearer code exchange), takes no new apps since April 2025 and
// is retired in 2026. AUTH_AZURE_DEVOPS_BASE_URL may name the tenant of a
// single-tenant app.
var AzureDevOps = &Provider{
	ID:        "azure-devops",
	Name:      "Azure DevOps",
	GoName:    "AzureDevOps",
	Type:      OAuth2,
	Docs:      "https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/entra-oauth",
	Console:   "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
	Endpoints: fromOAuth2(endpoints.AzureAD("organizations"), "https://app.vssps.visualstudio.com/_apis/profile/profiles/me?details=true&coreAttributes=Avatar&api-version=6.0"),
	BaseURL: &BaseURL{
		What: "a Microsoft Entra tenant (https://login.microsoftonline.com/<tenant-id>)",
		Endpoints: Endpoints{
			Authorization: "{base}/oauth2/v2.0/authorize",
			Token:         "{base}/oauth2/v2.0/token",
		},
	},
	// 499b84ac-1321-427f-aa17-267ca6975798 is Azure DevOps' application ID
	// in Microsoft Entra ID.
	Scopes: []string{"499b84ac-1321-427f-aa17-267ca6975798/vso.profile"},
	Profile: Struct{
		Doc: "is the profile GET _apis/profile/profiles/me returns, with the avatar among its core attributes.\n\nDocumentation: https://learn.microsoft.com/en-us/rest/api/azure/devops/profile/profiles/get",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "DisplayName", JSON: "displayName", Kind: String},
			{Name: "PublicAlias", JSON: "publicAlias", Kind: String},
			{Name: "EmailAddress", JSON: "emailAddress", Kind: String},
			{Name: "CoreRevision", JSON: "coreRevision", Kind: Int},
			{Name: "TimeStamp", JSON: "timeStamp", Kind: String},
			{Name: "CoreAttributes", JSON: "coreAttributes", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "Avatar", JSON: "Avatar", Kind: Object, Struct: &Struct{Fields: []Field{
					{Name: "Value", JSON: "value", Kind: Object, Struct: &Struct{Fields: []Field{
						{Name: "ContentType", JSON: "contentType", Kind: String},
						{Name: "Value", JSON: "value", Kind: String},
					}}},
				}}},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The image is the avatar, inlined as a data: URL.",
		ID:    Path("ID"),
		Name:  Path("DisplayName"),
		Email: Path("EmailAddress"),
		Image: Format{Format: "data:%s;base64,%s", Args: []Expr{Path("CoreAttributes.Avatar.Value.ContentType"), Path("CoreAttributes.Avatar.Value.Value")}},
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"displayName":"Jamal Hartnett","publicAlias":"d291b0c4-a05c-4ea6-8df1-4b41d5f39eff","emailAddress":"Jamal@Fabrikam.com","coreRevision":1,"timeStamp":"2024-03-08T17:03:53.3066667+00:00","id":"d291b0c4-a05c-4ea6-8df1-4b41d5f39eff","revision":1,"coreAttributes":{"Avatar":{"descriptor":{"attributeName":"Avatar","containerName":"Core"},"value":{"contentType":"image/png","value":"iVBORw0KGgo="},"timeStamp":"2024-03-08T17:03:53.3066667+00:00","revision":1}}}`,
		Want:     User{ID: "d291b0c4-a05c-4ea6-8df1-4b41d5f39eff", Name: "Jamal Hartnett", Email: "jamal@fabrikam.com", Image: "data:image/png;base64,iVBORw0KGgo="},
	},
}
