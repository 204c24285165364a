// Package env reads a generated application's configuration from
// environment variables and reports every missing or malformed variable at
// once, with what to do about it.
//
// What the application reads is one table: [ProviderSpec.Vars] for each
// provider and [App.Vars] for the rest, each a [Var] saying what the
// variable holds, whether it is required, its default and where to get its
// value. Reader.Provider requires what the table marks required, and
// authgen derives .env.example, LoadConfig's reads, docs/PROVIDERS.md and
// its commands' next steps from the same table.
//
// [Dotenv] gives LoadConfig a getenv that reads the file .env under the
// environment, and [Reader.DatabaseURL] checks DATABASE_URL against the
// application's database before anything opens it.
package env

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
)

// ErrConfig is wrapped by every error Reader.Err returns.
var ErrConfig = errors.New("configuration incomplete")

// Reader reads variables and collects problems.
type Reader struct {
	getenv   func(string) string
	problems []string
	missing  []string
}

// New returns a reader over getenv (usually os.Getenv).
func New(getenv func(string) string) *Reader { return &Reader{getenv: getenv} }

// String returns the variable's value, or def when it is unset or empty.
func (r *Reader) String(name, def string) string { return cmp.Or(r.getenv(name), def) }

// Bool reads a boolean ("true", "1", …); unset is false.
func (r *Reader) Bool(name string) bool {
	v := r.getenv(name)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.problems = append(r.problems, fmt.Sprintf("%s=%q is not a boolean (use true or false)", name, v))
	}
	return b
}

// Origin reads an absolute http(s) origin, scheme://host[:port] without a
// path, defaulting to def.
func (r *Reader) Origin(name, def string) *url.URL {
	v := r.String(name, def)
	u, err := url.Parse(strings.TrimSuffix(v, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" {
		r.problems = append(r.problems, fmt.Sprintf("%s=%q must be an origin such as https://app.example.com (scheme://host[:port], no path)", name, v))
		return &url.URL{Scheme: "http", Host: "localhost"}
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}
}

// Keys loads the key set (AUTH_KEYS, AUTH_KEYS_FILE, ./authgen.keys.json).
func (r *Reader) Keys() *keys.Set {
	ks, source, err := keys.Load(r.getenv)
	switch {
	case errors.Is(err, keys.ErrNoKeys):
		r.problems = append(r.problems, "no keys: run `authgen keys rotate` in the project to create authgen.keys.json, or set AUTH_KEYS (see `authgen keys export`) or AUTH_KEYS_FILE")
	case err != nil:
		r.problems = append(r.problems, fmt.Sprintf("keys from %s: %v", source, err))
	}
	return ks
}

// Provider is the environment of one provider, AUTH_<ID>_*.
type Provider struct {
	ID               string
	Secret           string
	Issuer           string
	BaseURL          string
	AuthorizationURL string
	TokenURL         string
	UserinfoURL      string
	RequestTokenURL  string
	// TeamID, KeyID and PrivateKey sign client credentials (Apple's
	// client secret, private_key_jwt).
	TeamID     string
	KeyID      string
	PrivateKey string
	// APIKey is an application key the provider's API wants besides the
	// token (AUTH_<ID>_API_KEY).
	APIKey string

	clientSecret    func(time.Time) (string, error)
	clientAssertion func(string, time.Time) (string, error)
}

// Client authentication that needs keys from the environment.
const (
	AuthApple         = "apple"
	AuthPrivateKeyJWT = "private_key_jwt"
)

// ProviderSpec says what a provider needs from the environment; its Vars
// are the variables, and Reader.Provider requires those Vars marks
// required.
type ProviderSpec struct {
	// EnvName is the provider id as in variable names ("GITHUB").
	EnvName string
	// Name is the display name, for messages.
	Name string
	// Console is where to register the OAuth app.
	Console string
	// Docs is the provider's documentation, named in messages when there
	// is no Console.
	Docs string
	// CallbackURL is the redirect URI to register.
	CallbackURL string
	// NeedsIssuer makes AUTH_<ID>_ISSUER required; IssuerExample shows its
	// form.
	NeedsIssuer   bool
	IssuerExample string
	// Issuer is the OpenID Connect issuer used when AUTH_<ID>_ISSUER is
	// unset (the catalog's, or authgen.yaml's), which makes that variable
	// optional.
	Issuer string
	// NeedsEndpoints makes the endpoint URLs required (generic providers);
	// OAuth1 adds the request token URL.
	NeedsEndpoints bool
	OAuth1         bool
	// NeedsBaseURL makes AUTH_<ID>_BASE_URL required (a provider without
	// a default instance).
	NeedsBaseURL bool
	// SelfHosted names what AUTH_<ID>_BASE_URL points the provider at
	// ("GitHub Enterprise Server"); empty when it has no self-hosted
	// variant. BaseURL is the base URL used when the variable is unset
	// (from authgen.yaml).
	SelfHosted string
	BaseURL    string
	// NeedsAPIKey makes AUTH_<ID>_API_KEY required.
	NeedsAPIKey bool
	// ClientAuth is AuthApple or AuthPrivateKeyJWT when the provider signs
	// its client credentials with a private key.
	ClientAuth string
}

// Provider reads the provider's variables, AUTH_<ID>_*, and reports those
// spec.Vars marks required that are unset, with where to get them.
func (r *Reader) Provider(s ProviderSpec) Provider {
	prefix := "AUTH_" + s.EnvName + "_"
	get := func(name string) string { return r.getenv(prefix + name) }
	p := Provider{
		ID:               get("ID"),
		Secret:           get("SECRET"),
		Issuer:           get("ISSUER"), // exact: discovery compares issuers byte for byte
		BaseURL:          strings.TrimSuffix(get("BASE_URL"), "/"),
		AuthorizationURL: get("AUTHORIZATION_URL"),
		TokenURL:         get("TOKEN_URL"),
		UserinfoURL:      get("USERINFO_URL"),
		RequestTokenURL:  get("REQUEST_TOKEN_URL"),
		TeamID:           get("TEAM_ID"),
		KeyID:            get("KEY_ID"),
		PrivateKey:       get("PRIVATE_KEY"),
		APIKey:           get("API_KEY"),
	}
	var missing []Var
	for _, v := range s.Vars() {
		if v.Required && r.getenv(v.Name) == "" {
			missing = append(missing, v)
		}
	}
	if len(missing) > 0 {
		r.problems = append(r.problems, s.problem(missing))
		for _, v := range missing {
			r.missing = append(r.missing, v.Name)
		}
		return p
	}
	var err error
	switch s.ClientAuth {
	case AuthApple:
		p.clientSecret, err = oauth.AppleClientSecret(p.TeamID, p.KeyID, p.ID, []byte(p.PrivateKey))
	case AuthPrivateKeyJWT:
		p.clientAssertion, err = oauth.PrivateKeyJWT(p.ID, p.KeyID, []byte(p.PrivateKey))
	}
	if err != nil {
		r.problems = append(r.problems, fmt.Sprintf("%sPRIVATE_KEY: %v (a PEM private key, the contents of the downloaded .p8 or .pem file)", prefix, err))
	}
	return p
}

// problem says what to do about the provider's missing variables: where
// to register the app, with which callback URL, and for each variable that
// comes from elsewhere or has a form to follow, what it is.
func (s ProviderSpec) problem(missing []Var) string {
	where := s.Where()
	names := make([]string, len(missing))
	for i, v := range missing {
		names[i] = v.Name
	}
	msg := fmt.Sprintf("%s: the %s app's settings; register the app %s with the callback URL %s", strings.Join(names, ", "), s.Name, at(where), s.CallbackURL)
	for _, v := range missing {
		if h := v.Hint(where); h != "" {
			msg += "; " + v.Name + ": " + h
		}
	}
	return msg
}

// Apply sets the credentials, the issuer and the endpoint overrides on p.
func (e Provider) Apply(p *oauth.Provider) {
	p.ClientID, p.ClientSecret, p.APIKey = e.ID, e.Secret, e.APIKey
	p.Issuer = cmp.Or(e.Issuer, p.Issuer)
	p.AuthorizationURL = cmp.Or(e.AuthorizationURL, p.AuthorizationURL)
	p.TokenURL = cmp.Or(e.TokenURL, p.TokenURL)
	p.UserinfoURL = cmp.Or(e.UserinfoURL, p.UserinfoURL)
	p.RequestTokenURL = cmp.Or(e.RequestTokenURL, p.RequestTokenURL)
	if e.clientSecret != nil {
		p.ClientSecretFunc = e.clientSecret
	}
	if e.clientAssertion != nil {
		p.ClientAssertion = e.clientAssertion
	}
}

// Err returns one error listing every problem found, or nil.
func (r *Reader) Err() error {
	if len(r.problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w:\n  - %s", ErrConfig, strings.Join(r.problems, "\n  - "))
}

// Required reads a variable that must be set; example, when not empty,
// shows its form in the message when it is not.
func (r *Reader) Required(name, example string) string {
	v := r.getenv(name)
	if v == "" {
		msg := name + " is required"
		if example != "" {
			msg += fmt.Sprintf(", for example %s=%s", name, example)
		}
		r.problems = append(r.problems, msg)
		r.missing = append(r.missing, name)
	}
	return v
}

// Missing returns the required variables found unset so far, in the order
// they were read; Err explains each.
func (r *Reader) Missing() []string { return slices.Clone(r.missing) }

// Getenv returns the variable as r reads it, for a package that reads
// variables of its own (runtime/ldap's AUTH_LDAP_*) and reports what is
// wrong with them through AddProblems, so that Err lists them with the
// rest.
func (r *Reader) Getenv(name string) string { return r.getenv(name) }

// AddProblems adds problems found in variables read through Getenv to
// Err's list, each a sentence naming its variable and the fix.
func (r *Reader) AddProblems(problems ...string) {
	r.problems = append(r.problems, problems...)
}

// EnvAuthSecret is the secret shared with an Auth.js application.
const EnvAuthSecret = "AUTH_SECRET"

// AuthSecrets reads the secrets shared with an Auth.js application of
// version (5 or 4) as that version reads them, the one that encrypts
// first. Version 5 reads @auth/core's: AUTH_SECRET_3, AUTH_SECRET_2 and
// AUTH_SECRET_1, those that are set, then AUTH_SECRET (required). Like
// @auth/core it does not split a value on commas: a secret may hold any
// character. Version 4 reads AUTH_SECRET alone (next-auth 4's one secret,
// its NEXTAUTH_SECRET).
func (r *Reader) AuthSecrets(version int) []string {
	var out []string
	if version == 5 {
		for _, n := range []string{"_3", "_2", "_1"} {
			if s := r.getenv(EnvAuthSecret + n); s != "" {
				out = append(out, s)
			}
		}
	}
	if s := r.Required(EnvAuthSecret, ""); s != "" {
		out = append(out, s)
	}
	return out
}
