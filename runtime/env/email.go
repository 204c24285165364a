package env

import (
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"

	"github.com/authgen/authgen/runtime/email"
)

// EmailSender chooses e-mail sign-in's sender with email.Select from
// AUTH_EMAIL_SERVER and the application's origin authURL (AUTH_URL): the
// sender open returns for the server's URL (smtp.Open), or in development
// (an http://localhost origin) without a server email.Console, which logs
// the links. Otherwise it records AUTH_EMAIL_SERVER as missing, or the
// server's problem, and returns nil.
func (r *Reader) EmailSender(authURL *url.URL, open func(serverURL string) (email.Sender, error), log *slog.Logger) email.Sender {
	origin := ""
	if authURL != nil {
		origin = authURL.String()
	}
	s, err := email.Select(origin, r.getenv(email.EnvServer), open, log)
	switch {
	case errors.Is(err, email.ErrNoServer):
		r.problems = append(r.problems, fmt.Sprintf("%s is required for e-mail sign-in when AUTH_URL is not http://localhost, for example %s=smtps://user:password@smtp.example.com:465",
			email.EnvServer, email.EnvServer))
		r.missing = append(r.missing, email.EnvServer)
		return nil
	case err != nil:
		r.problems = append(r.problems, err.Error())
		return nil
	}
	return s
}

// EmailFrom reads AUTH_EMAIL_FROM, the sender of e-mail sign-in's mail,
// which must be an address ("no-reply@example.com" or "App
// <no-reply@example.com>"); default no-reply@ and authURL's host.
func (r *Reader) EmailFrom(authURL *url.URL) string {
	v := r.getenv(email.EnvFrom)
	if v == "" {
		host := "localhost"
		if authURL != nil && authURL.Hostname() != "" {
			host = authURL.Hostname()
		}
		return "no-reply@" + host
	}
	if _, err := mail.ParseAddress(v); err != nil {
		r.problems = append(r.problems, fmt.Sprintf("%s=%q is not an e-mail address: use no-reply@example.com or \"App <no-reply@example.com>\"", email.EnvFrom, v))
	}
	return v
}
