package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/store"
)

// Sign-up with a passkey (Config.PasskeySignUp): a visitor without an
// account chooses a name, their authenticator makes a passkey whose user
// handle is the new user's ID (chosen before the ceremony, created only
// when it succeeds), and the sign-in completes as any first sign-in — the
// SignIn callback may refuse, Events.CreateUser and LinkAccount report
// it. The new user has no e-mail address: an address nobody proved would
// let its owner's later sign-in with a provider be refused, or linked to
// the wrong user (pre-account takeover).

// passkeySignUpPath is the root of the sign-up routes.
const passkeySignUpPath = "/signup/passkey"

// passkeySignUp is a sign-up on its way through completeSignIn: the new
// user's ID, which is the credential's user handle, and the passkey to
// store once the user exists.
type passkeySignUp struct {
	userID  string
	passkey store.Passkey
}

// storeSignUpPasskey stores the passkey of a sign-up whose user was just
// created, deleting the user when it cannot (nothing is left half made).
func (a *Auth) storeSignUpPasskey(ctx context.Context, su *passkeySignUp) error {
	p := su.passkey
	p.UserID, p.CreatedAt = su.userID, a.cfg.Now()
	err := a.passkeys.CreatePasskey(ctx, p)
	if err == nil {
		return nil
	}
	if derr := a.cfg.Users.DeleteUser(ctx, su.userID); derr != nil {
		a.log.ErrorContext(ctx, "authgen: passkey sign-up: deleting the user whose passkey was not stored", "error", derr)
	}
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("%w: the credential is registered already: %w", ErrPasskey, err)
	}
	return fmt.Errorf("%w: create passkey: %w", ErrStore, err)
}

// signUpName is the name a visitor signs up with: trimmed, 1 to
// maxPasskeyName bytes of UTF-8.
func signUpName(typed string) (string, error) {
	name := strings.TrimSpace(typed)
	if name == "" || !validName(name) {
		return "", fmt.Errorf("a name of 1 to %d bytes of UTF-8 is needed", maxPasskeyName)
	}
	return name, nil
}

// refuseSignedIn answers 409 Passkey, with the passkeys page as "url",
// when the request carries a valid session (a store failure: 503) and
// reports whether it answered.
func (a *Auth) refuseSignedIn(rq *request) bool {
	_, err := a.readSession(rq.r, rq.jar)
	switch {
	case errors.Is(err, ErrStore):
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, err)
		return true
	case err == nil:
		writeJSON(rq.w, http.StatusConflict, map[string]string{"error": string(CodePasskey),
			"message": "signed in already: add a passkey on the passkeys page", "url": rq.apiURL(a, passkeysPath)})
		return true
	}
	return false
}

// handlePasskeySignUpOptions is POST /signup/passkey/options (CSRF;
// Config.PasskeySignUp) with "name": the creation options for a new user
// of that name, the ceremony sealed in the Passkey cookie. 400 Passkey
// without a name; 409 Passkey when signed in (add one at /passkeys).
func (a *Auth) handlePasskeySignUpOptions(w http.ResponseWriter, r *http.Request) {
	rq, ok := a.passkeyJSON(w, r)
	if !ok {
		return
	}
	if a.refuseSignedIn(rq) {
		return
	}
	name, err := signUpName(rq.body.Get("name"))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": string(CodePasskey), "message": err.Error()})
		return
	}
	options, c, err := a.signUpOptions(name)
	a.answerOptions(rq, c, options, err)
}

// signUpOptions begins a sign-up with a passkey by a new user named name,
// whose ID is chosen now: the creation options, and the ceremony with its
// session data.
func (a *Auth) signUpOptions(name string) ([]byte, passkeyCeremony, error) {
	id := store.NewID()
	options, session, err := a.cfg.Passkeys.BeginRegistration(a.passkeyRP(), PasskeyUser{Handle: []byte(id), Name: name, DisplayName: name})
	return options, passkeyCeremony{Kind: ceremonySignUp, User: id, Name: name, Session: session}, err
}

// handlePasskeySignUp is POST /signup/passkey (CSRF; rate limited as a
// sign-in) with the attestation as "response": the user is created with
// the passkey and signed in, as a first sign-in with a provider (200
// {"url"}; the newUser page when configured). A registration that does
// not verify is 401 {"error": "Passkey", "url"}, and nothing is created.
func (a *Auth) handlePasskeySignUp(w http.ResponseWriter, r *http.Request) {
	rq, ok := a.passkeyJSON(w, r)
	if !ok {
		return
	}
	if !a.allowSignIn(rq, CodePasskey) {
		return
	}
	a.signUpAnswer(rq)
}

// signUpAnswer signs up the user of the request's answer to a sign-up
// ceremony (handlePasskeySignUp after its checks).
func (a *Auth) signUpAnswer(rq *request) {
	c, err := a.useCeremony(rq, ceremonySignUp)
	if err != nil {
		a.passkeySignInRefused(rq, err)
		return
	}
	if a.refuseSignedIn(rq) {
		return
	}
	// A credential registered already is refused where the user would be
	// created: its account exists (applyPlan).
	reg, err := a.finishRegistration(PasskeyUser{Handle: []byte(c.User), Name: c.Name, DisplayName: c.Name}, c.Session, passkeyResponse(rq))
	if err != nil {
		a.passkeySignInRefused(rq, err)
		return
	}
	p := reg.Passkey
	p.Name, _ = passkeyName("", 1)
	rq.signUp = &passkeySignUp{userID: c.User, passkey: p}
	// As a passkey sign-in: without UV the second step is asked, and the
	// new passkey cannot answer it.
	rq.secondFactorDone, rq.passkeyUsed = reg.UserVerified, p.ID
	a.rememberCallbackURL(rq, a.callbackURL(rq))
	res := &oauth.Result{User: &oauth.User{ID: p.ID, Name: c.Name}, Profile: map[string]any{"credentialId": p.ID}}
	a.completeSignIn(rq, passkeyProvider(), res)
}
