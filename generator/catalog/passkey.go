package catalog

// Passkey is passkeys (WebAuthn): a signed-in user registers passkeys at
// <basePath>/passkeys and signs in with one from the sign-in page. It is no
// OAuth provider: the runtime's server.Config.Passkeys, with the ceremony
// of the module runtime/passkey, does the work, and the relying party is
// AUTH_URL's host. It needs a database that keeps the passkeys
// (store.Passkeys); authgen.yaml's passkey: section holds its settings.
var Passkey = &Provider{
	ID:     "passkey",
	Name:   "Passkey",
	GoName: "Passkey",
	Type:   PasskeySignIn,
	Docs:   "https://pkg.go.dev/github.com/authgen/authgen/runtime/passkey",
	// A passkey signs in the user it was registered to; a sign-up with
	// one has no address at all.
	EmailVerified: VerifiedByRuntime("a passkey carries no address: it signs in the user it belongs to"),
}
