package generator

import (
	"github.com/dave/jennifer/jen"

	"github.com/authgen/authgen/generator/manifest"
)

// routerFile emits the glue for the manifest's router, when it needs any:
// echo_gen.go or gin_gen.go. The standard library's mux and chi take
// Handler, Require and WithSession as they are (chi's middleware is
// net/http's), so they get none.
func (g *gen) routerFile() (File, error) {
	f := newFile(g.pkgPath, g.m.Package, true)
	recv := jen.Id("a").Op("*").Id("Auth")
	switch g.m.RouterOrDefault() {
	case manifest.RouterEcho:
		doc(f.Group, "MountEcho serves the auth API on e, for every method under BasePath, in a group of its own, which it returns for middleware of the application's.")
		f.Func().Params(recv).Id("MountEcho").Params(jen.Id("e").Op("*").Qual(pkgEcho, "Echo")).Op("*").Qual(pkgEcho, "Group").Block(
			jen.Return(jen.Qual(pkgEchoAuth, "Mount").Call(jen.Id("e"), jen.Id("BasePath"), jen.Id("a").Dot("server"))))
		f.Line()
		doc(f.Group, `EchoRequire is Require as Echo middleware: it lets only signed-in requests through, with the session available from EchoSession(c). Other requests for pages are redirected to the sign-in page; the rest get 401 {"error":"SessionRequired"}. A session that cannot be read never reaches the handler: it gets 503 while the session store fails, 500 when its data no longer decodes into SessionData.`)
		f.Func().Params(recv).Id("EchoRequire").Params().Qual(pkgEcho, "MiddlewareFunc").Block(
			jen.Return(jen.Qual(pkgEchoAuth, "Middleware").Call(jen.Id("a").Dot("server").Dot("Require"))))
		f.Line()
		doc(f.Group, `EchoWithSession is WithSession as Echo middleware: it lets requests through, with the session available from EchoSession(c) when someone is signed in. A session that cannot be read is answered as EchoRequire answers it.`)
		f.Func().Params(recv).Id("EchoWithSession").Params().Qual(pkgEcho, "MiddlewareFunc").Block(
			jen.Return(jen.Qual(pkgEchoAuth, "Middleware").Call(jen.Id("a").Dot("server").Dot("WithSession"))))
		f.Line()
		doc(f.Group, `EchoSession returns the session EchoRequire or EchoWithSession found for c, and false when nobody is signed in (or neither middleware ran). The untyped session is c.Get(echoauth.SessionKey); SessionFrom(c.Request().Context()) returns this one too.`)
		f.Func().Id("EchoSession").Params(jen.Id("c").Qual(pkgEcho, "Context")).Params(jen.Op("*").Id("Session"), jen.Bool()).Block(
			jen.List(jen.Id("s"), jen.Id("ok")).Op(":=").Qual(pkgEchoAuth, "Session").Call(jen.Id("c")),
			jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Nil(), jen.False())),
			jen.Return(jen.Id("sessionOf").Call(jen.Id("s")), jen.True()),
		)
		return g.goFile("echo_gen.go", f, Generated)
	case manifest.RouterGin:
		doc(f.Group, "MountGin serves the auth API on r, for every method under BasePath, in a group of its own, which it returns for middleware of the application's.")
		f.Func().Params(recv).Id("MountGin").Params(jen.Id("r").Qual(pkgGin, "IRouter")).Op("*").Qual(pkgGin, "RouterGroup").Block(
			jen.Return(jen.Qual(pkgGinAuth, "Mount").Call(jen.Id("r"), jen.Id("BasePath"), jen.Id("a").Dot("server"))))
		f.Line()
		doc(f.Group, `GinRequire is Require as Gin middleware: it lets only signed-in requests through, with the session available from GinSession(c). Other requests for pages are redirected to the sign-in page; the rest get 401 {"error":"SessionRequired"}; either way the chain is aborted. A session that cannot be read never reaches the handlers: it gets 503 while the session store fails, 500 when its data no longer decodes into SessionData.`)
		f.Func().Params(recv).Id("GinRequire").Params().Qual(pkgGin, "HandlerFunc").Block(
			jen.Return(jen.Qual(pkgGinAuth, "Middleware").Call(jen.Id("a").Dot("server").Dot("Require"))))
		f.Line()
		doc(f.Group, `GinWithSession is WithSession as Gin middleware: it lets requests through, with the session available from GinSession(c) when someone is signed in. A session that cannot be read is answered as GinRequire answers it.`)
		f.Func().Params(recv).Id("GinWithSession").Params().Qual(pkgGin, "HandlerFunc").Block(
			jen.Return(jen.Qual(pkgGinAuth, "Middleware").Call(jen.Id("a").Dot("server").Dot("WithSession"))))
		f.Line()
		doc(f.Group, `GinSession returns the session GinRequire or GinWithSession found for c, and false when nobody is signed in (or neither middleware ran). The untyped session is c.Get(ginauth.SessionKey); SessionFrom(c.Request.Context()) returns this one too.`)
		f.Func().Id("GinSession").Params(jen.Id("c").Op("*").Qual(pkgGin, "Context")).Params(jen.Op("*").Id("Session"), jen.Bool()).Block(
			jen.List(jen.Id("s"), jen.Id("ok")).Op(":=").Qual(pkgGinAuth, "Session").Call(jen.Id("c")),
			jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Nil(), jen.False())),
			jen.Return(jen.Id("sessionOf").Call(jen.Id("s")), jen.True()),
		)
		return g.goFile("gin_gen.go", f, Generated)
	}
	return File{}, nil
}

// hasRouterFile reports whether the router needs glue of its own.
func (g *gen) hasRouterFile() bool {
	r := g.m.RouterOrDefault()
	return r == manifest.RouterEcho || r == manifest.RouterGin
}
