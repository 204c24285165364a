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
	ctxParam := jen.Id("ctx").Qual("context", "Context")
	hooks := append(docs("SignIn runs before a user is signed in. Return an error to refuse them: they see the AccessDenied page."),
		jen.Id("SignIn").Op(":").Func().Params(ctxParam, jen.Id("in").Op("*").Qual(pkgServer, "SignInInput")).Error().Block(
			jen.Return(jen.Nil()),
		).Op(","),
		jen.Line())
	hooks = append(hooks, docs("JWT shapes the session token at sign-in, on update and on renewal. Store your own fields with SetData(in.Claims, SessionData{...}).")...)
	hooks = append(hooks, jen.Id("JWT").Op(":").Func().Params(ctxParam, jen.Id("in").Op("*").Qual(pkgServer, "JWTInput")).Error().Block(
		jen.Return(jen.Nil()),
	).Op(","))
	hooks = append(hooks, g.normalizeEmailHook()...)
	f.Func().Id("callbacks").Params().Qual(pkgServer, "Callbacks").Block(
		jen.Return(jen.Qual(pkgServer, "Callbacks").Custom(multiline, hooks...)),
	)
	f.Line()

	doc(f.Group, "events returns the functions told what happened, once it is stored: Auth.js's events, plus UnlinkAccount. They cannot refuse anything (that is what callbacks are for) and run on the request's goroutine, so start a goroutine for slow work. Remove one you do not need.")
	ctx := jen.Id("ctx").Qual("context", "Context")
	logf := func(level, msg string, args ...jen.Code) jen.Code {
		return jen.Id("logger").Dot(level + "Context").Call(append([]jen.Code{jen.Id("ctx"), jen.Lit(msg)}, args...)...)
	}
	event := func(name, typ, text string, body jen.Code) []jen.Code {
		return append(docs(text), jen.Id(name).Op(":").Func().Params(ctx, jen.Id("e").Qual(pkgServer, typ)).Block(body).Op(","))
	}
	field := func(path ...string) jen.Code {
		c := jen.Id("e")
		for _, p := range path {
			c = c.Dot(p)
		}
		return c
	}
	items := [][]jen.Code{
		event("SignIn", "SignInEvent", "SignIn: a user signed in (e.IsNewUser at their first sign-in).",
			logf("Info", "signed in", jen.Lit("provider"), field("Provider"), jen.Lit("user"), field("User", "ID"), jen.Lit("new"), field("IsNewUser"))),
		event("SignOut", "SignOutEvent", "SignOut: a user signed out (e.Everywhere: of every session).",
			logf("Info", "signed out", jen.Lit("user"), field("Session", "User", "ID"), jen.Lit("everywhere"), field("Everywhere"))),
		event("CreateUser", "UserEvent", "CreateUser: a user was created, at their first sign-in.",
			logf("Info", "user created", jen.Lit("user"), field("User", "ID"))),
		event("UpdateUser", "UserEvent", "UpdateUser: a user was changed (an e-mail sign-in verified their address).",
			logf("Info", "user updated", jen.Lit("user"), field("User", "ID"))),
		event("LinkAccount", "AccountEvent", "LinkAccount: a provider account was linked to a user; e.Profile is the provider's typed profile, such as *GitHubProfile.",
			logf("Info", "account linked", jen.Lit("user"), field("User", "ID"), jen.Lit("provider"), field("Account", "Provider"))),
		event("UnlinkAccount", "AccountEvent", "UnlinkAccount: a user unlinked a provider account.",
			logf("Info", "account unlinked", jen.Lit("user"), field("User", "ID"), jen.Lit("provider"), field("Account", "Provider"))),
		event("Session", "SessionEvent", "Session: a session was read through "+g.m.BasePath+"/session, as clients do often: keep it cheap.",
			logf("Debug", "session read", jen.Lit("user"), field("Session", "User", "ID"))),
	}
	var fields []jen.Code
	for i, item := range items {
		if i > 0 {
			fields = append(fields, jen.Line())
		}
		fields = append(fields, item...)
	}
	f.Func().Id("events").Params(jen.Id("logger").Op("*").Qual("log/slog", "Logger")).Qual(pkgServer, "Events").Block(
		jen.Return(jen.Qual(pkgServer, "Events").Custom(multiline, fields...)),
	)
	return g.goFile("callbacks.go", f, Scaffold)
}

// normalizeEmailHook is the NormalizeEmail field of callbacks.go for a
// project with e-mail sign-in: the runtime's normalisation, ready for the
// user's own rules.
func (g *gen) normalizeEmailHook() []jen.Code {
	if !g.email {
		return nil
	}
	return append(append([]jen.Code{jen.Line()}, docs("NormalizeEmail turns the address typed for e-mail sign-in into the one the user is known by: server.NormalizeEmail trims it, lower-cases its domain and refuses anything but one address. Return an error to refuse an address (a domain you do not serve, say).")...),
		jen.Id("NormalizeEmail").Op(":").Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("address").String()).Params(jen.String(), jen.Error()).Block(
			jen.Return(jen.Qual(pkgServer, "NormalizeEmail").Call(jen.Id("address"))),
		).Op(","))
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
