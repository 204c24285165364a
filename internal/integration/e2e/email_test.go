package e2e

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/authgen/authgen/internal/integration/fakeidp"
	"github.com/authgen/authgen/internal/integration/testsvc"
)

// TestEmailSignIn: the project `authgen init --yes` makes has e-mail
// sign-in next to GitHub. On an https AUTH_URL without AUTH_EMAIL_SERVER it
// refuses to start, naming the variable (the console sender would log
// sign-in links in production); on http://localhost it starts with the
// console sender, and a new user signs in with the logged link (through
// its confirm page) or code; with AUTH_EMAIL_SERVER the mail goes through a
// real SMTP server (Mailpit) and its link signs the user in.
func TestEmailSignIn(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "app")
	run(t, filepath.Dir(dir), nil, authgen(t), "init", "app", "--module", "example.com/app", "--yes")
	yaml, err := os.ReadFile(filepath.Join(dir, "authgen.yaml"))
	if err != nil || !strings.Contains(string(yaml), "  - id: github\n  - id: email\n") {
		t.Fatalf("init --yes did not add e-mail sign-in next to GitHub: %v\n%s", err, yaml)
	}
	bin := build(t, dir)
	gh := fakeidp.NewGitHub(t, octocat)
	environ := append(bareEnviron(), gh.Env()...)

	out := mustFail(t, bin, dir, append(environ, "AUTH_URL=https://app.example.com", "PORT="+freePort(t)))
	if !strings.Contains(out, "AUTH_EMAIL_SERVER is required for e-mail sign-in when AUTH_URL is not http://localhost") {
		t.Errorf("the refusal does not name AUTH_EMAIL_SERVER:\n%s", out)
	}

	// On http://localhost the console sender logs the link and the code:
	// a new user signs in with either, nothing registered anywhere.
	port := freePort(t)
	a := launch(t, "http://localhost:"+port, bin, dir, append(environ, "PORT="+port, "AUTH_URL=http://localhost:"+port))
	if !strings.Contains(a.log.String(), "AUTH_EMAIL_SERVER is unset") {
		t.Errorf("no warning that the console sender is on:\n%s", a.log)
	}
	fromLog := func(addr string) (link, code string) {
		t.Helper()
		for _, line := range slices.Backward(strings.Split(a.log.String(), "\n")) {
			if !strings.Contains(line, "to="+addr) {
				continue
			}
			l, c := consoleLinkRE.FindStringSubmatch(line), consoleCodeRE.FindStringSubmatch(line)
			if l == nil || c == nil {
				t.Fatalf("the console sender's line lacks the link or the code: %s", line)
			}
			return l[1], c[1]
		}
		t.Fatalf("the console sender logged nothing for %s:\n%s", addr, a.log)
		return "", ""
	}
	t.Run("console sender: the link", func(t *testing.T) {
		b := newBrowser(t)
		requestEmail(t, b, a.URL, "ada@example.com")
		link, _ := fromLog("ada@example.com")
		confirmLink(t, b, link)
		wantMe(t, b, a.URL, "ada@example.com")
	})
	t.Run("console sender: the code, in the browser that asked", func(t *testing.T) {
		b := newBrowser(t)
		page := requestEmail(t, b, a.URL, "grace@example.com")
		_, code := fromLog("grace@example.com")
		form := hiddenFields(page)
		form.Set("code", code)
		resp, body := b.do(http.MethodPost, a.URL+"/api/auth/callback/email", strings.NewReader(form.Encode()))
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/me" {
			t.Fatalf("the code led to %s %s:\n%s", resp.Status, resp.Request.URL, body)
		}
		wantMe(t, b, a.URL, "grace@example.com")
	})
	a.stop()

	// With AUTH_EMAIL_SERVER the mail goes through a real SMTP server.
	mp := testsvc.Mailpit(t)
	a = start(t, bin, dir, append(gh.Env(), "AUTH_EMAIL_SERVER=smtp://"+mp.SMTPAddr(), "AUTH_EMAIL_FROM=App <no-reply@app.example>")...)
	b := newBrowser(t)
	requestEmail(t, b, a.URL, "linus@example.com")
	m, err := mp.WaitForMail(t.Context(), "linus@example.com")
	if err != nil {
		t.Fatal(err)
	}
	link := mailLinkRE.FindString(m.Text)
	if link == "" || !consoleCodeLineRE.MatchString(m.Text) {
		t.Fatalf("the mail lacks the link or the code:\n%s", m.Text)
	}
	confirmLink(t, b, link)
	wantMe(t, b, a.URL, "linus@example.com")
}

var (
	consoleLinkRE     = regexp.MustCompile(`link="?([^"\s]+)`)
	consoleCodeRE     = regexp.MustCompile(`code="?(\d{6})`)
	consoleCodeLineRE = regexp.MustCompile(`(?m)^\d{6}\r?$`)
	mailLinkRE        = regexp.MustCompile(`https?://\S+/api/auth/callback/email\?\S+`)
	hiddenRE          = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// requestEmail asks for a sign-in e-mail to addr from the sign-in page, as
// its form does, and returns the verify-request page it lands on.
func requestEmail(t *testing.T, b *browser, base, addr string) string {
	t.Helper()
	_, page := b.do(http.MethodGet, base+"/api/auth/signin", nil)
	form := url.Values{"csrfToken": {csrfFrom(t, page)}, "email": {addr}, "callbackUrl": {base + "/me"}}
	resp, body := b.do(http.MethodPost, base+"/api/auth/signin/email", strings.NewReader(form.Encode()))
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/api/auth/verify-request" || !strings.Contains(body, `name="code"`) {
		t.Fatalf("asking for the e-mail led to %s %s:\n%s", resp.Status, resp.Request.URL, body)
	}
	return body
}

// confirmLink opens the link (a page asking to confirm, which uses
// nothing up) and presses its button, which signs in and goes to /me.
func confirmLink(t *testing.T, b *browser, link string) {
	t.Helper()
	resp, page := b.do(http.MethodGet, link, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Sign in as") {
		t.Fatalf("the link shows %s:\n%s", resp.Status, page)
	}
	resp, body := b.do(http.MethodPost, resp.Request.URL.Scheme+"://"+resp.Request.URL.Host+"/api/auth/callback/email", strings.NewReader(hiddenFields(page).Encode()))
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/me" {
		t.Fatalf("confirming led to %s %s:\n%s", resp.Status, resp.Request.URL, body)
	}
}

// hiddenFields are the hidden inputs of a page's form.
func hiddenFields(page string) url.Values {
	form := url.Values{}
	for _, m := range hiddenRE.FindAllStringSubmatch(page, -1) {
		form.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	return form
}

// wantMe checks /me answers the signed-in user with the address.
func wantMe(t *testing.T, b *browser, base, addr string) {
	t.Helper()
	resp, body := b.do(http.MethodGet, base+"/me", nil)
	var me struct {
		ID, Email string
	}
	if err := json.Unmarshal([]byte(body), &me); err != nil || resp.StatusCode != http.StatusOK || me.Email != addr || me.ID == "" {
		t.Fatalf("/me: %s %s (%v), want the user %s", resp.Status, body, err, addr)
	}
}
