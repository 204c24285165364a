package server

import (
	"net/http"
	"net/url"
	"strings"
)

// Code is an Auth.js error code, passed to pages as ?error=.
type Code string

// Error codes: Auth.js v4's vocabulary plus MissingCSRF and RateLimited.
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
)

// signInPageCodes are shown on the sign-in page (next to the forms) rather
// than on the error page, as in Auth.js v4.
var signInPageCodes = map[Code]bool{
	"Signin": true, CodeOAuthSignin: true, CodeOAuthCallback: true, CodeOAuthCreateAccount: true,
	CodeEmailCreateAccount: true, CodeCallback: true, CodeOAuthAccountNotLinked: true,
	CodeEmailSignin: true, CodeCredentialsSignin: true, CodeSessionRequired: true, CodeMissingCSRF: true,
	CodeTwoFactor: true,
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
// for code.
func (a *Auth) fail(w http.ResponseWriter, rq *request, code Code, err error) {
	a.log.WarnContext(rq.r.Context(), "authgen: request failed", "code", string(code), "path", rq.r.URL.Path, "error", err)
	q := url.Values{"error": {string(code)}}
	if signInPageCodes[code] {
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

func (a *Auth) handleError(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	code := Code(r.URL.Query().Get("error"))
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
	case CodeTwoFactorCode:
		return "That code is not right, or was used already. Try the next code from your app."
	case CodeOAuthSignin, CodeOAuthCallback, CodeOAuthCreateAccount, CodeEmailCreateAccount, CodeCallback, "Signin":
		return "Try signing in with a different account."
	case "":
		return "An unknown error occurred."
	}
	return "Unable to sign in."
}
