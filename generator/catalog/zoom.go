package catalog

import "golang.org/x/oauth2/endpoints"

// Zoom signs in with a Zoom account (a user-managed OAuth app). The scopes
// are the app's, configured in the Zoom App Marketplace.
var Zoom = &Provider{
	ID:        "zoom",
	Name:      "Zoom",
	GoName:    "Zoom",
	Type:      OAuth2,
	Docs:      "https://developers.zoom.us/docs/integrations/oauth/",
	Console:   "https://marketplace.zoom.us/develop/create",
	Endpoints: fromOAuth2(endpoints.Zoom, "https://api.zoom.us/v2/users/me"),
	Profile: Struct{
		Doc: "is the user Zoom returns from GET /v2/users/me.\n\nDocumentation: https://developers.zoom.us/docs/api/users/#tag/users/GET/users/{userId}",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: String},
			{Name: "FirstName", JSON: "first_name", Kind: String},
			{Name: "LastName", JSON: "last_name", Kind: String},
			{Name: "DisplayName", JSON: "display_name", Kind: String},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "Type", JSON: "type", Kind: Int},
			{Name: "PicURL", JSON: "pic_url", Kind: String},
			{Name: "AccountID", JSON: "account_id", Kind: String},
			{Name: "Timezone", JSON: "timezone", Kind: String},
			{Name: "Verified", JSON: "verified", Kind: Int},
			{Name: "Status", JSON: "status", Kind: String},
		},
	},
	Map: Mapping{
		Doc:   "The name is \"first_name last_name\".",
		ID:    Path("ID"),
		Name:  Join{Sep: " ", Parts: []Expr{Path("FirstName"), Path("LastName")}},
		Email: Path("Email"),
		Image: Path("PicURL"),
	},
	EmailVerified: Verified("Verified"),
	Example: Example{
		Userinfo: `{"id":"KDcuGIm1QgePTO8WbOqwIQ","first_name":"Jill","last_name":"Chill","display_name":"Jill Chill","email":"Jill.Chill@Example.com","type":1,"role_name":"Owner","pmi":3542471135,"use_pmi":false,"personal_meeting_url":"https://zoom.us/j/3542471135","timezone":"Asia/Shanghai","verified":1,"dept":"","created_at":"2019-06-01T07:58:03Z","last_login_time":"2019-06-01T07:58:03Z","pic_url":"https://lh4.googleusercontent.com/-jillchill/photo.jpg","language":"en-US","phone_number":"","status":"active","account_id":"q6gBJVO5TzexKYTb_I2rpg"}`,
		Want:     User{ID: "KDcuGIm1QgePTO8WbOqwIQ", Name: "Jill Chill", Email: "jill.chill@example.com", Image: "https://lh4.googleusercontent.com/-jillchill/photo.jpg", EmailVerified: true},
	},
}
