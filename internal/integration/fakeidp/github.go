// Package fakeidp serves identity providers for tests over httptest,
// speaking their real protocols: the authorization endpoint redirects back
// with a code, the token endpoint checks the client's credentials, the
// redirect URI and the PKCE verifier, and the API answers with the
// provider's documented response shapes.
package fakeidp

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// GitHubUser is the account the fake GitHub signs in.
type GitHubUser struct {
	ID     int64
	Login  string
	Name   string
	Email  string // public e-mail on /user; empty makes /user/emails answer
	Avatar string
	// Emails answer /user/emails.
	Emails []GitHubEmail
}

// GitHubEmail is one entry of /user/emails.
type GitHubEmail struct {
	Email    string `json:"email"`
	Primary  bool   `json:"primary"`
	Verified bool   `json:"verified"`
}

// GitHub is a fake github.com + api.github.com on one httptest server. It
// serves both github.com paths (/login/oauth/…, /user) and GitHub
// Enterprise Server paths (/api/v3/user).
type GitHub struct {
	*httptest.Server
	ClientID, ClientSecret string
	// User signs in unless the authorization request names another with
	// GitHub's login parameter.
	User GitHubUser
	// Others are further accounts, chosen by login=.
	Others map[string]GitHubUser
	// Consent makes the authorization endpoint ask, as github.com does
	// for an app the user has not authorized yet: it shows a page naming
	// the account, whose form posts back to it with the button
	// #authorize (a code goes back to the app) or #cancel (error
	// access_denied goes back). Without it the user consents at once: a
	// redirect straight back to the app.
	Consent bool

	mu     sync.Mutex
	codes  map[string]grant
	tokens map[string]GitHubUser
	// Exchanges counts successful code exchanges.
	Exchanges int
}

type grant struct {
	redirectURI, challenge, method string
	user                           GitHubUser
}

// AddUser adds an account that signs in when the authorization request
// carries login=<u.Login> (POST /signin/github?login=…).
func (g *GitHub) AddUser(u GitHubUser) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.Others[u.Login] = u
}

// NewGitHub starts a fake GitHub for t.
func NewGitHub(t testing.TB, user GitHubUser) *GitHub {
	t.Helper()
	g := &GitHub{ClientID: "gh-client-id", ClientSecret: "gh-client-secret-" + random(), User: user,
		codes: map[string]grant{}, tokens: map[string]GitHubUser{}, Others: map[string]GitHubUser{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login/oauth/authorize", g.authorize)
	mux.HandleFunc("POST /login/oauth/authorize", g.authorize)
	mux.HandleFunc("POST /login/oauth/access_token", g.token)
	for _, prefix := range []string{"", "/api/v3"} {
		mux.HandleFunc("GET "+prefix+"/user", g.user)
		mux.HandleFunc("GET "+prefix+"/user/emails", g.emails)
	}
	g.Server = httptest.NewServer(mux)
	t.Cleanup(g.Close)
	return g
}

// Env returns the environment that points a generated app's "github"
// provider at the fake through the endpoint overrides.
func (g *GitHub) Env() []string {
	return []string{
		"AUTH_GITHUB_ID=" + g.ClientID,
		"AUTH_GITHUB_SECRET=" + g.ClientSecret,
		"AUTH_GITHUB_AUTHORIZATION_URL=" + g.URL + "/login/oauth/authorize",
		"AUTH_GITHUB_TOKEN_URL=" + g.URL + "/login/oauth/access_token",
		"AUTH_GITHUB_USERINFO_URL=" + g.URL + "/user",
	}
}

func random() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// authorize is GitHub's authorization endpoint: the user consents at once,
// or, with Consent, on a page whose form posts back here.
func (g *GitHub) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	consented := false
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		q = r.PostForm
		consented = true
	}
	if q.Get("client_id") != g.ClientID {
		http.Error(w, "unknown client_id", http.StatusBadRequest)
		return
	}
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || redirect.Scheme == "" {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	user := g.User
	if u, ok := g.Others[q.Get("login")]; ok {
		user = u
	}
	ask := g.Consent && !consented
	g.mu.Unlock()
	if ask {
		consentPage(w, q, user)
		return
	}
	back := redirect.Query()
	if q.Has("cancel") {
		back.Set("error", "access_denied")
		back.Set("error_description", "The user has denied your application access.")
	} else {
		code := random()
		g.mu.Lock()
		g.codes[code] = grant{redirectURI: q.Get("redirect_uri"), challenge: q.Get("code_challenge"), method: q.Get("code_challenge_method"), user: user}
		g.mu.Unlock()
		back.Set("code", code)
	}
	if s := q.Get("state"); s != "" {
		back.Set("state", s)
	}
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

var consentTmpl = template.Must(template.New("consent").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize application</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:30rem;margin:4rem auto;padding:0 1rem}</style></head>
<body><h1>Authorize application</h1>
<p id="account">Signed in to the fake GitHub as <strong>{{.User.Login}}</strong>.</p>
<p>The application wants to read your profile and e-mail addresses.</p>
<form method="POST" action="/login/oauth/authorize">
{{range $k, $vs := .Params}}{{range $vs}}<input type="hidden" name="{{$k}}" value="{{.}}">
{{end}}{{end}}<button type="submit" id="authorize" name="authorize" value="1">Authorize</button>
<button type="submit" id="cancel" name="cancel" value="1">Cancel</button>
</form></body></html>
`))

// consentPage asks the user to authorize the app; its form carries the
// authorization request's parameters.
func consentPage(w http.ResponseWriter, params url.Values, user GitHubUser) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = consentTmpl.Execute(w, struct {
		User   GitHubUser
		Params url.Values
	}{user, params})
}

// token is GitHub's token endpoint. Errors are answered as GitHub does:
// 200 with an error member.
func (g *GitHub) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	fail := func(code string) {
		respond(w, r, url.Values{"error": {code}, "error_description": {code}})
	}
	if id != g.ClientID || secret != g.ClientSecret {
		fail("incorrect_client_credentials")
		return
	}
	code := r.PostForm.Get("code")
	g.mu.Lock()
	gr, found := g.codes[code]
	delete(g.codes, code)
	g.mu.Unlock()
	switch {
	case !found:
		fail("bad_verification_code")
		return
	case gr.redirectURI != r.PostForm.Get("redirect_uri"):
		fail("redirect_uri_mismatch")
		return
	case gr.challenge != "":
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if gr.method != "S256" || base64.RawURLEncoding.EncodeToString(sum[:]) != gr.challenge {
			fail("bad_verification_code")
			return
		}
	}
	tok := "gho_" + random()
	g.mu.Lock()
	g.tokens[tok] = gr.user
	g.Exchanges++
	g.mu.Unlock()
	respond(w, r, url.Values{"access_token": {tok}, "scope": {"read:user,user:email"}, "token_type": {"bearer"}})
}

// respond answers form-encoded, or JSON when asked, as GitHub does.
func respond(w http.ResponseWriter, r *http.Request, v url.Values) {
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		m := map[string]string{}
		for k := range v {
			m[k] = v.Get(k)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(m)
		return
	}
	w.Header().Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	_, _ = w.Write([]byte(v.Encode()))
}

// authorized returns the user an access token belongs to.
func (g *GitHub) authorized(r *http.Request) (GitHubUser, bool) {
	h := r.Header.Get("Authorization")
	tok := strings.TrimPrefix(strings.TrimPrefix(h, "Bearer "), "token ")
	g.mu.Lock()
	defer g.mu.Unlock()
	u, ok := g.tokens[tok]
	return u, ok && tok != h
}

func (g *GitHub) user(w http.ResponseWriter, r *http.Request) {
	u, ok := g.authorized(r)
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": "Bad credentials"})
		return
	}
	body := map[string]any{
		"id": u.ID, "login": u.Login, "name": nilIfEmpty(u.Name), "email": nilIfEmpty(u.Email),
		"avatar_url": u.Avatar, "html_url": "https://github.com/" + u.Login, "type": "User",
		"company": nil, "location": nil, "bio": nil, "two_factor_authentication": true,
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

func (g *GitHub) emails(w http.ResponseWriter, r *http.Request) {
	u, ok := g.authorized(r)
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(u.Emails)
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
