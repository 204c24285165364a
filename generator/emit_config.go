package generator

import (
	"github.com/dave/jennifer/jen"

	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/generator/manifest"
)

// defaultSQLite is DATABASE_URL when unset, for SQLite.
const defaultSQLite = "sqlite:./authgen.db"

// dbExample shows the DATABASE_URL form of each server database.
var dbExample = map[string]string{
	manifest.DBPostgres: "postgres://user:password@localhost:5432/app?sslmode=disable",
	manifest.DBMySQL:    "mysql://user:password@localhost:3306/app",
	manifest.DBMongoDB:  "mongodb://localhost:27017/app",
	manifest.DBCustom:   "(whatever your store's OpenStore reads)",
}

// redisExample shows REDIS_URL's form.
const redisExample = "redis://localhost:6379/0"

// configFile emits config_gen.go: the typed configuration and its loader.
func (g *gen) configFile() (File, error) {
	f := newFile(g.pkgPath, g.m.Package, true)

	fields := []jen.Code{
		jen.Comment("URL is the application's public origin (AUTH_URL)."),
		jen.Id("URL").Op("*").Qual("net/url", "URL"),
		jen.Comment("TrustHost takes the origin from the proxy's X-Forwarded-Host and"),
		jen.Comment("X-Forwarded-Proto headers (AUTH_TRUST_HOST)."),
		jen.Id("TrustHost").Bool(),
		jen.Comment("Keys sign and encrypt tokens (AUTH_KEYS, AUTH_KEYS_FILE or"),
		jen.Comment("./authgen.keys.json)."),
		jen.Id("Keys").Op("*").Qual(pkgKeys, "Set"),
	}
	if g.hasDB() {
		fields = append(fields,
			jen.Comment("DatabaseURL names the database (DATABASE_URL)."),
			jen.Id("DatabaseURL").String(),
			jen.Comment("AutoMigrate applies missing migrations at start (AUTH_AUTO_MIGRATE)."),
			jen.Id("AutoMigrate").Bool(),
		)
	}
	if g.redisSessions() {
		fields = append(fields,
			jen.Comment("RedisURL names the Redis that keeps sessions (REDIS_URL)."),
			jen.Id("RedisURL").String(),
		)
	}
	for _, p := range g.providers {
		fields = append(fields,
			jen.Comment(p.goName+" holds the "+p.entry.Name+" OAuth app (AUTH_"+p.envName+"_*)."),
			jen.Id(p.goName).Qual(pkgEnv, "Provider"))
	}
	doc(f.Group, "Config is the authentication's configuration, read from the environment by LoadConfig.")
	f.Type().Id("Config").Struct(fields...)
	f.Line()

	body := []jen.Code{
		jen.Id("e").Op(":=").Qual(pkgEnv, "New").Call(jen.Id("getenv")),
		jen.Id("cfg").Op(":=").Op("&").Id("Config").Custom(block,
			kv("URL", jen.Id("e").Dot("Origin").Call(jen.Lit("AUTH_URL"), jen.Lit("http://localhost:").Op("+").Id("port"))),
			kv("TrustHost", jen.Id("e").Dot("Bool").Call(jen.Lit("AUTH_TRUST_HOST"))),
			kv("Keys", jen.Id("e").Dot("Keys").Call()),
		),
	}
	if g.hasDB() {
		dbURL := jen.Id("e").Dot("Required").Call(jen.Lit("DATABASE_URL"), jen.Lit(dbExample[g.m.Database]))
		if g.m.Database == manifest.DBSQLite {
			dbURL = jen.Id("e").Dot("String").Call(jen.Lit("DATABASE_URL"), jen.Lit(defaultSQLite))
		}
		body = append(body,
			jen.Id("cfg").Dot("DatabaseURL").Op("=").Add(dbURL),
			jen.Id("cfg").Dot("AutoMigrate").Op("=").Id("e").Dot("Bool").Call(jen.Lit("AUTH_AUTO_MIGRATE")),
		)
	}
	if g.redisSessions() {
		body = append(body, jen.Id("cfg").Dot("RedisURL").Op("=").Id("e").Dot("Required").Call(jen.Lit("REDIS_URL"), jen.Lit(redisExample)))
	}
	if len(g.providers) > 0 {
		body = append(body, jen.Id("callback").Op(":=").Id("cfg").Dot("URL").Dot("String").Call().Op("+").Id("BasePath").Op("+").Lit("/callback/"))
	}
	for _, p := range g.providers {
		e := p.entry
		spec := []jen.Code{kv("EnvName", jen.Lit(p.envName)), kv("Name", jen.Lit(e.Name))}
		if e.Console != "" {
			spec = append(spec, kv("Console", jen.Lit(e.Console)))
		}
		spec = append(spec, kv("CallbackURL", jen.Id("callback").Op("+").Lit(p.ID)))
		if e.Type == catalog.OIDC && e.Issuer == "" && p.Issuer == "" {
			spec = append(spec, kv("NeedsIssuer", jen.True()))
			if e.IssuerExample != "" {
				spec = append(spec, kv("IssuerExample", jen.Lit(e.IssuerExample)))
			}
		}
		if e.NeedsEndpoints {
			spec = append(spec, kv("NeedsEndpoints", jen.True()))
		}
		if e.BaseURL != nil && e.BaseURL.Required && p.BaseURL == "" {
			spec = append(spec, kv("NeedsBaseURL", jen.True()))
		}
		if e.NeedsAPIKey {
			spec = append(spec, kv("NeedsAPIKey", jen.True()))
		}
		if e.Type == catalog.OAuth1 {
			spec = append(spec, kv("OAuth1", jen.True()))
		}
		switch e.AuthMethod {
		case catalog.AppleSecret:
			spec = append(spec, kv("ClientAuth", jen.Qual(pkgEnv, "AuthApple")))
		case catalog.PrivateKeyJWT:
			spec = append(spec, kv("ClientAuth", jen.Qual(pkgEnv, "AuthPrivateKeyJWT")))
		}
		body = append(body, jen.Id("cfg").Dot(p.goName).Op("=").Id("e").Dot("Provider").Call(jen.Qual(pkgEnv, "ProviderSpec").Custom(block, spec...)))
	}
	body = append(body,
		jen.If(jen.Err().Op(":=").Id("e").Dot("Err").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("cfg"), jen.Nil()),
	)
	doc(f.Group, "LoadConfig reads the configuration with getenv (usually os.Getenv). AUTH_URL defaults to http://localhost:port. The error lists every missing or malformed variable at once.")
	f.Func().Id("LoadConfig").Params(jen.Id("getenv").Func().Params(jen.String()).String(), jen.Id("port").String()).Params(jen.Op("*").Id("Config"), jen.Error()).Block(body...)
	return g.goFile("config_gen.go", f, Generated)
}
