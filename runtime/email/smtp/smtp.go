// Package smtp sends authgen's sign-in mail through an SMTP server with
// github.com/wneessen/go-mail, configured by one URL (AUTH_EMAIL_SERVER):
//
//	smtp://user:password@host:587    STARTTLS when the server offers it
//	smtp://…?tls=required            STARTTLS or no mail
//	smtp://…?tls=none                never STARTTLS (a local relay)
//	smtps://user:password@host:465   TLS from the first byte (implicit TLS)
//
// The port defaults to 587 for smtp and 465 for smtps. User and password,
// when present, authenticate with the best mechanism the server offers
// (go-mail's discovery: SCRAM, CRAM-MD5, NTLM, and over TLS also PLAIN and
// LOGIN), so without TLS the password never crosses the wire in clear: a
// server offering only PLAIN or LOGIN there gets no mail. The password is
// never part of an error or a log.
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
	// redacted names the server in errors: scheme://host[:port].
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
	if u.Opaque != "" || u.Scheme == "" {
		// Not scheme://…: what follows the colon may be a password.
		return nil, fmt.Errorf("%w: not of the form scheme://…; use smtp://user:password@host:587 or smtps://user:password@host:465", ErrURL)
	}
	// Errors name the server by scheme and host only: the user
	// information, path, query and fragment may hold the password.
	redacted := u.Scheme + "://" + u.Host
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
			// The name is shown only when it is a plain word: anything
			// else may be a misplaced part of the URL, its password too.
			name := "an unknown parameter"
			if plainWord(k) {
				name = fmt.Sprintf("unknown parameter %q", k)
			}
			return nil, fmt.Errorf("%w: %s: %s; the only one is tls=required or tls=none", ErrURL, redacted, name)
		}
	}
	mode := q.Get("tls")
	// A wrong value is never repeated: a misplaced password may be a word.
	shown := "tls with a value other than required or none"
	if mode == "required" || mode == "none" {
		shown = "tls=" + mode
	}
	switch u.Scheme {
	case "smtps":
		if mode != "" {
			return nil, fmt.Errorf("%w: %s: %s is for smtp://; smtps:// is TLS from the start", ErrURL, redacted, shown)
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
			return nil, fmt.Errorf("%w: %s: %s; use tls=required (STARTTLS or no mail) or tls=none (never STARTTLS)", ErrURL, redacted, shown)
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

// plainWord reports whether s is a short word of letters, digits, '-' and
// '_', which an error may quote.
func plainWord(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
