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
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// File is the manifest's name at the module root.
const File = "authgen.yaml"

// Databases and session choices.
const (
	DBNone     = "none"
	DBSQLite   = "sqlite"
	DBPostgres = "postgres"
	DBMySQL    = "mysql"

	StrategyJWT      = "jwt"
	StrategyDatabase = "database"

	TokenSigned    = "signed"
	TokenEncrypted = "encrypted"
)

// Databases lists the database choices that exist, in the order the form
// shows them.
var Databases = []string{DBSQLite, DBPostgres, DBMySQL, DBNone}

// DefaultTablePrefix starts authgen's table names.
const DefaultTablePrefix = "auth_"

// ErrInvalid reports a manifest that cannot be generated from.
var ErrInvalid = errors.New("manifest: invalid")

// Manifest is the decoded authgen.yaml.
type Manifest struct {
	Version int `yaml:"version"`
	// Package is the Go package (and directory) the auth code goes in.
	Package      string     `yaml:"package"`
	BasePath     string     `yaml:"basePath"`
	CookiePrefix string     `yaml:"cookiePrefix"`
	Database     string     `yaml:"database"`
	TablePrefix  string     `yaml:"tablePrefix,omitempty"`
	Session      Session    `yaml:"session"`
	Providers    []Provider `yaml:"providers"`

	doc *yaml.Node
}

// Session holds the session choices.
type Session struct {
	Strategy string `yaml:"strategy"`
	Token    string `yaml:"token"`
}

// Provider is one configured provider.
type Provider struct {
	// ID is the provider's id in URLs and variable names.
	ID string `yaml:"id"`
	// Kind is the catalog entry; empty means the same as ID.
	Kind    string `yaml:"kind,omitempty"`
	Issuer  string `yaml:"issuer,omitempty"`
	BaseURL string `yaml:"baseUrl,omitempty"`
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
%ssession:
  # jwt keeps the session in a cookie; database keeps it in the database.
  strategy: %s
  # signed (JWS HS512) or encrypted (JWE dir+A256GCM) session tokens.
  token: %s
providers:
`, strings.Join(Databases, ", "), c.Database, prefixLine(c.Database), c.Strategy, c.Token)
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

// Prefix returns the table prefix, defaulted.
func (m *Manifest) Prefix() string {
	if m.TablePrefix == "" {
		return DefaultTablePrefix
	}
	return m.TablePrefix
}

// Parse decodes and validates a manifest.
func Parse(data []byte) (*Manifest, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	m := &Manifest{}
	if err := doc.Decode(m); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	m.doc = &doc
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// Read parses the manifest file at path.
func Read(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	m, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

var (
	identRE = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	idRE    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
)

// Validate checks the manifest's values.
func (m *Manifest) Validate() error {
	var problems []string
	if m.Version != 1 {
		problems = append(problems, fmt.Sprintf("version %d is not supported (want 1)", m.Version))
	}
	if !identRE.MatchString(m.Package) {
		problems = append(problems, fmt.Sprintf("package %q must be a lower-case Go identifier", m.Package))
	}
	if !strings.HasPrefix(m.BasePath, "/") || strings.HasSuffix(m.BasePath, "/") || strings.ContainsAny(m.BasePath, " ?#{}") {
		problems = append(problems, fmt.Sprintf("basePath %q must start with / and not end with /", m.BasePath))
	}
	if !regexp.MustCompile(`^[A-Za-z0-9_-]+$`).MatchString(m.CookiePrefix) {
		problems = append(problems, fmt.Sprintf("cookiePrefix %q may only hold letters, digits, - and _", m.CookiePrefix))
	}
	if !slices.Contains(Databases, m.Database) {
		problems = append(problems, fmt.Sprintf("database %q is not one of %s", m.Database, strings.Join(Databases, ", ")))
	}
	if m.TablePrefix != "" && !regexp.MustCompile(`^[a-z][a-z0-9_]*$`).MatchString(m.TablePrefix) {
		problems = append(problems, fmt.Sprintf("tablePrefix %q may only hold lower-case letters, digits and _", m.TablePrefix))
	}
	if m.Session.Strategy != StrategyJWT && m.Session.Strategy != StrategyDatabase {
		problems = append(problems, fmt.Sprintf("session.strategy %q must be jwt or database", m.Session.Strategy))
	}
	if m.Session.Strategy == StrategyDatabase && m.Database == DBNone {
		problems = append(problems, "session.strategy database needs a database")
	}
	if m.Session.Token != TokenSigned && m.Session.Token != TokenEncrypted {
		problems = append(problems, fmt.Sprintf("session.token %q must be signed or encrypted", m.Session.Token))
	}
	seen := map[string]bool{}
	for _, p := range m.Providers {
		if !idRE.MatchString(p.ID) {
			problems = append(problems, fmt.Sprintf("provider id %q must be lower-case letters, digits and -", p.ID))
		}
		if seen[p.ID] {
			problems = append(problems, fmt.Sprintf("provider %q is listed twice", p.ID))
		}
		seen[p.ID] = true
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	return nil
}

// Bytes encodes the manifest, keeping the comments of the document it was
// parsed from.
func (m *Manifest) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(m.doc); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	return buf.Bytes(), nil
}
