package server

import (
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/authgen/authgen/runtime/ratelimit"
)

// The rate limits the server applies, by name: the keys of
// Config.RateLimits and of authgen.yaml's rateLimit.
const (
	// LimitEmail counts the sign-in e-mails sent to one address (the
	// normalised address), so that nobody's mailbox is flooded.
	LimitEmail = "email"
	// LimitEmailPerClient counts the sign-in e-mails one client asks for,
	// whatever the address, so that the application is not used to send
	// mail to many addresses.
	LimitEmailPerClient = "emailPerClient"
	// LimitSignInPerClient counts the sign-ins one client starts (POST
	// {basePath}/signin/{provider}, e-mail included), which bounds the
	// requests the application makes to providers on a client's behalf.
	LimitSignInPerClient = "signInPerClient"
	// LimitCredentials counts the attempts at a credentials provider's
	// form for one identifier (its Identifier field, trimmed and
	// lower-cased, kept only as a keyed hash), whoever makes them, so that
	// one account's password cannot be guessed from many addresses.
	LimitCredentials = "credentials"
	// LimitTwoFactor counts the two-factor codes tried for one user (a
	// pending sign-in's, and those that turn two-factor off or replace the
	// recovery codes), whoever tries them, so that a stolen first factor
	// cannot be paired with codes guessed from many addresses or many
	// restarted sign-ins.
	LimitTwoFactor = "twoFactor"
	// LimitEmailCode counts the e-mail sign-in codes typed for one address
	// (the normalised address), whoever types them and for whichever of its
	// sign-ins: each sign-in allows 5, and an address gets a few mails an
	// hour (LimitEmail), so without it a 6-digit code could take hundreds
	// of guesses a day. The mail's link is not counted: it always works.
	LimitEmailCode = "emailCode"
)

// DefaultRateLimits returns the limits applied unless Config.RateLimits
// replaces them: 5 e-mails an hour to one address, 30 an hour from one
// client, 60 sign-in starts (credentials attempts and two-factor codes
// included) a minute from one client, 10 credentials attempts in 15
// minutes for one identifier, 10 two-factor codes an hour for one user,
// 10 e-mail codes a day for one address.
func DefaultRateLimits() map[string]ratelimit.Limit {
	return map[string]ratelimit.Limit{
		LimitEmail:           {Events: 5, Per: time.Hour},
		LimitEmailPerClient:  {Events: 30, Per: time.Hour},
		LimitSignInPerClient: {Events: 60, Per: time.Minute},
		LimitCredentials:     {Events: 10, Per: 15 * time.Minute},
		LimitTwoFactor:       {Events: 10, Per: time.Hour},
		LimitEmailCode:       {Events: 10, Per: 24 * time.Hour},
	}
}

// newLimiter builds the server's limiter from Config.RateLimits over
// DefaultRateLimits, in Config.RateLimitStore.
func newLimiter(cfg *Config) (*ratelimit.Limiter, error) {
	limits := DefaultRateLimits()
	for _, name := range slices.Sorted(maps.Keys(cfg.RateLimits)) {
		if _, ok := limits[name]; !ok {
			return nil, fmt.Errorf("%w: RateLimits: unknown limit %q; the limits are %s", ErrConfig, name, strings.Join(slices.Sorted(maps.Keys(limits)), ", "))
		}
		limits[name] = cfg.RateLimits[name]
	}
	l, err := ratelimit.New(ratelimit.Config{Limits: limits, Store: cfg.RateLimitStore, Now: cfg.Now})
	if err != nil {
		return nil, fmt.Errorf("%w: RateLimits: %w", ErrConfig, err)
	}
	return l, nil
}

// clientAddr is the client's address: the connection's, or with
// Config.TrustHost the right-most value of X-Forwarded-For, the one the
// proxy in front appended (the values before it are the client's to
// write). That value must be an IP address, optionally with a port (an
// IPv6 address then in brackets), without a zone: anything else is
// refused (ErrForwarded), never passed over for another value or the
// connection's address, as the origin's headers are (forwardedOrigin). A
// request without the header is the connection's (it reached the
// application past the proxy). An IPv4 address mapped into IPv6 is the
// IPv4 address. The address is invalid (the zero netip.Addr) when the
// connection's does not parse (a Unix socket).
func (a *Auth) clientAddr(r *http.Request) (netip.Addr, error) {
	if a.cfg.TrustHost {
		if v, ok := lastValue(r.Header, "X-Forwarded-For"); ok {
			addr, ok := parseForwardedFor(v)
			if !ok {
				return netip.Addr{}, fmt.Errorf("%w: X-Forwarded-For %s does not end with an IP address", ErrForwarded, shorten(v))
			}
			return addr, nil
		}
	}
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap().WithZone(""), nil
	}
	if addr, err := netip.ParseAddr(r.RemoteAddr); err == nil {
		return addr.Unmap().WithZone(""), nil
	}
	return netip.Addr{}, nil
}

// parseForwardedFor reads one value of X-Forwarded-For: an IPv4 or IPv6
// address, "IPv4:port" or "[IPv6]:port", without a zone.
func parseForwardedFor(v string) (netip.Addr, bool) {
	addr, err := netip.ParseAddr(v)
	if err != nil {
		ap, perr := netip.ParseAddrPort(v)
		if perr != nil || ap.Port() == 0 {
			return netip.Addr{}, false
		}
		addr = ap.Addr()
	}
	if addr.Zone() != "" {
		return netip.Addr{}, false
	}
	return addr.Unmap(), true
}

// clientKey is what per-client limits count a request by: its client's
// IPv4 address, or the /64 network of its IPv6 address (one subscriber's
// share: a client holds a whole /64 and could otherwise take a new address
// per request). A connection without an IP address counts by its
// RemoteAddr.
func clientKey(addr netip.Addr, r *http.Request) string {
	switch {
	case !addr.IsValid():
		return "remote " + r.RemoteAddr
	case addr.Is6():
		return netip.PrefixFrom(addr, 64).Masked().String()
	}
	return addr.String()
}

// allowSignIn counts a sign-in start (POST /signin/{provider}) against
// LimitSignInPerClient. It answers the request and returns false when the
// request may not go on: the limit is reached (refuseLimited), the client's
// address is refused (400) or the limiter fails (code's error page).
func (a *Auth) allowSignIn(rq *request, code Code) bool {
	client, ok := a.client(rq)
	if !ok {
		return false
	}
	return a.allow(rq, code, ratelimit.Event{Limit: LimitSignInPerClient, Key: client})
}

// allowCode counts a two-factor code tried for the user against
// LimitSignInPerClient and LimitTwoFactor, both or neither; it answers and
// returns false as allowSignIn does.
func (a *Auth) allowCode(rq *request, code Code, userID string) bool {
	client, ok := a.client(rq)
	if !ok {
		return false
	}
	return a.allow(rq, code,
		ratelimit.Event{Limit: LimitSignInPerClient, Key: client},
		ratelimit.Event{Limit: LimitTwoFactor, Key: userID})
}

// allowEmailSend counts a sign-in e-mail to identifier (the normalised
// address) against LimitSignInPerClient, LimitEmailPerClient and
// LimitEmail, all or none. Call it after the CSRF check and the address's
// normalisation, before the token is created: it answers the request and
// returns false when nothing may be sent — a limit is reached
// (refuseLimited), the client's address is refused (400) or the limiter
// fails (EmailSignin).
func (a *Auth) allowEmailSend(rq *request, identifier string) bool {
	client, ok := a.client(rq)
	if !ok {
		return false
	}
	return a.allow(rq, CodeEmailSignin,
		ratelimit.Event{Limit: LimitSignInPerClient, Key: client},
		ratelimit.Event{Limit: LimitEmailPerClient, Key: client},
		ratelimit.Event{Limit: LimitEmail, Key: identifier})
}

// client returns the request's per-client key, or answers 400 and
// returns false when its forwarded address is refused.
func (a *Auth) client(rq *request) (string, bool) {
	addr, err := a.clientAddr(rq.r)
	if err != nil {
		a.refuseOrigin(rq.w, rq.r, err)
		return "", false
	}
	return clientKey(addr, rq.r), true
}

// allow counts the request's events; when a limit refuses them it answers
// with refuseLimited, when the limiter fails with code's error page
// (nothing is sent or written either way), and returns false.
func (a *Auth) allow(rq *request, code Code, events ...ratelimit.Event) bool {
	d, err := a.limiter.Allow(rq.r.Context(), events...)
	if err != nil {
		a.fail(rq.w, rq, code, err)
		return false
	}
	if d.Allowed {
		return true
	}
	a.refuseLimited(rq, events[d.Refused].Limit, d.RetryAfter)
	return false
}

// refuseLimited answers a request refused by the limit named name, which
// allows it again after wait: 429 with Retry-After (whole seconds,
// rounded up). A client that asked for JSON gets {"url": the error page
// with ?error=RateLimited, "error": "RateLimited", "retryAfter": seconds}
// (an Auth.js client reads the error from url); a form gets the built-in
// error page saying what was limited and how long to wait, or is
// redirected to the application's error page (Pages.Error) with
// ?error=RateLimited.
func (a *Auth) refuseLimited(rq *request, name string, wait time.Duration) {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	a.log.WarnContext(rq.r.Context(), "authgen: rate limit reached", "limit", name, "retryAfter", secs, "path", rq.r.URL.Path)
	if name != LimitEmail && !a.cfg.TrustHost && rq.r.Header.Get("X-Forwarded-For") != "" && a.proxyWarned.CompareAndSwap(false, true) {
		a.log.WarnContext(rq.r.Context(), "authgen: requests come through a proxy (X-Forwarded-For) but AUTH_TRUST_HOST is not set, so per-client rate limits count every client as the proxy: set AUTH_TRUST_HOST=true behind a proxy that sets X-Forwarded-For")
	}
	rq.w.Header().Set("Retry-After", strconv.Itoa(secs))
	target := a.pageURL(rq, a.cfg.Pages.Error, "/error", url.Values{"error": {string(CodeRateLimited)}})
	switch {
	case rq.jsonResponse:
		writeJSON(rq.w, http.StatusTooManyRequests, map[string]any{"url": target, "error": CodeRateLimited, "retryAfter": secs})
	case a.cfg.Pages.Error != "":
		http.Redirect(rq.w, rq.r, target, http.StatusFound)
	default:
		a.pages.render(rq.w, http.StatusTooManyRequests, "error", pageData{
			Error: CodeRateLimited, Message: limitedMessage(name, wait),
			Home: rq.origin.String(), SignInURL: rq.apiURL(a, "/signin"),
		})
	}
}

// limitedMessage tells the user what was limited and how long to wait.
func limitedMessage(name string, wait time.Duration) string {
	what := "Too many attempts."
	switch name {
	case LimitEmail:
		what = "Too many sign-in e-mails were sent to this address."
	case LimitEmailPerClient:
		what = "Too many sign-in e-mails were requested from your network."
	case LimitSignInPerClient:
		what = "Too many sign-in attempts came from your network."
	case LimitCredentials:
		what = "Too many sign-in attempts were made for this account."
	case LimitTwoFactor:
		what = "Too many codes were tried for this account."
	}
	return what + " Try again in " + waitText(wait) + "."
}

// waitText writes a wait for people, rounded up: "40 seconds", "1
// minute", "12 minutes", "3 hours".
func waitText(d time.Duration) string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return strconv.Itoa(n) + " " + unit + "s"
	}
	switch {
	case d < time.Minute:
		return plural(max(1, int(math.Ceil(d.Seconds()))), "second")
	case d <= 2*time.Hour:
		return plural(int(math.Ceil(d.Minutes())), "minute")
	}
	return plural(int(math.Ceil(d.Hours())), "hour")
}
