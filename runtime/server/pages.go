package server

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"time"
)

//go:embed pages/*.html
var pageFS embed.FS

// pages renders the built-in pages.
type pages struct {
	tmpl  *template.Template
	theme Theme
}

func newPages(theme Theme) *pages {
	t := template.New("pages").Funcs(template.FuncMap{"date": pageDate})
	return &pages{tmpl: template.Must(t.ParseFS(pageFS, "pages/*.html")), theme: theme}
}

// pageDate is how pages show a time: in UTC, to the minute.
func pageDate(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04 UTC") }

// pageData is what the templates read.
type pageData struct {
	Theme       Theme
	Title       string
	CSRFToken   string
	CallbackURL string
	Providers   []providerData
	Error       Code
	Message     string
	Home        string
	Origin      string
	SignInURL   string
	SignOutURL  string
	// Everywhere: the sign-out page offers to end every session of the
	// user (sessions are recorded).
	Everywhere bool
	// Account is the account page's (account.go).
	Account *accountPage
	// EmailSignInURL, on the sign-in page, is where its e-mail form
	// posts; "" when e-mail sign-in is off.
	EmailSignInURL string
	// Credentials are the sign-in page's credentials forms.
	Credentials []credentialsPage
	// Email is the e-mail sign-in's confirm and verify-request pages'.
	Email *emailPage
	// TwoFactor is the two-factor pages' (twofactor.go).
	TwoFactor *twoFactorPage
	// Passkeys is the passkeys page's (passkeys.go).
	Passkeys *passkeysPage
	// Passkey, on the sign-in page, is the passkey sign-in's; nil when
	// passkeys are off.
	Passkey *passkeySignIn
	// formAction lists the origins besides the page's own that its forms
	// may lead to (see pageCSP); nil for a page without forms.
	formAction []string
}

// emailPage is what the e-mail sign-in pages show.
type emailPage struct {
	// Address is the address signing in (the confirm page).
	Address string
	// Token is the link's token, which the confirm page's button posts.
	Token string
	// Action is where the forms post (the e-mail callback).
	Action string
	// CodeForm: the verify-request page asks for the code (this browser
	// asked for the e-mail).
	CodeForm bool
	// WrongCode: the code typed last was not the right one.
	WrongCode bool
}

type providerData struct {
	ID        string
	Name      string
	SignInURL string
}

var titles = map[string]string{
	"signin":            "Sign in",
	"signout":           "Sign out",
	"error":             "Error",
	"verify-request":    "Check your e-mail",
	"email-confirm":     "Sign in",
	"account":           "Your account",
	"two-factor":        "Two-factor sign-in",
	"two-factor-verify": "Two-factor sign-in",
	"passkeys":          "Passkeys",
}

// render writes page name with status. Pages deny framing (clickjacking),
// load nothing from elsewhere but images (the theme's logo: https or the
// application's own origin), and submit forms only where data.formAction
// allows (see pageCSP).
func (p *pages) render(w http.ResponseWriter, status int, name string, data pageData) {
	data.Theme, data.Title = p.theme, titles[name]
	var buf bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&buf, name+".html", data); err != nil {
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", pageCSP(data.formAction))
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}
