package ldap

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/env"
	"github.com/authgen/authgen/runtime/server"
)

func TestReadEnvReportsWithTheOthers(t *testing.T) {
	r := env.New(func(name string) string {
		if name == EnvTimeout {
			return "soon"
		}
		return ""
	})
	r.Required("AUTH_SECRET_OF_APP", "")
	ReadEnv(r)
	err := r.Err()
	if !errors.Is(err, env.ErrConfig) {
		t.Fatalf("Err = %v, want env.ErrConfig", err)
	}
	for _, want := range []string{"AUTH_SECRET_OF_APP is required", EnvURL + " is required", EnvBaseDN + " is required", EnvTimeout} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Err = %q, want it to name %q", err, want)
		}
	}
}

func TestIdentityCarriesGroups(t *testing.T) {
	u := &User{ID: "id-1", DN: "uid=ada,dc=example,dc=com", Email: "ada@example.com", Name: "Ada", Groups: []string{"cn=admins,dc=example,dc=com"}}
	id := u.Identity()
	if id.ID != "id-1" || id.Email != "ada@example.com" || !id.EmailVerified || id.Name != "Ada" {
		t.Errorf("Identity = %+v", id)
	}
	if g, _ := id.Claims["groups"].([]string); !slices.Equal(g, u.Groups) {
		t.Errorf("Claims[groups] = %v, want %v", id.Claims["groups"], u.Groups)
	}
	if g, ok := (&User{ID: "x"}).Identity().Claims["groups"].([]string); !ok || g == nil {
		t.Errorf("a user without groups: Claims[groups] = %#v, want an empty list", g)
	}
}

func TestAuthorizeWrongPasswordIsCredentialsSignin(t *testing.T) {
	a, err := New(Config{URL: "ldap://127.0.0.1:1?starttls=false", BaseDN: "dc=example,dc=com"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	// An empty password is refused before anything is sent.
	_, err = a.Authorize(context.Background(), server.CredentialsInput{Fields: map[string]string{FieldUsername: "ada"}})
	if !errors.Is(err, server.ErrCredentials) || !errors.Is(err, ErrInvalidCredentials) {
		t.Errorf("empty password: err = %v, want server.ErrCredentials", err)
	}
	// Nothing listens on port 1: unavailable, never wrong credentials.
	_, err = a.Authorize(context.Background(), server.CredentialsInput{Fields: map[string]string{FieldUsername: "ada", FieldPassword: "pw"}})
	if !errors.Is(err, ErrUnavailable) || errors.Is(err, server.ErrCredentials) {
		t.Errorf("directory down: err = %v, want ErrUnavailable only", err)
	}
}
