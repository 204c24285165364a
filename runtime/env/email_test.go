package env_test

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/email"
	"github.com/authgen/authgen/runtime/env"
)

func TestEmailSender(t *testing.T) {
	dev, _ := url.Parse("http://localhost:3000")
	prod, _ := url.Parse("https://app.example.com")
	opened := ""
	open := func(u string) (email.Sender, error) {
		if strings.Contains(u, "bad") {
			return nil, errors.New("bad server URL")
		}
		opened = u
		return email.Console{}, nil
	}

	r := env.New(getenv(nil))
	if s, ok := r.EmailSender(dev, open, nil).(email.Console); !ok || r.Err() != nil {
		t.Errorf("development: %T, %v; want Console", s, r.Err())
	}

	r = env.New(getenv(nil))
	if s := r.EmailSender(prod, open, nil); s != nil {
		t.Errorf("production without a server: %T", s)
	}
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "AUTH_EMAIL_SERVER is required") || !slices.Equal(r.Missing(), []string{"AUTH_EMAIL_SERVER"}) {
		t.Errorf("production without a server: %v, missing %v", err, r.Missing())
	}

	r = env.New(getenv(map[string]string{"AUTH_EMAIL_SERVER": "smtps://u:p@mail.example.com"}))
	if s := r.EmailSender(prod, open, nil); s == nil || opened != "smtps://u:p@mail.example.com" || r.Err() != nil {
		t.Errorf("with a server: %T, opened %q, %v", s, opened, r.Err())
	}

	r = env.New(getenv(map[string]string{"AUTH_EMAIL_SERVER": "bad"}))
	if s := r.EmailSender(prod, open, nil); s != nil || r.Err() == nil || !strings.Contains(r.Err().Error(), "AUTH_EMAIL_SERVER: bad server URL") {
		t.Errorf("a bad server: %T, %v", s, r.Err())
	}
}

func TestEmailFrom(t *testing.T) {
	u, _ := url.Parse("https://app.example.com:8443")
	r := env.New(getenv(nil))
	if got := r.EmailFrom(u); got != "no-reply@app.example.com" || r.Err() != nil {
		t.Errorf("default %q, %v", got, r.Err())
	}
	r = env.New(getenv(map[string]string{"AUTH_EMAIL_FROM": "Acme <hello@acme.example>"}))
	if got := r.EmailFrom(u); got != "Acme <hello@acme.example>" || r.Err() != nil {
		t.Errorf("set: %q, %v", got, r.Err())
	}
	r = env.New(getenv(map[string]string{"AUTH_EMAIL_FROM": "hello"}))
	r.EmailFrom(u)
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), `AUTH_EMAIL_FROM="hello" is not an e-mail address`) {
		t.Errorf("bad: %v", err)
	}
}

func TestEmailVars(t *testing.T) {
	without := env.App{Database: "sqlite"}.Vars()
	with := env.App{Database: "sqlite", Email: true}.Vars()
	for _, name := range []string{"AUTH_EMAIL_SERVER", "AUTH_EMAIL_FROM"} {
		if _, ok := env.Lookup(without, name); ok {
			t.Errorf("%s without e-mail sign-in", name)
		}
		if v, ok := env.Lookup(with, name); !ok || v.Required || v.Example != "" {
			t.Errorf("%s with e-mail sign-in: %+v, %v", name, v, ok)
		}
	}
}
