package manifest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator/manifest"
)

const base = `# my comment stays
version: 1
package: auth
basePath: /api/auth
cookiePrefix: authgen
database: none
session:
  strategy: jwt # inline too
  token: signed
providers:
  - id: github
`

func TestRoundTripKeepsComments(t *testing.T) {
	m, err := manifest.Parse([]byte(base))
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != base {
		t.Errorf("round trip changed the file:\n%s", out)
	}
	if m.Providers[0].CatalogID() != "github" || m.Session.Strategy != "jwt" {
		t.Errorf("decoded %+v", m)
	}
}

func TestNewIsValid(t *testing.T) {
	m, err := manifest.New(manifest.Choices{Providers: []string{"github"}, Database: "none", Strategy: "jwt", Token: "encrypted"})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := m.Bytes()
	again, err := manifest.Parse(out)
	if err != nil || again.Session.Token != "encrypted" {
		t.Fatalf("%v %+v", err, again)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct{ name, from, to, want string }{
		{"version", "version: 1", "version: 2", "version 2"},
		{"package", "package: auth", "package: Auth-x", "package"},
		{"base path", "basePath: /api/auth", "basePath: api/auth/", "basePath"},
		{"cookie prefix", "cookiePrefix: authgen", "cookiePrefix: a;b", "cookiePrefix"},
		{"database", "database: none", "database: oracle", "database"},
		{"strategy", "strategy: jwt", "strategy: cookie", "session.strategy"},
		{"database strategy needs a database", "strategy: jwt", "strategy: database", "needs a database"},
		{"token", "token: signed", "token: plain", "session.token"},
		{"provider id", "- id: github", "- id: Git Hub", "provider id"},
		{"duplicate provider", "  - id: github\n", "  - id: github\n  - id: github\n", "twice"},
		{"not yaml", "version: 1", "version: [", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := manifest.Parse([]byte(strings.Replace(base, tt.from, tt.to, 1)))
			if !errors.Is(err, manifest.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrInvalid mentioning %q", err, tt.want)
			}
		})
	}
}
