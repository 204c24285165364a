package server

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/csrf"
	"github.com/authgen/authgen/runtime/keys"
)

// TestCSRFWithoutSigningKey: a CSRF protector whose key set has no signing
// key valid now (a set server.New would refuse: keys.RotateWith never makes
// one) issues nothing and never panics: Issue is ErrConfig wrapping
// csrf.ErrNoSecrets, GET /csrf answers 500 Configuration with a log line
// saying why, a page's token is "" without a cookie, and a sign-in's
// rotation deletes the cookie.
func TestCSRFWithoutSigningKey(t *testing.T) {
	k := &keyedCSRF{keys: &keys.Set{}, now: time.Now}
	if _, _, err := k.Issue(); !errors.Is(err, ErrConfig) || !errors.Is(err, csrf.ErrNoSecrets) {
		t.Fatalf("Issue: %v, want ErrConfig and csrf.ErrNoSecrets", err)
	}

	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	u, _ := url.Parse("http://localhost:3000")
	a, err := New(Config{URL: u, Keys: ks, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	a.csrf = k
	w := httptest.NewRecorder()
	a.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/auth/csrf", nil))
	if body := w.Body.String(); w.Code != http.StatusInternalServerError || !strings.Contains(body, `"error":"Configuration"`) {
		t.Errorf("GET /csrf: %d %s, want 500 Configuration", w.Code, body)
	}
	if !strings.Contains(logs.String(), "the key set has no signing key valid now") || strings.Contains(logs.String(), "panic") {
		t.Errorf("the log does not say why:\n%s", logs.String())
	}
	if c := w.Result().Cookies(); len(c) != 0 {
		t.Errorf("GET /csrf set cookies %v", c)
	}

	w = httptest.NewRecorder()
	rq := a.newRequest(w, httptest.NewRequest(http.MethodGet, "/api/auth/signin", nil))
	if token := a.csrfToken(rq); token != "" || len(w.Result().Cookies()) != 0 {
		t.Errorf("a page's token: %q, cookies %v; want none", token, w.Result().Cookies())
	}
	w = httptest.NewRecorder()
	rq = a.newRequest(w, httptest.NewRequest(http.MethodPost, "/api/auth/callback/github", nil))
	a.rotateCSRF(rq)
	if c := w.Result().Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
		t.Errorf("rotation without a key: cookies %v, want the CSRF cookie deleted", c)
	}
}
