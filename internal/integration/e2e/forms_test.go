package e2e

import (
	"context"
	"database/sql"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
	_ "modernc.org/sqlite"

	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/runtime/password"
)

// TestLDAPSignIn: an app made with `authgen init --providers github,ldap`
// signs a user in against a real slapd over ldaps (a CA the test makes),
// through the sign-in page's form with the labels of authgen.yaml, and
// refuses a wrong password and an unknown user alike with
// CredentialsSignin.
func TestLDAPSignIn(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "app")
	run(t, filepath.Dir(dir), nil, authgen(t), "init", "app", "--module", "example.com/app",
		"--providers", "github,ldap", "--db", "sqlite", "--session", "database", "--token", "signed", "--yes")
	relabel(t, dir, "ldap", "username: Staff ID")
	run(t, dir, nil, authgen(t), "generate")
	adminsOnly(t, dir)
	bin := build(t, dir)
	srv := testsvc.LDAPWith(t, testsvc.LDAPOptions{TLS: true})

	// Without the directory's variables the app refuses to start, naming
	// them with the others.
	out := mustFail(t, bin, dir, append(bareEnviron(), "PORT="+freePort(t)))
	for _, v := range []string{"AUTH_LDAP_URL is required", "AUTH_LDAP_BASE_DN is required", "AUTH_GITHUB_ID"} {
		if !strings.Contains(out, v) {
			t.Errorf("the refusal does not name %s:\n%s", v, out)
		}
	}

	port := freePort(t)
	a := launch(t, "http://localhost:"+port, bin, dir, append(bareEnviron(),
		"PORT="+port, "AUTH_URL=http://localhost:"+port,
		"AUTH_GITHUB_ID=id", "AUTH_GITHUB_SECRET=secret",
		"AUTH_LDAP_URL=ldaps://127.0.0.1:"+strconv.Itoa(srv.TLSPort),
		"AUTH_LDAP_CA_FILE="+srv.CAFile,
		"AUTH_LDAP_BASE_DN="+srv.BaseDN,
		"AUTH_LDAP_BIND_DN="+srv.ServiceDN, "AUTH_LDAP_BIND_PASSWORD="+srv.ServicePassword,
	))
	t.Run("right password", func(t *testing.T) {
		b := newBrowser(t)
		resp, body := signInWithForm(t, b, a.URL, "ldap", "Staff ID", srv.Username, srv.Password)
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/me" {
			t.Fatalf("signing in led to %s %s:\n%s", resp.Status, resp.Request.URL, body)
		}
		wantMe(t, b, a.URL, srv.Email)
	})
	t.Run("groups reach the callbacks", func(t *testing.T) {
		// bob is in cn=staff only: the SignIn callback refuses him.
		b := newBrowser(t)
		resp, body := signInWithForm(t, b, a.URL, "ldap", "Staff ID", "bob", "bobpw")
		if resp.Request.URL.Query().Get("error") != "AccessDenied" {
			t.Fatalf("bob led to %s %s, want AccessDenied:\n%s", resp.Status, resp.Request.URL, body)
		}
	})
	for name, user := range map[string][2]string{"wrong password": {srv.Username, "wrong"}, "unknown user": {"nobody", srv.Password}, "injection": {"*)(uid=*", srv.Password}} {
		t.Run(name, func(t *testing.T) {
			b := newBrowser(t)
			resp, body := signInWithForm(t, b, a.URL, "ldap", "Staff ID", user[0], user[1])
			if resp.Request.URL.Path != "/api/auth/signin" || resp.Request.URL.Query().Get("error") != "CredentialsSignin" {
				t.Fatalf("led to %s %s, want the sign-in page with CredentialsSignin:\n%s", resp.Status, resp.Request.URL, body)
			}
		})
	}
}

// TestCredentialsSignIn: an app made with `authgen init --providers
// credentials`, whose auth/credentials.go the test replaces with one
// checking a small SQLite users table, signs a user in with JWT sessions,
// re-hashes a bcrypt hash to argon2id on the way, and refuses a wrong
// password with CredentialsSignin.
func TestCredentialsSignIn(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "app")
	run(t, filepath.Dir(dir), nil, authgen(t), "init", "app", "--module", "example.com/app",
		"--providers", "credentials", "--db", "sqlite", "--session", "jwt", "--token", "signed", "--yes")
	if err := os.WriteFile(filepath.Join(dir, "auth", "credentials.go"), []byte(usersTableAuthorize), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := build(t, dir)

	users := filepath.Join(t.TempDir(), "users.db")
	db, err := sql.Open("sqlite", users)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	argon, err := password.Hash("adapw")
	if err != nil {
		t.Fatal(err)
	}
	legacy, err := bcrypt.GenerateFromPassword([]byte("gracepw"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, q := range []string{
		"CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT UNIQUE, email TEXT, password_hash TEXT)",
		"INSERT INTO users VALUES ('u1', 'ada', 'ada@example.com', '" + argon + "')",
		"INSERT INTO users VALUES ('u2', 'grace', 'grace@example.com', '" + string(legacy) + "')",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}

	port := freePort(t)
	a := launch(t, "http://localhost:"+port, bin, dir, append(bareEnviron(), "PORT="+port, "AUTH_URL=http://localhost:"+port, "APP_USERS_DB="+users))
	t.Run("argon2id", func(t *testing.T) {
		b := newBrowser(t)
		resp, body := signInWithForm(t, b, a.URL, "credentials", "Username", "ada", "adapw")
		if resp.Request.URL.Path != "/me" {
			t.Fatalf("signing in led to %s %s:\n%s", resp.Status, resp.Request.URL, body)
		}
		wantMe(t, b, a.URL, "ada@example.com")
	})
	t.Run("bcrypt, re-hashed", func(t *testing.T) {
		b := newBrowser(t)
		resp, body := signInWithForm(t, b, a.URL, "credentials", "Username", "grace", "gracepw")
		if resp.Request.URL.Path != "/me" {
			t.Fatalf("signing in led to %s %s:\n%s", resp.Status, resp.Request.URL, body)
		}
		var hash string
		if err := db.QueryRowContext(ctx, "SELECT password_hash FROM users WHERE id = 'u2'").Scan(&hash); err != nil || !strings.HasPrefix(hash, "$argon2id$") {
			t.Errorf("grace's hash after sign-in: %q (%v), want argon2id", hash, err)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		b := newBrowser(t)
		resp, body := signInWithForm(t, b, a.URL, "credentials", "Username", "ada", "wrong")
		if resp.Request.URL.Path != "/api/auth/signin" || resp.Request.URL.Query().Get("error") != "CredentialsSignin" {
			t.Fatalf("led to %s %s, want the sign-in page with CredentialsSignin:\n%s", resp.Status, resp.Request.URL, body)
		}
	})
}

var formRE = regexp.MustCompile(`(?s)<form action="([^"]+)" method="POST" id="credentials-([a-z0-9-]+)">(.*?)</form>`)

// signInWithForm opens the sign-in page, finds the provider's form (its
// username label must be label), fills its inputs and posts it as a
// browser does, following redirects.
func signInWithForm(t *testing.T, b *browser, base, provider, label, username, secret string) (*http.Response, string) {
	t.Helper()
	_, page := b.do(http.MethodGet, base+"/api/auth/signin?callbackUrl="+url.QueryEscape(base+"/me"), nil)
	for _, m := range formRE.FindAllStringSubmatch(page, -1) {
		if m[2] != provider {
			continue
		}
		if !strings.Contains(m[3], ">"+html.EscapeString(label)+"</label>") {
			t.Errorf("the %s form's labels are not %q:\n%s", provider, label, m[3])
		}
		form := hiddenFields(m[3])
		form.Set("username", username)
		form.Set("password", secret)
		return b.do(http.MethodPost, html.UnescapeString(m[1]), strings.NewReader(form.Encode()))
	}
	t.Fatalf("the sign-in page has no %s form:\n%s", provider, page)
	return nil, ""
}

// adminsOnly makes dir's SignIn callback refuse an LDAP user who is not in
// cn=admins, reading the groups from the identity's Claims.
func adminsOnly(t *testing.T, dir string) {
	t.Helper()
	path := filepath.Join(dir, "auth", "callbacks.go")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const hook = "SignIn: func(ctx context.Context, in *server.SignInInput) error {\n\t\t\treturn nil\n"
	src := string(data)
	if !strings.Contains(src, hook) {
		t.Fatalf("callbacks.go has no SignIn hook to change:\n%s", src)
	}
	src = strings.Replace(src, hook, `SignIn: func(ctx context.Context, in *server.SignInInput) error {
			if id, ok := in.Profile.(*server.Identity); ok && in.Provider == "ldap" {
				groups, _ := id.Claims["groups"].([]string)
				if !slices.Contains(groups, "cn=admins,ou=groups,dc=example,dc=org") {
					return errors.New("not an administrator")
				}
			}
			return nil
`, 1)
	src = strings.Replace(src, "import (\n", "import (\n\t\"errors\"\n\t\"slices\"\n", 1)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// relabel adds labels (a YAML flow mapping's content) to the provider id
// of dir's authgen.yaml.
func relabel(t *testing.T, dir, id, labels string) {
	t.Helper()
	path := filepath.Join(dir, "authgen.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	entry := "  - id: " + id + "\n"
	if !strings.Contains(string(data), entry) {
		t.Fatalf("authgen.yaml has no %s entry:\n%s", id, data)
	}
	data = []byte(strings.Replace(string(data), entry, entry+"    labels: {"+labels+"}\n", 1))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// usersTableAuthorize replaces auth/credentials.go in TestCredentialsSignIn:
// the scaffold's steps against a SQLite table named by APP_USERS_DB.
const usersTableAuthorize = `package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"

	"github.com/authgen/authgen/runtime/password"
	"github.com/authgen/authgen/runtime/server"
)

// Authorize checks the users table of APP_USERS_DB.
func Authorize(ctx context.Context, c Credentials) (*Identity, error) {
	db, err := sql.Open("sqlite", os.Getenv("APP_USERS_DB"))
	if err != nil {
		return nil, fmt.Errorf("users table: %w", err)
	}
	defer db.Close()
	var id, email, hash string
	err = db.QueryRowContext(ctx, "SELECT id, email, password_hash FROM users WHERE username = ?", c.Username).Scan(&id, &email, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		password.VerifyDummy(c.Password)
		return nil, server.ErrCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("users table: %w", err)
	}
	ok, rehash, err := password.Verify(hash, c.Password)
	if err != nil {
		return nil, fmt.Errorf("user %s: %w", id, err)
	}
	if !ok {
		return nil, server.ErrCredentials
	}
	if rehash {
		h, err := password.Hash(c.Password)
		if err != nil {
			return nil, err
		}
		if _, err := db.ExecContext(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", h, id); err != nil {
			return nil, fmt.Errorf("users table: %w", err)
		}
	}
	return &Identity{ID: id, Email: email, EmailVerified: true, Name: c.Username}, nil
}
`
