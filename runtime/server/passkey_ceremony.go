package server

import (
	"errors"

	"github.com/authgen/authgen/runtime/store"
)

// PasskeyRP is the WebAuthn relying party a ceremony runs for: the server
// derives it from Config.URL (AUTH_URL) and Config.CookieDomain.
type PasskeyRP struct {
	// ID is the relying party ID: Config.CookieDomain when set, else the
	// host of Config.URL.
	ID string
	// Name is shown by the browser: Theme.AppName, else the host.
	Name string
	// Origins are the origins an authenticator's client data may name:
	// the origin of Config.URL. Any other is refused.
	Origins []string
}

// PasskeyUser is the user of a ceremony as WebAuthn sees them.
type PasskeyUser struct {
	// Handle is the WebAuthn user handle: the user's ID as bytes.
	Handle []byte
	// Name and DisplayName label the credential in the browser's picker.
	Name, DisplayName string
	// Credentials are the user's passkeys: excluded at registration,
	// checked against at sign-in.
	Credentials []store.Passkey
}

// PasskeyAssertion is what a verified sign-in with a passkey reports.
type PasskeyAssertion struct {
	// ID is the credential ID (base64url without padding).
	ID string
	// SignCount is the authenticator's counter in this assertion.
	SignCount uint32
	// BackupState is the assertion's BS flag.
	BackupState bool
	// UserVerified is the assertion's UV flag: the authenticator verified
	// the user (a PIN, biometrics), so the passkey was two factors.
	UserVerified bool
}

// PasskeyRegistration is what a verified registration reports.
type PasskeyRegistration struct {
	// Passkey is the new credential (ID, PublicKey, AttestationType,
	// AAGUID, Transports, SignCount, backup flags); the server fills in
	// the rest.
	Passkey store.Passkey
	// UserVerified is the attestation's UV flag.
	UserVerified bool
}

// PasskeyCeremony runs the WebAuthn ceremonies of passkeys on JSON bytes:
// the options a browser passes to navigator.credentials.create or get, the
// session data the server keeps sealed until the answer comes, and the
// browser's answer. The core runtime has no WebAuthn library: the module
// runtime/passkey implements it with go-webauthn (docs/ARCHITECTURE.md).
type PasskeyCeremony interface {
	// BeginRegistration returns the creation options for a new
	// discoverable credential of user (their credentials excluded) and
	// the ceremony's session data.
	BeginRegistration(rp PasskeyRP, user PasskeyUser) (options, session []byte, err error)
	// FinishRegistration verifies the browser's attestation response
	// against session and returns the new credential. A bad response is
	// an error wrapping ErrPasskey.
	FinishRegistration(rp PasskeyRP, user PasskeyUser, session, response []byte) (*PasskeyRegistration, error)
	// BeginLogin returns the request options and the ceremony's session
	// data: for a discoverable credential (empty allowCredentials) when
	// user is nil, else for one of user's credentials (the second factor
	// of a user known by the first).
	BeginLogin(rp PasskeyRP, user *PasskeyUser) (options, session []byte, err error)
	// FinishLogin verifies the browser's assertion response against
	// session; find returns the user owning the credential (with the
	// credential among Credentials) by its ID and the user handle (empty
	// when the authenticator sent none, which only a ceremony for a known
	// user accepts). A bad response is an error wrapping ErrPasskey.
	FinishLogin(rp PasskeyRP, session, response []byte, find func(credentialID string, userHandle []byte) (PasskeyUser, error)) (*PasskeyAssertion, error)
}

// ErrPasskey reports a passkey ceremony that failed: a response that does
// not verify (wrong origin, wrong challenge, bad signature), an unknown or
// deleted credential, a counter that went backwards, or a challenge that
// expired or was used.
var ErrPasskey = errors.New("server: the passkey was refused")
