package server

import (
	"cmp"
	"encoding/json"
	"net/http"

	"github.com/authgen/authgen/runtime/store"
)

// Auth.js's WebAuthn client — signIn("passkey") of next-auth/webauthn
// (@auth/core's Passkey provider) — on authgen's passkeys: it asks GET
// {basePath}/webauthn-options/passkey for {"action", "options"}, runs
// @simplewebauthn/browser with options, and posts the answer as "data"
// with "action" and the CSRF token to POST {basePath}/callback/passkey,
// which answers {"url"}. The ceremonies, checks and cookie are authgen's
// own: only the shapes of the two messages are Auth.js's.

// webAuthnOptionsPath is the path of Auth.js's WebAuthn options.
const webAuthnOptionsPath = "/webauthn-options/" + PasskeyProviderID

// handleWebAuthnOptions is GET /webauthn-options/passkey[?action=]: with
// action "register", or none while signed in, the creation options for a
// new passkey of the signed-in user — or, signed out with PasskeySignUp,
// of a new user named by "name" (or "email", which Auth.js's client
// passes; it becomes only the name: an unproven address is never
// stored); otherwise ("authenticate", or none signed out) the request
// options of a sign-in. It answers {"action", "options"}, options being
// the publicKey member of authgen's; the ceremony is sealed in the Passkey
// cookie. A GET: it changes nothing but that cookie, which a cross-site
// request cannot set (SameSite=Lax).
func (a *Auth) handleWebAuthnOptions(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	rq.jsonResponse = true
	q := r.URL.Query()
	action := q.Get("action")
	var u *store.User
	if action != "authenticate" {
		var ok bool
		if u, ok = a.passkeySessionUser(rq); !ok {
			return
		}
	}
	var options []byte
	var c passkeyCeremony
	var err error
	switch {
	case action == "register" || action == "" && u != nil:
		action = "register"
		switch {
		case u != nil:
			options, c, err = a.registrationOptions(r.Context(), u)
		case a.cfg.PasskeySignUp:
			name, nerr := signUpName(cmp.Or(q.Get("name"), q.Get("email")))
			if nerr != nil {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": string(CodePasskey), "message": nerr.Error()})
				return
			}
			options, c, err = a.signUpOptions(name)
		default:
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": string(CodeSessionRequired)})
			return
		}
	case action == "authenticate" || action == "":
		action = "authenticate"
		options, c, err = a.loginOptions()
	default:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": string(CodePasskey), "message": `action is "authenticate" or "register"`})
		return
	}
	var wrapped struct {
		PublicKey json.RawMessage `json:"publicKey"`
	}
	if err == nil {
		err = json.Unmarshal(options, &wrapped)
	}
	if err == nil {
		err = a.beginCeremony(rq, c)
	}
	if err != nil {
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"action": action, "options": wrapped.PublicKey})
}

// authjsRegister is POST /callback/passkey with action "register", as
// Auth.js's client finishes a registration: a signed-in user's new
// passkey (200 {"url": the callbackUrl}), else a sign-up with a passkey
// when PasskeySignUp allows it (signUpAnswer), else 401 SessionRequired.
func (a *Auth) authjsRegister(rq *request) {
	u, ok := a.passkeySessionUser(rq)
	switch {
	case !ok:
		return
	case u == nil && a.cfg.PasskeySignUp:
		a.signUpAnswer(rq)
		return
	case u == nil:
		writeJSON(rq.w, http.StatusUnauthorized, map[string]string{"error": string(CodeSessionRequired)})
		return
	}
	if _, ok := a.registerAnswer(rq, u, nil); ok {
		writeJSON(rq.w, http.StatusOK, map[string]string{"url": a.callbackURL(rq)})
	}
}
