// This file is yours: authgen wrote it once and never changes it.

// Command myapp is a web application with sign-in by authgen.
//
// Run it with "go run .", then open http://localhost:3000 ($PORT). It reads its
// configuration from the environment and, for variables the environment lacks,
// from the file .env in its working directory.
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/myapp/auth"
	"github.com/authgen/authgen/runtime/env"
	"github.com/authgen/authgen/runtime/server"
)

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(logger); err != nil {
		fmt.Fprintf(os.Stderr, "myapp: %v\n", err)
		os.Exit(1)
	}
}

// run serves the application until it is interrupted.
func run(logger *slog.Logger) error {
	// The environment, and under it the variables of .env, when there is one.
	getenv, err := env.Dotenv(env.DotenvFile, os.LookupEnv)
	if err != nil {
		return err
	}
	port := cmp.Or(getenv("PORT"), "3000")
	cfg, err := auth.LoadConfig(getenv, port)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := auth.New(ctx, cfg, logger)
	if err != nil {
		return err
	}

	mux := http.NewServeMux()
	mux.Handle(auth.BasePath+"/", a.Handler())
	mux.Handle("GET /{$}", a.WithSession(http.HandlerFunc(home)))
	mux.Handle("GET /me", a.Require(http.HandlerFunc(me)))

	// A request must arrive within ReadTimeout (a client trickling its body is
	// cut off), an answer may take WriteTimeout (a sign-in's callback waits for
	// the provider), an idle connection is closed after IdleTimeout, and
	// headers are at most MaxHeaderBytes: room for the largest session cookie
	// (16 chunks of 4 KB). SecureHeaders adds nosniff to every answer and keeps
	// other sites from framing the pages.
	srv := &http.Server{
		Addr:              ":" + port,
		Handler:           server.SecureHeaders(mux),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    128 << 10,
	}
	errc := make(chan error, 1)
	go func() {
		errc <- srv.ListenAndServe()
	}()
	logger.Info("listening", "addr", srv.Addr, "url", cfg.URL.String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// homePage is the home page. Its script, the browser client of docs/CLIENT.md, keeps
// it in step with the session: data-reload loads it again when the user signs in or
// out in another tab, and the link marked data-authgen-signout signs out at once
// (without the script, it leads to the sign-out page).
var homePage = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.App}}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}</style>
<script src="{{.ClientJS}}" data-reload defer></script>
</head>
<body>
<h1>{{.App}}</h1>
{{with .Session}}<p id="status">Signed in as <strong>{{or .User.Name .User.Email}}</strong>{{with .User.Email}} ({{.}}){{end}}{{with .Provider}} with {{.}}{{end}}.</p>
<p><a href="/me">Your session as JSON</a> · <a id="signout" href="{{$.BasePath}}/signout" data-authgen-signout>Sign out</a></p>
{{else}}<p id="status">You are not signed in.</p>
<p><a id="signin" href="{{.BasePath}}/signin">Sign in</a></p>
{{end}}</body>
</html>
`))

// home shows who is signed in, with links to sign in and out.
func home(w http.ResponseWriter, r *http.Request) {
	s, _ := auth.SessionFrom(r.Context())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	data := map[string]any{
		"App":      "myapp",
		"BasePath": auth.BasePath,
		"ClientJS": server.ClientScriptURL(auth.BasePath),
		"Session":  s,
	}
	if err := homePage.Execute(w, data); err != nil {
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
}

// me is a protected route: it answers the signed-in user's session as JSON. Its
// provider is empty for a database session from before authgen recorded it.
func me(w http.ResponseWriter, r *http.Request) {
	s, ok := auth.SessionFrom(r.Context())
	if !ok {
		// Require lets only signed-in requests through; this is a guard.
		http.Error(w, http.StatusText(http.StatusUnauthorized), http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id":       s.User.ID,
		"name":     s.User.Name,
		"email":    s.User.Email,
		"image":    s.User.Image,
		"provider": s.Provider,
		"expires":  s.Expires,
	})
}
