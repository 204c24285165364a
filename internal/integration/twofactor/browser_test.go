package twofactor

import (
	"image/png"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/authgen/authgen/internal/integration/chromium"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store/memstore"
	"github.com/authgen/authgen/runtime/totp"
)

// TestEnrolInChromium drives enrolment in headless Chromium: the QR code
// the browser draws (an inline SVG) is decoded from a screenshot with
// gozxing back to the page's otpauth:// URI; the first code computed from
// the secret shown turns two-factor on and shows 10 recovery codes; a new
// browser then signs in with the first factor and a code.
func TestEnrolInChromium(t *testing.T) {
	p := chromium.New(t) // skips first when there is no Chromium
	a := newApp(t, memstore.New(), server.TwoFactorOptional)

	p.Navigate(a.base + "/signin?callbackUrl=" + url.QueryEscape(a.base+"/2fa"))
	p.ClickAndLoad("#signin-corp")
	p.WaitURL("/api/auth/2fa")
	p.ClickAndLoad("#enroll")
	p.WaitVisible("#qr")
	shot := p.Screenshot("enrol")

	href, _ := p.Attr("#otpauth", "href")
	if got := decodeQR(t, shot); got != href {
		t.Fatalf("the QR code reads %q, the page's link is %q", got, href)
	}
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	secret := strings.TrimSpace(p.Text("#secret"))
	if u.Scheme != "otpauth" || u.Query().Get("secret") != secret || u.Query().Get("issuer") != "Acme" || !strings.HasSuffix(u.Path, ":ada@example.com") {
		t.Fatalf("otpauth URI %q for secret %q", href, secret)
	}

	p.Fill("#code", a.code(secret))
	p.ClickAndLoad("#confirm")
	p.WaitVisible("#recovery-codes")
	var n int
	p.Eval(`document.querySelectorAll("#recovery-codes li").length`, &n)
	if n != server.RecoveryCodeCount {
		t.Errorf("%d recovery codes shown, want %d", n, server.RecoveryCodeCount)
	}
	p.Screenshot("recovery-codes")
	p.NoErrors()

	// Another browser: the first factor, then the code page.
	q := chromium.New(t)
	a.clock.Advance(totp.Period)
	q.Navigate(a.base + "/signin?callbackUrl=" + url.QueryEscape(a.origin+"/dashboard"))
	q.ClickAndLoad("#signin-corp")
	q.WaitURL("/api/auth/2fa/verify")
	if c := q.Cookie("authgen.session-token"); c != nil {
		t.Fatal("a session before the second factor")
	}
	q.Screenshot("code-page")
	q.Fill("#code", a.code(secret))
	q.ClickAndLoad("#verify")
	q.WaitURL("/dashboard")
	if c := q.Cookie("authgen.session-token"); c == nil {
		t.Fatal("no session after the second factor")
	}
	q.NoErrors()
}

// decodeQR reads the QR code in a PNG screenshot.
func decodeQR(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("no QR code found in %s: %v", path, err)
	}
	return res.GetText()
}
