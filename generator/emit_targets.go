package generator

import (
	"fmt"
	"io/fs"
	"path"
	"slices"

	"github.com/dave/jennifer/jen"

	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/templates"
)

// Deploy targets: where a project is deployed besides a server of its own.
// Each adds scaffold files, written once and then the user's, so a target
// is not recorded in authgen.yaml: nothing generated depends on it, and the
// files themselves say which targets a project has (docs/DEPLOY.md).
const (
	// TargetLambda is AWS Lambda behind a function URL: cmd/lambda/main.go
	// and scripts/build-lambda.sh, which builds the bootstrap zip.
	TargetLambda = "lambda"
	// TargetContainer is a container image: a multi-stage Dockerfile
	// building a static binary onto a distroless image, and .dockerignore.
	TargetContainer = "container"
)

// Targets are the deploy targets, in the order help lists them.
var Targets = []string{TargetLambda, TargetContainer}

// GoVersion is the Go release of the projects authgen creates: their go.mod's
// go directive and the Dockerfile's build image.
const GoVersion = "1.26"

// appPackage is the package, at the module's root, that builds the
// application's handler: main.go serves it over HTTP and cmd/lambda on
// Lambda.
const appPackage = "app"

// The targets' files, paths from the module root.
const (
	appPath          = appPackage + "/app.go"
	lambdaMainPath   = "cmd/lambda/main.go"
	lambdaBuildPath  = "scripts/build-lambda.sh"
	dockerfilePath   = "Dockerfile"
	dockerignorePath = ".dockerignore"
)

// TargetFiles are the paths, from the module root, of the scaffold files
// deploy target t adds: lambda's include app/app.go, the handler
// cmd/lambda serves (a new project's demo app has it too). An unknown
// target has none.
func TargetFiles(t string) []string {
	switch t {
	case TargetLambda:
		return []string{appPath, lambdaMainPath, lambdaBuildPath}
	case TargetContainer:
		return []string{dockerfilePath, dockerignorePath}
	}
	return nil
}

// pkgLambda serves an http.Handler on Lambda function URLs.
const pkgLambda = "github.com/authgen/authgen/runtime/lambda"

// appPkgPath is the import path of package app.
func (g *gen) appPkgPath() string { return path.Join(g.spec.Module, appPackage) }

// hasTarget reports whether the spec asks for target t.
func (g *gen) hasTarget(t string) bool { return slices.Contains(g.spec.Targets, t) }

// checkTargets refuses a target authgen does not know, and package app
// where the auth package is.
func (g *gen) checkTargets() error {
	for _, t := range g.spec.Targets {
		if !slices.Contains(Targets, t) {
			return fmt.Errorf("%w: unknown deploy target %q (the targets are %v)", ErrSpec, t, Targets)
		}
	}
	if (g.spec.App || g.hasTarget(TargetLambda)) && g.m.Package == appPackage {
		return fmt.Errorf("%w: package %q is the application's handler (app/app.go, served by main.go and cmd/lambda); give the auth package another name in %s", ErrSpec, appPackage, manifest.File)
	}
	return nil
}

// targetEmitters are the emitters of the application package and of the
// spec's targets' files.
func (g *gen) targetEmitters() []func() (File, error) {
	var out []func() (File, error)
	if g.spec.App || g.hasTarget(TargetLambda) {
		out = append(out, g.appFile)
	}
	if g.hasTarget(TargetLambda) {
		out = append(out, g.lambdaMainFile, g.deployFile("build-lambda.sh", lambdaBuildPath, 0o755))
	}
	if g.hasTarget(TargetContainer) {
		out = append(out, g.deployFile("Dockerfile", dockerfilePath, 0), g.deployFile("dockerignore", dockerignorePath, 0))
	}
	return out
}

// deployFile emits the deploy template name at rel, a scaffold with mode
// (0 for 0644).
func (g *gen) deployFile(name, rel string, mode fs.FileMode) func() (File, error) {
	return func() (File, error) {
		content, err := templates.Deploy(name, templates.DeployData{App: path.Base(g.spec.Module), GoVersion: GoVersion, SQLite: g.m.Database == manifest.DBSQLite})
		if err != nil {
			return File{}, err
		}
		return File{Path: rel, Content: content, Kind: Scaffold, Mode: mode}, nil
	}
}

// appFile emits app/app.go: the application's handler, the one place that
// puts the auth API and the application's pages together.
func (g *gen) appFile() (File, error) {
	authPkg := g.pkgPath
	app := path.Base(g.spec.Module)
	f := newFile(g.appPkgPath(), appPackage, false)
	f.ImportName(authPkg, path.Base(g.m.Package))
	f.HeaderComment(ownership)
	packageDoc(f, "Package app is the application's handler: the sign-in API of package "+path.Base(g.m.Package)+" and the application's pages. main.go serves it over HTTP and, when the application is deployed on AWS Lambda, cmd/lambda/main.go serves it there, so both serve the same routes: add yours to Handler.")

	q := func(name string) *jen.Statement { return jen.Qual(authPkg, name) }
	http := func(name string) *jen.Statement { return jen.Qual("net/http", name) }

	f.Comment("Handler returns the application: a's API under BasePath, the home page, and")
	f.Comment("/me, which only signed-in users reach. SecureHeaders adds nosniff to every")
	f.Comment("answer and keeps other sites from framing the pages.")
	router, routes := g.routerWiring(q)
	f.Func().Id("Handler").Params(jen.Id("a").Op("*").Add(q("Auth"))).Add(http("Handler")).Block(
		append(routes, jen.Return(jen.Qual(pkgServer, "SecureHeaders").Call(jen.Id(router))))...,
	)
	g.appRoutes(f, app)
	return renderFile(appPath, f)
}

// lambdaMainFile emits cmd/lambda/main.go: package app's handler served on
// AWS Lambda function URLs (runtime/lambda, over aws-lambda-go's lambdaurl).
func (g *gen) lambdaMainFile() (File, error) {
	authPkg := g.pkgPath
	f := newFile(path.Join(g.spec.Module, path.Dir(lambdaMainPath)), "main", false)
	f.ImportName(authPkg, path.Base(g.m.Package))
	f.ImportName(g.appPkgPath(), appPackage)
	f.ImportName(pkgLambda, "lambda")
	f.HeaderComment(ownership)
	packageDoc(f, "Command lambda serves the application on AWS Lambda behind a function URL (invoke mode RESPONSE_STREAM): package app's handler, the one main.go serves over HTTP.\n\nscripts/build-lambda.sh builds it into build/lambda/bootstrap.zip for the provided.al2023 runtime. Its configuration is the function's environment (no .env file): AUTH_URL, the keys in AUTH_KEYS, the providers' variables and, with a database, DATABASE_URL; docs/DEPLOY.md in authgen's repository lists them.")
	q := func(name string) *jen.Statement { return jen.Qual(authPkg, name) }
	getenv := jen.Id("getenv").Func().Params(jen.String()).String()

	f.Func().Id("main").Params().Block(
		jen.Id("logger").Op(":=").Qual("log/slog", "New").Call(jen.Qual("log/slog", "NewJSONHandler").Call(jen.Qual("os", "Stderr"), jen.Nil())),
		jen.List(jen.Id("h"), jen.Err()).Op(":=").Id("handler").Call(jen.Qual("context", "Background").Call(), jen.Qual("os", "Getenv"), jen.Id("logger")),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Id("logger").Dot("Error").Call(jen.Lit("cannot start"), jen.Lit("err"), jen.Err()),
			jen.Qual("os", "Exit").Call(jen.Lit(1)),
		),
		jen.Qual(pkgLambda, "Start").Call(jen.Id("h")),
	)
	f.Line()

	f.Comment("handler is the application as the function serves it, configured by getenv.")
	f.Comment("AUTH_URL is required: the function URL (https://ID.lambda-url.REGION.on.aws)")
	f.Comment("or the domain in front of it; without it the callback URLs sent to providers")
	f.Comment("would name localhost. A function instance is frozen between invocations and")
	f.Comment("ended without notice, so the store is never closed.")
	f.Func().Id("handler").Params(jen.Id("ctx").Qual("context", "Context"), getenv, jen.Id("logger").Op("*").Qual("log/slog", "Logger")).Params(jen.Qual("net/http", "Handler"), jen.Error()).Block(
		jen.If(jen.Id("getenv").Call(jen.Lit("AUTH_URL")).Op("==").Lit("")).Block(
			jen.Return(jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit("AUTH_URL is required on Lambda: the function URL, https://ID.lambda-url.REGION.on.aws, or the domain in front of it"))),
		),
		jen.List(jen.Id("cfg"), jen.Err()).Op(":=").Add(q("LoadConfig")).Call(jen.Id("getenv"), jen.Lit("")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.List(jen.Id("a"), jen.Err()).Op(":=").Add(q("New")).Call(jen.Id("ctx"), jen.Id("cfg"), jen.Id("logger")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Qual(g.appPkgPath(), "Handler").Call(jen.Id("a")), jen.Nil()),
	)
	return renderFile(lambdaMainPath, f)
}

// renderFile renders f as the scaffold at rel, a path from the module root.
func renderFile(rel string, f *jen.File) (File, error) {
	content, err := render(rel, f)
	if err != nil {
		return File{}, err
	}
	return File{Path: rel, Content: content, Kind: Scaffold}, nil
}
