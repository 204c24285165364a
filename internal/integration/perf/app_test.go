package perf

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/internal/integration/sqltest"
	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/ratelimit"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/session"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/memstore"
)

// basePath is where a generated application mounts the auth API.
const basePath = "/api/auth"

// appConfig is what differs between the applications measured here; the
// rest is what authgen's generated auth_gen.go and main.go set.
type appConfig struct {
	// strategy is the session strategy; revocation makes JWT sessions
	// revocable (session.revocation in authgen.yaml).
	strategy   server.Strategy
	revocation bool
	// store is "" (no database), "memory" or "sqlite": a generated
	// project's SQLite store, migrated with the migrations authgen writes.
	store string
}

// app is an application serving on loopback as a generated one does: the
// auth API at /api/auth behind server.SecureHeaders, with main.go's
// timeouts, and a GitHub-like provider.
type app struct {
	origin string
	users  store.Users
}

// gitHubProfile is the part of GitHub's GET /user that the generated
// profile mapping reads.
type gitHubProfile struct {
	ID        int64  `json:"id"`
	Login     string `json:"login"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	AvatarURL string `json:"avatar_url"`
}

// newGitHub returns a GitHub-like provider: GitHub's paths on authtest's
// server, with PKCE and state, a profile from GET /user and the e-mail
// lookup of /user/emails when the address is private, as the catalog's
// GitHub entry generates it.
func newGitHub(tb testing.TB) *authtest.Provider {
	tb.Helper()
	return authtest.NewProvider(tb, authtest.Config{
		AuthMethod: authtest.AuthBasic,
		Paths: authtest.Paths{
			Authorization: "/login/oauth/authorize",
			Token:         "/login/oauth/access_token",
			Userinfo:      "/user",
		},
		Token:     `{"scope":"read:user,user:email"}`,
		Responses: map[string]string{"/user/emails": `[]`},
	})
}

// gitHubUser is the n-th GitHub user, with a public e-mail address of its
// own (so that no sign-in links to another user).
func gitHubUser(n int) string {
	id := strconv.Itoa(583231 + n)
	return `{"id":` + id + `,"login":"octocat` + id + `","name":"Monalisa Octocat","email":"mona` + id + `@example.com","avatar_url":"https://avatars.githubusercontent.com/u/` + id + `?v=4","html_url":"https://github.com/octocat` + id + `","company":null,"location":"San Francisco","bio":null,"two_factor_authentication":true}`
}

// newApp starts an application configured by cfg, signing in with idp.
func newApp(tb testing.TB, idp *authtest.Provider, cfg appConfig) *app {
	tb.Helper()
	ks, err := keys.Generate()
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	tb.Cleanup(srv.Close)
	origin := "http://" + srv.Listener.Addr().String()
	u, err := url.Parse(origin)
	if err != nil {
		tb.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := server.Config{
		URL:      u,
		BasePath: basePath,
		Keys:     ks,
		Providers: []*oauth.Provider{{
			ID:               "github",
			Name:             "GitHub",
			Type:             oauth.TypeOAuth,
			ClientID:         idp.ClientID,
			ClientSecret:     idp.ClientSecret,
			AuthorizationURL: idp.AuthorizationURL(),
			TokenURL:         idp.TokenURL(),
			UserinfoURL:      idp.UserinfoURL(),
			Scopes:           []string{"read:user", "user:email"},
			Checks:           oauth.PKCE | oauth.State,
			Profile: oauth.Map(func(p *gitHubProfile) oauth.User {
				name := p.Name
				if name == "" {
					name = p.Login
				}
				return oauth.User{ID: strconv.FormatInt(p.ID, 10), Name: name, Email: p.Email, Image: p.AvatarURL}
			}, nil),
			Enrich: oauth.GitHubEmails,
		}},
		Session:      session.Options{Protection: session.Signed},
		Strategy:     cmpStrategy(cfg.strategy),
		Revocation:   cfg.revocation,
		CookiePrefix: "authgen",
		Theme:        server.Theme{AppName: "myapp"},
		// The scaffolded callbacks.go and events: allow everyone, keep
		// the token as it is, log sign-ins and sign-outs.
		Callbacks: server.Callbacks{
			SignIn: func(context.Context, *server.SignInInput) error { return nil },
			JWT:    func(context.Context, *server.JWTInput) error { return nil },
		},
		Events: server.Events{
			SignIn: func(ctx context.Context, e server.SignInEvent) {
				logger.InfoContext(ctx, "signed in", "provider", e.Provider, "user", e.User.ID)
			},
			SignOut: func(ctx context.Context, e server.SignOutEvent) {
				logger.InfoContext(ctx, "signed out", "user", e.Session.User.ID)
			},
		},
		DecodeData: func(raw json.RawMessage) (any, error) {
			var d struct{}
			if len(raw) == 0 {
				return d, nil
			}
			return d, json.Unmarshal(raw, &d)
		},
		Logger: logger,
		// Every sign-in here comes from 127.0.0.1, which the default
		// signInPerClient limit (60/m) would refuse after the 60th.
		RateLimits: map[string]ratelimit.Limit{server.LimitSignInPerClient: ratelimit.Off},
		HTTPClient: idp.Client(),
	}
	a := &app{origin: origin}
	switch cfg.store {
	case "memory":
		m := memstore.New()
		c.Users, c.Sessions, a.users = m, m, m
	case "sqlite":
		s, _ := sqltest.SQLiteStore(tb)
		c.Users, c.Sessions, a.users = s, s, s
	}
	auth, err := server.New(c)
	if err != nil {
		tb.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(basePath+"/", auth)
	srv.Config.Handler = server.SecureHeaders(mux)
	srv.Config.ReadHeaderTimeout = 5 * time.Second
	srv.Config.ReadTimeout = 10 * time.Second
	srv.Config.WriteTimeout = 60 * time.Second
	srv.Config.IdleTimeout = 2 * time.Minute
	srv.Config.MaxHeaderBytes = 128 << 10
	srv.Start()
	return a
}

func cmpStrategy(s server.Strategy) server.Strategy {
	if s == "" {
		return server.StrategyJWT
	}
	return s
}

// browser is one browser: a cookie jar, redirects not followed.
type browser struct {
	c *http.Client
}

func newBrowser(tb testing.TB) *browser {
	tb.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &browser{c: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// do sends req and returns the answer's status, Location and body.
func (b *browser) do(req *http.Request) (status int, location string, body []byte, err error) {
	resp, err := b.c.Do(req)
	if err != nil {
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), body, err
}

// signIn signs b in to a as the GitHub user whose profile (GET /user) is
// userinfo, as a browser does: the CSRF token, POST /signin/github,
// consent at the provider, the callback. It returns an error unless the
// callback set a session and sent the browser home.
func (a *app) signIn(ctx context.Context, b *browser, idp *authtest.Provider, userinfo string) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, a.origin+basePath+"/csrf", nil)
	status, _, body, err := b.do(req)
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("GET /csrf: %d %v", status, err)
	}
	var csrf struct {
		Token string `json:"csrfToken"`
	}
	if err := json.Unmarshal(body, &csrf); err != nil || csrf.Token == "" {
		return fmt.Errorf("GET /csrf: %s", body)
	}
	form := url.Values{"csrfToken": {csrf.Token}, "callbackUrl": {a.origin + "/"}}
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, a.origin+basePath+"/signin/github", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", a.origin)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	status, loc, body, err := b.do(req)
	if err != nil || status != http.StatusFound {
		return fmt.Errorf("POST /signin/github: %d %v %s", status, err, body)
	}
	req, err = idp.CallbackRequestAs(ctx, loc, userinfo)
	if err != nil {
		return err
	}
	status, loc, body, err = b.do(req)
	if err != nil || status != http.StatusFound || loc != a.origin+"/" {
		return fmt.Errorf("callback: %d to %q %v %s", status, loc, err, body)
	}
	if a.cookie(b) == "" {
		return errors.New("callback: no session cookie")
	}
	return nil
}

// cookie is the Cookie header b sends to a's API, "" when it holds no
// session.
func (a *app) cookie(b *browser) string {
	u, _ := url.Parse(a.origin + basePath + "/session")
	var parts []string
	session := false
	for _, c := range b.c.Jar.Cookies(u) {
		session = session || strings.HasPrefix(c.Name, "authgen.session-token")
		parts = append(parts, c.Name+"="+c.Value)
	}
	if !session {
		return ""
	}
	return strings.Join(parts, "; ")
}
