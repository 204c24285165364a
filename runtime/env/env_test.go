package env_test

import (
	"errors"
	"path/filepath"
	"slices"
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

// names returns the names of vars that keep returns true for.
func names(vars []env.Var, keep func(env.Var) bool) []string {
	var out []string
	for _, v := range vars {
		if keep(v) {
			out = append(out, v.Name)
		}
	}
	return out
}

func required(v env.Var) bool { return v.Required }
func optional(v env.Var) bool { return !v.Required && !v.Advanced }

// TestProviderVars: what each kind of provider requires is what Reader
// reports missing in an empty environment, with where to get it.
func TestProviderVars(t *testing.T) {
	tests := []struct {
		name               string
		spec               env.ProviderSpec
		required, optional []string
		// message holds what the error must say.
		message []string
	}{
		{"oauth", env.ProviderSpec{EnvName: "GITHUB", Name: "GitHub", Console: "https://github.com/settings/developers", SelfHosted: "GitHub Enterprise Server"},
			[]string{"AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET"}, []string{"AUTH_GITHUB_BASE_URL"},
			[]string{"register the app at https://github.com/settings/developers with the callback URL cb"}},
		{"self-hosted from the manifest", env.ProviderSpec{EnvName: "GHE", Name: "GitHub", Console: "https://ghe.example.com/settings/developers", SelfHosted: "GitHub Enterprise Server", BaseURL: "https://ghe.example.com"},
			[]string{"AUTH_GHE_ID", "AUTH_GHE_SECRET"}, []string{"AUTH_GHE_BASE_URL"}, nil},
		{"required base URL", env.ProviderSpec{EnvName: "SHOP", Name: "Shopify", Console: "https://partners.shopify.com/", SelfHosted: "a Shopify shop", NeedsBaseURL: true},
			[]string{"AUTH_SHOP_ID", "AUTH_SHOP_SECRET", "AUTH_SHOP_BASE_URL"}, nil,
			[]string{"AUTH_SHOP_BASE_URL: base URL of a Shopify shop"}},
		{"api key", env.ProviderSpec{EnvName: "BUNGIE", Name: "Bungie", Console: "https://www.bungie.net/en/Application", NeedsAPIKey: true},
			[]string{"AUTH_BUNGIE_ID", "AUTH_BUNGIE_SECRET", "AUTH_BUNGIE_API_KEY"}, nil, nil},
		{"oidc with an issuer", env.ProviderSpec{EnvName: "GOOGLE", Name: "Google", Console: "https://console.cloud.google.com/apis/credentials", Issuer: "https://accounts.google.com"},
			[]string{"AUTH_GOOGLE_ID", "AUTH_GOOGLE_SECRET"}, []string{"AUTH_GOOGLE_ISSUER"}, nil},
		{"generic oidc", env.ProviderSpec{EnvName: "CORP", Name: "OpenID Connect", Docs: "https://openid.net/specs/openid-connect-core-1_0.html", NeedsIssuer: true, IssuerExample: "https://idp.example.com"},
			[]string{"AUTH_CORP_ID", "AUTH_CORP_SECRET", "AUTH_CORP_ISSUER"}, nil,
			[]string{"register the app in the admin console of your OpenID Connect provider (documentation: https://openid.net/specs/openid-connect-core-1_0.html) with the callback URL cb",
				"AUTH_CORP_ISSUER: OpenID Connect issuer URL, such as https://idp.example.com"}},
		{"generic oauth", env.ProviderSpec{EnvName: "ACME", Name: "OAuth 2.0", Docs: "https://www.rfc-editor.org/rfc/rfc6749", NeedsEndpoints: true},
			[]string{"AUTH_ACME_ID", "AUTH_ACME_SECRET", "AUTH_ACME_AUTHORIZATION_URL", "AUTH_ACME_TOKEN_URL", "AUTH_ACME_USERINFO_URL"}, nil,
			[]string{"admin console of your OAuth 2.0 provider"}},
		{"generic oauth1", env.ProviderSpec{EnvName: "LEGACY", Name: "OAuth 1.0a", NeedsEndpoints: true, OAuth1: true},
			[]string{"AUTH_LEGACY_ID", "AUTH_LEGACY_SECRET", "AUTH_LEGACY_REQUEST_TOKEN_URL", "AUTH_LEGACY_AUTHORIZATION_URL", "AUTH_LEGACY_TOKEN_URL", "AUTH_LEGACY_USERINFO_URL"}, nil, nil},
		{"apple", env.ProviderSpec{EnvName: "APPLE", Name: "Apple", Console: "https://developer.apple.com/account/resources/identifiers/list/serviceId", Issuer: "https://appleid.apple.com", ClientAuth: env.AuthApple},
			[]string{"AUTH_APPLE_ID", "AUTH_APPLE_TEAM_ID", "AUTH_APPLE_KEY_ID", "AUTH_APPLE_PRIVATE_KEY"}, []string{"AUTH_APPLE_ISSUER"},
			[]string{"AUTH_APPLE_TEAM_ID: Apple team ID, under Membership details, at https://developer.apple.com/account",
				"AUTH_APPLE_PRIVATE_KEY: Apple private key: the contents of that key's .p8 file, at https://developer.apple.com/account/resources/authkeys/list"}},
		{"private_key_jwt", env.ProviderSpec{EnvName: "PK", Name: "PK", Console: "https://pk.example.com", ClientAuth: env.AuthPrivateKeyJWT},
			[]string{"AUTH_PK_ID", "AUTH_PK_PRIVATE_KEY"}, []string{"AUTH_PK_KEY_ID"}, nil},
		// Generated before SelfHosted existed: still required, and named.
		{"older generated spec", env.ProviderSpec{EnvName: "OLD", Name: "Old", NeedsBaseURL: true},
			[]string{"AUTH_OLD_ID", "AUTH_OLD_SECRET", "AUTH_OLD_BASE_URL"}, nil,
			[]string{"AUTH_OLD_BASE_URL: base URL of the self-hosted instance"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.spec.CallbackURL = "cb"
			vars := tt.spec.Vars()
			if got := names(vars, required); !slices.Equal(got, tt.required) {
				t.Errorf("required %v, want %v", got, tt.required)
			}
			if got := names(vars, optional); !slices.Equal(got, tt.optional) {
				t.Errorf("optional %v, want %v", got, tt.optional)
			}
			for _, v := range vars {
				if v.Description == "" || !strings.HasPrefix(v.Name, "AUTH_"+tt.spec.EnvName+"_") {
					t.Errorf("%+v: no description, or not the provider's", v)
				}
			}
			r := env.New(getenv(nil))
			r.Provider(tt.spec)
			if got := r.Missing(); !slices.Equal(got, tt.required) {
				t.Errorf("Reader missed %v, want %v", got, tt.required)
			}
			err := r.Err()
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, want := range append([]string{strings.Join(tt.required, ", ") + ": the " + tt.spec.Name + " app's settings", "callback URL cb"}, tt.message...) {
				if !strings.Contains(msg, want) {
					t.Errorf("error lacks %q:\n%s", want, msg)
				}
			}
			if strings.Contains(msg, " at  ") || strings.Contains(msg, "at with") {
				t.Errorf("error names an empty place:\n%s", msg)
			}

			// Every required variable set: nothing is missing (Apple's
			// key is checked after, and fails on this placeholder alone).
			set := map[string]string{}
			for _, name := range tt.required {
				set[name] = "x"
			}
			r = env.New(getenv(set))
			r.Provider(tt.spec)
			if got := r.Missing(); len(got) != 0 {
				t.Errorf("with every required variable set, Reader missed %v", got)
			}
			if err := r.Err(); (err != nil) != (tt.spec.ClientAuth != "") {
				t.Errorf("with every required variable set: %v", err)
			}
		})
	}
}

func TestAppVars(t *testing.T) {
	tests := []struct {
		app                env.App
		required, optional []string
		databaseURL        env.Var
	}{
		{env.App{Demo: true, Database: "none"}, nil, []string{"PORT", "AUTH_URL", "AUTH_TRUST_HOST", "AUTH_KEYS", "AUTH_KEYS_FILE"}, env.Var{}},
		{env.App{Database: "sqlite"}, nil, []string{"AUTH_URL", "AUTH_TRUST_HOST", "AUTH_KEYS", "AUTH_KEYS_FILE", "DATABASE_URL", "AUTH_AUTO_MIGRATE"},
			env.Var{Name: "DATABASE_URL", Default: "sqlite:./authgen.db", Example: "sqlite:./authgen.db"}},
		{env.App{Database: "postgres", Redis: true}, []string{"DATABASE_URL", "REDIS_URL"}, []string{"AUTH_URL", "AUTH_TRUST_HOST", "AUTH_KEYS", "AUTH_KEYS_FILE", "AUTH_AUTO_MIGRATE"},
			env.Var{Name: "DATABASE_URL", Required: true, Example: "postgres://user:password@localhost:5432/app?sslmode=disable"}},
		{env.App{Database: "custom"}, []string{"DATABASE_URL"}, []string{"AUTH_URL", "AUTH_TRUST_HOST", "AUTH_KEYS", "AUTH_KEYS_FILE", "AUTH_AUTO_MIGRATE"},
			env.Var{Name: "DATABASE_URL", Required: true}},
		{env.App{Database: "none", AuthJS: 5}, []string{"AUTH_SECRET"}, []string{"AUTH_URL", "AUTH_TRUST_HOST", "AUTH_KEYS", "AUTH_KEYS_FILE"}, env.Var{}},
		{env.App{Database: "none", AuthJS: 4}, []string{"AUTH_SECRET"}, []string{"AUTH_URL", "AUTH_TRUST_HOST", "AUTH_KEYS", "AUTH_KEYS_FILE"}, env.Var{}},
	}
	for _, tt := range tests {
		vars := tt.app.Vars()
		if got := names(vars, required); !slices.Equal(got, tt.required) {
			t.Errorf("%+v: required %v, want %v", tt.app, got, tt.required)
		}
		if got := names(vars, optional); !slices.Equal(got, tt.optional) {
			t.Errorf("%+v: optional %v, want %v", tt.app, got, tt.optional)
		}
		v, ok := env.Lookup(vars, "DATABASE_URL")
		v.Description = ""
		if ok != (tt.databaseURL.Name != "") || v != tt.databaseURL {
			t.Errorf("%+v: DATABASE_URL %+v, want %+v", tt.app, v, tt.databaseURL)
		}
	}
	all := names(env.AppVars(), func(env.Var) bool { return true })
	want := []string{"PORT", "AUTH_URL", "AUTH_TRUST_HOST", "AUTH_KEYS", "AUTH_KEYS_FILE", "DATABASE_URL", "AUTH_AUTO_MIGRATE", "REDIS_URL", "AUTH_SECRET", "AUTH_SECRET_1", "AUTH_EMAIL_SERVER", "AUTH_EMAIL_FROM"}
	if !slices.Equal(all, want) {
		t.Errorf("AppVars %v, want %v", all, want)
	}
}

func TestRequiredWithoutExample(t *testing.T) {
	r := env.New(getenv(nil))
	r.Required("DATABASE_URL", "")
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "DATABASE_URL is required\n") && !strings.HasSuffix(err.Error(), "DATABASE_URL is required") {
		t.Errorf("err = %v", err)
	}
	if got := r.Missing(); !slices.Equal(got, []string{"DATABASE_URL"}) {
		t.Errorf("Missing() = %v", got)
	}
}

// TestAuthSecrets: @auth/core's order (AUTH_SECRET_3 … _1, then
// AUTH_SECRET), next-auth 4's one secret, AUTH_SECRET required.
func TestAuthSecrets(t *testing.T) {
	vars := map[string]string{"AUTH_SECRET": "a,b", "AUTH_SECRET_1": "one", "AUTH_SECRET_3": "three"}
	r := env.New(func(k string) string { return vars[k] })
	if got := r.AuthSecrets(5); !slices.Equal(got, []string{"three", "one", "a,b"}) {
		t.Errorf("version 5: %q", got)
	}
	if got := r.AuthSecrets(4); !slices.Equal(got, []string{"a,b"}) {
		t.Errorf("version 4: %q", got)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	empty := env.New(func(string) string { return "" })
	empty.AuthSecrets(5)
	if err := empty.Err(); err == nil || !strings.Contains(err.Error(), "AUTH_SECRET is required") {
		t.Errorf("without AUTH_SECRET: %v", err)
	}
}
