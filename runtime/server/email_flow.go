package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/authgen/authgen/runtime/cookie"
	"github.com/authgen/authgen/runtime/email"
	"github.com/authgen/authgen/runtime/ratelimit"
	"github.com/authgen/authgen/runtime/store"
)

// E-mail sign-in, as Auth.js's email provider with two changes that make it
// safe to use: the link's GET shows a page whose button signs in (a mail
// scanner that follows links uses nothing up), and the mail also carries a
// 6-digit code that signs in the browser that asked for it.
//
// POST /signin/email stores a pending sign-in: a 32-byte random token,
// kept only as its HMAC under a key derived from the key set (label
// emailTokenLabel), with Attempts 0 and an expiry MaxAge away. The mail's
// link carries the token; its code is an HMAC of the token's hash under
// another derived key (emailCodeLabel), which the server recomputes from
// the check cookie (cookie.EmailCode, sealed like the OAuth check cookies)
// that names the pending sign-in. Either way in, the token is used once
// (UseVerificationToken); each code typed counts an attempt on its row
// first, and past maxCodeAttempts the sign-in is dead.

// Labels of the secrets derived from the key set for e-mail sign-in.
const (
	emailTokenLabel = "email-token"
	emailCodeLabel  = "email-code"
)

// maxCodeAttempts is how many codes may be tried against one pending
// sign-in; the next attempt ends it.
const maxCodeAttempts = 5

// emailSendTimeout bounds a Sender's Send.
const emailSendTimeout = 30 * time.Second

// emailCallbackPath is the route of the link and of the forms that finish
// an e-mail sign-in, relative to the base path (Auth.js's path).
const emailCallbackPath = "/callback/" + EmailProviderID

// tokenHash is the keyed hash under which a token is stored.
func tokenHash(key []byte, token string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

// signInCode is the 6-digit code of the pending sign-in stored under hash
// for identifier.
func signInCode(key []byte, identifier, hash string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(identifier))
	m.Write([]byte{0})
	m.Write([]byte(hash))
	n := binary.BigEndian.Uint64(m.Sum(nil)) % 1_000_000 // bias below 2⁻⁴⁴
	return fmt.Sprintf("%06d", n)
}

// codeMatches reports whether code is the code of the pending sign-in under
// any key still valid, in constant time.
func (a *Auth) codeMatches(identifier, hash, code string) bool {
	ok := 0
	for _, key := range a.cfg.Keys.Derive(emailCodeLabel, a.cfg.Now()) {
		ok |= subtle.ConstantTimeCompare([]byte(signInCode(key, identifier, hash)), []byte(code))
	}
	return ok == 1
}

// cleanCode drops the spaces and dashes a user may type or paste in a
// code; anything but digits is left for the comparison to refuse.
func cleanCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, s)
}

// handleEmailSignIn starts an e-mail sign-in: POST /signin/email with
// csrfToken, email and optionally callbackUrl.
func (a *Auth) handleEmailSignIn(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	if err := a.checkCSRF(rq); err != nil {
		a.fail(w, rq, CodeMissingCSRF, err)
		return
	}
	ctx := r.Context()
	identifier, err := a.normalizeEmail(ctx, rq.body.Get("email"))
	if err != nil {
		a.fail(w, rq, CodeEmailSignin, fmt.Errorf("e-mail sign-in: the address: %w", err))
		return
	}
	if !a.allowEmailSend(rq, identifier) {
		return // answered: nothing stored or sent
	}
	callbackURL := a.callbackURL(rq)
	a.rememberCallbackURL(rq, callbackURL)
	if !a.emailSignInAllowed(rq, identifier, true) {
		return
	}

	now := a.cfg.Now()
	e := a.email
	tokenKeys, codeKeys := a.cfg.Keys.Derive(emailTokenLabel, now), a.cfg.Keys.Derive(emailCodeLabel, now)
	if len(tokenKeys) == 0 || len(codeKeys) == 0 {
		a.fail(w, rq, CodeConfiguration, errors.New("e-mail sign-in: the key set has no valid signing key"))
		return
	}
	token := random32()
	hash := tokenHash(tokenKeys[0], token)
	code := signInCode(codeKeys[0], identifier, hash)
	link := rq.apiURL(a, emailCallbackPath) + "?" + url.Values{
		"token": {token}, "email": {identifier}, "callbackUrl": {callbackURL},
	}.Encode()
	subject, text, html, err := e.Templates.Render(email.Data{
		Name: e.Name, Email: identifier, Host: rq.origin.Host, Link: link, Code: code, Expires: humanDuration(e.MaxAge),
	})
	if err != nil {
		a.fail(w, rq, CodeEmailSignin, fmt.Errorf("e-mail sign-in: %w", err))
		return
	}
	expires := now.Add(e.MaxAge)
	if err := e.Tokens.CreateVerificationToken(ctx, store.VerificationToken{Identifier: identifier, TokenHash: hash, Expires: expires}); err != nil {
		a.fail(w, rq, CodeEmailSignin, fmt.Errorf("%w: e-mail sign-in: store the token: %w", ErrStore, err))
		return
	}
	sendCtx, cancel := context.WithTimeout(ctx, emailSendTimeout)
	err = e.Sender.Send(sendCtx, email.Message{From: e.From, To: identifier, Subject: subject, Text: text, HTML: html, Link: link, Code: code})
	cancel()
	if err != nil {
		// Nothing usable stays behind: the server may have taken part of
		// the mail, so the token is deleted.
		if _, derr := e.Tokens.UseVerificationToken(context.WithoutCancel(ctx), identifier, hash); derr != nil {
			a.log.ErrorContext(ctx, "authgen: e-mail sign-in: deleting the token of an unsent e-mail", "error", derr)
		}
		a.fail(w, rq, CodeEmailSignin, fmt.Errorf("e-mail sign-in: sending the e-mail: %w", err))
		return
	}
	sealed, err := a.sealCheck(cookie.EmailCode, EmailProviderID, hash+" "+identifier, expires)
	if err != nil {
		a.fail(w, rq, CodeEmailSignin, err)
		return
	}
	rq.jar.Set(w, cookie.EmailCode, sealed, expires)
	rq.redirectTo(a.pageURL(rq, a.cfg.Pages.VerifyRequest, "/verify-request",
		url.Values{"provider": {EmailProviderID}, "type": {emailAccountType}}), http.StatusOK)
}

// emailSignInAllowed runs the SignIn callback for an e-mail sign-in of
// identifier, with the user of that address when there is one. When it
// refuses (or the store fails) it answers and returns false.
func (a *Auth) emailSignInAllowed(rq *request, identifier string, request bool) bool {
	cb := a.cfg.Callbacks.SignIn
	if cb == nil {
		return true
	}
	ctx := rq.r.Context()
	code := CodeCallback
	if request {
		code = CodeEmailSignin
	}
	user := User{Email: identifier}
	switch u, err := a.cfg.Users.GetUserByEmail(ctx, identifier); {
	case err == nil:
		user = userOf(u)
	case !errors.Is(err, store.ErrNotFound):
		a.fail(rq.w, rq, code, fmt.Errorf("%w: e-mail sign-in: %w", ErrStore, err))
		return false
	}
	if err := cb(ctx, &SignInInput{User: user, Provider: EmailProviderID, VerificationRequest: request}); err != nil {
		var re *RedirectError
		if errors.As(err, &re) {
			rq.redirectTo(a.safeRedirect(ctx, rq, re.URL), http.StatusOK)
			return false
		}
		a.fail(rq.w, rq, CodeAccessDenied, fmt.Errorf("sign-in callback refused an e-mail sign-in: %w", err))
		return false
	}
	return true
}

// handleEmailLink shows the page of the mail's link: GET
// /callback/email?token=…&email=…&callbackUrl=…. It uses nothing up: its
// button POSTs the token back (handleEmailCallback), so that a scanner that
// follows the link leaves it working. The page does not submit itself.
func (a *Auth) handleEmailLink(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	q := r.URL.Query()
	token, identifier := q.Get("token"), q.Get("email")
	if token == "" || identifier == "" {
		// @auth/core: a link without its token is Configuration, one
		// without its address finds no token (Verification).
		v5 := CodeVerification
		if token == "" {
			v5 = CodeConfiguration
		}
		a.failAs(rq, CodeVerification, v5, errors.New("e-mail sign-in: the link lacks its token or address"))
		return
	}
	callbackURL := a.callbackURL(rq)
	a.pages.render(w, http.StatusOK, "email-confirm", pageData{
		CSRFToken: a.csrfToken(rq), CallbackURL: callbackURL, Home: rq.origin.String(), Origin: rq.origin.Host,
		Email:      &emailPage{Address: identifier, Token: token, Action: rq.apiURL(a, emailCallbackPath)},
		formAction: a.emailFormAction(rq, callbackURL),
	})
}

// emailFormAction lists where the forms of the e-mail pages lead, besides
// the page's own origin: the request's origin, the callbackUrl and the
// application's pages on other origins.
func (a *Auth) emailFormAction(rq *request, callbackURL string) []string {
	out := appendOrigin([]string{originOf(rq.origin)}, callbackURL)
	return append(out, a.pageOrigins...)
}

// handleEmailCallback finishes an e-mail sign-in: POST /callback/email
// with csrfToken and either token and email (the link's page) or code (the
// verify-request page, with the check cookie).
func (a *Auth) handleEmailCallback(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	if err := a.checkCSRF(rq); err != nil {
		a.fail(w, rq, CodeMissingCSRF, err)
		return
	}
	if rq.body.Has("code") {
		a.emailByCode(rq)
		return
	}
	a.emailByLink(rq)
}

// emailByLink uses the link's token for its address, once.
func (a *Auth) emailByLink(rq *request) {
	ctx := rq.r.Context()
	token, identifier := rq.body.Get("token"), rq.body.Get("email")
	if token == "" || identifier == "" {
		a.fail(rq.w, rq, CodeVerification, errors.New("e-mail sign-in: no token or address"))
		return
	}
	now := a.cfg.Now()
	var found *store.VerificationToken
	for _, key := range a.cfg.Keys.Derive(emailTokenLabel, now) {
		t, err := a.email.Tokens.UseVerificationToken(ctx, identifier, tokenHash(key, token))
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			a.fail(rq.w, rq, CodeCallback, fmt.Errorf("%w: e-mail sign-in: use the token: %w", ErrStore, err))
			return
		}
		found = t
		break
	}
	switch {
	case found == nil:
		a.fail(rq.w, rq, CodeVerification, errors.New("e-mail sign-in: unknown or used token, or another address's"))
		return
	case !now.Before(found.Expires):
		a.fail(rq.w, rq, CodeVerification, errors.New("e-mail sign-in: the token expired"))
		return
	}
	a.finishEmailSignIn(rq, identifier)
}

// emailByCode checks the code typed on the verify-request page against the
// pending sign-in the check cookie names, counting the attempt first.
func (a *Auth) emailByCode(rq *request) {
	ctx := rq.r.Context()
	pending := a.openCheck(rq, cookie.EmailCode, EmailProviderID)
	hash, identifier, ok := strings.Cut(pending, " ")
	if !ok {
		a.fail(rq.w, rq, CodeVerification, errors.New("e-mail sign-in: a code, but no pending sign-in in this browser"))
		return
	}
	dead := func(why string) {
		rq.jar.Delete(rq.w, cookie.EmailCode)
		a.fail(rq.w, rq, CodeVerification, errors.New("e-mail sign-in: "+why))
	}
	if !a.allow(rq, CodeVerification, ratelimit.Event{Limit: LimitEmailCode, Key: identifier}) {
		return
	}
	t, err := a.email.Tokens.CountVerificationAttempt(ctx, identifier, hash)
	switch {
	case errors.Is(err, store.ErrNotFound):
		dead("the code's sign-in is used or gone")
		return
	case err != nil:
		a.fail(rq.w, rq, CodeCallback, fmt.Errorf("%w: e-mail sign-in: count the attempt: %w", ErrStore, err))
		return
	}
	expired := !a.cfg.Now().Before(t.Expires)
	if t.Attempts > maxCodeAttempts || expired {
		if _, err := a.email.Tokens.UseVerificationToken(ctx, identifier, hash); err != nil && !errors.Is(err, store.ErrNotFound) {
			a.log.WarnContext(ctx, "authgen: e-mail sign-in: ending a sign-in with too many attempts", "error", err)
		}
		if expired {
			dead("the code expired")
		} else {
			dead("too many codes tried")
		}
		return
	}
	if !a.codeMatches(identifier, hash, cleanCode(rq.body.Get("code"))) {
		a.log.InfoContext(ctx, "authgen: e-mail sign-in: wrong code", "attempt", t.Attempts)
		rq.redirectTo(a.pageURL(rq, a.cfg.Pages.VerifyRequest, "/verify-request", url.Values{
			"provider": {EmailProviderID}, "type": {emailAccountType}, "error": {string(CodeVerification)},
		}), http.StatusOK)
		return
	}
	if _, err := a.email.Tokens.UseVerificationToken(ctx, identifier, hash); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			dead("the code's sign-in was used meanwhile")
			return
		}
		a.fail(rq.w, rq, CodeCallback, fmt.Errorf("%w: e-mail sign-in: use the token: %w", ErrStore, err))
		return
	}
	a.finishEmailSignIn(rq, identifier)
}

// finishEmailSignIn signs in the user of identifier, whose ownership the
// used token proved: the SignIn callback, the user found or created (with
// EmailVerified), the session, and the redirect to the callbackUrl. A
// session of the browser (this user's or another's) is replaced.
func (a *Auth) finishEmailSignIn(rq *request, identifier string) {
	ctx := rq.r.Context()
	if rq.jar.Get(rq.r, cookie.EmailCode) != "" {
		rq.jar.Delete(rq.w, cookie.EmailCode)
	}
	previous, err := a.readSession(rq.r, rq.jar)
	if errors.Is(err, ErrStore) {
		a.fail(rq.w, rq, CodeCallback, err)
		return
	}
	if !a.emailSignInAllowed(rq, identifier, false) {
		return
	}
	signedIn := ""
	if previous != nil {
		signedIn = previous.session.User.ID
	}
	u, isNew, err := a.emailUser(ctx, identifier, signedIn)
	if errors.Is(err, errNotLinked) {
		a.fail(rq.w, rq, CodeOAuthAccountNotLinked, err)
		return
	}
	if err != nil {
		a.fail(rq.w, rq, CodeEmailCreateAccount, err)
		return
	}
	user := userOf(u)
	if a.secondFactorNeeded(rq, user, EmailProviderID, isNew, previous) {
		return
	}
	if err := a.startSession(rq, user, EmailProviderID, nil, isNew); err != nil {
		a.fail(rq.w, rq, CodeCallback, err)
		return
	}
	if previous != nil {
		if err := a.endSessions(ctx, previous, false); err != nil {
			a.log.WarnContext(ctx, "authgen: ending the session a sign-in replaced", "error", err)
		}
	}
	a.rotateCSRF(rq)
	a.emitSignIn(ctx, SignInEvent{User: user, Provider: EmailProviderID, IsNewUser: isNew})
	target := a.callbackURL(rq)
	if isNew && a.cfg.Pages.NewUser != "" {
		target = withQuery(a.cfg.Pages.NewUser, url.Values{"callbackUrl": {target}})
	}
	rq.redirectTo(target, http.StatusOK)
}

// emailUser returns the user of identifier after an e-mail sign-in proved
// the address: created with EmailVerified now (isNew), or the existing one
// with EmailVerified set when it was not. E-mail users have no account row.
// An existing user whose address nobody proved is reached only when
// addressClaimable says so, or when it is the signed-in user (signedIn)
// proving its own address; otherwise the error wraps errNotLinked.
func (a *Auth) emailUser(ctx context.Context, identifier, signedIn string) (u *store.User, isNew bool, err error) {
	users := a.cfg.Users
	now := a.cfg.Now().UTC()
	u, err = users.GetUserByEmail(ctx, identifier)
	if errors.Is(err, store.ErrNotFound) {
		u, err = users.CreateUser(ctx, store.User{Email: identifier, EmailVerified: &now})
		switch {
		case err == nil:
			a.emitCreateUser(ctx, u)
			return u, true, nil
		case errors.Is(err, store.ErrConflict):
			// A concurrent sign-in created the user first.
			u, err = users.GetUserByEmail(ctx, identifier)
		}
	}
	if err != nil {
		return nil, false, fmt.Errorf("%w: e-mail sign-in: the user: %w", ErrStore, err)
	}
	if u.EmailVerified == nil && u.ID != signedIn {
		if err := a.addressClaimable(ctx, u); err != nil {
			return nil, false, fmt.Errorf("e-mail sign-in: %w", err)
		}
	}
	if u.EmailVerified == nil {
		changed := *u
		changed.EmailVerified = &now
		updated, err := users.UpdateUser(ctx, changed)
		if err != nil {
			return nil, false, fmt.Errorf("%w: e-mail sign-in: set emailVerified: %w", ErrStore, err)
		}
		a.emitUpdateUser(ctx, updated)
		u = updated
	}
	return u, false, nil
}

// humanDuration says d for the mail: "24 hours", "1 hour", "30 minutes".
func humanDuration(d time.Duration) string {
	unit := func(n int64, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.FormatInt(n, 10) + " " + one + "s"
	}
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		if d >= 48*time.Hour && d%(24*time.Hour) == 0 {
			return unit(int64(d/(24*time.Hour)), "day")
		}
		return unit(int64(d/time.Hour), "hour")
	case d >= time.Minute:
		return unit(int64(d/time.Minute), "minute")
	}
	return unit(int64(d/time.Second), "second")
}
