package generator

import (
	"cmp"
	"io/fs"
	"path"

	"github.com/dave/jennifer/jen"

	"github.com/authgen/authgen/runtime/email"
)

// E-mail sign-in (the provider with id email) is no OAuth provider: it
// has no provider file, and turns on server.Config.Email instead. The
// mail's templates are scaffold files in <package>/email, written once
// from the runtime's defaults, embedded by email_gen.go and parsed at
// start, so that a broken template stops the application there, naming
// the file.

// emailDir is the directory of the mail's templates in the auth package.
const emailDir = "email"

// emailTemplatePaths are the templates' paths in the auth package: HTML,
// then text (which defines the subject).
var emailTemplatePaths = [2]string{path.Join(emailDir, email.DefaultHTML), path.Join(emailDir, email.DefaultText)}

// emailFiles returns email_gen.go and the two template scaffold files.
func (g *gen) emailFiles() ([]File, error) {
	f := newFile(g.pkgPath, g.m.Package, true)
	html, text := emailTemplatePaths[0], emailTemplatePaths[1]
	f.Comment("//go:embed " + html + " " + text)
	f.Var().Id("emailTemplateFiles").Qual("embed", "FS")
	f.Line()
	doc(f.Group, "emailTemplates parses the sign-in e-mail's templates, "+html+" (HTML) and "+text+" (text, with the subject): they are yours to edit, and are built into the binary. A template that does not parse, or uses a field email.Data lacks, is an error naming the file.")
	wrap := func() jen.Code {
		return jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(g.m.Package+": e-mail templates in "+g.m.Package+"/"+emailDir+": %w"), jen.Err()))
	}
	f.Func().Id("emailTemplates").Params().Params(jen.Op("*").Qual(pkgEmail, "Templates"), jen.Error()).Block(
		jen.List(jen.Id("dir"), jen.Err()).Op(":=").Qual("io/fs", "Sub").Call(jen.Id("emailTemplateFiles"), jen.Lit(emailDir)),
		jen.If(jen.Err().Op("!=").Nil()).Block(wrap()),
		jen.List(jen.Id("t"), jen.Err()).Op(":=").Qual(pkgEmail, "ParseTemplates").Call(jen.Id("dir"), jen.Lit(email.DefaultHTML), jen.Lit(email.DefaultText)),
		jen.If(jen.Err().Op("!=").Nil()).Block(wrap()),
		jen.Return(jen.Id("t"), jen.Nil()),
	)
	gen, err := g.goFile("email_gen.go", f, Generated)
	if err != nil {
		return nil, err
	}
	files := []File{gen}
	defaults := email.DefaultTemplateFiles()
	for _, name := range []string{email.DefaultHTML, email.DefaultText} {
		content, err := fs.ReadFile(defaults, name)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: g.file(path.Join(emailDir, name)), Content: content, Kind: Scaffold})
	}
	return files, nil
}

// emailConfig is the server.Email literal: the sender and its address
// from the Config (LoadConfig reads them), the verification tokens in the
// store (Redis with session.store: redis), email.maxAge and email.name
// when authgen.yaml sets them, and the templates.
func (g *gen) emailConfig() jen.Code {
	tokens := jen.Id("st")
	if g.redisSessions() {
		tokens = jen.Id("rs")
	}
	fields := []jen.Code{
		kv("Sender", jen.Id("cfg").Dot("EmailSender")),
		kv("From", jen.Id("cfg").Dot("EmailFrom")),
		kv("Tokens", tokens),
		kv("Templates", jen.Id("tpl")),
	}
	if d := g.m.Email.MaxAge; d != 0 {
		fields = append(fields, kv("MaxAge", durationExpr(d)))
	}
	if name := cmp.Or(g.m.Email.Name, g.m.Theme.AppName); name != "" {
		fields = append(fields, kv("Name", jen.Lit(name)))
	}
	return jen.Op("&").Qual(pkgServer, "Email").Custom(block, fields...)
}
