package generator_test

import "testing"

// TestAuthJSApp runs the golden case authjs (testdata/golden/authjs) as a
// generated project: LoadConfig reads AUTH_SECRET and AUTH_SECRET_1, and
// the app reads a session token an Auth.js 5 application sealed under
// either (made here with runtime/authjs, which internal/integration/authjs
// checks against the real @auth/core) and answers GET /session with its
// user, null without one.
func TestAuthJSApp(t *testing.T) {
	goldenProjectTest(t, "authjs", "example.com/authjs", authjsAppTest)
}

// authjsAppTest is the generated project's test.
const authjsAppTest = `package apptest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/authjs"
	"github.com/authgen/authgen/runtime/keys"

	"example.com/authjs/auth"
)

func TestSharedSession(t *testing.T) {
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	data, err := ks.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{
		"AUTH_URL":           "http://localhost:3000",
		"AUTH_KEYS":          string(data),
		"AUTH_SECRET":        "the-older-secret-of-the-next-js-app",
		"AUTH_SECRET_1":      "the-newer-secret-of-the-next-js-app",
		"AUTH_GITHUB_ID":     "client",
		"AUTH_GITHUB_SECRET": "secret",
	}
	cfg, err := auth.LoadConfig(func(name string) string { return vars[name] }, "3000")
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)

	get := func(cookie string) string {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, srv.URL+auth.BasePath+"/session", nil)
		if err != nil {
			t.Fatal(err)
		}
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: "authjs.session-token", Value: cookie})
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return strings.TrimSpace(string(b))
	}
	if got := get(""); got != "null" {
		t.Errorf("signed out: %s, want null (Auth.js 5)", got)
	}
	for _, secret := range []string{vars["AUTH_SECRET_1"], vars["AUTH_SECRET"]} {
		codec, err := authjs.NewCodec(authjs.V5, "authjs.session-token", []string{secret})
		if err != nil {
			t.Fatal(err)
		}
		token, err := codec.Encode(authjs.Claims{Subject: "u1", Name: "Ada", Email: "ada@example.com"}, time.Now(), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		var s struct{ User struct{ Name, Email string } }
		if body := get(token); json.Unmarshal([]byte(body), &s) != nil || s.User.Email != "ada@example.com" {
			t.Errorf("a token sealed by the Auth.js app: %s", body)
		}
	}
	codec, err := authjs.NewCodec(authjs.V5, "authjs.session-token", []string{"another-app-s-secret"})
	if err != nil {
		t.Fatal(err)
	}
	token, err := codec.Encode(authjs.Claims{Subject: "u1", Email: "mallory@example.com"}, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got := get(token); got != "null" {
		t.Errorf("a token under another secret: %s, want null", got)
	}
}
`
