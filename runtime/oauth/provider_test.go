package oauth_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/authgen/authgen/runtime/oauth"
)

// fakeProvider is an OAuth 2.0 authorization server and resource server.
// The test plays the browser: it parses the authorization URL Start made and
// registers a code for it with grant, as an authorize endpoint would.
type fakeProvider struct {
	t      *testing.T
	srv    *httptest.Server
	id     string
	secret string
	method oauth.AuthMethod

	mu          sync.Mutex
	codes       map[string]grant
	accessToken string
	tokenCalls  int
	userCalls   int
	emailCalls  int
	// Overrides of the normal answers.
	tokenStatus int
	tokenBody   string
	userStatus  int
	userBody    string
	emailsBody  string
}

type grant struct {
	redirectURI string
	challenge   string // "" when the request had no PKCE
	method      string
}

func newFakeProvider(t *testing.T, method oauth.AuthMethod) *fakeProvider {
	t.Helper()
	fp := &fakeProvider{
		t:           t,
		id:          "client-id/+&=",
		secret:      "client-secret-" + rand64(t) + "/+&= ",
		method:      method,
		codes:       map[string]grant{},
		accessToken: "access-" + rand64(t),
		userBody:    `{"id":583231,"login":"octocat","name":"Monalisa Octocat","email":"Mona@Example.com","avatar_url":"https://avatars.example/u/583231"}`,
		emailsBody:  `[]`,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", fp.token)
	mux.HandleFunc("/user", fp.user)
	mux.HandleFunc("/user/emails", fp.emails)
	fp.srv = httptest.NewServer(mux)
	t.Cleanup(fp.srv.Close)
	return fp
}

func rand64(t *testing.T) string {
	t.Helper()
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// authorize validates an authorization URL made by Start and issues a code
// for it.
func (fp *fakeProvider) authorize(t *testing.T, authURL string) (code string, q url.Values) {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatalf("authorization URL %q: %v", authURL, err)
	}
	q = u.Query()
	if q.Get("response_type") != "code" || q.Get("client_id") != fp.id {
		t.Fatalf("authorization URL %q: bad response_type or client_id", authURL)
	}
	code = "code-" + rand64(t)
	fp.mu.Lock()
	fp.codes[code] = grant{redirectURI: q.Get("redirect_uri"), challenge: q.Get("code_challenge"), method: q.Get("code_challenge_method")}
	fp.mu.Unlock()
	return code, q
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func (fp *fakeProvider) token(w http.ResponseWriter, r *http.Request) {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	fp.tokenCalls++
	if fp.tokenStatus != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(fp.tokenStatus)
		_, _ = w.Write([]byte(fp.tokenBody))
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		oauthError(w, 400, "invalid_request", "content type "+ct)
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, 400, "invalid_request", "form")
		return
	}
	f := r.PostForm
	// Client authentication (RFC 6749 §2.3.1): exactly one method.
	user, pass, basic := r.BasicAuth()
	switch fp.method {
	case oauth.ClientSecretPost:
		if basic || f.Get("client_id") != fp.id || f.Get("client_secret") != fp.secret {
			oauthError(w, 401, "invalid_client", "want client_secret_post")
			return
		}
	default:
		id, err1 := url.QueryUnescape(user)
		secret, err2 := url.QueryUnescape(pass)
		if !basic || err1 != nil || err2 != nil || id != fp.id || secret != fp.secret || f.Has("client_secret") {
			oauthError(w, 401, "invalid_client", "want client_secret_basic")
			return
		}
	}
	if f.Get("grant_type") != "authorization_code" {
		oauthError(w, 400, "unsupported_grant_type", f.Get("grant_type"))
		return
	}
	g, ok := fp.codes[f.Get("code")]
	if !ok {
		oauthError(w, 400, "invalid_grant", "unknown code")
		return
	}
	delete(fp.codes, f.Get("code")) // codes are single-use
	if f.Get("redirect_uri") != g.redirectURI {
		oauthError(w, 400, "invalid_grant", "redirect_uri mismatch")
		return
	}
	// PKCE (RFC 7636 §4.6).
	verifier := f.Get("code_verifier")
	switch {
	case g.challenge == "" && verifier != "":
		oauthError(w, 400, "invalid_request", "unexpected code_verifier")
		return
	case g.challenge != "":
		sum := sha256.Sum256([]byte(verifier))
		if g.method != "S256" || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			oauthError(w, 400, "invalid_grant", "PKCE verification failed")
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": fp.accessToken, "token_type": "bearer", "scope": "read:user,user:email", "expires_in": 3600,
	})
}

func (fp *fakeProvider) authorized(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("Authorization") != "Bearer "+fp.accessToken {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		w.WriteHeader(http.StatusUnauthorized)
		return false
	}
	return true
}

func (fp *fakeProvider) user(w http.ResponseWriter, r *http.Request) {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	fp.userCalls++
	if !fp.authorized(w, r) {
		return
	}
	if fp.userStatus != 0 {
		w.WriteHeader(fp.userStatus)
		_, _ = w.Write([]byte(`{"message":"boom ` + fp.accessToken + `"}`))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(fp.userBody))
}

func (fp *fakeProvider) emails(w http.ResponseWriter, r *http.Request) {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	fp.emailCalls++
	if !fp.authorized(w, r) {
		return
	}
	if fp.emailsBody == "500" {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(fp.emailsBody))
}

func (fp *fakeProvider) calls() (token, user, emails int) {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	return fp.tokenCalls, fp.userCalls, fp.emailCalls
}

// ghProfile is a GitHub-like profile.
type ghProfile struct {
	ID        json.Number `json:"id"`
	Login     string      `json:"login"`
	Name      string      `json:"name"`
	Email     string      `json:"email"`
	AvatarURL string      `json:"avatar_url"`
}

func mapGitHub(p *ghProfile) oauth.User {
	return oauth.User{ID: p.ID.String(), Name: p.Name, Email: p.Email, Image: p.AvatarURL}
}

// provider returns a provider description pointing at fp.
func (fp *fakeProvider) provider(checks oauth.Check) *oauth.Provider {
	return &oauth.Provider{
		ID:               "github",
		Name:             "GitHub",
		Type:             oauth.TypeOAuth,
		ClientID:         fp.id,
		ClientSecret:     fp.secret,
		AuthMethod:       fp.method,
		AuthorizationURL: fp.srv.URL + "/authorize",
		TokenURL:         fp.srv.URL + "/token",
		UserinfoURL:      fp.srv.URL + "/user",
		Scopes:           []string{"read:user", "user:email"},
		Checks:           checks,
		Profile:          oauth.Map(mapGitHub, nil),
	}
}

const redirectURI = "https://app.example/api/auth/callback/github"

// signIn runs Start and the browser's round trip to the provider and returns
// the callback query and the checks to hand to Finish.
func signIn(t *testing.T, fp *fakeProvider, p *oauth.Provider) (url.Values, oauth.Checks) {
	t.Helper()
	authURL, ch := p.Start(redirectURI, nil)
	code, q := fp.authorize(t, authURL)
	cb := url.Values{"code": {code}}
	if s := q.Get("state"); s != "" {
		cb.Set("state", s)
	}
	return cb, ch
}

func TestStart(t *testing.T) {
	fp := newFakeProvider(t, oauth.ClientSecretBasic)
	tests := []struct {
		name      string
		checks    oauth.Check
		params    map[string]string
		extra     url.Values
		wantPKCE  bool
		wantState bool
		wantNonce bool
		wantExtra map[string]string
	}{
		{name: "default is PKCE", checks: 0, wantPKCE: true},
		{name: "PKCE", checks: oauth.PKCE, wantPKCE: true},
		{name: "state", checks: oauth.State, wantState: true},
		{name: "PKCE and state", checks: oauth.PKCE | oauth.State, wantPKCE: true, wantState: true},
		{name: "PKCE and nonce", checks: oauth.PKCE | oauth.Nonce, wantPKCE: true, wantNonce: true},
		{name: "provider params", checks: oauth.PKCE, params: map[string]string{"prompt": "consent", "allow_signup": "false"},
			wantPKCE: true, wantExtra: map[string]string{"prompt": "consent", "allow_signup": "false"}},
		{name: "request params, reserved ones ignored", checks: oauth.PKCE | oauth.State,
			extra: url.Values{
				"login": {"octocat"}, "state": {"attacker"}, "client_id": {"attacker"}, "redirect_uri": {"https://evil.example"},
				"response_type": {"token"}, "code_challenge": {"attacker"}, "code_challenge_method": {"plain"}, "nonce": {"attacker"},
				"empty": {},
			},
			wantPKCE: true, wantState: true, wantExtra: map[string]string{"login": "octocat"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fp.provider(tt.checks)
			p.Params = tt.params
			authURL, ch := p.Start(redirectURI, tt.extra)
			u, err := url.Parse(authURL)
			if err != nil {
				t.Fatal(err)
			}
			if got := u.Scheme + "://" + u.Host + u.Path; got != fp.srv.URL+"/authorize" {
				t.Errorf("endpoint = %q", got)
			}
			q := u.Query()
			for k, want := range map[string]string{
				"response_type": "code",
				"client_id":     fp.id,
				"redirect_uri":  redirectURI,
				"scope":         "read:user user:email",
			} {
				if got := q[k]; len(got) != 1 || got[0] != want {
					t.Errorf("%s = %q, want [%q]", k, got, want)
				}
			}
			if tt.wantPKCE {
				sum := sha256.Sum256([]byte(ch.Verifier))
				if len(ch.Verifier) < 43 {
					t.Errorf("verifier %q is shorter than 43 characters", ch.Verifier)
				}
				if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") != base64.RawURLEncoding.EncodeToString(sum[:]) {
					t.Errorf("code_challenge = %q (%q), want S256 of the verifier", q.Get("code_challenge"), q.Get("code_challenge_method"))
				}
			} else if q.Has("code_challenge") || q.Has("code_challenge_method") || ch.Verifier != "" {
				t.Errorf("PKCE present without the check: %v, verifier %q", q, ch.Verifier)
			}
			if tt.wantState {
				if len(q["state"]) != 1 || q.Get("state") != ch.State || len(ch.State) < 32 {
					t.Errorf("state = %q, checks %q", q["state"], ch.State)
				}
			} else if q.Has("state") || ch.State != "" {
				t.Errorf("state parameter %q present without the check", q["state"])
			}
			if tt.wantNonce {
				if q.Get("nonce") != ch.Nonce || ch.Nonce == "" {
					t.Errorf("nonce = %q, checks %q", q.Get("nonce"), ch.Nonce)
				}
			} else if q.Has("nonce") || ch.Nonce != "" {
				t.Errorf("nonce present without the check")
			}
			for k, want := range tt.wantExtra {
				if q.Get(k) != want {
					t.Errorf("%s = %q, want %q", k, q.Get(k), want)
				}
			}
			if q.Has("empty") {
				t.Error("empty extra parameter was sent")
			}
		})
	}
}

func TestStartFresh(t *testing.T) {
	fp := newFakeProvider(t, oauth.ClientSecretBasic)
	p := fp.provider(oauth.PKCE | oauth.State | oauth.Nonce)
	_, a := p.Start(redirectURI, nil)
	_, b := p.Start(redirectURI, nil)
	if a.State == b.State || a.Verifier == b.Verifier || a.Nonce == b.Nonce {
		t.Errorf("two Starts share checks: %+v %+v", a, b)
	}
}

func TestStartKeepsAuthorizationURLQuery(t *testing.T) {
	fp := newFakeProvider(t, oauth.ClientSecretBasic)
	p := fp.provider(oauth.PKCE)
	p.AuthorizationURL = fp.srv.URL + "/authorize?tenant=common"
	authURL, _ := p.Start(redirectURI, nil)
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	if u.Query().Get("tenant") != "common" || u.Query().Get("client_id") != fp.id || u.Query().Has("state") {
		t.Errorf("authorization URL %q", authURL)
	}
}

func TestFinish(t *testing.T) {
	tests := []struct {
		name   string
		method oauth.AuthMethod
		checks oauth.Check
	}{
		{"basic, PKCE", oauth.ClientSecretBasic, oauth.PKCE},
		{"default method, default checks", "", 0},
		{"post, PKCE", oauth.ClientSecretPost, oauth.PKCE},
		{"basic, PKCE and state", oauth.ClientSecretBasic, oauth.PKCE | oauth.State},
		{"post, state only", oauth.ClientSecretPost, oauth.State},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fp := newFakeProvider(t, tt.method)
			p := fp.provider(tt.checks)
			q, ch := signIn(t, fp, p)
			res, err := p.Finish(context.Background(), fp.srv.Client(), q, redirectURI, ch)
			if err != nil {
				t.Fatalf("Finish: %v", err)
			}
			want := oauth.User{ID: "583231", Name: "Monalisa Octocat", Email: "mona@example.com", Image: "https://avatars.example/u/583231"}
			if *res.User != want {
				t.Errorf("User = %+v, want %+v", *res.User, want)
			}
			if res.Token == nil || res.Token.AccessToken != fp.accessToken {
				t.Errorf("Token = %+v", res.Token)
			}
			if s, _ := res.Token.Extra("scope").(string); s != "read:user,user:email" {
				t.Errorf("scope = %q", s)
			}
			prof, ok := res.Profile.(*ghProfile)
			if !ok || prof.Login != "octocat" {
				t.Errorf("Profile = %#v, want *ghProfile", res.Profile)
			}
			if tok, user, _ := fp.calls(); tok != 1 || user != 1 {
				t.Errorf("token/user calls = %d/%d, want 1/1", tok, user)
			}
		})
	}
}

func TestFinishRejects(t *testing.T) {
	tests := []struct {
		name   string
		checks oauth.Check
		// setup changes the provider, the callback query or the checks.
		setup func(fp *fakeProvider, p *oauth.Provider, q url.Values, ch *oauth.Checks)
		want  error
		// wantTokenCalls is how often the token endpoint must be called.
		wantTokenCalls int
	}{
		{"provider error", oauth.PKCE | oauth.State, func(_ *fakeProvider, _ *oauth.Provider, q url.Values, _ *oauth.Checks) {
			q.Set("error", "access_denied")
		}, oauth.ErrProviderError, 0},
		{"provider error without code", oauth.PKCE, func(_ *fakeProvider, _ *oauth.Provider, q url.Values, _ *oauth.Checks) {
			q.Del("code")
			q.Set("error", "access_denied")
			q.Set("error_description", "The user has denied your application access.")
		}, oauth.ErrProviderError, 0},
		{"state mismatch", oauth.PKCE | oauth.State, func(_ *fakeProvider, _ *oauth.Provider, q url.Values, _ *oauth.Checks) {
			q.Set("state", "forged")
		}, oauth.ErrState, 0},
		{"state missing from callback", oauth.PKCE | oauth.State, func(_ *fakeProvider, _ *oauth.Provider, q url.Values, _ *oauth.Checks) {
			q.Del("state")
		}, oauth.ErrState, 0},
		{"state missing from checks", oauth.PKCE | oauth.State, func(_ *fakeProvider, _ *oauth.Provider, _ url.Values, ch *oauth.Checks) {
			ch.State = ""
		}, oauth.ErrState, 0},
		{"state missing from both", oauth.State, func(_ *fakeProvider, _ *oauth.Provider, q url.Values, ch *oauth.Checks) {
			q.Del("state")
			ch.State = ""
		}, oauth.ErrState, 0},
		{"state prefix", oauth.State, func(_ *fakeProvider, _ *oauth.Provider, q url.Values, ch *oauth.Checks) {
			q.Set("state", ch.State[:10])
		}, oauth.ErrState, 0},
		{"missing verifier", oauth.PKCE, func(_ *fakeProvider, _ *oauth.Provider, _ url.Values, ch *oauth.Checks) {
			ch.Verifier = ""
		}, oauth.ErrPKCE, 0},
		{"missing code", oauth.PKCE | oauth.State, func(_ *fakeProvider, _ *oauth.Provider, q url.Values, _ *oauth.Checks) {
			q.Del("code")
		}, oauth.ErrCode, 0},
		{"wrong verifier", oauth.PKCE, func(_ *fakeProvider, _ *oauth.Provider, _ url.Values, ch *oauth.Checks) {
			ch.Verifier = strings.Repeat("x", 43)
		}, oauth.ErrExchange, 1},
		{"unknown code", oauth.PKCE, func(_ *fakeProvider, _ *oauth.Provider, q url.Values, _ *oauth.Checks) {
			q.Set("code", "guessed")
		}, oauth.ErrExchange, 1},
		{"wrong client secret", oauth.PKCE, func(_ *fakeProvider, p *oauth.Provider, _ url.Values, _ *oauth.Checks) {
			p.ClientSecret = "wrong"
		}, oauth.ErrExchange, 1},
		{"token endpoint invalid_grant", oauth.PKCE, func(fp *fakeProvider, _ *oauth.Provider, _ url.Values, _ *oauth.Checks) {
			fp.tokenStatus = 400
			fp.tokenBody = `{"error":"invalid_grant","echo":"` + fp.secret + `","trace":"BODY-MARKER-42"}`
		}, oauth.ErrExchange, 1},
		{"token endpoint 500 HTML", oauth.PKCE, func(fp *fakeProvider, _ *oauth.Provider, _ url.Values, _ *oauth.Checks) {
			fp.tokenStatus = 500
			fp.tokenBody = `<html>BODY-MARKER-42 ` + fp.secret + `</html>`
		}, oauth.ErrExchange, 1},
		{"token response without access_token", oauth.PKCE, func(fp *fakeProvider, _ *oauth.Provider, _ url.Values, _ *oauth.Checks) {
			fp.tokenStatus = 200
			fp.tokenBody = `{"token_type":"bearer"}`
		}, oauth.ErrExchange, 1},
		{"userinfo 500", oauth.PKCE, func(fp *fakeProvider, _ *oauth.Provider, _ url.Values, _ *oauth.Checks) {
			fp.userStatus = 500
		}, oauth.ErrUserinfo, 1},
		{"malformed userinfo JSON", oauth.PKCE, func(fp *fakeProvider, _ *oauth.Provider, _ url.Values, _ *oauth.Checks) {
			fp.userBody = `{"id":583231,"name":`
		}, oauth.ErrProfile, 1},
		{"userinfo of the wrong type", oauth.PKCE, func(fp *fakeProvider, _ *oauth.Provider, _ url.Values, _ *oauth.Checks) {
			fp.userBody = `{"id":"not a number"}`
		}, oauth.ErrProfile, 1},
		{"empty account id", oauth.PKCE, func(fp *fakeProvider, _ *oauth.Provider, _ url.Values, _ *oauth.Checks) {
			fp.userBody = `{"login":"octocat","name":"No Id"}`
		}, oauth.ErrProfile, 1},
		{"profile hook refuses", oauth.PKCE, func(_ *fakeProvider, p *oauth.Provider, _ url.Values, _ *oauth.Checks) {
			p.Profile = oauth.Map(mapGitHub, func(context.Context, any, *oauth.User) error { return fmt.Errorf("hook says no") })
		}, oauth.ErrProfile, 1},
		{"enrich fails", oauth.PKCE, func(fp *fakeProvider, p *oauth.Provider, _ url.Values, _ *oauth.Checks) {
			p.Enrich = func(context.Context, *http.Client, *oauth.Provider, *oauth2.Token, *oauth.User) error {
				return fmt.Errorf("%w: enrich", oauth.ErrUserinfo)
			}
		}, oauth.ErrUserinfo, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fp := newFakeProvider(t, oauth.ClientSecretBasic)
			p := fp.provider(tt.checks)
			q, ch := signIn(t, fp, p)
			tt.setup(fp, p, q, &ch)
			res, err := p.Finish(context.Background(), fp.srv.Client(), q, redirectURI, ch)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Finish error = %v, want %v", err, tt.want)
			}
			if res != nil {
				t.Errorf("Finish returned %+v with its error", res)
			}
			msg := err.Error()
			for _, secret := range []string{fp.secret, fp.accessToken, "BODY-MARKER-42", ch.Verifier, q.Get("code")} {
				if secret != "" && strings.Contains(msg, secret) {
					t.Errorf("error %q contains %q", msg, secret)
				}
			}
			if tok, _, _ := fp.calls(); tok != tt.wantTokenCalls {
				t.Errorf("token endpoint called %d times, want %d", tok, tt.wantTokenCalls)
			}
		})
	}
}

// TestFinishExchangeErrorKeepsCode checks the token endpoint's error code is
// reported, but not the body around it.
func TestFinishExchangeErrorKeepsCode(t *testing.T) {
	fp := newFakeProvider(t, oauth.ClientSecretBasic)
	fp.tokenStatus = 400
	fp.tokenBody = `{"error":"invalid_grant","error_description":"bad\ncode","client_secret":"` + fp.secret + `"}`
	p := fp.provider(oauth.PKCE)
	q, ch := signIn(t, fp, p)
	_, err := p.Finish(context.Background(), fp.srv.Client(), q, redirectURI, ch)
	if !errors.Is(err, oauth.ErrExchange) {
		t.Fatalf("error = %v", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "invalid_grant") || !strings.Contains(msg, "400") {
		t.Errorf("error %q lacks the status and error code", msg)
	}
	if strings.Contains(msg, fp.secret) || strings.Contains(msg, fp.tokenBody) || strings.Contains(msg, "\n") {
		t.Errorf("error %q carries the body, the secret or a control character", msg)
	}
}

func TestFinishProviderErrorSanitized(t *testing.T) {
	fp := newFakeProvider(t, oauth.ClientSecretBasic)
	p := fp.provider(oauth.PKCE)
	q := url.Values{"error": {"access_denied\r\nInjected: yes" + strings.Repeat("x", 500)}}
	_, err := p.Finish(context.Background(), fp.srv.Client(), q, redirectURI, oauth.Checks{Verifier: "v"})
	if !errors.Is(err, oauth.ErrProviderError) {
		t.Fatalf("error = %v", err)
	}
	if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || len(msg) > 300 {
		t.Errorf("provider error not sanitized: %q", msg)
	}
}

func TestFinishUnreachableTokenEndpoint(t *testing.T) {
	fp := newFakeProvider(t, oauth.ClientSecretBasic)
	p := fp.provider(oauth.PKCE)
	q, ch := signIn(t, fp, p)
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	p.TokenURL = dead.URL + "/token?secret=" + fp.secret
	_, err := p.Finish(context.Background(), fp.srv.Client(), q, redirectURI, ch)
	if !errors.Is(err, oauth.ErrExchange) {
		t.Fatalf("error = %v, want ErrExchange", err)
	}
	if strings.Contains(err.Error(), fp.secret) {
		t.Errorf("error %q contains the query secret", err)
	}
}

func TestFinishUserinfoMethodAndHeader(t *testing.T) {
	fp := newFakeProvider(t, oauth.ClientSecretBasic)
	var got *http.Request
	var mu sync.Mutex
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Clone(context.Background())
		mu.Unlock()
		_, _ = w.Write([]byte(`{"id":7}`))
	}))
	t.Cleanup(api.Close)
	p := fp.provider(oauth.PKCE)
	p.UserinfoURL = api.URL + "/2/users/get_current_account"
	p.UserinfoMethod = http.MethodPost
	p.UserinfoHeader = map[string]string{"X-Api-Version": "2"}
	q, ch := signIn(t, fp, p)
	res, err := p.Finish(context.Background(), fp.srv.Client(), q, redirectURI, ch)
	if err != nil {
		t.Fatal(err)
	}
	if res.User.ID != "7" {
		t.Errorf("User.ID = %q", res.User.ID)
	}
	mu.Lock()
	defer mu.Unlock()
	if got.Method != http.MethodPost || got.Header.Get("X-Api-Version") != "2" ||
		got.Header.Get("Authorization") != "Bearer "+fp.accessToken || got.Header.Get("Accept") != "application/json" {
		t.Errorf("userinfo request: %s %v", got.Method, got.Header)
	}
}

func TestFinishWithoutUserinfo(t *testing.T) {
	fp := newFakeProvider(t, oauth.ClientSecretBasic)
	p := fp.provider(oauth.PKCE)
	p.UserinfoURL = ""
	p.Profile = func(_ context.Context, in oauth.ProfileInput) (*oauth.User, any, error) {
		if in.Userinfo != nil || in.Token == nil {
			return nil, nil, fmt.Errorf("unexpected input %+v", in)
		}
		return &oauth.User{ID: "from-token"}, nil, nil
	}
	q, ch := signIn(t, fp, p)
	res, err := p.Finish(context.Background(), fp.srv.Client(), q, redirectURI, ch)
	if err != nil {
		t.Fatal(err)
	}
	if res.User.ID != "from-token" {
		t.Errorf("User = %+v", res.User)
	}
	if _, user, _ := fp.calls(); user != 0 {
		t.Errorf("userinfo called %d times", user)
	}
}

func TestFinishCodeIsSingleUse(t *testing.T) {
	fp := newFakeProvider(t, oauth.ClientSecretBasic)
	p := fp.provider(oauth.PKCE)
	q, ch := signIn(t, fp, p)
	if _, err := p.Finish(context.Background(), fp.srv.Client(), q, redirectURI, ch); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Finish(context.Background(), fp.srv.Client(), q, redirectURI, ch); !errors.Is(err, oauth.ErrExchange) {
		t.Errorf("replayed code: %v, want ErrExchange", err)
	}
}

func TestUses(t *testing.T) {
	tests := []struct {
		checks             oauth.Check
		pkce, state, nonce bool
	}{
		{0, true, false, false},
		{oauth.PKCE, true, false, false},
		{oauth.State, false, true, false},
		{oauth.PKCE | oauth.State | oauth.Nonce, true, true, true},
	}
	for _, tt := range tests {
		p := &oauth.Provider{Checks: tt.checks}
		if p.Uses(oauth.PKCE) != tt.pkce || p.Uses(oauth.State) != tt.state || p.Uses(oauth.Nonce) != tt.nonce {
			t.Errorf("Checks %b: Uses = %v/%v/%v", tt.checks, p.Uses(oauth.PKCE), p.Uses(oauth.State), p.Uses(oauth.Nonce))
		}
	}
}

func TestJoin(t *testing.T) {
	tests := []struct {
		sep   string
		parts []string
		want  string
	}{
		{" ", []string{"Monalisa", "Octocat"}, "Monalisa Octocat"},
		{" ", []string{"", "Octocat"}, "Octocat"},
		{" ", []string{"Monalisa", ""}, "Monalisa"},
		{" ", []string{"", ""}, ""},
		{" ", nil, ""},
		{", ", []string{"a", "", "b", "c"}, "a, b, c"},
	}
	for _, tt := range tests {
		if got := oauth.Join(tt.sep, tt.parts...); got != tt.want {
			t.Errorf("Join(%q, %q) = %q, want %q", tt.sep, tt.parts, got, tt.want)
		}
	}
}
