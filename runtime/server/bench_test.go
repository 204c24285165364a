package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/session"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/memstore"
)

// BenchmarkSessionEndpoint measures GET /api/auth/session in process, as a
// generated application configures the server (a JWT callback, DecodeData
// for an empty SessionData, events, a logger): without a cookie, and with a
// valid session that needs no renewal — signed, encrypted, signed with
// revocation (its record's check cached, as between two store reads), and
// a database session on the in-memory store. The same cookie comes every
// time, as from a polling client, so session.Codec.Decode finds the token
// remembered (runtime/session's BenchmarkDecodeSigned is the whole check).
// docs/PERFORMANCE.md has the figures and how to profile it.
func BenchmarkSessionEndpoint(b *testing.B) {
	for _, bc := range []struct {
		name   string
		cookie bool
		cfg    func(*server.Config)
	}{
		{name: "none", cfg: func(*server.Config) {}},
		{name: "signed", cookie: true, cfg: func(*server.Config) {}},
		{name: "encrypted", cookie: true, cfg: func(c *server.Config) { c.Session.Protection = session.Encrypted }},
		{name: "signed-revocation", cookie: true, cfg: func(c *server.Config) { c.Revocation = true }},
		{name: "database", cookie: true, cfg: func(c *server.Config) { c.Strategy = server.StrategyDatabase }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			a, req := benchApp(b, bc.cfg, bc.cookie)
			w := &discardWriter{h: http.Header{}}
			a.ServeHTTP(w, req)
			if w.status != http.StatusOK || w.setCookie() || (w.n < 20) == bc.cookie {
				b.Fatalf("GET /session: %d, %d bytes, Set-Cookie %v", w.status, w.n, w.h.Values("Set-Cookie"))
			}
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				a.ServeHTTP(w, req)
			}
			if w.status != http.StatusOK {
				b.Fatalf("GET /session: %d", w.status)
			}
		})
	}
}

// benchApp is a server configured as a generated application's, with a
// memory store (database sessions, revocation) when cfg asks for one, and
// a GET /api/auth/session request carrying a fresh session when cookie is
// set.
func benchApp(b *testing.B, cfg func(*server.Config), cookie bool) (*server.Auth, *http.Request) {
	b.Helper()
	ks, err := keys.Generate()
	if err != nil {
		b.Fatal(err)
	}
	origin, _ := url.Parse("http://localhost:3000")
	c := server.Config{
		URL:  origin,
		Keys: ks,
		Callbacks: server.Callbacks{
			SignIn: func(context.Context, *server.SignInInput) error { return nil },
			JWT:    func(context.Context, *server.JWTInput) error { return nil },
		},
		Events: server.Events{SignIn: func(context.Context, server.SignInEvent) {}},
		DecodeData: func(raw json.RawMessage) (any, error) {
			var d struct{}
			if len(raw) == 0 {
				return d, nil
			}
			return d, json.Unmarshal(raw, &d)
		},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	cfg(&c)
	ctx, now := context.Background(), time.Now()
	var mem *memstore.Store
	if c.Revocation || c.Strategy == server.StrategyDatabase {
		mem = memstore.New()
		c.Users, c.Sessions = mem, mem
	}
	a, err := server.New(c)
	if err != nil {
		b.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodGet, "http://localhost:3000/api/auth/session", nil)
	if err != nil {
		b.Fatal(err)
	}
	// What a browser sends to the endpoint besides the cookie.
	req.Header.Set("Accept", "*/*")
	req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
	req.RemoteAddr = "127.0.0.1:40000"
	if !cookie {
		return a, req
	}
	user := store.User{ID: "583231", Name: "Mona Octocat", Email: "mona@example.com", Image: "https://avatars.githubusercontent.com/u/583231?v=4"}
	var token string
	switch {
	case mem != nil:
		u, err := mem.CreateUser(ctx, user)
		if err != nil {
			b.Fatal(err)
		}
		user = *u
		sid := strings.Repeat("s", 43)
		if c.Strategy == server.StrategyDatabase {
			token = sid
		}
		rec := store.Session{ID: store.HashToken(sid), UserID: u.ID, Provider: "github", Expires: now.Add(session.DefaultMaxAge), CreatedAt: now}
		if err := mem.CreateSession(ctx, rec); err != nil {
			b.Fatal(err)
		}
		if token != "" {
			break
		}
		token = mintSession(b, ks, c.Session, user, sid, now)
	default:
		token = mintSession(b, ks, c.Session, user, "", now)
	}
	req.Header.Set("Cookie", "authgen.session-token="+token+"; authgen.csrf-token=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef%7C0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	return a, req
}

// mintSession is the token a sign-in of user would set.
func mintSession(b *testing.B, ks *keys.Set, opts session.Options, u store.User, sid string, now time.Time) string {
	b.Helper()
	codec, err := session.NewCodec(ks, now, opts)
	if err != nil {
		b.Fatal(err)
	}
	token, err := codec.Encode(&session.Claims{Subject: u.ID, Name: u.Name, Email: u.Email, Picture: u.Image, Provider: "github", SessionID: sid}, now)
	if err != nil {
		b.Fatal(err)
	}
	return token
}

// discardWriter is a ResponseWriter that keeps the status, the headers and
// the body's length, so the benchmark measures the handler, not a recorder.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header { return w.h }

func (w *discardWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *discardWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += len(p)
	return len(p), nil
}

func (w *discardWriter) reset() {
	clear(w.h)
	w.status, w.n = 0, 0
}

func (w *discardWriter) setCookie() bool { return len(w.h["Set-Cookie"]) > 0 }
