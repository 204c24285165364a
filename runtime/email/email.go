// Package email sends the mails of e-mail sign-in: the Message a Sender
// delivers, the Templates that render it, the Console sender for
// development, and Select, which picks the sender from the environment the
// same way in every application.
//
// The SMTP sender lives in its own module, github.com/authgen/authgen/runtime/email/smtp,
// so that an application without e-mail sign-in does not pull its
// dependency.
package email

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"strings"
)

// Message is one sign-in mail.
type Message struct {
	// From is the sender's address (AUTH_EMAIL_FROM), possibly with a
	// display name: "App <no-reply@example.com>".
	From string
	// To is the recipient's address, as normalised by the server.
	To string
	// Subject, Text and HTML are the rendered mail (Templates.Render).
	Subject string
	Text    string
	HTML    string
	// Link is the sign-in link and Code the 6-digit sign-in code the mail
	// carries, for senders that do not deliver mail (Console, tests).
	// A Sender that delivers mail sends Subject, Text and HTML only, and
	// never logs Link or Code.
	Link string
	Code string
}

// Sender delivers a Message. Send must honour ctx's deadline, and its error
// must not contain the Link, the Code or a credential of the sender.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Console is the development sender: it delivers nothing and logs the
// recipient, the link and the code at level Info, so that a developer signs
// in from the terminal without a mail server. Never use it in production:
// the log holds what signs in as anyone.
type Console struct {
	// Logger receives the messages; nil is slog.Default().
	Logger *slog.Logger
}

// Send logs m's recipient, link and code.
func (c Console) Send(ctx context.Context, m Message) error {
	log := c.Logger
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "authgen: sign-in e-mail (console sender, development only: set AUTH_EMAIL_SERVER to send it)",
		"to", m.To, "link", m.Link, "code", m.Code)
	return nil
}

// Environment variables Select's callers read.
const (
	// EnvServer is the SMTP server's URL.
	EnvServer = "AUTH_EMAIL_SERVER"
	// EnvFrom is the sender's address.
	EnvFrom = "AUTH_EMAIL_FROM"
)

// ErrNoServer is returned by Select when no mail server is set and the
// application is not in development.
var ErrNoServer = errors.New("email: no mail server")

// Select chooses the sender of an application whose public origin is
// authURL (AUTH_URL) and whose mail server is serverURL (AUTH_EMAIL_SERVER):
//
//   - serverURL set: the sender open returns for it (smtp.Open, for example);
//   - serverURL unset and authURL an http origin on a loopback host
//     (localhost, 127.0.0.1, [::1]): Console, with a warning on log;
//   - serverURL unset otherwise: an error wrapping ErrNoServer that names
//     AUTH_EMAIL_SERVER.
//
// Errors of open are returned wrapped; they must not contain the server's
// password.
func Select(authURL, serverURL string, open func(serverURL string) (Sender, error), log *slog.Logger) (Sender, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if serverURL != "" {
		if open == nil {
			return nil, fmt.Errorf("email: %s is set but the application has no SMTP sender", EnvServer)
		}
		s, err := open(serverURL)
		if err != nil {
			return nil, fmt.Errorf("email: %s: %w", EnvServer, err)
		}
		return s, nil
	}
	if !Development(authURL) {
		return nil, fmt.Errorf("%w: set %s to the SMTP server that sends sign-in mail, such as smtps://user:password@smtp.example.com:465 (the console sender, which logs sign-in links, is only used when AUTH_URL is http://localhost)", ErrNoServer, EnvServer)
	}
	log.Warn("authgen: " + EnvServer + " is unset: sign-in e-mails are not sent but logged here (development only)")
	return Console{Logger: log}, nil
}

// Development reports whether authURL is an http origin on a loopback host
// (localhost, 127.0.0.1 or [::1], any port): a developer's machine.
func Development(authURL string) bool {
	u, err := url.Parse(strings.TrimSuffix(authURL, "/"))
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback() && ip.Zone() == ""
}
