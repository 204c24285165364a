package chromium

import (
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/webauthn"
)

// Authenticator is a virtual WebAuthn authenticator in a page's tab:
// Chromium answers the page's navigator.credentials.create and .get with it,
// as a real security key or platform authenticator would, without a person
// touching anything.
type Authenticator struct {
	ID webauthn.AuthenticatorID
	p  *Page
}

// PlatformAuthenticator is a passkey authenticator as a phone or a laptop
// has: CTAP 2.1, internal transport (a platform authenticator), resident
// (discoverable) keys, user verification that succeeds, and user presence
// confirmed at once.
func PlatformAuthenticator() webauthn.VirtualAuthenticatorOptions {
	return webauthn.VirtualAuthenticatorOptions{
		Protocol:                    webauthn.AuthenticatorProtocolCtap2,
		Ctap2version:                webauthn.Ctap2versionCtap21,
		Transport:                   webauthn.AuthenticatorTransportInternal,
		HasResidentKey:              true,
		HasUserVerification:         true,
		IsUserVerified:              true,
		AutomaticPresenceSimulation: true,
	}
}

// AddAuthenticator enables the WebAuthn domain in the tab (WebAuthn.enable,
// without Chromium's own WebAuthn dialogs) and adds a virtual authenticator
// with opts (WebAuthn.addVirtualAuthenticator). The authenticator lives as
// long as the tab, across navigations.
func (p *Page) AddAuthenticator(opts webauthn.VirtualAuthenticatorOptions) *Authenticator {
	p.t.Helper()
	if !p.webauthnOn {
		Call(p, webauthn.Enable, webauthn.EnableParams{EnableUI: new(false)})
		p.webauthnOn = true
	}
	res := Call(p, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{Options: &opts})
	p.logf("virtual authenticator %s (%s, %s, resident keys %v, user verification %v)",
		res.AuthenticatorID, opts.Protocol, opts.Transport, opts.HasResidentKey, opts.HasUserVerification)
	return &Authenticator{ID: res.AuthenticatorID, p: p}
}

// Credentials returns the credentials the authenticator holds, with their
// private keys, relying party, user handle and signature counter.
func (a *Authenticator) Credentials() []*webauthn.Credential {
	a.p.t.Helper()
	return Call(a.p, webauthn.GetCredentials, webauthn.GetCredentialsParams{AuthenticatorID: a.ID}).Credentials
}

// AddCredential puts a credential into the authenticator, as if it had been
// registered before (RpID and PrivateKey, PKCS #8 P-256, are required).
//
// cdproto's Credential always sends generateCmtgKeyOnNextOperation, which
// Chromium's virtual authenticators refuse ("CMTG is not supported"), so
// the credential goes without the CMTG fields.
func (a *Authenticator) AddCredential(c webauthn.Credential) {
	a.p.t.Helper()
	Call(a.p, addCredential, addCredentialParams{AuthenticatorID: a.ID, Credential: credentialWithoutCMTG{
		CredentialID: c.CredentialID, IsResidentCredential: c.IsResidentCredential, RpID: c.RpID,
		PrivateKey: c.PrivateKey, UserHandle: c.UserHandle, SignCount: c.SignCount, LargeBlob: c.LargeBlob,
		BackupEligibility: c.BackupEligibility, BackupState: c.BackupState, UserName: c.UserName, UserDisplayName: c.UserDisplayName,
	}})
}

// addCredential is WebAuthn.addCredential with credentialWithoutCMTG.
var addCredential = cdp.Command[addCredentialParams, cdp.Empty]{Method: webauthn.CommandAddCredential}

// addCredentialParams are WebAuthn.addCredential's parameters.
type addCredentialParams struct {
	AuthenticatorID webauthn.AuthenticatorID `json:"authenticatorId"`
	Credential      credentialWithoutCMTG    `json:"credential"`
}

// credentialWithoutCMTG is webauthn.Credential without the CMTG fields.
type credentialWithoutCMTG struct {
	CredentialID         []byte  `json:"credentialId"`
	IsResidentCredential bool    `json:"isResidentCredential"`
	RpID                 string  `json:"rpId,omitempty"`
	PrivateKey           []byte  `json:"privateKey"`
	UserHandle           []byte  `json:"userHandle,omitempty"`
	SignCount            float64 `json:"signCount"`
	LargeBlob            []byte  `json:"largeBlob,omitempty"`
	BackupEligibility    bool    `json:"backupEligibility"`
	BackupState          bool    `json:"backupState"`
	UserName             string  `json:"userName,omitempty"`
	UserDisplayName      string  `json:"userDisplayName,omitempty"`
}

// Clear removes every credential of the authenticator.
func (a *Authenticator) Clear() {
	a.p.t.Helper()
	Call(a.p, webauthn.ClearCredentials, webauthn.ClearCredentialsParams{AuthenticatorID: a.ID})
}

// SetUserVerified sets whether user verification (a fingerprint, a PIN)
// succeeds from now on.
func (a *Authenticator) SetUserVerified(ok bool) {
	a.p.t.Helper()
	Call(a.p, webauthn.SetUserVerified, webauthn.SetUserVerifiedParams{AuthenticatorID: a.ID, IsUserVerified: ok})
}

// Remove takes the authenticator out of the tab.
func (a *Authenticator) Remove() {
	a.p.t.Helper()
	Call(a.p, webauthn.RemoveVirtualAuthenticator, webauthn.RemoveVirtualAuthenticatorParams{AuthenticatorID: a.ID})
}

// NoConditionalMediation makes the pages the tab loads from now on report
// that the browser offers no conditional UI (passkey autofill):
// PublicKeyCredential.isConditionalMediationAvailable answers false, so a
// sign-in page waits for its passkey button instead of the virtual
// authenticator answering its conditional request at once.
func (p *Page) NoConditionalMediation() {
	p.t.Helper()
	Call(p, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);`,
	})
}
