package realop_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
)

// The helpers of runtime/server's tests that the real-OP test uses: a
// recording transport and a browser (the clock and log buffer are
// testkit's).

// corpProfile is the small claims struct the tests' providers map.
type corpProfile struct {
	Sub               string `json:"sub"`
	ID                string `json:"id"`
	Email             string `json:"email"`
	EmailVerified     bool   `json:"email_verified"`
	Name              string `json:"name"`
	PreferredUsername string `json:"preferred_username"`
}

func corpUser(p *corpProfile) oauth.User {
	id := p.Sub
	if id == "" {
		id = p.ID
	}
	return oauth.User{ID: id, Name: p.Name, Email: p.Email, EmailVerified: p.EmailVerified}
}

// exchange is one request the server made to a provider: method, URL
// without query, and for the OAuth 1.0a request-token endpoint the response
// body (to learn the request secret the browser must never see).
type exchange struct {
	Method, URL string
	Form        url.Values
	Status      int
	Body        string
}

// recordingTransport records the server's requests to providers. It keeps
// the form of token requests (grant_type, refresh_token) so that tests can
// tell which refresh token a refresh used.
type recordingTransport struct {
	base http.RoundTripper
	// keepBody, when it returns true for a URL, keeps the response body.
	keepBody func(u *url.URL) bool

	mu  sync.Mutex
	log []exchange
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ex := exchange{Method: req.Method, URL: req.URL.Scheme + "://" + req.URL.Host + req.URL.Path}
	if req.Body != nil && req.Header.Get("Content-Type") == "application/x-www-form-urlencoded" {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		ex.Form, _ = url.ParseQuery(string(b))
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := rt.base.RoundTrip(req)
	if err == nil {
		ex.Status = resp.StatusCode
		if rt.keepBody != nil && rt.keepBody(req.URL) {
			b, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if rerr != nil {
				return nil, rerr
			}
			ex.Body = string(b)
			resp.Body = io.NopCloser(bytes.NewReader(b))
		}
	}
	rt.mu.Lock()
	rt.log = append(rt.log, ex)
	rt.mu.Unlock()
	return resp, err
}

// requests returns the recorded requests whose method and URL (without
// query) match; an empty method matches any.
func (rt *recordingTransport) requests(method, u string) []exchange {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	var out []exchange
	for _, ex := range rt.log {
		if (method == "" || ex.Method == method) && ex.URL == u {
			out = append(out, ex)
		}
	}
	return out
}

// refreshes returns the recorded refresh_token grants at tokenURL.
func (rt *recordingTransport) refreshes(tokenURL string) []exchange {
	var out []exchange
	for _, ex := range rt.requests(http.MethodPost, tokenURL) {
		if ex.Form.Get("grant_type") == "refresh_token" {
			out = append(out, ex)
		}
	}
	return out
}

// browser is a user agent with a cookie jar that does not follow
// redirects.
type browser struct {
	t      *testing.T
	jar    *cookiejar.Jar
	client *http.Client
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, jar: jar, client: &http.Client{
		Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

func (b *browser) do(req *http.Request) *http.Response {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL.Redacted(), err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		b.t.Fatalf("%s %s: read body: %v", req.Method, req.URL.Redacted(), err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp
}

func (b *browser) get(target string) *http.Response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

func (b *browser) postForm(target string, form url.Values) *http.Response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// csrf fetches a CSRF token from the API at base (origin + /api/auth).
func (b *browser) csrf(base string) string {
	b.t.Helper()
	resp := b.get(base + "/csrf")
	var v struct {
		CSRFToken string `json:"csrfToken"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.CSRFToken == "" {
		b.t.Fatalf("GET %s/csrf: %s, %v", base, resp.Status, err)
	}
	return v.CSRFToken
}

// sessionBody returns the body of GET /session.
func (b *browser) sessionBody(base string) string {
	b.t.Helper()
	return strings.TrimSpace(readBody(b.t, b.get(base+"/session")))
}

// providerToken calls auth.ProviderToken for a request of this browser to
// origin, as an application handler would, and stores the cookies the call
// set in the jar. It returns the call's response too, for its Set-Cookie.
func (b *browser) providerToken(auth *server.Auth, origin, provider string) (*oauth2.Token, *http.Response, error) {
	req := httptest.NewRequest(http.MethodGet, origin+"/api/data", nil)
	u, _ := url.Parse(origin)
	for _, c := range b.jar.Cookies(u) {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	tok, err := auth.ProviderToken(rec, req, provider)
	resp := rec.Result()
	b.jar.SetCookies(u, resp.Cookies())
	return tok, resp, err
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
