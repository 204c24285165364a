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
// store.Passkeys. The ceremony (Config.Passkeys) verifies the browser's
// answers; its session data — the challenge — travels sealed in the
// Passkey check cookie for passkeyTTL and is used once: a verification
// token recorded at the options and used at the answer, so a replayed
// answer is refused on every instance.

// PasskeyProviderID is the provider of passkeys' accounts.
const PasskeyProviderID = "passkey"

// passkeyAccountType is the Type of passkeys' accounts (as Auth.js's
// WebAuthn provider).
const passkeyAccountType = "webauthn"

// passkeyTTL is how long a ceremony may take.
const passkeyTTL = 5 * time.Minute

// passkeysPath is the passkeys page and the root of their routes.
const passkeysPath = "/passkeys"

// PasskeyScriptPath is the path of the passkey ceremony's script under the
// base path; the built-in pages load it (their CSP allows 'self').
const PasskeyScriptPath = "/passkey.js"

// maxPasskeyName bounds a passkey's name, in bytes.
const maxPasskeyName = 100

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
	if c.PasskeySignUp {
		problems = append(problems, "PasskeySignUp is not supported yet: passkeys attach to signed-in users")
	}
	for _, p := range c.Providers {
		if p != nil && p.ID == PasskeyProviderID {
			problems = append(problems, fmt.Sprintf("provider ID %q is the passkeys'", PasskeyProviderID))
		}
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
}

// passkeyRP is the relying party: the cookie domain when set (sessions
// are shared below it, and so are passkeys), else the host of URL; the
// one origin is URL's.
func (a *Auth) passkeyRP() PasskeyRP {
	id := a.cfg.URL.Hostname()
	if d := strings.TrimPrefix(a.cfg.CookieDomain, "."); d != "" {
		id = d
	}
	return PasskeyRP{ID: id, Name: cmp.Or(a.cfg.Theme.AppName, a.cfg.URL.Hostname()), Origins: []string{originOf(a.cfg.URL)}}
}

// passkeyCeremony is a ceremony waiting for the browser's answer, sealed
// in the Passkey cookie. Its single use is a verification token whose
// hash is of ID.
type passkeyCeremony struct {
	ID string `json:"id"`
	// Kind is "register" or "login".
	Kind string `json:"k"`
	// User registers (Kind "register").
	User    string          `json:"u,omitempty"`
	Session json.RawMessage `json:"s"`
}

// identifier is the verification token's identifier of a ceremony.
func (c *passkeyCeremony) identifier() string { return "passkey:" + c.Kind }

// passkeyTokens keeps the ceremonies' single use.
func (a *Auth) passkeyTokens() store.VerificationTokens {
	return a.passkeys.(store.VerificationTokens)
}

// beginCeremony records a ceremony server-side and seals it in the
// browser's Passkey cookie.
func (a *Auth) beginCeremony(rq *request, kind, userID string, session []byte) error {
	c := passkeyCeremony{ID: random32(), Kind: kind, User: userID, Session: session}
	expires := a.cfg.Now().Add(passkeyTTL)
	if err := a.passkeyTokens().CreateVerificationToken(rq.r.Context(), store.VerificationToken{
		Identifier: c.identifier(), TokenHash: store.HashToken(c.ID), Expires: expires,
	}); err != nil {
		return fmt.Errorf("%w: passkey: record the challenge: %w", ErrStore, err)
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("passkey: %w", err)
	}
	sealed, err := a.sealCheck(cookie.Passkey, PasskeyProviderID, string(payload), expires)
	if err != nil {
		return fmt.Errorf("passkey: seal the challenge: %w", err)
	}
	rq.jar.Set(rq.w, cookie.Passkey, sealed, expires)
	return nil
}

// useCeremony opens the browser's ceremony of kind and uses it up, once:
// ErrPasskey when the cookie is missing, does not open, expired, is of
// another kind or was used already (a replay). The cookie is deleted
// whatever happens.
func (a *Auth) useCeremony(rq *request, kind string) (*passkeyCeremony, error) {
	raw := a.openCheck(rq, cookie.Passkey, PasskeyProviderID)
	if rq.jar.Get(rq.r, cookie.Passkey) != "" {
		rq.jar.Delete(rq.w, cookie.Passkey)
	}
	var c passkeyCeremony
	if raw == "" || json.Unmarshal([]byte(raw), &c) != nil || c.ID == "" || c.Kind != kind {
		return nil, fmt.Errorf("%w: no %s ceremony in this browser (or it expired or was altered)", ErrPasskey, kind)
	}
	t, err := a.passkeyTokens().UseVerificationToken(rq.r.Context(), c.identifier(), store.HashToken(c.ID))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, fmt.Errorf("%w: the challenge was used already", ErrPasskey)
	case err != nil:
		return nil, fmt.Errorf("%w: passkey: use the challenge: %w", ErrStore, err)
	case !a.cfg.Now().Before(t.Expires):
		return nil, fmt.Errorf("%w: the challenge expired", ErrPasskey)
	}
	return &c, nil
}

// passkeyUser is user with their passkeys, as a ceremony sees them.
func (a *Auth) passkeyUser(ctx context.Context, u *store.User) (PasskeyUser, error) {
	list, err := a.passkeys.ListPasskeys(ctx, u.ID)
	if err != nil {
		return PasskeyUser{}, fmt.Errorf("%w: list passkeys: %w", ErrStore, err)
	}
	name := cmp.Or(u.Email, u.Name, u.ID)
	return PasskeyUser{Handle: []byte(u.ID), Name: name, DisplayName: cmp.Or(u.Name, name), Credentials: list}, nil
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
// once it answered 401 SessionRequired (a page: sent to sign in).
func (a *Auth) signedInForPasskeys(rq *request, page bool) (*store.User, bool) {
	c, err := a.readSession(rq.r, rq.jar)
	switch {
	case errors.Is(err, ErrStore):
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, err)
		return nil, false
	case err != nil:
		if page {
			http.Redirect(rq.w, rq.r, a.pageURL(rq, a.cfg.Pages.SignIn, "/signin", url.Values{"callbackUrl": {rq.apiURL(a, passkeysPath)}}), http.StatusSeeOther)
			return nil, false
		}
		writeJSON(rq.w, http.StatusUnauthorized, map[string]string{"error": string(CodeSessionRequired)})
		return nil, false
	}
	u, err := a.cfg.Users.GetUser(rq.r.Context(), c.session.User.ID)
	if err != nil {
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, fmt.Errorf("%w: the signed-in user: %w", ErrStore, err))
		return nil, false
	}
	return u, true
}

// handlePasskeyRegisterOptions is POST /passkeys/register/options (CSRF;
// signed in; rate limited as sign-in starts): the creation options for
// navigator.credentials.create ({"publicKey": …}), the challenge sealed
// in the Passkey cookie.
func (a *Auth) handlePasskeyRegisterOptions(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	rq.jsonResponse = true
	if !a.passkeyCSRF(rq) {
		return
	}
	u, ok := a.signedInForPasskeys(rq, false)
	if !ok || !a.allowSignIn(rq, CodePasskey) {
		return
	}
	pu, err := a.passkeyUser(r.Context(), u)
	if err != nil {
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, err)
		return
	}
	options, session, err := a.cfg.Passkeys.BeginRegistration(a.passkeyRP(), pu)
	if err == nil {
		err = a.beginCeremony(rq, "register", u.ID, session)
	}
	if err != nil {
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, err)
		return
	}
	writeJSON(w, http.StatusOK, json.RawMessage(options))
}

// handlePasskeyRegister is POST /passkeys/register (CSRF; signed in as
// the user the options were for) with the attestation as "response" and
// an optional "name": the passkey is stored and linked as an account of
// provider "passkey". 200 {"passkey": {id, name}}; 400 Passkey for an
// answer that does not verify (nothing changes).
func (a *Auth) handlePasskeyRegister(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	rq.jsonResponse = true
	if !a.passkeyCSRF(rq) {
		return
	}
	u, ok := a.signedInForPasskeys(rq, false)
	if !ok {
		return
	}
	ctx := r.Context()
	c, err := a.useCeremony(rq, "register")
	if err == nil && c.User != u.ID {
		err = fmt.Errorf("%w: the registration began for another user", ErrPasskey)
	}
	if err != nil {
		a.passkeyFailure(rq, err)
		return
	}
	pu, err := a.passkeyUser(ctx, u)
	if err != nil {
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, err)
		return
	}
	p, err := a.cfg.Passkeys.FinishRegistration(a.passkeyRP(), pu, c.Session, []byte(rq.body.Get("response")))
	if err != nil {
		a.passkeyFailure(rq, err)
		return
	}
	name, err := passkeyName(rq.body.Get("name"), len(pu.Credentials)+1)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": string(CodePasskey), "message": err.Error()})
		return
	}
	now := a.cfg.Now()
	p.UserID, p.Name, p.CreatedAt = u.ID, name, now
	if err := a.passkeys.CreatePasskey(ctx, *p); err != nil {
		if errors.Is(err, store.ErrConflict) {
			a.passkeyAnswer(rq, http.StatusConflict, CodePasskey, fmt.Errorf("the credential is registered already: %w", err))
			return
		}
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, fmt.Errorf("%w: create passkey: %w", ErrStore, err))
		return
	}
	acc := store.Account{UserID: u.ID, Type: passkeyAccountType, Provider: PasskeyProviderID, ProviderAccountID: p.ID, LinkedAt: now}
	if err := a.cfg.Users.LinkAccount(ctx, acc); err != nil {
		if derr := a.passkeys.DeletePasskey(ctx, u.ID, p.ID); derr != nil {
			a.log.ErrorContext(ctx, "authgen: passkey: deleting a passkey whose account did not link", "error", derr)
		}
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, fmt.Errorf("%w: link the passkey's account: %w", ErrStore, err))
		return
	}
	a.emitLinkAccount(ctx, u, acc, nil)
	a.log.InfoContext(ctx, "authgen: passkey registered", "user", u.ID)
	writeJSON(w, http.StatusOK, map[string]any{"passkey": map[string]string{"id": p.ID, "name": p.Name}})
}

// passkeyName is the name typed for a passkey, or "Passkey n".
func passkeyName(typed string, n int) (string, error) {
	name := strings.TrimSpace(typed)
	switch {
	case name == "":
		return fmt.Sprintf("Passkey %d", n), nil
	case len(name) > maxPasskeyName || !utf8.ValidString(name):
		return "", fmt.Errorf("a passkey's name is at most %d bytes of UTF-8", maxPasskeyName)
	}
	return name, nil
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

// handlePasskeyLoginOptions is POST /signin/passkey/options (CSRF; rate
// limited as sign-in starts): the request options for
// navigator.credentials.get, for discoverable credentials (no
// allowCredentials), the challenge sealed in the Passkey cookie.
func (a *Auth) handlePasskeyLoginOptions(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	rq.jsonResponse = true
	if err := a.checkCSRF(rq); err != nil {
		a.passkeyAnswer(rq, http.StatusForbidden, CodeMissingCSRF, err)
		return
	}
	if !a.allowSignIn(rq, CodePasskey) {
		return
	}
	options, session, err := a.cfg.Passkeys.BeginLogin(a.passkeyRP())
	if err == nil {
		err = a.beginCeremony(rq, "login", "", session)
	}
	if err != nil {
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, err)
		return
	}
	writeJSON(w, http.StatusOK, json.RawMessage(options))
}

// handlePasskeyCallback is POST /callback/passkey (CSRF) with the
// assertion as "response": the credential is found by its ID, verified,
// its counter checked (one that does not advance is refused when either
// count is not zero — synced passkeys always report 0) and recorded
// atomically, and the sign-in completes as every other one (the SignIn
// callback, the second factor, the session). A refusal is 401 {"error":
// "Passkey", "url": the sign-in page with ?error=Passkey}.
func (a *Auth) handlePasskeyCallback(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	rq.jsonResponse = true
	ctx := r.Context()
	if err := a.checkCSRF(rq); err != nil {
		a.passkeyAnswer(rq, http.StatusForbidden, CodeMissingCSRF, err)
		return
	}
	// Not counted against signInPerClient again: the options that began
	// this ceremony were, and a ceremony answers once.
	refuse := func(err error) {
		if !errors.Is(err, ErrPasskey) {
			a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, err)
			return
		}
		a.log.WarnContext(ctx, "authgen: passkey sign-in refused", "error", err)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": string(CodePasskey),
			"url": a.pageURL(rq, a.cfg.Pages.SignIn, "/signin", url.Values{"error": {string(CodePasskey)}})})
	}
	c, err := a.useCeremony(rq, "login")
	if err != nil {
		refuse(err)
		return
	}
	var stored *store.Passkey
	var owner *store.User
	find := func(id string, handle []byte) (PasskeyUser, error) {
		p, err := a.passkeys.GetPasskey(ctx, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return PasskeyUser{}, fmt.Errorf("%w: unknown or deleted credential", ErrPasskey)
		case err != nil:
			return PasskeyUser{}, fmt.Errorf("%w: get passkey: %w", ErrStore, err)
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
		name := cmp.Or(u.Email, u.Name, u.ID)
		return PasskeyUser{Handle: []byte(u.ID), Name: name, DisplayName: cmp.Or(u.Name, name), Credentials: []store.Passkey{*p}}, nil
	}
	as, err := a.cfg.Passkeys.FinishLogin(a.passkeyRP(), c.Session, []byte(rq.body.Get("response")), find)
	if err == nil && (stored == nil || as.ID != stored.ID) {
		err = fmt.Errorf("%w: the assertion is not of the credential found", ErrPasskey)
	}
	if err != nil {
		if !errors.Is(err, ErrStore) && !errors.Is(err, ErrPasskey) {
			err = fmt.Errorf("%w: %w", ErrPasskey, err)
		}
		refuse(err)
		return
	}
	if (stored.SignCount != 0 || as.SignCount != 0) && as.SignCount <= stored.SignCount {
		refuse(fmt.Errorf("%w: the sign count went from %d to %d: the authenticator may be cloned", ErrPasskey, stored.SignCount, as.SignCount))
		return
	}
	err = a.passkeys.UsePasskey(ctx, stored.ID, stored.SignCount, as.SignCount, as.BackupState, a.cfg.Now())
	switch {
	case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrNotFound):
		refuse(fmt.Errorf("%w: the passkey was used or deleted meanwhile: %w", ErrPasskey, err))
		return
	case err != nil:
		refuse(fmt.Errorf("%w: use passkey: %w", ErrStore, err))
		return
	}
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
	name, err := passkeyName(rq.body.Get("name"), 0)
	if err != nil || strings.TrimSpace(rq.body.Get("name")) == "" {
		a.formAnswer(rq, passkeysPath, page, http.StatusBadRequest, CodePasskey, "", nil)
		return
	}
	err = a.passkeys.RenamePasskey(r.Context(), u.ID, id, name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		a.formAnswer(rq, passkeysPath, page, http.StatusNotFound, CodeAccountNotFound, "", nil)
	case err != nil:
		a.log.ErrorContext(r.Context(), "authgen: renaming a passkey", "error", err)
		a.formAnswer(rq, passkeysPath, page, http.StatusServiceUnavailable, CodeConfiguration, "", nil)
	default:
		a.formAnswer(rq, passkeysPath, page, http.StatusOK, "", "renamed", map[string]string{"renamed": id})
	}
}

// DeletePasskey deletes the user's passkey: its account is unlinked first
// through UnlinkAccount, so the user's last way to sign in is refused
// (ErrLastAccount) and nothing changes; an unknown passkey wraps
// store.ErrNotFound.
func (a *Auth) DeletePasskey(ctx context.Context, userID, id string) error {
	if a.passkeys == nil {
		return fmt.Errorf("%w: passkeys are off", ErrConfig)
	}
	if err := a.UnlinkAccount(ctx, userID, PasskeyProviderID, id); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := a.passkeys.DeletePasskey(ctx, userID, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("server: passkey %q of the user: %w", shortID(id), err)
		}
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

// passkeySignIn is what the sign-in page needs for passkeys.
type passkeySignIn struct {
	OptionsURL, CallbackURL, ScriptURL string
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
