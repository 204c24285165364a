package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/authgen/authgen/runtime/password"
	"github.com/authgen/authgen/runtime/ratelimit"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/memstore"
)

// spyHasher is a password.Hasher (cheap argon2id parameters) that counts
// its verifications, real and dummy.
type spyHasher struct {
	password.Argon2id
	mu                sync.Mutex
	verifies, dummies int
}

func (h *spyHasher) Verify(hash, pw string) (bool, bool, error) {
	h.mu.Lock()
	h.verifies++
	h.mu.Unlock()
	return h.Argon2id.Verify(hash, pw)
}

func (h *spyHasher) VerifyDummy(pw string) {
	h.mu.Lock()
	h.dummies++
	h.mu.Unlock()
	h.Argon2id.VerifyDummy(pw)
}

func (h *spyHasher) counts() (verifies, dummies int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.verifies, h.dummies
}

// userRow is a row of the application's own users table.
type userRow struct {
	id, username, email, name, hash, role string
	verified                              bool
}

// userTable is the application's own users table, in memory, with the
// Authorize an application writes against it.
type userTable struct {
	hasher  password.Hasher
	mu      sync.Mutex
	rows    map[string]*userRow // by lower-case username
	calls   int
	failErr error // the backend is down
}

func newUserTable(h password.Hasher) *userTable {
	return &userTable{hasher: h, rows: map[string]*userRow{}}
}

func (u *userTable) add(t *testing.T, row userRow, pw string) {
	t.Helper()
	if row.hash == "" {
		h, err := u.hasher.Hash(pw)
		if err != nil {
			t.Fatal(err)
		}
		row.hash = h
	}
	u.mu.Lock()
	u.rows[strings.ToLower(row.username)] = &row
	u.mu.Unlock()
}

func (u *userTable) hash(username string) string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.rows[username].hash
}

func (u *userTable) authorize(_ context.Context, in server.CredentialsInput) (*server.Identity, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.calls++
	if u.failErr != nil {
		return nil, u.failErr
	}
	pw := in.Fields["password"]
	row := u.rows[strings.ToLower(strings.TrimSpace(in.Fields["username"]))]
	if row == nil {
		u.hasher.VerifyDummy(pw)
		return nil, fmt.Errorf("%w: no such user", server.ErrCredentials)
	}
	ok, rehash, err := u.hasher.Verify(row.hash, pw)
	if err != nil {
		return nil, fmt.Errorf("users table: %w", err)
	}
	if !ok {
		return nil, fmt.Errorf("%w: wrong password", server.ErrCredentials)
	}
	if rehash {
		if h, err := u.hasher.Hash(pw); err == nil {
			row.hash = h
		}
	}
	return &server.Identity{ID: row.id, Email: row.email, EmailVerified: row.verified, Name: row.name, Claims: map[string]any{"role": row.role}}, nil
}

// credApp is an app with a credentials provider over a userTable.
type credApp struct {
	*app
	users  *userTable
	hasher *spyHasher
	store  *memstore.Store // nil without Users
	cred   *server.Credentials
}

const (
	alicePassword = "correct horse battery staple"
	wrongPassword = "Tr0ub4dor&3-wrong"
)

// newCredApp builds the app; withUsers adds a memstore as Users (and
// Sessions), strategy is the session strategy.
func newCredApp(t *testing.T, withUsers bool, strategy server.Strategy, opts ...appOption) *credApp {
	t.Helper()
	h := &spyHasher{Argon2id: password.Argon2id{Params: password.Params{Memory: 64, Time: 1, Threads: 1}}}
	ca := &credApp{users: newUserTable(h), hasher: h}
	ca.users.add(t, userRow{id: "u-1", username: "alice", email: "alice@example.com", name: "Alice", role: "admin", verified: true}, alicePassword)
	ca.cred = &server.Credentials{
		ID: "credentials", Name: "Password",
		Fields: []server.CredentialField{
			{Name: "username", Label: "Username"},
			{Name: "password", Label: "Password", Type: server.FieldPassword},
		},
		Identifier: "username",
		Authorize:  ca.users.authorize,
	}
	if withUsers {
		ca.store = memstore.New()
	}
	all := append([]appOption{func(c *server.Config) {
		c.Credentials = []*server.Credentials{ca.cred}
		c.Strategy = strategy
		if ca.store != nil {
			c.Users, c.Sessions = ca.store, ca.store
		}
	}}, opts...)
	ca.app = newApp(t, all...)
	return ca
}

// post submits the credentials form; header as postForm's.
func (a *credApp) post(username, pw string, header ...string) *http.Response {
	a.t.Helper()
	return a.postForm("/api/auth/callback/credentials", url.Values{
		"csrfToken": {a.csrfToken()}, "username": {username}, "password": {pw}, "callbackUrl": {"/dashboard"},
	}, header...)
}

func TestCredentialsSignIn(t *testing.T) {
	for _, tc := range []struct {
		name      string
		withUsers bool
		strategy  server.Strategy
	}{
		{"jwt without users", false, server.StrategyJWT},
		{"jwt with users", true, server.StrategyJWT},
		{"database", true, server.StrategyDatabase},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var jwtProfile any
			a := newCredApp(t, tc.withUsers, tc.strategy, func(c *server.Config) {
				c.Callbacks.JWT = func(_ context.Context, in *server.JWTInput) error {
					if in.Trigger != "" && in.User != nil {
						jwtProfile = in.Profile
					}
					return nil
				}
			})
			resp := a.post("Alice", alicePassword)
			if got := location(t, resp); got != a.origin+"/dashboard" {
				t.Fatalf("sign-in redirected to %q, want the callbackUrl", got)
			}
			body, _ := a.sessionJSON()
			if !strings.Contains(body, `"email":"alice@example.com"`) || !strings.Contains(body, `"name":"Alice"`) {
				t.Fatalf("GET /session = %s", body)
			}
			prot := decodeJSON[map[string]string](t, a.get("/protected"))
			if prot["provider"] != "credentials" {
				t.Errorf("session provider %q, want credentials", prot["provider"])
			}
			if tc.strategy == server.StrategyJWT {
				id, ok := jwtProfile.(*server.Identity)
				if !ok || id.Claims["role"] != "admin" {
					t.Errorf("JWT callback Profile = %#v, want the *Identity with its claims", jwtProfile)
				}
			}
			if !tc.withUsers {
				if prot["id"] != "credentials:u-1" {
					t.Errorf("user ID %q, want credentials:u-1", prot["id"])
				}
				return
			}
			u, err := a.store.GetUserByAccount(t.Context(), "credentials", "u-1")
			if err != nil {
				t.Fatalf("the identity is not linked as an account: %v", err)
			}
			if prot["id"] != u.ID || u.Email != "alice@example.com" || u.EmailVerified == nil {
				t.Errorf("user %+v, session user %q", u, prot["id"])
			}
			accounts := decodeJSON[struct{ Accounts []map[string]any }](t, a.get("/api/auth/accounts")).Accounts
			if len(accounts) != 1 || accounts[0]["provider"] != "credentials" || accounts[0]["canUnlink"] != false {
				t.Errorf("GET /accounts = %v, want the credentials account, the last way (not unlinkable)", accounts)
			}
			// The second sign-in finds the same user.
			location(t, a.post("alice", alicePassword))
			if prot2 := decodeJSON[map[string]string](t, a.get("/protected")); prot2["id"] != u.ID {
				t.Errorf("second sign-in: user %q, want %q", prot2["id"], u.ID)
			}
		})
	}
}

// TestCredentialsRefusedAlike: an unknown user and a wrong password get the
// same answer, for forms and JSON clients, the unknown user costs a dummy
// verification, and neither the password nor the username is logged.
func TestCredentialsRefusedAlike(t *testing.T) {
	a := newCredApp(t, true, server.StrategyJWT)
	type answer struct {
		status           int
		location, body   string
		sessionCookieSet bool
	}
	try := func(username, pw string, header ...string) answer {
		resp := a.post(username, pw, header...)
		_, set := setCookies(resp)[a.cookieName("session-token")]
		return answer{resp.StatusCode, resp.Header.Get("Location"), readBody(t, resp), set}
	}
	_, d0 := a.hasher.counts()
	wrong := try("alice", wrongPassword)
	_, d1 := a.hasher.counts()
	unknown := try("mallory-unknown", wrongPassword)
	_, d2 := a.hasher.counts()
	if wrong != unknown {
		t.Errorf("wrong password: %+v\nunknown user: %+v\nwant the same answer", wrong, unknown)
	}
	want := a.base + "/signin?error=CredentialsSignin&provider=credentials"
	if wrong.status != http.StatusFound || wrong.location != want || wrong.sessionCookieSet {
		t.Errorf("refused form: %+v, want 302 to %s and no session", wrong, want)
	}
	if d1 != d0 || d2 != d1+1 {
		t.Errorf("dummy verifications: %d for the wrong password, %d for the unknown user; want 0 and 1", d1-d0, d2-d1)
	}

	jw := try("alice", wrongPassword, "X-Auth-Return-Redirect", "1")
	ju := try("mallory-unknown", wrongPassword, "X-Auth-Return-Redirect", "1")
	if jw != ju || jw.status != http.StatusUnauthorized {
		t.Errorf("JSON: wrong password %+v, unknown user %+v; want the same 401", jw, ju)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(jw.body), &got); err != nil || got["error"] != "CredentialsSignin" || got["url"] != want || len(got) != 2 {
		t.Errorf("JSON body %s, want error CredentialsSignin and url %s", jw.body, want)
	}
	// json=true in the body, as next-auth's signIn() sends it.
	resp := a.postForm("/api/auth/callback/credentials", url.Values{"csrfToken": {a.csrfToken()}, "username": {"alice"}, "password": {"x"}, "json": {"true"}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("json=true: %s, want 401", resp.Status)
	}
	// The page shows the error.
	page := readBody(t, a.get(want))
	if !strings.Contains(page, `data-error="CredentialsSignin"`) {
		t.Errorf("the sign-in page does not show CredentialsSignin:\n%s", page)
	}

	location(t, a.post("alice", alicePassword))
	logs := a.logs.String()
	for _, secret := range []string{alicePassword, wrongPassword, "mallory-unknown", "alice"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs hold %q:\n%s", secret, logs)
		}
	}
	if !strings.Contains(logs, "outcome=refused") || !strings.Contains(logs, "outcome=ok") {
		t.Errorf("the logs do not record the outcomes:\n%s", logs)
	}
}

// TestCredentialsRehash: a bcrypt hash is replaced by argon2id at the
// sign-in that proves the password, and the new hash signs in.
func TestCredentialsRehash(t *testing.T) {
	a := newCredApp(t, true, server.StrategyDatabase)
	b, err := bcrypt.GenerateFromPassword([]byte("legacy password"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	a.users.add(t, userRow{id: "u-2", username: "bob", email: "bob@example.com", name: "Bob", hash: string(b)}, "")
	location(t, a.post("bob", "wrong"))
	if a.users.hash("bob") != string(b) {
		t.Fatal("a wrong password changed the hash")
	}
	if got := location(t, a.post("bob", "legacy password")); got != a.origin+"/dashboard" {
		t.Fatalf("bcrypt sign-in redirected to %q", got)
	}
	h := a.users.hash("bob")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("after sign-in the hash is %q, want argon2id", h)
	}
	if got := location(t, a.post("bob", "legacy password")); got != a.origin+"/dashboard" {
		t.Fatalf("sign-in with the new hash redirected to %q", got)
	}
	if a.users.hash("bob") != h {
		t.Error("a current argon2id hash was rehashed")
	}
}

func TestCredentialsRateLimit(t *testing.T) {
	a := newCredApp(t, false, server.StrategyJWT)
	for i := range 10 {
		name := "alice"
		if i%2 == 1 {
			name = " ALICE " // the same identifier
		}
		if resp := a.post(name, wrongPassword); resp.StatusCode != http.StatusFound {
			t.Fatalf("attempt %d: %s", i+1, resp.Status)
		}
	}
	calls := a.users.calls
	resp := a.post("Alice", alicePassword)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("11th attempt: %s, Retry-After %q; want 429 with Retry-After", resp.Status, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(readBody(t, resp), "Too many sign-in attempts were made for this account.") {
		t.Error("the 429 page does not say what was limited")
	}
	if a.users.calls != calls {
		t.Error("Authorize ran past the limit")
	}
	// Another identifier is not limited.
	if resp := a.post("carol", wrongPassword); resp.StatusCode != http.StatusFound {
		t.Errorf("another identifier: %s, want 302", resp.Status)
	}
	// JSON clients get the limit as JSON.
	resp = a.post("alice", alicePassword, "X-Auth-Return-Redirect", "1")
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(readBody(t, resp), `"error":"RateLimited"`) {
		t.Errorf("JSON past the limit: %s", resp.Status)
	}
	// Past the window, the right password signs in.
	a.clock.Advance(16 * time.Minute)
	if got := location(t, a.post("alice", alicePassword)); got != a.origin+"/dashboard" {
		t.Errorf("after the window: redirected to %q", got)
	}
}

func TestCredentialsPerClientLimit(t *testing.T) {
	a := newCredApp(t, false, server.StrategyJWT, func(c *server.Config) {
		c.RateLimits = map[string]ratelimit.Limit{server.LimitSignInPerClient: {Events: 3, Per: time.Minute}}
	})
	for i := range 3 {
		a.post(fmt.Sprintf("user%d", i), wrongPassword)
	}
	if resp := a.post("alice", alicePassword); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("past signInPerClient: %s, want 429", resp.Status)
	}
}

func TestCredentialsCSRF(t *testing.T) {
	a := newCredApp(t, false, server.StrategyJWT)
	a.csrfToken()
	resp := a.postForm("/api/auth/callback/credentials", url.Values{"username": {"alice"}, "password": {alicePassword}})
	if got := location(t, resp); got != a.base+"/signin?error=MissingCSRF" {
		t.Errorf("without csrfToken: redirected to %q", got)
	}
	resp = a.postForm("/api/auth/callback/credentials", url.Values{"csrfToken": {"forged"}, "username": {"alice"}, "password": {alicePassword}})
	if got := location(t, resp); got != a.base+"/signin?error=MissingCSRF" {
		t.Errorf("with a forged csrfToken: redirected to %q", got)
	}
	if a.users.calls != 0 {
		t.Errorf("Authorize ran %d times without a valid CSRF token", a.users.calls)
	}
	if a.jarCookie("session-token") != "" {
		t.Error("a session without CSRF")
	}
}

// TestCredentialsUnavailable: a backend failure is not a wrong password.
func TestCredentialsUnavailable(t *testing.T) {
	a := newCredApp(t, false, server.StrategyJWT)
	a.users.failErr = errors.New("dial tcp 10.0.0.9:5432: connection refused")
	if got := location(t, a.post("alice", alicePassword)); got != a.base+"/error?error=CredentialsUnavailable" {
		t.Errorf("backend down: redirected to %q", got)
	}
	resp := a.get(a.base + "/error?error=CredentialsUnavailable")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("error page: %s, want 503", resp.Status)
	}
	resp = a.post("alice", alicePassword, "X-Auth-Return-Redirect", "1")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(readBody(t, resp), "CredentialsUnavailable") {
		t.Errorf("JSON: %s", resp.Status)
	}
	if !strings.Contains(a.logs.String(), "connection refused") {
		t.Error("the backend's error is not logged")
	}
	// A panic in Authorize is the backend failing too.
	a2 := newCredApp(t, false, server.StrategyJWT, func(c *server.Config) {
		c.Credentials[0].Authorize = func(context.Context, server.CredentialsInput) (*server.Identity, error) { panic("boom") }
	})
	if got := location(t, a2.post("alice", alicePassword)); got != a2.base+"/error?error=CredentialsUnavailable" {
		t.Errorf("panic: redirected to %q", got)
	}
}

// TestCredentialsLinking: the identity links as an OAuth account does.
func TestCredentialsLinking(t *testing.T) {
	t.Run("signed in", func(t *testing.T) {
		a := newCredApp(t, true, server.StrategyJWT)
		a.mustSignIn()
		gh := decodeJSON[map[string]string](t, a.get("/protected"))["id"]
		if got := location(t, a.post("alice", alicePassword)); got != a.origin+"/dashboard" {
			t.Fatalf("linking sign-in redirected to %q", got)
		}
		u, err := a.store.GetUserByAccount(t.Context(), "credentials", "u-1")
		if err != nil || u.ID != gh {
			t.Fatalf("credentials account linked to %v (%v), want the signed-in GitHub user %s", u, err, gh)
		}
		accounts := decodeJSON[struct{ Accounts []map[string]any }](t, a.get("/api/auth/accounts")).Accounts
		if len(accounts) != 2 {
			t.Fatalf("GET /accounts = %v, want GitHub and Password", accounts)
		}
		for _, acc := range accounts {
			if acc["canUnlink"] != true {
				t.Errorf("%v: with two ways each may be unlinked", acc)
			}
			if acc["provider"] == "credentials" && acc["name"] != "Password" {
				t.Errorf("credentials account named %v, want the provider's Name", acc["name"])
			}
		}
	})
	for _, trust := range []bool{false, true} {
		t.Run(fmt.Sprintf("same e-mail, trustEmail %v", trust), func(t *testing.T) {
			a := newCredApp(t, true, server.StrategyJWT, func(c *server.Config) { c.Credentials[0].TrustEmail = trust })
			owner, err := a.store.CreateUser(t.Context(), store.User{Email: "alice@example.com", Name: "Alice (e-mail)"})
			if err != nil {
				t.Fatal(err)
			}
			got := location(t, a.post("alice", alicePassword))
			linked, lerr := a.store.GetUserByAccount(t.Context(), "credentials", "u-1")
			if !trust {
				if got != a.base+"/signin?error=OAuthAccountNotLinked" || lerr == nil {
					t.Errorf("redirected to %q, account %v; want OAuthAccountNotLinked and nothing linked", got, linked)
				}
				return
			}
			if got != a.origin+"/dashboard" || lerr != nil || linked.ID != owner.ID {
				t.Errorf("redirected to %q, linked to %v (%v); want the owner %s", got, linked, lerr, owner.ID)
			}
		})
	}
}

func TestCredentialsPagesAndProviders(t *testing.T) {
	a := newCredApp(t, false, server.StrategyJWT)
	page := readBody(t, a.get("/api/auth/signin"))
	for _, want := range []string{
		`action="` + a.base + `/callback/credentials"`,
		`<label for="credentials-username">Username</label>`,
		`<input type="password" id="credentials-password" name="password" autocomplete="current-password"`,
		`autocomplete="username"`,
		`id="signin-credentials">Sign in with Password</button>`,
		`id="signin-github"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the sign-in page lacks %s", want)
		}
	}
	providers := decodeJSON[map[string]map[string]string](t, a.get("/api/auth/providers"))
	if p := providers["credentials"]; p["type"] != "credentials" || p["callbackUrl"] != a.base+"/callback/credentials" || p["name"] != "Password" {
		t.Errorf("GET /providers credentials = %v", p)
	}
}

func TestCredentialsConfig(t *testing.T) {
	authorize := func(context.Context, server.CredentialsInput) (*server.Identity, error) { return nil, nil }
	for name, tc := range map[string]struct {
		c    *server.Credentials
		want string
	}{
		"no identifier": {&server.Credentials{ID: "credentials", Fields: []server.CredentialField{{Name: "username"}}, Authorize: authorize}, `Identifier "" is none of the fields`},
		"no authorize":  {&server.Credentials{ID: "credentials", Fields: []server.CredentialField{{Name: "u"}}, Identifier: "u"}, "Authorize is required"},
		"bad type":      {&server.Credentials{ID: "credentials", Fields: []server.CredentialField{{Name: "u", Type: "number"}}, Identifier: "u", Authorize: authorize}, `Type "number"`},
		"reserved":      {&server.Credentials{ID: "credentials", Fields: []server.CredentialField{{Name: "csrfToken"}}, Identifier: "csrfToken", Authorize: authorize}, "is the form's own"},
		"github's ID":   {&server.Credentials{ID: "github", Fields: []server.CredentialField{{Name: "u"}}, Identifier: "u", Authorize: authorize}, "the ID is another provider's"},
		"no fields":     {&server.Credentials{ID: "ldap", Authorize: authorize}, "Fields is empty"},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := newApp(t).cfg
			cfg.Credentials = []*server.Credentials{tc.c}
			_, err := server.New(cfg)
			if !errors.Is(err, server.ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New: %v, want ErrConfig with %q", err, tc.want)
			}
		})
	}
}

// TestProviderIDCollisions: no choice of provider IDs or base path makes
// server.New panic on a route registered twice or an invalid pattern;
// each is ErrConfig naming the problem. "email" and "passkey" are e-mail
// sign-in's and passkeys' for every kind of provider, whether those are
// on or off: their accounts are theirs on the account page.
func TestProviderIDCollisions(t *testing.T) {
	authorize := func(context.Context, server.CredentialsInput) (*server.Identity, error) { return nil, nil }
	form := func(id string) *server.Credentials {
		return &server.Credentials{ID: id, Identifier: "u", Fields: []server.CredentialField{{Name: "u"}}, Authorize: authorize}
	}
	for _, tc := range []struct {
		name        string
		oauthID     string // an OAuth provider's, besides github and gitlab
		credentials []string
		passkeys    bool
		email       bool
		basePath    string
		want        string
	}{
		{name: "credentials passkey, passkeys on", credentials: []string{"passkey"}, passkeys: true, want: `Credentials "passkey": the ID is reserved`},
		{name: "credentials passkey, passkeys off", credentials: []string{"passkey"}, want: `Credentials "passkey": the ID is reserved`},
		{name: "credentials email, e-mail on", credentials: []string{"email"}, email: true, want: `Credentials "email": the ID is reserved`},
		{name: "OAuth passkey, passkeys on", oauthID: "passkey", passkeys: true, want: `provider ID "passkey" is reserved`},
		{name: "OAuth passkey, passkeys off", oauthID: "passkey", want: `provider ID "passkey" is reserved`},
		{name: "OAuth email, e-mail off", oauthID: "email", want: `provider ID "email" is reserved`},
		{name: "OAuth and credentials alike", oauthID: "ldap", credentials: []string{"ldap"}, want: `Credentials "ldap": the ID is another provider's`},
		{name: "credentials twice", credentials: []string{"ldap", "ldap"}, want: `Credentials "ldap": the ID is another provider's`},
		{name: "credentials github", credentials: []string{"github"}, want: `Credentials "github": the ID is another provider's`},
		{name: "credentials as the wildcard", credentials: []string{"{provider}"}, want: `ID "{provider}" is not URL-safe`},
		{name: "credentials with a brace", credentials: []string{"a{b"}, want: `ID "a{b" is not URL-safe`},
		{name: "credentials dot-dot", credentials: []string{".."}, want: `ID ".." is not URL-safe`},
		{name: "base path with a wildcard", basePath: "/api/{x}", want: `BasePath "/api/{x}"`},
		{name: "base path with a space", basePath: "/a b", want: `BasePath "/a b"`},
		{name: "base path with a dot segment", basePath: "/api/../auth", want: `BasePath "/api/../auth"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(t)
			cfg := a.cfg
			st := memstore.New()
			cfg.Users, cfg.Sessions, cfg.Strategy = st, st, server.StrategyDatabase
			if tc.oauthID != "" {
				p := *a.github
				p.ID = tc.oauthID
				cfg.Providers = append(cfg.Providers, &p)
			}
			for _, id := range tc.credentials {
				cfg.Credentials = append(cfg.Credentials, form(id))
			}
			if tc.passkeys {
				cfg.Passkeys = noCeremony{}
			}
			if tc.email {
				cfg.Email = &server.Email{Sender: &outbox{}, From: "a@b.c", Tokens: st}
			}
			cfg.BasePath = tc.basePath
			defer func() {
				if v := recover(); v != nil {
					t.Fatalf("New panicked: %v", v)
				}
			}()
			_, err := server.New(cfg)
			if !errors.Is(err, server.ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New: %v, want ErrConfig saying %q", err, tc.want)
			}
		})
	}
	// The same providers with their own IDs start.
	cfg := newApp(t).cfg
	st := memstore.New()
	cfg.Users, cfg.Sessions, cfg.Strategy, cfg.Passkeys = st, st, server.StrategyDatabase, noCeremony{}
	cfg.Email = &server.Email{Sender: &outbox{}, From: "a@b.c", Tokens: st}
	cfg.Credentials = []*server.Credentials{form("credentials"), form("ldap_2")}
	cfg.BasePath = "/auth/v1.0"
	if _, err := server.New(cfg); err != nil {
		t.Errorf("New with distinct IDs: %v", err)
	}
}

// TestCredentialsLongField: an over-long field is refused as wrong
// credentials before Authorize runs.
func TestCredentialsLongField(t *testing.T) {
	a := newCredApp(t, false, server.StrategyJWT)
	if got := location(t, a.post("alice", strings.Repeat("x", 1025))); got != a.base+"/signin?error=CredentialsSignin&provider=credentials" {
		t.Errorf("over-long password: redirected to %q", got)
	}
	if a.users.calls != 0 {
		t.Error("Authorize ran for an over-long field")
	}
}
