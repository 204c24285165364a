package generator_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/internal/gentest"
)

// TestCustomizedApp runs the golden case that sets every choice of
// authgen.yaml (testdata/golden/customized) as a generated project: its
// pages redirect to the configured ones, the session shape, scopes,
// authorization parameters and trusted origins reach the wire; and, with
// the pages left out (package plain), the built-in sign-in page shows the
// configured provider names, brand colour and logo.
func TestCustomizedApp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a generated module")
	}
	dir := filepath.Join(goldenDir, "customized")
	src, err := os.ReadFile(filepath.Join(dir, manifest.File))
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	const module = "example.com/customized"
	spec := generator.Spec{Module: module, Manifest: m}
	files, err := generator.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}

	// The same manifest without pages, in package plain.
	plainSrc := regexp.MustCompile(`(?m)^pages:\n(?:  .*\n)+`).ReplaceAllString(string(src), "")
	plainSrc = strings.Replace(plainSrc, "package: auth\n", "package: plain\n", 1)
	if plainSrc == string(src) || strings.Contains(plainSrc, "signIn:") {
		t.Fatal("could not remove pages from the manifest")
	}
	plain, err := manifest.Parse([]byte(plainSrc))
	if err != nil {
		t.Fatal(err)
	}
	plainFiles, err := generator.Generate(generator.Spec{Module: module, Manifest: plain})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range plainFiles {
		if strings.HasPrefix(f.Path, "plain/") {
			files = append(files, f)
		}
	}
	files = append(files, generator.File{Path: "apptest/app_test.go", Content: []byte(customizedAppTest), Kind: generator.Scaffold})

	mod := t.TempDir()
	gentest.WriteModule(t, mod, spec, files)
	gentest.Go(t, mod, nil, "test", "-count=1", "./apptest/")
}

// customizedAppTest is the generated project's test.
const customizedAppTest = `package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/keys"

	"example.com/customized/auth"
	"example.com/customized/plain"
)

// environment is the app's environment: credentials for every provider,
// corp's issuer at a fake OpenID provider, SQLite migrated at start.
func environment(t *testing.T, corpIssuer string) func(string) string {
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	data, err := ks.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{
		"AUTH_URL":          "http://localhost:3000",
		"AUTH_KEYS":         string(data),
		"DATABASE_URL":      "sqlite:" + filepath.Join(t.TempDir(), "app.db"),
		"AUTH_AUTO_MIGRATE": "true",
		"AUTH_CORP_ISSUER":  corpIssuer,
	}
	for _, id := range []string{"GITHUB", "GHE", "CORP", "GOOGLE"} {
		vars["AUTH_"+id+"_ID"], vars["AUTH_"+id+"_SECRET"] = "client-"+id, "secret-"+id
	}
	return func(name string) string { return vars[name] }
}

// client is a browser that keeps cookies and does not follow redirects.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func newClient(t *testing.T, h http.Handler) *client {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: srv.URL, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) do(method, path string, body url.Values, header ...string) (*http.Response, string) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		r = strings.NewReader(body.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (c *client) csrf() string {
	c.t.Helper()
	_, body := c.do(http.MethodGet, "/api/auth/csrf", nil)
	_, rest, _ := strings.Cut(body, ` + "`" + `"csrfToken":"` + "`" + `)
	token, _, _ := strings.Cut(rest, ` + "`" + `"` + "`" + `)
	if token == "" {
		c.t.Fatalf("no CSRF token in %s", body)
	}
	return token
}

// TestConfiguredPages: every built-in page redirects to the manifest's,
// as Auth.js does; /session answers {}; scopes, parameters and trusted
// origins reach the sign-in.
func TestConfiguredPages(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: ` + "`" + `{"sub":"248289761001"}` + "`" + `})
	cfg, err := auth.LoadConfig(environment(t, idp.Issuer), "3000")
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	mux := http.NewServeMux()
	mux.Handle(auth.BasePath+"/", a.Handler())
	mux.Handle("/me", a.Require(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})))
	c := newClient(t, mux)

	for path, want := range map[string]string{
		"/api/auth/signin?callbackUrl=%2Fx":         "/login?callbackUrl=%2Fx",
		"/api/auth/signout":                         "/logout",
		"/api/auth/error?error=AccessDenied":        "/auth-error?error=AccessDenied",
		"/api/auth/error?error=OAuthCallback":       "/login?error=OAuthCallback",
		"/api/auth/verify-request?provider=email":   "/check-email?provider=email",
	} {
		resp, _ := c.do(http.MethodGet, path, nil)
		if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || got != want {
			t.Errorf("GET %s: %s to %q, want 302 to %q", path, resp.Status, got, want)
		}
	}
	resp, _ := c.do(http.MethodGet, "/me", nil, "Accept", "text/html")
	if got := resp.Header.Get("Location"); !strings.HasPrefix(got, "/login?callbackUrl=") {
		t.Errorf("protected route redirected to %q, want /login", got)
	}
	if _, body := c.do(http.MethodGet, "/api/auth/session", nil); strings.TrimSpace(body) != "{}" {
		t.Errorf("session without a sign-in: %q, want {}", body)
	}
	if _, body := c.do(http.MethodGet, "/api/auth/providers", nil); !strings.Contains(body, ` + "`" + `"name":"Corp SSO"` + "`" + `) {
		t.Errorf("providers: %s", body)
	}

	// GitHub: the manifest's scopes; a trusted origin may post.
	resp, _ = c.do(http.MethodPost, "/api/auth/signin/github", url.Values{"csrfToken": {c.csrf()}},
		"Sec-Fetch-Site", "cross-site", "Origin", "https://app.example.com")
	u, _ := url.Parse(resp.Header.Get("Location"))
	if u == nil || u.Host != "github.com" || u.Query().Get("scope") != "read:user user:email read:org" {
		t.Errorf("GitHub sign-in from a trusted origin went to %q", resp.Header.Get("Location"))
	}
	resp, _ = c.do(http.MethodPost, "/api/auth/signin/github", url.Values{"csrfToken": {c.csrf()}},
		"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if got := resp.Header.Get("Location"); strings.Contains(got, "github.com") {
		t.Errorf("an untrusted origin started a sign-in: %q", got)
	}

	// Corp: the manifest's scopes and authorization parameters.
	resp, _ = c.do(http.MethodPost, "/api/auth/signin/corp", url.Values{"csrfToken": {c.csrf()}})
	u, _ = url.Parse(resp.Header.Get("Location"))
	if u == nil || !strings.HasPrefix(u.String(), idp.URL) {
		t.Fatalf("corp sign-in went to %q", resp.Header.Get("Location"))
	}
	q := u.Query()
	if q.Get("scope") != "openid profile email groups" || q.Get("prompt") != "select_account" || q.Get("acr_values") != "urn:example:mfa" {
		t.Errorf("corp authorization request %s", u.RawQuery)
	}
}

// TestThemedSignInPage: the built-in sign-in page shows the configured
// provider names, brand colour, logo and application name.
func TestThemedSignInPage(t *testing.T) {
	cfg, err := plain.LoadConfig(environment(t, "https://idp.example.com"), "3000")
	if err != nil {
		t.Fatal(err)
	}
	a, err := plain.New(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	c := newClient(t, a.Handler())
	resp, body := c.do(http.MethodGet, "/api/auth/signin", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sign-in page: %s", resp.Status)
	}
	for _, want := range []string{
		"Sign in with GitHub (staff)", "Sign in with GitHub Enterprise", "Sign in with Corp SSO", "Sign in with Google",
		"--brand:#0f766e;", ` + "`" + `<img class="logo" src="/static/logo.svg"` + "`" + `, "<title>Sign in · Acme</title>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("sign-in page lacks %q:\n%s", want, body)
		}
	}
}
`
