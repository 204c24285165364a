package testsvc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// LDAPServer is an OpenLDAP slapd started by [LDAP], with an mdb database
// for dc=example,dc=org holding one user:
//
//	uid=alice,ou=people,dc=example,dc=org  (cn Alice Example, mail alice@example.org, password alicepw)
//
// Anonymous clients can read everything but passwords; users can bind with
// their password; the rootdn cn=admin,dc=example,dc=org / secret can write.
type LDAPServer struct {
	*Process
	// Host is always 127.0.0.1.
	Host string
	// Port is the TCP port (plain LDAP, no TLS).
	Port int
	// BaseDN is dc=example,dc=org.
	BaseDN string
	// AdminDN and AdminPassword are the rootdn credentials.
	AdminDN, AdminPassword string
	// UserDN, Username, Password and Email describe the test user alice.
	UserDN, Username, Password, Email string
}

const ldapConf = `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile %[1]s/slapd.pid
database mdb
maxsize 104857600
suffix "dc=example,dc=org"
rootdn "cn=admin,dc=example,dc=org"
rootpw secret
directory %[1]s/db
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
`

const ldapSeed = `dn: dc=example,dc=org
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=people,dc=example,dc=org
objectClass: organizationalUnit
ou: people

dn: uid=alice,ou=people,dc=example,dc=org
objectClass: inetOrgPerson
uid: alice
cn: Alice Example
sn: Example
mail: alice@example.org
userPassword: alicepw
`

// LDAP starts an OpenLDAP server for the test. It needs the Debian package
// slapd (the database is seeded offline with slapadd, so ldap-utils is only
// needed by tests that use the ldap* clients).
func LDAP(t testing.TB) *LDAPServer {
	t.Helper()
	skipShort(t)
	slapd := LookPath(t, "slapd", "slapd", sbinDirs...)
	slapadd := LookPath(t, "slapadd", "slapd", sbinDirs...)
	if _, err := os.Stat("/etc/ldap/schema/inetorgperson.schema"); err != nil {
		Unavailable(t, "testsvc: LDAP schema files missing (%v): install the Debian package slapd", err)
	}
	l := &LDAPServer{
		Host:          "127.0.0.1",
		BaseDN:        "dc=example,dc=org",
		AdminDN:       "cn=admin,dc=example,dc=org",
		AdminPassword: "secret",
		UserDN:        "uid=alice,ou=people,dc=example,dc=org",
		Username:      "alice",
		Password:      "alicepw",
		Email:         "alice@example.org",
	}
	dir := newDir(t, "ldap")
	conf := filepath.Join(dir, "slapd.conf")
	seed := filepath.Join(dir, "seed.ldif")
	if err := os.Mkdir(filepath.Join(dir, "db"), 0o700); err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	if err := os.WriteFile(conf, fmt.Appendf(nil, ldapConf, dir), 0o600); err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	if err := os.WriteFile(seed, []byte(ldapSeed), 0o600); err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	if out, err := runInDir(t.Context(), dir, nil, slapadd, "-q", "-f", conf, "-l", seed); err != nil {
		t.Fatalf("testsvc: slapadd: %v\n%s", err, out)
	}
	l.Process = &Process{
		Name: "slapd",
		Dir:  dir,
		newCmd: func() *exec.Cmd {
			// -d keeps slapd in the foreground (any level, even 0).
			return exec.Command(slapd, "-d", "0", "-f", conf, "-h", "ldap://"+l.Addr()+"/")
		},
		ready: l.Ping,
	}
	l.startNew(t, 1, func(p []int) { l.Port = p[0] })
	return l
}

// Addr returns "127.0.0.1:PORT".
func (l *LDAPServer) Addr() string { return hostPort(l.Port) }

// URL returns ldap://127.0.0.1:PORT.
func (l *LDAPServer) URL() string { return "ldap://" + l.Addr() }

// Ping checks that alice can bind with her password (an LDAP simple bind
// over the wire), which also shows the seed data is loaded.
func (l *LDAPServer) Ping(ctx context.Context) error {
	return ldapBind(ctx, l.Addr(), l.UserDN, l.Password)
}

// ldapBind performs a simple bind and returns an error unless the result
// code is success.
func ldapBind(ctx context.Context, addr, dn, password string) error {
	// BindRequest ::= [APPLICATION 0] SEQUENCE { version INTEGER (3),
	//   name LDAPDN, authentication [0] simple OCTET STRING }
	bind := berTLV(0x60, concat(
		berTLV(0x02, []byte{3}),
		berTLV(0x04, []byte(dn)),
		berTLV(0x80, []byte(password)),
	))
	msg := berTLV(0x30, concat(berTLV(0x02, []byte{1}), bind))

	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	if _, err := c.Write(msg); err != nil {
		return err
	}
	tag, body, err := berRead(c)
	if err != nil {
		return fmt.Errorf("ldap bind: %w", err)
	}
	if tag != 0x30 {
		return fmt.Errorf("ldap bind: unexpected tag 0x%02x", tag)
	}
	// LDAPMessage: messageID INTEGER, protocolOp [APPLICATION 1] BindResponse
	_, _, rest, err := berNext(body) // messageID
	if err != nil {
		return err
	}
	tag, resp, _, err := berNext(rest)
	if err != nil {
		return err
	}
	if tag != 0x61 {
		return fmt.Errorf("ldap bind: unexpected response tag 0x%02x", tag)
	}
	tag, code, _, err := berNext(resp) // resultCode ENUMERATED
	if err != nil || tag != 0x0A || len(code) == 0 {
		return fmt.Errorf("ldap bind: malformed response")
	}
	if rc := int(code[len(code)-1]); rc != 0 {
		return fmt.Errorf("ldap bind as %q: result code %d", dn, rc)
	}
	return nil
}

func concat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func berTLV(tag byte, value []byte) []byte {
	b := []byte{tag}
	n := len(value)
	switch {
	case n < 0x80:
		b = append(b, byte(n))
	default:
		var lb []byte
		for ; n > 0; n >>= 8 {
			lb = append([]byte{byte(n)}, lb...)
		}
		b = append(b, 0x80|byte(len(lb)))
		b = append(b, lb...)
	}
	return append(b, value...)
}

// berNext splits the first TLV off b.
func berNext(b []byte) (tag byte, value, rest []byte, err error) {
	if len(b) < 2 {
		return 0, nil, nil, errors.New("ber: truncated")
	}
	tag, n, i := b[0], int(b[1]), 2
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 || k > 4 || len(b) < 2+k {
			return 0, nil, nil, errors.New("ber: bad length")
		}
		n = 0
		for _, x := range b[2 : 2+k] {
			n = n<<8 | int(x)
		}
		i += k
	}
	if len(b) < i+n {
		return 0, nil, nil, errors.New("ber: truncated")
	}
	return tag, b[i : i+n], b[i+n:], nil
}

// berRead reads one TLV from r.
func berRead(r io.Reader) (tag byte, value []byte, err error) {
	var h [2]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	n := int(h[1])
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 || k > 4 {
			return 0, nil, errors.New("ber: bad length")
		}
		lb := make([]byte, k)
		if _, err := io.ReadFull(r, lb); err != nil {
			return 0, nil, err
		}
		n = 0
		for _, x := range lb {
			n = n<<8 | int(x)
		}
	}
	if n > 1<<20 {
		return 0, nil, errors.New("ber: message too large")
	}
	value = make([]byte, n)
	_, err = io.ReadFull(r, value)
	return h[0], value, err
}
