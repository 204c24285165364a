package server

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
)

//go:embed pages/*.html
var pageFS embed.FS

// pages renders the built-in pages.
type pages struct {
	tmpl  *template.Template
	theme Theme
}

func newPages(theme Theme) *pages {
	return &pages{tmpl: template.Must(template.ParseFS(pageFS, "pages/*.html")), theme: theme}
}

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
}

type providerData struct {
	ID        string
	Name      string
	SignInURL string
}

var titles = map[string]string{
	"signin":         "Sign in",
	"signout":        "Sign out",
	"error":          "Error",
	"verify-request": "Check your e-mail",
}

// render writes page name with status. Pages deny framing (clickjacking)
// and load nothing from elsewhere but images (the theme's logo: https or
// the application's own origin).
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
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}
