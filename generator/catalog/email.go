package catalog

// Email is e-mail sign-in (Auth.js's "email" provider, passwordless): the
// user types an address and signs in with the link or the 6-digit code
// mailed to it. It is no OAuth provider: the runtime's server.Config.Email
// does the work, sending through SMTP (AUTH_EMAIL_SERVER) or, in
// development, logging the mail. It needs a database, which keeps the
// users and the verification tokens (Redis with session.store: redis).
var Email = &Provider{
	ID:     "email",
	Name:   "Email",
	GoName: "Email",
	Type:   EmailSignIn,
	Docs:   "https://authjs.dev/getting-started/authentication/email",
	// The sign-in proves the address: a user signing in by e-mail is
	// linked to the user with that address, and their address verified.
	EmailVerified: VerifiedByRuntime("the sign-in proves the address"),
}
