package generator

import (
	"path"

	"github.com/dave/jennifer/jen"

	"github.com/authgen/authgen/generator/manifest"
)

// homeHTML is the demo home page.
const homeHTML = `<!doctype html>
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
`

// mainFile emits the demo application's main.go.
func (g *gen) mainFile() (File, error) {
	authPkg := g.pkgPath
	app := path.Base(g.spec.Module)
	f := newFile(g.spec.Module, "main", false)
	f.ImportName(authPkg, g.m.Package)
	f.HeaderComment(ownership)
	packageDoc(f, "Command "+app+" is a web application with sign-in by authgen.\n\nRun it with \"go run .\", then open http://localhost:3000 ($PORT). It reads its configuration from the environment and, for variables the environment lacks, from the file .env in its working directory.")

	q := func(name string) *jen.Statement { return jen.Qual(authPkg, name) }
	http := func(name string) *jen.Statement { return jen.Qual("net/http", name) }
	f.ImportName(g.appPkgPath(), appPackage)

	f.Func().Id("main").Params().Block(
		jen.Id("logger").Op(":=").Qual("log/slog", "New").Call(jen.Qual("log/slog", "NewTextHandler").Call(jen.Qual("os", "Stderr"), jen.Nil())),
		jen.If(jen.Err().Op(":=").Id("run").Call(jen.Id("logger")), jen.Err().Op("!=").Nil()).Block(
			jen.Qual("fmt", "Fprintf").Call(jen.Qual("os", "Stderr"), jen.Lit(app+": %v\n"), jen.Err()),
			jen.Qual("os", "Exit").Call(jen.Lit(1)),
		),
	)
	f.Line()

	f.Comment("run serves the application until it is interrupted.")
	f.Func().Id("run").Params(jen.Id("logger").Op("*").Qual("log/slog", "Logger")).Error().Block(
		jen.Comment("The environment, and under it the variables of .env, when there is one."),
		jen.List(jen.Id("getenv"), jen.Err()).Op(":=").Qual(pkgEnv, "Dotenv").Call(jen.Qual(pkgEnv, "DotenvFile"), jen.Qual("os", "LookupEnv")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Id("port").Op(":=").Qual("cmp", "Or").Call(jen.Id("getenv").Call(jen.Lit("PORT")), jen.Lit("3000")),
		jen.List(jen.Id("cfg"), jen.Err()).Op(":=").Add(q("LoadConfig")).Call(jen.Id("getenv"), jen.Id("port")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.List(jen.Id("ctx"), jen.Id("stop")).Op(":=").Qual("os/signal", "NotifyContext").Call(jen.Qual("context", "Background").Call(), jen.Qual("os", "Interrupt"), jen.Qual("syscall", "SIGTERM")),
		jen.Defer().Id("stop").Call(),
		jen.List(jen.Id("a"), jen.Err()).Op(":=").Add(q("New")).Call(jen.Id("ctx"), jen.Id("cfg"), jen.Id("logger")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Do(func(s *jen.Statement) {
			if g.hasDB() {
				s.Defer().Id("a").Dot("Close").Call()
			}
		}),
		jen.Line(),
		jen.Comment("A request must arrive within ReadTimeout (a client trickling its body is"),
		jen.Comment("cut off), an answer may take WriteTimeout (a sign-in's callback waits for"),
		jen.Comment("the provider), an idle connection is closed after IdleTimeout, and"),
		jen.Comment("headers are at most MaxHeaderBytes: room for the largest session cookie"),
		jen.Comment("(16 chunks of 4 KB). The handler is package app's, which cmd/lambda"),
		jen.Comment("serves too when the application is deployed on AWS Lambda."),
		jen.Id("srv").Op(":=").Op("&").Add(http("Server")).Custom(block,
			kv("Addr", jen.Lit(":").Op("+").Id("port")),
			kv("Handler", jen.Qual(g.appPkgPath(), "Handler").Call(jen.Id("a"))),
			kv("ReadHeaderTimeout", jen.Lit(5).Op("*").Qual("time", "Second")),
			kv("ReadTimeout", jen.Lit(10).Op("*").Qual("time", "Second")),
			kv("WriteTimeout", jen.Lit(60).Op("*").Qual("time", "Second")),
			kv("IdleTimeout", jen.Lit(2).Op("*").Qual("time", "Minute")),
			kv("MaxHeaderBytes", jen.Lit(128).Op("<<").Lit(10)),
		),
		jen.Id("errc").Op(":=").Make(jen.Chan().Error(), jen.Lit(1)),
		jen.Go().Func().Params().Block(jen.Id("errc").Op("<-").Id("srv").Dot("ListenAndServe").Call()).Call(),
		jen.Id("logger").Dot("Info").Call(jen.Lit("listening"), jen.Lit("addr"), jen.Id("srv").Dot("Addr"), jen.Lit("url"), jen.Id("cfg").Dot("URL").Dot("String").Call()),
		jen.Select().Block(
			jen.Case(jen.Err().Op(":=").Op("<-").Id("errc")).Block(jen.Return(jen.Err())),
			jen.Case(jen.Op("<-").Id("ctx").Dot("Done").Call()),
		),
		jen.List(jen.Id("shutdown"), jen.Id("cancel")).Op(":=").Qual("context", "WithTimeout").Call(jen.Qual("context", "Background").Call(), jen.Lit(10).Op("*").Qual("time", "Second")),
		jen.Defer().Id("cancel").Call(),
		jen.Return(jen.Id("srv").Dot("Shutdown").Call(jen.Id("shutdown"))),
	)
	content, err := render("main.go", f)
	if err != nil {
		return File{}, err
	}
	return File{Path: "main.go", Content: content, Kind: Scaffold}, nil
}

// appRoutes adds the demo application's pages to f, package app: the home
// page and /me.
func (g *gen) appRoutes(f *jen.File, app string) {
	q := func(name string) *jen.Statement { return jen.Qual(g.pkgPath, name) }
	f.Line()

	f.Comment("homePage is the home page. Its script, the browser client of docs/CLIENT.md, keeps")
	f.Comment("it in step with the session: data-reload loads it again when the user signs in or")
	f.Comment("out in another tab, and the link marked data-authgen-signout signs out at once")
	f.Comment("(without the script, it leads to the sign-out page).")
	f.Var().Id("homePage").Op("=").Qual("html/template", "Must").Call(
		jen.Qual("html/template", "New").Call(jen.Lit("home")).Dot("Parse").Call(jen.Op("`" + homeHTML + "`")))
	f.Line()

	g.routerHandlerFuncs(f, q, app)
}

// routerWiring returns the demo's router variable and the statements making
// it: the auth API mounted, the home page with the session, /me requiring
// it, each in the router's idiom.
func (g *gen) routerWiring(q func(string) *jen.Statement) (string, []jen.Code) {
	http := func(name string) *jen.Statement { return jen.Qual("net/http", name) }
	a := func(name string) *jen.Statement { return jen.Id("a").Dot(name) }
	switch g.m.RouterOrDefault() {
	case manifest.RouterChi:
		return "r", []jen.Code{
			jen.Id("r").Op(":=").Qual(pkgChi, "NewRouter").Call(),
			jen.Id("r").Dot("Mount").Call(q("BasePath"), a("Handler").Call()),
			jen.Id("r").Dot("With").Call(a("WithSession")).Dot("Get").Call(jen.Lit("/"), jen.Id("home")),
			jen.Id("r").Dot("With").Call(a("Require")).Dot("Get").Call(jen.Lit("/me"), jen.Id("me")),
		}
	case manifest.RouterEcho:
		return "e", []jen.Code{
			jen.Id("e").Op(":=").Qual(pkgEcho, "New").Call(),
			a("MountEcho").Call(jen.Id("e")),
			jen.Id("e").Dot("GET").Call(jen.Lit("/"), jen.Id("home"), a("EchoWithSession").Call()),
			jen.Id("e").Dot("GET").Call(jen.Lit("/me"), jen.Id("me"), a("EchoRequire").Call()),
		}
	case manifest.RouterGin:
		return "r", []jen.Code{
			jen.Id("r").Op(":=").Qual(pkgGin, "New").Call(),
			jen.Id("r").Dot("Use").Call(jen.Qual(pkgGin, "Recovery").Call()),
			a("MountGin").Call(jen.Id("r")),
			jen.Id("r").Dot("GET").Call(jen.Lit("/"), a("GinWithSession").Call(), jen.Id("home")),
			jen.Id("r").Dot("GET").Call(jen.Lit("/me"), a("GinRequire").Call(), jen.Id("me")),
		}
	}
	return "mux", []jen.Code{
		jen.Id("mux").Op(":=").Add(http("NewServeMux")).Call(),
		jen.Id("mux").Dot("Handle").Call(q("BasePath").Op("+").Lit("/"), a("Handler").Call()),
		jen.Id("mux").Dot("Handle").Call(jen.Lit("GET /{$}"), a("WithSession").Call(http("HandlerFunc").Call(jen.Id("home")))),
		jen.Id("mux").Dot("Handle").Call(jen.Lit("GET /me"), a("Require").Call(http("HandlerFunc").Call(jen.Id("me")))),
	}
}

// routerHandlerFuncs emits the demo's home page and /me, with the router's
// handler signature and session accessor.
func (g *gen) routerHandlerFuncs(f *jen.File, q func(string) *jen.Statement, app string) {
	http := func(name string) *jen.Statement { return jen.Qual("net/http", name) }
	homeData := jen.Id("data").Op(":=").Map(jen.String()).Any().Custom(block,
		kvLit("App", jen.Lit(app)),
		kvLit("BasePath", q("BasePath")),
		kvLit("ClientJS", jen.Qual(pkgServer, "ClientScriptURL").Call(q("BasePath"))),
		kvLit("Session", jen.Id("s")),
	)
	meData := func(t *jen.Statement) *jen.Statement {
		return t.Custom(block,
			kvLit("id", jen.Id("s").Dot("User").Dot("ID")),
			kvLit("name", jen.Id("s").Dot("User").Dot("Name")),
			kvLit("email", jen.Id("s").Dot("User").Dot("Email")),
			kvLit("image", jen.Id("s").Dot("User").Dot("Image")),
			kvLit("provider", jen.Id("s").Dot("Provider")),
			kvLit("expires", jen.Id("s").Dot("Expires")),
		)
	}
	homeDoc := func() {
		f.Comment("home shows who is signed in, with links to sign in and out.")
	}
	meDoc := func() {
		f.Comment("me is a protected route: it answers the signed-in user's session as JSON. Its")
		f.Comment("provider is empty for a database session from before authgen recorded it.")
	}
	guard := jen.Comment("Require lets only signed-in requests through; this is a guard.")
	switch g.m.RouterOrDefault() {
	case manifest.RouterEcho:
		c := jen.Id("c").Qual(pkgEcho, "Context")
		homeDoc()
		f.Func().Id("home").Params(c).Error().Block(
			jen.List(jen.Id("s"), jen.Id("_")).Op(":=").Add(q("EchoSession")).Call(jen.Id("c")),
			jen.Id("c").Dot("Response").Call().Dot("Header").Call().Dot("Set").Call(jen.Qual(pkgEcho, "HeaderContentType"), jen.Qual(pkgEcho, "MIMETextHTMLCharsetUTF8")),
			homeData,
			jen.Return(jen.Id("homePage").Dot("Execute").Call(jen.Id("c").Dot("Response").Call(), jen.Id("data"))),
		)
		f.Line()
		meDoc()
		f.Func().Id("me").Params(jen.Id("c").Qual(pkgEcho, "Context")).Error().Block(
			jen.List(jen.Id("s"), jen.Id("ok")).Op(":=").Add(q("EchoSession")).Call(jen.Id("c")),
			jen.If(jen.Op("!").Id("ok")).Block(
				jen.Comment("EchoRequire lets only signed-in requests through; this is a guard."),
				jen.Return(jen.Qual(pkgEcho, "NewHTTPError").Call(http("StatusUnauthorized"))),
			),
			jen.Return(jen.Id("c").Dot("JSON").Call(http("StatusOK"), meData(jen.Map(jen.String()).Any()))),
		)
		return
	case manifest.RouterGin:
		c := func() *jen.Statement { return jen.Id("c").Op("*").Qual(pkgGin, "Context") }
		homeDoc()
		f.Func().Id("home").Params(c()).Block(
			jen.List(jen.Id("s"), jen.Id("_")).Op(":=").Add(q("GinSession")).Call(jen.Id("c")),
			jen.Id("c").Dot("Header").Call(jen.Lit("Content-Type"), jen.Lit("text/html; charset=utf-8")),
			homeData,
			jen.If(jen.Err().Op(":=").Id("homePage").Dot("Execute").Call(jen.Id("c").Dot("Writer"), jen.Id("data")), jen.Err().Op("!=").Nil()).Block(
				jen.Id("c").Dot("String").Call(http("StatusInternalServerError"), http("StatusText").Call(http("StatusInternalServerError"))),
			),
		)
		f.Line()
		meDoc()
		f.Func().Id("me").Params(c()).Block(
			jen.List(jen.Id("s"), jen.Id("ok")).Op(":=").Add(q("GinSession")).Call(jen.Id("c")),
			jen.If(jen.Op("!").Id("ok")).Block(
				jen.Comment("GinRequire lets only signed-in requests through; this is a guard."),
				jen.Id("c").Dot("AbortWithStatus").Call(http("StatusUnauthorized")),
				jen.Return(),
			),
			jen.Id("c").Dot("JSON").Call(http("StatusOK"), meData(jen.Qual(pkgGin, "H"))),
		)
		return
	}
	// net/http and chi: the standard handler signature, the session in
	// the request's context.
	homeDoc()
	f.Func().Id("home").Params(jen.Id("w").Add(http("ResponseWriter")), jen.Id("r").Op("*").Add(http("Request"))).Block(
		jen.List(jen.Id("s"), jen.Id("_")).Op(":=").Add(q("SessionFrom")).Call(jen.Id("r").Dot("Context").Call()),
		jen.Id("w").Dot("Header").Call().Dot("Set").Call(jen.Lit("Content-Type"), jen.Lit("text/html; charset=utf-8")),
		homeData,
		jen.If(jen.Err().Op(":=").Id("homePage").Dot("Execute").Call(jen.Id("w"), jen.Id("data")), jen.Err().Op("!=").Nil()).Block(
			http("Error").Call(jen.Id("w"), http("StatusText").Call(http("StatusInternalServerError")), http("StatusInternalServerError")),
		),
	)
	f.Line()
	meDoc()
	f.Func().Id("me").Params(jen.Id("w").Add(http("ResponseWriter")), jen.Id("r").Op("*").Add(http("Request"))).Block(
		jen.List(jen.Id("s"), jen.Id("ok")).Op(":=").Add(q("SessionFrom")).Call(jen.Id("r").Dot("Context").Call()),
		jen.If(jen.Op("!").Id("ok")).Block(
			guard,
			http("Error").Call(jen.Id("w"), http("StatusText").Call(http("StatusUnauthorized")), http("StatusUnauthorized")),
			jen.Return(),
		),
		jen.Id("w").Dot("Header").Call().Dot("Set").Call(jen.Lit("Content-Type"), jen.Lit("application/json")),
		jen.Id("_").Op("=").Qual("encoding/json", "NewEncoder").Call(jen.Id("w")).Dot("Encode").Call(meData(jen.Map(jen.String()).Any())),
	)
}
