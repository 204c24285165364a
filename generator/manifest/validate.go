package manifest

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/internal/suggest"
	"github.com/authgen/authgen/runtime/session"
)

// Problem is one thing wrong in a manifest.
type Problem struct {
	// Path is the key or item at fault: "session.maxAge",
	// "providers[1].scopes[0]"; empty for the whole file.
	Path string
	// Line is the 1-based line in the file; 0 when unknown (a manifest
	// built in code).
	Line int
	// Message says what is wrong and how to fix it.
	Message string
}

// Error reports every problem found in a manifest. It wraps ErrInvalid.
type Error struct {
	// File names the manifest in messages; default authgen.yaml.
	File     string
	Problems []Problem
}

// Error lists the problems as file:line: path: message, one a line.
func (e *Error) Error() string {
	file := cmp.Or(e.File, File)
	line := func(p Problem) string {
		s := file
		if p.Line > 0 {
			s += ":" + strconv.Itoa(p.Line)
		}
		if p.Path != "" {
			s += ": " + p.Path
		}
		return s + ": " + p.Message
	}
	if len(e.Problems) == 1 {
		return line(e.Problems[0])
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s has %d problems:", file, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  " + line(p))
	}
	return b.String()
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *Error) Unwrap() error { return ErrInvalid }

// checker walks a manifest's node tree against the schema, collecting
// every problem.
type checker struct {
	// lines says whether node lines are the file's (else they are left out).
	lines    bool
	ctx      checkContext
	problems []Problem
	// nodes holds the value node of every path walked, for the lines of
	// the checks that run on the decoded manifest.
	nodes map[string]*yaml.Node
}

func newChecker(lines bool) *checker {
	return &checker{lines: lines, ctx: checkContext{basePath: DefaultBasePath}, nodes: map[string]*yaml.Node{}}
}

// add records a problem at path, on n's line.
func (c *checker) add(path string, n *yaml.Node, format string, args ...any) {
	p := Problem{Path: path, Message: fmt.Sprintf(format, args...)}
	if c.lines && n != nil {
		p.Line = n.Line
	}
	c.problems = append(c.problems, p)
}

// addAt records a problem at path, on the line of the node walked there.
func (c *checker) addAt(path string, format string, args ...any) {
	c.add(path, c.nodes[path], format, args...)
}

// err returns the problems as an *Error, or nil.
func (c *checker) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return &Error{Problems: slices.Clone(c.problems)}
}

// check validates the document doc and decodes it. withCatalog also checks
// the providers against the catalog.
func check(doc *yaml.Node, lines, withCatalog bool) (*Manifest, error) {
	c := newChecker(lines)
	root := c.root(doc)
	if root == nil {
		return nil, c.err()
	}
	c.walk(root)
	if len(c.problems) > 0 {
		return nil, c.err()
	}
	m := &Manifest{}
	if err := root.Decode(m); err != nil {
		return nil, &Error{Problems: []Problem{{Message: err.Error()}}}
	}
	c.crossChecks(m)
	if withCatalog {
		c.catalogChecks(m)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return m, nil
}

// yamlLineRE finds the line in the YAML parser's errors.
var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): `)

// syntaxError turns the YAML parser's error into a Problem.
func syntaxError(err error) error {
	msg := err.Error()
	p := Problem{Message: strings.TrimPrefix(msg, "yaml: ") + " (not valid YAML)"}
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Message = strings.TrimPrefix(msg, m[0]) + " (not valid YAML)"
	}
	return &Error{Problems: []Problem{p}}
}

// root returns the document's top mapping, or nil after recording why
// there is none.
func (c *checker) root(doc *yaml.Node) *yaml.Node {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	n = resolve(n)
	switch {
	case n.Kind == 0 || n.Kind == yaml.DocumentNode:
		c.add("", nil, "the file is empty: run `authgen init`, or write the keys docs/MANIFEST.md lists")
		return nil
	case n.Kind != yaml.MappingNode:
		c.add("", n, "must be a mapping of keys (version: 1, package: auth, …), as docs/MANIFEST.md shows")
		return nil
	}
	// Check basePath first: the pages are checked against it.
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i], resolve(n.Content[i+1]); k.Value == "basePath" && v.Kind == yaml.ScalarNode && checkBasePath(v.Value, c.ctx) == nil {
			c.ctx.basePath = v.Value
		}
	}
	return n
}

// walk checks the top mapping.
func (c *checker) walk(root *yaml.Node) { c.mapping(root, "", "") }

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// mapping checks the keys of the mapping n at path, whose fields are the
// schema's children of schemaPath.
func (c *checker) mapping(n *yaml.Node, schemaPath, path string) {
	fs := children(schemaPath)
	seen := map[string]int{}
	// suggested are the keys an unknown key was taken for: they are not
	// reported missing as well.
	suggested := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
			c.add(path, k, "a key must be a word, such as %s", fs[0].Name())
			continue
		}
		keyPath := join(path, k.Value)
		j := slices.IndexFunc(fs, func(f Field) bool { return f.Name() == k.Value })
		if j < 0 {
			hint, meant := c.unknownHint(k.Value, schemaPath, fs)
			c.add(keyPath, k, "unknown key%s", hint)
			suggested[meant] = true
			continue
		}
		if line, dup := seen[k.Value]; dup {
			c.add(keyPath, k, "is set twice (first on line %d): keep one", line)
			continue
		}
		seen[k.Value] = k.Line
		c.value(fs[j], k, v, keyPath)
	}
	for _, f := range fs {
		if _, ok := seen[f.Name()]; f.Required && !ok && !suggested[f.Name()] {
			c.add(join(path, f.Name()), n, "is missing: add %s: %s", f.Name(), f.Example)
		}
	}
}

// unknownHint suggests the key meant by an unknown key: the nearest of its
// siblings (returned as meant), or a key of that name elsewhere; else it
// lists the siblings.
func (c *checker) unknownHint(key, schemaPath string, siblings []Field) (hint, meant string) {
	var names []string
	for _, f := range siblings {
		names = append(names, f.Name())
	}
	if s := suggest.Nearest(key, names, 1); len(s) > 0 {
		return " (did you mean " + s[0] + "?)", s[0]
	}
	for _, f := range fields {
		if strings.EqualFold(f.Name(), key) && f.parent() != schemaPath {
			return fmt.Sprintf(" here (did you mean %s? it goes under %s)", f.Path, strings.TrimSuffix(f.parent(), "[]")), ""
		}
	}
	where := "at the top"
	if schemaPath != "" {
		where = "under " + strings.TrimSuffix(schemaPath, "[]")
	}
	return fmt.Sprintf("; the keys %s are %s (see docs/MANIFEST.md)", where, strings.Join(names, ", ")), ""
}

// value checks the value v of field f, whose key node is k.
func (c *checker) value(f Field, k, v *yaml.Node, path string) {
	// The line of a scalar is its value's; of a list or mapping, its key's.
	c.nodes[path] = v
	if v.Kind != yaml.ScalarNode && k != nil {
		c.nodes[path] = k
	}
	switch f.Type {
	case TypeMapping:
		if isNull(v) {
			return
		}
		if v.Kind != yaml.MappingNode {
			c.add(path, v, "must be a mapping of keys, such as %s", c.mappingExample(f.Path))
			return
		}
		c.mapping(v, f.Path, path)
	case TypeList:
		if isNull(v) {
			return
		}
		if v.Kind != yaml.SequenceNode {
			c.add(path, v, "must be a list, such as %s", f.Example)
			return
		}
		for i, item := range v.Content {
			item = resolve(item)
			itemPath := fmt.Sprintf("%s[%d]", path, i)
			c.nodes[itemPath] = item
			if item.Kind != yaml.MappingNode {
				c.add(itemPath, item, "must be a mapping of keys, such as %s", c.mappingExample(f.Path+"[]"))
				continue
			}
			c.mapping(item, f.Path+"[]", itemPath)
		}
	case TypeStringList:
		if isNull(v) {
			return
		}
		if v.Kind != yaml.SequenceNode {
			c.add(path, v, "must be a list, such as %s", f.Example)
			return
		}
		seen := map[string]bool{}
		for i, item := range v.Content {
			item = resolve(item)
			itemPath := fmt.Sprintf("%s[%d]", path, i)
			c.nodes[itemPath] = item
			s, ok := c.scalar(item, nil, itemPath)
			if !ok {
				continue
			}
			if seen[s] {
				c.add(itemPath, item, "%s is listed twice: remove one", s)
				continue
			}
			seen[s] = true
			if err := f.checkString(s, c.ctx); err != nil {
				c.add(itemPath, item, "%s", err)
			}
		}
	case TypeStringMap:
		if isNull(v) {
			return
		}
		if v.Kind != yaml.MappingNode {
			c.add(path, v, "must be a map of names to values, such as %s", f.Example)
			return
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			mk, mv := resolve(v.Content[i]), resolve(v.Content[i+1])
			name, ok := c.scalar(mk, nil, path)
			if !ok {
				continue
			}
			itemPath := path + "." + name
			c.nodes[itemPath] = mv
			if seen[name] {
				c.add(itemPath, mk, "is set twice: keep one")
				continue
			}
			seen[name] = true
			if f.checkKey != nil {
				if err := f.checkKey(name); err != nil {
					c.add(itemPath, mk, "%s", err)
					continue
				}
			}
			if s, ok := c.scalar(mv, mk, itemPath); ok {
				if err := f.checkString(s, c.ctx); err != nil {
					c.add(itemPath, mv, "%s", err)
				}
			}
		}
	case TypeBool:
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" {
			c.add(path, v, "must be true or false")
		}
	case TypeBoolOrDuration:
		if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!bool" {
			return
		}
		if s, ok := c.scalar(v, k, path); ok {
			if err := f.checkString(s, c.ctx); err != nil {
				c.add(path, v, "%s", err)
			}
		}
	case TypeRateLimit:
		c.rateLimit(f, k, v, path)
	case TypeInteger:
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
			c.add(path, v, "must be a whole number, such as %s", f.Example)
			return
		}
		if err := f.checkString(v.Value, c.ctx); err != nil {
			c.add(path, v, "%s", err)
		}
	default: // TypeString, TypeDuration
		if s, ok := c.scalar(v, k, path); ok {
			if err := f.checkString(s, c.ctx); err != nil {
				c.add(path, v, "%s", err)
			}
		}
	}
}

// mappingExample shows the keys of the mapping at schemaPath.
func (c *checker) mappingExample(schemaPath string) string {
	var parts []string
	for _, f := range children(schemaPath) {
		if f.Required || len(parts) == 0 {
			parts = append(parts, f.Name()+": "+f.Example)
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// hexCommentRE is a line comment YAML took from an unquoted hex colour.
var hexCommentRE = regexp.MustCompile(`^#[0-9a-fA-F]{3,8}$`)

// scalar returns the text of a scalar that can be read as a string
// (numbers are), recording a problem for anything else. k is its key's
// node, for the hint about an unquoted "#".
func (c *checker) scalar(n, k *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		c.add(path, n, "must be a single value, not a list or mapping")
		return "", false
	}
	switch n.ShortTag() {
	case "!!str", "!!int", "!!float", "!!timestamp":
		return n.Value, true
	case "!!null":
		if k != nil && hexCommentRE.MatchString(k.LineComment) {
			c.add(path, n, "has no value: YAML reads %s after a space as a comment; quote it: \"%s\"", k.LineComment, k.LineComment)
		} else {
			c.add(path, n, "has no value: give one, or remove the key")
		}
	case "!!bool":
		c.add(path, n, "is %s, not text: quote it (\"%s\") if you mean the word", n.Value, n.Value)
	default:
		c.add(path, n, "must be text")
	}
	return "", false
}

// crossChecks checks what no single value decides.
func (c *checker) crossChecks(m *Manifest) {
	if m.Session.Strategy == StrategyDatabase && m.Database == DBNone {
		c.addAt("session.strategy", "database needs a database: set database to one of %s, or session.strategy to jwt",
			strings.Join(slices.DeleteFunc(slices.Clone(Databases), func(d string) bool { return d == DBNone }), ", "))
	}
	if m.Session.Store == SessionStoreRedis && (m.Session.Strategy != StrategyDatabase || m.Database == DBNone) {
		c.addAt("session.store", "redis needs session.strategy database and a database for users (it keeps database sessions)")
	}
	maxAge := cmp.Or(m.Session.MaxAge, session.DefaultMaxAge)
	updateAge := cmp.Or(m.Session.UpdateAge, session.DefaultUpdateAge)
	switch {
	case updateAge < maxAge:
	case m.Session.UpdateAge != 0:
		c.addAt("session.updateAge", "%s must be less than maxAge (%s), or sessions are never renewed", formatDuration(updateAge), formatDuration(maxAge))
	default:
		c.addAt("session.maxAge", "%s is not more than the default updateAge (%s), so sessions would never be renewed: set session.updateAge below it, such as %s",
			formatDuration(maxAge), formatDuration(updateAge), formatDuration(max(MinUpdateAge, maxAge/4)))
	}
	if a := m.Session.AbsoluteMaxAge; a != nil && *a != 0 && time.Duration(*a) < maxAge {
		c.addAt("session.absoluteMaxAge", "%s is less than maxAge (%s): no session could last maxAge; raise absoluteMaxAge, lower maxAge, or set 0 to turn the limit off",
			formatDuration(time.Duration(*a)), formatDuration(maxAge))
	}
	if aj := m.AuthJS; aj != nil {
		if m.Session.Strategy == StrategyDatabase {
			c.addAt("authjs", "needs session.strategy jwt: with database sessions the cookie holds a token only authgen's database knows, which the Auth.js application cannot read (session.revocation keeps JWT sessions revocable)")
		}
		if p, ok := AuthJSPrefixes[aj.Version]; ok && m.CookiePrefix == p {
			c.addAt("cookiePrefix", "%s is Auth.js's prefix: with authjs the shared cookies take Auth.js's names, and authgen's others (sign-in checks) need a prefix of their own, such as authgen", p)
		}
	}
	if m.Session.Revocation {
		switch {
		case m.Session.Strategy == StrategyDatabase:
			c.addAt("session.revocation", "is for JWT sessions: database sessions end on every instance at once anyway; remove it")
		case m.Database == DBNone:
			c.addAt("session.revocation", "needs a database, which keeps a record of each JWT session: choose a database, or remove it (a JWT then lives until it expires)")
		}
	}
	if m.Database == DBNone {
		for i, p := range m.Providers {
			if p.TrustEmail {
				c.addAt(fmt.Sprintf("providers[%d].trustEmail", i), "needs a database, which keeps the users an account links to: remove it, or choose a database")
			}
		}
	}
	c.emailChecks(m)
	c.twoFactorChecks(m)
	c.passkeyChecks(m)
	if m.Pages.NewUser != "" && m.Database == DBNone {
		c.addAt("pages.newUser", "needs a database, which knows who signs in for the first time: remove it, or choose a database")
	}
	first := map[string]int{}
	for i, p := range m.Providers {
		if j, ok := first[p.ID]; ok {
			c.addAt(fmt.Sprintf("providers[%d].id", i), "%s is listed twice (also providers[%d]): give this one another id, with kind: %s", p.ID, j, p.CatalogID())
			continue
		}
		first[p.ID] = i
	}
}

// twoFactorChecks checks that the store serving the second factors exists:
// server.Config.Users, the database's store, must implement
// store.TwoFactors and store.VerificationTokens. The SQL stores and
// mongostore do, also with session.store: redis (Users stays the
// database's store); the scaffolded CustomStore carries stubs until the
// user writes them, which server.New names.
func (c *checker) twoFactorChecks(m *Manifest) {
	if !m.TwoFactorOn() {
		return
	}
	if m.Database == DBNone {
		c.addAt("twoFactor", "%s needs a database, which keeps each user's second factor: choose one (database: sqlite), or set twoFactor: off", m.TwoFactor)
	}
}

// passkeyChecks checks passkeys: their settings need the provider, and the
// provider needs a database that keeps the passkeys (server.Config.Users
// implementing store.Passkeys and store.VerificationTokens: the SQL stores
// and mongostore do, also with session.store: redis; a custom store's
// scaffold carries stubs until the user writes them, which server.New
// names).
func (c *checker) passkeyChecks(m *Manifest) {
	i := slices.IndexFunc(m.Providers, func(p Provider) bool { return p.CatalogID() == PasskeyProviderID })
	if i < 0 {
		if m.Passkey != nil {
			c.addAt("passkey", "holds the settings of passkeys, which providers lacks: add - id: %s to providers (authgen add provider %[1]s), or remove passkey:", PasskeyProviderID)
		}
		return
	}
	if m.Database == DBNone {
		c.addAt(fmt.Sprintf("providers[%d].id", i), "passkeys need a database, which keeps each user's passkeys: choose one (database: sqlite, postgres, mysql, mongodb or custom), or remove the passkey provider")
	}
}

// emailChecks checks e-mail sign-in: it needs a database, as in Auth.js.
// Its settings (email:) are kept without it, so that removing and adding
// the provider again keeps them.
func (c *checker) emailChecks(m *Manifest) {
	i := slices.IndexFunc(m.Providers, func(p Provider) bool { return p.CatalogID() == EmailProviderID })
	if i < 0 {
		return // email: settings wait for e-mail sign-in to come back
	}
	if m.Database == DBNone {
		c.addAt(fmt.Sprintf("providers[%d].id", i), "email needs a database, which keeps the users and the sign-in tokens (as in Auth.js): choose one (database: sqlite), or remove e-mail sign-in")
	}
}

// catalogChecks checks the providers against the catalog: they exist, and
// what is set fits their protocol.
func (c *checker) catalogChecks(m *Manifest) {
	var ids []string
	for _, e := range catalog.All() {
		ids = append(ids, e.ID)
	}
	for i, p := range m.Providers {
		at := func(key string) string { return fmt.Sprintf("providers[%d].%s", i, key) }
		e, ok := catalog.Lookup(p.CatalogID())
		switch {
		case ok:
		case p.Kind != "":
			c.addAt(at("kind"), "%q is not in the catalog%s: `authgen providers` lists it (oidc and oauth are any OpenID Connect or OAuth 2.0 provider)", p.Kind, suggest.DidYouMean(p.Kind, ids))
			continue
		default:
			c.addAt(at("id"), "%q is not in the catalog%s: `authgen providers` lists it; for a provider of your own, keep the id and add kind: oidc (OpenID Connect) or kind: oauth (OAuth 2.0)", p.ID, suggest.DidYouMean(p.ID, ids))
			continue
		}
		if e.IsEmail() {
			c.emailEntry(m.Providers[i], i)
			continue
		}
		if e.IsCredentials() {
			c.formEntry(m.Providers[i], i, e)
			continue
		}
		if e.IsPasskey() {
			c.passkeyEntry(m.Providers[i], i)
			continue
		}
		if reserved := map[string]string{EmailProviderID: "e-mail sign-in's", PasskeyProviderID: "passkeys'"}[p.ID]; reserved != "" {
			c.addAt(at("id"), "%[1]s is %[2]s id (their accounts and the routes /signin/%[1]s and /callback/%[1]s), even when they are off: give this %[3]s provider another id", p.ID, reserved, e.Name)
		}
		if p.Labels != nil {
			c.addAt(at("labels"), "%s has no sign-in form: remove them (labels are for credentials and ldap)", e.Name)
		}
		proto := map[catalog.Type]string{catalog.OAuth2: "an OAuth 2.0", catalog.OIDC: "an OpenID Connect", catalog.OAuth1: "an OAuth 1.0a"}[e.Type]
		if p.Issuer != "" && e.Type != catalog.OIDC {
			c.addAt(at("issuer"), "%s is %s provider; only OpenID Connect providers have an issuer: remove it", e.Name, proto)
		}
		if p.BaseURL != "" && e.BaseURL == nil {
			c.addAt(at("baseUrl"), "%s has no self-hosted variant: remove it", e.Name)
		}
		if p.Logout && e.Type != catalog.OIDC {
			c.addAt(at("logout"), "%s is %s provider; only OpenID Connect providers end the provider's session: remove it", e.Name, proto)
		}
		if p.TrustEmail && e.EmailVerified.Never {
			c.addAt(at("trustEmail"), "%s never reports whether an address is verified (%s), so it never links by e-mail: remove it (users link it from their account page)", e.Name, e.EmailVerified.Note)
		}
		if p.Scopes != nil {
			switch {
			case e.Type == catalog.OAuth1:
				c.addAt(at("scopes"), "%s is %s provider, which has no scopes: remove them", e.Name, proto)
			case e.Type == catalog.OIDC && !slices.Contains(p.Scopes, "openid"):
				example := append([]string{"openid"}, slices.DeleteFunc(slices.Clone(p.Scopes), func(s string) bool { return s == "openid" })...)
				c.addAt(at("scopes"), "%s is %s provider: its scopes must include openid, such as [%s]", e.Name, proto, strings.Join(example, ", "))
			}
		}
		if p.Params != nil && e.Type == catalog.OAuth1 {
			c.addAt(at("params"), "%s is %s provider, which takes no authorization parameters: remove them", e.Name, proto)
		}
	}
}

// emailEntry checks the providers entry of e-mail sign-in: its id is
// email, and it takes no OAuth key.
func (c *checker) emailEntry(p Provider, i int) {
	at := func(key string) string { return fmt.Sprintf("providers[%d].%s", i, key) }
	if p.ID != EmailProviderID {
		c.addAt(at("id"), "%s: e-mail sign-in's id is %s (its routes are %s); write - id: %s without kind", p.ID, EmailProviderID, "/signin/email and /callback/email", EmailProviderID)
	}
	for _, k := range []struct {
		key string
		set bool
	}{{"issuer", p.Issuer != ""}, {"baseUrl", p.BaseURL != ""}, {"logout", p.Logout}, {"scopes", p.Scopes != nil}, {"params", p.Params != nil}} {
		if k.set {
			c.addAt(at(k.key), "e-mail sign-in is no OAuth provider and has no %s: remove it (its settings are under email:)", k.key)
		}
	}
	if p.TrustEmail {
		c.addAt(at("trustEmail"), "e-mail sign-in always signs in the user with its address, which it proves: remove it")
	}
}

// passkeyEntry checks the providers entry of passkeys: its id is passkey,
// and it takes none of the other providers' keys.
func (c *checker) passkeyEntry(p Provider, i int) {
	at := func(key string) string { return fmt.Sprintf("providers[%d].%s", i, key) }
	if p.ID != PasskeyProviderID {
		c.addAt(at("id"), "%s: passkeys' id is %s (their routes are /signin/%[2]s/options and /callback/%[2]s); write - id: %[2]s without kind", p.ID, PasskeyProviderID)
	}
	for _, k := range []struct {
		key string
		set bool
	}{{"name", p.Name != ""}, {"issuer", p.Issuer != ""}, {"baseUrl", p.BaseURL != ""}, {"logout", p.Logout}, {"trustEmail", p.TrustEmail}, {"scopes", p.Scopes != nil}, {"params", p.Params != nil}, {"labels", p.Labels != nil}} {
		if k.set {
			c.addAt(at(k.key), "passkeys are no OAuth provider and have no %s: remove it (their settings are under passkey:)", k.key)
		}
	}
}

// formEntry checks the providers entry of a sign-in form (credentials,
// ldap): its id is the entry's, it takes no OAuth key, and its labels name
// its fields.
func (c *checker) formEntry(p Provider, i int, e *catalog.Provider) {
	at := func(key string) string { return fmt.Sprintf("providers[%d].%s", i, key) }
	if p.ID != e.ID {
		c.addAt(at("id"), "%s: a %s sign-in form's id is %s (its route is /callback/%[3]s); write - id: %[3]s without kind", p.ID, e.Name, e.ID)
	}
	for _, k := range []struct {
		key string
		set bool
	}{{"issuer", p.Issuer != ""}, {"baseUrl", p.BaseURL != ""}, {"logout", p.Logout}, {"scopes", p.Scopes != nil}, {"params", p.Params != nil}} {
		if k.set {
			c.addAt(at(k.key), "%s is a sign-in form, no OAuth provider, and has no %s: remove it", e.Name, k.key)
		}
	}
	var names []string
	for _, f := range e.Form {
		names = append(names, f.Name)
	}
	for _, k := range slices.Sorted(maps.Keys(p.Labels)) {
		if !slices.Contains(names, k) {
			c.addAt(at("labels."+k), "%s's form has no field %q%s: its fields are %s", e.Name, k, suggest.DidYouMean(k, names), strings.Join(names, ", "))
		}
	}
}
