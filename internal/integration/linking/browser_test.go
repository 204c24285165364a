package linking

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/authgen/authgen/internal/integration/chromium"
	"github.com/authgen/authgen/runtime/store/memstore"
)

// TestAccountPageInChromium drives the account page in headless Chromium:
// sign in with corp, link other from the page, unlink it, end another
// browser's session, and sign out everywhere, which ends the other
// browser's session too. Screenshots go to the test's artifacts.
func TestAccountPageInChromium(t *testing.T) {
	p := chromium.New(t) // skips first when there is no Chromium
	st := memstore.New()
	a := newApp(t, st)
	a.corp.as(a.sub("c"), a.email, true)
	a.other.as(a.sub("o"), "work."+a.email, true)
	account := a.base + "/account"
	path := "/api/auth/account"

	p.Navigate(a.base + "/signin?callbackUrl=" + url.QueryEscape(account))
	p.ClickAndLoad("#signin-corp")
	p.WaitURL(path)
	p.WaitText("Your account")
	if got := p.Text("#user"); !strings.Contains(got, a.email) {
		t.Errorf("the page says %q, not the user's address", got)
	}
	if !p.Has(`li[data-provider="corp"]`) || !p.Has("#only-way") || p.Has(`li[data-provider="corp"] button`) {
		t.Error("one way to sign in: listed, said to be the only one, and without an unlink button")
	}
	p.Screenshot("signed-in")

	// Link other from the page: the provider, then back to the page.
	p.ClickAndLoad("#link-other")
	p.WaitURL(path)
	p.WaitVisible(`li[data-provider="other"]`)
	if p.Has("#only-way") {
		t.Error("two ways to sign in, still said to be the only one")
	}
	p.Screenshot("linked")

	// Unlink it.
	p.ClickAndLoad(`li[data-provider="other"] button`)
	p.WaitVisible(`[data-done="unlinked"]`)
	if p.Has(`li[data-provider="other"]`) {
		t.Error("the unlinked account is still listed")
	}
	p.Screenshot("unlinked")

	// Another browser of the same user, then its session ended from here.
	other := a.browser()
	a.signInOK(other, "corp")
	p.Reload()
	p.WaitVisible(`li[data-session]:not([data-current]) button`)
	p.ClickAndLoad(`li[data-session]:not([data-current]) button`)
	p.WaitVisible(`[data-done="revoked"]`)
	if strings.TrimSpace(readSession(t, other)) != "null" {
		t.Error("the ended session still signs the other browser in")
	}
	p.Screenshot("session-ended")

	// Sign out everywhere ends every session, the other browser's too.
	a.signInOK(other, "corp")
	p.Reload()
	p.ClickAndLoad("#signout-everywhere")
	if strings.TrimSpace(readSession(t, other)) != "null" {
		t.Error("sign-out everywhere left the other browser signed in")
	}
	if code := p.Navigate(account); code == http.StatusOK && p.Has("#ways") {
		t.Error("the account page still shows the signed-out user")
	}
	p.Screenshot("signed-out")
	p.NoErrors()
}

func readSession(t *testing.T, b interface {
	Get(string) *http.Response
	API(string) string
}) string {
	resp := b.Get(b.API("/session"))
	defer resp.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return sb.String()
}
