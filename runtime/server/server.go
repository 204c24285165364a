package server

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/authgen/authgen/runtime/atrest"
	"github.com/authgen/authgen/runtime/cookie"
	"github.com/authgen/authgen/runtime/email"
	"github.com/authgen/authgen/runtime/jwt"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/ratelimit"
	"github.com/authgen/authgen/runtime/redirect"
	"github.com/authgen/authgen/runtime/session"
	"github.com/authgen/authgen/runtime/store"
)

// csrfProtector issues and checks the CSRF cookie: authgen's (package
// csrf), or Auth.js's with Config.AuthJS.
type csrfProtector interface {
	Parse(cookie string) (token string, ok bool)
	// Issue fails only when the protector has no key to bind a token
	// with (authgen's, when no signing key is valid).
	Issue() (token, cookie string, err error)
	Verify(cookie, submitted string) bool
}

// Auth serves the API and checks sessions. Create it with New; it is safe for
// concurrent use.
type Auth struct {
	cfg      Config
	sessions *session.Codec
	checks   *jwt.Codec // seals state, PKCE and nonce cookies
	csrf     csrfProtector
	// authjs is Config.AuthJS made ready; nil without it.
	authjs    *authjsState
	cop       *http.CrossOriginProtection
	providers map[string]*oauth.Provider
	mux       *http.ServeMux
	pages     *pages
	log       *slog.Logger
	// lastCleanup is when expired sessions were last deleted (Unix seconds).
	lastCleanup atomic.Int64
	// refreshing serializes provider token refreshes per account.
	refreshing refreshes
	// undecodable are the sessions whose data did not decode, logged once.
	undecodable onceSet
	// live remembers which revocable JWT sessions still have their record.
	live liveness
	// hsts is the Strict-Transport-Security value (Config.HSTS), nil for none.
	hsts []string
	// limiter counts sign-in starts and e-mails against the rate limits.
	limiter *ratelimit.Limiter
	// proxyWarned: the warning that a proxy's clients share a per-client
	// limit (AUTH_TRUST_HOST unset) was logged.
	proxyWarned atomic.Bool
	// pageOrigins are the origins of Config.Pages on other hosts, which
	// the pages' forms may lead to (see pageCSP).
	pageOrigins []string
	// unlinking serializes each user's unlinks (UnlinkAccount).
	unlinking userLocks
	// credentials are Config.Credentials by ID.
	credentials map[string]*credentialsProvider
	// email is Config.Email with its defaults; nil when e-mail sign-in is
	// off.
	email *Email
	// twoFactors keeps the second factors (Config.Users before the server
	// wraps it), and sealer seals their secrets; nil unless two-factor is on.
	twoFactors store.TwoFactors
	sealer     *atrest.Sealer
	// passkeys keeps the passkeys (Config.Users before the server wraps
	// it); nil unless Config.Passkeys is set.
	passkeys store.Passkeys
	// jsonBufs are the buffers of GET /session's answers.
	jsonBufs jsonBuffers
}

// New checks cfg and returns the server. A warning about the key set (its
// file readable by group or others, keys.ErrExposed) is logged once here.
func New(cfg Config) (*Auth, error) {
	if err := cfg.normalize(); err != nil {
		return nil, err
	}
	if err := cfg.checkAuthJS(); err != nil {
		return nil, err
	}
	now := cfg.Now()
	sessions, err := session.NewCodec(cfg.Keys, now, cfg.Session)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	checks, err := jwt.New(cfg.Keys, now)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	var sealer *atrest.Sealer
	var twoFactors store.TwoFactors
	var passkeys store.Passkeys
	if cfg.Users != nil {
		// Provider tokens are sealed at this one boundary (accounts.go),
		// TOTP secrets by twofactor.go with the same sealer.
		if sealer, err = atrest.New(cfg.Keys, now); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		if cfg.TwoFactor != nil && cfg.TwoFactor.Mode != TwoFactorOff {
			twoFactors = cfg.Users.(store.TwoFactors) // checked by normalize
		}
		if cfg.Passkeys != nil {
			passkeys = cfg.Users.(store.Passkeys) // checked by normalize
		}
		cfg.Users = &sealedUsers{Users: cfg.Users, sealer: sealer, now: cfg.Now, log: cfg.Logger}
	}
	limiter, err := newLimiter(&cfg)
	if err != nil {
		return nil, err
	}
	cop := http.NewCrossOriginProtection()
	for _, o := range cfg.TrustedOrigins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("%w: trusted origin: %w", ErrConfig, err)
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	if w := cfg.Keys.Warning(); w != nil {
		cfg.Logger.Warn("authgen: the key set's file is readable by group or others", "err", w)
	}
	if e := cfg.Email; e != nil {
		if _, ok := e.Sender.(email.Console); ok {
			cfg.Logger.Warn(email.ConsoleWarning)
		}
	}
	if cfg.Passkeys != nil && net.ParseIP(PasskeyRPID(cfg.URL, cfg.CookieDomain)) != nil {
		cfg.Logger.Warn("authgen: passkeys: the URL's host is an IP address, which browsers refuse as relying party: serve the app on a host name (http://localhost on this machine)", "host", cfg.URL.Hostname())
	}
	if d := cfg.CookieDomain; d != "" && !domainMatch(cfg.URL.Hostname(), d) {
		cfg.Logger.Warn("authgen: the cookie domain does not hold the host of the URL (AUTH_URL), so sessions there are not shared", "cookieDomain", d, "host", cfg.URL.Hostname())
	}
	var csrfP csrfProtector = &keyedCSRF{keys: cfg.Keys, now: cfg.Now}
	var aj *authjsState
	if cfg.AuthJS != nil {
		if aj, err = newAuthJS(cfg.AuthJS); err != nil {
			return nil, err
		}
		csrfP = authjsCSRF{aj.csrf}
	}
	a := &Auth{
		authjs:      aj,
		cfg:         cfg,
		sessions:    sessions,
		checks:      checks,
		csrf:        csrfP,
		cop:         cop,
		providers:   map[string]*oauth.Provider{},
		log:         cfg.Logger,
		pages:       newPages(cfg.Theme),
		hsts:        hstsValue(cfg.HSTS),
		limiter:     limiter,
		pageOrigins: pageOrigins(cfg.Pages),
		email:       cfg.Email,
		twoFactors:  twoFactors,
		passkeys:    passkeys,
		sealer:      sealer,
	}
	for _, p := range cfg.Providers {
		if p.Type == oauth.TypeOIDC && p.Discovery == nil {
			p.Discovery = &oauth.Discovery{}
		}
		a.providers[p.ID] = p
	}
	a.credentials = map[string]*credentialsProvider{}
	for _, c := range cfg.Credentials {
		a.credentials[c.ID] = &credentialsProvider{Credentials: c, provider: &oauth.Provider{
			ID: c.ID, Name: cmp.Or(c.Name, c.ID), Type: CredentialsType, TrustEmail: c.TrustEmail,
		}}
	}
	a.mux = a.routes()
	return a, nil
}

// BasePath returns the path the API is served under.
func (a *Auth) BasePath() string { return a.cfg.BasePath }

func (a *Auth) routes() *http.ServeMux {
	b := a.cfg.BasePath
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+b+"/providers", a.handleProviders)
	mux.HandleFunc("GET "+b+"/csrf", a.handleCSRF)
	mux.HandleFunc("GET "+b+"/session", a.handleSession)
	mux.HandleFunc("POST "+b+"/session", a.handleSessionUpdate)
	mux.HandleFunc("GET "+b+"/signin", a.handleSignInPage)
	mux.HandleFunc("GET "+b+"/signin/{provider}", a.handleSignInPage)
	mux.HandleFunc("POST "+b+"/signin/{provider}", a.handleSignIn)
	if a.email != nil {
		mux.HandleFunc("POST "+b+"/signin/"+EmailProviderID, a.handleEmailSignIn)
		mux.HandleFunc("GET "+b+emailCallbackPath, a.handleEmailLink)
		mux.HandleFunc("POST "+b+emailCallbackPath, a.handleEmailCallback)
	}
	for _, c := range a.cfg.Credentials {
		mux.HandleFunc("POST "+b+credentialsPath(c.ID), a.handleCredentials(a.credentials[c.ID]))
	}
	mux.HandleFunc("GET "+b+"/callback/{provider}", a.handleCallback)
	mux.HandleFunc("POST "+b+"/callback/{provider}", a.handleCallback)
	mux.HandleFunc("GET "+b+"/signout", a.handleSignOutPage)
	mux.HandleFunc("POST "+b+"/signout", a.handleSignOut)
	if a.recordsSessions() {
		mux.HandleFunc("GET "+b+"/sessions", a.handleListSessions)
		mux.HandleFunc("POST "+b+"/sessions/revoke", a.handleRevokeSession)
	}
	if a.cfg.Users != nil {
		mux.HandleFunc("GET "+b+"/accounts", a.handleListAccounts)
		mux.HandleFunc("POST "+b+"/accounts/unlink", a.handleUnlinkAccount)
		mux.HandleFunc("GET "+b+accountPagePath, a.handleAccountPage)
	}
	if a.twoFactorOn() {
		a.twoFactorRoutes(mux)
	}
	if a.passkeys != nil {
		a.passkeyRoutes(mux)
	}
	mux.HandleFunc("GET "+b+"/verify-request", a.handleVerifyRequest)
	mux.HandleFunc("GET "+b+"/error", a.handleError)
	mux.HandleFunc(b+logPath, a.handleLog)
	mux.HandleFunc("GET "+b+ClientScriptPath, a.handleClientScript)
	mux.HandleFunc("GET "+b+PasskeyScriptPath, a.handlePasskeyScript)
	mux.HandleFunc("GET "+b+JWKSPath, a.handleJWKS)
	mux.HandleFunc(b+"/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Error: This action with HTTP "+r.Method+" is not supported.", http.StatusBadRequest)
	})
	return mux
}

// ServeHTTP serves the API. Mount it at the base path, for example
// mux.Handle("/api/auth/", a).
func (a *Auth) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			a.log.ErrorContext(r.Context(), "authgen: panic serving request", "path", r.URL.Path, "panic", fmt.Sprint(v))
			a.fail(w, a.newRequest(w, r), CodeConfiguration, errors.New("panic"))
		}
	}()
	origin, err := a.origin(r)
	if err != nil {
		a.refuseOrigin(w, r, err)
		return
	}
	a.apiHeaders(w.Header(), origin)
	a.mux.ServeHTTP(w, r)
}

// request is the per-request view: the origin it was addressed to, the
// cookie jar for that origin, and the parsed body.
type request struct {
	w      http.ResponseWriter
	r      *http.Request
	origin *url.URL
	jar    cookie.Jar
	body   url.Values
	// jsonResponse: the client wants {"url": …} instead of a redirect.
	jsonResponse bool
	// secondFactorDone: the first factor was two (a passkey whose
	// authenticator verified the user), so TwoFactor asks nothing more.
	secondFactorDone bool
	// passkeyUsed is the credential ID of a passkey sign-in: the second
	// step, when asked, takes another passkey or a code.
	passkeyUsed string
	// passkeyOwner is the user whose account a passkey sign-in's credential
	// is, found while verifying it: findUser takes it instead of looking
	// the account up again.
	passkeyOwner *store.User
	// signUp is a sign-up with a passkey going through completeSignIn.
	signUp *passkeySignUp
}

// newRequest makes the per-request view. The entry points (ServeHTTP,
// Require, WithSession) have refused a request whose forwarded origin is
// not plain (ErrForwarded); any other caller gets Config.URL for it.
func (a *Auth) newRequest(w http.ResponseWriter, r *http.Request) *request {
	origin, err := a.origin(r)
	if err != nil {
		origin = a.cfg.URL
	}
	return &request{
		w: w, r: r, origin: origin,
		jar:          a.cookieJar(origin),
		jsonResponse: r.Header.Get("X-Auth-Return-Redirect") != "",
	}
}

// apiURL is an absolute URL of a route.
func (rq *request) apiURL(a *Auth, path string) string {
	return rq.origin.Scheme + "://" + rq.origin.Host + a.cfg.BasePath + path
}

// maxBodyBytes bounds request bodies.
const maxBodyBytes = 64 << 10

// parseBody reads a form or JSON body once. JSON strings, numbers and
// booleans become form values; nested values keep their JSON text.
func (a *Auth) parseBody(rq *request) error {
	if rq.body != nil {
		return nil
	}
	rq.body = url.Values{}
	r := rq.r
	r.Body = http.MaxBytesReader(rq.w, r.Body, maxBodyBytes)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		var m map[string]json.RawMessage
		data, err := io.ReadAll(r.Body)
		if err != nil {
			return fmt.Errorf("read body: %w", err)
		}
		if len(strings.TrimSpace(string(data))) > 0 {
			if err := json.Unmarshal(data, &m); err != nil {
				return fmt.Errorf("decode JSON body: %w", err)
			}
		}
		for k, raw := range m {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				rq.body.Set(k, s)
			} else {
				rq.body.Set(k, string(raw))
			}
		}
	} else {
		if err := r.ParseForm(); err != nil {
			return fmt.Errorf("parse form: %w", err)
		}
		rq.body = r.PostForm
	}
	if rq.body.Get("json") == "true" {
		rq.jsonResponse = true
	}
	return nil
}

// redirectTo sends the browser to target: a 302, or 200 {"url": target} for
// clients that asked for JSON.
func (rq *request) redirectTo(target string, status int) {
	if rq.jsonResponse {
		writeJSON(rq.w, cmp.Or(status, http.StatusOK), map[string]string{"url": target})
		return
	}
	http.Redirect(rq.w, rq.r, target, http.StatusFound)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header()["Content-Type"] = contentTypeJSON
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// checkCSRF verifies the double-submit token and the request's origin
// (Sec-Fetch-Site / Origin, Go's CrossOriginProtection).
func (a *Auth) checkCSRF(rq *request) error {
	if err := a.cop.Check(rq.r); err != nil {
		return fmt.Errorf("cross-origin request: %w", err)
	}
	if err := a.parseBody(rq); err != nil {
		return err
	}
	if !a.csrf.Verify(rq.jar.Get(rq.r, cookie.CSRFToken), rq.body.Get("csrfToken")) {
		return errors.New("CSRF token missing or mismatched")
	}
	return nil
}

// csrfToken returns the request's valid CSRF token, issuing a new one (and
// its cookie) when the request has none. When none can be issued (no
// signing key is valid) it logs why and returns "": the page's forms are
// then refused with MissingCSRF.
func (a *Auth) csrfToken(rq *request) string {
	token, err := a.issueCSRF(rq)
	if err != nil {
		a.log.ErrorContext(rq.r.Context(), "authgen: issuing a CSRF token", "error", err)
	}
	return token
}

// issueCSRF is csrfToken, with the error of a token that cannot be issued.
func (a *Auth) issueCSRF(rq *request) (string, error) {
	if token, ok := a.csrf.Parse(rq.jar.Get(rq.r, cookie.CSRFToken)); ok {
		return token, nil
	}
	token, value, err := a.csrf.Issue()
	if err != nil {
		return "", err
	}
	rq.jar.Set(rq.w, cookie.CSRFToken, value, zeroTime)
	return token, nil
}

// rotateCSRF replaces the request's CSRF token with a new one, at sign-in
// and sign-out: a token that was known before (read by a script of the
// page, or fixed by whoever could set the cookie) does not outlive the
// session it was issued for. Forms still open in other tabs then fail with
// MissingCSRF and are submitted again with the new token.
func (a *Auth) rotateCSRF(rq *request) {
	_, value, err := a.csrf.Issue()
	if err != nil {
		// The old token must not outlive its session all the same.
		a.log.ErrorContext(rq.r.Context(), "authgen: issuing a CSRF token", "error", err)
		rq.jar.Delete(rq.w, cookie.CSRFToken)
		return
	}
	rq.jar.Set(rq.w, cookie.CSRFToken, value, zeroTime)
}

// safeRedirect runs the Redirect callback (default: same origin only).
func (a *Auth) safeRedirect(ctx context.Context, rq *request, target string) string {
	origin := rq.origin
	if a.cfg.Callbacks.Redirect == nil {
		return redirect.Default(target, origin)
	}
	u, err := a.cfg.Callbacks.Redirect(ctx, target, origin)
	if err != nil || u == "" {
		if err != nil {
			a.log.WarnContext(ctx, "authgen: redirect callback refused", "error", err)
		}
		return origin.Scheme + "://" + origin.Host
	}
	return u
}

// callbackURL is the sanitized callbackUrl of the request (body, then query,
// then the callback-url cookie), defaulting to the origin.
func (a *Auth) callbackURL(rq *request) string {
	target := rq.r.URL.Query().Get("callbackUrl")
	if rq.body != nil && rq.body.Get("callbackUrl") != "" {
		target = rq.body.Get("callbackUrl")
	}
	if target == "" {
		target = a.getCallbackCookie(rq)
	}
	return a.safeRedirect(rq.r.Context(), rq, target)
}

func (a *Auth) handleProviders(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	out := map[string]any{}
	for _, p := range a.cfg.Providers {
		out[p.ID] = map[string]string{
			"id":          p.ID,
			"name":        p.Name,
			"type":        string(p.Type),
			"signinUrl":   rq.apiURL(a, "/signin/"+p.ID),
			"callbackUrl": rq.apiURL(a, "/callback/"+p.ID),
		}
	}
	for _, c := range a.cfg.Credentials {
		out[c.ID] = map[string]string{
			"id":          c.ID,
			"name":        a.credentials[c.ID].provider.Name,
			"type":        CredentialsType,
			"signinUrl":   rq.apiURL(a, "/signin/"+c.ID),
			"callbackUrl": rq.apiURL(a, credentialsPath(c.ID)),
		}
	}
	if a.email != nil {
		out[EmailProviderID] = map[string]string{
			"id":          EmailProviderID,
			"name":        "Email",
			"type":        emailAccountType,
			"signinUrl":   rq.apiURL(a, "/signin/"+EmailProviderID),
			"callbackUrl": rq.apiURL(a, emailCallbackPath),
		}
	}
	if a.passkeys != nil {
		// As @auth/core lists its Passkey provider.
		out[PasskeyProviderID] = map[string]string{
			"id":          PasskeyProviderID,
			"name":        "Passkey",
			"type":        passkeyAccountType,
			"signinUrl":   rq.apiURL(a, "/signin/"+PasskeyProviderID),
			"callbackUrl": rq.apiURL(a, "/callback/"+PasskeyProviderID),
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// handleCSRF is GET /csrf: {"csrfToken"}, the request's token or a new
// one with its cookie; 500 Configuration when none can be issued.
func (a *Auth) handleCSRF(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	token, err := a.issueCSRF(rq)
	if err != nil {
		a.log.ErrorContext(r.Context(), "authgen: issuing a CSRF token", "error", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": string(CodeConfiguration)})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"csrfToken": token})
}

func (a *Auth) handleVerifyRequest(w http.ResponseWriter, r *http.Request) {
	if p := a.cfg.Pages.VerifyRequest; p != "" {
		http.Redirect(w, r, withQuery(p, r.URL.Query()), http.StatusFound)
		return
	}
	rq := a.newRequest(w, r)
	data := pageData{Origin: rq.origin.Host, Home: rq.origin.String()}
	if a.email != nil && a.openCheck(rq, cookie.EmailCode, EmailProviderID) != "" {
		// Only the browser that asked for the e-mail can use its code.
		data.CSRFToken = a.csrfToken(rq)
		data.Email = &emailPage{Action: rq.apiURL(a, emailCallbackPath), CodeForm: true,
			WrongCode: r.URL.Query().Get("error") == string(CodeVerification)}
		data.formAction = a.emailFormAction(rq, a.callbackURL(rq))
	}
	a.pages.render(w, http.StatusOK, "verify-request", data)
}

func withQuery(page string, q url.Values) string {
	if len(q) == 0 {
		return page
	}
	sep := "?"
	if strings.Contains(page, "?") {
		sep = "&"
	}
	return page + sep + q.Encode()
}
