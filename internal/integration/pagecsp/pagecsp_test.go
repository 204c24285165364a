// Package pagecsp checks, in a real Chromium, that the built-in sign-in
// page's Content-Security-Policy lets its forms reach the providers.
// Chromium applies form-action to every redirect that follows a form's
// submission, and the sign-in form posts to the application, which
// redirects to the provider: the policy must name each provider's origin.
package pagecsp

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/internal/integration/chromium"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
)

func TestMain(m *testing.M) {
	code := m.Run()
	chromium.Close()
	os.Exit(code)
}

// provider serves an authorization page and, for OpenID Connect, a
// discovery document whose authorization_endpoint is on another origin
// than the issuer (as Amazon Cognito's is). The browser reaches it as
// localhost, another site than the application's 127.0.0.1.
type provider struct {
	idp, issuer *httptest.Server
}

func newProvider(t *testing.T) *provider {
	p := &provider{}
	p.idp = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, `<!doctype html><title>Provider</title><p id="provider">the provider's page</p>`)
	}))
	t.Cleanup(p.idp.Close)
	p.issuer = httptest.NewServer(nil)
	t.Cleanup(p.issuer.Close)
	p.issuer.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer":                                p.issuer.URL,
			"authorization_endpoint":                p.localhost() + "/oidc/authorize",
			"token_endpoint":                        p.issuer.URL + "/token",
			"jwks_uri":                              p.issuer.URL + "/jwks",
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	return p
}

// localhost is the provider's page as another site than 127.0.0.1.
func (p *provider) localhost() string { return strings.Replace(p.idp.URL, "127.0.0.1", "localhost", 1) }

type profile struct {
	Sub string `json:"sub"`
}

// newApp serves the auth API with an OAuth 2.0 provider (github) and an
// OpenID Connect one (corp) whose authorization endpoint only discovery
// names. rewrite, when set, changes the sign-in page's policy.
func newApp(t *testing.T, p *provider, rewrite func(csp string) string) *httptest.Server {
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	origin, _ := url.Parse("http://" + srv.Listener.Addr().String())
	mapUser := oauth.Map(func(p *profile) oauth.User { return oauth.User{ID: p.Sub} }, nil)
	a, err := server.New(server.Config{
		URL:  origin,
		Keys: ks,
		Providers: []*oauth.Provider{
			{ID: "github", Name: "GitHub", Type: oauth.TypeOAuth, ClientID: "c", ClientSecret: "s",
				AuthorizationURL: p.localhost() + "/login/oauth/authorize", TokenURL: p.idp.URL + "/token", Profile: mapUser},
			{ID: "corp", Name: "Corp", Type: oauth.TypeOIDC, ClientID: "c", ClientSecret: "s", Issuer: p.issuer.URL, Profile: mapUser},
		},
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = a
	if rewrite != nil {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a.ServeHTTP(&cspRewriter{ResponseWriter: w, rewrite: rewrite}, r)
		})
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// cspRewriter changes the Content-Security-Policy before it is sent.
type cspRewriter struct {
	http.ResponseWriter
	rewrite func(string) string
	done    bool
}

func (w *cspRewriter) WriteHeader(code int) {
	if !w.done {
		w.done = true
		if csp := w.Header().Get("Content-Security-Policy"); csp != "" {
			w.Header().Set("Content-Security-Policy", w.rewrite(csp))
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *cspRewriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.ResponseWriter.Write(b)
}

// TestSignInFormReachesProviders: from the built-in sign-in page, each
// provider's button leads to the provider, through the application's
// redirect, under the page's policy: to an OAuth 2.0 provider's
// authorization URL, and to an OpenID Connect provider's discovered
// authorization endpoint on another origin than its issuer.
func TestSignInFormReachesProviders(t *testing.T) {
	p := newProvider(t)
	app := newApp(t, p, nil)
	for _, tt := range []struct{ button, want string }{
		{"#signin-github", p.localhost() + "/login/oauth/authorize"},
		{"#signin-corp", p.localhost() + "/oidc/authorize"},
	} {
		t.Run(tt.button, func(t *testing.T) {
			page := chromium.New(t)
			page.Navigate(app.URL + "/api/auth/signin")
			page.ClickAndLoad(tt.button)
			page.WaitText("the provider's page")
			if u := page.URL(); !strings.HasPrefix(u, tt.want+"?") {
				t.Errorf("the sign-in ended at %s, want %s", u, tt.want)
			}
			page.NoErrors()
		})
	}
}

// TestFormActionIsNeeded is the control: with the providers' origins taken
// out of form-action, Chromium stops the same click at the redirect, which
// is why the sign-in page lists them.
func TestFormActionIsNeeded(t *testing.T) {
	p := newProvider(t)
	app := newApp(t, p, func(csp string) string {
		var out []string
		for _, d := range strings.Split(csp, "; ") {
			if strings.HasPrefix(d, "form-action ") {
				d = "form-action 'self'"
			}
			out = append(out, d)
		}
		return strings.Join(out, "; ")
	})
	page := chromium.New(t)
	page.Navigate(app.URL + "/api/auth/signin")
	page.Click("#signin-github")
	time.Sleep(2 * time.Second)
	if strings.Contains(page.URL(), "localhost") {
		t.Fatalf("the browser reached %s although form-action does not allow it", page.URL())
	}
	blocked := false
	for _, e := range page.ConsoleErrors() {
		blocked = blocked || strings.Contains(e, "form-action")
	}
	if !blocked {
		t.Errorf("no form-action violation reported; console: %v", page.ConsoleErrors())
	}
}
