package testsvc

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/smtp"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// timed logs how long a step took.
func timed(t *testing.T, what string) func() {
	start := time.Now()
	return func() { t.Logf("%s: %v", what, time.Since(start).Round(time.Millisecond)) }
}

func TestPostgreSQL(t *testing.T) {
	t.Parallel()
	done := timed(t, "start postgres")
	pg := PostgreSQL(t)
	done()
	t.Logf("URL %s", pg.URL())
	if !strings.HasPrefix(pg.URL(), "postgres://postgres@127.0.0.1:") || !strings.HasSuffix(pg.URL(), "/authgen?sslmode=disable") {
		t.Errorf("URL = %q", pg.URL())
	}
	ctx := t.Context()

	// Round trip with the psql CLI.
	out, err := pg.Exec(ctx, pg.DBName, "select 1")
	if err != nil || strings.TrimSpace(out) != "1" {
		t.Fatalf("select 1: %q, %v", out, err)
	}

	u := pg.CreateDB(t, "second")
	if !strings.Contains(u, "/second?") {
		t.Errorf("CreateDB URL = %q", u)
	}
	if _, err := pg.Exec(ctx, "second", "create table t (v text); insert into t values ('kept')"); err != nil {
		t.Fatal(err)
	}
	if u2 := pg.CreateDB(t, ""); u2 == u {
		t.Errorf("CreateDB with no name reused %q", u)
	}

	port := pg.Port
	done = timed(t, "stop postgres")
	pg.Stop(t)
	done()
	if pg.Running() {
		t.Fatal("still running after Stop")
	}
	if err := pg.Ping(ctx); err == nil {
		t.Fatal("Ping succeeded while stopped")
	}
	if _, err := pg.Exec(ctx, pg.DBName, "select 1"); err == nil {
		t.Fatal("query succeeded while stopped")
	}
	pg.Stop(t) // no-op

	done = timed(t, "restart postgres")
	pg.Start(t)
	done()
	if pg.Port != port {
		t.Fatalf("port changed from %d to %d", port, pg.Port)
	}
	out, err = pg.Exec(ctx, "second", "select v from t")
	if err != nil || strings.TrimSpace(out) != "kept" {
		t.Fatalf("after restart: %q, %v", out, err)
	}
}

func TestMariaDB(t *testing.T) {
	t.Parallel()
	done := timed(t, "start mariadb")
	m := MariaDB(t)
	done()
	t.Logf("URL %s DSN %s", m.URL(), m.DSN())
	if want := fmt.Sprintf("root@tcp(127.0.0.1:%d)/authgen?parseTime=true", m.Port); m.DSN() != want {
		t.Errorf("DSN = %q, want %q", m.DSN(), want)
	}
	if want := fmt.Sprintf("mysql://root@127.0.0.1:%d/authgen", m.Port); m.URL() != want {
		t.Errorf("URL = %q, want %q", m.URL(), want)
	}
	ctx := t.Context()

	// Round trip with the mariadb CLI, as a separate process.
	cli := LookPath(t, "mariadb", "mariadb-client")
	out, err := exec.CommandContext(ctx, cli, "--no-defaults", "--protocol=TCP", "-h127.0.0.1",
		fmt.Sprintf("-P%d", m.Port), "-uroot", "-N", "-e", "select 1", "authgen").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "1" {
		t.Fatalf("mariadb -e 'select 1': %q, %v", out, err)
	}

	u := m.CreateDB(t, "second")
	if !strings.HasSuffix(u, "/second") {
		t.Errorf("CreateDB URL = %q", u)
	}
	if _, err := m.Exec(ctx, "second", "create table t (v varchar(10)); insert into t values ('kept')"); err != nil {
		t.Fatal(err)
	}

	port := m.Port
	done = timed(t, "stop mariadb")
	m.Stop(t)
	done()
	if err := m.Ping(ctx); err == nil {
		t.Fatal("Ping succeeded while stopped")
	}
	done = timed(t, "restart mariadb")
	m.Start(t)
	done()
	if m.Port != port {
		t.Fatalf("port changed from %d to %d", port, m.Port)
	}
	out2, err := m.Exec(ctx, "second", "select v from t")
	if err != nil || strings.TrimSpace(out2) != "kept" {
		t.Fatalf("after restart: %q, %v", out2, err)
	}
}

func TestRedis(t *testing.T) {
	t.Parallel()
	done := timed(t, "start redis")
	r := Redis(t)
	done()
	if want := fmt.Sprintf("redis://127.0.0.1:%d/0", r.Port); r.URL() != want {
		t.Errorf("URL = %q, want %q", r.URL(), want)
	}
	ctx := t.Context()
	cli := LookPath(t, "redis-cli", "redis-tools")
	redisCLI := func(args ...string) (string, error) {
		out, err := exec.CommandContext(ctx, cli, append([]string{"-h", "127.0.0.1", "-p", fmt.Sprint(r.Port)}, args...)...).CombinedOutput()
		return strings.TrimSpace(string(out)), err
	}
	if out, err := redisCLI("ping"); err != nil || out != "PONG" {
		t.Fatalf("redis-cli ping: %q, %v", out, err)
	}
	if out, err := redisCLI("set", "k", "kept"); err != nil || out != "OK" {
		t.Fatalf("redis-cli set: %q, %v", out, err)
	}

	port := r.Port
	r.Stop(t)
	if err := r.Ping(ctx); err == nil {
		t.Fatal("Ping succeeded while stopped")
	}
	done = timed(t, "restart redis")
	r.Start(t)
	done()
	if r.Port != port {
		t.Fatalf("port changed from %d to %d", port, r.Port)
	}
	if out, err := redisCLI("ping"); err != nil || out != "PONG" {
		t.Fatalf("redis-cli ping after restart: %q, %v", out, err)
	}
	// Stop saves a snapshot, so data survives a clean restart.
	if v, err := r.Do(ctx, "GET", "k"); err != nil || v != "kept" {
		t.Fatalf("GET k after restart: %q, %v", v, err)
	}
}

func TestMongo(t *testing.T) {
	t.Parallel()
	done := timed(t, "start ferretdb")
	m := Mongo(t)
	done()
	if want := fmt.Sprintf("mongodb://127.0.0.1:%d/", m.Port); m.URL() != want {
		t.Errorf("URL = %q, want %q", m.URL(), want)
	}
	ctx := t.Context()
	_, err := mongoCommand(ctx, m.Addr(), "authgen", bsonDoc{
		{"insert", "users"},
		{"documents", []any{
			bsonDoc{{"_id", "u1"}, {"email", "a@example.org"}},
			bsonDoc{{"_id", "u2"}, {"email", "b@example.org"}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	reply, err := mongoCommand(ctx, m.Addr(), "authgen", bsonDoc{
		{"find", "users"},
		{"filter", bsonDoc{{"email", "b@example.org"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	cursor, _ := reply.Get("cursor").(bsonDoc)
	batch, _ := cursor.Get("firstBatch").([]any)
	if len(batch) != 1 {
		t.Fatalf("find: got %v", reply)
	}
	if doc, _ := batch[0].(bsonDoc); doc.Get("_id") != "u2" {
		t.Fatalf("find: got %v", batch[0])
	}
	// A duplicate _id is rejected (as a per-document write error).
	reply, err = mongoCommand(ctx, m.Addr(), "authgen", bsonDoc{
		{"insert", "users"}, {"documents", []any{bsonDoc{{"_id", "u1"}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	werrs, _ := reply.Get("writeErrors").([]any)
	if len(werrs) != 1 {
		t.Fatalf("duplicate insert: got %v", reply)
	}
	if werr, _ := werrs[0].(bsonDoc); fmt.Sprint(werr.Get("code")) != "11000" {
		t.Fatalf("duplicate insert: got %v", werrs[0])
	}

	m.Stop(t)
	m.Start(t)
	reply, err = mongoCommand(ctx, m.Addr(), "authgen", bsonDoc{{"count", "users"}})
	if err != nil || fmt.Sprint(reply.Get("n")) != "2" {
		t.Fatalf("count after restart: %v, %v", reply, err)
	}
}

func TestLDAP(t *testing.T) {
	t.Parallel()
	done := timed(t, "start slapd")
	l := LDAP(t)
	done()
	ctx := t.Context()
	whoami := LookPath(t, "ldapwhoami", "ldap-utils")
	out, err := exec.CommandContext(ctx, whoami, "-x", "-H", l.URL(), "-D", l.UserDN, "-w", l.Password).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "dn:"+l.UserDN {
		t.Fatalf("ldapwhoami: %q, %v", out, err)
	}
	if out, err := exec.CommandContext(ctx, whoami, "-x", "-H", l.URL(), "-D", l.UserDN, "-w", "wrong").CombinedOutput(); err == nil {
		t.Fatalf("ldapwhoami with a wrong password succeeded: %q", out)
	}
	if err := ldapBind(ctx, l.Addr(), l.UserDN, "wrong"); err == nil {
		t.Fatal("bind with a wrong password succeeded")
	}
	search := LookPath(t, "ldapsearch", "ldap-utils")
	out, err = exec.CommandContext(ctx, search, "-x", "-LLL", "-H", l.URL(), "-b", l.BaseDN, "(uid=alice)", "mail").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "mail: "+l.Email) {
		t.Fatalf("ldapsearch: %q, %v", out, err)
	}

	l.Stop(t)
	l.Start(t)
	if err := l.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestMailpit(t *testing.T) {
	t.Parallel()
	done := timed(t, "start mailpit")
	m := Mailpit(t)
	done()
	ctx := t.Context()
	msg := "From: authgen <noreply@example.com>\r\nTo: alice@example.org\r\nSubject: Sign in\r\n\r\n" +
		"Sign in: http://127.0.0.1:8080/api/auth/callback/email?token=abc\r\n"
	if err := smtp.SendMail(m.SMTPAddr(), nil, "noreply@example.com", []string{"alice@example.org"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	mail, err := m.WaitForMail(ctx, "alice@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if mail.Subject != "Sign in" || !strings.Contains(mail.Text, "token=abc") || len(mail.To) != 1 || mail.To[0].Address != "alice@example.org" {
		t.Fatalf("got %+v", mail)
	}
	if err := m.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	if ids, err := m.Messages(ctx); err != nil || len(ids) != 0 {
		t.Fatalf("after DeleteAll: %v, %v", ids, err)
	}
}

func TestZitadelOP(t *testing.T) {
	t.Parallel()
	done := timed(t, "start zitadel op")
	op := ZitadelOP(t, "http://127.0.0.1:8080/api/auth/callback/zitadel")
	done()
	if want := fmt.Sprintf("http://localhost:%d/", op.Port); op.Issuer != want {
		t.Errorf("Issuer = %q, want %q", op.Issuer, want)
	}
	// Fetch discovery through the issuer's own host name, localhost.
	if err := checkDiscovery(t.Context(), op.DiscoveryURL(), op.Issuer); err != nil {
		t.Fatal(err)
	}
}

// TestDex runs a full authorization-code login against Dex with net/http:
// the login form, the redirect with a code, and the token exchange.
func TestDex(t *testing.T) {
	t.Parallel()
	const redirect = "http://127.0.0.1:1/callback" // never fetched
	done := timed(t, "start dex")
	d := Dex(t, redirect)
	done()
	ctx := t.Context()

	body, err := httpOK(ctx, d.DiscoveryURL())
	if err != nil {
		t.Fatal(err)
	}
	var disc struct {
		Issuer        string `json:"issuer"`
		AuthEndpoint  string `json:"authorization_endpoint"`
		TokenEndpoint string `json:"token_endpoint"`
		JWKSURI       string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(body, &disc); err != nil {
		t.Fatal(err)
	}
	if disc.Issuer != fmt.Sprintf("http://127.0.0.1:%d/dex", d.Port) {
		t.Fatalf("issuer %q", disc.Issuer)
	}
	if _, err := httpOK(ctx, disc.JWKSURI); err != nil {
		t.Fatal(err)
	}

	jar, _ := cookiejar.New(nil)
	errCallback := errors.New("reached callback")
	var callback *url.URL
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if strings.HasPrefix(req.URL.String(), redirect) {
				callback = req.URL
				return errCallback
			}
			return nil
		}}
	auth := disc.AuthEndpoint + "?" + url.Values{
		"client_id": {d.ClientID}, "redirect_uri": {redirect}, "response_type": {"code"},
		"scope": {"openid email profile"}, "state": {"st4te"}, "nonce": {"n0nce"},
	}.Encode()
	resp, err := client.Get(auth)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	// Dex's only connector is the password DB, so it shows its login form.
	loginURL := resp.Request.URL.String()
	if !strings.Contains(loginURL, "/auth/local") {
		t.Fatalf("expected the local login form, got %s (%s)", loginURL, resp.Status)
	}
	resp, err = client.PostForm(loginURL, url.Values{"login": {d.Email}, "password": {d.Password}})
	if err == nil {
		resp.Body.Close()
		t.Fatalf("login did not redirect to the callback: %s %s", resp.Status, resp.Request.URL)
	}
	if !errors.Is(err, errCallback) || callback == nil {
		t.Fatalf("login: %v", err)
	}
	code := callback.Query().Get("code")
	if code == "" || callback.Query().Get("state") != "st4te" {
		t.Fatalf("callback %s", callback)
	}

	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, disc.TokenEndpoint, strings.NewReader(url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect},
	}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(d.ClientID, d.ClientSecret)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		IDToken     string `json:"id_token"`
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("token exchange: %s, %v", resp.Status, err)
	}
	parts := strings.Split(tok.IDToken, ".")
	if len(parts) != 3 {
		t.Fatalf("id_token %q", tok.IDToken)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims struct {
		Iss, Email, Nonce string
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	if claims.Iss != d.Issuer || claims.Email != d.Email || claims.Nonce != "n0nce" {
		t.Fatalf("claims %s", payload)
	}
}

// fakeTB records what Unavailable does instead of stopping the goroutine.
type fakeTB struct {
	testing.TB
	skipped, fatal string
}

func (f *fakeTB) Helper() {}

// The real Skipf and Fatalf do not return; record only the first call.
func (f *fakeTB) Skipf(format string, args ...any) {
	if f.fatal == "" {
		f.skipped = fmt.Sprintf(format, args...)
	}
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	if f.skipped == "" {
		f.fatal = fmt.Sprintf(format, args...)
	}
}

func TestUnavailable(t *testing.T) {
	for _, tc := range []struct {
		env      string
		wantSkip bool
	}{{"", true}, {"0", true}, {"1", false}, {"true", false}} {
		t.Setenv(EnvRequireServers, tc.env)
		f := &fakeTB{TB: t}
		Unavailable(f, "no %s", "server")
		if gotSkip := f.skipped != ""; gotSkip != tc.wantSkip || (f.skipped == "") == (f.fatal == "") {
			t.Errorf("%s=%q: skipped %q, fatal %q", EnvRequireServers, tc.env, f.skipped, f.fatal)
		}
		if !strings.Contains(f.skipped+f.fatal, "no server") {
			t.Errorf("message lost: %q %q", f.skipped, f.fatal)
		}
	}
}

func TestFreePorts(t *testing.T) {
	ports, err := freePorts(3)
	if err != nil {
		t.Fatal(err)
	}
	if ports[0] == ports[1] || ports[1] == ports[2] || ports[0] == ports[2] {
		t.Fatalf("duplicate ports %v", ports)
	}
}

func TestBSONRoundTrip(t *testing.T) {
	in := bsonDoc{{"s", "x"}, {"i", int32(7)}, {"l", int64(1 << 40)}, {"f", 1.5}, {"b", true}, {"n", nil},
		{"d", bsonDoc{{"k", "v"}}}, {"a", []any{"p", int32(2)}}}
	b, err := appendBSON(nil, in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := parseBSON(b)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(in) != fmt.Sprint(out) {
		t.Fatalf("got %v, want %v", out, in)
	}
}
