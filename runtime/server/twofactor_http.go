package server

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"

	"github.com/authgen/authgen/runtime/store"
)

// The two-factor routes: the pages and JSON endpoints of twofactor.go.
func (a *Auth) twoFactorRoutes(mux *http.ServeMux) {
	b := a.cfg.BasePath + twoFactorPath
	mux.HandleFunc("GET "+b, a.handleTwoFactorPage)
	mux.HandleFunc("POST "+b+"/enroll", a.handleTwoFactorEnroll)
	mux.HandleFunc("POST "+b+"/confirm", a.handleTwoFactorConfirm)
	mux.HandleFunc("POST "+b+"/disable", a.handleTwoFactorDisable)
	mux.HandleFunc("POST "+b+"/recovery-codes", a.handleTwoFactorRegenerate)
	mux.HandleFunc("GET "+b+"/verify", a.handleTwoFactorVerifyPage)
	mux.HandleFunc("POST "+b+"/verify", a.handleTwoFactorVerify)
}

// twoFactorSubject is who a /2fa request is for: the signed-in user, or,
// when the request says "for" "sign-in" (forSignIn: the set-up page of a
// sign-in that must enrol first), the user of that pending sign-in
// (pending non-nil). Naming the intent keeps a browser signed in as one
// user, with another's sign-in pending (a link the other mailed), from
// setting up the wrong user's second factor. Without the session it
// answers — a page sends the visitor to sign in and back, JSON is 401
// SessionRequired — without the pending sign-in 401 TwoFactor, and returns
// false.
func (a *Auth) twoFactorSubject(rq *request, page bool) (User, *pendingTwoFactor, bool) {
	if forSignIn(rq) {
		u, p, ok := a.settingUpSignIn(rq, page)
		if !ok {
			return User{}, nil, false
		}
		return userOf(u), p, true
	}
	c, err := a.readSession(rq.r, rq.jar)
	switch {
	case errors.Is(err, ErrStore):
		a.log.ErrorContext(rq.r.Context(), "authgen: reading session", "error", err)
		a.twoFactorAnswer(rq, page, http.StatusServiceUnavailable, CodeConfiguration, "", nil)
		return User{}, nil, false
	case err != nil:
		if page {
			http.Redirect(rq.w, rq.r, a.pageURL(rq, a.cfg.Pages.SignIn, "/signin", url.Values{"callbackUrl": {rq.apiURL(a, twoFactorPath)}}), http.StatusSeeOther)
			return User{}, nil, false
		}
		writeJSON(rq.w, http.StatusUnauthorized, map[string]string{"error": string(CodeSessionRequired)})
		return User{}, nil, false
	}
	return c.session.User, nil, true
}

// twoFactorAnswer answers a /2fa action: JSON, or for a browser's form a
// redirect to the /2fa page with ?error= or ?done= (see formAnswer), for
// the pending sign-in again when the action was.
func (a *Auth) twoFactorAnswer(rq *request, page bool, status int, code Code, done string, body any) {
	a.formAnswer(rq, twoFactorSetUpPath(forSignIn(rq)), page, status, code, done, body)
}

// settingUpSignIn is the pending sign-in that must set up a second step
// (an app or a passkey) before its session starts, and its user, for a
// request that says it acts for it (forSignIn). Without one it ends the
// pending sign-in (401 TwoFactor, or the error page); a sign-in waiting
// for its code instead (a stale set-up tab, a link) is left as it is and
// sent back to the code page (page), or answered 401 TwoFactor with that
// page as "url"; either way it returns false.
func (a *Auth) settingUpSignIn(rq *request, page bool) (*store.User, *pendingTwoFactor, bool) {
	p := a.pendingSignIn(rq)
	switch {
	case !a.twoFactorOn() || p == nil:
		rq.jsonResponse = rq.jsonResponse || !page
		a.deadPending(rq, "a second step's set-up for a sign-in, but no sign-in waits to set one up in this browser")
		return nil, nil, false
	case !p.Enrol:
		verify := rq.apiURL(a, twoFactorPath+"/verify")
		if page {
			http.Redirect(rq.w, rq.r, verify, http.StatusSeeOther)
		} else {
			writeJSON(rq.w, http.StatusUnauthorized, map[string]string{"error": string(CodeTwoFactor), "url": verify})
		}
		return nil, nil, false
	}
	u, err := a.cfg.Users.GetUser(rq.r.Context(), p.User)
	if err != nil {
		a.deadPending(rq, "the pending sign-in's user: "+err.Error())
		return nil, nil, false
	}
	return u, p, true
}

// forSignIn reports whether a request says "for" "sign-in" (in its form,
// or the page's query): it acts for the pending sign-in of this browser,
// not for the signed-in user.
func forSignIn(rq *request) bool {
	return rq.body.Get("for") == "sign-in" || rq.r.URL.Query().Get("for") == "sign-in"
}

// twoFactorSetUpPath is the /2fa page, for a pending sign-in's set-up when
// pending.
func twoFactorSetUpPath(pending bool) string {
	if pending {
		return twoFactorPath + "?for=sign-in"
	}
	return twoFactorPath
}

// twoFactorError answers a runtime call's error.
func (a *Auth) twoFactorError(rq *request, page bool, err error) {
	switch {
	case errors.Is(err, ErrTwoFactorCode):
		a.twoFactorAnswer(rq, page, http.StatusUnauthorized, CodeTwoFactorCode, "", nil)
	case errors.Is(err, ErrTwoFactorNotEnabled), errors.Is(err, ErrTwoFactorEnabled):
		a.twoFactorAnswer(rq, page, http.StatusConflict, CodeTwoFactor, "", nil)
	default:
		a.log.ErrorContext(rq.r.Context(), "authgen: two-factor", "error", err)
		a.twoFactorAnswer(rq, page, http.StatusServiceUnavailable, CodeConfiguration, "", nil)
	}
}

// twoFactorNotices are the notices of the actions that come back to /2fa.
var twoFactorNotices = map[string]string{
	"disabled": "Two-factor sign-in is off.",
}

// handleTwoFactorPage is GET /2fa: set up two-factor sign-in (a button,
// then the QR code, the secret and a field for the first code), or, once
// it is on, turn it off or get new recovery codes.
func (a *Auth) handleTwoFactorPage(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	ctx := r.Context()
	user, pending, ok := a.twoFactorSubject(rq, true)
	if !ok {
		return
	}
	status, err := a.TwoFactorStatus(ctx, user.ID)
	if err != nil {
		a.fail(w, rq, CodeConfiguration, err)
		return
	}
	page := a.twoFactorPageData(rq, status, pending != nil)
	if pending == nil && a.passkeys != nil {
		page.PasskeysURL = rq.apiURL(a, passkeysPath)
	}
	if pending != nil && a.passkeys != nil {
		page.AddPasskey = &passkeySignIn{OptionsURL: rq.apiURL(a, passkeysPath+"/register/options"), CallbackURL: rq.apiURL(a, passkeysPath+"/register"), ScriptURL: a.passkeyScriptURL()}
	}
	if status.Pending {
		en, err := a.Enrolment(ctx, user)
		if err != nil {
			a.fail(w, rq, CodeConfiguration, err)
			return
		}
		page.Enrolment, page.QR = en, a.qrSVG(ctx, en.URI)
		page.OTPAuth = template.URL(en.URI) //nolint:gosec // built by totp.URI, not the user's text
	}
	q := r.URL.Query()
	page.Notice = twoFactorNotices[q.Get("done")]
	data := a.twoFactorData(rq, page)
	if code := Code(q.Get("error")); code != "" {
		data.Error, data.Message = code, errorMessage(code)
		page.WrongCode = code == CodeTwoFactorCode
	}
	a.pages.render(w, http.StatusOK, "two-factor", data)
}

// twoFactorPageData fills in the forms' actions.
func (a *Auth) twoFactorPageData(rq *request, status TwoFactorStatus, pending bool) *twoFactorPage {
	return &twoFactorPage{
		Status: status, Pending: pending,
		EnrollURL: rq.apiURL(a, twoFactorPath+"/enroll"), ConfirmURL: rq.apiURL(a, twoFactorPath+"/confirm"),
		DisableURL: rq.apiURL(a, twoFactorPath+"/disable"), RegenerateURL: rq.apiURL(a, twoFactorPath+"/recovery-codes"),
		VerifyURL: rq.apiURL(a, twoFactorPath+"/verify"),
	}
}

// handleTwoFactorEnroll is POST /2fa/enroll (CSRF): a new secret, replacing
// an enrolment not yet confirmed. JSON: 200 {"secret", "uri"}, 409
// TwoFactor when it is enabled; a form goes back to /2fa, which shows the
// QR code.
func (a *Auth) handleTwoFactorEnroll(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	if !a.twoFactorCSRF(rq) {
		return
	}
	page := a.wantsPage(rq)
	user, _, ok := a.twoFactorSubject(rq, page)
	if !ok {
		return
	}
	en, err := a.BeginTwoFactor(r.Context(), user)
	if err != nil {
		a.twoFactorError(rq, page, err)
		return
	}
	a.twoFactorAnswer(rq, page, http.StatusOK, "", "enrolling", map[string]string{"secret": en.Secret, "uri": en.URI})
}

// twoFactorCSRF checks a /2fa action's CSRF token, answering 403
// MissingCSRF when it fails.
func (a *Auth) twoFactorCSRF(rq *request) bool {
	if err := a.checkCSRF(rq); err != nil {
		a.log.WarnContext(rq.r.Context(), "authgen: two-factor action refused", "code", string(CodeMissingCSRF), "error", err)
		a.twoFactorAnswer(rq, a.wantsPage(rq), http.StatusForbidden, CodeMissingCSRF, "", nil)
		return false
	}
	return true
}

// handleTwoFactorConfirm is POST /2fa/confirm (CSRF) with the first code:
// two-factor sign-in is on, and the answer carries the 10 recovery codes,
// once — JSON {"recoveryCodes": [...]}, or a page listing them. For a
// sign-in that had to enrol (TwoFactorRequired) the session starts here,
// and the attempt counts against the pending sign-in's 5.
func (a *Auth) handleTwoFactorConfirm(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	ctx := r.Context()
	if !a.twoFactorCSRF(rq) {
		return
	}
	page := a.wantsPage(rq)
	user, pending, ok := a.twoFactorSubject(rq, page)
	if !ok {
		return
	}
	if pending != nil {
		if !a.spendPendingAttempt(rq, pending, "the sign-in that had to enrol expired or tried too many codes") {
			return
		}
	}
	codes, err := a.ConfirmTwoFactor(ctx, user.ID, rq.body.Get("code"))
	if err != nil {
		a.twoFactorError(rq, page, err)
		return
	}
	show := func(target string) {
		if !page {
			body := map[string]any{"recoveryCodes": codes}
			if target != "" {
				body["url"] = target
			}
			writeJSON(w, http.StatusOK, body)
			return
		}
		tp := a.twoFactorPageData(rq, TwoFactorStatus{Enabled: true, RecoveryCodes: len(codes)}, false)
		tp.RecoveryCodes, tp.Continue = codes, target
		if target == "" {
			tp.Continue = rq.apiURL(a, twoFactorPath)
		}
		a.pages.render(w, http.StatusOK, "two-factor", a.twoFactorData(rq, tp))
	}
	if pending == nil {
		show("")
		return
	}
	if used, err := a.endPending(ctx, pending); err != nil || !used {
		a.deadPending(rq, "the sign-in that had to enrol was used meanwhile")
		return
	}
	a.finishPending(rq, pending, show)
}

// handleTwoFactorDisable is POST /2fa/disable (CSRF) with a current code
// or a recovery code. JSON: 200 {"disabled": true}, 401 TwoFactorCode, 409
// TwoFactor when it is not on; a form goes back to /2fa.
func (a *Auth) handleTwoFactorDisable(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	if !a.twoFactorCSRF(rq) {
		return
	}
	page := a.wantsPage(rq)
	c, ok := a.signedInUser(rq, page)
	if !ok || !a.allowCode(rq, CodeTwoFactorCode, c.session.User.ID) {
		return
	}
	if err := a.DisableTwoFactor(r.Context(), c.session.User.ID, rq.body.Get("code")); err != nil {
		a.twoFactorError(rq, page, err)
		return
	}
	a.twoFactorAnswer(rq, page, http.StatusOK, "", "disabled", map[string]bool{"disabled": true})
}

// handleTwoFactorRegenerate is POST /2fa/recovery-codes (CSRF) with a
// current code or a recovery code: 10 new recovery codes replace the
// others, shown once (JSON {"recoveryCodes": [...]}, or a page).
func (a *Auth) handleTwoFactorRegenerate(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	if !a.twoFactorCSRF(rq) {
		return
	}
	page := a.wantsPage(rq)
	c, ok := a.signedInUser(rq, page)
	if !ok || !a.allowCode(rq, CodeTwoFactorCode, c.session.User.ID) {
		return
	}
	codes, err := a.RegenerateRecoveryCodes(r.Context(), c.session.User.ID, rq.body.Get("code"))
	if err != nil {
		a.twoFactorError(rq, page, err)
		return
	}
	if !page {
		writeJSON(w, http.StatusOK, map[string]any{"recoveryCodes": codes})
		return
	}
	tp := a.twoFactorPageData(rq, TwoFactorStatus{Enabled: true, RecoveryCodes: len(codes)}, false)
	tp.RecoveryCodes, tp.Continue = codes, rq.apiURL(a, twoFactorPath)
	a.pages.render(w, http.StatusOK, "two-factor", a.twoFactorData(rq, tp))
}

// handleTwoFactorVerifyPage is GET /2fa/verify: the code page of the
// browser's sign-in waiting for its second factor; without one, the
// sign-in page with ?error=TwoFactor.
func (a *Auth) handleTwoFactorVerifyPage(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	p := a.pendingSignIn(rq)
	if p == nil || p.Enrol {
		a.deadPending(rq, "no sign-in waits for a code in this browser")
		return
	}
	status, err := a.TwoFactorStatus(r.Context(), p.User)
	if err != nil {
		a.fail(w, rq, CodeConfiguration, err)
		return
	}
	hasPasskey, err := a.hasPasskey(r.Context(), p.User, p.Except)
	if err != nil {
		a.fail(w, rq, CodeConfiguration, err)
		return
	}
	tp := a.twoFactorPageData(rq, TwoFactorStatus{}, true)
	tp.CodeForm = status.Enabled || !hasPasskey
	if hasPasskey {
		tp.Passkey = &passkeySignIn{OptionsURL: rq.apiURL(a, twoFactorPath+"/passkey/options"), CallbackURL: rq.apiURL(a, twoFactorPath+"/passkey"), ScriptURL: a.passkeyScriptURL()}
	}
	data := a.twoFactorData(rq, tp)
	if Code(r.URL.Query().Get("error")) == CodeTwoFactorCode {
		tp.WrongCode = true
		data.Error, data.Message = CodeTwoFactorCode, errorMessage(CodeTwoFactorCode)
	}
	a.pages.render(w, http.StatusOK, "two-factor-verify", data)
}

// handleTwoFactorVerify is POST /2fa/verify (CSRF; rate limited per
// client and per user): the code (TOTP or recovery) of the browser's pending sign-in.
// The attempt is counted server-side first; past 5, or after the sign-in's
// 10 minutes, or with a cookie that does not open, the sign-in is over
// (the sign-in page with ?error=TwoFactor; JSON 401 {"error":
// "TwoFactor"}). A wrong or used code shows the page again (JSON 401
// {"error": "TwoFactorCode"}); the right one starts the session and
// redirects to the callbackUrl ({"url"} for JSON).
func (a *Auth) handleTwoFactorVerify(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	ctx := r.Context()
	if err := a.checkCSRF(rq); err != nil {
		a.fail(w, rq, CodeMissingCSRF, err)
		return
	}
	p := a.pendingSignIn(rq)
	if p == nil || p.Enrol {
		a.deadPending(rq, "a code, but no sign-in waits for one in this browser (or its cookie expired or was altered)")
		return
	}
	if !a.spendPendingAttempt(rq, p, "the sign-in expired, was used, or tried too many codes") {
		return
	}
	if err := a.useSecondFactor(ctx, p.User, rq.body.Get("code")); err != nil {
		if !errors.Is(err, ErrTwoFactorCode) {
			a.fail(w, rq, CodeCallback, err)
			return
		}
		a.log.InfoContext(ctx, "authgen: two-factor: wrong code", "user", p.User)
		if rq.jsonResponse || !acceptsHTML(r) {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": string(CodeTwoFactorCode)})
			return
		}
		http.Redirect(w, r, withQuery(rq.apiURL(a, twoFactorPath+"/verify"), url.Values{"error": {string(CodeTwoFactorCode)}}), http.StatusSeeOther)
		return
	}
	if used, err := a.endPending(ctx, p); err != nil || !used {
		if err != nil {
			a.log.ErrorContext(ctx, "authgen: two-factor", "error", err)
		}
		a.deadPending(rq, "the sign-in was finished meanwhile")
		return
	}
	a.finishPending(rq, p, func(target string) { rq.redirectTo(target, http.StatusOK) })
}

// twoFactorData is the data of a two-factor page. Its forms post to the
// API, which may redirect to the callbackUrl or the sign-in page, so the
// page's form-action names their origins too.
func (a *Auth) twoFactorData(rq *request, tp *twoFactorPage) pageData {
	return pageData{
		CSRFToken: a.csrfToken(rq), Home: rq.origin.String(), Origin: rq.origin.Host, TwoFactor: tp,
		formAction: a.emailFormAction(rq, a.callbackURL(rq)),
	}
}

// spendPendingAttempt counts a code tried for the pending sign-in p: as a
// sign-in start of the client and a code for p's user (rate limited), and
// on p's server-side record. It answers and returns false when the client is over its limit,
// the store fails, or p is used up (why says how, for the log).
func (a *Auth) spendPendingAttempt(rq *request, p *pendingTwoFactor, why string) bool {
	if !a.allowCode(rq, CodeTwoFactor, p.User) {
		return false
	}
	alive, err := a.countPendingAttempt(rq.r.Context(), p)
	if err != nil {
		a.fail(rq.w, rq, CodeCallback, err)
		return false
	}
	if !alive {
		a.deadPending(rq, why)
		return false
	}
	return true
}
