// This file is yours: authgen wrote it once and never changes it.

// Package app is the application's handler: the sign-in API of package auth and
// the application's pages. main.go serves it over HTTP and, when the
// application is deployed on AWS Lambda, cmd/lambda/main.go serves it there, so
// both serve the same routes: add yours to Handler.
package app

import (
	"encoding/json"
	"html/template"
	"net/http"

	"example.com/passkeys/auth"
	"github.com/authgen/authgen/runtime/server"
)

// Handler returns the application: a's API under BasePath, the home page, and
// /me, which only signed-in users reach. SecureHeaders adds nosniff to every
// answer and keeps other sites from framing the pages.
func Handler(a *auth.Auth) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(auth.BasePath+"/", a.Handler())
	mux.Handle("GET /{$}", a.WithSession(http.HandlerFunc(home)))
	mux.Handle("GET /me", a.Require(http.HandlerFunc(me)))
	return server.SecureHeaders(mux)
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
		"App":      "passkeys",
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
