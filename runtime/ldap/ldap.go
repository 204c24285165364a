// Package ldap signs users in against an LDAP directory or Active
// Directory with their username and password: it finds the user's entry
// (as a service account, or anonymously), then binds as that entry with
// the password, and returns the user's id, e-mail address, name and
// groups.
//
// It is a module of its own (github.com/authgen/authgen/runtime/ldap), so
// that github.com/go-ldap/ldap/v3 reaches only the applications that sign
// in with LDAP (the core runtime never imports it). [Authenticator.Authorize]
// is a server.Credentials' Authorize: the server links the [User] it finds,
// as [User.Identity], to an account of provider ldap.
//
// What it guarantees:
//   - The username is escaped into the filter ([Config.UserFilter]): it is
//     only ever compared as a value, so `*)(uid=*` finds nobody.
//   - An empty password is refused before anything is sent: LDAP treats a
//     simple bind with a name and no password as an unauthenticated bind,
//     which many servers answer with success.
//   - An unknown user, several matching entries, and a wrong password all
//     return [ErrInvalidCredentials], with the same text; a server that is
//     down, a TLS failure, a timeout or a refused service bind return
//     [ErrUnavailable], never "wrong password".
//   - Passwords travel over TLS only (ldaps://, or ldap:// upgraded with
//     StartTLS, which fails when the server does not offer it), except
//     to a loopback host with ldap://…?starttls=false.
//   - Passwords appear in no error and no log line.
//
// Configuration comes from the AUTH_LDAP_* environment variables through
// [FromEnv], whose table is [Vars]; [Config] documents each setting and
// its defaults for OpenLDAP and Active Directory.
package ldap

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
)

// ErrInvalidCredentials is returned for an unknown user and for a wrong
// password alike (and for an empty one): callers show one message for
// both, so the answer does not say which usernames exist.
var ErrInvalidCredentials = errors.New("ldap: invalid username or password")

// ErrUnavailable is wrapped by the error returned when the directory
// cannot answer: unreachable, TLS refused, a timeout, the service account
// refused, the search not allowed. The sign-in page says the service is
// unavailable, not that the password is wrong.
var ErrUnavailable = errors.New("ldap: directory unavailable")

// User is a user as the directory describes it.
type User struct {
	// ID is the stable id of the entry: the first of Config.IDAttributes
	// it has (entryUUID or objectGUID by default, which survive renames).
	ID string
	// DN is the entry's distinguished name.
	DN string
	// Email is the first value of the first of Config.EmailAttributes
	// the entry has, or "".
	Email string
	// Name is the first value of the first of Config.NameAttributes the
	// entry has, or "".
	Name string
	// Groups are the DNs of the user's groups (Config.GroupAttribute and
	// Config.GroupFilter), sorted, without duplicates.
	Groups []string
	// Attributes holds every attribute read, by the name the server
	// returned: the defaults' and Config.Attributes. Binary values (such
	// as objectGUID) are raw bytes in a string.
	Attributes map[string][]string
}

// Authenticator checks usernames and passwords against one directory. It
// is safe for concurrent use; Close releases its connections.
type Authenticator struct {
	cfg   Config
	url   serverURL
	tls   *tls.Config
	attrs []string
	pool  chan *goldap.Conn
	// dial opens a connection; tests of this package replace it.
	dial func(ctx context.Context) (*goldap.Conn, error)
}

// New checks cfg and returns an Authenticator; it opens no connection
// until the first Authenticate (the directory may be down at start).
func New(cfg Config) (*Authenticator, error) {
	if ps := cfg.problems(false); len(ps) > 0 {
		return nil, fmt.Errorf("%w:\n  - %s", ErrConfig, strings.Join(ps, "\n  - "))
	}
	cfg = cfg.withDefaults()
	u, err := parseURL(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("%w: Config.URL %q: %w", ErrConfig, cfg.URL, err)
	}
	tc, err := cfg.tlsConfig(u.host)
	if err != nil {
		return nil, fmt.Errorf("%w: Config.CAFile: %w", ErrConfig, err)
	}
	a := &Authenticator{cfg: cfg, url: u, tls: tc, pool: make(chan *goldap.Conn, cfg.PoolSize)}
	a.dial = a.dialServer
	a.attrs = attributeList(cfg)
	return a, nil
}

// attributeList is every attribute the user search asks for.
func attributeList(cfg Config) []string {
	var attrs []string
	for _, list := range [][]string{cfg.IDAttributes, cfg.EmailAttributes, cfg.NameAttributes, {cfg.GroupAttribute}, cfg.Attributes} {
		for _, a := range list {
			if !slices.ContainsFunc(attrs, func(b string) bool { return strings.EqualFold(a, b) }) {
				attrs = append(attrs, a)
			}
		}
	}
	return attrs
}

// Close closes the idle service connections. Authenticate may still be
// called; it opens new ones.
func (a *Authenticator) Close() error {
	for {
		select {
		case c := <-a.pool:
			c.Close()
		default:
			return nil
		}
	}
}

// Authenticate checks username and password: it finds the user's one
// entry under Config.BaseDN with Config.Filter, binds as that entry with
// password on a connection of its own, and reads the user's groups. It
// returns ErrInvalidCredentials for an empty password, an unknown user,
// several matching entries and a wrong password alike, and an error
// wrapping ErrUnavailable when the directory cannot answer. The context
// and Config.Timeout bound every step.
func (a *Authenticator) Authenticate(ctx context.Context, username, password string) (*User, error) {
	// An empty password would make the user bind an unauthenticated bind,
	// which succeeds on many servers (RFC 4513 section 5.1.2).
	if username == "" || password == "" || len(username) > maxUsername || len(password) > maxPassword {
		return nil, ErrInvalidCredentials
	}
	entry, groups, err := a.findUser(ctx, username)
	if err != nil {
		return nil, err
	}
	if err := a.bindUser(ctx, entry.DN, password); err != nil {
		return nil, err
	}
	return a.user(entry, groups), nil
}

// findUser searches for username's entry and its groups on a service
// connection, retrying once on a fresh connection when a pooled one turns
// out to be broken (the server restarted, an idle timeout).
func (a *Authenticator) findUser(ctx context.Context, username string) (*goldap.Entry, []string, error) {
	for attempt := 0; ; attempt++ {
		conn, pooled, err := a.get(ctx)
		if err != nil {
			return nil, nil, err
		}
		entry, groups, err := a.search(ctx, conn, username)
		if err != nil && pooled && attempt == 0 && broken(err) && ctx.Err() == nil {
			conn.Close()
			a.cfg.Logger.WarnContext(ctx, "ldap: a pooled connection failed; retrying on a new one", "err", err)
			continue
		}
		a.put(conn, err)
		return entry, groups, err
	}
}

// search runs the user search and the group search on conn.
func (a *Authenticator) search(ctx context.Context, conn *goldap.Conn, username string) (*goldap.Entry, []string, error) {
	filter := fill(a.cfg.Filter, UsernamePlaceholder, username)
	res, err := a.do(ctx, conn, func() (*goldap.SearchResult, error) {
		return conn.Search(goldap.NewSearchRequest(a.cfg.BaseDN, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases,
			2, a.limitSeconds(), false, filter, a.attrs, nil))
	})
	switch {
	case goldap.IsErrorWithCode(err, goldap.LDAPResultSizeLimitExceeded):
		a.cfg.Logger.WarnContext(ctx, "ldap: the filter matches several entries; refusing the sign-in", "filter", a.cfg.Filter, "base", a.cfg.BaseDN)
		return nil, nil, ErrInvalidCredentials
	case goldap.IsErrorWithCode(err, goldap.LDAPResultNoSuchObject):
		return nil, nil, fmt.Errorf("%w: the base DN %q does not exist: %w", ErrUnavailable, a.cfg.BaseDN, err)
	case err != nil:
		return nil, nil, a.unavailable(ctx, "searching for the user", err)
	}
	switch len(res.Entries) {
	case 0:
		return nil, nil, ErrInvalidCredentials
	case 1:
	default:
		a.cfg.Logger.WarnContext(ctx, "ldap: the filter matches several entries; refusing the sign-in", "filter", a.cfg.Filter, "base", a.cfg.BaseDN)
		return nil, nil, ErrInvalidCredentials
	}
	entry := res.Entries[0]
	groups := entry.GetEqualFoldAttributeValues(a.cfg.GroupAttribute)
	if a.cfg.GroupFilter != "" {
		gf := fill(a.cfg.GroupFilter, DNPlaceholder, entry.DN)
		res, err := a.do(ctx, conn, func() (*goldap.SearchResult, error) {
			return conn.Search(goldap.NewSearchRequest(a.cfg.BaseDN, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases,
				0, a.limitSeconds(), false, gf, []string{"1.1"}, nil))
		})
		if err != nil {
			return nil, nil, a.unavailable(ctx, "searching for the user's groups", err)
		}
		for _, g := range res.Entries {
			groups = append(groups, g.DN)
		}
	}
	slices.Sort(groups)
	return entry, slices.Compact(groups), nil
}

// bindUser binds as dn with password on a connection of its own, so the
// service connections never carry a user's identity.
func (a *Authenticator) bindUser(ctx context.Context, dn, password string) error {
	conn, err := a.dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = a.do(ctx, conn, func() (*goldap.SearchResult, error) {
		_, err := conn.SimpleBind(&goldap.SimpleBindRequest{Username: dn, Password: password})
		return nil, err
	})
	switch {
	case err == nil:
		return nil
	case goldap.IsErrorWithCode(err, goldap.LDAPResultInvalidCredentials):
		// Also a locked, expired or disabled Active Directory account
		// (49 with a reason code in the diagnostic message).
		return ErrInvalidCredentials
	}
	return a.unavailable(ctx, "binding as the user", err)
}

// get returns an idle service connection that is still open, or a new
// one bound as the service account; pooled says which.
func (a *Authenticator) get(ctx context.Context) (conn *goldap.Conn, pooled bool, err error) {
	for {
		select {
		case c := <-a.pool:
			if c.IsClosing() {
				c.Close()
				continue
			}
			return c, true, nil
		default:
		}
		c, err := a.dial(ctx)
		if err != nil {
			return nil, false, err
		}
		if a.cfg.BindDN != "" {
			_, err := a.do(ctx, c, func() (*goldap.SearchResult, error) {
				_, err := c.SimpleBind(&goldap.SimpleBindRequest{Username: a.cfg.BindDN, Password: a.cfg.BindPassword})
				return nil, err
			})
			if err != nil {
				c.Close()
				if goldap.IsErrorWithCode(err, goldap.LDAPResultInvalidCredentials) {
					return nil, false, fmt.Errorf("%w: the service account %q was refused (check AUTH_LDAP_BIND_DN and AUTH_LDAP_BIND_PASSWORD): %w", ErrUnavailable, a.cfg.BindDN, err)
				}
				return nil, false, a.unavailable(ctx, "binding as the service account", err)
			}
		}
		return c, false, nil
	}
}

// put returns conn to the pool after a use that ended with err, or
// closes it when it is broken or the pool is full.
func (a *Authenticator) put(conn *goldap.Conn, err error) {
	if conn.IsClosing() || (err != nil && broken(err)) {
		conn.Close()
		return
	}
	select {
	case a.pool <- conn:
	default:
		conn.Close()
	}
}

// broken reports whether err means the connection cannot be used again:
// a network error, a timeout, the connection closed.
func broken(err error) bool {
	var le *goldap.Error
	if errors.As(err, &le) {
		switch le.ResultCode {
		case goldap.ErrorNetwork, goldap.LDAPResultUnavailable, goldap.LDAPResultServerDown, goldap.LDAPResultTimeout, goldap.LDAPResultBusy:
			return true
		}
		return false
	}
	return err != nil && !errors.Is(err, ErrInvalidCredentials)
}

// do runs op on conn within the context and Config.Timeout: the
// request's timeout is what remains of both, and a context cancelled
// meanwhile closes the connection, which ends op.
func (a *Authenticator) do(ctx context.Context, conn *goldap.Conn, op func() (*goldap.SearchResult, error)) (*goldap.SearchResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	conn.SetTimeout(a.timeout(ctx))
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	res, err := op()
	if !stop() {
		// The context ended during op: its error says why.
		return nil, ctx.Err()
	}
	return res, err
}

// timeout is what remains of Config.Timeout and of ctx's deadline.
func (a *Authenticator) timeout(ctx context.Context) time.Duration {
	d := a.cfg.Timeout
	if dl, ok := ctx.Deadline(); ok {
		d = min(d, time.Until(dl))
	}
	return max(d, time.Millisecond)
}

// limitSeconds is the search time limit sent to the server.
func (a *Authenticator) limitSeconds() int { return max(1, int(a.cfg.Timeout/time.Second)) }

// unavailable wraps err, which happened while doing what, in
// ErrUnavailable.
func (a *Authenticator) unavailable(ctx context.Context, what string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w: %s at %s: %w", ErrUnavailable, what, a.url.addr, ctx.Err())
	}
	return fmt.Errorf("%w: %s at %s: %w", ErrUnavailable, what, a.url.addr, err)
}

// dialServer connects to the server within ctx and Config.Timeout: TLS
// from the first byte for ldaps://, StartTLS for ldap:// (which fails when
// the server does not offer it).
func (a *Authenticator) dialServer(ctx context.Context) (*goldap.Conn, error) {
	dctx, cancel := context.WithTimeout(ctx, a.cfg.Timeout)
	defer cancel()
	var (
		nc  net.Conn
		err error
	)
	if a.url.tls {
		d := tls.Dialer{Config: a.tls}
		nc, err = d.DialContext(dctx, "tcp", a.url.addr)
	} else {
		var d net.Dialer
		nc, err = d.DialContext(dctx, "tcp", a.url.addr)
	}
	if err != nil {
		return nil, a.unavailable(ctx, "connecting", err)
	}
	conn := goldap.NewConn(nc, a.url.tls)
	conn.Start()
	if a.url.startTLS {
		_, err := a.do(dctx, conn, func() (*goldap.SearchResult, error) { return nil, conn.StartTLS(a.tls.Clone()) })
		if err != nil {
			conn.Close()
			return nil, a.unavailable(ctx, "StartTLS (required for ldap:// URLs: use ldaps://, or enable TLS on the server)", err)
		}
	}
	return conn, nil
}

// user turns the entry into a User.
func (a *Authenticator) user(e *goldap.Entry, groups []string) *User {
	u := &User{DN: e.DN, Groups: groups, Attributes: map[string][]string{}}
	for _, attr := range e.Attributes {
		vals := make([]string, len(attr.ByteValues))
		for i, b := range attr.ByteValues {
			vals[i] = string(b)
		}
		u.Attributes[attr.Name] = vals
	}
	for _, name := range a.cfg.IDAttributes {
		if raw := e.GetEqualFoldRawAttributeValue(name); len(raw) > 0 {
			u.ID = string(raw)
			if strings.EqualFold(name, "objectGUID") && len(raw) == 16 {
				u.ID = guidString(raw)
			}
			break
		}
	}
	u.Email = first(e, a.cfg.EmailAttributes)
	u.Name = first(e, a.cfg.NameAttributes)
	return u
}

// first is the first value of the first of names e has.
func first(e *goldap.Entry, names []string) string {
	for _, n := range names {
		if v := e.GetEqualFoldAttributeValue(n); v != "" {
			return v
		}
	}
	return ""
}

// guidString formats Active Directory's objectGUID, 16 bytes whose first
// three fields are little-endian, as the string Windows shows
// (dddddddd-dddd-dddd-dddd-dddddddddddd).
func guidString(b []byte) string {
	return fmt.Sprintf("%08x-%04x-%04x-%x-%x",
		binary.LittleEndian.Uint32(b[0:4]), binary.LittleEndian.Uint16(b[4:6]), binary.LittleEndian.Uint16(b[6:8]), b[8:10], b[10:16])
}
