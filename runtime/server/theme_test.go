package server_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/session"
)

// TestThemedSignInPage: the sign-in page shows each provider's configured
// name, the brand colour and the logo, and its Content-Security-Policy
// lets a logo on the application's own origin load.
func TestThemedSignInPage(t *testing.T) {
	for _, logo := range []string{"/static/logo.svg", "https://cdn.example.com/logo.svg"} {
		t.Run(logo, func(t *testing.T) {
			a := newApp(t, func(c *server.Config) {
				c.Theme = server.Theme{Brand: "#0f766e", Logo: logo, AppName: "Acme"}
				c.Providers[0].Name = "Staff SSO"
			})
			resp := a.get("/api/auth/signin")
			body := readBody(t, resp)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %s", resp.Status)
			}
			for _, want := range []string{
				`id="signin-github">Sign in with Staff SSO</button>`,
				`--brand:#0f766e;`,
				`<img class="logo" src="` + logo + `"`,
				`<title>Sign in · Acme</title>`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("sign-in page lacks %q:\n%s", want, body)
				}
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' https:") {
				t.Errorf("Content-Security-Policy %q does not allow the logo", csp)
			}
		})
	}
}

// TestNewUserPage: a user's first sign-in goes to Pages.NewUser with the
// callbackUrl; the next one goes straight to the callbackUrl.
func TestNewUserPage(t *testing.T) {
	a, _ := newStoreApp(t, server.StrategyDatabase, func(c *server.Config) { c.Pages.NewUser = "/welcome" })
	want := "/welcome?callbackUrl=" + url.QueryEscape(a.origin+"/dashboard")
	if got := location(t, a.signIn("github", "/dashboard")); got != want {
		t.Errorf("first sign-in went to %q, want %q", got, want)
	}
	if got := location(t, a.signIn("github", "/dashboard")); got != a.origin+"/dashboard" {
		t.Errorf("second sign-in went to %q", got)
	}
}

// TestPresentationConfigErrors: New refuses a theme, page or origin that
// the checks refuse, naming the field.
func TestPresentationConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		set  func(*server.Config)
		want string
	}{
		{"brand that ends the declaration", func(c *server.Config) { c.Theme.Brand = "red;}body{display:none" }, "Theme.Brand"},
		{"brand as a function", func(c *server.Config) { c.Theme.Brand = "url(https://evil.example)" }, "Theme.Brand"},
		{"http logo", func(c *server.Config) { c.Theme.Logo = "http://cdn.example.com/logo.svg" }, "Theme.Logo"},
		{"protocol-relative logo", func(c *server.Config) { c.Theme.Logo = "//evil.example/logo.svg" }, "Theme.Logo"},
		{"javascript page", func(c *server.Config) { c.Pages.SignIn = "javascript:alert(1)" }, "Pages.SignIn"},
		{"page under the base path", func(c *server.Config) { c.Pages.Error = "/api/auth/error" }, "Pages.Error"},
		{"origin with a path", func(c *server.Config) { c.TrustedOrigins = []string{"https://app.example.com/x"} }, "TrustedOrigins"},
		{"updateAge not below maxAge", func(c *server.Config) {
			c.Session = session.Options{MaxAge: time.Hour, UpdateAge: 2 * time.Hour}
		}, "UpdateAge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t)
			cfg := a.cfg
			tt.set(&cfg)
			_, err := server.New(cfg)
			if !errors.Is(err, server.ErrConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New: %v, want ErrConfig naming %s", err, tt.want)
			}
		})
	}
	a := newApp(t)
	cfg := a.cfg
	cfg.Pages = server.Pages{SignIn: "https://app.example.com/login", Error: "/oops?from=auth"}
	cfg.TrustedOrigins = []string{"https://app.example.com", "http://localhost:5173"}
	if _, err := server.New(cfg); err != nil {
		t.Errorf("New refused valid pages and origins: %v", err)
	}
}

func TestCheckColor(t *testing.T) {
	for _, ok := range []string{"#0f766e", "#FFF", "#ffff", "#0f766e80", "teal", "RebeccaPurple"} {
		if err := server.CheckColor(ok); err != nil {
			t.Errorf("CheckColor(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "#12", "#12345", "#ggg", "tea", "red;", "rgb(0,0,0)", "var(--x)", "red }", "expression(alert(1))"} {
		if err := server.CheckColor(bad); err == nil {
			t.Errorf("CheckColor(%q) accepted it", bad)
		}
	}
}

func TestCheckLogo(t *testing.T) {
	for _, ok := range []string{"https://cdn.example.com/logo.svg", "https://cdn.example.com/l.png?v=2", "/logo.svg", "/static/logo.png?v=2"} {
		if err := server.CheckLogo(ok); err != nil {
			t.Errorf("CheckLogo(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "logo.svg", "http://cdn.example.com/logo.svg", "//evil.example/x.svg", `/\evil.example`,
		"data:image/svg+xml,<svg/>", "javascript:alert(1)", "https://user:pw@cdn.example.com/x", `/logo".svg`, "/a b.svg", "https:///x"} {
		if err := server.CheckLogo(bad); err == nil {
			t.Errorf("CheckLogo(%q) accepted it", bad)
		}
	}
}

func TestCheckPagePath(t *testing.T) {
	for _, ok := range []string{"/login", "/auth/login?from=app", "/"} {
		if err := server.CheckPagePath(ok, "/api/auth"); err != nil {
			t.Errorf("CheckPagePath(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "login", "https://app.example.com/login", "//evil.example/login", `/\evil.example`,
		"/login#top", "/api/auth", "/api/auth/signin", "/api/auth/?x", "javascript:alert(1)", "/a b"} {
		if err := server.CheckPagePath(bad, "/api/auth"); err == nil {
			t.Errorf("CheckPagePath(%q) accepted it", bad)
		}
	}
	if err := server.CheckPagePath("/api/authors", "/api/auth"); err != nil {
		t.Errorf("a sibling of the base path was refused: %v", err)
	}
}

func TestCheckOrigin(t *testing.T) {
	for _, ok := range []string{"https://app.example.com", "http://localhost:5173", "https://[::1]:8443"} {
		if err := server.CheckOrigin(ok); err != nil {
			t.Errorf("CheckOrigin(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "app.example.com", "https://app.example.com/", "https://app.example.com/x", "ftp://app.example.com",
		"https://u@app.example.com", "https://app.example.com?x", "https://app.example.com#x", "*"} {
		if err := server.CheckOrigin(bad); err == nil {
			t.Errorf("CheckOrigin(%q) accepted it", bad)
		}
	}
}
