package server

import (
	"net/http"
	"net/url"
	"strings"
)

// Code is an Auth.js error code, passed to pages as ?error=.
type Code string

// Error codes: Auth.js v4's vocabulary plus MissingCSRF and RateLimited.
// The constants name situations in v4's words; with ErrorCodesV5 the
// server answers @auth/core's code for the same situation instead (v5Code,
// and the table in docs/ARCHITECTURE.md).
const (
	CodeOAuthSignin           Code = "OAuthSignin"
	CodeOAuthCallback         Code = "OAuthCallback"
	CodeOAuthCreateAccount    Code = "OAuthCreateAccount"
	CodeEmailCreateAccount    Code = "EmailCreateAccount"
	CodeCallback              Code = "Callback"
	CodeOAuthAccountNotLinked Code = "OAuthAccountNotLinked"
	CodeEmailSignin           Code = "EmailSignin"
	CodeCredentialsSignin     Code = "CredentialsSignin"
	CodeSessionRequired       Code = "SessionRequired"
	CodeConfiguration         Code = "Configuration"
	CodeAccessDenied          Code = "AccessDenied"
	CodeVerification          Code = "Verification"
	CodeMissingCSRF           Code = "MissingCSRF"
	CodeRateLimited           Code = "RateLimited"
	// CodeCredentialsUnavailable: a credentials provider's backend failed
	// (its Authorize returned an error other than ErrCredentials).
	CodeCredentialsUnavailable Code = "CredentialsUnavailable"
	// CodeTwoFactor: a sign-in waiting for its second factor is gone —
	// expired, tampered with, used, or past its attempts — and must start
	// again with the first factor.
	CodeTwoFactor Code = "TwoFactor"
	// CodeTwoFactorCode: the TOTP or recovery code is wrong or was used
	// already.
	CodeTwoFactorCode Code = "TwoFactorCode"
	// CodeOAuthCallbackError is @auth/core's code (ErrorCodesV5) for a
	// provider that answered the callback with an error (?error=
	// access_denied, for one), where v4 says OAuthCallback.
	CodeOAuthCallbackError Code = "OAuthCallbackError"
	// CodePasskey: a passkey ceremony failed — the response did not verify
	// (another origin, a used or expired challenge, a bad signature), the
	// credential is unknown or deleted, or its counter went backwards.
	CodePasskey Code = "Passkey"
)

// ErrorCodeStyle is the Auth.js version whose error codes and routing the
// server follows (Config.ErrorCodes).
type ErrorCodeStyle string

// Error code styles.
const (
	// ErrorCodesV4 follows next-auth v4: its codes (OAuthSignin,
	// OAuthCallback, Callback, EmailSignin, …) and its routing, the
	// sign-in page for the sign-in codes and the error page for the rest.
	// The default.
	ErrorCodesV4 ErrorCodeStyle = "v4"
	// ErrorCodesV5 follows @auth/core 0.41.3 (Auth.js v5): only its
	// client-safe codes reach the browser — OAuthCallbackError,
	// OAuthAccountNotLinked, CredentialsSignin and MissingCSRF on the
	// sign-in page, AccessDenied and Verification on the error page — and
	// every other failure of a situation Auth.js has is Configuration on
	// the error page. authgen's own codes, for what Auth.js lacks
	// (RateLimited, TwoFactor, TwoFactorCode, and the session, account and
	// two-factor routes' answers), stay as they are.
	ErrorCodesV5 ErrorCodeStyle = "v5"
)

// signInPageCodes are shown on the sign-in page (next to the forms) rather
// than on the error page, as in Auth.js v4.
var signInPageCodes = map[Code]bool{
	"Signin": true, CodeOAuthSignin: true, CodeOAuthCallback: true, CodeOAuthCreateAccount: true,
	CodeEmailCreateAccount: true, CodeCallback: true, CodeOAuthAccountNotLinked: true,
	CodeEmailSignin: true, CodeCredentialsSignin: true, CodeSessionRequired: true, CodeMissingCSRF: true,
	CodeTwoFactor: true,
}

// v5SignInPageCodes are the codes @auth/core sends to the sign-in page
// (its SignInError kind: errors.js), plus authgen's TwoFactor as under v4.
// AccessDenied, Verification and Configuration go to the error page.
var v5SignInPageCodes = map[Code]bool{
	CodeOAuthCallbackError: true, CodeOAuthAccountNotLinked: true, CodeCredentialsSignin: true,
	CodeMissingCSRF: true, CodeTwoFactor: true,
}

// v5Code is the code @auth/core 0.41.3 answers in the situation authgen's
// v4 vocabulary calls c. Auth.js's client-safe codes stay; what Auth.js
// answers with an error that is not client-safe (a TypeError, an
// AdapterError, CallbackRouteError, InvalidCheck, InvalidProvider) is
// Configuration; authgen's own codes stay. A situation whose v5 code
// differs from this uses failAs (the provider's own error at the callback
// is OAuthCallbackError, a mail link without its token Configuration).
func v5Code(c Code) Code {
	switch c {
	case CodeOAuthSignin, CodeOAuthCallback, CodeOAuthCreateAccount, CodeEmailCreateAccount,
		CodeCallback, CodeEmailSignin, CodeCredentialsUnavailable, "Signin":
		return CodeConfiguration
	}
	return c
}

// styled is the code the server answers, for the situation v4 calls code
// and @auth/core v5, and whether it belongs on the sign-in page.
func (a *Auth) styled(code, v5 Code) (Code, bool) {
	if a.cfg.ErrorCodes == ErrorCodesV5 {
		return v5, v5SignInPageCodes[v5]
	}
	return code, signInPageCodes[code]
}

// errorStatus is the status of the error page for a code.
func errorStatus(c Code) int {
	switch c {
	case CodeConfiguration:
		return http.StatusInternalServerError
	case CodeAccessDenied, CodeVerification:
		return http.StatusForbidden
	case CodeRateLimited:
		return http.StatusTooManyRequests
	case CodeCredentialsUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusOK
}

// fail logs err (never shown to the user) and sends the browser to the page
// for code: code under ErrorCodesV4, v5Code(code) under ErrorCodesV5.
func (a *Auth) fail(w http.ResponseWriter, rq *request, code Code, err error) {
	a.failAs(rq, code, v5Code(code), err)
}

// failAs is fail for a situation v4 calls code and @auth/core v5. A JSON
// client (json=true, X-Auth-Return-Redirect) gets 200 {"url": …} as from
// both Auth.js versions.
func (a *Auth) failAs(rq *request, code, v5 Code, err error) {
	answer, signInPage := a.styled(code, v5)
	attrs := []any{"code", string(answer), "path", rq.r.URL.Path, "error", err}
	if answer != code {
		attrs = append(attrs, "v4Code", string(code))
	}
	a.log.WarnContext(rq.r.Context(), "authgen: request failed", attrs...)
	q := url.Values{"error": {string(answer)}}
	if signInPage {
		rq.redirectTo(a.pageURL(rq, a.cfg.Pages.SignIn, "/signin", q), http.StatusOK)
		return
	}
	rq.redirectTo(a.pageURL(rq, a.cfg.Pages.Error, "/error", q), http.StatusOK)
}

// pageURL is the application's page when configured, else the built-in one.
func (a *Auth) pageURL(rq *request, custom, builtin string, q url.Values) string {
	if custom != "" {
		return withQuery(custom, q)
	}
	return withQuery(rq.apiURL(a, builtin), q)
}

// handleError is GET /error. Under ErrorCodesV4 it sends the sign-in codes
// (matched case-insensitively) to the sign-in page and an application's
// error page gets the whole query; under ErrorCodesV5, as @auth/core, every
// code stays on the error page, matched exactly, and an application's
// error page gets ?error= alone.
func (a *Auth) handleError(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	code := Code(r.URL.Query().Get("error"))
	v5 := a.cfg.ErrorCodes == ErrorCodesV5
	if v5 {
		if a.cfg.Pages.Error != "" {
			http.Redirect(w, r, withQuery(a.cfg.Pages.Error, url.Values{"error": {string(code)}}), http.StatusFound)
			return
		}
	} else {
		for known := range signInPageCodes {
			if strings.EqualFold(string(known), string(code)) {
				http.Redirect(w, r, a.pageURL(rq, a.cfg.Pages.SignIn, "/signin", url.Values{"error": {string(known)}}), http.StatusFound)
				return
			}
		}
		if a.cfg.Pages.Error != "" {
			http.Redirect(w, r, withQuery(a.cfg.Pages.Error, r.URL.Query()), http.StatusFound)
			return
		}
		for _, known := range []Code{CodeConfiguration, CodeAccessDenied, CodeVerification, CodeRateLimited, CodeCredentialsUnavailable} {
			if strings.EqualFold(string(known), string(code)) {
				code = known
			}
		}
	}
	a.pages.render(w, errorStatus(code), "error", pageData{
		Error: code, Message: errorMessage(code), Home: rq.origin.String(),
		SignInURL: rq.apiURL(a, "/signin"),
	})
}

// errorMessage is the text shown for a code.
func errorMessage(c Code) string {
	switch c {
	case CodeConfiguration:
		return "There is a problem with the server configuration. Check the server logs for more information."
	case CodeAccessDenied:
		return "You do not have permission to sign in."
	case CodeVerification:
		return "The sign in link is no longer valid. It may have been used already or it may have expired."
	case CodeOAuthAccountNotLinked:
		return "To confirm your identity, sign in with the same account you used originally."
	case CodeEmailSignin:
		return "The e-mail could not be sent."
	case CodeCredentialsSignin:
		return "Sign in failed. Check the details you provided are correct."
	case CodeSessionRequired:
		return "Please sign in to access this page."
	case CodeMissingCSRF:
		return "The form expired. Please try again."
	case CodeRateLimited:
		return "Too many attempts. Please wait a while and try again."
	case CodeCredentialsUnavailable:
		return "Signing in with this form is unavailable at the moment. Please try again later."
	case CodeTwoFactor:
		return "The sign-in waited too long for its code, or too many codes were tried. Please sign in again."
	case CodePasskey:
		return "The passkey could not be used. Try again, or sign in another way."
	case CodeTwoFactorCode:
		return "That code is not right, or was used already. Try the next code from your app."
	case CodeOAuthSignin, CodeOAuthCallback, CodeOAuthCallbackError, CodeOAuthCreateAccount, CodeEmailCreateAccount, CodeCallback, "Signin":
		return "Try signing in with a different account."
	case "":
		return "An unknown error occurred."
	}
	return "Unable to sign in."
}
