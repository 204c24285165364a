package testsvc

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// DexServer is a Dex OpenID Connect provider started by [Dex], with
// in-memory storage, the approval screen skipped, one static confidential
// client and one static password user. Log in through the web form at
// /dex/auth/local/login (fields "login" and "password").
type DexServer struct {
	*Process
	// Port is the HTTP port on 127.0.0.1.
	Port int
	// Issuer is http://127.0.0.1:PORT/dex.
	Issuer string
	// ClientID and ClientSecret are authgen / authgen-secret.
	ClientID, ClientSecret string
	// RedirectURIs are the client's allowed redirect URIs.
	RedirectURIs []string
	// Email, Username and Password log the static user in:
	// admin@example.com / password (username admin).
	Email, Username, Password string
	// UserID is the static user's ID (the sub claim is derived from it).
	UserID string
}

// Dex starts a Dex server for the test, using the dex binary from the tools
// module (see [ToolPath]). The static client "authgen" accepts the given
// redirect URIs.
func Dex(t testing.TB, redirectURIs ...string) *DexServer {
	t.Helper()
	skipShort(t)
	bin := ToolPath(t, "dex")
	d := &DexServer{
		ClientID:     "authgen",
		ClientSecret: "authgen-secret",
		RedirectURIs: append([]string{}, redirectURIs...),
		Email:        "admin@example.com",
		Username:     "admin",
		Password:     "password",
		UserID:       "08a8684b-db88-4b73-90a9-3cd1661f5466",
	}
	dir := newDir(t, "dex")
	cfgPath := filepath.Join(dir, "config.json")
	d.Process = &Process{
		Name: "dex",
		Dir:  dir,
		newCmd: func() *exec.Cmd {
			cmd := exec.Command(bin, "serve", cfgPath)
			// The bcrypt hash contains '$'; keep Dex from expanding it.
			cmd.Env = append(os.Environ(), "DEX_EXPAND_ENV=false")
			return cmd
		},
		ready: d.Ping,
	}
	d.startNew(t, 1, func(p []int) {
		d.Port = p[0]
		d.Issuer = fmt.Sprintf("http://127.0.0.1:%d/dex", d.Port)
		if err := d.writeConfig(cfgPath); err != nil {
			t.Fatalf("testsvc: dex config: %v", err)
		}
	})
	return d
}

func (d *DexServer) writeConfig(path string) error {
	// Dex reads YAML, and JSON is YAML; encoding/json does the quoting.
	cfg := map[string]any{
		"issuer":  d.Issuer,
		"storage": map[string]any{"type": "memory"},
		"web":     map[string]any{"http": hostPort(d.Port)},
		"logger":  map[string]any{"level": "warn"},
		"oauth2": map[string]any{
			"skipApprovalScreen": true,
			"responseTypes":      []string{"code"},
		},
		"staticClients": []map[string]any{{
			"id":           d.ClientID,
			"secret":       d.ClientSecret,
			"name":         "authgen",
			"redirectURIs": d.RedirectURIs,
		}},
		"enablePasswordDB": true,
		"staticPasswords": []map[string]any{{
			"email":    d.Email,
			"hash":     "$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W", // bcrypt("password")
			"username": d.Username,
			"userID":   d.UserID,
		}},
	}
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

// DiscoveryURL returns the issuer's /.well-known/openid-configuration URL.
func (d *DexServer) DiscoveryURL() string { return d.Issuer + "/.well-known/openid-configuration" }

// Ping fetches the discovery document and checks its issuer.
func (d *DexServer) Ping(ctx context.Context) error {
	return checkDiscovery(ctx, d.DiscoveryURL(), d.Issuer)
}

// OP is the zitadel/oidc v3 example OpenID provider started by [ZitadelOP].
// Its issuer is hard-coded by the example to http://localhost:PORT/ (not
// 127.0.0.1), and it keeps everything in memory.
//
// Clients (all with the given redirect URI): "web" / "secret" and "api" /
// "secret" (confidential) and "native" (public, PKCE). Users:
// test-user@localhost / verysecure (ID id1) and test-user2 / verysecure.
// The login form POSTs to /login/username with fields id (hidden), username
// and password.
type OP struct {
	*Process
	// Port is the HTTP port (the example listens on all interfaces).
	Port int
	// Issuer is http://localhost:PORT/.
	Issuer string
	// RedirectURI is the redirect URI registered for every client.
	RedirectURI string
	// ClientID and ClientSecret are the confidential client web / secret.
	ClientID, ClientSecret string
	// NativeClientID is the public client "native".
	NativeClientID string
	// Username and Password log in the first test user.
	Username, Password string
}

// ZitadelOP starts the zitadel/oidc example OP for the test, using the
// zitadel-example-op binary from the tools module (see [ToolPath]).
// redirectURI may be a comma-separated list.
func ZitadelOP(t testing.TB, redirectURI string) *OP {
	t.Helper()
	skipShort(t)
	bin := ToolPath(t, "zitadel-example-op")
	op := &OP{
		RedirectURI:    redirectURI,
		ClientID:       "web",
		ClientSecret:   "secret",
		NativeClientID: "native",
		Username:       "test-user@localhost",
		Password:       "verysecure",
	}
	dir := newDir(t, "zitadel-op")
	op.Process = &Process{
		Name: "zitadel-op",
		Dir:  dir,
		newCmd: func() *exec.Cmd {
			cmd := exec.Command(bin)
			cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(op.Port), "REDIRECT_URI="+op.RedirectURI)
			return cmd
		},
		ready: op.Ping,
	}
	op.startNew(t, 1, func(p []int) {
		op.Port = p[0]
		op.Issuer = fmt.Sprintf("http://localhost:%d/", op.Port)
	})
	return op
}

// DiscoveryURL returns http://localhost:PORT/.well-known/openid-configuration.
func (op *OP) DiscoveryURL() string { return op.Issuer + ".well-known/openid-configuration" }

// Ping fetches the discovery document (over 127.0.0.1) and checks its issuer.
func (op *OP) Ping(ctx context.Context) error {
	return checkDiscovery(ctx, fmt.Sprintf("http://%s/.well-known/openid-configuration", hostPort(op.Port)), op.Issuer)
}

// checkDiscovery fetches an OpenID discovery document and checks the issuer.
func checkDiscovery(ctx context.Context, url, issuer string) error {
	body, err := httpOK(ctx, url)
	if err != nil {
		return err
	}
	var doc struct {
		Issuer                string `json:"issuer"`
		AuthorizationEndpoint string `json:"authorization_endpoint"`
		TokenEndpoint         string `json:"token_endpoint"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return fmt.Errorf("discovery %s: %w", url, err)
	}
	if doc.Issuer != issuer {
		return fmt.Errorf("discovery %s: issuer %q, want %q", url, doc.Issuer, issuer)
	}
	if !strings.HasPrefix(doc.AuthorizationEndpoint, "http") || !strings.HasPrefix(doc.TokenEndpoint, "http") {
		return fmt.Errorf("discovery %s: missing endpoints", url)
	}
	return nil
}
