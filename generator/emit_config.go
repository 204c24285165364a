package generator

import (
	"github.com/dave/jennifer/jen"
)

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
	if g.email {
		fields = append(fields,
			jen.Comment("EmailSender sends e-mail sign-in's mail: through the SMTP server of"),
			jen.Comment("AUTH_EMAIL_SERVER, or on http://localhost without one email.Console, which"),
			jen.Comment("logs the links and codes. Replace it before New to send another way."),
			jen.Id("EmailSender").Qual(pkgEmail, "Sender"),
			jen.Comment("EmailFrom is the mail's sender (AUTH_EMAIL_FROM)."),
			jen.Id("EmailFrom").String(),
		)
	}
	if g.m.AuthJS != nil {
		fields = append(fields,
			jen.Comment("AuthSecrets are the Auth.js application's secrets, which seal the"),
			jen.Comment("shared session cookie, the one that encrypts first (AUTH_SECRET, and"),
			jen.Comment("for version 5 AUTH_SECRET_1 … AUTH_SECRET_3 as @auth/core reads them)."),
			jen.Id("AuthSecrets").Index().String(),
		)
	}
	if g.hasLDAP() {
		fields = append(fields,
			jen.Comment("LDAP is the directory of LDAP sign-in (AUTH_LDAP_*)."),
			jen.Id("LDAP").Qual(pkgLDAP, "Config"))
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
	// read is how LoadConfig reads a project-wide variable of the table.
	read := func(name string) jen.Code {
		v := g.appVar(name)
		if v.Required {
			return jen.Id("e").Dot("Required").Call(jen.Lit(v.Name), jen.Lit(v.Example))
		}
		return jen.Id("e").Dot("String").Call(jen.Lit(v.Name), jen.Lit(v.Default))
	}
	if g.hasDB() {
		body = append(body,
			jen.Id("cfg").Dot("DatabaseURL").Op("=").Id("e").Dot("DatabaseURL").Call(jen.Lit(g.m.Database)),
			jen.Id("cfg").Dot("AutoMigrate").Op("=").Id("e").Dot("Bool").Call(jen.Lit("AUTH_AUTO_MIGRATE")),
		)
	}
	if g.redisSessions() {
		body = append(body, jen.Id("cfg").Dot("RedisURL").Op("=").Add(read("REDIS_URL")))
	}
	if g.email {
		body = append(body,
			jen.Id("cfg").Dot("EmailSender").Op("=").Id("e").Dot("EmailSender").Call(jen.Id("cfg").Dot("URL"), jen.Qual(pkgSMTP, "Open"), jen.Nil()),
			jen.Id("cfg").Dot("EmailFrom").Op("=").Id("e").Dot("EmailFrom").Call(jen.Id("cfg").Dot("URL")),
		)
	}
	if aj := g.m.AuthJS; aj != nil {
		g.appVar("AUTH_SECRET") // in the table for this project
		body = append(body, jen.Id("cfg").Dot("AuthSecrets").Op("=").Id("e").Dot("AuthSecrets").Call(jen.Lit(aj.Version)))
	}
	if g.hasLDAP() {
		body = append(body, jen.Id("cfg").Dot("LDAP").Op("=").Qual(pkgLDAP, "ReadEnv").Call(jen.Id("e")))
	}
	if len(g.providers) > 0 {
		body = append(body, jen.Id("callback").Op(":=").Id("cfg").Dot("URL").Dot("String").Call().Op("+").Id("BasePath").Op("+").Lit("/callback/"))
	}
	for _, p := range g.providers {
		spec := specLiteral(providerSpec(p), jen.Id("callback").Op("+").Lit(p.ID))
		body = append(body, jen.Id("cfg").Dot(p.goName).Op("=").Id("e").Dot("Provider").Call(spec))
	}
	body = append(body,
		jen.If(jen.Err().Op(":=").Id("e").Dot("Err").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("cfg"), jen.Nil()),
	)
	doc(f.Group, "LoadConfig reads the configuration with getenv (usually os.Getenv). AUTH_URL defaults to http://localhost:port. The error lists every missing or malformed variable at once.")
	f.Func().Id("LoadConfig").Params(jen.Id("getenv").Func().Params(jen.String()).String(), jen.Id("port").String()).Params(jen.Op("*").Id("Config"), jen.Error()).Block(body...)
	return g.goFile("config_gen.go", f, Generated)
}
