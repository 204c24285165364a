package generator

import (
	"cmp"
	"encoding/json"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/runtime/ldap"
)

// The project's tests: authtest_gen_test.go (generated, so it follows the
// providers and the database) builds the application for a test with a
// fake identity provider of runtime/authtest standing in for each
// provider; auth_test.go (a scaffold, written by init) tests sign-in,
// sessions, Require, sign-out and forged cookies on it.

// Packages the test files import.
const (
	pkgAuthtest = "github.com/authgen/authgen/runtime/authtest"
	// testFakesName, testAppName and newTestAppName are the helper's
	// declarations, which the scaffold uses.
	testFakesName  = "testFakes"
	testAppName    = "testApp"
	newTestAppName = "newTestApp"
)

// authtestMethods is the client authentication a fake enforces for a
// catalog entry's: exactly what the generated provider uses.
var authtestMethods = map[string]string{
	"":                        "client_secret_basic",
	catalog.ClientSecretBasic: "client_secret_basic",
	catalog.ClientSecretPost:  "client_secret_post",
	catalog.AppleSecret:       "apple",
	catalog.PrivateKeyJWT:     "private_key_jwt",
}

// catalogPath is a catalog URL's path and query, as a path on a fake:
// "https://api.x.com/2/users/me?f=1" → "/2/users/me?f=1", "{base}/oauth/token"
// → "/oauth/token", "https://accounts.google.com" → "".
func catalogPath(raw string) string {
	raw = strings.TrimPrefix(raw, "{base}")
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	i := strings.IndexAny(rest, "/?")
	if i < 0 {
		return ""
	}
	p := rest[i:]
	if p[0] == '?' {
		p = "/" + p
	}
	return p
}

// fake is the authtest.Fake literal that stands in for provider p: its
// protocol, client authentication, endpoints (as paths on the fake) and
// the answers of its catalog example.
func (g *gen) fake(p provider) jen.Code {
	e := p.entry
	s := providerSpec(p)
	conf := []jen.Code{}
	// An example ID token issued to a named client (its azp or aud) is
	// that client's: the fake registers it.
	var claims struct {
		Azp string          `json:"azp"`
		Aud json.RawMessage `json:"aud"`
	}
	if json.Unmarshal([]byte(e.Example.Claims), &claims) == nil {
		var aud string
		_ = json.Unmarshal(claims.Aud, &aud)
		if id := cmp.Or(claims.Azp, aud); id != "" {
			conf = append(conf, kv("ClientID", jen.Lit(id)))
		}
	}
	conf = append(conf, kv("AuthMethod", jen.Lit(authtestMethods[e.AuthMethod])))
	if e.UserinfoMethod != "" {
		conf = append(conf, kv("UserinfoMethod", jen.Lit(e.UserinfoMethod)))
	}
	switch e.Type {
	case catalog.OIDC:
		conf = append(conf, kv("OIDC", jen.True()))
	case catalog.OAuth1:
		conf = append(conf, kv("OAuth1", jen.True()))
	}
	if e.TokenExchange != "" {
		conf = append(conf, kv("TokenRequest", jen.Qual(pkgAuthtest, "LenientTokenRequest")))
	}
	if e.IDTokenSecretKey {
		conf = append(conf, kv("IDTokenHS256", jen.True()))
	}
	for _, d := range []struct{ field, doc string }{{"Userinfo", e.Example.Userinfo}, {"Claims", e.Example.Claims}, {"Token", e.Example.Token}} {
		if d.doc != "" {
			conf = append(conf, kv(d.field, rawLit(d.doc)))
		}
	}
	if len(e.Example.Responses) > 0 {
		var rs []jen.Code
		for _, k := range slices.Sorted(maps.Keys(e.Example.Responses)) {
			rs = append(rs, kvLit(k, rawLit(e.Example.Responses[k])))
		}
		conf = append(conf, kv("Responses", jen.Map(jen.String()).String().Custom(block, rs...)))
	}

	var paths, endpoints []jen.Code
	eps := e.Endpoints
	if eps == (catalog.Endpoints{}) && e.BaseURL != nil {
		eps = e.BaseURL.Endpoints
	}
	for _, ep := range []struct{ field, variable, url, def string }{
		{"Authorization", "AUTHORIZATION_URL", eps.Authorization, "/authorize"},
		{"Token", "TOKEN_URL", eps.Token, "/token"},
		{"Userinfo", "USERINFO_URL", eps.Userinfo, "/userinfo"},
		{"RequestToken", "REQUEST_TOKEN_URL", eps.RequestToken, "/oauth1/request_token"},
	} {
		path := catalogPath(ep.url)
		if ep.url != "" && path == "" {
			path = "/"
		}
		if ep.url == "" && e.NeedsEndpoints && (ep.field != "RequestToken" || e.Type == catalog.OAuth1) {
			path = ep.def
		}
		if path == "" {
			continue
		}
		paths = append(paths, kv(ep.field, jen.Lit(path)))
		if e.Type != catalog.OIDC {
			endpoints = append(endpoints, kvLit(ep.variable, jen.Lit(path)))
		}
	}
	if e.Type == catalog.OAuth2 && eps.Userinfo == "" && !e.NeedsEndpoints && e.Example.Userinfo == "" && len(e.Example.Responses) == 1 {
		// The runtime asks a fixed API URL of the provider's for the
		// profile (Meetup's GraphQL), unless AUTH_<ID>_USERINFO_URL says
		// where to read it: the fake's answer there, among its Responses.
		for path := range e.Example.Responses {
			endpoints = append(endpoints, kvLit("USERINFO_URL", jen.Lit(path)))
		}
	}
	if e.Type == catalog.OIDC && e.Issuer != "" {
		if path := catalogPath(e.Issuer); path != "" {
			paths = append(paths, kv("Issuer", jen.Lit(path)))
		}
	}
	if len(paths) > 0 {
		conf = append(conf, kv("Paths", jen.Qual(pkgAuthtest, "Paths").Custom(block, paths...)))
	}

	fields := []jen.Code{
		kv("ID", jen.Lit(p.ID)),
		kv("EnvName", jen.Lit(p.envName)),
		kv("Config", jen.Qual(pkgAuthtest, "Config").Custom(block, conf...)),
	}
	if len(endpoints) > 0 {
		fields = append(fields, kv("Endpoints", jen.Map(jen.String()).String().Custom(block, endpoints...)))
	}
	if e.BaseURL != nil {
		fields = append(fields, kv("BaseURL", jen.True()))
	}
	if s.NeedsAPIKey {
		fields = append(fields, kv("APIKey", jen.True()))
	}
	w := e.Example.Want
	user := []jen.Code{kv("ID", jen.Lit(w.ID))}
	for _, f := range []struct{ name, value string }{{"Name", w.Name}, {"Email", w.Email}, {"Image", w.Image}} {
		if f.value != "" {
			user = append(user, kv(f.name, jen.Lit(f.value)))
		}
	}
	if w.EmailVerified {
		user = append(user, kv("EmailVerified", jen.True()))
	}
	fields = append(fields, kv("User", jen.Qual(pkgOAuth, "User").Custom(block, user...)))
	return jen.Custom(block, fields...)
}

// rawLit is a raw string literal when it can be one, for readable JSON.
func rawLit(s string) jen.Code {
	if s != "" && !strings.ContainsAny(s, "`\r") {
		return jen.Op("`" + s + "`")
	}
	return jen.Lit(s)
}

// testPackage is the external test package of the auth package
// ("auth_test"), where the test files live: they use the package as an
// application does, and their names never clash with the project's.
func (g *gen) testPackage() string { return g.pkgName() + "_test" }

// pkgName is the auth package's name, the last element of its path.
func (g *gen) pkgName() string { return path.Base(g.m.Package) }

// testFile starts a Go file of the external test package.
func (g *gen) testFile(generated bool) *jen.File {
	f := newFile(g.pkgPath+"_test", g.testPackage(), generated)
	f.ImportName(g.pkgPath, g.pkgName())
	f.ImportName(pkgAuthtest, "authtest")
	return f
}

// testServerVar is a variable the test needs from the environment for a
// database or a session store that runs as a server.
type testServerVar struct {
	// name is the test's variable, appVar the application's it sets.
	name, appVar string
	// what the variable names, for the skip message.
	what string
}

// testServerVars are the servers the project's tests need: its database
// (unless SQLite or none) and Redis for sessions.
func (g *gen) testServerVars() []testServerVar {
	var out []testServerVar
	switch g.m.Database {
	case manifest.DBPostgres:
		out = append(out, testServerVar{"TEST_DATABASE_URL", "DATABASE_URL", "a PostgreSQL database (postgres://…)"})
	case manifest.DBMySQL:
		out = append(out, testServerVar{"TEST_DATABASE_URL", "DATABASE_URL", "a MySQL or MariaDB database (mysql://…)"})
	case manifest.DBMongoDB:
		out = append(out, testServerVar{"TEST_DATABASE_URL", "DATABASE_URL", "a MongoDB database (mongodb://…)"})
	case manifest.DBCustom:
		out = append(out, testServerVar{"TEST_DATABASE_URL", "DATABASE_URL", "the database of CustomStore"})
	}
	if g.redisSessions() {
		out = append(out, testServerVar{"TEST_REDIS_URL", "REDIS_URL", "a Redis server (redis://…)"})
	}
	return out
}

// testHelperFile emits authtest_gen_test.go: the fakes standing in for the
// project's providers and newTestApp, which builds the application on
// them for a test.
func (g *gen) testHelperFile() (File, error) {
	f := g.testFile(true)
	packageDoc(f, "The tests of package "+g.m.Package+" run the application as main.go builds it, offline: "+newTestAppName+" (authtest_gen_test.go, generated) points every provider of authgen.yaml at a fake identity provider of package authtest, and auth_test.go (yours) signs in through them.")

	var fakes []jen.Code
	for _, p := range g.providers {
		fakes = append(fakes, g.fake(p))
	}
	doc(f.Group, testFakesName+" are the fake identity providers (package authtest) that stand in for the OAuth and OpenID Connect providers of authgen.yaml in tests, in sign-in page order. Each speaks its provider's protocol with its client authentication and answers with the provider's documented example; User is the user a sign-in through it makes. \"authgen generate\" rewrites the list when the providers change.")
	f.Var().Id(testFakesName).Op("=").Index().Qual(pkgAuthtest, "Fake").Custom(block, fakes...)
	f.Line()

	doc(f.Group, testAppName+" is an application under test ("+newTestAppName+"): its URL, its providers with their fakes (Providers), and NewBrowser for a user.")
	fields := []jen.Code{jen.Op("*").Qual(pkgAuthtest, "App")}
	fields = append(fields, docs("Auth is the application's authentication, built by New from LoadConfig.")...)
	fields = append(fields, jen.Id("Auth").Op("*").Qual(g.pkgPath, "Auth"))
	fields = append(fields, docs("Mux serves the auth API under "+g.pkgName()+".BasePath; a test adds the routes it needs.")...)
	fields = append(fields, jen.Id("Mux").Op("*").Qual("net/http", "ServeMux"))
	f.Type().Id(testAppName).Struct(fields...)
	f.Line()

	var what []string
	switch g.m.Database {
	case manifest.DBSQLite:
		what = append(what, "a new SQLite database in t.TempDir(), migrated at start")
	case manifest.DBNone:
	default:
		what = append(what, "the database of TEST_DATABASE_URL, migrated at start (the test is skipped without it; test users are added to it, so never point it at a database of real users)")
	}
	if g.redisSessions() {
		what = append(what, "the Redis of TEST_REDIS_URL for sessions (skipped without it)")
	}
	text := newTestAppName + " starts the application for t, as main.go builds it (LoadConfig, New) from an environment of the test's own: AUTH_URL the test server's, a new key set, every provider pointed at its fake"
	for _, w := range what {
		text += ", " + w
	}
	text += ". It reads no variable of the process's environment"
	if len(g.testServerVars()) > 0 {
		text += " but the TEST_ ones named"
	}
	text += ", and everything stops when t ends. Failed sign-ins and other events are logged to the test's output."
	doc(f.Group, text)

	body := []jen.Code{jen.Id("t").Dot("Helper").Call()}
	vars := []jen.Code{}
	for _, v := range g.testServerVars() {
		id := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(v.name, "TEST_"), "_URL")) + "URL"
		body = append(body,
			jen.Id(id).Op(":=").Qual("os", "Getenv").Call(jen.Lit(v.name)),
			jen.If(jen.Id(id).Op("==").Lit("")).Block(
				jen.Id("t").Dot("Skip").Call(jen.Lit(v.name+" is not set: set it to "+v.what+" to run the tests")),
			),
		)
		vars = append(vars, kvLit(v.appVar, jen.Id(id)))
	}
	switch g.m.Database {
	case manifest.DBSQLite:
		vars = append(vars, kvLit("DATABASE_URL", jen.Lit("sqlite:").Op("+").Qual("path/filepath", "Join").Call(jen.Id("t").Dot("TempDir").Call(), jen.Lit("auth.db"))))
	}
	if g.m.Database != manifest.DBNone {
		vars = append(vars, kvLit("AUTH_AUTO_MIGRATE", jen.Lit("true")))
	}
	if g.m.AuthJS != nil {
		vars = append(vars, kvLit("AUTH_SECRET", jen.Qual("crypto/rand", "Text").Call()))
	}
	if g.hasLDAP() {
		// LDAP sign-in is not exercised: its required variables get their
		// examples, a server the test never reaches.
		for _, v := range ldap.Vars() {
			if v.Required {
				vars = append(vars, kvLit(v.Name, jen.Lit(v.Example)))
			}
		}
	}
	env := jen.Nil()
	if len(vars) > 0 {
		env = jen.Map(jen.String()).String().Custom(block, vars...)
	}
	body = append(body,
		jen.Id("app").Op(":=").Op("&").Id(testAppName).Values(jen.Id("Mux").Op(":").Qual("net/http", "NewServeMux").Call()),
		jen.Id("app").Dot("App").Op("=").Qual(pkgAuthtest, "NewApp").Call(jen.Id("t"), jen.Qual(pkgAuthtest, "AppConfig").Custom(block,
			kv("BasePath", jen.Qual(g.pkgPath, "BasePath")),
			kv("Fakes", jen.Id(testFakesName)),
			kv("Env", env),
			kv("Build", jen.Func().Params(jen.Id("getenv").Func().Params(jen.String()).String()).Params(jen.Qual("net/http", "Handler"), jen.Error()).Block(
				jen.List(jen.Id("cfg"), jen.Err()).Op(":=").Qual(g.pkgPath, "LoadConfig").Call(jen.Id("getenv"), jen.Lit("")),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
				jen.Id("logger").Op(":=").Qual("log/slog", "New").Call(jen.Qual("log/slog", "NewTextHandler").Call(jen.Id("t").Dot("Output").Call(), jen.Nil())),
				jen.List(jen.Id("a"), jen.Err()).Op(":=").Qual(g.pkgPath, "New").Call(jen.Id("t").Dot("Context").Call(), jen.Id("cfg"), jen.Id("logger")),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
				jen.Id("t").Dot("Cleanup").Call(jen.Func().Params().Block(
					jen.If(jen.Err().Op(":=").Id("a").Dot("Close").Call(), jen.Err().Op("!=").Nil()).Block(
						jen.Id("t").Dot("Errorf").Call(jen.Lit("Close: %v"), jen.Err()),
					),
				)),
				jen.Id("app").Dot("Auth").Op("=").Id("a"),
				jen.Id("app").Dot("Mux").Dot("Handle").Call(jen.Qual(g.pkgPath, "BasePath").Op("+").Lit("/"), jen.Id("a").Dot("Handler").Call()),
				jen.Return(jen.Id("app").Dot("Mux"), jen.Nil()),
			)),
		)),
		jen.Return(jen.Id("app")),
	)
	f.Func().Id(newTestAppName).Params(jen.Id("t").Op("*").Qual("testing", "T")).Op("*").Id(testAppName).Block(body...)
	f.Line()
	g.signInFuncs(f)
	return g.goFile("authtest_gen_test.go", f, Generated)
}

// signInFuncs emits firstProvider and signIn, which sign a browser in the
// way the project's sign-in goes (two-factor enrolment included).
func (g *gen) signInFuncs(f *jen.File) {
	t := jen.Id("t").Op("*").Qual("testing", "T")
	provider := jen.Qual(pkgAuthtest, "AppProvider")
	doc(f.Group, "firstProvider returns the application's first provider with its fake. It skips the test when authgen.yaml has no OAuth or OpenID Connect provider.")
	f.Func().Id("firstProvider").Params(t, jen.Id("app").Op("*").Id(testAppName)).Add(provider).Block(
		jen.Id("t").Dot("Helper").Call(),
		jen.If(jen.Len(jen.Id("app").Dot("Providers")).Op("==").Lit(0)).Block(
			jen.Id("t").Dot("Skip").Call(jen.Lit("authgen.yaml has no OAuth or OpenID Connect provider to sign in with")),
		),
		jen.Return(jen.Id("app").Dot("Providers").Index(jen.Lit(0))),
	)
	f.Line()

	required := g.m.TwoFactor == manifest.TwoFactorRequired
	text := "signIn signs a new browser in through the fake of provider p, with callbackUrl /me, and returns it. The sign-in ends at its callbackUrl, or at a page that carries it on (pages.newUser of authgen.yaml, after a first sign-in)."
	if required {
		text += " Two-factor sign-in is required (twoFactor: required), so the new user enrols a second factor first, which starts the session."
	}
	doc(f.Group, text)
	me := jen.Id("app").Dot("URL").Op("+").Lit("/me")
	body := []jen.Code{
		jen.Id("t").Dot("Helper").Call(),
		jen.Id("b").Op(":=").Id("app").Dot("NewBrowser").Call(jen.Id("t")),
		jen.Id("resp").Op(":=").Id("b").Dot("SignIn").Call(jen.Id("p").Dot("IdP"), jen.Id("p").Dot("ID"), me),
	}
	refused := jen.Id("to").Op("!=").Add(me).Op("&&").Id("u").Dot("Query").Call().Dot("Get").Call(jen.Lit("callbackUrl")).Op("!=").Add(me)
	cond := jen.Err().Op("!=").Nil().Op("||").Parens(refused)
	if required {
		body = append(body, jen.Id("to").Op(":=").Id("b").Dot("EnrolTwoFactor").Call(jen.Id("resp")))
	} else {
		body = append(body, jen.Id("to").Op(":=").Id("resp").Dot("Header").Dot("Get").Call(jen.Lit("Location")))
		cond = jen.Err().Op("!=").Nil().Op("||").Id("resp").Dot("StatusCode").Op("!=").Qual("net/http", "StatusFound").Op("||").Parens(refused)
	}
	body = append(body,
		jen.List(jen.Id("u"), jen.Err()).Op(":=").Qual("net/url", "Parse").Call(jen.Id("to")),
		jen.If(cond).Block(
			jen.Id("t").Dot("Fatalf").Call(jen.Lit("sign-in with %s: %s to %q, want %s/me:\n%s"), jen.Id("p").Dot("ID"), jen.Id("resp").Dot("Status"), jen.Id("to"), jen.Id("app").Dot("URL"), jen.Qual(pkgAuthtest, "Body").Call(jen.Id("t"), jen.Id("resp"))),
		),
		jen.Return(jen.Id("b")),
	)
	f.Func().Id("signIn").Params(t, jen.Id("app").Op("*").Id(testAppName), jen.Id("p").Add(provider)).Op("*").Qual(pkgAuthtest, "Browser").Block(body...)
}
