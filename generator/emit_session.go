package generator

import "github.com/dave/jennifer/jen"

// sessionFile emits session_gen.go: the typed session and its accessors.
func (g *gen) sessionFile() (File, error) {
	f := newFile(g.pkgPath, g.m.Package, true)

	f.Comment("Session is a signed-in user's session.")
	f.Type().Id("Session").Struct(
		jen.Comment("User is the signed-in user."),
		jen.Id("User").Id("User"),
		jen.Comment("Provider is the ID of the provider the user signed in with; empty"),
		jen.Comment("for a database session from before authgen recorded it."),
		jen.Id("Provider").String(),
		jen.Comment("Expires is when the session ends unless it is renewed."),
		jen.Id("Expires").Qual("time", "Time"),
		jen.Comment("Data holds the application's own session fields (session.go)."),
		jen.Id("Data").Id("SessionData"),
	)
	f.Line()

	f.Comment("User is the signed-in user.")
	f.Type().Id("User").Op("=").Qual(pkgServer, "User")
	f.Line()

	doc(f.Group, "ErrNoSession is the error of Auth.Session when nobody is signed in. Other errors mean the session could not be read: the session store failed (errors.Is(err, server.ErrStore)), or the session's data no longer decodes into SessionData (server.ErrSessionData).")
	f.Var().Id("ErrNoSession").Op("=").Qual(pkgServer, "ErrNoSession")
	f.Line()

	doc(f.Group, "Session returns the session of r, for handlers that Require and WithSession do not wrap: ErrNoSession when nobody is signed in, another error when the session cannot be read (see ErrNoSession). It never renews the session; the middlewares do.")
	f.Func().Params(jen.Id("a").Op("*").Id("Auth")).Id("Session").Params(jen.Id("r").Op("*").Qual("net/http", "Request")).Params(jen.Op("*").Id("Session"), jen.Error()).Block(
		jen.List(jen.Id("s"), jen.Err()).Op(":=").Id("a").Dot("server").Dot("Session").Call(jen.Id("r")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("sessionOf").Call(jen.Id("s")), jen.Nil()),
	)
	f.Line()

	doc(f.Group, "SessionFrom returns the session that Require or WithSession found for the request whose context is ctx, and false when nobody is signed in (or neither middleware ran). Under Require it is always there: the middlewares answer a session they cannot read themselves, so a handler never sees one.")
	f.Func().Id("SessionFrom").Params(jen.Id("ctx").Qual("context", "Context")).Params(jen.Op("*").Id("Session"), jen.Bool()).Block(
		jen.List(jen.Id("s"), jen.Id("ok")).Op(":=").Qual(pkgServer, "FromContext").Call(jen.Id("ctx")),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Nil(), jen.False())),
		jen.Return(jen.Id("sessionOf").Call(jen.Id("s")), jen.True()),
	)
	f.Line()

	f.Comment("sessionOf types a runtime session, whose Data decodeSessionData decoded.")
	f.Func().Id("sessionOf").Params(jen.Id("s").Op("*").Qual(pkgServer, "Session")).Op("*").Id("Session").Block(
		jen.List(jen.Id("data"), jen.Id("_")).Op(":=").Id("s").Dot("Decoded").Assert(jen.Id("SessionData")),
		jen.Return(jen.Op("&").Id("Session").Custom(block,
			kv("User", jen.Id("s").Dot("User")),
			kv("Provider", jen.Id("s").Dot("Provider")),
			kv("Expires", jen.Id("s").Dot("Expires")),
			kv("Data", jen.Id("data")),
		)),
	)
	f.Line()

	doc(f.Group, "decodeSessionData decodes a session's data into SessionData for the server (server.Config.DecodeData), which refuses a session whose data does not decode.")
	f.Func().Id("decodeSessionData").Params(jen.Id("raw").Qual("encoding/json", "RawMessage")).Params(jen.Any(), jen.Error()).Block(
		jen.Var().Id("d").Id("SessionData"),
		jen.If(jen.Len(jen.Id("raw")).Op("==").Lit(0)).Block(jen.Return(jen.Id("d"), jen.Nil())),
		jen.If(jen.Err().Op(":=").Qual("encoding/json", "Unmarshal").Call(jen.Id("raw"), jen.Op("&").Id("d")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Err()),
		),
		jen.Return(jen.Id("d"), jen.Nil()),
	)
	f.Line()

	doc(f.Group, "SetData stores d in the session's claims. Call it from the JWT callback (callbacks.go); the session carries it until the next update.")
	f.Func().Id("SetData").Params(jen.Id("c").Op("*").Qual(pkgSession, "Claims"), jen.Id("d").Id("SessionData")).Error().Block(
		jen.List(jen.Id("raw"), jen.Err()).Op(":=").Qual("encoding/json", "Marshal").Call(jen.Id("d")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(g.m.Package+": session data: %w"), jen.Err()))),
		jen.Id("c").Dot("Data").Op("=").Id("raw"),
		jen.Return(jen.Nil()),
	)
	return g.goFile("session_gen.go", f, Generated)
}
