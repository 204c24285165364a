package env_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/env"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
)

func getenv(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestEveryProblemAtOnce(t *testing.T) {
	t.Chdir(t.TempDir()) // no authgen.keys.json here
	r := env.New(getenv(map[string]string{"AUTH_URL": "https://app.example.com/path", "AUTH_TRUST_HOST": "yes please"}))
	r.Origin("AUTH_URL", "http://localhost:3000")
	r.Bool("AUTH_TRUST_HOST")
	r.Keys()
	r.Provider(env.ProviderSpec{EnvName: "GITHUB", Name: "GitHub", Console: "https://github.com/settings/developers", CallbackURL: "https://app.example.com/api/auth/callback/github"})
	r.Required("DATABASE_URL", "postgres://…")
	err := r.Err()
	if !errors.Is(err, env.ErrConfig) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"AUTH_URL", "no path", "AUTH_TRUST_HOST", "authgen keys rotate", "AUTH_GITHUB_ID, AUTH_GITHUB_SECRET",
		"https://github.com/settings/developers", "callback/github", "DATABASE_URL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestComplete(t *testing.T) {
	dir := t.TempDir()
	ks, _ := keys.Generate()
	path := filepath.Join(dir, "k.json")
	if err := ks.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	r := env.New(getenv(map[string]string{
		"AUTH_KEYS_FILE": path, "AUTH_X_ID": "id", "AUTH_X_SECRET": "secret",
		"AUTH_X_TOKEN_URL": "http://127.0.0.1/token", "AUTH_X_BASE_URL": "https://ghe.example.com/",
	}))
	u := r.Origin("AUTH_URL", "http://localhost:3000")
	got := r.Keys()
	p := r.Provider(env.ProviderSpec{EnvName: "X", Name: "X", CallbackURL: "cb"})
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if u.String() != "http://localhost:3000" || got.Signing().ID != ks.Signing().ID || p.BaseURL != "https://ghe.example.com" {
		t.Errorf("origin %s, keys %v, base %q", u, got.Signing().ID, p.BaseURL)
	}
	op := &oauth.Provider{AuthorizationURL: "https://a", TokenURL: "https://t"}
	p.Apply(op)
	if op.ClientID != "id" || op.ClientSecret != "secret" || op.AuthorizationURL != "https://a" || op.TokenURL != "http://127.0.0.1/token" {
		t.Errorf("Apply: %+v", op)
	}
}
