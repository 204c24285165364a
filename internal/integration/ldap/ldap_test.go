// Package ldap_test runs runtime/ldap against a real OpenLDAP slapd
// (testsvc.LDAPWith) with certificates the test makes: sign-in over
// StartTLS and ldaps, the same error for an unknown user and a wrong
// password, an injection attempt in the username, an empty password, the
// directory down, TLS refused or untrusted, groups, an Active Directory
// style entry, and many sign-ins at once on the pool.
package ldap_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/runtime/ldap"
)

// config is a Config for srv over StartTLS, trusting srv's authority.
func config(srv *testsvc.LDAPServer) ldap.Config {
	return ldap.Config{
		URL:          srv.URL(),
		BindDN:       srv.ServiceDN,
		BindPassword: srv.ServicePassword,
		BaseDN:       srv.BaseDN,
		CAFile:       srv.CAFile,
		Timeout:      5 * time.Second,
	}
}

func newAuth(t *testing.T, cfg ldap.Config) *ldap.Authenticator {
	t.Helper()
	a, err := ldap.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// TestAuthenticate: alice signs in over StartTLS with the service account
// and over ldaps anonymously; her id is her entryUUID, her groups come
// from the groupOfNames entries that list her.
func TestAuthenticate(t *testing.T) {
	srv := testsvc.LDAPWith(t, testsvc.LDAPOptions{TLS: true})
	anon := config(srv)
	anon.URL, anon.BindDN, anon.BindPassword = srv.TLSURL(), "", ""
	for name, cfg := range map[string]ldap.Config{"StartTLS, service bind": config(srv), "ldaps, anonymous": anon} {
		t.Run(name, func(t *testing.T) {
			u, err := newAuth(t, cfg).Authenticate(t.Context(), "alice", "alicepw")
			if err != nil {
				t.Fatal(err)
			}
			if u.DN != srv.UserDN || u.Email != "alice@example.org" || u.Name != "Alice Example" {
				t.Errorf("user = %+v", u)
			}
			if len(u.ID) != 36 || strings.Count(u.ID, "-") != 4 {
				t.Errorf("ID = %q, want alice's entryUUID", u.ID)
			}
			want := []string{"cn=admins,ou=groups,dc=example,dc=org", "cn=staff,ou=groups,dc=example,dc=org"}
			if strings.Join(u.Groups, "|") != strings.Join(want, "|") {
				t.Errorf("Groups = %q, want %q", u.Groups, want)
			}
			if got := u.Attributes["mail"]; len(got) != 1 || got[0] != "alice@example.org" {
				t.Errorf("Attributes[mail] = %q", got)
			}
		})
	}
}

// TestSameErrorForUnknownUserAndWrongPassword: an unknown user, a wrong
// password, an empty password and an injection attempt give the one
// error, with the same text; the injection finds nobody even though its
// filter would match everyone.
func TestSameErrorForUnknownUserAndWrongPassword(t *testing.T) {
	srv := testsvc.LDAPWith(t, testsvc.LDAPOptions{TLS: true})
	var log bytes.Buffer
	cfg := config(srv)
	cfg.Logger = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a := newAuth(t, cfg)
	cases := []struct{ user, password string }{
		{"alice", "wrong-password"},
		{"nobody", "alicepw"},
		{"alice", ""},
		{"*)(uid=*", "alicepw"},
		{"*", "alicepw"},
		{"alice)(|(uid=*", "alicepw"},
		{"", "alicepw"},
	}
	var texts []string
	for _, c := range cases {
		u, err := a.Authenticate(t.Context(), c.user, c.password)
		if !errors.Is(err, ldap.ErrInvalidCredentials) || u != nil {
			t.Errorf("Authenticate(%q, %q) = %v, %v; want ErrInvalidCredentials", c.user, c.password, u, err)
			continue
		}
		texts = append(texts, err.Error())
	}
	for _, s := range texts {
		if s != texts[0] {
			t.Errorf("error texts differ: %q", texts)
			break
		}
	}
	for _, secret := range []string{"wrong-password", "alicepw", srv.ServicePassword} {
		if strings.Contains(log.String(), secret) {
			t.Errorf("the log shows a password:\n%s", log.String())
		}
	}
}

// TestEmptyPasswordSendsNoBind: an empty password is refused before any
// connection, so the server never sees an unauthenticated bind — shown by
// a directory that is down answering ErrInvalidCredentials, not
// ErrUnavailable.
func TestEmptyPasswordSendsNoBind(t *testing.T) {
	a := newAuth(t, ldap.Config{URL: "ldap://127.0.0.1:1?starttls=false", BaseDN: "dc=example,dc=org", Timeout: time.Second})
	if _, err := a.Authenticate(t.Context(), "alice", ""); !errors.Is(err, ldap.ErrInvalidCredentials) {
		t.Errorf("empty password = %v, want ErrInvalidCredentials without a request", err)
	}
}

// TestDirectoryDown: a stopped server gives ErrUnavailable, never invalid
// credentials, with no password in the error; it works again once the
// server is back (the pool replaces its dead connections).
func TestDirectoryDown(t *testing.T) {
	srv := testsvc.LDAPWith(t, testsvc.LDAPOptions{TLS: true})
	a := newAuth(t, config(srv))
	if _, err := a.Authenticate(t.Context(), "alice", "alicepw"); err != nil {
		t.Fatal(err)
	}
	srv.Stop(t)
	for _, pw := range []string{"alicepw", "wrong-password"} {
		_, err := a.Authenticate(t.Context(), "alice", pw)
		if !errors.Is(err, ldap.ErrUnavailable) || errors.Is(err, ldap.ErrInvalidCredentials) {
			t.Errorf("server down: Authenticate = %v, want ErrUnavailable", err)
		}
		if err != nil && (strings.Contains(err.Error(), pw) || strings.Contains(err.Error(), srv.ServicePassword)) {
			t.Errorf("the error shows a password: %v", err)
		}
	}
	srv.Start(t)
	if _, err := a.Authenticate(t.Context(), "alice", "alicepw"); err != nil {
		t.Errorf("after restart: %v", err)
	}
}

// TestTimeout: a server that accepts connections and never answers gives
// ErrUnavailable within the context's deadline.
func TestTimeout(t *testing.T) {
	srv := testsvc.LDAPWith(t, testsvc.LDAPOptions{TLS: true})
	a := newAuth(t, config(srv))
	if err := syscall.Kill(srv.Pid(), syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(srv.Pid(), syscall.SIGCONT)
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := a.Authenticate(ctx, "alice", "alicepw")
	if !errors.Is(err, ldap.ErrUnavailable) {
		t.Errorf("frozen server: %v, want ErrUnavailable", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v past a 500ms deadline", d)
	}
}

// TestServiceBindRefused: a wrong service password is the directory's
// problem, not the user's.
func TestServiceBindRefused(t *testing.T) {
	srv := testsvc.LDAPWith(t, testsvc.LDAPOptions{TLS: true})
	cfg := config(srv)
	cfg.BindPassword = "not-the-service-password"
	_, err := newAuth(t, cfg).Authenticate(t.Context(), "alice", "alicepw")
	if !errors.Is(err, ldap.ErrUnavailable) || !strings.Contains(err.Error(), "service account") {
		t.Errorf("Authenticate = %v, want ErrUnavailable naming the service account", err)
	}
	if strings.Contains(err.Error(), "not-the-service-password") || strings.Contains(err.Error(), "alicepw") {
		t.Errorf("the error shows a password: %v", err)
	}
}

// TestTLSRequired: ldap:// to a server without TLS fails at StartTLS
// (nothing is sent in clear text), and a certificate from an authority
// not trusted fails, over StartTLS and ldaps alike.
func TestTLSRequired(t *testing.T) {
	plain := testsvc.LDAP(t)
	cfg := config(plain)
	_, err := newAuth(t, cfg).Authenticate(t.Context(), "alice", "alicepw")
	if !errors.Is(err, ldap.ErrUnavailable) || !strings.Contains(err.Error(), "StartTLS") {
		t.Errorf("server without StartTLS: %v, want ErrUnavailable saying StartTLS", err)
	}
	// starttls=false is the loopback escape hatch, and works.
	cfg.URL += "?starttls=false"
	if _, err := newAuth(t, cfg).Authenticate(t.Context(), "alice", "alicepw"); err != nil {
		t.Errorf("starttls=false on loopback: %v", err)
	}

	srv := testsvc.LDAPWith(t, testsvc.LDAPOptions{TLS: true})
	other := testsvc.LDAPWith(t, testsvc.LDAPOptions{TLS: true}) // another authority
	for _, url := range []string{srv.URL(), srv.TLSURL()} {
		cfg := config(srv)
		cfg.URL, cfg.CAFile = url, other.CAFile
		_, err := newAuth(t, cfg).Authenticate(t.Context(), "alice", "alicepw")
		if !errors.Is(err, ldap.ErrUnavailable) || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("%s with an untrusted certificate: %v, want ErrUnavailable about the certificate", url, err)
		}
		cfg.CAFile = "" // the system pool does not know the test's authority
		if _, err := newAuth(t, cfg).Authenticate(t.Context(), "alice", "alicepw"); !errors.Is(err, ldap.ErrUnavailable) {
			t.Errorf("%s with the system pool: %v, want ErrUnavailable", url, err)
		}
	}
}

// TestActiveDirectory: the Active Directory defaults find ddoe by
// sAMAccountName, take his id from objectGUID in Windows' form and his
// groups from memberOf.
func TestActiveDirectory(t *testing.T) {
	srv := testsvc.LDAPWith(t, testsvc.LDAPOptions{TLS: true})
	env := map[string]string{
		ldap.EnvURL:          srv.TLSURL(),
		ldap.EnvBaseDN:       srv.BaseDN,
		ldap.EnvBindDN:       srv.ServiceDN,
		ldap.EnvBindPassword: srv.ServicePassword,
		ldap.EnvCAFile:       srv.CAFile,
		ldap.EnvDirectory:    "activedirectory",
	}
	cfg, err := ldap.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a := newAuth(t, cfg)
	u, err := a.Authenticate(t.Context(), "ddoe", "davepw")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != "00112233-4455-6677-8899-aabbccddeeff" || u.Name != "Dave Doe" || u.Email != "dave@corp.example.org" || u.DN != "cn=Dave Doe,ou=corp,dc=example,dc=org" {
		t.Errorf("user = %+v", u)
	}
	if want := "cn=Domain Users,ou=corp,dc=example,dc=org|cn=VPN,ou=corp,dc=example,dc=org"; strings.Join(u.Groups, "|") != want {
		t.Errorf("Groups = %q", u.Groups)
	}
	if _, err := a.Authenticate(t.Context(), "ddoe", "wrong"); !errors.Is(err, ldap.ErrInvalidCredentials) {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := a.Authenticate(t.Context(), "alice", "alicepw"); !errors.Is(err, ldap.ErrInvalidCredentials) {
		t.Errorf("alice has no sAMAccountName: %v", err)
	}
}

// TestConcurrent: many sign-ins at once share the pool's connections
// (more goroutines than connections) and each gets its own answer.
func TestConcurrent(t *testing.T) {
	srv := testsvc.LDAPWith(t, testsvc.LDAPOptions{TLS: true})
	cfg := config(srv)
	cfg.PoolSize = 2
	a := newAuth(t, cfg)
	users := []struct{ name, pw, email string }{{"alice", "alicepw", "alice@example.org"}, {"bob", "bobpw", "bob@example.org"}}
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Go(func() {
			u := users[i%2]
			for range 5 {
				got, err := a.Authenticate(t.Context(), u.name, u.pw)
				if err != nil || got.Email != u.email {
					t.Errorf("%s: %+v, %v", u.name, got, err)
					return
				}
				if _, err := a.Authenticate(t.Context(), u.name, "wrong"); !errors.Is(err, ldap.ErrInvalidCredentials) {
					t.Errorf("%s wrong password: %v", u.name, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestSeveralEntries: a filter that matches several entries signs nobody
// in, even with a right password, and says so in the log.
func TestSeveralEntries(t *testing.T) {
	srv := testsvc.LDAPWith(t, testsvc.LDAPOptions{TLS: true})
	var log bytes.Buffer
	cfg := config(srv)
	cfg.Filter = "(|(uid={username})(sn=Example))" // alice and bob
	cfg.Logger = slog.New(slog.NewTextHandler(&log, nil))
	if _, err := newAuth(t, cfg).Authenticate(t.Context(), "alice", "alicepw"); !errors.Is(err, ldap.ErrInvalidCredentials) {
		t.Errorf("Authenticate = %v, want ErrInvalidCredentials", err)
	}
	if !strings.Contains(log.String(), "several entries") || strings.Contains(log.String(), "alicepw") {
		t.Errorf("log:\n%s", log.String())
	}
}
