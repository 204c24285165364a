package catalog

// Credentials is a sign-in form checked by the application's own code
// (Auth.js's "credentials" provider): a username and a password that the
// user-owned <package>/credentials.go checks against the application's
// own users table. It is no OAuth provider: the runtime's
// server.Credentials does the work, and the identity Authorize returns is
// linked to authgen's users as an account of provider credentials, so it
// works with JWT sessions and, beyond Auth.js, with database sessions.
var Credentials = &Provider{
	ID:     "credentials",
	Name:   "Credentials",
	GoName: "Credentials",
	Type:   CredentialsSignIn,
	Docs:   "https://authjs.dev/getting-started/authentication/credentials",
	Form:   passwordForm,
	// Authorize says, in Identity.EmailVerified: a users table whose
	// sign-up confirmed the address.
	EmailVerified: VerifiedByRuntime("your Authorize says, in Identity.EmailVerified"),
}

// LDAP is a sign-in form checked against an LDAP directory or Active
// Directory by runtime/ldap (AUTH_LDAP_*): a search for the user, then a
// bind as the user with the password. The user's groups reach the JWT
// callback as Identity.Claims["groups"].
var LDAP = &Provider{
	ID:     "ldap",
	Name:   "LDAP",
	GoName: "LDAP",
	Type:   CredentialsSignIn,
	Docs:   "https://pkg.go.dev/github.com/authgen/authgen/runtime/ldap",
	Form:   passwordForm,
	// runtime/ldap's User.Identity: an entry with a mail attribute.
	EmailVerified: VerifiedByRuntime("the entry's mail attribute, which the directory's administrators set"),
}

// passwordForm is the form of the credentials and ldap entries: the names
// are runtime/ldap's FieldUsername and FieldPassword
// (TestCatalogLDAPFields).
var passwordForm = []FormField{
	{Name: "username", GoName: "Username", Label: "Username", Type: "text", Identifier: true},
	{Name: "password", GoName: "Password", Label: "Password", Type: "password"},
}
