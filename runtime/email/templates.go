package email

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"strings"
	texttemplate "text/template"
)

// The default templates, which authgen scaffolds into a project as its own
// files (DefaultTemplateFiles).
//
//go:embed templates/sign-in.html templates/sign-in.txt
var defaultFiles embed.FS

// Names of the default templates in DefaultTemplateFiles.
const (
	DefaultHTML = "sign-in.html"
	DefaultText = "sign-in.txt"
)

// DefaultTemplateFiles returns the default templates, DefaultHTML and
// DefaultText, which authgen copies into a project for its owner to edit.
func DefaultTemplateFiles() fs.FS {
	sub, err := fs.Sub(defaultFiles, "templates")
	if err != nil {
		panic(err) // the embedded directory exists
	}
	return sub
}

// DefaultTemplates returns the default templates parsed.
func DefaultTemplates() *Templates {
	t, err := ParseTemplates(DefaultTemplateFiles(), DefaultHTML, DefaultText)
	if err != nil {
		panic(err) // the embedded templates parse (TestDefaultTemplates)
	}
	return t
}

// Data is what the templates render.
type Data struct {
	// Name is the application's name.
	Name string
	// Email is the recipient's address.
	Email string
	// Host is the application's host, such as app.example.com.
	Host string
	// Link signs in when followed and confirmed.
	Link string
	// Code is the 6-digit code that signs in on the page that asked.
	Code string
	// Expires says how long link and code are valid, such as "24 hours".
	Expires string
}

// Templates render the sign-in mail: an HTML template and a text
// template, the text one defining the subject as {{define "subject"}}.
type Templates struct {
	html *htmltemplate.Template
	text *texttemplate.Template
}

// ErrTemplate is wrapped by the errors of ParseTemplates and Render.
var ErrTemplate = errors.New("email: template")

// ParseTemplates parses the HTML template html and the text template text
// from fsys. The text template must define "subject" ({{define "subject"}}Sign
// in to {{.Name}}{{end}}). Both are tried on sample Data, so that a
// template using a field Data lacks fails here and not at the first
// sign-in.
func ParseTemplates(fsys fs.FS, html, text string) (*Templates, error) {
	h, err := htmltemplate.New(html).Option("missingkey=error").ParseFS(fsys, html)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTemplate, err)
	}
	tx, err := texttemplate.New(text).Option("missingkey=error").ParseFS(fsys, text)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTemplate, err)
	}
	if tx.Lookup("subject") == nil {
		return nil, fmt.Errorf(`%w: %s defines no subject: add {{define "subject"}}Sign in to {{.Name}}{{end}}`, ErrTemplate, text)
	}
	t := &Templates{html: h, text: tx}
	if _, _, _, err := t.Render(Data{Name: "App", Email: "a@example.com", Host: "app.example.com",
		Link: "https://app.example.com/x", Code: "123456", Expires: "24 hours"}); err != nil {
		return nil, err
	}
	return t, nil
}

// Render renders the subject, the text body and the HTML body for d.
func (t *Templates) Render(d Data) (subject, text, html string, err error) {
	var s, tx, h bytes.Buffer
	if err := t.text.ExecuteTemplate(&s, "subject", d); err != nil {
		return "", "", "", fmt.Errorf("%w: subject: %w", ErrTemplate, err)
	}
	if err := t.text.Execute(&tx, d); err != nil {
		return "", "", "", fmt.Errorf("%w: text: %w", ErrTemplate, err)
	}
	if err := t.html.Execute(&h, d); err != nil {
		return "", "", "", fmt.Errorf("%w: html: %w", ErrTemplate, err)
	}
	// A subject is one line: a template's line breaks would start headers.
	subject = strings.Join(strings.Fields(s.String()), " ")
	return subject, tx.String(), h.String(), nil
}
