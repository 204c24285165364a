package generator

import "github.com/dave/jennifer/jen"

// multiline lays out a composite literal one item per line, so items can
// carry comments; each value item ends with its own comma.
var multiline = jen.Options{Open: "{", Close: "}", Separator: "", Multi: true}

// ownership is the note at the top of every scaffold file.
const ownership = "This file is yours: authgen wrote it once and never changes it."

// callbacksFile emits callbacks.go, the user's hooks.
func (g *gen) callbacksFile() (File, error) {
	f := newFile(g.pkgPath, g.m.Package, false)
	f.HeaderComment(ownership)

	doc(f.Group, "callbacks returns the hooks that decide who may sign in and what a session holds. Each field of server.Callbacks that is left nil keeps authgen's default.")
	f.Func().Id("callbacks").Params().Qual(pkgServer, "Callbacks").Block(
		jen.Return(jen.Qual(pkgServer, "Callbacks").Custom(multiline, append(append(
			docs("SignIn runs before a user is signed in. Return an error to refuse them: they see the AccessDenied page."),
			jen.Id("SignIn").Op(":").Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("in").Op("*").Qual(pkgServer, "SignInInput")).Error().Block(
				jen.Return(jen.Nil()),
			).Op(","),
			jen.Line()),
			append(docs("JWT shapes the session token at sign-in, on update and on renewal. Store your own fields with SetData(in.Claims, SessionData{...})."),
				jen.Id("JWT").Op(":").Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("in").Op("*").Qual(pkgServer, "JWTInput")).Error().Block(
					jen.Return(jen.Nil()),
				).Op(","))...)...,
		)),
	)
	f.Line()

	doc(f.Group, "events returns the functions told about sign-ins and sign-outs.")
	f.Func().Id("events").Params(jen.Id("logger").Op("*").Qual("log/slog", "Logger")).Qual(pkgServer, "Events").Block(
		jen.Return(jen.Qual(pkgServer, "Events").Custom(block,
			kv("SignIn", jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("e").Qual(pkgServer, "SignInEvent")).Block(
				jen.Id("logger").Dot("InfoContext").Call(jen.Id("ctx"), jen.Lit("signed in"), jen.Lit("provider"), jen.Id("e").Dot("Provider"), jen.Lit("user"), jen.Id("e").Dot("User").Dot("ID")),
			)),
			kv("SignOut", jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("e").Qual(pkgServer, "SignOutEvent")).Block(
				jen.Id("logger").Dot("InfoContext").Call(jen.Id("ctx"), jen.Lit("signed out"), jen.Lit("user"), jen.Id("e").Dot("Session").Dot("User").Dot("ID")),
			)),
		)),
	)
	return g.goFile("callbacks.go", f, Scaffold)
}

// profilesFile emits profiles.go, the user's profile-mapping override.
func (g *gen) profilesFile() (File, error) {
	f := newFile(g.pkgPath, g.m.Package, false)
	f.HeaderComment(ownership)

	example := "For example, to prefer a GitHub user's login to their display name:"
	doc(f.Group, "mapProfile lets you change how a provider's profile becomes a user. It runs after the provider's default mapping (in its _gen.go file) with the typed profile, such as *GitHubProfile, and may change u.")
	f.Func().Id("mapProfile").Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("profile").Any(), jen.Id("u").Op("*").Qual(pkgOAuth, "User")).Error().Block(
		jen.Comment(example),
		jen.Comment(""),
		jen.Comment("\tif p, ok := profile.(*GitHubProfile); ok {"),
		jen.Comment("\t\tu.Name = p.Login"),
		jen.Comment("\t}"),
		jen.Return(jen.Nil()),
	)
	return g.goFile("profiles.go", f, Scaffold)
}

// sessionDataFile emits session.go, the user's custom session fields.
func (g *gen) sessionDataFile() (File, error) {
	f := newFile(g.pkgPath, g.m.Package, false)
	f.HeaderComment(ownership)
	doc(f.Group, "SessionData is the part of a session your application defines, such as a role. It travels in the session token's \"data\" claim with every request, so keep it small. Set it with SetData in the JWT callback (callbacks.go) and read it from Session.Data.")
	f.Type().Id("SessionData").Struct()
	return g.goFile("session.go", f, Scaffold)
}
