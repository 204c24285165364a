package testsvc

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// LDAPServer is an OpenLDAP slapd started by [LDAP] or [LDAPWith], with an
// mdb database for dc=example,dc=org seeded with (passwords in brackets):
//
//	cn=svc,dc=example,dc=org                      a service account [svcpw]
//	uid=alice,ou=people,dc=example,dc=org         Alice Example, alice@example.org [alicepw]
//	uid=bob,ou=people,dc=example,dc=org           Bob Example, bob@example.org [bobpw]
//	cn=admins,ou=groups,dc=example,dc=org         groupOfNames: alice
//	cn=staff,ou=groups,dc=example,dc=org          groupOfNames: alice, bob
//	cn=Dave Doe,ou=corp,dc=example,dc=org         Active Directory style [davepw]:
//	    sAMAccountName ddoe, objectGUID [ADGUID], displayName Dave Doe,
//	    mail dave@corp.example.org, memberOf cn=Domain Users,ou=corp,… and
//	    cn=VPN,ou=corp,… (attributes from a small schema with AD's OIDs)
//
// Anonymous clients can read everything but passwords; users can bind with
// their password; the rootdn cn=admin,dc=example,dc=org / secret can write.
type LDAPServer struct {
	*Process
	// Host is always 127.0.0.1.
	Host string
	// Port is the TCP port of ldap:// (which offers StartTLS when the
	// server has TLS).
	Port int
	// TLSPort is the port of ldaps:// when the server has TLS, else 0.
	TLSPort int
	// CAFile is the PEM certificate of the authority that signed the
	// server's certificate (for 127.0.0.1 and localhost), when the server
	// has TLS.
	CAFile string
	// BaseDN is dc=example,dc=org.
	BaseDN string
	// AdminDN and AdminPassword are the rootdn credentials.
	AdminDN, AdminPassword string
	// ServiceDN and ServicePassword are the service account's.
	ServiceDN, ServicePassword string
	// UserDN, Username, Password and Email describe the test user alice.
	UserDN, Username, Password, Email string
}

// ADGUID is the objectGUID of the Active Directory style user ddoe, as
// the 16 bytes the server stores; Windows shows it as
// 00112233-4455-6677-8899-aabbccddeeff.
var ADGUID = []byte{0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}

// LDAPOptions configures [LDAPWith].
type LDAPOptions struct {
	// TLS gives the server a certificate from an authority the helper
	// makes (LDAPServer.CAFile): ldap:// then offers StartTLS, and
	// ldaps:// listens on TLSPort. Without it the server has no TLS at
	// all.
	TLS bool
}

const ldapConf = `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
include %[1]s/ad.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile %[1]s/slapd.pid
%[2]sdatabase mdb
maxsize 104857600
suffix "dc=example,dc=org"
rootdn "cn=admin,dc=example,dc=org"
rootpw secret
directory %[1]s/db
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
`

const ldapTLSConf = `TLSCACertificateFile %[1]s/ca.pem
TLSCertificateFile %[1]s/server.pem
TLSCertificateKeyFile %[1]s/server.key
`

// ldapADSchema declares the Active Directory attributes the seed uses,
// with AD's own OIDs, and an auxiliary class that allows them.
const ldapADSchema = `attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName'
	EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
	SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.2 NAME 'objectGUID'
	EQUALITY octetStringMatch
	SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.2.102 NAME 'memberOf'
	EQUALITY distinguishedNameMatch
	SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )
objectclass ( 1.2.840.113556.1.5.9 NAME 'adUser' SUP top AUXILIARY
	MAY ( sAMAccountName $ objectGUID $ memberOf ) )
`

const ldapSeed = `dn: dc=example,dc=org
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: cn=svc,dc=example,dc=org
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: svc
userPassword: svcpw

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

dn: uid=bob,ou=people,dc=example,dc=org
objectClass: inetOrgPerson
uid: bob
cn: Bob Example
sn: Example
mail: bob@example.org
userPassword: bobpw

dn: ou=groups,dc=example,dc=org
objectClass: organizationalUnit
ou: groups

dn: cn=admins,ou=groups,dc=example,dc=org
objectClass: groupOfNames
cn: admins
member: uid=alice,ou=people,dc=example,dc=org

dn: cn=staff,ou=groups,dc=example,dc=org
objectClass: groupOfNames
cn: staff
member: uid=alice,ou=people,dc=example,dc=org
member: uid=bob,ou=people,dc=example,dc=org

dn: ou=corp,dc=example,dc=org
objectClass: organizationalUnit
ou: corp

dn: cn=Dave Doe,ou=corp,dc=example,dc=org
objectClass: inetOrgPerson
objectClass: adUser
cn: Dave Doe
sn: Doe
displayName: Dave Doe
sAMAccountName: ddoe
objectGUID:: %s
mail: dave@corp.example.org
memberOf: cn=Domain Users,ou=corp,dc=example,dc=org
memberOf: cn=VPN,ou=corp,dc=example,dc=org
userPassword: davepw
`

// LDAP starts an OpenLDAP server without TLS for the test. It needs the
// Debian package slapd (the database is seeded offline with slapadd, so
// ldap-utils is only needed by tests that use the ldap* clients).
func LDAP(t testing.TB) *LDAPServer { return LDAPWith(t, LDAPOptions{}) }

// LDAPWith starts an OpenLDAP server configured by opts.
func LDAPWith(t testing.TB, opts LDAPOptions) *LDAPServer {
	t.Helper()
	skipShort(t)
	slapd := LookPath(t, "slapd", "slapd", sbinDirs...)
	slapadd := LookPath(t, "slapadd", "slapd", sbinDirs...)
	if _, err := os.Stat("/etc/ldap/schema/inetorgperson.schema"); err != nil {
		Unavailable(t, "testsvc: LDAP schema files missing (%v): install the Debian package slapd", err)
	}
	l := &LDAPServer{
		Host:            "127.0.0.1",
		BaseDN:          "dc=example,dc=org",
		AdminDN:         "cn=admin,dc=example,dc=org",
		AdminPassword:   "secret",
		ServiceDN:       "cn=svc,dc=example,dc=org",
		ServicePassword: "svcpw",
		UserDN:          "uid=alice,ou=people,dc=example,dc=org",
		Username:        "alice",
		Password:        "alicepw",
		Email:           "alice@example.org",
	}
	dir := newDir(t, "ldap")
	conf := filepath.Join(dir, "slapd.conf")
	seed := filepath.Join(dir, "seed.ldif")
	if err := os.Mkdir(filepath.Join(dir, "db"), 0o700); err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	tlsConf := ""
	if opts.TLS {
		writeCerts(t, dir)
		l.CAFile = filepath.Join(dir, "ca.pem")
		tlsConf = fmt.Sprintf(ldapTLSConf, dir)
	}
	files := map[string][]byte{
		conf:                            fmt.Appendf(nil, ldapConf, dir, tlsConf),
		filepath.Join(dir, "ad.schema"): []byte(ldapADSchema),
		seed:                            fmt.Appendf(nil, ldapSeed, base64.StdEncoding.EncodeToString(ADGUID)),
	}
	for name, data := range files {
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatalf("testsvc: %v", err)
		}
	}
	if out, err := runInDir(t.Context(), dir, nil, slapadd, "-q", "-f", conf, "-l", seed); err != nil {
		t.Fatalf("testsvc: slapadd: %v\n%s", err, out)
	}
	l.Process = &Process{
		Name: "slapd",
		Dir:  dir,
		newCmd: func() *exec.Cmd {
			urls := "ldap://" + l.Addr() + "/"
			if opts.TLS {
				urls += " ldaps://" + hostPort(l.TLSPort) + "/"
			}
			// -d keeps slapd in the foreground (any level, even 0).
			return exec.Command(slapd, "-d", "0", "-f", conf, "-h", urls)
		},
		ready: l.Ping,
	}
	n := 1
	if opts.TLS {
		n = 2
	}
	l.startNew(t, n, func(p []int) {
		l.Port = p[0]
		if opts.TLS {
			l.TLSPort = p[1]
		}
	})
	return l
}

// writeCerts makes a certificate authority (ca.pem) and a certificate for
// 127.0.0.1 and localhost signed by it (server.pem, server.key) in dir.
func writeCerts(t testing.TB, dir string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	now := time.Now()
	ca := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "authgen test LDAP CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	for name, block := range map[string]*pem.Block{
		"ca.pem":     {Type: "CERTIFICATE", Bytes: caDER},
		"server.pem": {Type: "CERTIFICATE", Bytes: der},
		"server.key": {Type: "PRIVATE KEY", Bytes: keyDER},
	} {
		if err := os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatalf("testsvc: %v", err)
		}
	}
}

// Addr returns "127.0.0.1:PORT".
func (l *LDAPServer) Addr() string { return hostPort(l.Port) }

// URL returns ldap://127.0.0.1:PORT.
func (l *LDAPServer) URL() string { return "ldap://" + l.Addr() }

// TLSURL returns ldaps://127.0.0.1:TLSPORT (a server started with TLS).
func (l *LDAPServer) TLSURL() string { return "ldaps://" + hostPort(l.TLSPort) }

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
