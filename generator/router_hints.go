package generator

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/authgen/authgen/generator/manifest"
)

// RouterLine is a line of the user's main.go that is wired for another
// router than authgen.yaml's.
type RouterLine struct {
	// Line is its number, from 1.
	Line int
	// Text is the line, without its indentation.
	Text string
}

// RouterChange says how the user's main.go, which authgen never rewrites,
// must change after authgen.yaml's router changed.
type RouterChange struct {
	// From is the router main.go is wired for; To is authgen.yaml's.
	From, To string
	// Lines are main.go's lines wired for From: its import, its calls, the
	// generated glue of From it uses.
	Lines []RouterLine
	// Wiring is what a new project's main.go has for To: the router made,
	// the auth API mounted, a page with the session and a route requiring
	// it.
	Wiring []string
	// Handlers says how To's handlers read the session.
	Handlers string
}

// routerImports are the import paths that tell a main.go's router.
var routerImports = map[string]string{
	pkgChi:  manifest.RouterChi,
	pkgEcho: manifest.RouterEcho,
	pkgGin:  manifest.RouterGin,
}

// routerNames are, per router, the names of the auth package's wiring for
// it that a main.go calls.
var routerNames = map[string][]string{
	manifest.RouterNetHTTP: {"Handler", "Require", "WithSession", "SessionFrom", "NewServeMux", "HandlerFunc"},
	manifest.RouterChi:     {"Handler", "Require", "WithSession", "SessionFrom"},
	manifest.RouterEcho:    {"MountEcho", "EchoRequire", "EchoWithSession", "EchoSession"},
	manifest.RouterGin:     {"MountGin", "GinRequire", "GinWithSession", "GinSession"},
}

// MainRouterChange reads src, a file of the user's that wires the auth
// package (main.go, or app/app.go where the project has one), and returns
// how it must change for spec's router: nil when it is wired for that
// router already, or nothing in it is wired for a router (it does not
// parse, does not use the auth package, or only calls another package's
// handler, as main.go calling app.Handler).
func MainRouterChange(src []byte, spec Spec) *RouterChange {
	to := spec.Manifest.RouterOrDefault()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "main.go", src, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	authPkg := path.Join(spec.Module, spec.Manifest.Package)
	from, routerName, authName := manifest.RouterNetHTTP, "", ""
	var importLine int
	imported := map[string]bool{}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		name := path.Base(p)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		imported[name] = true
		if r, ok := routerImports[p]; ok {
			from, routerName, importLine = r, name, fset.Position(imp.Pos()).Line
			if p == pkgEcho && imp.Name == nil {
				routerName = "echo"
			}
			if p == pkgChi && imp.Name == nil {
				routerName = "chi"
			}
		}
		if p == authPkg {
			authName = name
		}
	}
	if authName == "" || from == to {
		return nil
	}
	names := routerNames[from]
	lines := map[int]bool{}
	if importLine > 0 {
		lines[importLine] = true
	}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		x, _ := sel.X.(*ast.Ident)
		if x != nil && imported[x.Name] && x.Name != authName && x.Name != routerName && (x.Name != "http" || from != manifest.RouterNetHTTP) {
			return true // another package's name, such as app.Handler
		}
		switch {
		case x != nil && routerName != "" && x.Name == routerName,
			slices.Contains(names, sel.Sel.Name) && (x == nil || x.Name != "http" || from == manifest.RouterNetHTTP):
			lines[fset.Position(sel.Pos()).Line] = true
		}
		return true
	})
	if len(lines) == 0 {
		return nil // nothing in it is wired for a router
	}
	text := strings.Split(string(src), "\n")
	c := &RouterChange{From: from, To: to, Handlers: routerHandlers(to, authName)}
	for _, n := range slices.Sorted(maps.Keys(lines)) {
		if n-1 < len(text) {
			c.Lines = append(c.Lines, RouterLine{Line: n, Text: strings.TrimSpace(text[n-1])})
		}
	}
	g := &gen{spec: spec, m: spec.Manifest, pkgPath: authPkg}
	_, routes := g.routerWiring(func(name string) *jen.Statement { return jen.Id(authName).Dot(name) })
	for _, s := range routes {
		c.Wiring = append(c.Wiring, fmt.Sprintf("%#v", s))
	}
	return c
}

// routerHandlers says how a handler reads the session under router.
func routerHandlers(router, auth string) string {
	switch router {
	case manifest.RouterEcho:
		return "handlers are func(c echo.Context) error and read the session with " + auth + ".EchoSession(c)"
	case manifest.RouterGin:
		return "handlers are func(c *gin.Context) and read the session with " + auth + ".GinSession(c)"
	}
	return "handlers are func(w http.ResponseWriter, r *http.Request) and read the session with " + auth + ".SessionFrom(r.Context())"
}
