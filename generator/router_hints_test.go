package generator_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
)

// TestMainRouterChange: a demo app/app.go written for one router, read
// for each other, lists its router's lines and the new router's wiring;
// for its own router it needs no change, and main.go, which only serves
// app.Handler, never does.
func TestMainRouterChange(t *testing.T) {
	for _, from := range manifest.Routers {
		for _, to := range manifest.Routers {
			t.Run(from+" to "+to, func(t *testing.T) {
				m, err := manifest.New(manifest.Choices{Providers: []string{"github"}, Database: manifest.DBNone, Strategy: manifest.StrategyJWT, Token: manifest.TokenSigned, Router: from})
				if err != nil {
					t.Fatal(err)
				}
				spec := generator.Spec{Module: "example.com/app", Manifest: m, App: true}
				files, err := generator.Generate(spec)
				if err != nil {
					t.Fatal(err)
				}
				var src, mainGo []byte
				for _, f := range files {
					switch f.Path {
					case "app/app.go":
						src = f.Content
					case "main.go":
						mainGo = f.Content
					}
				}
				m.Router = to
				if c := generator.MainRouterChange(mainGo, spec); c != nil {
					t.Errorf("main.go, which serves app.Handler, needs a change: %+v", c)
				}
				c := generator.MainRouterChange(src, spec)
				if from == to {
					if c != nil {
						t.Fatalf("a change for the same router: %+v", c)
					}
					return
				}
				if c == nil || c.From != from || c.To != to || len(c.Lines) < 3 || len(c.Wiring) < 3 {
					t.Fatalf("change: %+v", c)
				}
				var got strings.Builder
				for _, l := range c.Lines {
					fmt.Fprintf(&got, "%d: %s\n", l.Line, l.Text)
				}
				wantOld := map[string]string{
					manifest.RouterNetHTTP: "mux.Handle(auth.BasePath+\"/\", a.Handler())",
					manifest.RouterChi:     "r.Mount(auth.BasePath, a.Handler())",
					manifest.RouterEcho:    "a.MountEcho(e)",
					manifest.RouterGin:     "a.MountGin(r)",
				}[from]
				if !strings.Contains(got.String(), wantOld) {
					t.Errorf("lines lack %q:\n%s", wantOld, got.String())
				}
				wiring := strings.Join(c.Wiring, "\n")
				wantNew := map[string]string{
					manifest.RouterNetHTTP: "mux.Handle(\"GET /me\", a.Require(http.HandlerFunc(me)))",
					manifest.RouterChi:     "r.With(a.Require).Get(\"/me\", me)",
					manifest.RouterEcho:    "e.GET(\"/me\", me, a.EchoRequire())",
					manifest.RouterGin:     "r.GET(\"/me\", a.GinRequire(), me)",
				}[to]
				if !strings.Contains(wiring, wantNew) {
					t.Errorf("wiring lacks %q:\n%s", wantNew, wiring)
				}
			})
		}
	}
	if c := generator.MainRouterChange([]byte("not go"), generator.Spec{Module: "example.com/app", Manifest: &manifest.Manifest{Package: "auth"}}); c != nil {
		t.Errorf("a change for a main.go that does not parse: %+v", c)
	}
}
