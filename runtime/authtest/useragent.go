package authtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/totp"
)

// Browser is a user agent for tests of an application that serves the
// auth API: it keeps cookies, follows no redirect (a test reads where each
// answer leads), and reads every body, so responses can be inspected after
// the connection is reused. Its methods fail the test on a transport error
// and return responses whatever their status.
//
// A Browser is not safe for concurrent use; make one per simulated user.
type Browser struct {
	t    testing.TB
	api  *url.URL
	jar  *cookiejar.Jar
	http *http.Client
}

// NewBrowser returns a Browser with an empty cookie jar for the auth API
// at apiBase, the application's origin and base path
// ("http://127.0.0.1:8080/api/auth").
func NewBrowser(t testing.TB, apiBase string) *Browser {
	t.Helper()
	api, err := url.Parse(strings.TrimSuffix(apiBase, "/"))
	if err != nil || api.Host == "" {
		t.Fatalf("authtest: NewBrowser: %q is not an absolute URL", apiBase)
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Browser{t: t, api: api, jar: jar, http: &http.Client{
		Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// API returns the auth API's URL for path ("/session").
func (b *Browser) API(path string) string { return b.api.String() + path }

// Do sends req with the browser's cookies and stores the cookies the
// answer sets. The body of the answer is read and can be read again.
func (b *Browser) Do(req *http.Request) *http.Response {
	b.t.Helper()
	resp, err := b.http.Do(req)
	if err != nil {
		b.t.Fatalf("authtest: %s %s: %v", req.Method, req.URL.Redacted(), err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		b.t.Fatalf("authtest: %s %s: reading the body: %v", req.Method, req.URL.Redacted(), err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp
}

// Get requests target: an absolute URL, or a path on the application's
// origin.
func (b *Browser) Get(target string) *http.Response {
	b.t.Helper()
	req, err := http.NewRequestWithContext(b.t.Context(), http.MethodGet, b.resolve(target), nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.Do(req)
}

// PostForm posts form to target (as Get) as a form of the application's
// own page would: with its Origin.
func (b *Browser) PostForm(target string, form url.Values) *http.Response {
	b.t.Helper()
	req, err := http.NewRequestWithContext(b.t.Context(), http.MethodPost, b.resolve(target), strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.api.Scheme+"://"+b.api.Host)
	return b.Do(req)
}

// CSRF returns a CSRF token from GET {basePath}/csrf, which also sets the
// CSRF cookie the token is checked against.
func (b *Browser) CSRF() string {
	b.t.Helper()
	resp := b.Get(b.API("/csrf"))
	var v struct {
		CSRFToken string `json:"csrfToken"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.CSRFToken == "" {
		b.t.Fatalf("authtest: GET %s: %s, no csrfToken (%v)", b.API("/csrf"), resp.Status, err)
	}
	return v.CSRFToken
}

// SignIn signs in with the provider p, configured in the application as
// providerID: it posts to {basePath}/signin/{providerID} with a CSRF token
// and callbackURL, plays the user at p (who consents), and returns the
// application's answer to the provider's redirect back: a redirect to
// callbackURL on success, or to the error or sign-in page. It fails the
// test when the sign-in does not reach p.
func (b *Browser) SignIn(p *Provider, providerID, callbackURL string) *http.Response {
	b.t.Helper()
	resp := b.PostForm(b.API("/signin/"+providerID), url.Values{"csrfToken": {b.CSRF()}, "callbackUrl": {callbackURL}})
	to := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(to, p.URL+"/") {
		b.t.Fatalf("authtest: POST /signin/%s: %s to %q, not to the provider at %s", providerID, resp.Status, to, p.URL)
	}
	req, err := p.CallbackRequest(b.t.Context(), to)
	if err != nil {
		b.t.Fatalf("authtest: at the provider: %v", err)
	}
	return b.Do(req)
}

// SignInCredentials submits the form of the credentials provider
// configured as providerID, as the sign-in page's form does: POST
// {basePath}/callback/{providerID} with a CSRF token, fields and
// callbackURL. It returns the application's answer: a redirect to
// callbackURL on success, to the sign-in page with ?error=CredentialsSignin
// when refused, or 429 past a rate limit.
func (b *Browser) SignInCredentials(providerID string, fields url.Values, callbackURL string) *http.Response {
	b.t.Helper()
	form := url.Values{"csrfToken": {b.CSRF()}, "callbackUrl": {callbackURL}}
	for k, v := range fields {
		form[k] = v
	}
	return b.PostForm(b.API("/callback/"+providerID), form)
}

// Cookie returns the value of the application's cookie called name, or
// "" when the browser holds none. name leaves out the cookie's prefixes:
// "session-token" finds authgen.session-token, authjs.session-token and
// their __Host- and __Secure- forms.
func (b *Browser) Cookie(name string) string {
	for _, c := range b.jar.Cookies(b.api) {
		n := strings.TrimPrefix(strings.TrimPrefix(c.Name, "__Host-"), "__Secure-")
		if n == name || strings.HasSuffix(n, "."+name) {
			return c.Value
		}
	}
	return ""
}

// EnrolTwoFactor finishes a sign-in that two-factor sign-in (twoFactor:
// required) sent to enrol: resp is the sign-in's answer, a redirect to
// {basePath}/2fa?for=sign-in. It asks for a secret (POST /2fa/enroll),
// confirms it with its current code (POST /2fa/confirm), both for the
// sign-in (for=sign-in), which starts the session, and
// returns where the sign-in goes on (its callbackUrl, or pages.newUser).
// It fails the test when resp is not that redirect or enrolling fails.
func (b *Browser) EnrolTwoFactor(resp *http.Response) string {
	b.t.Helper()
	if to := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || to != b.API("/2fa?for=sign-in") {
		b.t.Fatalf("authtest: EnrolTwoFactor: the sign-in answered %s to %q, not a redirect to %s", resp.Status, to, b.API("/2fa?for=sign-in"))
	}
	var en struct {
		Secret string `json:"secret"`
	}
	resp = b.PostForm(b.API("/2fa/enroll"), url.Values{"csrfToken": {b.CSRF()}, "for": {"sign-in"}})
	if err := json.NewDecoder(resp.Body).Decode(&en); resp.StatusCode != http.StatusOK || err != nil || en.Secret == "" {
		b.t.Fatalf("authtest: POST /2fa/enroll: %s, no secret (%v)", resp.Status, err)
	}
	code, err := totp.Code(en.Secret, totp.Step(time.Now()))
	if err != nil {
		b.t.Fatalf("authtest: EnrolTwoFactor: %v", err)
	}
	var done struct {
		URL string `json:"url"`
	}
	resp = b.PostForm(b.API("/2fa/confirm"), url.Values{"csrfToken": {b.CSRF()}, "code": {code}, "for": {"sign-in"}})
	if err := json.NewDecoder(resp.Body).Decode(&done); resp.StatusCode != http.StatusOK || err != nil || done.URL == "" {
		b.t.Fatalf("authtest: POST /2fa/confirm: %s, no url to go on to (%v)", resp.Status, err)
	}
	return done.URL
}

// SetCookie replaces the value of the application's cookie called name
// (without its prefixes, as Cookie finds it), as a user editing their
// cookies would: to forge or tamper with one. It fails the test when the
// browser holds no such cookie.
func (b *Browser) SetCookie(name, value string) {
	b.t.Helper()
	for _, c := range b.jar.Cookies(b.api) {
		n := strings.TrimPrefix(strings.TrimPrefix(c.Name, "__Host-"), "__Secure-")
		if n == name || strings.HasSuffix(n, "."+name) {
			b.jar.SetCookies(b.api, []*http.Cookie{{Name: c.Name, Value: value, Path: "/"}})
			return
		}
	}
	b.t.Fatalf("authtest: SetCookie: the browser holds no cookie %q", name)
}

// Body returns the body of resp, which a Browser has read.
func Body(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return string(b)
}

func (b *Browser) resolve(target string) string {
	if strings.HasPrefix(target, "/") {
		return b.api.Scheme + "://" + b.api.Host + target
	}
	return target
}
