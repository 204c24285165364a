package generator_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/runtime/ldap"
	"github.com/authgen/authgen/runtime/server"
)

// TestFormEntries: the sign-in forms (credentials, ldap) are in the
// catalog with runtime/ldap's field names, generate a provider file each
// (and the credentials.go scaffold), require runtime/ldap only with ldap,
// and read AUTH_LDAP_* only with ldap.
func TestFormEntries(t *testing.T) {
	for _, id := range []string{manifest.CredentialsProviderID, manifest.LDAPProviderID} {
		e, ok := catalog.Lookup(id)
		if !ok || !e.IsCredentials() || e.IsOAuth() || !isHTTPS(e.Docs) {
			t.Fatalf("catalog entry %s: %+v", id, e)
		}
		var names []string
		identifiers := 0
		for _, f := range e.Form {
			names = append(names, f.Name)
			if f.Identifier {
				identifiers++
			}
			if f.Type != server.FieldText && f.Type != server.FieldPassword && f.Type != server.FieldEmail {
				t.Errorf("%s: field %s has type %q", id, f.Name, f.Type)
			}
		}
		if !slices.Equal(names, []string{ldap.FieldUsername, ldap.FieldPassword}) || identifiers != 1 {
			t.Errorf("%s: form %v (%d identifiers), want runtime/ldap's fields and one identifier", id, names, identifiers)
		}
		if _, err := generator.ProviderEnv(manifest.Provider{ID: id}, ""); !errors.Is(err, generator.ErrNotOAuth) {
			t.Errorf("ProviderEnv(%s) = %v, want ErrNotOAuth", id, err)
		}
	}

	for _, tt := range []struct {
		providers []string
		files     map[string]generator.Kind
		absent    []string
		ldap      bool
	}{
		{providers: []string{"credentials"},
			files:  map[string]generator.Kind{"auth/provider_credentials_gen.go": generator.Generated, "auth/credentials.go": generator.Scaffold},
			absent: []string{"auth/provider_ldap_gen.go"}},
		{providers: []string{"github", "ldap"},
			files:  map[string]generator.Kind{"auth/provider_ldap_gen.go": generator.Generated},
			absent: []string{"auth/credentials.go", "auth/provider_credentials_gen.go"}, ldap: true},
	} {
		spec := oneProviderSpec(t, tt.providers...)
		spec.App = true
		files, err := generator.Generate(spec)
		if err != nil {
			t.Fatal(err)
		}
		paths := map[string]generator.File{}
		for _, f := range files {
			paths[f.Path] = f
		}
		for p, kind := range tt.files {
			if f, ok := paths[p]; !ok || f.Kind != kind {
				t.Errorf("%v: %s: kind %v (present %v), want %v", tt.providers, p, f.Kind, ok, kind)
			}
		}
		for _, p := range tt.absent {
			if _, ok := paths[p]; ok {
				t.Errorf("%v: %s is generated", tt.providers, p)
			}
		}
		requires := slices.ContainsFunc(generator.Requirements(spec), func(r generator.Requirement) bool { return r.Path == "github.com/authgen/authgen/runtime/ldap" })
		if requires != tt.ldap {
			t.Errorf("%v: requires runtime/ldap %v, want %v", tt.providers, requires, tt.ldap)
		}
		if f, ok := paths["auth/credentials.go"]; ok {
			checkCredentialsScaffold(t, string(f.Content))
		}
		env := string(paths[".env.example"].Content)
		config := string(paths["auth/config_gen.go"].Content)
		for _, v := range []string{ldap.EnvURL, ldap.EnvBaseDN} {
			if strings.Contains(env, v+"=") != tt.ldap {
				t.Errorf("%v: .env.example has %s: %v, want %v", tt.providers, v, !tt.ldap, tt.ldap)
			}
		}
		if strings.Contains(config, "ldap.ReadEnv(e)") != tt.ldap {
			t.Errorf("%v: LoadConfig reads AUTH_LDAP_*: %v, want %v", tt.providers, !tt.ldap, tt.ldap)
		}
	}
}

// checkCredentialsScaffold: the Authorize authgen writes answers an
// unknown user only after a dummy verification, with the error of a wrong
// password, and re-hashes on a rehash.
func checkCredentialsScaffold(t *testing.T, src string) {
	t.Helper()
	unknown := "if errors.Is(err, errNoSuchUser) {"
	i := strings.Index(src, unknown)
	if i < 0 {
		t.Fatalf("credentials.go has no unknown-user branch:\n%s", src)
	}
	branch := src[i : i+strings.Index(src[i:], "\n\t}")]
	if !strings.Contains(branch, "password.VerifyDummy(c.Password)") || !strings.HasSuffix(strings.TrimSpace(branch), "return nil, server.ErrCredentials") {
		t.Errorf("the unknown-user branch does not verify a dummy hash and answer server.ErrCredentials:\n%s", branch)
	}
	if strings.Count(src, "return nil, server.ErrCredentials") != 2 {
		t.Error("a wrong password does not answer what an unknown user does")
	}
	if !strings.Contains(src, "if rehash {") || !strings.Contains(src, "password.Hash(c.Password)") {
		t.Error("credentials.go does not re-hash when password.Verify asks")
	}
}
