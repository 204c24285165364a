package catalog

// Nextcloud signs in with an account on a Nextcloud server. There is no
// default server: set AUTH_NEXTCLOUD_BASE_URL. The profile comes from the
// OCS provisioning API, which wants the OCS-APIRequest header.
var Nextcloud = &Provider{
	ID:     "nextcloud",
	Name:   "Nextcloud",
	GoName: "Nextcloud",
	Type:   OAuth2,
	Docs:   "https://docs.nextcloud.com/server/latest/admin_manual/configuration_server/oauth2.html",
	Endpoints: Endpoints{
		Authorization: "{base}/apps/oauth2/authorize",
		Token:         "{base}/apps/oauth2/api/v1/token",
		Userinfo:      "{base}/ocs/v2.php/cloud/user?format=json",
	},
	BaseURL: &BaseURL{
		What:     "a Nextcloud server",
		Required: true,
		Endpoints: Endpoints{
			Authorization: "{base}/apps/oauth2/authorize",
			Token:         "{base}/apps/oauth2/api/v1/token",
			Userinfo:      "{base}/ocs/v2.php/cloud/user?format=json",
		},
	},
	Checks:         []string{"pkce", "state"},
	UserinfoHeader: map[string]string{"OCS-APIRequest": "true"},
	Profile: Struct{
		Doc: "is the answer of the OCS API's GET /cloud/user: the signed-in user is ocs.data.\n\nDocumentation: https://docs.nextcloud.com/server/latest/developer_manual/client_apis/OCS/ocs-api-overview.html#user-metadata",
		Fields: []Field{
			{Name: "OCS", JSON: "ocs", Kind: Object, Struct: &Struct{Fields: []Field{
				{Name: "Data", JSON: "data", Kind: Object, Struct: &Struct{Fields: []Field{
					{Name: "ID", JSON: "id", Kind: String},
					{Name: "DisplayName", JSON: "display-name", Kind: String},
					{Name: "Displayname", JSON: "displayname", Kind: String},
					{Name: "Email", JSON: "email", Kind: String},
					{Name: "Phone", JSON: "phone", Kind: String},
					{Name: "Address", JSON: "address", Kind: String},
					{Name: "Website", JSON: "website", Kind: String},
					{Name: "Organisation", JSON: "organisation", Kind: String},
					{Name: "Language", JSON: "language", Kind: String},
					{Name: "Locale", JSON: "locale", Kind: String},
					{Name: "Enabled", JSON: "enabled", Kind: Bool},
				}}},
			}}},
		},
	},
	Map: Mapping{
		Doc:   "The name is the display name. The avatar is served at <base>/avatar/<id>/512, which the profile does not name; set the image in profiles.go to use it.",
		ID:    Path("OCS.Data.ID"),
		Name:  FirstOf{Path("OCS.Data.DisplayName"), Path("OCS.Data.Displayname")},
		Email: Path("OCS.Data.Email"),
	},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":{"enabled":true,"storageLocation":"/var/www/html/data/ada","id":"ada","lastLogin":1700000000000,"backend":"Database","subadmin":[],"quota":{"free":10737418240,"used":52428800,"total":10789847040,"relative":0.49,"quota":-3},"manager":"","email":"Ada@Example.com","additional_mail":[],"phone":"","address":"London","website":"https://example.com","twitter":"","fediverse":"","organisation":"Analytical Engines","role":"","headline":"","biography":"","profile_enabled":"1","groups":["admin"],"language":"en","locale":"en_GB","notify_email":null,"backendCapabilities":{"setDisplayName":true,"setPassword":true},"display-name":"Ada Lovelace"}}}`,
		Want:     User{ID: "ada", Name: "Ada Lovelace", Email: "ada@example.com"},
	},
}
