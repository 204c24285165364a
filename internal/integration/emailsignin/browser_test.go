package emailsignin_test

import (
	"os"
	"strings"
	"testing"

	"github.com/authgen/authgen/internal/integration/chromium"
	"github.com/authgen/authgen/internal/integration/testsvc"
)

func TestMain(m *testing.M) {
	code := m.Run()
	chromium.Close()
	os.Exit(code)
}

// TestBrowser signs in by e-mail in Chromium: the link (its confirm page
// and button) in one browser, the code typed on the verify-request page in
// another, with screenshots of each page in the test's artifacts.
func TestBrowser(t *testing.T) {
	p := chromium.New(t) // skips first when there is no Chromium
	mp := testsvc.Mailpit(t)
	a := newApp(t, plainSender(t, mp))

	// The sign-in page's e-mail form.
	p.Navigate(a.base + "/signin?callbackUrl=%2Fwelcome")
	p.WaitVisible("#email")
	p.Screenshot("signin")
	p.Fill("#email", "ada@example.com")
	p.ClickAndLoad("#signin-email")
	p.WaitURL("/api/auth/verify-request")
	p.WaitText("Check your e-mail")
	if !p.Has("#code") {
		t.Error("verify-request page without the code form in the browser that asked")
	}
	p.Screenshot("verify-request")

	// The link: its page asks before it signs in.
	link, _, _ := mail(t, mp, "ada@example.com")
	p.Navigate(link)
	p.WaitText("Sign in as ada@example.com?")
	p.Screenshot("confirm")
	if a.tokenRows() != 1 {
		t.Fatalf("%d token rows after opening the link, want 1 (not used)", a.tokenRows())
	}
	p.ClickAndLoad("#email-confirm")
	p.WaitURL("/welcome")
	p.WaitText("Signed in as ada@example.com")
	p.Screenshot("signed-in-by-link")
	if c := p.Cookie("authgen.session-token"); c == nil || !c.HTTPOnly {
		t.Errorf("session cookie %+v", c)
	}
	p.NoErrors()

	// The code, in another browser.
	q := chromium.New(t)
	q.Navigate(a.base + "/signin?callbackUrl=%2Fwelcome")
	q.Fill("#email", "grace@example.com")
	q.ClickAndLoad("#signin-email")
	q.WaitText("Check your e-mail")
	_, code, _ := mail(t, mp, "grace@example.com")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	q.Fill("#code", wrong)
	q.ClickAndLoad("#email-code")
	q.WaitText("That code is not right")
	q.Screenshot("code-wrong")
	q.Fill("#code", code)
	q.ClickAndLoad("#email-code")
	q.WaitURL("/welcome")
	q.WaitText("Signed in as grace@example.com")
	q.Screenshot("code-signed-in")
	q.NoErrors()
	if strings.Contains(q.HTML(), code) {
		t.Error("the code is on the page after sign-in")
	}
}
