package authjs_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/internal/integration/authjs/expressapp"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/session"
)

type jwksAnswer struct {
	Payload map[string]any `json:"payload"`
	Alg     string         `json:"alg"`
	Kid     string         `json:"kid"`
	Error   string         `json:"error"`
	Code    string         `json:"code"`
}

// TestJWKSWithNodeJose: docs/KEYS.md's Node example — jose's
// createRemoteJWKSet and jwtVerify, the real package pinned by
// node/package-lock.json — verifies authgen session tokens of each
// public-key algorithm with GET {basePath}/jwks of a runtime/server, and
// refuses one signed by another key set and one with a changed payload.
func TestJWKSWithNodeJose(t *testing.T) {
	expressapp.NodeDir(t)
	for _, alg := range []string{keys.AlgES256, keys.AlgEdDSA, keys.AlgRS256, keys.AlgPS256} {
		t.Run(alg, func(t *testing.T) {
			now := time.Now()
			jwks, sign := jwksServer(t, alg, now)
			tok := sign(&session.Claims{Subject: "u1", Name: "Mona"})
			var got jwksAnswer
			node(t, "jwks.mjs", map[string]string{"jwks": jwks, "token": tok}, &got)
			if got.Error != "" || got.Alg != alg || got.Payload["sub"] != "u1" || got.Payload["name"] != "Mona" {
				t.Fatalf("jose: %+v", got)
			}

			_, otherSign := jwksServer(t, alg, now)
			parts := strings.Split(tok, ".")
			forged := parts[0] + "." + strings.Split(sign(&session.Claims{Subject: "admin"}), ".")[1] + "." + parts[2]
			for name, bad := range map[string]string{"another key set's token": otherSign(&session.Claims{Subject: "u1"}), "changed payload": forged} {
				var ans jwksAnswer
				node(t, "jwks.mjs", map[string]string{"jwks": jwks, "token": bad}, &ans)
				if ans.Error == "" || ans.Payload != nil {
					t.Errorf("%s: jose accepted it: %+v", name, ans)
				}
			}
		})
	}
}

// jwksServer starts an application whose signing key has alg and returns
// the URL of its /jwks and a function signing sessions as it does.
func jwksServer(t *testing.T, alg string, now time.Time) (string, func(*session.Claims) string) {
	t.Helper()
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	if err := ks.RotateWith(now, keys.RotateOptions{Alg: alg, Keep: time.Hour, Now: true}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	origin, _ := url.Parse("http://" + srv.Listener.Addr().String())
	auth, err := server.New(server.Config{URL: origin, Keys: ks, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/auth/", auth)
	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(srv.Close)
	codec, err := session.NewCodec(ks, now, session.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return origin.String() + "/api/auth" + server.JWKSPath, func(c *session.Claims) string {
		tok, err := codec.Encode(c, now)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
}
