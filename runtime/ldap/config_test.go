package ldap

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
)

func getenv(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFromEnv(t *testing.T) {
	c, err := FromEnv(getenv(map[string]string{
		EnvURL:           "ldaps://ldap.example.com",
		EnvBaseDN:        "ou=people,dc=example,dc=com",
		EnvBindDN:        "cn=svc,dc=example,dc=com",
		EnvBindPassword:  "s3cret",
		EnvDirectory:     "activedirectory",
		EnvNameAttribute: " displayName , cn ,",
		EnvTimeout:       "3s",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Directory != ActiveDirectory || c.Timeout != 3*time.Second || strings.Join(c.NameAttributes, "|") != "displayName|cn" {
		t.Errorf("FromEnv = %+v", c)
	}
	d := c.withDefaults()
	if d.Filter != "(sAMAccountName={username})" || d.IDAttributes[0] != "objectGUID" || d.GroupFilter != "" || d.GroupAttribute != "memberOf" {
		t.Errorf("Active Directory defaults: %+v", d)
	}
	o := Config{URL: "ldap://x", BaseDN: "dc=x"}.withDefaults()
	if o.Filter != "(uid={username})" || o.IDAttributes[0] != "entryUUID" || !strings.Contains(o.GroupFilter, "member={dn}") || o.Timeout != DefaultTimeout || o.PoolSize != DefaultPoolSize {
		t.Errorf("OpenLDAP defaults: %+v", o)
	}
}

// TestFromEnvProblems: every problem at once, each naming its variable,
// and the service password never in the message.
func TestFromEnvProblems(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, []byte("not pem"), 0o600)
	cases := []struct {
		env  map[string]string
		want []string
	}{
		{map[string]string{}, []string{EnvURL + " is required", EnvBaseDN + " is required"}},
		{map[string]string{EnvURL: "http://x", EnvBaseDN: "nodn"}, []string{EnvURL + `="http://x": has scheme "http"`, EnvBaseDN + `="nodn" is not a DN`}},
		{map[string]string{EnvURL: "ldap://ldap.example.com?starttls=false", EnvBaseDN: "dc=x"}, []string{"clear text"}},
		{map[string]string{EnvURL: "ldaps://x?starttls=false", EnvBaseDN: "dc=x"}, []string{"only ever starttls=false, on an ldap://"}},
		{map[string]string{EnvURL: "ldap://x:99999", EnvBaseDN: "dc=x"}, []string{`port "99999"`}},
		{map[string]string{EnvURL: "ldap://u:pw@x/dc=x", EnvBaseDN: "dc=x"}, []string{"has user, path"}},
		{map[string]string{EnvURL: "ldap://x", EnvBaseDN: "dc=x", EnvBindDN: "cn=svc,dc=x"}, []string{EnvBindDN + " is set but " + EnvBindPassword + " is empty"}},
		{map[string]string{EnvURL: "ldap://x", EnvBaseDN: "dc=x", EnvBindPassword: "hunter2"}, []string{EnvBindPassword + " is set but " + EnvBindDN}},
		{map[string]string{EnvURL: "ldap://x", EnvBaseDN: "dc=x", EnvFilter: "(uid=alice)"}, []string{EnvFilter + `="(uid=alice)": holds no {username}`}},
		{map[string]string{EnvURL: "ldap://x", EnvBaseDN: "dc=x", EnvFilter: "uid={username}"}, []string{"is not an LDAP filter"}},
		{map[string]string{EnvURL: "ldap://x", EnvBaseDN: "dc=x", EnvGroupFilter: "(member=x)"}, []string{EnvGroupFilter + `="(member=x)": holds no {dn}`}},
		{map[string]string{EnvURL: "ldap://x", EnvBaseDN: "dc=x", EnvDirectory: "novell"}, []string{EnvDirectory + `="novell" is not a kind of directory: use openldap or activedirectory`}},
		{map[string]string{EnvURL: "ldap://x", EnvBaseDN: "dc=x", EnvTimeout: "soon"}, []string{EnvTimeout + `="soon" is not a positive duration`}},
		{map[string]string{EnvURL: "ldap://x", EnvBaseDN: "dc=x", EnvCAFile: ca}, []string{EnvCAFile + ": " + ca + " holds no PEM certificate"}},
		{map[string]string{EnvURL: "ldap://x", EnvBaseDN: "dc=x", EnvCAFile: ca + ".missing"}, []string{EnvCAFile + ": cannot read the CA file"}},
		{map[string]string{EnvURL: "ldap://x", EnvBaseDN: "dc=x", EnvEmailAttribute: "mail)(x"}, []string{`"mail)(x" is not an attribute name`}},
	}
	for _, c := range cases {
		_, err := FromEnv(getenv(c.env))
		if !errors.Is(err, ErrConfig) {
			t.Errorf("FromEnv(%v) = %v, want ErrConfig", c.env, err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("FromEnv(%v) = %v\nwant it to say %q", c.env, err, w)
			}
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("FromEnv's error shows the service password: %v", err)
		}
	}
}

func TestParseURL(t *testing.T) {
	for raw, want := range map[string]serverURL{
		"ldaps://ldap.example.com":              {addr: "ldap.example.com:636", host: "ldap.example.com", tls: true},
		"ldap://ldap.example.com":               {addr: "ldap.example.com:389", host: "ldap.example.com", startTLS: true},
		"ldap://127.0.0.1:3890/?starttls=false": {addr: "127.0.0.1:3890", host: "127.0.0.1"},
		"ldap://[::1]:3890?starttls=false":      {addr: "[::1]:3890", host: "::1"},
		"ldap://localhost?starttls=false":       {addr: "localhost:389", host: "localhost"},
		"ldaps://dc1.corp.example.com:3269":     {addr: "dc1.corp.example.com:3269", host: "dc1.corp.example.com", tls: true},
	} {
		got, err := parseURL(raw)
		if err != nil || got != want {
			t.Errorf("parseURL(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
}

// TestNewChecksConfig: New names Config's fields.
func TestNewChecksConfig(t *testing.T) {
	_, err := New(Config{URL: "ldap://x"})
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "Config.BaseDN is required") {
		t.Errorf("New = %v", err)
	}
}

// TestUserFilter: the username is a value, never filter syntax.
func TestUserFilter(t *testing.T) {
	c := Config{}
	for user, want := range map[string]string{
		"alice":    "(uid=alice)",
		"*)(uid=*": `(uid=\2a\29\28uid=\2a)`,
		"a\x00b":   `(uid=a\00b)`,
		`\5c`:      `(uid=\5c5c)`,
	} {
		if got := c.UserFilter(user); got != want {
			t.Errorf("UserFilter(%q) = %q, want %q", user, got, want)
		}
	}
	ad := Config{Directory: ActiveDirectory, Filter: "(&(objectClass=user)(sAMAccountName={username}))"}
	if got := ad.UserFilter("bob*"); got != `(&(objectClass=user)(sAMAccountName=bob\2a))` {
		t.Errorf("UserFilter = %q", got)
	}
}

func TestGUIDString(t *testing.T) {
	b := []byte{0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}
	if got := guidString(b); got != "00112233-4455-6677-8899-aabbccddeeff" {
		t.Errorf("guidString = %s", got)
	}
}

// FuzzUserFilter: whatever the username, the filter compiles to one
// equality match whose value is exactly the username.
func FuzzUserFilter(f *testing.F) {
	for _, s := range []string{"alice", "*)(uid=*", "*", `\`, "(", "a\x00", "é", "\xff"} {
		f.Add(s)
	}
	c := Config{Filter: "(&(objectClass=person)(uid={username}))"}
	f.Fuzz(func(t *testing.T, username string) {
		p, err := goldap.CompileFilter(c.UserFilter(username))
		if err != nil {
			t.Fatalf("UserFilter(%q) does not compile: %v", username, err)
		}
		if len(p.Children) != 2 || p.Children[1].Tag != goldap.FilterEqualityMatch {
			t.Fatalf("UserFilter(%q) = %s: not (&(objectClass=person)(uid=…))", username, c.UserFilter(username))
		}
		eq := p.Children[1]
		if got := eq.Children[1].Data.String(); got != username {
			t.Fatalf("UserFilter(%q) compares uid with %q", username, got)
		}
	})
}

// FuzzFromEnv: any value of any variable gives a Config New accepts, or
// ErrConfig; never a panic.
func FuzzFromEnv(f *testing.F) {
	f.Add("ldaps://ldap.example.com", "dc=example,dc=com", "(uid={username})", "10s", "openldap")
	f.Add("ldap://127.0.0.1:389?starttls=false", "ou=x", "(|(uid={username})(mail={username}))", "", "activedirectory")
	f.Add("ldap://%zz", "=", "(", "-1s", "x")
	f.Fuzz(func(t *testing.T, u, base, filter, timeout, dir string) {
		c, err := FromEnv(getenv(map[string]string{EnvURL: u, EnvBaseDN: base, EnvFilter: filter, EnvTimeout: timeout, EnvDirectory: dir}))
		if err != nil {
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("FromEnv error %v does not wrap ErrConfig", err)
			}
			return
		}
		if _, err := New(c); err != nil {
			t.Fatalf("FromEnv accepted %+v but New refuses it: %v", c, err)
		}
	})
}
