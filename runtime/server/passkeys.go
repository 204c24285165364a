package server

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/authgen/authgen/runtime/cookie"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/store"
)

// Passkeys (WebAuthn). A passkey is also an Account of provider
// PasskeyProviderID whose ProviderAccountID is the credential ID, so the
// linking rules, the account page and "never remove the last way to sign
// in" (UnlinkAccount) apply to it; the credential itself is kept by
// store.Passkeys, and goes with its account (removePasskey). The ceremony (Config.Passkeys) verifies the browser's
// answers; its session data — the challenge — travels sealed in the
// Passkey check cookie for PasskeyTTL and is used once: the answer records
// a verification token under the ceremony's ID, which a second answer
// cannot record again, so a replayed answer is refused on every instance.
// The options write nothing: a sign-in page asks for them on every load
// (conditional UI), and only an answer counts against signInPerClient.

// PasskeyProviderID is the provider of passkeys' accounts.
const PasskeyProviderID = "passkey"

// passkeyAccountType is the Type of passkeys' accounts (as Auth.js's
// WebAuthn provider).
const passkeyAccountType = "webauthn"

// PasskeyTTL is how long a ceremony may take: the sealed challenge's
// lifetime, and the browser's timeout the ceremony sets (runtime/passkey).
const PasskeyTTL = 5 * time.Minute

// passkeysPath is the passkeys page and the root of their routes.
const passkeysPath = "/passkeys"

// PasskeyScriptPath is the path of the passkey ceremony's script under the
// base path; the built-in pages load it (their CSP allows 'self').
const PasskeyScriptPath = "/passkey.js"

// maxPasskeyName bounds a passkey's name, in bytes.
const maxPasskeyName = 100

// MaxPasskeyIDLength bounds a credential ID, in base64url characters (190
// bytes): it is also an account's providerAccountId, which MySQL and
// MariaDB keep in a VARCHAR(255) key. Authenticators make IDs of 16 to 128
// bytes; WebAuthn allows up to 1023, and a longer one is refused at
// registration.
const MaxPasskeyIDLength = 255

// passkeyScript runs the ceremonies in the built-in pages.
//
//go:embed client/passkey.js
var passkeyScript []byte

// passkeyScriptVersion is the content hash of passkey.js: its ETag and v.
var passkeyScriptVersion = sync.OnceValue(func() string {
	sum := sha256.Sum256(passkeyScript)
	return hex.EncodeToString(sum[:12])
})

// passkeyProvider is the oauth.Provider a passkey sign-in completes as
// (a new one each time: completeSignIn may fill in a provider).
func passkeyProvider() *oauth.Provider {
	return &oauth.Provider{ID: PasskeyProviderID, Name: "Passkey", Type: oauth.Type(passkeyAccountType)}
}

// checkPasskeys validates Config.Passkeys.
func (c *Config) checkPasskeys() []string {
	if c.Passkeys == nil {
		if c.PasskeySignUp {
			return []string{"PasskeySignUp needs Passkeys"}
		}
		return nil
	}
	if c.Users == nil {
		return []string{"Passkeys needs Users, which keep the passkeys"}
	}
	var problems []string
	if _, ok := c.Users.(store.Passkeys); !ok {
		problems = append(problems, fmt.Sprintf("Passkeys needs Users that implement store.Passkeys; %T does not", c.Users))
	}
	if _, ok := c.Users.(store.VerificationTokens); !ok {
		problems = append(problems, fmt.Sprintf("Passkeys needs Users that implement store.VerificationTokens (the challenges' single use); %T does not", c.Users))
	}
	return problems
}

// passkeyRoutes adds the passkey routes.
func (a *Auth) passkeyRoutes(mux *http.ServeMux) {
	b := a.cfg.BasePath
	mux.HandleFunc("GET "+b+passkeysPath, a.handlePasskeysPage)
	mux.HandleFunc("POST "+b+passkeysPath+"/register/options", a.handlePasskeyRegisterOptions)
	mux.HandleFunc("POST "+b+passkeysPath+"/register", a.handlePasskeyRegister)
	mux.HandleFunc("POST "+b+passkeysPath+"/rename", a.handlePasskeyRename)
	mux.HandleFunc("POST "+b+passkeysPath+"/delete", a.handlePasskeyDelete)
	mux.HandleFunc("POST "+b+"/signin/"+PasskeyProviderID+"/options", a.handlePasskeyLoginOptions)
	mux.HandleFunc("POST "+b+"/callback/"+PasskeyProviderID, a.handlePasskeyCallback)
	mux.HandleFunc("GET "+b+webAuthnOptionsPath, a.handleWebAuthnOptions)
	if a.cfg.PasskeySignUp {
		mux.HandleFunc("POST "+b+passkeySignUpPath+"/options", a.handlePasskeySignUpOptions)
		mux.HandleFunc("POST "+b+passkeySignUpPath, a.handlePasskeySignUp)
	}
	if a.twoFactorOn() {
		mux.HandleFunc("POST "+b+twoFactorPath+"/passkey/options", a.handleTwoFactorPasskeyOptions)
		mux.HandleFunc("POST "+b+twoFactorPath+"/passkey", a.handleTwoFactorPasskey)
	}
}

// passkeyRP is the relying party: PasskeyRPID's, named after the app; the
// one origin is URL's.
func (a *Auth) passkeyRP() PasskeyRP {
	return PasskeyRP{ID: PasskeyRPID(a.cfg.URL, a.cfg.CookieDomain), Name: cmp.Or(a.cfg.Theme.AppName, a.cfg.URL.Hostname()), Origins: []string{originOf(a.cfg.URL)}}
}

// PasskeyRPID is the relying party ID passkeys are registered for, given
// the application's URL and Config.CookieDomain: the cookie domain when set
// (sessions are shared below it, and so are passkeys), else URL's host.
// Passkeys registered under one ID do not work under another.
func PasskeyRPID(u *url.URL, cookieDomain string) string {
	return cmp.Or(strings.TrimPrefix(cookieDomain, "."), u.Hostname())
}

// The kinds of ceremonies.
const (
	ceremonyRegister     = "register"      // a signed-in user adds a passkey
	ceremonyLogin        = "login"         // a sign-in with a passkey
	ceremonySignUp       = "signup"        // a new user signs up with one
	ceremonySecondFactor = "second-factor" // a pending sign-in's second step
)

// passkeyCeremony is a ceremony waiting for the browser's answer, sealed
// in the Passkey cookie. Its single use is a verification token whose
// hash is of ID, recorded by the answer.
type passkeyCeremony struct {
	ID   string `json:"id"`
	Kind string `json:"k"`
	// User registers (ceremonyRegister), is the new user's ID
	// (ceremonySignUp), or is the pending sign-in's (ceremonySecondFactor).
	User string `json:"u,omitempty"`
	// Name is the new user's name (ceremonySignUp).
	Name string `json:"n,omitempty"`
	// Pending is the ID of the pending sign-in (ceremonySecondFactor).
	Pending string          `json:"p,omitempty"`
	Session json.RawMessage `json:"s"`
}

// identifier is the verification token's identifier of a ceremony.
func (c *passkeyCeremony) identifier() string { return "passkey:" + c.Kind }

// passkeyTokens keeps the ceremonies' single use.
func (a *Auth) passkeyTokens() store.VerificationTokens {
	return a.passkeys.(store.VerificationTokens)
}

// sealCeremony seals the ceremony c (its ID is set here) as the value of
// the Passkey cookie, or a runtime call's state; nothing is written
// server-side until the answer.
func (a *Auth) sealCeremony(c passkeyCeremony) (string, time.Time, error) {
	c.ID = random32()
	expires := a.cfg.Now().Add(PasskeyTTL)
	payload, err := json.Marshal(c)
	if err != nil {
		return "", expires, fmt.Errorf("passkey: %w", err)
	}
	sealed, err := a.sealCheck(cookie.Passkey, PasskeyProviderID, string(payload), expires)
	if err != nil {
		return "", expires, fmt.Errorf("passkey: seal the challenge: %w", err)
	}
	return sealed, expires, nil
}

// beginCeremony seals the ceremony c in the browser's Passkey cookie.
func (a *Auth) beginCeremony(rq *request, c passkeyCeremony) error {
	sealed, expires, err := a.sealCeremony(c)
	if err != nil {
		return err
	}
	rq.jar.Set(rq.w, cookie.Passkey, sealed, expires)
	return nil
}

// useCeremony opens the browser's ceremony of kind and uses it up
// (openCeremony). The cookie is deleted whatever happens.
func (a *Auth) useCeremony(rq *request, kind string) (*passkeyCeremony, error) {
	raw := rq.jar.Get(rq.r, cookie.Passkey)
	if raw != "" {
		rq.jar.Delete(rq.w, cookie.Passkey)
	}
	return a.openCeremony(rq.r.Context(), raw, kind)
}

// openCeremony opens the sealed ceremony of kind and uses it up, once, by
// recording its verification token: ErrPasskey when it is missing, does
// not open, expired (the seal's expiry), is of another kind or was used
// already (a replay: the token exists).
func (a *Auth) openCeremony(ctx context.Context, sealed, kind string) (*passkeyCeremony, error) {
	raw := a.openSealed(sealed, cookie.Passkey, PasskeyProviderID)
	var c passkeyCeremony
	if raw == "" || json.Unmarshal([]byte(raw), &c) != nil || c.ID == "" || c.Kind != kind {
		return nil, fmt.Errorf("%w: no %s ceremony in this browser (or it expired or was altered)", ErrPasskey, kind)
	}
	// Kept as long as the seal could be replayed; pruned with the expired
	// verification tokens.
	err := a.passkeyTokens().CreateVerificationToken(ctx, store.VerificationToken{
		Identifier: c.identifier(), TokenHash: store.HashToken(c.ID), Expires: a.cfg.Now().Add(PasskeyTTL),
	})
	switch {
	case errors.Is(err, store.ErrConflict):
		return nil, fmt.Errorf("%w: the challenge was used already", ErrPasskey)
	case err != nil:
		return nil, fmt.Errorf("%w: passkey: use the challenge: %w", ErrStore, err)
	}
	return &c, nil
}

// passkeyUser is user with their passkeys, as a ceremony sees them.
func (a *Auth) passkeyUser(ctx context.Context, u *store.User) (PasskeyUser, error) {
	list, err := a.passkeys.ListPasskeys(ctx, u.ID)
	if err != nil {
		return PasskeyUser{}, fmt.Errorf("%w: list passkeys: %w", ErrStore, err)
	}
	return passkeyUserOf(u, list), nil
}

// passkeyUserOf is u with the passkeys list: the handle is the user's ID,
// the names their address or name.
func passkeyUserOf(u *store.User, list []store.Passkey) PasskeyUser {
	name := cmp.Or(u.Email, u.Name, u.ID)
	return PasskeyUser{Handle: []byte(u.ID), Name: name, DisplayName: cmp.Or(u.Name, name), Credentials: list}
}

// passkeyAnswer answers a passkey JSON endpoint's failure.
func (a *Auth) passkeyAnswer(rq *request, status int, code Code, err error) {
	if err != nil {
		if status >= 500 {
			a.log.ErrorContext(rq.r.Context(), "authgen: passkey", "code", string(code), "error", err)
		} else {
			a.log.WarnContext(rq.r.Context(), "authgen: passkey refused", "code", string(code), "error", err)
		}
	}
	writeJSON(rq.w, status, map[string]string{"error": string(code)})
}

// passkeyJSON is the request of a passkey JSON endpoint, its CSRF token
// checked: without it, it answers 403 MissingCSRF and returns false.
func (a *Auth) passkeyJSON(w http.ResponseWriter, r *http.Request) (*request, bool) {
	rq := a.newRequest(w, r)
	rq.jsonResponse = true
	if err := a.checkCSRF(rq); err != nil {
		a.passkeyAnswer(rq, http.StatusForbidden, CodeMissingCSRF, err)
		return nil, false
	}
	return rq, true
}

// passkeyCSRF checks a passkey action's CSRF token; a page's form goes
// back to the passkeys page, JSON is 403 MissingCSRF.
func (a *Auth) passkeyCSRF(rq *request) bool {
	if err := a.checkCSRF(rq); err != nil {
		a.log.WarnContext(rq.r.Context(), "authgen: passkey action refused", "code", string(CodeMissingCSRF), "error", err)
		a.formAnswer(rq, passkeysPath, a.wantsPage(rq), http.StatusForbidden, CodeMissingCSRF, "", nil)
		return false
	}
	return true
}

// signedInForPasskeys is the signed-in user of a passkey action, or false
// once it answered 401 SessionRequired (a page: sent to sign in) or 503.
func (a *Auth) signedInForPasskeys(rq *request, page bool) (*store.User, bool) {
	u, ok := a.passkeySessionUser(rq)
	switch {
	case !ok:
		return nil, false
	case u == nil && page:
		http.Redirect(rq.w, rq.r, a.pageURL(rq, a.cfg.Pages.SignIn, "/signin", url.Values{"callbackUrl": {rq.apiURL(a, passkeysPath)}}), http.StatusSeeOther)
		return nil, false
	case u == nil:
		writeJSON(rq.w, http.StatusUnauthorized, map[string]string{"error": string(CodeSessionRequired)})
		return nil, false
	}
	return u, true
}

// passkeySessionUser is the signed-in user of a passkey request, nil
// without a valid session, or false once it answered 503 Configuration for
// a store failure.
func (a *Auth) passkeySessionUser(rq *request) (*store.User, bool) {
	c, err := a.readSession(rq.r, rq.jar)
	switch {
	case errors.Is(err, ErrStore):
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, err)
		return nil, false
	case err != nil:
		return nil, true
	}
	u, err := a.cfg.Users.GetUser(rq.r.Context(), c.session.User.ID)
	if err != nil {
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, fmt.Errorf("%w: the signed-in user: %w", ErrStore, err))
		return nil, false
	}
	return u, true
}

// passkeyRegistrant is who adds a passkey: the signed-in user, or, when
// the request says "for" "sign-in" (the set-up page of a second step), the
// user of the pending sign-in that must set up a second step first
// (TwoFactorRequired), who may add a passkey instead of an authenticator
// app (pending non-nil). Naming the intent keeps a browser signed in as
// one user, with another's sign-in pending, from adding a passkey to the
// wrong one. Without the session it answers 401 SessionRequired, without
// such a sign-in as settingUpSignIn does, and returns false.
func (a *Auth) passkeyRegistrant(rq *request) (*store.User, *pendingTwoFactor, bool) {
	if !forSignIn(rq) {
		u, ok := a.signedInForPasskeys(rq, false)
		return u, nil, ok
	}
	return a.settingUpSignIn(rq, false)
}

// handlePasskeyRegisterOptions is POST /passkeys/register/options (CSRF;
// signed in, or a sign-in setting up its second step): the creation
// options for navigator.credentials.create ({"publicKey": …}), the
// challenge sealed in the Passkey cookie.
func (a *Auth) handlePasskeyRegisterOptions(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	rq.jsonResponse = true
	if !a.passkeyCSRF(rq) {
		return
	}
	u, pending, ok := a.passkeyRegistrant(rq)
	if !ok {
		return
	}
	options, c, err := a.registrationOptions(r.Context(), u)
	if pending != nil {
		c.Pending = pending.ID
	}
	a.answerOptions(rq, c, options, err)
}

// registrationOptions begins adding a passkey for u: the creation
// options, and the ceremony with its session data.
func (a *Auth) registrationOptions(ctx context.Context, u *store.User) ([]byte, passkeyCeremony, error) {
	c := passkeyCeremony{Kind: ceremonyRegister, User: u.ID}
	pu, err := a.passkeyUser(ctx, u)
	if err != nil {
		return nil, c, err
	}
	options, session, err := a.cfg.Passkeys.BeginRegistration(a.passkeyRP(), pu)
	c.Session = session
	return options, c, err
}

// loginOptions begins a sign-in with a discoverable passkey: the request
// options, and the ceremony with its session data.
func (a *Auth) loginOptions() ([]byte, passkeyCeremony, error) {
	options, session, err := a.cfg.Passkeys.BeginLogin(a.passkeyRP(), nil)
	return options, passkeyCeremony{Kind: ceremonyLogin, Session: session}, err
}

// answerOptions answers an options request: the ceremony's options, with
// c sealed in the Passkey cookie; err (beginning the ceremony failed) is
// 503 Configuration.
func (a *Auth) answerOptions(rq *request, c passkeyCeremony, options []byte, err error) {
	if err == nil {
		err = a.beginCeremony(rq, c)
	}
	if err != nil {
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, err)
		return
	}
	writeJSON(rq.w, http.StatusOK, json.RawMessage(options))
}

// handlePasskeyRegister is POST /passkeys/register (CSRF; signed in as
// the user the options were for; rate limited as a sign-in) with the
// attestation as "response" and an optional "name": registerPasskey. 200
// {"passkey": {id, name}}; 400 Passkey for an answer that does not verify
// (nothing changes), 409 Passkey for a credential registered already. For
// a sign-in setting up its second step, the passkey is that step: the
// session starts, and the answer adds "url", the callbackUrl.
func (a *Auth) handlePasskeyRegister(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	rq.jsonResponse = true
	if !a.passkeyCSRF(rq) {
		return
	}
	u, pending, ok := a.passkeyRegistrant(rq)
	if !ok || !a.allowSignIn(rq, CodePasskey) {
		return
	}
	ctx := r.Context()
	p, ok := a.registerAnswer(rq, u, pending)
	if !ok {
		return
	}
	body := map[string]any{"passkey": map[string]string{"id": p.ID, "name": p.Name}}
	if pending == nil {
		writeJSON(w, http.StatusOK, body)
		return
	}
	if used, err := a.endPending(ctx, pending); err != nil || !used {
		if err != nil {
			a.log.ErrorContext(ctx, "authgen: passkey", "error", err)
		}
		a.deadPending(rq, "the sign-in that had to set up a second step was used meanwhile")
		return
	}
	a.finishPending(rq, pending, func(target string) {
		body["url"] = target
		writeJSON(w, http.StatusOK, body)
	})
}

// registerAnswer registers the passkey of the request's answer for u (of
// the pending sign-in, when not nil), or answers why not and returns
// false: 400 Passkey when it does not verify or its ceremony is another
// user's or sign-in's, 409 Passkey for a credential registered already.
func (a *Auth) registerAnswer(rq *request, u *store.User, pending *pendingTwoFactor) (*store.Passkey, bool) {
	c, err := a.useCeremony(rq, ceremonyRegister)
	var p *store.Passkey
	switch {
	case err != nil:
	case c.User != u.ID:
		err = fmt.Errorf("%w: the registration began for another user", ErrPasskey)
	case pending != nil && c.Pending != pending.ID, pending == nil && c.Pending != "":
		err = fmt.Errorf("%w: the registration began for another sign-in", ErrPasskey)
	default:
		p, err = a.registerPasskey(rq.r.Context(), u, c, []byte(passkeyResponse(rq)), rq.body.Get("name"))
	}
	switch {
	case errors.Is(err, store.ErrConflict):
		a.passkeyAnswer(rq, http.StatusConflict, CodePasskey, err)
	case errors.Is(err, ErrPasskeyName):
		writeJSON(rq.w, http.StatusBadRequest, map[string]string{"error": string(CodePasskey), "message": err.Error()})
	case err != nil:
		a.passkeyFailure(rq, err)
	default:
		return p, true
	}
	return nil, false
}

// passkeyResponse is the browser's answer to a ceremony: "response", or
// "data" as Auth.js's WebAuthn client sends it.
func passkeyResponse(rq *request) string {
	if v := rq.body.Get("response"); v != "" {
		return v
	}
	return rq.body.Get("data")
}

// registerPasskey verifies the registration c's answer for u and stores
// the passkey, named name (or "Passkey n"), linked as an account of
// provider "passkey". Errors: ErrPasskey (the answer), ErrPasskeyName,
// store.ErrConflict (a credential registered already), ErrStore.
func (a *Auth) registerPasskey(ctx context.Context, u *store.User, c *passkeyCeremony, response []byte, name string) (*store.Passkey, error) {
	pu, err := a.passkeyUser(ctx, u)
	if err != nil {
		return nil, err
	}
	reg, err := a.finishRegistration(pu, c.Session, string(response))
	if err != nil {
		return nil, err
	}
	p := reg.Passkey
	if p.Name, err = passkeyName(name, len(pu.Credentials)+1); err != nil {
		return nil, err
	}
	now := a.cfg.Now()
	p.UserID, p.CreatedAt = u.ID, now
	if err := a.passkeys.CreatePasskey(ctx, p); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, fmt.Errorf("passkey: the credential is registered already: %w", err)
		}
		return nil, fmt.Errorf("%w: create passkey: %w", ErrStore, err)
	}
	acc := store.Account{UserID: u.ID, Type: passkeyAccountType, Provider: PasskeyProviderID, ProviderAccountID: p.ID, LinkedAt: now}
	if err := a.cfg.Users.LinkAccount(ctx, acc); err != nil {
		if derr := a.passkeys.DeletePasskey(ctx, u.ID, p.ID); derr != nil {
			a.log.ErrorContext(ctx, "authgen: passkey: deleting a passkey whose account did not link", "error", derr)
		}
		return nil, fmt.Errorf("%w: link the passkey's account: %w", ErrStore, err)
	}
	a.emitLinkAccount(ctx, u, acc, nil)
	a.log.InfoContext(ctx, "authgen: passkey registered", "user", u.ID)
	return &p, nil
}

// BeginPasskeyRegistration begins adding a passkey for the user, for an
// application's own page: options are the creation options for
// navigator.credentials.create ({"publicKey": …}), and state the
// ceremony, sealed, to give back to FinishPasskeyRegistration within 5
// minutes (it is used once). ErrConfig when passkeys are off.
func (a *Auth) BeginPasskeyRegistration(ctx context.Context, userID string) (options json.RawMessage, state string, err error) {
	if a.passkeys == nil {
		return nil, "", fmt.Errorf("%w: passkeys are off", ErrConfig)
	}
	u, err := a.cfg.Users.GetUser(ctx, userID)
	if err != nil {
		return nil, "", fmt.Errorf("%w: the user: %w", ErrStore, err)
	}
	options, c, err := a.registrationOptions(ctx, u)
	if err != nil {
		return nil, "", err
	}
	state, _, err = a.sealCeremony(c)
	if err != nil {
		return nil, "", err
	}
	return options, state, nil
}

// FinishPasskeyRegistration verifies the browser's answer (the
// attestation as JSON) against state from BeginPasskeyRegistration for the
// same user, and stores the passkey named name ("": "Passkey n"), linked
// as an account of provider "passkey". An answer that does not verify, or
// a state that expired, was used or is another user's, wraps ErrPasskey;
// a credential registered already wraps store.ErrConflict.
func (a *Auth) FinishPasskeyRegistration(ctx context.Context, userID, state string, response []byte, name string) (*store.Passkey, error) {
	if a.passkeys == nil {
		return nil, fmt.Errorf("%w: passkeys are off", ErrConfig)
	}
	c, err := a.openCeremony(ctx, state, ceremonyRegister)
	if err != nil {
		return nil, err
	}
	if c.User != userID || c.Pending != "" {
		return nil, fmt.Errorf("%w: the registration began for another user or sign-in", ErrPasskey)
	}
	u, err := a.cfg.Users.GetUser(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("%w: the user: %w", ErrStore, err)
	}
	return a.registerPasskey(ctx, u, c, response, name)
}

// ListPasskeys returns the user's passkeys (name, added, last used, and
// the credential). ErrConfig when passkeys are off.
func (a *Auth) ListPasskeys(ctx context.Context, userID string) ([]store.Passkey, error) {
	if a.passkeys == nil {
		return nil, fmt.Errorf("%w: passkeys are off", ErrConfig)
	}
	list, err := a.passkeys.ListPasskeys(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("%w: list passkeys: %w", ErrStore, err)
	}
	return list, nil
}

// RenamePasskey renames the user's passkey: 1 to 100 bytes of UTF-8
// (ErrPasskeyName otherwise); another user's or an unknown passkey wraps
// store.ErrNotFound.
func (a *Auth) RenamePasskey(ctx context.Context, userID, id, name string) error {
	if a.passkeys == nil {
		return fmt.Errorf("%w: passkeys are off", ErrConfig)
	}
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("%w: empty", ErrPasskeyName)
	}
	name, err := passkeyName(name, 0)
	if err != nil {
		return err
	}
	if err := a.passkeys.RenamePasskey(ctx, userID, id, name); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("server: passkey %q of the user: %w", shortID(id), err)
		}
		return fmt.Errorf("%w: rename passkey: %w", ErrStore, err)
	}
	return nil
}

// finishRegistration verifies a registration's answer for pu and checks
// the credential ID's length.
func (a *Auth) finishRegistration(pu PasskeyUser, session []byte, response string) (*PasskeyRegistration, error) {
	reg, err := a.cfg.Passkeys.FinishRegistration(a.passkeyRP(), pu, session, []byte(response))
	if err != nil {
		return nil, err
	}
	if n := len(reg.Passkey.ID); n == 0 || n > MaxPasskeyIDLength {
		return nil, fmt.Errorf("%w: the authenticator's credential ID is %d characters of base64url; authgen keeps 1 to %d", ErrPasskey, n, MaxPasskeyIDLength)
	}
	return reg, nil
}

// ErrPasskeyName: a passkey's name is empty (renaming), too long or not
// UTF-8.
var ErrPasskeyName = fmt.Errorf("a passkey's name is 1 to %d bytes of UTF-8", maxPasskeyName)

// passkeyName is the name typed for a passkey, or "Passkey n".
func passkeyName(typed string, n int) (string, error) {
	name := strings.TrimSpace(typed)
	switch {
	case name == "":
		return fmt.Sprintf("Passkey %d", n), nil
	case !validName(name):
		return "", ErrPasskeyName
	}
	return name, nil
}

// validName reports whether a trimmed name, of a passkey or of a user
// signing up, is at most maxPasskeyName bytes of UTF-8.
func validName(name string) bool {
	return len(name) <= maxPasskeyName && utf8.ValidString(name)
}

// passkeyFailure answers a ceremony that failed: 400 Passkey for
// ErrPasskey, 503 Configuration for the rest.
func (a *Auth) passkeyFailure(rq *request, err error) {
	if errors.Is(err, ErrPasskey) {
		a.passkeyAnswer(rq, http.StatusBadRequest, CodePasskey, err)
		return
	}
	a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, err)
}

// handlePasskeyLoginOptions is POST /signin/passkey/options (CSRF): the
// request options for navigator.credentials.get, for discoverable
// credentials (no allowCredentials), the challenge sealed in the Passkey
// cookie. Not rate limited: it writes nothing, and the sign-in page asks
// for it on every load; the answer counts.
func (a *Auth) handlePasskeyLoginOptions(w http.ResponseWriter, r *http.Request) {
	rq, ok := a.passkeyJSON(w, r)
	if !ok {
		return
	}
	options, c, err := a.loginOptions()
	a.answerOptions(rq, c, options, err)
}

// passkeySignInRefused answers a passkey sign-in (or second step) that
// failed: 401 {"error": "Passkey", "url": the sign-in page with
// ?error=Passkey} for ErrPasskey, 503 Configuration for the store's.
func (a *Auth) passkeySignInRefused(rq *request, err error) {
	if !errors.Is(err, ErrPasskey) {
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, err)
		return
	}
	a.log.WarnContext(rq.r.Context(), "authgen: passkey sign-in refused", "error", err)
	writeJSON(rq.w, http.StatusUnauthorized, map[string]string{"error": string(CodePasskey),
		"url": a.pageURL(rq, a.cfg.Pages.SignIn, "/signin", url.Values{"error": {string(CodePasskey)}})})
}

// assertedPasskey is the stored passkey of an assertion's credential ID:
// any user's for a sign-in (userID ""), else one of the user's, found in
// all their passkeys, which it returns too (the second step's options named
// them all).
func (a *Auth) assertedPasskey(ctx context.Context, id, userID string) (*store.Passkey, []store.Passkey, error) {
	if userID == "" {
		p, err := a.passkeys.GetPasskey(ctx, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return nil, nil, fmt.Errorf("%w: unknown or deleted credential", ErrPasskey)
		case err != nil:
			return nil, nil, fmt.Errorf("%w: get passkey: %w", ErrStore, err)
		}
		return p, nil, nil
	}
	all, err := a.passkeys.ListPasskeys(ctx, userID)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: list passkeys: %w", ErrStore, err)
	}
	i := slices.IndexFunc(all, func(p store.Passkey) bool { return p.ID == id })
	if i < 0 {
		return nil, nil, fmt.Errorf("%w: the credential is not one of the user's passkeys (unknown, deleted or another user's)", ErrPasskey)
	}
	return &all[i], all, nil
}

// verifyAssertion verifies the assertion in the request's "response"
// against the ceremony c: the credential is found by its ID (of userID
// only, when not "", and never except), its account still linked to the
// same user; the ceremony checks the signature, origin and challenge; its
// counter must advance (unless both counts are 0: synced passkeys always
// report 0) and is recorded atomically. Errors wrap ErrPasskey or
// ErrStore.
func (a *Auth) verifyAssertion(rq *request, c *passkeyCeremony, userID, except string) (*store.Passkey, *store.User, *PasskeyAssertion, error) {
	ctx := rq.r.Context()
	var stored *store.Passkey
	var owner *store.User
	find := func(id string, _ []byte) (PasskeyUser, error) {
		p, all, err := a.assertedPasskey(ctx, id, userID)
		switch {
		case err != nil:
			return PasskeyUser{}, err
		case except != "" && p.ID == except:
			return PasskeyUser{}, fmt.Errorf("%w: the passkey of the first step cannot be the second", ErrPasskey)
		}
		u, err := a.cfg.Users.GetUserByAccount(ctx, PasskeyProviderID, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return PasskeyUser{}, fmt.Errorf("%w: the credential's account was unlinked", ErrPasskey)
		case err != nil:
			return PasskeyUser{}, fmt.Errorf("%w: the credential's user: %w", ErrStore, err)
		case u.ID != p.UserID:
			return PasskeyUser{}, fmt.Errorf("%w: the credential's account is another user's", ErrPasskey)
		}
		stored, owner = p, u
		pu := passkeyUserOf(u, nil)
		pu.Credentials = []store.Passkey{*p}
		if all != nil {
			// The options named all of the user's passkeys.
			pu.Credentials = without(all, except)
		}
		return pu, nil
	}
	as, err := a.cfg.Passkeys.FinishLogin(a.passkeyRP(), c.Session, []byte(passkeyResponse(rq)), find)
	if err == nil && (stored == nil || as.ID != stored.ID) {
		err = fmt.Errorf("%w: the assertion is not of the credential found", ErrPasskey)
	}
	if err != nil {
		if !errors.Is(err, ErrStore) && !errors.Is(err, ErrPasskey) {
			err = fmt.Errorf("%w: %w", ErrPasskey, err)
		}
		return nil, nil, nil, err
	}
	if (stored.SignCount != 0 || as.SignCount != 0) && as.SignCount <= stored.SignCount {
		return nil, nil, nil, fmt.Errorf("%w: the sign count went from %d to %d: the authenticator may be cloned", ErrPasskey, stored.SignCount, as.SignCount)
	}
	err = a.passkeys.UsePasskey(ctx, stored.ID, stored.SignCount, as.SignCount, as.BackupState, a.cfg.Now())
	switch {
	case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrNotFound):
		return nil, nil, nil, fmt.Errorf("%w: the passkey was used or deleted meanwhile: %w", ErrPasskey, err)
	case err != nil:
		return nil, nil, nil, fmt.Errorf("%w: use passkey: %w", ErrStore, err)
	}
	return stored, owner, as, nil
}

// handlePasskeyCallback is POST /callback/passkey (CSRF; rate limited as
// a sign-in) with the assertion as "response": verifyAssertion, then the
// sign-in completes as every other one (the SignIn callback, the session).
// A passkey whose authenticator verified the user (UV: a PIN, biometrics)
// is two factors, so the second step of TwoFactor is not asked; without
// UV it is. A refusal is 401 {"error": "Passkey", "url": the sign-in page
// with ?error=Passkey}.
func (a *Auth) handlePasskeyCallback(w http.ResponseWriter, r *http.Request) {
	rq, ok := a.passkeyJSON(w, r)
	if !ok {
		return
	}
	if !a.allowSignIn(rq, CodePasskey) {
		return
	}
	if rq.body.Get("action") == "register" {
		a.authjsRegister(rq)
		return
	}
	c, err := a.useCeremony(rq, ceremonyLogin)
	if err != nil {
		a.passkeySignInRefused(rq, err)
		return
	}
	stored, owner, as, err := a.verifyAssertion(rq, c, "", "")
	if err != nil {
		a.passkeySignInRefused(rq, err)
		return
	}
	rq.secondFactorDone, rq.passkeyUsed, rq.passkeyOwner = as.UserVerified, stored.ID, owner
	a.rememberCallbackURL(rq, a.callbackURL(rq))
	res := &oauth.Result{User: &oauth.User{ID: stored.ID, Name: owner.Name}, Profile: map[string]any{"credentialId": stored.ID}}
	a.completeSignIn(rq, passkeyProvider(), res)
}

// handlePasskeyRename is POST /passkeys/rename (CSRF; signed in) with
// "id" and "name". JSON 200 {"renamed": id}, 404 AccountNotFound; a
// form goes back to the passkeys page.
func (a *Auth) handlePasskeyRename(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	if !a.passkeyCSRF(rq) {
		return
	}
	page := a.wantsPage(rq)
	u, ok := a.signedInForPasskeys(rq, page)
	if !ok {
		return
	}
	id := rq.body.Get("id")
	err := a.RenamePasskey(r.Context(), u.ID, id, rq.body.Get("name"))
	switch {
	case errors.Is(err, ErrPasskeyName):
		a.formAnswer(rq, passkeysPath, page, http.StatusBadRequest, CodePasskey, "", nil)
	case errors.Is(err, store.ErrNotFound):
		a.formAnswer(rq, passkeysPath, page, http.StatusNotFound, CodeAccountNotFound, "", nil)
	case err != nil:
		a.log.ErrorContext(r.Context(), "authgen: renaming a passkey", "error", err)
		a.formAnswer(rq, passkeysPath, page, http.StatusServiceUnavailable, CodeConfiguration, "", nil)
	default:
		a.formAnswer(rq, passkeysPath, page, http.StatusOK, "", "renamed", map[string]string{"renamed": id})
	}
}

// DeletePasskey deletes the user's passkey: its account is unlinked first,
// as UnlinkAccount unlinks it, so the user's last way to sign in is
// refused (ErrLastAccount) and nothing changes; then the credential is
// deleted. A credential whose account is gone already (a failure between
// the two writes left it) is deleted alone. An unknown passkey wraps
// store.ErrNotFound.
func (a *Auth) DeletePasskey(ctx context.Context, userID, id string) error {
	if a.passkeys == nil {
		return fmt.Errorf("%w: passkeys are off", ErrConfig)
	}
	mu := a.unlinking.of(userID)
	mu.Lock()
	defer mu.Unlock()
	return a.removePasskey(ctx, userID, id, true)
}

// removePasskey unlinks the passkey's account (unlinkAccount: the
// last-way check, the event) and then deletes its credential, its caller
// holding the user's unlinking lock: UnlinkAccount of a passkey's account
// and DeletePasskey. orphan: a credential without an account is deleted
// too (DeletePasskey: the passkeys page lists it), else its account's
// absence is store.ErrNotFound (UnlinkAccount: the account page lists
// none). The account goes first: a failure between the two writes leaves
// a credential without an account, which signs in to nothing and answers
// no second step (secondStepPasskeys), never an account without a
// credential, which would count as a way to sign in.
func (a *Auth) removePasskey(ctx context.Context, userID, id string, orphan bool) error {
	unlinked := a.unlinkAccount(ctx, userID, PasskeyProviderID, id)
	if unlinked != nil && (!orphan || !errors.Is(unlinked, store.ErrNotFound)) {
		return unlinked
	}
	err := a.passkeys.DeletePasskey(ctx, userID, id)
	switch {
	case errors.Is(err, store.ErrNotFound) && unlinked == nil:
		// An account without its credential: it is gone now.
		return nil
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("server: passkey %q of the user: %w", shortID(id), err)
	case err != nil:
		return fmt.Errorf("%w: delete passkey: %w", ErrStore, err)
	}
	return nil
}

// handlePasskeyDelete is POST /passkeys/delete (CSRF; signed in) with
// "id". JSON 200 {"deleted": id}, 404 AccountNotFound, 409 LastAccount
// (nothing changes); a form goes back to the passkeys page.
func (a *Auth) handlePasskeyDelete(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	if !a.passkeyCSRF(rq) {
		return
	}
	page := a.wantsPage(rq)
	u, ok := a.signedInForPasskeys(rq, page)
	if !ok {
		return
	}
	id := rq.body.Get("id")
	err := a.DeletePasskey(r.Context(), u.ID, id)
	switch {
	case err == nil:
		a.formAnswer(rq, passkeysPath, page, http.StatusOK, "", "deleted", map[string]string{"deleted": id})
	case errors.Is(err, store.ErrNotFound):
		a.formAnswer(rq, passkeysPath, page, http.StatusNotFound, CodeAccountNotFound, "", nil)
	case errors.Is(err, ErrLastAccount):
		a.formAnswer(rq, passkeysPath, page, http.StatusConflict, CodeLastAccount, "", nil)
	default:
		a.log.ErrorContext(r.Context(), "authgen: deleting a passkey", "error", err)
		a.formAnswer(rq, passkeysPath, page, http.StatusServiceUnavailable, CodeConfiguration, "", nil)
	}
}

// passkeysPage is what the passkeys page shows.
type passkeysPage struct {
	Passkeys []store.Passkey
	// Notice after an action.
	Notice string
	// The forms' and the script's URLs.
	OptionsURL, RegisterURL, RenameURL, DeleteURL, ScriptURL, AccountURL string
}

// passkeySignIn is what a page needs for a passkey ceremony: the sign-in
// page's, the second step's, and adding one while setting up the second
// step (CallbackURL is then the registration's).
type passkeySignIn struct {
	OptionsURL, CallbackURL, ScriptURL string
	// SignUpURL and SignUpOptionsURL sign up with a passkey, on the
	// sign-in page with Config.PasskeySignUp ("" otherwise).
	SignUpOptionsURL, SignUpURL string
}

// passkeyNotices are the notices of the actions that come back.
var passkeyNotices = map[string]string{"renamed": "The passkey was renamed.", "deleted": "The passkey was deleted."}

// handlePasskeysPage is GET /passkeys: the signed-in user's passkeys
// (name, created, last used) with rename and delete forms, and "Add a
// passkey".
func (a *Auth) handlePasskeysPage(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	u, ok := a.signedInForPasskeys(rq, true)
	if !ok {
		return
	}
	list, err := a.passkeys.ListPasskeys(r.Context(), u.ID)
	if err != nil {
		a.fail(w, rq, CodeConfiguration, fmt.Errorf("%w: list passkeys: %w", ErrStore, err))
		return
	}
	q := r.URL.Query()
	pp := &passkeysPage{
		Passkeys: list, Notice: passkeyNotices[q.Get("done")],
		OptionsURL: rq.apiURL(a, passkeysPath+"/register/options"), RegisterURL: rq.apiURL(a, passkeysPath+"/register"),
		RenameURL: rq.apiURL(a, passkeysPath+"/rename"), DeleteURL: rq.apiURL(a, passkeysPath+"/delete"),
		ScriptURL: a.passkeyScriptURL(), AccountURL: rq.apiURL(a, accountPagePath),
	}
	data := pageData{CSRFToken: a.csrfToken(rq), Home: rq.origin.String(), Origin: rq.origin.Host, Passkeys: pp, formAction: []string{}}
	if code := Code(q.Get("error")); code != "" {
		data.Error, data.Message = code, errorMessage(code)
	}
	a.pages.render(w, http.StatusOK, "passkeys", data)
}

// passkeyScriptURL is the versioned URL path of passkey.js.
func (a *Auth) passkeyScriptURL() string {
	return a.cfg.BasePath + PasskeyScriptPath + "?v=" + passkeyScriptVersion()
}

// handlePasskeyScript is GET /passkey.js, served as client.js.
func (a *Auth) handlePasskeyScript(w http.ResponseWriter, r *http.Request) {
	serveScript(w, r, "passkey.js", passkeyScript, passkeyScriptVersion())
}

// serveScript serves an embedded script with a strong ETag, cached for a
// year when asked for by its version v and for a few minutes otherwise.
func serveScript(w http.ResponseWriter, r *http.Request, name string, body []byte, v string) {
	h := w.Header()
	delete(h, "Pragma")
	delete(h, "Expires")
	h["Content-Type"] = []string{"text/javascript; charset=utf-8"}
	h["Etag"] = []string{`"` + v + `"`}
	if r.URL.Query().Get("v") == v {
		h["Cache-Control"] = []string{clientCacheVersioned}
	} else {
		h["Cache-Control"] = []string{clientCacheShort}
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}
