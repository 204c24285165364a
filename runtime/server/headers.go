package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Header values every answer of the API carries. They are shared slices, set
// by assigning to the header map (one map write, no allocation, on the path
// of GET /session); net/http only reads them, and Header.Set and Add replace
// or reallocate rather than write into them.
var (
	nosniff      = []string{"nosniff"}
	noCache      = []string{"private, no-cache, no-store"}
	pragma       = []string{"no-cache"}
	expiresZero  = []string{"0"}
	frameDeny    = []string{"DENY"}
	frameNoneCSP = []string{"frame-ancestors 'none'"}
	// contentTypeJSON is the Content-Type of the API's JSON answers.
	contentTypeJSON = []string{"application/json"}
)

// apiHeaders are the headers of every answer of the API, and of the
// middlewares' own answers: no MIME sniffing (a JSON answer is never read
// as a page), never cached (each answer is one browser's, and many set
// cookies), and with Config.HSTS on https, Strict-Transport-Security.
func (a *Auth) apiHeaders(h http.Header, origin *url.URL) {
	h["X-Content-Type-Options"] = nosniff
	noStore(h)
	if a.hsts != nil && origin.Scheme == "https" {
		h["Strict-Transport-Security"] = a.hsts
	}
}

// noStore forbids caching the answer (the headers Auth.js sends).
func noStore(h http.Header) {
	h["Cache-Control"] = noCache
	h["Pragma"] = pragma
	h["Expires"] = expiresZero
}

// hstsValue is the Strict-Transport-Security value for maxAge, nil for none.
func hstsValue(maxAge time.Duration) []string {
	if maxAge <= 0 {
		return nil
	}
	return []string{"max-age=" + strconv.FormatInt(int64(maxAge/time.Second), 10)}
}

// SecureHeaders wraps an application's handler (the demo main.go wraps its
// whole mux) so that every answer carries X-Content-Type-Options: nosniff
// and may not be framed by another site (Content-Security-Policy:
// frame-ancestors 'none', and X-Frame-Options: DENY for older browsers).
// They are set before next runs, so a handler that sets its own — the auth
// API's pages, whose policy says more — replaces them.
func SecureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["X-Content-Type-Options"] = nosniff
		h["Content-Security-Policy"] = frameNoneCSP
		h["X-Frame-Options"] = frameDeny
		next.ServeHTTP(w, r)
	})
}

// pageCSP is the Content-Security-Policy of the built-in pages: nothing
// loads but the inline style sheet, the server's own scripts (passkey.js:
// no inline script runs) and fetches, and images (the theme's logo, https or
// the application's own), no <base> may move relative URLs, the page may
// not be framed, and its forms may submit only to the page's own origin
// and to formAction — the origins the application redirects such a form
// to. Browsers (Chrome) apply form-action to each redirect that follows a
// form's submission, so the sign-in form needs the providers' origins
// listed; a page without forms gets form-action 'none'.
func pageCSP(formAction []string) string {
	var b strings.Builder
	b.WriteString("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' https: data:; base-uri 'none'; form-action ")
	if formAction == nil {
		b.WriteString("'none'")
	} else {
		b.WriteString("'self'")
		for _, o := range formAction {
			b.WriteString(" " + o)
		}
	}
	b.WriteString("; frame-ancestors 'none'")
	return b.String()
}

// formActionTimeout bounds how long a built-in page waits for an OpenID
// Connect provider's discovery document (when it is not cached yet) to name
// its endpoint in the page's form-action. A provider that does not answer
// in time is named by its issuer's origin; its sign-in would fail anyway.
const formActionTimeout = 2 * time.Second

// signInFormAction lists where the sign-in page's forms lead, besides the
// page's own origin: the request's origin (AUTH_URL, where the forms post),
// each provider's authorization endpoint, and the application's pages on
// other origins (where errors are sent).
func (a *Auth) signInFormAction(ctx context.Context, rq *request) []string {
	ctx, cancel := context.WithTimeout(ctx, formActionTimeout)
	defer cancel()
	out := []string{originOf(rq.origin)}
	for _, p := range a.cfg.Providers {
		endpoint := p.AuthorizationURL
		if endpoint == "" {
			endpoint = p.Issuer
			if u, err := p.AuthorizationEndpoint(ctx, a.cfg.HTTPClient); err == nil && u != "" {
				endpoint = u
			}
		}
		out = appendOrigin(out, endpoint)
	}
	return append(out, a.pageOrigins...)
}

// signOutFormAction lists where the sign-out form leads, besides the page's
// own origin: the request's origin, the page's callbackUrl (which the
// Redirect callback may have allowed elsewhere), the end-session endpoints
// of the providers with Logout, and the application's pages on other
// origins.
func (a *Auth) signOutFormAction(ctx context.Context, rq *request, callbackURL string) []string {
	ctx, cancel := context.WithTimeout(ctx, formActionTimeout)
	defer cancel()
	out := appendOrigin([]string{originOf(rq.origin)}, callbackURL)
	for _, p := range a.cfg.Providers {
		if !p.Logout {
			continue
		}
		if u, err := p.EndSessionURL(ctx, a.cfg.HTTPClient, "", ""); err == nil {
			out = appendOrigin(out, u)
		}
	}
	return append(out, a.pageOrigins...)
}

// pageOrigins are the origins of Config.Pages given as absolute URLs.
func pageOrigins(p Pages) []string {
	var out []string
	for _, page := range []string{p.SignIn, p.SignOut, p.Error, p.VerifyRequest, p.NewUser} {
		if isAbsoluteHTTP(page) {
			out = appendOrigin(out, page)
		}
	}
	return out
}

// appendOrigin adds the origin of the absolute http(s) URL raw to list,
// unless it is there already or raw is not such a URL.
func appendOrigin(list []string, raw string) []string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(u.Host, " ;,'\"") {
		return list
	}
	o := originOf(u)
	if slices.Contains(list, o) {
		return list
	}
	return append(list, o)
}

// originOf is scheme://host[:port] of u, in lower case.
func originOf(u *url.URL) string {
	return strings.ToLower(u.Scheme + "://" + u.Host)
}
