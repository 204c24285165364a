// Package manifest reads and writes authgen.yaml, the human-readable record
// of a project's choices that every authgen command regenerates from.
//
// Edits go through the YAML node tree, so comments and formatting the user
// added survive.
package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/authgen/authgen/runtime/server"
)

// File is the manifest's name at the module root.
const File = "authgen.yaml"

// Databases and session choices.
const (
	DBNone     = "none"
	DBSQLite   = "sqlite"
	DBPostgres = "postgres"
	DBMySQL    = "mysql"
	DBMongoDB  = "mongodb"
	// DBCustom is a store of the user's own (`authgen add adapter custom`).
	DBCustom = "custom"

	// SessionStoreRedis keeps database sessions and verification tokens in
	// Redis, beside the database of users and accounts.
	SessionStoreRedis = "redis"

	StrategyJWT      = "jwt"
	StrategyDatabase = "database"

	TokenSigned    = "signed"
	TokenEncrypted = "encrypted"
)

// Databases lists the database choices that exist, in the order the form
// shows them.
var Databases = []string{DBSQLite, DBPostgres, DBMySQL, DBMongoDB, DBNone}

// The routers the generated wiring is written for (the router key).
const (
	// RouterNetHTTP is the standard library's http.ServeMux with Go 1.22
	// patterns, the default.
	RouterNetHTTP = "nethttp"
	// RouterChi is github.com/go-chi/chi/v5.
	RouterChi = "chi"
	// RouterEcho is github.com/labstack/echo/v4.
	RouterEcho = "echo"
	// RouterGin is github.com/gin-gonic/gin.
	RouterGin = "gin"
)

// Routers lists the values of router, the default first, in the order the
// form shows them.
var Routers = []string{RouterNetHTTP, RouterChi, RouterEcho, RouterGin}

// RouterOrDefault returns the router, RouterNetHTTP when router is absent.
func (m *Manifest) RouterOrDefault() string {
	if m.Router == "" {
		return RouterNetHTTP
	}
	return m.Router
}

// The values of twoFactor, the runtime's server.TwoFactorMode values.
const (
	TwoFactorOff      = string(server.TwoFactorOff)
	TwoFactorOptional = string(server.TwoFactorOptional)
	TwoFactorRequired = string(server.TwoFactorRequired)
)

// TwoFactorModes lists the values of twoFactor, the default first.
var TwoFactorModes = []string{TwoFactorOff, TwoFactorOptional, TwoFactorRequired}

// TwoFactorOn reports whether two-factor sign-in is on (twoFactor is
// optional or required).
func (m *Manifest) TwoFactorOn() bool {
	return m.TwoFactor != "" && m.TwoFactor != TwoFactorOff
}

// DefaultTablePrefix starts authgen's table names.
const DefaultTablePrefix = "auth_"

// ErrInvalid reports a manifest that cannot be generated from.
var ErrInvalid = errors.New("manifest: invalid")

// Manifest is the decoded authgen.yaml. Its keys are described by Fields
// (and docs/MANIFEST.md, generated from them).
type Manifest struct {
	Version int `yaml:"version"`
	// Package is the Go package (and directory) the auth code goes in.
	Package      string `yaml:"package"`
	BasePath     string `yaml:"basePath"`
	CookiePrefix string `yaml:"cookiePrefix"`
	// CookieDomain shares the session cookie with the domain and its
	// subdomains; empty for host-only cookies.
	CookieDomain string `yaml:"cookieDomain,omitempty"`
	Database     string `yaml:"database"`
	TablePrefix  string `yaml:"tablePrefix,omitempty"`
	// Router is the router the generated wiring and the demo main.go are
	// written for: one of Routers; empty for RouterNetHTTP.
	Router    string     `yaml:"router,omitempty"`
	Session   Session    `yaml:"session"`
	Providers []Provider `yaml:"providers"`
	// Theme styles the built-in pages.
	Theme Theme `yaml:"theme,omitempty"`
	// Pages are the application's own pages, used instead of the built-in
	// ones.
	Pages Pages `yaml:"pages,omitempty"`
	// TrustedOrigins may also POST to the auth API.
	TrustedOrigins []string `yaml:"trustedOrigins,omitempty"`
	// HSTS is the max-age of Strict-Transport-Security on https; zero for
	// none.
	HSTS HSTS `yaml:"hsts,omitempty"`
	// EmptySessionObject answers {} instead of null for no session
	// (next-auth v4 clients).
	EmptySessionObject bool `yaml:"emptySessionObject,omitempty"`
	// Email holds the settings of e-mail sign-in (the provider with id
	// "email").
	Email Email `yaml:"email,omitempty"`
	// RateLimit replaces the runtime's rate limits by name (the keys of
	// server.DefaultRateLimits); absent names keep their default.
	RateLimit map[string]RateLimit `yaml:"rateLimit,omitempty"`
	// TwoFactor says who signs in with a TOTP second factor: one of
	// TwoFactorModes; empty for TwoFactorOff.
	TwoFactor string `yaml:"twoFactor,omitempty"`
	// Passkey holds the settings of passkeys (the provider with id
	// passkey); nil when the passkey key is absent.
	Passkey *Passkey `yaml:"passkey,omitempty"`
	// AuthJS shares sessions with an Auth.js application on the same site;
	// nil when it is absent.
	AuthJS *AuthJS `yaml:"authjs,omitempty"`

	// doc is the node tree of src; edits change both.
	doc *yaml.Node
	// src is the file's text: as parsed, then as edited.
	src []byte
}

// HSTS is the hsts key: the max-age of Strict-Transport-Security, zero for
// none. In YAML it is true (DefaultHSTS), false or a duration.
type HSTS time.Duration

// UnmarshalYAML reads true, false or a duration (checked by the schema).
func (h *HSTS) UnmarshalYAML(n *yaml.Node) error {
	if n.ShortTag() == "!!bool" {
		*h = 0
		if n.Value == "true" {
			*h = HSTS(DefaultHSTS)
		}
		return nil
	}
	d, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("hsts: %w", err)
	}
	*h = HSTS(d)
	return nil
}

// MarshalYAML writes true for DefaultHSTS, else the duration.
func (h HSTS) MarshalYAML() (any, error) {
	switch time.Duration(h) {
	case 0:
		return false, nil
	case DefaultHSTS:
		return true, nil
	}
	return formatDuration(time.Duration(h)), nil
}

// AuthJS is the authjs key: the Auth.js application the sessions are
// shared with.
type AuthJS struct {
	// Version is the Auth.js major version, one of AuthJSVersions.
	Version int `yaml:"version"`
}

// AuthJSVersions are the values of authjs.version.
var AuthJSVersions = []string{"5", "4"}

// AuthJSPrefixes are the cookie prefixes of the Auth.js versions, which
// cookiePrefix may not take with authjs.
var AuthJSPrefixes = map[int]string{5: "authjs", 4: "next-auth"}

// Session holds the session choices.
type Session struct {
	Strategy string `yaml:"strategy"`
	Token    string `yaml:"token"`
	// Store is where database sessions live when not in the database:
	// "redis", or empty.
	Store string `yaml:"store,omitempty"`
	// MaxAge and UpdateAge are the session lifetime and renewal age; zero
	// means the runtime's default.
	MaxAge    time.Duration `yaml:"maxAge,omitempty"`
	UpdateAge time.Duration `yaml:"updateAge,omitempty"`
	// AbsoluteMaxAge is how long a session lasts after sign-in however
	// often it is renewed: nil for the runtime's default, zero for none.
	AbsoluteMaxAge *Duration `yaml:"absoluteMaxAge,omitempty"`
	// Revocation makes JWT sessions revocable, with a record each in the
	// database.
	Revocation bool `yaml:"revocation,omitempty"`
}

// Duration is a Go duration in which zero is a value of its own (0 turns
// session.absoluteMaxAge off), unlike a time.Duration field, whose zero is
// "absent".
type Duration time.Duration

// UnmarshalYAML reads a Go duration, or 0 (checked by the schema).
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("%q: %w", n.Value, err)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes 0, or the duration as a user would (720h).
func (d Duration) MarshalYAML() (any, error) {
	if d == 0 {
		return 0, nil
	}
	return formatDuration(time.Duration(d)), nil
}

// Theme styles the built-in pages; empty fields keep the defaults.
type Theme struct {
	// Brand is a CSS colour for buttons and links.
	Brand string `yaml:"brand,omitempty"`
	// Logo is an https URL or a path on the site.
	Logo string `yaml:"logo,omitempty"`
	// AppName is shown in page titles.
	AppName string `yaml:"appName,omitempty"`
}

// Pages are paths of the application's own pages; empty fields keep the
// built-in page.
type Pages struct {
	SignIn        string `yaml:"signIn,omitempty"`
	SignOut       string `yaml:"signOut,omitempty"`
	Error         string `yaml:"error,omitempty"`
	VerifyRequest string `yaml:"verifyRequest,omitempty"`
	NewUser       string `yaml:"newUser,omitempty"`
}

// Email holds the settings of e-mail sign-in; empty fields keep the
// defaults.
type Email struct {
	// MaxAge is how long a sign-in link and code stay valid; zero for
	// DefaultEmailMaxAge.
	MaxAge time.Duration `yaml:"maxAge,omitempty"`
	// Name is the application's name in the mail; empty for theme.appName
	// (or its default).
	Name string `yaml:"name,omitempty"`
}

// EmailProviderID is the id of e-mail sign-in in providers (the runtime's
// server.EmailProviderID).
const EmailProviderID = "email"

// HasEmail reports whether e-mail sign-in is among the providers.
func (m *Manifest) HasEmail() bool {
	return slices.ContainsFunc(m.Providers, func(p Provider) bool { return p.CatalogID() == EmailProviderID })
}

// The ids of the sign-in forms' providers (catalog.Credentials and
// catalog.LDAP).
const (
	CredentialsProviderID = "credentials"
	LDAPProviderID        = "ldap"
)

// HasLDAP reports whether LDAP sign-in is among the providers.
func (m *Manifest) HasLDAP() bool {
	return slices.ContainsFunc(m.Providers, func(p Provider) bool { return p.CatalogID() == LDAPProviderID })
}

// PasskeyProviderID is the id of passkeys in providers (the runtime's
// server.PasskeyProviderID, the id of their callback route).
const PasskeyProviderID = server.PasskeyProviderID

// Passkey is the passkey key: the settings of passkeys.
type Passkey struct {
	// SignUp lets a visitor without an account sign up with a passkey
	// (server.Config.PasskeySignUp); false: passkeys only attach to
	// signed-in users.
	SignUp bool `yaml:"signup,omitempty"`
}

// HasPasskey reports whether passkeys are among the providers.
func (m *Manifest) HasPasskey() bool {
	return slices.ContainsFunc(m.Providers, func(p Provider) bool { return p.CatalogID() == PasskeyProviderID })
}

// PasskeySignUp reports whether passkeys are on and a visitor may sign up
// with one (passkey.signup).
func (m *Manifest) PasskeySignUp() bool {
	return m.HasPasskey() && m.Passkey != nil && m.Passkey.SignUp
}

// Provider is one configured provider.
type Provider struct {
	// ID is the provider's id in URLs and variable names.
	ID string `yaml:"id"`
	// Kind is the catalog entry; empty means the same as ID.
	Kind string `yaml:"kind,omitempty"`
	// Name replaces the catalog's display name (the sign-in button's
	// text).
	Name    string `yaml:"name,omitempty"`
	Issuer  string `yaml:"issuer,omitempty"`
	BaseURL string `yaml:"baseUrl,omitempty"`
	// Logout also ends the provider's session at sign-out (OpenID Connect
	// RP-initiated logout).
	Logout bool `yaml:"logout,omitempty"`
	// TrustEmail links a sign-in with an unlinked account of this provider
	// to the user with the same e-mail address when the provider reports
	// it verified (oauth.Provider.TrustEmail).
	TrustEmail bool `yaml:"trustEmail,omitempty"`
	// Scopes, when not nil, replace the catalog's.
	Scopes []string `yaml:"scopes,omitempty"`
	// Params are added to the catalog's authorization parameters,
	// replacing those of the same name.
	Params map[string]string `yaml:"params,omitempty"`
	// Labels relabel a sign-in form's fields (credentials, ldap), by
	// field name.
	Labels map[string]string `yaml:"labels,omitempty"`
}

// CatalogID returns the provider's catalog entry id.
func (p Provider) CatalogID() string {
	if p.Kind != "" {
		return p.Kind
	}
	return p.ID
}

// Choices are what `authgen init` asks for.
type Choices struct {
	Providers []string
	Database  string
	Strategy  string
	Token     string
	// SessionStore is "redis" or empty.
	SessionStore string
	// Router is one of Routers; empty (or RouterNetHTTP) writes no router
	// key.
	Router string
}

// New returns the manifest for fresh choices, with explanatory comments.
func New(c Choices) (*Manifest, error) {
	var b strings.Builder
	fmt.Fprintf(&b, `# authgen.yaml records how authgen generates this project's authentication.
# Edit it and run "authgen generate", or use "authgen add provider NAME".
version: 1
# Go package (and directory) of the generated auth code.
package: auth
# Where the auth API (the Auth.js REST API) is served.
basePath: /api/auth
# Cookie names start with this prefix: authgen.session-token, ...
cookiePrefix: authgen
# Where users, accounts and sessions are stored: %s.
database: %s
%s%ssession:
  # jwt keeps the session in a cookie; database keeps it in the database.
  strategy: %s
  # signed (JWS HS512) or encrypted (JWE dir+A256GCM) session tokens.
  token: %s
%sproviders:
`, strings.Join(Databases, ", "), c.Database, prefixLine(c.Database), routerLine(c.Router), c.Strategy, c.Token, storeLine(c.SessionStore))
	for _, p := range c.Providers {
		fmt.Fprintf(&b, "  - id: %s\n", p)
	}
	return Parse([]byte(b.String()))
}

func prefixLine(db string) string {
	if db == DBNone {
		return ""
	}
	return "# authgen's tables are named with this prefix: " + DefaultTablePrefix + "users, ...\ntablePrefix: " + DefaultTablePrefix + "\n"
}

func routerLine(router string) string {
	if router == "" || router == RouterNetHTTP {
		return ""
	}
	return "# The router the generated wiring and the demo main.go are written for: " + strings.Join(Routers, ", ") + ".\nrouter: " + router + "\n"
}

func storeLine(store string) string {
	if store == "" {
		return ""
	}
	return "  # Database sessions and e-mail tokens live in Redis (REDIS_URL).\n  store: " + store + "\n"
}

// Prefix returns the table prefix, defaulted.
func (m *Manifest) Prefix() string {
	if m.TablePrefix == "" {
		return DefaultTablePrefix
	}
	return m.TablePrefix
}

// Parse decodes a manifest and checks it against Fields: unknown keys,
// types, values and the rules between them, every problem reported at once
// with its line in an *Error. The providers are checked against the
// catalog by Validate (which Generate calls), not here, so that a manifest
// naming a provider the catalog no longer has can still be read and edited.
func Parse(data []byte) (*Manifest, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, syntaxError(err)
	}
	m, err := check(&doc, true, false)
	if err != nil {
		return nil, err
	}
	m.doc = &doc
	m.src = bytes.Clone(data)
	return m, nil
}

// Read parses the manifest file at path; an *Error names the file as path.
func Read(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	m, err := Parse(data)
	if e, ok := errors.AsType[*Error](err); ok {
		e.File = path
		return nil, e
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// ValidID reports whether id can name a provider: lower-case letters,
// digits and "-", not starting with "-".
func ValidID(id string) bool { return idRE.MatchString(id) }

// Validate checks the manifest as Parse does and its providers against the
// catalog (each exists; issuer, baseUrl, logout, scopes and params fit its
// protocol). Problems carry the file's lines when the manifest is the one
// parsed (or edited through its methods).
func (m *Manifest) Validate() error {
	doc, lines := m.doc, true
	if doc == nil || !m.matches(doc) {
		var n yaml.Node
		if err := n.Encode(m); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		doc, lines = &n, false
	}
	_, err := check(doc, lines, true)
	return err
}

// matches reports whether the node tree doc holds m's values.
func (m *Manifest) matches(doc *yaml.Node) bool {
	var from Manifest
	return doc.Decode(&from) == nil && sameData(&from, m)
}

// Bytes encodes the manifest, keeping the comments of the document it was
// parsed from. A parsed manifest comes back byte for byte, with the edits of
// AddProvider and RemoveProvider spliced in.
func (m *Manifest) Bytes() ([]byte, error) {
	if m.src != nil {
		return bytes.Clone(m.src), nil
	}
	if m.doc == nil {
		return encode(m)
	}
	return encode(m.doc)
}

func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	return buf.Bytes(), nil
}

// Errors of the provider edits.
var (
	// ErrProviderExists: another entry already has the provider's id.
	ErrProviderExists = errors.New("manifest: provider id already configured")
	// ErrNoProvider: no entry has the id.
	ErrNoProvider = errors.New("manifest: no such provider")
)

// Provider returns the configured provider with the given id.
func (m *Manifest) Provider(id string) (Provider, bool) {
	for _, p := range m.Providers {
		if p.ID == id {
			return p, true
		}
	}
	return Provider{}, false
}

// AddProvider appends p to the providers list. It edits the YAML node tree,
// and the file's text where it can (Bytes), so every comment, blank line and
// the rest of the file stay as they were.
//
// Adding an entry equal to a configured one changes nothing and reports
// false; another entry with p's id is ErrProviderExists.
func (m *Manifest) AddProvider(p Provider) (bool, error) {
	if !idRE.MatchString(p.ID) {
		return false, fmt.Errorf("%w: provider id %q must be lower-case letters, digits and -", ErrInvalid, p.ID)
	}
	if p.Kind == p.ID {
		p.Kind = ""
	}
	if p.Kind != "" && !idRE.MatchString(p.Kind) {
		return false, fmt.Errorf("%w: provider kind %q must be lower-case letters, digits and -", ErrInvalid, p.Kind)
	}
	if have, ok := m.Provider(p.ID); ok {
		if have.CatalogID() == p.CatalogID() && have.Issuer == p.Issuer && have.BaseURL == p.BaseURL {
			return false, nil
		}
		return false, fmt.Errorf("%w: %s (%s)", ErrProviderExists, p.ID, have.describe())
	}
	doc, src, err := m.tree()
	if err != nil {
		return false, err
	}
	root := doc.Content[0]
	key, seq := providersNodes(root)
	var text []byte
	if seq != nil {
		text, _ = spliceAdd(src, key, seq, p)
	}
	item := providerNode(p)
	switch {
	case seq == nil:
		root.Content = append(root.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "providers"},
			&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{item}})
	case seq.Kind == yaml.SequenceNode:
		if len(seq.Content) == 0 {
			seq.Style &^= yaml.FlowStyle
		}
		seq.Content = append(seq.Content, item)
	default: // null
		*seq = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{item},
			HeadComment: seq.HeadComment, LineComment: seq.LineComment, FootComment: seq.FootComment}
	}
	if err := m.commit(doc, text); err != nil {
		return false, err
	}
	return true, nil
}

// spliceRemoveKey removes the top-level key and its value's lines from src;
// false when src is not a mapping. Comments after the value stay.
func spliceRemoveKey(src []byte, key string) ([]byte, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, false
	}
	lines := textLines(src)
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != key {
			continue
		}
		start, until := root.Content[i].Line, len(lines)+1
		if i+2 < len(root.Content) {
			until = root.Content[i+2].Line
		}
		end := start
		for j := start + 1; j < until; j++ {
			if isContent(lines[j-1]) {
				end = j
			}
		}
		return []byte(strings.Join(slices.Concat(lines[:start-1], lines[end:]), "")), true
	}
	return src, true
}

// RemoveProvider removes the provider with the given id, with the comments
// written above and beside its entry, and returns it. Removing passkeys
// also removes their passkey: settings, which need them.
func (m *Manifest) RemoveProvider(id string) (Provider, error) {
	removed, ok := m.Provider(id)
	if !ok {
		return Provider{}, fmt.Errorf("%w: %q", ErrNoProvider, id)
	}
	doc, src, err := m.tree()
	if err != nil {
		return Provider{}, err
	}
	key, seq := providersNodes(doc.Content[0])
	idx := -1
	if seq != nil && seq.Kind == yaml.SequenceNode {
		for i, item := range seq.Content {
			var p Provider
			if item.Decode(&p) == nil && p.ID == id {
				idx = i
				break
			}
		}
	}
	if idx < 0 {
		return Provider{}, fmt.Errorf("%w: %q is not an entry of providers", ErrNoProvider, id)
	}
	text, _ := spliceRemove(src, key, seq, idx)
	seq.Content = slices.Delete(seq.Content, idx, idx+1)
	if len(seq.Content) == 0 {
		seq.Style |= yaml.FlowStyle
	}
	if removed.CatalogID() == PasskeyProviderID {
		// The passkey: settings go with the provider, which they need.
		root := doc.Content[0]
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "passkey" {
				root.Content = slices.Delete(root.Content, i, i+2)
				break
			}
		}
		if text != nil {
			text, _ = spliceRemoveKey(text, "passkey")
		}
	}
	if err := m.commit(doc, text); err != nil {
		return Provider{}, err
	}
	return removed, nil
}

// SetDatabase sets database to db, one of Databases or DBCustom, and
// reports whether that changed the manifest. Like AddProvider it edits the
// value in place, so the comments above and beside it and the rest of the
// file stay as they were. The session choices are left alone: a result
// that does not validate (database none with strategy database) is
// ErrInvalid, and the manifest is unchanged.
func (m *Manifest) SetDatabase(db string) (bool, error) {
	if !slices.Contains(Databases, db) && db != DBCustom {
		return false, fmt.Errorf("%w: database %q is not one of %s, %s", ErrInvalid, db, strings.Join(Databases, ", "), DBCustom)
	}
	if m.Database == db {
		return false, nil
	}
	return true, m.setTopScalar("database", db)
}

// setTopScalar sets the top-level key to v, a plain word, in the file's
// text: the value is replaced in place (in its quotes, with its comments)
// or the key is appended.
func (m *Manifest) setTopScalar(key, v string) error {
	doc, src, err := m.tree()
	if err != nil {
		return err
	}
	root := doc.Content[0]
	var value *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == key {
			value = root.Content[i+1]
		}
	}
	var text []byte
	if value == nil {
		root.Content = append(root.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v})
	} else {
		text, _ = spliceScalar(src, value, v)
		style := value.Style & (yaml.SingleQuotedStyle | yaml.DoubleQuotedStyle)
		*value = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v, Style: style,
			HeadComment: value.HeadComment, LineComment: value.LineComment, FootComment: value.FootComment}
	}
	return m.commit(doc, text)
}

// spliceScalar replaces the text of the scalar value with v, a plain word,
// in the value's quotes if it has them.
func spliceScalar(src []byte, value *yaml.Node, v string) ([]byte, bool) {
	lines := textLines(src)
	if value.Kind != yaml.ScalarNode || value.Line < 1 || value.Line > len(lines) {
		return nil, false
	}
	line := lines[value.Line-1]
	col := value.Column - 1
	quote := ""
	switch {
	case value.Style&yaml.DoubleQuotedStyle != 0:
		quote = `"`
	case value.Style&yaml.SingleQuotedStyle != 0:
		quote = "'"
	case value.Style != 0:
		return nil, false
	}
	old := quote + value.Value + quote
	if col < 0 || col > len(line) || !strings.HasPrefix(line[col:], old) {
		return nil, false
	}
	lines[value.Line-1] = line[:col] + quote + v + quote + line[col+len(old):]
	return []byte(strings.Join(lines, "")), true
}

func (p Provider) describe() string {
	parts := []string{"kind " + p.CatalogID()}
	if p.Issuer != "" {
		parts = append(parts, "issuer "+p.Issuer)
	}
	if p.BaseURL != "" {
		parts = append(parts, "baseUrl "+p.BaseURL)
	}
	return strings.Join(parts, ", ")
}

// tree returns the manifest's text and a fresh node tree of it to edit, so
// a failed edit leaves the manifest as it was.
func (m *Manifest) tree() (*yaml.Node, []byte, error) {
	src := m.src
	if src == nil {
		var err error
		if src, err = m.Bytes(); err != nil {
			return nil, nil, err
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, nil, fmt.Errorf("manifest: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("%w: not a mapping", ErrInvalid)
	}
	return &doc, src, nil
}

// commit makes the edited node tree doc the manifest: text, the file with
// the edit spliced in, when it decodes to what the tree holds; else the tree
// encoded. The manifest is then parsed again from its new text.
func (m *Manifest) commit(doc *yaml.Node, text []byte) error {
	var want Manifest
	if err := doc.Decode(&want); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	if text != nil {
		if got, err := Parse(text); err != nil || !sameData(got, &want) {
			text = nil
		}
	}
	if text == nil {
		var err error
		if text, err = encode(doc); err != nil {
			return err
		}
	}
	again, err := Parse(text)
	if err != nil {
		return err
	}
	*m = *again
	return nil
}

// sameData reports whether two manifests hold the same values.
func sameData(a, b *Manifest) bool {
	x, y := *a, *b
	x.doc, x.src, y.doc, y.src = nil, nil, nil, nil
	return reflect.DeepEqual(x, y)
}

// providersNodes finds the providers key and its value in the document's
// mapping; both nil when absent.
func providersNodes(root *yaml.Node) (key, value *yaml.Node) {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "providers" {
			return root.Content[i], root.Content[i+1]
		}
	}
	return nil, nil
}

// providerNode is p as a block mapping of its set fields, in the
// manifest's order.
func providerNode(p Provider) *yaml.Node {
	n := &yaml.Node{}
	if err := n.Encode(p); err != nil || n.Kind != yaml.MappingNode {
		// A Provider always encodes; keep the id at least.
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
			{Kind: yaml.ScalarNode, Tag: "!!str", Value: "id"}, {Kind: yaml.ScalarNode, Tag: "!!str", Value: p.ID}}}
	}
	n.Style = 0
	return n
}

// The text splices below edit the file line by line at the positions the
// parser recorded, for block sequences of block mappings ("- id: github"),
// the form authgen writes. Anything else is left to the encoder.

// textLines splits src into lines that keep their "\n".
func textLines(src []byte) []string {
	lines := strings.SplitAfter(string(src), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func indentOf(line string) int { return len(line) - len(strings.TrimLeft(line, " ")) }

// isContent reports whether a line holds more than blanks and a comment.
func isContent(line string) bool {
	t := strings.TrimSpace(line)
	return t != "" && !strings.HasPrefix(t, "#")
}

// blockItems checks that seq is a block sequence whose items are block
// mappings each starting on its dash's line, and returns the dash column
// (0-based).
func blockItems(lines []string, seq *yaml.Node) (int, bool) {
	if seq.Kind != yaml.SequenceNode || seq.Style&yaml.FlowStyle != 0 || len(seq.Content) == 0 {
		return 0, false
	}
	dash := seq.Column - 1
	for _, item := range seq.Content {
		if item.Kind != yaml.MappingNode || item.Style&yaml.FlowStyle != 0 || item.Line < 1 || item.Line > len(lines) {
			return 0, false
		}
		line := lines[item.Line-1]
		if indentOf(line) != dash || !strings.HasPrefix(line[dash:], "-") || item.Column-1 <= dash {
			return 0, false
		}
	}
	return dash, true
}

// lastContent returns the last content line (1-based) from from up to, not
// including, until or the first content line indented no more than dash.
func lastContent(lines []string, from, until, dash int) int {
	last := from
	for n := from + 1; n < until && n <= len(lines); n++ {
		if !isContent(lines[n-1]) {
			continue
		}
		if indentOf(lines[n-1]) <= dash {
			break
		}
		last = n
	}
	return last
}

// scalarText renders a scalar node as YAML, quoted when it needs to be.
func scalarText(n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		return "", false
	}
	out, err := yaml.Marshal(n)
	text := strings.TrimSuffix(string(out), "\n")
	return text, err == nil && !strings.Contains(text, "\n")
}

// itemText renders p as sequence item lines; false when a field is not a
// scalar (scopes, params), which the encoder then writes.
func itemText(p Provider, dash, keyCol int) (string, bool) {
	var b strings.Builder
	n := providerNode(p)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i].Value
		v, ok := scalarText(n.Content[i+1])
		if !ok {
			return "", false
		}
		if i == 0 {
			b.WriteString(strings.Repeat(" ", dash) + "-" + strings.Repeat(" ", keyCol-dash-1))
		} else {
			b.WriteString(strings.Repeat(" ", keyCol))
		}
		b.WriteString(key + ": " + v + "\n")
	}
	return b.String(), true
}

// spliceAdd inserts p's entry after the last entry, or right after the
// providers key when the list is empty ("providers: []" or "providers:").
func spliceAdd(src []byte, key, seq *yaml.Node, p Provider) ([]byte, bool) {
	lines := textLines(src)
	var at int // insert after this line (1-based)
	var item string
	if dash, ok := blockItems(lines, seq); ok {
		last := seq.Content[len(seq.Content)-1]
		at = lastContent(lines, last.Line, len(lines)+1, dash)
		if item, ok = itemText(p, dash, last.Column-1); !ok {
			return nil, false
		}
	} else {
		// An empty list on the key's line: drop "[]" (or nothing, for null)
		// and start a block sequence indented under the key.
		if len(seq.Content) != 0 || key.Line < 1 || key.Line > len(lines) || seq.Line != key.Line {
			return nil, false
		}
		line := lines[key.Line-1]
		head := line[:min(seq.Column-1, len(line))]
		rest := line[len(head):]
		switch {
		case seq.Kind == yaml.SequenceNode && strings.HasPrefix(rest, "[]"):
			rest = rest[2:]
		case seq.Kind == yaml.ScalarNode && seq.Tag == "!!null" && !isContent(rest):
		default:
			return nil, false
		}
		lines[key.Line-1] = strings.TrimRight(head, " ") + rest
		at = key.Line
		dash := key.Column - 1 + 2
		if item, ok = itemText(p, dash, dash+2); !ok {
			return nil, false
		}
	}
	eol := "\n"
	if strings.HasSuffix(lines[at-1], "\r\n") {
		eol = "\r\n"
		item = strings.ReplaceAll(item, "\n", eol)
	}
	if !strings.HasSuffix(lines[at-1], "\n") {
		lines[at-1] += eol
	}
	out := slices.Concat(lines[:at], []string{item}, lines[at:])
	return []byte(strings.Join(out, "")), true
}

// spliceRemove deletes entry idx: its lines and the comments the parser
// attached to it (the ones right above it and beside it).
func spliceRemove(src []byte, key, seq *yaml.Node, idx int) ([]byte, bool) {
	lines := textLines(src)
	dash, ok := blockItems(lines, seq)
	if !ok {
		return nil, false
	}
	item := seq.Content[idx]
	until := len(lines) + 1
	if idx+1 < len(seq.Content) {
		until = seq.Content[idx+1].Line
	}
	start, end := item.Line, lastContent(lines, item.Line, until, dash)
	comments := map[string]bool{}
	collectComments(item, comments)
	for start-1 > key.Line && !isContent(lines[start-2]) && comments[strings.TrimSpace(lines[start-2])] {
		start--
	}
	for end+1 < until && end+1 <= len(lines) && !isContent(lines[end]) && comments[strings.TrimSpace(lines[end])] {
		end++
	}
	out := slices.Concat(lines[:start-1], lines[end:])
	if len(seq.Content) == 1 {
		// The list is now empty: say so on the key's line.
		line := out[key.Line-1]
		body, nl := strings.CutSuffix(line, "\n")
		body, cr := strings.CutSuffix(body, "\r")
		code, comment, _ := strings.Cut(body, "#")
		if strings.TrimSpace(code) != "providers:" {
			return nil, false
		}
		code = strings.TrimRight(code, " ") + " []"
		if comment != "" {
			code += " #" + comment
		}
		if cr {
			code += "\r"
		}
		if nl {
			code += "\n"
		}
		out[key.Line-1] = code
	}
	return []byte(strings.Join(out, "")), true
}

// collectComments gathers the comment lines attached to n and its children.
func collectComments(n *yaml.Node, into map[string]bool) {
	for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
		for _, line := range strings.Split(c, "\n") {
			if t := strings.TrimSpace(line); t != "" {
				into[t] = true
			}
		}
	}
	for _, child := range n.Content {
		collectComments(child, into)
	}
}
