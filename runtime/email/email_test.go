package email_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/authgen/authgen/runtime/email"
)

func TestDefaultTemplates(t *testing.T) {
	subject, text, html, err := email.DefaultTemplates().Render(email.Data{
		Name: "Acme", Email: "a@example.com", Host: "acme.example", Link: "https://acme.example/api/auth/callback/email?token=T&email=a%40example.com",
		Code: "042917", Expires: "24 hours"})
	if err != nil {
		t.Fatal(err)
	}
	if subject != "Sign in to Acme" {
		t.Errorf("subject %q", subject)
	}
	for _, body := range []string{text, html} {
		if !strings.Contains(body, "042917") || !strings.Contains(body, "a@example.com") || !strings.Contains(body, "24 hours") {
			t.Errorf("body lacks code, address or lifetime:\n%s", body)
		}
	}
	if !strings.Contains(text, "https://acme.example/api/auth/callback/email?token=T&email=a%40example.com") {
		t.Errorf("text lacks the link:\n%s", text)
	}
	if !strings.Contains(html, `href="https://acme.example/api/auth/callback/email?token=T&amp;email=a%40example.com"`) {
		t.Errorf("HTML lacks the escaped link:\n%s", html)
	}
}

func TestParseTemplatesErrors(t *testing.T) {
	for name, tt := range map[string]struct {
		html, text, want string
	}{
		"no subject":    {"<p>{{.Link}}</p>", "{{.Link}}", "defines no subject"},
		"unknown field": {"<p>{{.Nope}}</p>", `{{define "subject"}}x{{end}}{{.Link}}`, "Nope"},
		"syntax":        {"<p>{{.Link</p>", `{{define "subject"}}x{{end}}`, "sign-in.html"},
		"missing in FS": {"", "", "sign-in"},
	} {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			if tt.html != "" {
				fsys["sign-in.html"] = &fstest.MapFile{Data: []byte(tt.html)}
				fsys["sign-in.txt"] = &fstest.MapFile{Data: []byte(tt.text)}
			}
			_, err := email.ParseTemplates(fsys, "sign-in.html", "sign-in.txt")
			if !errors.Is(err, email.ErrTemplate) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrTemplate mentioning %q", err, tt.want)
			}
		})
	}
}

func TestSubjectIsOneLine(t *testing.T) {
	fsys := fstest.MapFS{
		"m.html": {Data: []byte("<p>{{.Code}}</p>")},
		"m.txt":  {Data: []byte("{{define \"subject\"}}Sign in\nto {{.Name}}\r\nBcc: x@example.com{{end}}{{.Code}}")},
	}
	tm, err := email.ParseTemplates(fsys, "m.html", "m.txt")
	if err != nil {
		t.Fatal(err)
	}
	subject, _, _, err := tm.Render(email.Data{Name: "A"})
	if err != nil || strings.ContainsAny(subject, "\r\n") {
		t.Errorf("subject %q, %v", subject, err)
	}
}

func TestSelect(t *testing.T) {
	opened := ""
	open := func(u string) (email.Sender, error) { opened = u; return email.Console{}, nil }
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))

	if _, err := email.Select("https://app.example.com", "smtp://mail:25", open, log); err != nil || opened != "smtp://mail:25" {
		t.Errorf("with a server: opened %q, err %v", opened, err)
	}
	for _, dev := range []string{"http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:3000", "http://LOCALHOST"} {
		s, err := email.Select(dev, "", open, log)
		if _, ok := s.(email.Console); !ok || err != nil {
			t.Errorf("%s: %T, %v; want Console", dev, s, err)
		}
	}
	if !strings.Contains(logs.String(), "AUTH_EMAIL_SERVER is unset") {
		t.Errorf("no warning logged: %s", logs.String())
	}
	for _, prod := range []string{"https://app.example.com", "https://localhost:3000", "http://app.example.com", "http://localhost.evil.com", "http://10.0.0.1", ""} {
		_, err := email.Select(prod, "", open, log)
		if !errors.Is(err, email.ErrNoServer) || !strings.Contains(err.Error(), "AUTH_EMAIL_SERVER") {
			t.Errorf("%s: err = %v, want ErrNoServer naming AUTH_EMAIL_SERVER", prod, err)
		}
	}
	_, err := email.Select("https://app.example.com", "smtp://x", func(string) (email.Sender, error) { return nil, errors.New("boom") }, log)
	if err == nil || !strings.Contains(err.Error(), "AUTH_EMAIL_SERVER") || !strings.Contains(err.Error(), "boom") {
		t.Errorf("open's error: %v", err)
	}
}

func TestConsoleLogs(t *testing.T) {
	var logs bytes.Buffer
	c := email.Console{Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	if err := c.Send(context.Background(), email.Message{To: "a@example.com", Link: "https://x/l", Code: "123456"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"a@example.com", "https://x/l", "123456"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q: %s", want, logs.String())
		}
	}
}
