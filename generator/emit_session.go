package generator

import "github.com/dave/jennifer/jen"

// sessionFile emits session_gen.go: the typed session and its accessors.
func (g *gen) sessionFile() (File, error) {
	f := newFile(g.pkgPath, g.m.Package, true)

	f.Comment("Session is a signed-in user's session.")
	f.Type().Id("Session").Struct(
		jen.Comment("User is the signed-in user."),
		jen.Id("User").Id("User"),
		jen.Comment("Provider is the ID of the provider the user signed in with."),
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

	doc(f.Group, "SessionFrom returns the session that Require or WithSession found for the request whose context is ctx, and false when nobody is signed in.")
	f.Func().Id("SessionFrom").Params(jen.Id("ctx").Qual("context", "Context")).Params(jen.Op("*").Id("Session"), jen.Bool()).Block(
		jen.List(jen.Id("s"), jen.Id("ok")).Op(":=").Qual(pkgServer, "FromContext").Call(jen.Id("ctx")),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Nil(), jen.False())),
		jen.Return(jen.Id("sessionOf").Call(jen.Id("s"))),
	)
	f.Line()

	f.Comment("sessionOf types a runtime session.")
	f.Func().Id("sessionOf").Params(jen.Id("s").Op("*").Qual(pkgServer, "Session")).Params(jen.Op("*").Id("Session"), jen.Bool()).Block(
		jen.Id("out").Op(":=").Op("&").Id("Session").Custom(block,
			kv("User", jen.Id("s").Dot("User")),
			kv("Provider", jen.Id("s").Dot("Provider")),
			kv("Expires", jen.Id("s").Dot("Expires")),
		),
		jen.If(jen.Len(jen.Id("s").Dot("Data")).Op(">").Lit(0).Op("&&").Qual("encoding/json", "Unmarshal").Call(jen.Id("s").Dot("Data"), jen.Op("&").Id("out").Dot("Data")).Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.False()),
		),
		jen.Return(jen.Id("out"), jen.True()),
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
