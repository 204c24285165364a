// Package smtp sends authgen's sign-in mail through an SMTP server with
// github.com/wneessen/go-mail, configured by one URL (AUTH_EMAIL_SERVER):
//
//	smtp://user:password@host:587    STARTTLS when the server offers it
//	smtp://…?tls=required            STARTTLS or no mail
//	smtp://…?tls=none                never STARTTLS (a local relay)
//	smtps://user:password@host:465   TLS from the first byte (implicit TLS)
//
// The port defaults to 587 for smtp and 465 for smtps. User and password,
// when present, authenticate (PLAIN, or LOGIN / CRAM-MD5 as the server
// offers; go-mail refuses to send a password over an unencrypted connection
// except to localhost). The password is never part of an error or a log.
package smtp

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	mail "github.com/wneessen/go-mail"

	"github.com/authgen/authgen/runtime/email"
)

// Options tune the sender. Zero values take the defaults.
type Options struct {
	// Timeout bounds connecting, TLS and every SMTP command; default 10 s.
	// A Send's context deadline also applies.
	Timeout time.Duration
	// TLSConfig replaces the TLS configuration (its ServerName defaults to
	// the URL's host), for a private certificate authority.
	TLSConfig *tls.Config
	// HELO is the name sent in EHLO/HELO; default the machine's host name.
	HELO string
}

// Sender sends mail through one SMTP server; safe for concurrent use, each
// Send uses its own connection.
type Sender struct {
	host string
	opts []mail.Option
	// redacted is the server's URL without the password, for errors.
	redacted string
}

var _ email.Sender = (*Sender)(nil)

// ErrURL is wrapped by New's errors for an unusable server URL.
var ErrURL = errors.New("smtp: invalid server URL")

// New returns a sender for serverURL (see the package documentation).
func New(serverURL string, opts Options) (*Sender, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		// url's errors quote the URL, password and all.
		return nil, fmt.Errorf("%w: not a URL; use smtp://user:password@host:587 or smtps://user:password@host:465", ErrURL)
	}
	redacted := u.Redacted()
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("%w: %s has no host; use smtp://user:password@host:587 or smtps://user:password@host:465", ErrURL, redacted)
	}
	if u.Path != "" && u.Path != "/" || u.Fragment != "" {
		return nil, fmt.Errorf("%w: %s has a path; an SMTP server URL is scheme://[user:password@]host[:port][?tls=required|none]", ErrURL, redacted)
	}
	port := 0
	if p := u.Port(); p != "" {
		port, err = strconv.Atoi(p)
		if err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("%w: %s: port %q is not a number from 1 to 65535", ErrURL, redacted, p)
		}
	}
	timeout := cmp.Or(opts.Timeout, 10*time.Second)
	if timeout < 0 {
		return nil, fmt.Errorf("smtp: Options.Timeout %s is negative", timeout)
	}
	tlsConfig := &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
	if opts.TLSConfig != nil {
		tlsConfig = opts.TLSConfig.Clone()
		tlsConfig.ServerName = cmp.Or(tlsConfig.ServerName, u.Hostname())
	}
	mo := []mail.Option{mail.WithTimeout(timeout), mail.WithTLSConfig(tlsConfig)}
	if opts.HELO != "" {
		mo = append(mo, mail.WithHELO(opts.HELO))
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return nil, fmt.Errorf("%w: %s: unknown parameter %q; the only one is tls=required or tls=none", ErrURL, redacted, k)
		}
	}
	mode := q.Get("tls")
	switch u.Scheme {
	case "smtps":
		if mode != "" {
			return nil, fmt.Errorf("%w: %s: tls=%s is for smtp://; smtps:// is TLS from the start", ErrURL, redacted, mode)
		}
		mo = append(mo, mail.WithSSL(), mail.WithPort(cmp.Or(port, 465)))
	case "smtp":
		policy := mail.TLSOpportunistic
		switch mode {
		case "":
		case "required":
			policy = mail.TLSMandatory
		case "none":
			policy = mail.NoTLS
		default:
			return nil, fmt.Errorf("%w: %s: tls=%q; use tls=required (STARTTLS or no mail) or tls=none (never STARTTLS)", ErrURL, redacted, mode)
		}
		mo = append(mo, mail.WithTLSPolicy(policy), mail.WithPort(cmp.Or(port, 587)))
	default:
		return nil, fmt.Errorf("%w: %s: scheme %q; use smtp:// (STARTTLS) or smtps:// (implicit TLS)", ErrURL, redacted, u.Scheme)
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		mo = append(mo, mail.WithUsername(u.User.Username()), mail.WithPassword(pass),
			mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover))
	}
	// A trial client checks the options now rather than at the first mail.
	if _, err := mail.NewClient(u.Hostname(), mo...); err != nil {
		return nil, fmt.Errorf("smtp: %s: %w", redacted, err)
	}
	return &Sender{host: u.Hostname(), opts: mo, redacted: redacted}, nil
}

// Open is New with default Options, in the form email.Select takes.
func Open(serverURL string) (email.Sender, error) {
	s, err := New(serverURL, Options{})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Send delivers m's Subject, Text and HTML from m.From to m.To.
func (s *Sender) Send(ctx context.Context, m email.Message) error {
	msg := mail.NewMsg()
	if err := msg.From(m.From); err != nil {
		return fmt.Errorf("smtp: from address: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("smtp: to address: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	c, err := mail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("smtp: %s: %w", s.redacted, err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("smtp: sending through %s: %w", s.redacted, err)
	}
	return nil
}
