package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/ratelimit"
)

// Credentials sign-in: a form of fields (a username and a password, say)
// that the application's Authorize checks against its own user table, LDAP
// or anything else, as Auth.js's credentials provider. Beyond Auth.js, the
// identity Authorize returns is linked to authgen's users as an account of
// provider ID (findUser and applyPlan, as an OAuth account), so it works
// with database sessions too, and the sessions list, the account page and
// "never unlink the last way to sign in" apply to it.
//
// POST {basePath}/callback/{id} with csrfToken, the fields and optionally
// callbackUrl and json=true. Every attempt counts against LimitCredentials
// (per identifier, normalised and keyed-hashed) and LimitSignInPerClient.
// A refused attempt (ErrCredentials) answers CredentialsSignin whatever
// the reason: 401 with {"url", "error"} for a JSON client, a redirect to
// the sign-in page with ?error=CredentialsSignin for a form. Only the
// provider and the outcome are logged, never a field's value.

// ErrCredentials is what Authorize returns, wrapped, when the identifier or
// the secret is wrong (an unknown user and a wrong password alike): the
// sign-in answers CredentialsSignin. Any other error is the backend
// failing, answered CredentialsUnavailable, never as a wrong password.
var ErrCredentials = errors.New("server: wrong credentials")

// CredentialsType is the Type of a credentials provider in GET /providers
// and of its accounts.
const CredentialsType = "credentials"

// Field types of a CredentialField.
const (
	FieldText     = "text"
	FieldPassword = "password"
	FieldEmail    = "email"
)

// maxFieldBytes bounds each field's value: a longer one is refused as
// wrong credentials, before Authorize (a password hash of megabytes is
// work for nothing).
const maxFieldBytes = 1024

// Credentials is a credentials provider (Config.Credentials).
type Credentials struct {
	// ID is the provider's ID: its route (/callback/{ID}) and the Provider
	// of its accounts. Required, URL-safe, unlike every other provider's.
	ID string
	// Name is what the sign-in page's button says ("Sign in with Name").
	Name string
	// Fields are the form's inputs, in order. At least one.
	Fields []CredentialField
	// Identifier is the Name of the field that LimitCredentials counts
	// attempts by (the username or e-mail address). Required.
	Identifier string
	// Authorize checks the fields and returns the outside identity they
	// prove. A wrong identifier or secret must return an error wrapping
	// ErrCredentials (or a nil Identity and nil error); any other error
	// means the backend failed. Errors other than ErrCredentials are
	// logged: they must not hold the secret. Required.
	Authorize func(ctx context.Context, in CredentialsInput) (*Identity, error)
	// TrustEmail lets an identity that is linked to nobody, signing in
	// while nobody is signed in, link to the existing user with the same
	// e-mail address when Identity.EmailVerified is true — as an OAuth
	// provider's TrustEmail. Set it only when the backend verified the
	// addresses it returns (a user table whose sign-up confirmed them);
	// else such a sign-in is refused with OAuthAccountNotLinked.
	TrustEmail bool
}

// CredentialField is one input of a credentials form.
type CredentialField struct {
	// Name is the form field's name and CredentialsInput.Fields's key.
	Name string
	// Label is the text shown next to the input (default Name).
	Label string
	// Type is FieldText (default), FieldPassword or FieldEmail.
	Type string
	// Autocomplete is the input's autocomplete attribute ("username",
	// "current-password"); default "current-password" for FieldPassword,
	// "email" for FieldEmail, "username" otherwise.
	Autocomplete string
}

// CredentialsInput is what Authorize checks.
type CredentialsInput struct {
	// Provider is the credentials provider's ID.
	Provider string
	// Fields are the values of the provider's fields, by name; a missing
	// field is "".
	Fields map[string]string
	// Request is the sign-in's request, for its headers (read only: its
	// body was read).
	Request *http.Request
}

// Identity is who Authorize found: the outside identity that is linked to
// authgen's users as an account (providerAccountId = ID).
type Identity struct {
	// ID is the identity's stable identifier in the backend (the user
	// table's primary key, an LDAP entry's uid). Required.
	ID            string
	Email         string
	EmailVerified bool
	Name          string
	Image         string
	// Claims are anything else for the JWT callback (roles, groups): the
	// Identity is JWTInput.Profile and SignInInput.Profile.
	Claims map[string]any
}

// credentialsProvider is a configured Credentials with the provider the
// linking rules read.
type credentialsProvider struct {
	*Credentials
	provider *oauth.Provider
}

// checkCredentials checks Config.Credentials against each other and the
// other providers' IDs.
func (c *Config) checkCredentials(seen map[string]bool) []string {
	var problems []string
	for i, p := range c.Credentials {
		if p == nil {
			problems = append(problems, fmt.Sprintf("Credentials[%d] is nil", i))
			continue
		}
		name := fmt.Sprintf("Credentials %q", p.ID)
		switch {
		case !plainSegment(p.ID) || strings.Contains(p.ID, "."):
			// Its route (POST {basePath}/callback/{ID}) is a pattern of its own.
			problems = append(problems, fmt.Sprintf("Credentials[%d]: ID %q is not URL-safe: use letters, digits, dashes and underscores, such as \"credentials\"", i, p.ID))
		case reservedProviderID(p.ID):
			problems = append(problems, fmt.Sprintf("%s: the ID is reserved: %s", name, reservedProviderIDs))
		case seen[p.ID]:
			problems = append(problems, fmt.Sprintf("%s: the ID is another provider's: give each provider its own", name))
		}
		seen[p.ID] = true
		if p.Authorize == nil {
			problems = append(problems, name+": Authorize is required")
		}
		if len(p.Fields) == 0 {
			problems = append(problems, name+": Fields is empty: give the form's inputs, such as username and password")
		}
		fields := map[string]bool{}
		for _, f := range p.Fields {
			switch {
			case f.Name == "" || strings.ContainsAny(f.Name, " \"'<>&"):
				problems = append(problems, fmt.Sprintf("%s: field name %q: use a plain name such as \"username\"", name, f.Name))
			case f.Name == "csrfToken" || f.Name == "callbackUrl" || f.Name == "json":
				problems = append(problems, fmt.Sprintf("%s: field name %q is the form's own: choose another", name, f.Name))
			case fields[f.Name]:
				problems = append(problems, fmt.Sprintf("%s: field %q twice", name, f.Name))
			}
			fields[f.Name] = true
			switch f.Type {
			case "", FieldText, FieldPassword, FieldEmail:
			default:
				problems = append(problems, fmt.Sprintf("%s: field %q: Type %q: use %q, %q or %q", name, f.Name, f.Type, FieldText, FieldPassword, FieldEmail))
			}
		}
		if !fields[p.Identifier] {
			problems = append(problems, fmt.Sprintf("%s: Identifier %q is none of the fields: name the field rate limits count attempts by (the username)", name, p.Identifier))
		}
	}
	return problems
}

// label, inputType and autocomplete are a field's, with the defaults.
func (f CredentialField) label() string {
	if f.Label != "" {
		return f.Label
	}
	return f.Name
}

func (f CredentialField) inputType() string {
	if f.Type == "" {
		return FieldText
	}
	return f.Type
}

func (f CredentialField) autocomplete() string {
	switch {
	case f.Autocomplete != "":
		return f.Autocomplete
	case f.Type == FieldPassword:
		return "current-password"
	case f.Type == FieldEmail:
		return "email"
	}
	return "username"
}

// credentialsPath is a credentials provider's route, relative to the base
// path (Auth.js's).
func credentialsPath(id string) string { return "/callback/" + id }

// normalizeIdentifier is what LimitCredentials counts: the identifier
// trimmed and lower-cased, so "Alice " and "alice" share a count.
func normalizeIdentifier(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// credentialsLimitLabel labels the key of LimitCredentials's keyed hash.
const credentialsLimitLabel = "ratelimit-credentials"

// identifierKey is the LimitCredentials key of an identifier: an HMAC
// under a key derived from the key set, so the limiter's store holds no
// usernames.
func (a *Auth) identifierKey(provider, identifier string) string {
	keys := a.cfg.Keys.Derive(credentialsLimitLabel, a.cfg.Now())
	var key []byte
	if len(keys) > 0 {
		key = keys[0]
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(provider))
	m.Write([]byte{0})
	m.Write([]byte(normalizeIdentifier(identifier)))
	return provider + " " + hex.EncodeToString(m.Sum(nil)[:16])
}

// handleCredentials signs in with a credentials provider: POST
// /callback/{id}.
func (a *Auth) handleCredentials(cp *credentialsProvider) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rq := a.newRequest(w, r)
		if err := a.checkCSRF(rq); err != nil {
			a.fail(w, rq, CodeMissingCSRF, err)
			return
		}
		client, ok := a.client(rq)
		if !ok {
			return
		}
		in := CredentialsInput{Provider: cp.ID, Fields: make(map[string]string, len(cp.Fields)), Request: r}
		for _, f := range cp.Fields {
			in.Fields[f.Name] = rq.body.Get(f.Name)
		}
		if !a.allow(rq, CodeCredentialsSignin,
			ratelimit.Event{Limit: LimitSignInPerClient, Key: client},
			ratelimit.Event{Limit: LimitCredentials, Key: a.identifierKey(cp.ID, in.Fields[cp.Identifier])}) {
			return
		}
		a.rememberCallbackURL(rq, a.callbackURL(rq))
		id, err := a.authorize(rq, cp, in)
		switch {
		case errors.Is(err, ErrCredentials):
			a.refuseCredentials(rq, cp)
			return
		case err != nil:
			a.log.ErrorContext(r.Context(), "authgen: credentials sign-in: the backend failed", "provider", cp.ID, "outcome", "unavailable", "error", err)
			a.credentialsUnavailable(rq)
			return
		}
		a.log.InfoContext(r.Context(), "authgen: credentials sign-in", "provider", cp.ID, "outcome", "ok")
		res := &oauth.Result{
			User:    &oauth.User{ID: id.ID, Name: id.Name, Email: id.Email, EmailVerified: id.EmailVerified, Image: id.Image},
			Profile: id,
		}
		a.completeSignIn(rq, cp.provider, res)
	}
}

// authorize runs Authorize, turning what it returns into an Identity or
// an error: ErrCredentials for a refusal (a nil Identity too, or an
// over-long field), the backend's error otherwise — a panic included.
func (a *Auth) authorize(rq *request, cp *credentialsProvider, in CredentialsInput) (id *Identity, err error) {
	for _, v := range in.Fields {
		if len(v) > maxFieldBytes || !utf8.ValidString(v) {
			return nil, fmt.Errorf("%w: a field is over %d bytes or not UTF-8", ErrCredentials, maxFieldBytes)
		}
	}
	defer func() {
		if p := recover(); p != nil {
			id, err = nil, fmt.Errorf("server: credentials %q: Authorize panicked: %v", cp.ID, p)
		}
	}()
	id, err = cp.Authorize(rq.r.Context(), in)
	switch {
	case err != nil:
		return nil, err
	case id == nil:
		return nil, ErrCredentials
	case id.ID == "":
		return nil, fmt.Errorf("server: credentials %q: Authorize returned an Identity without ID: set Identity.ID to the user's stable key", cp.ID)
	}
	return id, nil
}

// refuseCredentials answers a refused attempt, the same whatever the
// reason: 401 {"url", "error"} for a JSON client, else a redirect to the
// sign-in page with ?error=CredentialsSignin&provider=<id> (Pages.SignIn
// when set). Under ErrorCodesV5, as @auth/core: the sign-in page with
// ?error=CredentialsSignin&code=credentials, and 200 {"url"} for a JSON
// client.
func (a *Auth) refuseCredentials(rq *request, cp *credentialsProvider) {
	a.log.InfoContext(rq.r.Context(), "authgen: credentials sign-in", "provider", cp.ID, "outcome", "refused")
	if a.cfg.ErrorCodes == ErrorCodesV5 {
		target := a.pageURL(rq, a.cfg.Pages.SignIn, "/signin", url.Values{"error": {string(CodeCredentialsSignin)}, "code": {"credentials"}})
		rq.redirectTo(target, http.StatusOK)
		return
	}
	target := a.pageURL(rq, a.cfg.Pages.SignIn, "/signin", url.Values{"error": {string(CodeCredentialsSignin)}, "provider": {cp.ID}})
	if rq.jsonResponse {
		writeJSON(rq.w, http.StatusUnauthorized, map[string]string{"url": target, "error": string(CodeCredentialsSignin)})
		return
	}
	http.Redirect(rq.w, rq.r, target, http.StatusFound)
}

// credentialsUnavailable answers an attempt the backend could not check:
// 503 {"url", "error"} for a JSON client, else the error page with
// ?error=CredentialsUnavailable (503). Under ErrorCodesV5 it is
// Configuration, as @auth/core answers an Authorize that throws: 200
// {"url"} for a JSON client, else the error page (500).
func (a *Auth) credentialsUnavailable(rq *request) {
	if a.cfg.ErrorCodes == ErrorCodesV5 {
		rq.redirectTo(a.pageURL(rq, a.cfg.Pages.Error, "/error", url.Values{"error": {string(CodeConfiguration)}}), http.StatusOK)
		return
	}
	target := a.pageURL(rq, a.cfg.Pages.Error, "/error", url.Values{"error": {string(CodeCredentialsUnavailable)}})
	if rq.jsonResponse {
		writeJSON(rq.w, http.StatusServiceUnavailable, map[string]string{"url": target, "error": string(CodeCredentialsUnavailable)})
		return
	}
	http.Redirect(rq.w, rq.r, target, http.StatusFound)
}

// credentialsPage is a credentials provider's form on the sign-in page.
type credentialsPage struct {
	ID, Name, Action string
	Fields           []credentialsInput
}

// credentialsInput is one input of credentialsPage.
type credentialsInput struct {
	Name, Label, Type, Autocomplete string
}

// credentialsForms are the sign-in page's credentials forms.
func (a *Auth) credentialsForms(rq *request) []credentialsPage {
	var out []credentialsPage
	for _, c := range a.cfg.Credentials {
		f := credentialsPage{ID: c.ID, Name: c.Name, Action: rq.apiURL(a, credentialsPath(c.ID))}
		if f.Name == "" {
			f.Name = c.ID
		}
		for _, fd := range c.Fields {
			f.Fields = append(f.Fields, credentialsInput{Name: fd.Name, Label: fd.label(), Type: fd.inputType(), Autocomplete: fd.autocomplete()})
		}
		out = append(out, f)
	}
	return out
}
