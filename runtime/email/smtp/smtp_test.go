package smtp_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/email"
	"github.com/authgen/authgen/runtime/email/smtp"
)

func TestNewRefuses(t *testing.T) {
	for in, want := range map[string]string{
		"http://user:s3cret@mail.example.com":               `scheme "http"`,
		"smtp://user:s3cret@:25":                            "has no host",
		"smtp://user:s3cret@mail.example.com/x":             "has a path",
		"smtp://user:s3cret@mail.example.com:99999":         "port",
		"smtp://user:s3cret@mail.example.com?tls=yes":       "tls with a value other than required or none",
		"smtp://mail.example.com?tls=:s3cret@":              "tls with a value other than required or none",
		"smtp://mail.example.com?tls=s3cret":                "tls with a value other than required or none",
		"smtp://user:s3cret@mail.example.com?foo=1":         `unknown parameter "foo"`,
		"smtps://user:s3cret@mail.example.com?tls=required": "smtps:// is TLS from the start",
		"smtp://user:s3cret@mail example.com%":              "not a URL",
		"mail.example.com:25":                               "",
	} {
		_, err := smtp.New(in, smtp.Options{})
		if !errors.Is(err, smtp.ErrURL) || !strings.Contains(err.Error(), want) {
			t.Errorf("New(%q) = %v, want ErrURL with %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("New(%q): the error shows the password: %v", in, err)
		}
	}
}

func TestNewAccepts(t *testing.T) {
	for _, in := range []string{
		"smtp://mail.example.com", "smtp://u:p@mail.example.com:2525?tls=required", "smtp://localhost:1025?tls=none",
		"smtps://u:p@mail.example.com", "smtps://[::1]:465",
	} {
		if _, err := smtp.New(in, smtp.Options{}); err != nil {
			t.Errorf("New(%q): %v", in, err)
		}
	}
	if _, err := smtp.Open("smtp://mail.example.com"); err != nil {
		t.Errorf("Open: %v", err)
	}
}

// TestSendErrorHidesPassword: a server that refuses the connection gives
// an error naming the server without the password.
func TestSendErrorHidesPassword(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	s, err := smtp.New("smtp://user:s3cret@"+addr, smtp.Options{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), email.Message{From: "a@example.com", To: "b@example.com", Subject: "x", Text: "y"})
	if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), addr) {
		t.Errorf("Send = %v; want an error naming %s without the password", err, addr)
	}
	err = s.Send(context.Background(), email.Message{From: "not an address", To: "b@example.com"})
	if err == nil || !strings.Contains(err.Error(), "from address") {
		t.Errorf("bad From: %v", err)
	}
}

// FuzzNew: whatever the URL, New does not panic, and its error never shows
// the URL's password.
func FuzzNew(f *testing.F) {
	for _, s := range []string{"smtp://u:p@h:25", "smtps://u:p@h", "smtp://u:p@h?tls=required", "smtp://u:p@h/x", "smtp://u:p%zz@h", "smtp://u:p@[::1", "smtp://:p@h:0", "smtp://u:p@h?tls=none&tls=x"} {
		f.Add(s, "Pa55word")
	}
	f.Fuzz(func(t *testing.T, raw, password string) {
		if len(password) < 6 || strings.ContainsAny(password, "@/?#%:[]") {
			return
		}
		in := strings.Replace(raw, ":p@", ":"+password+"@", 1)
		_, err := smtp.New(in, smtp.Options{})
		if err != nil && strings.Contains(in, ":"+password+"@") && strings.Contains(err.Error(), password) {
			t.Fatalf("New(%q): the error shows the password: %v", in, err)
		}
	})
}
