// Package emailsignin_test runs e-mail sign-in end to end: the runtime's
// server on a SQLite store sends its mail through the SMTP sender
// (runtime/email/smtp) to a real Mailpit, and the tests read the mail back
// through Mailpit's API and follow it as a user would, over HTTP and in
// Chromium.
package emailsignin_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authgen/authgen/internal/integration/sqltest"
	"github.com/authgen/authgen/internal/integration/testkit"
	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/runtime/email"
	"github.com/authgen/authgen/runtime/email/smtp"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/redisstore"
	"github.com/authgen/authgen/runtime/store/sqlstore"
)

const prefix = sqltest.Prefix

// app is the runtime's server with e-mail sign-in, sending through sender.
type app struct {
	t      *testing.T
	srv    *httptest.Server
	origin string
	base   string
	db     *sql.DB
	store  *sqlstore.Store
	clock  *testkit.Clock
	logs   *strings.Builder
	logMu  *sync.Mutex
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *strings.Builder
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func newApp(t *testing.T, sender email.Sender) *app {
	t.Helper()
	return newAppTokens(t, sender, nil)
}

// newAppTokens is newApp with the verification tokens in tokens (nil: the
// SQLite store, with the users).
func newAppTokens(t *testing.T, sender email.Sender, tokens store.VerificationTokens) *app {
	t.Helper()
	st, db := sqltest.SQLiteStore(t)
	if tokens == nil {
		tokens = st
	}
	a := &app{t: t, db: db, store: st, clock: testkit.NewClock(), logs: &strings.Builder{}, logMu: &sync.Mutex{}}
	a.srv = httptest.NewUnstartedServer(nil)
	a.origin = "http://" + a.srv.Listener.Addr().String()
	a.base = a.origin + "/api/auth"
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	origin, _ := url.Parse(a.origin)
	auth, err := server.New(server.Config{
		URL: origin, Keys: ks, Users: st, Sessions: st, Strategy: server.StrategyDatabase,
		Email:  &server.Email{Sender: sender, From: "Acme <no-reply@acme.example>", Tokens: tokens, Name: "Acme"},
		Logger: slog.New(slog.NewTextHandler(lockedWriter{a.logMu, a.logs}, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:    a.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/auth/", auth)
	mux.Handle("/", auth.WithSession(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s, ok := server.FromContext(r.Context()); ok {
			fmt.Fprintf(w, "<!doctype html><title>Home</title><p id=\"who\">Signed in as %s</p>", s.User.Email)
			return
		}
		fmt.Fprint(w, "<!doctype html><title>Home</title><p id=\"who\">Not signed in</p>")
	})))
	a.srv.Config.Handler = mux
	a.srv.Start()
	t.Cleanup(a.srv.Close)
	return a
}

func (a *app) logText() string { a.logMu.Lock(); defer a.logMu.Unlock(); return a.logs.String() }

// tokenRows counts the rows of the verification tokens' table.
func (a *app) tokenRows() int {
	a.t.Helper()
	var n int
	if err := a.db.QueryRow("SELECT COUNT(*) FROM " + prefix + "verification_tokens").Scan(&n); err != nil {
		a.t.Fatal(err)
	}
	return n
}

// browser is a cookie-keeping HTTP client that does not follow redirects.
type browser struct {
	t   *testing.T
	a   *app
	jar *cookiejar.Jar
	c   *http.Client
}

func (a *app) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: a.t, a: a, jar: jar, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (b *browser) get(target string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, target, nil)
	return b.do(req)
}

func (b *browser) post(target string, form url.Values) *http.Response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ := b.do(req)
	return resp
}

func (b *browser) csrf() string {
	b.t.Helper()
	_, body := b.get(b.a.base + "/csrf")
	var v struct{ CSRFToken string }
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		b.t.Fatal(err)
	}
	return v.CSRFToken
}

// request asks for a sign-in e-mail and returns where it was sent.
func (b *browser) request(addr string) string {
	b.t.Helper()
	return b.post(b.a.base+"/signin/email", url.Values{"csrfToken": {b.csrf()}, "email": {addr}, "callbackUrl": {"/welcome"}}).Header.Get("Location")
}

// confirm presses the link page's button: the form's fields as the page
// has them.
func (b *browser) confirm(link string) string {
	b.t.Helper()
	resp, page := b.get(link)
	if resp.StatusCode != http.StatusOK {
		return resp.Header.Get("Location")
	}
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], htmlUnescape(m[2]))
	}
	if form.Get("token") == "" {
		b.t.Fatalf("confirm page without the token's field: %s", page)
	}
	return b.post(b.a.base+"/callback/email", form).Header.Get("Location")
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">").Replace(s)
}

func (b *browser) code(code string) string {
	b.t.Helper()
	return b.post(b.a.base+"/callback/email", url.Values{"csrfToken": {b.csrf()}, "code": {code}}).Header.Get("Location")
}

// who says who the browser is signed in as, "" for nobody.
func (b *browser) who() string {
	b.t.Helper()
	_, body := b.get(b.a.origin + "/")
	if m := regexp.MustCompile(`Signed in as (\S+)</p>`).FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

var (
	linkRE = regexp.MustCompile(`https?://\S+/api/auth/callback/email\?\S+`)
	codeRE = regexp.MustCompile(`(?m)^(\d{6})\r?$`)
)

// mail waits for the newest mail to addr and returns its link and code.
func mail(t *testing.T, mp *testsvc.MailpitServer, addr string) (link, code string, m *testsvc.Mail) {
	t.Helper()
	m, err := mp.WaitForMail(t.Context(), addr)
	if err != nil {
		t.Fatal(err)
	}
	link, code = linkRE.FindString(m.Text), ""
	if c := codeRE.FindStringSubmatch(m.Text); c != nil {
		code = c[1]
	}
	if link == "" || code == "" {
		t.Fatalf("mail without link or code:\n%s", m.Text)
	}
	return link, code, m
}

func plainSender(t *testing.T, mp *testsvc.MailpitServer) email.Sender {
	t.Helper()
	s, err := smtp.New("smtp://"+mp.SMTPAddr()+"?tls=none", smtp.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLinkAndCode(t *testing.T) {
	mp := testsvc.Mailpit(t)
	a := newApp(t, plainSender(t, mp))

	// The link: a scanner GETs it first, then the user confirms.
	b := a.browser()
	if got := b.request("ada@example.com"); got != a.base+"/verify-request?provider=email&type=email" {
		t.Fatalf("request redirected to %q", got)
	}
	link, _, m := mail(t, mp, "ada@example.com")
	if m.Subject != "Sign in to Acme" || m.From.Address != "no-reply@acme.example" || !strings.Contains(m.HTML, "Sign in") {
		t.Errorf("mail %+v", m)
	}
	scanner := a.browser()
	if resp, body := scanner.get(link); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Sign in as <strong>ada@example.com</strong>") {
		t.Fatalf("scanner's GET: %s %s", resp.Status, body)
	}
	if scanner.who() != "" || a.tokenRows() != 1 {
		t.Fatalf("the scanner's GET signed in or used the token (%d rows)", a.tokenRows())
	}
	if got := b.confirm(link); got != a.origin+"/welcome" {
		t.Fatalf("confirm redirected to %q", got)
	}
	if got := b.who(); got != "ada@example.com" {
		t.Fatalf("signed in as %q", got)
	}
	u, err := a.store.GetUserByEmail(t.Context(), "ada@example.com")
	if err != nil || u.EmailVerified == nil {
		t.Fatalf("user %+v, %v", u, err)
	}
	// Reuse.
	if got := a.browser().confirm(link); got != a.base+"/error?error=Verification" {
		t.Errorf("reused link: %q", got)
	}

	// The code, on a second client.
	if err := mp.DeleteAll(t.Context()); err != nil {
		t.Fatal(err)
	}
	c := a.browser()
	c.request("grace@example.com")
	link2, code, _ := mail(t, mp, "grace@example.com")
	if got := c.code(code); got != a.origin+"/welcome" {
		t.Fatalf("code redirected to %q", got)
	}
	if got := c.who(); got != "grace@example.com" {
		t.Fatalf("signed in as %q", got)
	}
	if got := a.browser().confirm(link2); got != a.base+"/error?error=Verification" {
		t.Errorf("the link after its code: %q", got)
	}
	if a.tokenRows() != 0 {
		t.Errorf("%d token rows left", a.tokenRows())
	}
}

func TestRefusals(t *testing.T) {
	mp := testsvc.Mailpit(t)
	a := newApp(t, plainSender(t, mp))
	verification := a.base + "/error?error=Verification"
	fresh := func(t *testing.T, addr string) (*browser, string, string) {
		t.Helper()
		if err := mp.DeleteAll(t.Context()); err != nil {
			t.Fatal(err)
		}
		b := a.browser()
		b.request(addr)
		link, code, _ := mail(t, mp, addr)
		return b, link, code
	}
	t.Run("expiry", func(t *testing.T) {
		b, link, code := fresh(t, "exp@example.com")
		a.clock.Advance(24*time.Hour + time.Second)
		if got := b.confirm(link); got != verification {
			t.Errorf("expired link: %q", got)
		}
		if got := b.code(code); got != verification {
			t.Errorf("expired code: %q", got)
		}
		if b.who() != "" {
			t.Error("signed in")
		}
	})
	t.Run("wrong address", func(t *testing.T) {
		b, link, _ := fresh(t, "right@example.com")
		if got := b.confirm(strings.Replace(link, "right%40example.com", "wrong%40example.com", 1)); got != verification {
			t.Errorf("wrong address: %q", got)
		}
		if b.who() != "" {
			t.Error("signed in")
		}
		if got := b.confirm(link); got != a.origin+"/welcome" {
			t.Errorf("the right address afterwards: %q", got)
		}
	})
	t.Run("forged token", func(t *testing.T) {
		b, link, _ := fresh(t, "forged@example.com")
		forged := regexp.MustCompile(`token=[^&]+`).ReplaceAllString(link, "token="+strings.Repeat("x", 43))
		if got := b.confirm(forged); got != verification {
			t.Errorf("forged token: %q", got)
		}
		if b.who() != "" {
			t.Error("signed in")
		}
	})
	t.Run("sixth code attempt", func(t *testing.T) {
		b, link, code := fresh(t, "six@example.com")
		wrong := fmt.Sprintf("%06d", (atoi(code)+1)%1_000_000)
		for i := range 5 {
			if got := b.code(wrong); !strings.Contains(got, "/verify-request?error=Verification") {
				t.Fatalf("attempt %d: %q", i+1, got)
			}
		}
		if got := b.code(code); got != verification {
			t.Errorf("6th attempt with the right code: %q", got)
		}
		if got := b.confirm(link); got != verification {
			t.Errorf("the link after the 6th attempt: %q", got)
		}
		if b.who() != "" {
			t.Error("signed in")
		}
	})
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

func TestSMTPDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	s, err := smtp.New("smtp://user:s3cret@"+addr+"?tls=none", smtp.Options{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(t, s)
	b := a.browser()
	if got := b.request("down@example.com"); got != a.base+"/signin?error=EmailSignin" {
		t.Fatalf("redirected to %q", got)
	}
	if n := a.tokenRows(); n != 0 {
		t.Errorf("%d token rows after the failed send", n)
	}
	logs := a.logText()
	if !strings.Contains(logs, addr) || strings.Contains(logs, "s3cret") || strings.Contains(logs, "token=") {
		t.Errorf("log: %s", logs)
	}
}

// writeCert writes a self-signed certificate for 127.0.0.1 and its key,
// and returns their paths and a pool that trusts it.
func writeCert(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestNoPasswordInClear: without TLS the sender offers its password only
// to a challenge-response mechanism (SCRAM, CRAM-MD5, NTLM); a server that
// offers PLAIN and LOGIN alone gets no mail and never the password.
func TestNoPasswordInClear(t *testing.T) {
	authFile := filepath.Join(t.TempDir(), "passwords")
	if err := os.WriteFile(authFile, []byte("mailer:s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mp := testsvc.MailpitWith(t, testsvc.MailpitOptions{AuthFile: authFile})
	s, err := smtp.New("smtp://mailer:s3cret@"+mp.SMTPAddr()+"?tls=none", smtp.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(t.Context(), email.Message{From: "a@acme.example", To: "b@example.com", Subject: "x", Text: "y"})
	if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "authentication mechanism") {
		t.Errorf("Send = %v; want a refusal to authenticate without TLS", err)
	}
	if ids, err := mp.Messages(t.Context()); err != nil || len(ids) != 0 {
		t.Errorf("messages %v, %v; want none", ids, err)
	}
}

// TestTLSAndAuth sends through STARTTLS and implicit TLS with SMTP AUTH
// checked against a password file.
func TestTLSAndAuth(t *testing.T) {
	certFile, keyFile, pool := writeCert(t)
	authFile := filepath.Join(t.TempDir(), "passwords")
	if err := os.WriteFile(authFile, []byte("mailer:s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tlsConfig := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	for _, tt := range []struct {
		name   string
		opts   testsvc.MailpitOptions
		url    string
		refuse string // a URL that must fail
	}{

		{"STARTTLS", testsvc.MailpitOptions{TLSCert: certFile, TLSKey: keyFile, RequireSTARTTLS: true, AuthFile: authFile},
			"smtp://mailer:s3cret@%s?tls=required", "smtp://mailer:wrong@%s?tls=required"},
		{"implicit TLS", testsvc.MailpitOptions{TLSCert: certFile, TLSKey: keyFile, ImplicitTLS: true, AuthFile: authFile},
			"smtps://mailer:s3cret@%s", "smtp://mailer:s3cret@%s?tls=none"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mp := testsvc.MailpitWith(t, tt.opts)
			s, err := smtp.New(fmt.Sprintf(tt.url, mp.SMTPAddr()), smtp.Options{TLSConfig: tlsConfig, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			a := newApp(t, s)
			b := a.browser()
			b.request("tls@example.com")
			link, _, _ := mail(t, mp, "tls@example.com")
			if got := b.confirm(link); got != a.origin+"/welcome" {
				t.Fatalf("confirm: %q", got)
			}
			bad, err := smtp.New(fmt.Sprintf(tt.refuse, mp.SMTPAddr()), smtp.Options{TLSConfig: tlsConfig, Timeout: 3 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			err = bad.Send(context.Background(), email.Message{From: "a@acme.example", To: "b@example.com", Subject: "x", Text: "y"})
			if err == nil || strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), ":wrong@") {
				t.Errorf("refused sender: %v", err)
			}
			// Without the certificate's pool the server is not trusted.
			untrusted, _ := smtp.New(fmt.Sprintf(tt.url, mp.SMTPAddr()), smtp.Options{Timeout: 3 * time.Second})
			if err := untrusted.Send(context.Background(), email.Message{From: "a@acme.example", To: "b@example.com", Subject: "x", Text: "y"}); err == nil {
				t.Error("sent to a server with an untrusted certificate")
			}
		})
	}
}

// TestRedisTokens: with the verification tokens in Redis (session.store:
// redis) the link and the code work once, and the 6th code is refused.
func TestRedisTokens(t *testing.T) {
	mp := testsvc.Mailpit(t)
	rs, err := redisstore.Open(testsvc.Redis(t).URL(), redisstore.Options{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rs.Close() })
	a := newAppTokens(t, plainSender(t, mp), rs)
	verification := a.base + "/error?error=Verification"

	b := a.browser()
	b.request("redis@example.com")
	link, _, _ := mail(t, mp, "redis@example.com")
	if got := b.confirm(link); got != a.origin+"/welcome" || b.who() != "redis@example.com" {
		t.Fatalf("link: %q, signed in as %q", got, b.who())
	}
	if got := a.browser().confirm(link); got != verification {
		t.Errorf("reused link: %q", got)
	}

	if err := mp.DeleteAll(t.Context()); err != nil {
		t.Fatal(err)
	}
	c := a.browser()
	c.request("redis@example.com")
	_, code, _ := mail(t, mp, "redis@example.com")
	wrong := fmt.Sprintf("%06d", (atoi(code)+1)%1_000_000)
	for range 5 {
		c.code(wrong)
	}
	if got := c.code(code); got != verification || c.who() != "" {
		t.Errorf("6th attempt: %q, signed in as %q", got, c.who())
	}
}
