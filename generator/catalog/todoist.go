package catalog

// Todoist signs in with a Todoist account. The user is read from the
// unified API v1 (Auth.js still posts to the retired Sync API v9).
var Todoist = &Provider{
	ID:      "todoist",
	Name:    "Todoist",
	GoName:  "Todoist",
	Type:    OAuth2,
	Docs:    "https://developer.todoist.com/api/v1/#tag/Authorization",
	Console: "https://developer.todoist.com/appconsole.html",
	Endpoints: Endpoints{
		Authorization: "https://todoist.com/oauth/authorize",
		Token:         "https://todoist.com/oauth/access_token",
		Userinfo:      "https://api.todoist.com/api/v1/user",
	},
	Scopes:     []string{"data:read"},
	Checks:     []string{"pkce", "state"},
	AuthMethod: ClientSecretPost,
	Profile: Struct{
		Doc: "is the user Todoist returns from GET /api/v1/user.\n\nDocumentation: https://developer.todoist.com/api/v1/#tag/User",
		Fields: []Field{
			{Name: "ID", JSON: "id", Kind: Flex},
			{Name: "Email", JSON: "email", Kind: String},
			{Name: "FullName", JSON: "full_name", Kind: String},
			{Name: "AvatarBig", JSON: "avatar_big", Kind: String},
			{Name: "AvatarMedium", JSON: "avatar_medium", Kind: String},
			{Name: "Lang", JSON: "lang", Kind: String},
			{Name: "IsPremium", JSON: "is_premium", Kind: Bool},
		},
	},
	Map:           Mapping{ID: Path("ID"), Name: Path("FullName"), Email: Path("Email"), Image: Path("AvatarBig")},
	EmailVerified: NeverVerified(NotReported),
	Example: Example{
		Userinfo: `{"id":"2671355","email":"Me@Example.com","full_name":"Ada Lovelace","avatar_big":"https://dcff1xvirvpfp.cloudfront.net/6d4e_big.jpg","avatar_medium":"https://dcff1xvirvpfp.cloudfront.net/6d4e_medium.jpg","avatar_s640":"https://dcff1xvirvpfp.cloudfront.net/6d4e_s640.jpg","avatar_small":"https://dcff1xvirvpfp.cloudfront.net/6d4e_small.jpg","business_account_id":null,"is_premium":true,"premium_status":"current_personal_plan","date_format":0,"time_format":0,"weekly_goal":30,"daily_goal":5,"completed_count":102920,"completed_today":12,"karma":86394.0,"karma_trend":"up","lang":"en","next_week":1,"start_day":1,"start_page":"overdue","tz_info":{"gmt_string":"-03:00","hours":-3,"is_dst":0,"minutes":0,"timezone":"America/Sao_Paulo"},"inbox_project_id":"6X7rM8997g3RQmvh","days_off":[6,7],"weekend_start_day":6}`,
		Want:     User{ID: "2671355", Name: "Ada Lovelace", Email: "me@example.com", Image: "https://dcff1xvirvpfp.cloudfront.net/6d4e_big.jpg"},
	},
}
