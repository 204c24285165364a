// This file is yours: authgen wrote it once and never changes it.

// Command app is a web application with sign-in by authgen.
//
// Run it with "go run .", then open http://localhost:3000 ($PORT).
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

	"example.com/app/auth"
)

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(logger); err != nil {
		fmt.Fprintf(os.Stderr, "app: %v\n", err)
		os.Exit(1)
	}
}

// run serves the application until it is interrupted.
func run(logger *slog.Logger) error {
	port := cmp.Or(os.Getenv("PORT"), "3000")
	cfg, err := auth.LoadConfig(os.Getenv, port)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := auth.New(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.Close()

	mux := http.NewServeMux()
	mux.Handle(auth.BasePath+"/", a.Handler())
	mux.Handle("GET /{$}", a.WithSession(http.HandlerFunc(home)))
	mux.Handle("GET /me", a.Require(http.HandlerFunc(me)))

	srv := &http.Server{
		Addr:              ":" + port,
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
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

var homePage = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.App}}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}</style>
</head>
<body>
<h1>{{.App}}</h1>
{{with .Session}}<p id="status">Signed in as <strong>{{or .User.Name .User.Email}}</strong>{{with .User.Email}} ({{.}}){{end}} with {{.Provider}}.</p>
<p><a href="/me">Your session as JSON</a> · <a id="signout" href="{{$.BasePath}}/signout">Sign out</a></p>
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
		"App":      "app",
		"BasePath": auth.BasePath,
		"Session":  s,
	}
	if err := homePage.Execute(w, data); err != nil {
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
}

// me is a protected route: it answers the signed-in user's session as JSON.
func me(w http.ResponseWriter, r *http.Request) {
	s, _ := auth.SessionFrom(r.Context())
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
