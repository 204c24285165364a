package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/authgen/authgen/runtime/email"
	"github.com/authgen/authgen/runtime/store"
)

// EmailProviderID is the provider ID of e-mail sign-in: its routes are
// POST {basePath}/signin/email and {basePath}/callback/email, and its
// sessions and events name it as their provider.
const EmailProviderID = "email"

// DefaultEmailMaxAge is how long a sign-in link and its code are valid
// unless Email.MaxAge says otherwise: 24 hours, as Auth.js.
const DefaultEmailMaxAge = 24 * time.Hour

// Email configures passwordless sign-in by e-mail (Config.Email). The
// server mails a link and a 6-digit code; the link's page asks to confirm
// before it signs in, and the code signs in only the browser that asked.
type Email struct {
	// Sender delivers the mail: smtp.New's sender, email.Console in
	// development (see email.Select). Required.
	Sender email.Sender
	// From is the sender's address (AUTH_EMAIL_FROM), possibly with a
	// display name ("App <no-reply@example.com>"). Required.
	From string
	// Tokens keeps the pending sign-ins, each only as a keyed hash of its
	// token. Required.
	Tokens store.VerificationTokens
	// MaxAge is how long a link and its code are valid; default
	// DefaultEmailMaxAge.
	MaxAge time.Duration
	// Templates render the mail; default email.DefaultTemplates().
	Templates *email.Templates
	// Name is the application's name in the mail; default Theme.AppName.
	Name string
}

// checkEmail checks and completes c.Email; it returns the problems found.
func (c *Config) checkEmail() []string {
	e := c.Email
	if e == nil {
		return nil
	}
	var problems []string
	if e.Sender == nil {
		problems = append(problems, "Email.Sender is required (email.Select chooses it from AUTH_EMAIL_SERVER)")
	}
	if e.Tokens == nil {
		problems = append(problems, "Email.Tokens is required: e-mail sign-in keeps its pending sign-ins in the store")
	}
	if c.Users == nil {
		problems = append(problems, "Email needs Users: e-mail sign-in finds and creates users by address")
	}
	if e.From == "" {
		problems = append(problems, "Email.From is required (AUTH_EMAIL_FROM), such as \"App <no-reply@example.com>\"")
	} else if _, err := mail.ParseAddress(e.From); err != nil {
		problems = append(problems, fmt.Sprintf("Email.From %q is not an e-mail address (such as \"App <no-reply@example.com>\"): %v", e.From, err))
	}
	if e.MaxAge < 0 {
		problems = append(problems, fmt.Sprintf("Email.MaxAge %s is negative: give how long a sign-in link is valid, such as 24h", e.MaxAge))
	}
	return problems
}

// emailDefaults fills in the defaults of a checked Email, on a copy.
func (c *Config) emailDefaults() {
	if c.Email == nil {
		return
	}
	e := *c.Email
	e.MaxAge = cmp.Or(e.MaxAge, DefaultEmailMaxAge)
	if e.Templates == nil {
		e.Templates = email.DefaultTemplates()
	}
	e.Name = cmp.Or(e.Name, c.Theme.AppName)
	switch s := e.Sender.(type) {
	case email.Console:
		s.Logger = cmp.Or(s.Logger, c.Logger)
		e.Sender = s
	case *email.Console:
		e.Sender = email.Console{Logger: cmp.Or(s.Logger, c.Logger)}
	}
	c.Email = &e
}

// emailSignIn reports whether e-mail sign-in is on.
func (a *Auth) emailSignIn() bool { return a.email != nil }

// Errors of NormalizeEmail.
var (
	// ErrEmailAddress is wrapped by NormalizeEmail's errors.
	ErrEmailAddress = errors.New("server: invalid e-mail address")
)

// maxEmailLength is the longest address NormalizeEmail accepts, RFC 5321's
// limit on a path.
const maxEmailLength = 254

// NormalizeEmail is the default normalisation of the address a user types
// (Callbacks.NormalizeEmail replaces it): surrounding spaces trimmed,
// exactly one address of the form local@domain (no display name, no list,
// no comment), at most 254 bytes, lower-cased as a whole. Lower-casing the
// local part too is what Auth.js does and what oauth.Map does to the
// addresses providers give, so that one person's address finds one user
// however it was typed (stores compare addresses exactly); a deployment
// whose mail server tells local parts apart by case can keep them with
// the Callbacks.NormalizeEmail hook. The error, wrapping ErrEmailAddress,
// says what is wrong.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", fmt.Errorf("%w: empty", ErrEmailAddress)
	case len(s) > maxEmailLength:
		return "", fmt.Errorf("%w: longer than %d bytes", ErrEmailAddress, maxEmailLength)
	case strings.ContainsAny(s, ",;<>()\"\\ \t\r\n"):
		return "", fmt.Errorf("%w: give one address such as name@example.com, without a name, list or comment", ErrEmailAddress)
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") {
		return "", fmt.Errorf("%w: give one address such as name@example.com", ErrEmailAddress)
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return "", fmt.Errorf("%w: give one address such as name@example.com", ErrEmailAddress)
	}
	out := strings.ToLower(s)
	if len(out) > maxEmailLength { // lower-casing may lengthen an address
		return "", fmt.Errorf("%w: longer than %d bytes", ErrEmailAddress, maxEmailLength)
	}
	return out, nil
}

// normalizeEmail applies Callbacks.NormalizeEmail, or NormalizeEmail.
func (a *Auth) normalizeEmail(ctx context.Context, s string) (string, error) {
	if cb := a.cfg.Callbacks.NormalizeEmail; cb != nil {
		return cb(ctx, s)
	}
	return NormalizeEmail(s)
}
