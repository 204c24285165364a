package ldap

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
)

// Directory selects the defaults of a [Config] for a kind of directory
// server: its filter and the attributes that hold a user's id, e-mail
// address, name and groups.
type Directory string

const (
	// OpenLDAP is an OpenLDAP (or 389, or any RFC 4519 directory of
	// inetOrgPerson entries): filter (uid={username}), id entryUUID (uid
	// when absent), mail, displayName or cn, groups from memberOf and from
	// the groupOfNames / groupOfUniqueNames entries that list the user.
	OpenLDAP Directory = "openldap"
	// ActiveDirectory is Microsoft Active Directory (or Samba AD): filter
	// (sAMAccountName={username}), id objectGUID (sAMAccountName when
	// absent), mail, displayName or cn, groups from memberOf.
	ActiveDirectory Directory = "activedirectory"
)

// UsernamePlaceholder is what a [Config.Filter] holds where the username
// goes; the username is escaped ([goldap.EscapeFilter]) before it replaces
// the placeholder, so it can only ever be a value, never filter syntax.
const UsernamePlaceholder = "{username}"

// DNPlaceholder is what a [Config.GroupFilter] holds where the user's DN
// goes, escaped like the username.
const DNPlaceholder = "{dn}"

// DefaultTimeout bounds each dial and each request when [Config.Timeout]
// is zero.
const DefaultTimeout = 10 * time.Second

// DefaultPoolSize is how many service connections an [Authenticator] keeps
// open when [Config.PoolSize] is zero.
const DefaultPoolSize = 4

// maxUsername and maxPassword bound what Authenticate sends to the server;
// longer input is refused as invalid credentials without a request.
const (
	maxUsername = 256
	maxPassword = 1024
)

// Config says how an [Authenticator] reaches the directory and reads a
// user from it. Only URL and BaseDN are required; [Config.Directory] picks
// the defaults of the rest.
type Config struct {
	// URL is the server: ldaps://host[:636] (TLS from the first byte) or
	// ldap://host[:389], which always upgrades with StartTLS and fails when
	// the server does not offer it. ldap://…?starttls=false sends passwords
	// in clear text and is accepted only for a loopback host (a server on
	// the same machine, or a test).
	URL string
	// BindDN and BindPassword are the service account that searches for
	// the user; both empty searches anonymously.
	BindDN, BindPassword string
	// BaseDN is where the search for users starts (the whole subtree).
	BaseDN string
	// Directory picks the defaults below; empty is OpenLDAP.
	Directory Directory
	// Filter finds a user by name; it holds {username} once or more, such
	// as (&(objectClass=person)(uid={username})). Default (uid={username})
	// for OpenLDAP, (sAMAccountName={username}) for Active Directory.
	Filter string
	// CAFile is a PEM file of the certificate authorities that sign the
	// server's certificate; empty trusts the system pool (or RootCAs).
	CAFile string
	// RootCAs, when set, is used instead of CAFile.
	RootCAs *x509.CertPool
	// IDAttributes is where User.ID comes from: the first of them the
	// entry has. Default entryUUID, uid (OpenLDAP) or objectGUID,
	// sAMAccountName (Active Directory). A 16-byte objectGUID becomes its
	// canonical string form.
	IDAttributes []string
	// EmailAttributes is where User.Email comes from; default mail.
	EmailAttributes []string
	// NameAttributes is where User.Name comes from; default displayName,
	// cn.
	NameAttributes []string
	// GroupAttribute is the user's attribute listing the DNs of its
	// groups; default memberOf.
	GroupAttribute string
	// GroupFilter, when set, also searches under BaseDN for the groups
	// that list the user, {dn} standing for the user's DN. Default
	// (|(&(objectClass=groupOfNames)(member={dn}))(&(objectClass=groupOfUniqueNames)(uniqueMember={dn})))
	// for OpenLDAP, none for Active Directory (memberOf is always there).
	GroupFilter string
	// Attributes lists more attributes to read into User.Attributes.
	Attributes []string
	// Timeout bounds each dial and each request (a shorter context
	// deadline wins); default DefaultTimeout.
	Timeout time.Duration
	// PoolSize is how many service connections are kept open; default
	// DefaultPoolSize.
	PoolSize int
	// Logger receives what an operator should see (a filter matching
	// several entries, a connection replaced); default slog.Default().
	// Passwords are never logged.
	Logger *slog.Logger
}

// Variable is one environment variable [FromEnv] reads: the one table its
// reading, its errors and the documentation come from.
type Variable struct {
	// Name is the variable, such as AUTH_LDAP_URL.
	Name string
	// Description says what it holds, without a final period.
	Description string
	// Required makes FromEnv fail without it.
	Required bool
	// Default is what an unset variable means, or "".
	Default string
	// Example shows the value's form.
	Example string
}

// The environment variables FromEnv reads.
const (
	EnvURL            = "AUTH_LDAP_URL"
	EnvBindDN         = "AUTH_LDAP_BIND_DN"
	EnvBindPassword   = "AUTH_LDAP_BIND_PASSWORD"
	EnvBaseDN         = "AUTH_LDAP_BASE_DN"
	EnvFilter         = "AUTH_LDAP_FILTER"
	EnvCAFile         = "AUTH_LDAP_CA_FILE"
	EnvDirectory      = "AUTH_LDAP_DIRECTORY"
	EnvIDAttribute    = "AUTH_LDAP_ID_ATTRIBUTE"
	EnvEmailAttribute = "AUTH_LDAP_EMAIL_ATTRIBUTE"
	EnvNameAttribute  = "AUTH_LDAP_NAME_ATTRIBUTE"
	EnvGroupAttribute = "AUTH_LDAP_GROUP_ATTRIBUTE"
	EnvGroupFilter    = "AUTH_LDAP_GROUP_FILTER"
	EnvTimeout        = "AUTH_LDAP_TIMEOUT"
)

// Vars lists every variable FromEnv reads, required ones first.
func Vars() []Variable {
	return []Variable{
		{Name: EnvURL, Description: "LDAP server: ldaps://, or ldap:// upgraded with StartTLS", Required: true, Example: "ldaps://ldap.example.com"},
		{Name: EnvBaseDN, Description: "where the search for users starts", Required: true, Example: "ou=people,dc=example,dc=com"},
		{Name: EnvBindDN, Description: "service account that searches for users; unset searches anonymously", Example: "cn=authgen,ou=services,dc=example,dc=com"},
		{Name: EnvBindPassword, Description: "the service account's password"},
		{Name: EnvDirectory, Description: "kind of directory, which picks the defaults below: openldap or activedirectory", Default: string(OpenLDAP)},
		{Name: EnvFilter, Description: "search filter finding a user, {username} standing for the escaped username", Default: "(uid={username}), or (sAMAccountName={username}) for activedirectory"},
		{Name: EnvCAFile, Description: "PEM file of the certificate authorities of the server's certificate", Default: "the system's trusted authorities", Example: "/etc/ssl/ldap-ca.pem"},
		{Name: EnvIDAttribute, Description: "attributes holding the user's stable id, comma-separated, the first present wins", Default: "entryUUID,uid, or objectGUID,sAMAccountName for activedirectory"},
		{Name: EnvEmailAttribute, Description: "attributes holding the user's e-mail address", Default: "mail"},
		{Name: EnvNameAttribute, Description: "attributes holding the user's display name", Default: "displayName,cn"},
		{Name: EnvGroupAttribute, Description: "attribute of the user listing its groups' DNs", Default: "memberOf"},
		{Name: EnvGroupFilter, Description: "search filter finding the groups that list the user, {dn} standing for its DN; \"none\" searches for none", Default: "groupOfNames/groupOfUniqueNames membership for openldap, none for activedirectory"},
		{Name: EnvTimeout, Description: "bound of each connection and request, a Go duration", Default: DefaultTimeout.String()},
	}
}

// ErrConfig is wrapped by every error FromEnv and New return for a
// configuration they cannot use.
var ErrConfig = errors.New("ldap: configuration")

// FromEnv reads a Config from the AUTH_LDAP_* variables ([Vars]) through
// getenv (usually os.Getenv) and checks it; the error lists every problem
// at once, each naming its variable and the fix.
func FromEnv(getenv func(string) string) (Config, error) {
	c, problems := readEnv(getenv)
	if len(problems) > 0 {
		return Config{}, fmt.Errorf("%w:\n  - %s", ErrConfig, strings.Join(problems, "\n  - "))
	}
	return c, nil
}

// readEnv reads a Config from the variables through getenv and lists its
// problems, each naming its variable.
func readEnv(getenv func(string) string) (Config, []string) {
	var problems []string
	list := func(name string) []string {
		var out []string
		for a := range strings.SplitSeq(getenv(name), ",") {
			if a = strings.TrimSpace(a); a != "" {
				out = append(out, a)
			}
		}
		return out
	}
	c := Config{
		URL:             getenv(EnvURL),
		BindDN:          getenv(EnvBindDN),
		BindPassword:    getenv(EnvBindPassword),
		BaseDN:          getenv(EnvBaseDN),
		Directory:       Directory(getenv(EnvDirectory)),
		Filter:          getenv(EnvFilter),
		CAFile:          getenv(EnvCAFile),
		IDAttributes:    list(EnvIDAttribute),
		EmailAttributes: list(EnvEmailAttribute),
		NameAttributes:  list(EnvNameAttribute),
		GroupAttribute:  getenv(EnvGroupAttribute),
		GroupFilter:     getenv(EnvGroupFilter),
	}
	if v := getenv(EnvTimeout); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			problems = append(problems, fmt.Sprintf("%s=%q is not a positive duration: use a value such as 10s", EnvTimeout, v))
		}
		c.Timeout = d
	}
	problems = append(problems, c.problems(true)...)
	return c, problems
}

// problems checks c, naming each problem by its environment variable
// (fromEnv) or its Config field.
func (c *Config) problems(fromEnv bool) []string {
	name := func(env, field string) string {
		if fromEnv {
			return env
		}
		return "Config." + field
	}
	var ps []string
	add := func(format string, args ...any) { ps = append(ps, fmt.Sprintf(format, args...)) }
	if c.URL == "" {
		add("%s is required, for example %[1]s=ldaps://ldap.example.com", name(EnvURL, "URL"))
	} else if _, err := parseURL(c.URL); err != nil {
		add("%s=%q: %v", name(EnvURL, "URL"), c.URL, err)
	}
	if c.BaseDN == "" {
		add("%s is required, for example %[1]s=ou=people,dc=example,dc=com", name(EnvBaseDN, "BaseDN"))
	} else if _, err := goldap.ParseDN(c.BaseDN); err != nil {
		add("%s=%q is not a DN: use the form ou=people,dc=example,dc=com", name(EnvBaseDN, "BaseDN"), c.BaseDN)
	}
	if c.BindDN != "" {
		if _, err := goldap.ParseDN(c.BindDN); err != nil {
			add("%s=%q is not a DN: use the form cn=authgen,dc=example,dc=com", name(EnvBindDN, "BindDN"), c.BindDN)
		}
		if c.BindPassword == "" {
			add("%s is set but %s is empty: set the service account's password, or unset both to search anonymously", name(EnvBindDN, "BindDN"), name(EnvBindPassword, "BindPassword"))
		}
	} else if c.BindPassword != "" {
		add("%s is set but %s is empty: set the service account's DN", name(EnvBindPassword, "BindPassword"), name(EnvBindDN, "BindDN"))
	}
	switch c.Directory {
	case "", OpenLDAP, ActiveDirectory:
	default:
		add("%s=%q is not a kind of directory: use %s or %s", name(EnvDirectory, "Directory"), c.Directory, OpenLDAP, ActiveDirectory)
	}
	if c.Filter != "" {
		if err := checkTemplate(c.Filter, UsernamePlaceholder); err != nil {
			add("%s=%q: %v", name(EnvFilter, "Filter"), c.Filter, err)
		}
	}
	if c.GroupFilter != "" && c.GroupFilter != "none" {
		if err := checkTemplate(c.GroupFilter, DNPlaceholder); err != nil {
			add("%s=%q: %v", name(EnvGroupFilter, "GroupFilter"), c.GroupFilter, err)
		}
	}
	if c.CAFile != "" && c.RootCAs == nil {
		if _, err := loadCAFile(c.CAFile); err != nil {
			add("%s: %v", name(EnvCAFile, "CAFile"), err)
		}
	}
	for _, a := range [][]string{c.IDAttributes, c.EmailAttributes, c.NameAttributes, {c.GroupAttribute}, c.Attributes} {
		for _, s := range a {
			if s != "" && !validAttribute(s) {
				add("%q is not an attribute name: use letters, digits and hyphens, such as displayName", s)
			}
		}
	}
	if c.Timeout < 0 {
		add("%s is negative: use a positive duration such as 10s", name(EnvTimeout, "Timeout"))
	}
	if c.PoolSize < 0 {
		add("Config.PoolSize is negative: use 0 for the default %d", DefaultPoolSize)
	}
	return ps
}

// withDefaults returns c with its Directory's defaults filled in.
func (c Config) withDefaults() Config {
	ad := c.Directory == ActiveDirectory
	if c.Directory == "" {
		c.Directory = OpenLDAP
	}
	if c.Filter == "" {
		c.Filter = "(uid={username})"
		if ad {
			c.Filter = "(sAMAccountName={username})"
		}
	}
	if len(c.IDAttributes) == 0 {
		c.IDAttributes = []string{"entryUUID", "uid"}
		if ad {
			c.IDAttributes = []string{"objectGUID", "sAMAccountName"}
		}
	}
	if len(c.EmailAttributes) == 0 {
		c.EmailAttributes = []string{"mail"}
	}
	if len(c.NameAttributes) == 0 {
		c.NameAttributes = []string{"displayName", "cn"}
	}
	if c.GroupAttribute == "" {
		c.GroupAttribute = "memberOf"
	}
	switch {
	case c.GroupFilter == "none":
		c.GroupFilter = ""
	case c.GroupFilter == "" && !ad:
		c.GroupFilter = "(|(&(objectClass=groupOfNames)(member={dn}))(&(objectClass=groupOfUniqueNames)(uniqueMember={dn})))"
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.PoolSize == 0 {
		c.PoolSize = DefaultPoolSize
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// validAttribute reports whether s is an attribute description an LDAP
// server accepts: a name (letters, digits, hyphens, starting with a
// letter) or a numeric OID, with options after semicolons.
func validAttribute(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9', r == '-' && i > 0, r == '.' && i > 0, r == ';' && i > 0:
		default:
			return false
		}
	}
	return true
}

// checkTemplate checks that a filter template holds placeholder and is a
// valid filter once a value replaces it.
func checkTemplate(template, placeholder string) error {
	if !strings.Contains(template, placeholder) {
		return fmt.Errorf("holds no %s: write where it goes, such as (uid=%[1]s)", placeholder)
	}
	if _, err := goldap.CompileFilter(fill(template, placeholder, "x")); err != nil {
		return fmt.Errorf("is not an LDAP filter (%v): write one such as (uid=%s)", err, placeholder)
	}
	return nil
}

// fill replaces placeholder in a filter template with value escaped for a
// filter, so that value is only ever an attribute value: `*)(uid=*`
// becomes `\2a\29\28uid=\2a`.
func fill(template, placeholder, value string) string {
	return strings.ReplaceAll(template, placeholder, goldap.EscapeFilter(value))
}

// UserFilter returns the filter c searches for username with: c's Filter
// (or its Directory's default) with the username escaped in place of
// {username}.
func (c Config) UserFilter(username string) string {
	d := c.withDefaults()
	return fill(d.Filter, UsernamePlaceholder, username)
}

// serverURL is a parsed Config.URL.
type serverURL struct {
	// addr is host:port.
	addr string
	// host is the name the certificate must hold.
	host string
	// tls is true for ldaps://.
	tls bool
	// startTLS is false only for ldap://…?starttls=false on a loopback
	// host.
	startTLS bool
}

// parseURL checks an ldap:// or ldaps:// URL and fills in the port.
func parseURL(raw string) (serverURL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return serverURL{}, errors.New("is not a URL: use ldaps://host or ldap://host")
	}
	var s serverURL
	port := u.Port()
	switch u.Scheme {
	case "ldaps":
		s.tls = true
		if port == "" {
			port = "636"
		}
	case "ldap":
		s.startTLS = true
		if port == "" {
			port = "389"
		}
	default:
		return serverURL{}, fmt.Errorf("has scheme %q: use ldaps://host, or ldap://host (upgraded with StartTLS)", u.Scheme)
	}
	s.host = u.Hostname()
	if s.host == "" {
		return serverURL{}, errors.New("has no host: use ldaps://ldap.example.com")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return serverURL{}, fmt.Errorf("has port %q: use a number from 1 to 65535", port)
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.Fragment != "" {
		return serverURL{}, errors.New("has user, path or fragment: give only the server, ldaps://host[:port] (the base DN and the service account have variables of their own)")
	}
	q := u.Query()
	for k := range q {
		if k != "starttls" {
			return serverURL{}, fmt.Errorf("has parameter %q: only starttls=false is known", k)
		}
	}
	if v, ok := q["starttls"]; ok {
		if s.tls || len(v) != 1 || v[0] != "false" {
			return serverURL{}, errors.New("starttls is only ever starttls=false, on an ldap:// URL")
		}
		if !loopback(s.host) {
			return serverURL{}, fmt.Errorf("starttls=false would send passwords in clear text to %s: use ldaps://, or ldap:// with StartTLS (starttls=false is for a server on this machine only)", s.host)
		}
		s.startTLS = false
	}
	s.addr = net.JoinHostPort(s.host, port)
	return s, nil
}

// loopback reports whether host is this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loadCAFile reads a PEM file of certificates into a pool.
func loadCAFile(path string) (*x509.CertPool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("%s holds no PEM certificate: give the certificate authority's certificate in PEM form", path)
	}
	return pool, nil
}

// tlsConfig is the TLS configuration for the server host.
func (c Config) tlsConfig(host string) (*tls.Config, error) {
	pool := c.RootCAs
	if pool == nil && c.CAFile != "" {
		p, err := loadCAFile(c.CAFile)
		if err != nil {
			return nil, err
		}
		pool = p
	}
	return &tls.Config{ServerName: host, RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}
