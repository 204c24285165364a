// Package passkey is the WebAuthn ceremony of authgen's passkeys on
// github.com/go-webauthn/webauthn: set Config.Passkeys of runtime/server to
// New(). It is a module of its own, so that projects without passkeys do
// not depend on go-webauthn (docs/ARCHITECTURE.md).
package passkey

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store"
)

// Timeout is how long a ceremony may take: the browser's timeout, and the
// server's, which expires the sealed challenge (server.PasskeyTTL).
const Timeout = server.PasskeyTTL

// Ceremony implements server.PasskeyCeremony with go-webauthn.
type Ceremony struct{}

// New returns the ceremony.
func New() *Ceremony { return &Ceremony{} }

var _ server.PasskeyCeremony = (*Ceremony)(nil)

// webAuthn is the go-webauthn relying party of rp.
func webAuthn(rp server.PasskeyRP) (*webauthn.WebAuthn, error) {
	w, err := webauthn.New(&webauthn.Config{
		RPID: rp.ID, RPDisplayName: rp.Name, RPOrigins: rp.Origins,
		Timeouts: webauthn.TimeoutsConfig{
			Login:        webauthn.TimeoutConfig{Enforce: true, Timeout: Timeout, TimeoutUVD: Timeout},
			Registration: webauthn.TimeoutConfig{Enforce: true, Timeout: Timeout, TimeoutUVD: Timeout},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("passkey: relying party %q: %w", rp.ID, err)
	}
	return w, nil
}

// user is a server.PasskeyUser as go-webauthn's User.
type user struct{ server.PasskeyUser }

func (u user) WebAuthnID() []byte          { return u.Handle }
func (u user) WebAuthnName() string        { return u.Name }
func (u user) WebAuthnDisplayName() string { return u.DisplayName }
func (u user) WebAuthnCredentials() []webauthn.Credential {
	out := make([]webauthn.Credential, 0, len(u.Credentials))
	for _, p := range u.Credentials {
		id, err := base64.RawURLEncoding.DecodeString(p.ID)
		if err != nil {
			continue
		}
		c := webauthn.Credential{
			ID: id, PublicKey: p.PublicKey, AttestationType: p.AttestationType,
			Flags:         webauthn.CredentialFlags{UserPresent: true, BackupEligible: p.BackupEligible, BackupState: p.BackupState},
			Authenticator: webauthn.Authenticator{AAGUID: p.AAGUID, SignCount: p.SignCount},
		}
		for _, t := range p.Transports {
			c.Transport = append(c.Transport, protocol.AuthenticatorTransport(t))
		}
		out = append(out, c)
	}
	return out
}

// BeginRegistration implements server.PasskeyCeremony: a discoverable
// credential (resident key required), user verification preferred.
func (*Ceremony) BeginRegistration(rp server.PasskeyRP, u server.PasskeyUser) (options, session []byte, err error) {
	w, err := webAuthn(rp)
	if err != nil {
		return nil, nil, err
	}
	wu := user{u}
	var exclude []protocol.CredentialDescriptor
	for _, c := range wu.WebAuthnCredentials() {
		exclude = append(exclude, c.Descriptor())
	}
	creation, sd, err := w.BeginRegistration(wu,
		webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementRequired),
		webauthn.WithExclusions(exclude),
		webauthn.WithConveyancePreference(protocol.PreferNoAttestation))
	if err != nil {
		return nil, nil, fmt.Errorf("passkey: begin registration: %w", err)
	}
	return marshal(creation, sd)
}

// FinishRegistration implements server.PasskeyCeremony.
func (*Ceremony) FinishRegistration(rp server.PasskeyRP, u server.PasskeyUser, session, response []byte) (*server.PasskeyRegistration, error) {
	w, err := webAuthn(rp)
	if err != nil {
		return nil, err
	}
	var sd webauthn.SessionData
	if err := json.Unmarshal(session, &sd); err != nil {
		return nil, fmt.Errorf("%w: session data: %w", server.ErrPasskey, err)
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return nil, fmt.Errorf("%w: attestation: %w", server.ErrPasskey, detailed(err))
	}
	c, err := w.CreateCredential(user{u}, sd, parsed)
	if err != nil {
		return nil, fmt.Errorf("%w: attestation: %w", server.ErrPasskey, detailed(err))
	}
	p := store.Passkey{
		ID: base64.RawURLEncoding.EncodeToString(c.ID), PublicKey: c.PublicKey, AttestationType: c.AttestationType,
		AAGUID: c.Authenticator.AAGUID, SignCount: c.Authenticator.SignCount,
		BackupEligible: c.Flags.BackupEligible, BackupState: c.Flags.BackupState,
	}
	if p.AttestationType == "" {
		p.AttestationType = "none"
	}
	for _, t := range c.Transport {
		p.Transports = append(p.Transports, string(t))
	}
	return &server.PasskeyRegistration{Passkey: p, UserVerified: c.Flags.UserVerified}, nil
}

// BeginLogin implements server.PasskeyCeremony: discoverable credentials,
// or the credentials of u when given; user verification preferred.
func (*Ceremony) BeginLogin(rp server.PasskeyRP, u *server.PasskeyUser) (options, session []byte, err error) {
	w, err := webAuthn(rp)
	if err != nil {
		return nil, nil, err
	}
	uv := webauthn.WithUserVerification(protocol.VerificationPreferred)
	var assertion *protocol.CredentialAssertion
	var sd *webauthn.SessionData
	if u != nil {
		assertion, sd, err = w.BeginLogin(user{*u}, uv)
	} else {
		assertion, sd, err = w.BeginDiscoverableLogin(uv)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("passkey: begin login: %w", err)
	}
	return marshal(assertion, sd)
}

// FinishLogin implements server.PasskeyCeremony.
func (*Ceremony) FinishLogin(rp server.PasskeyRP, session, response []byte, find func(credentialID string, userHandle []byte) (server.PasskeyUser, error)) (*server.PasskeyAssertion, error) {
	w, err := webAuthn(rp)
	if err != nil {
		return nil, err
	}
	var sd webauthn.SessionData
	if err := json.Unmarshal(session, &sd); err != nil {
		return nil, fmt.Errorf("%w: session data: %w", server.ErrPasskey, err)
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return nil, fmt.Errorf("%w: assertion: %w", server.ErrPasskey, detailed(err))
	}
	var c *webauthn.Credential
	if len(sd.UserID) > 0 {
		// A ceremony for a known user: go-webauthn checks the credential
		// is among the options' and the user handle, when sent, is theirs.
		u, ferr := find(base64.RawURLEncoding.EncodeToString(parsed.RawID), parsed.Response.UserHandle)
		if ferr != nil {
			return nil, ferr
		}
		if !bytes.Equal(u.Handle, sd.UserID) {
			return nil, fmt.Errorf("%w: the credential is not the user's the ceremony began for", server.ErrPasskey)
		}
		c, err = w.ValidateLogin(user{u}, sd, parsed)
	} else {
		handler := func(rawID, userHandle []byte) (webauthn.User, error) {
			u, err := find(base64.RawURLEncoding.EncodeToString(rawID), userHandle)
			if err != nil {
				return nil, err
			}
			if !bytes.Equal(u.Handle, userHandle) {
				return nil, fmt.Errorf("%w: the user handle is not the credential's user's", server.ErrPasskey)
			}
			return user{u}, nil
		}
		c, err = w.ValidateDiscoverableLogin(handler, sd, parsed)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: assertion: %w", server.ErrPasskey, detailed(err))
	}
	flags := parsed.Response.AuthenticatorData.Flags
	return &server.PasskeyAssertion{
		ID:           base64.RawURLEncoding.EncodeToString(c.ID),
		SignCount:    parsed.Response.AuthenticatorData.Counter,
		BackupState:  flags.HasBackupState(),
		UserVerified: flags.HasUserVerified(),
	}, nil
}

// marshal returns the options and the session data as JSON.
func marshal(options any, sd *webauthn.SessionData) ([]byte, []byte, error) {
	o, err := json.Marshal(options)
	if err != nil {
		return nil, nil, fmt.Errorf("passkey: options: %w", err)
	}
	s, err := json.Marshal(sd)
	if err != nil {
		return nil, nil, fmt.Errorf("passkey: session data: %w", err)
	}
	return o, s, nil
}

// detailed adds go-webauthn's details (which say which check failed) to
// its error.
func detailed(err error) error {
	var pe *protocol.Error
	if errors.As(err, &pe) && pe.DevInfo != "" {
		return fmt.Errorf("%w (%s)", err, pe.DevInfo)
	}
	return err
}
