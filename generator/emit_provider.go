package generator

import (
	"cmp"
	"fmt"
	"maps"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/authgen/authgen/generator/catalog"
)

// providerFile emits provider_<id>_gen.go: the typed profile, its default
// mapping and the provider's constructor.
func (g *gen) providerFile(p *provider) (File, error) {
	e := p.entry
	f := newFile(g.pkgPath, g.m.Package, true)
	profile := p.goName + "Profile"

	doc(f.Group, profile+" "+e.Profile.Doc)
	f.Type().Id(profile).Add(structType(e.Profile))
	f.Line()

	mapFn := lowerFirst(p.goName) + "User"
	user, err := mapping(e)
	if err != nil {
		return File{}, err
	}
	doc(f.Group, strings.TrimSpace(fmt.Sprintf("%s maps the %s profile to a user. %s", mapFn, e.Name, e.Map.Doc)))
	f.Func().Id(mapFn).Params(jen.Id("p").Op("*").Id(profile)).Qual(pkgOAuth, "User").Block(jen.Return(user))
	f.Line()

	fields := []jen.Code{
		kv("ID", jen.Lit(p.ID)),
		kv("Name", jen.Lit(cmp.Or(p.Name, e.Name))),
		kv("Type", jen.Qual(pkgOAuth, typeConst(e.Type))),
	}
	if issuer := cmp.Or(p.Issuer, e.Issuer); issuer != "" {
		fields = append(fields, kv("Issuer", jen.Lit(issuer)))
	}
	if e.DiscoveryURL != "" {
		fields = append(fields, kv("DiscoveryURL", jen.Lit(e.DiscoveryURL)))
	}
	for _, ep := range []struct{ field, url string }{
		{"RequestTokenURL", e.Endpoints.RequestToken}, {"AuthorizationURL", e.Endpoints.Authorization},
		{"TokenURL", e.Endpoints.Token}, {"UserinfoURL", e.Endpoints.Userinfo},
	} {
		if ep.url != "" {
			fields = append(fields, kv(ep.field, jen.Lit(ep.url)))
		}
	}
	if e.UserinfoMethod != "" {
		fields = append(fields, kv("UserinfoMethod", jen.Lit(e.UserinfoMethod)))
	}
	if len(e.UserinfoHeader) > 0 {
		fields = append(fields, kv("UserinfoHeader", jen.Map(jen.String()).String().Values(litDict(e.UserinfoHeader))))
	}
	if e.AuthMethod == "client_secret_post" {
		fields = append(fields, kv("AuthMethod", jen.Qual(pkgOAuth, "ClientSecretPost")))
	}
	if e.FetchUserinfo {
		fields = append(fields, kv("FetchUserinfo", jen.True()))
	}
	if e.IDTokenSecretKey {
		fields = append(fields, kv("IDTokenSecretKey", jen.True()))
	}
	if e.ResponseMode != "" {
		fields = append(fields, kv("ResponseMode", jen.Lit(e.ResponseMode)))
	}
	if p.Logout {
		fields = append(fields, kv("Logout", jen.True()))
	}
	if p.TrustEmail {
		fields = append(fields, kv("TrustEmail", jen.True()))
	}
	if scopes := p.scopes(); len(scopes) > 0 {
		fields = append(fields, kv("Scopes", jen.Index().String().ValuesFunc(func(vg *jen.Group) {
			for _, s := range scopes {
				vg.Lit(s)
			}
		})))
	}
	if params := p.params(); len(params) > 0 {
		fields = append(fields, kv("Params", jen.Map(jen.String()).String().Values(litDict(params))))
	}
	if len(e.TokenParams) > 0 {
		fields = append(fields, kv("TokenParams", jen.Map(jen.String()).String().Values(litDict(e.TokenParams))))
	}
	if e.TokenExchange != "" {
		fields = append(fields, kv("TokenExchange", jen.Qual(pkgOAuth, e.TokenExchange)))
	}
	if c := checks(e); c != nil {
		fields = append(fields, kv("Checks", c))
	}
	var profileFunc jen.Code = jen.Qual(pkgOAuth, "Map").Call(jen.Id(mapFn), jen.Id("mapProfile"))
	if e.ProfileWrap != "" {
		profileFunc = jen.Qual(pkgOAuth, e.ProfileWrap).Call(profileFunc)
	}
	fields = append(fields, kv("Profile", profileFunc))
	if e.Enrich != "" {
		fields = append(fields, kv("Enrich", jen.Qual(pkgOAuth, e.Enrich)))
	}

	body := []jen.Code{jen.Id("p").Op(":=").Op("&").Qual(pkgOAuth, "Provider").Custom(block, fields...)}
	if b := e.BaseURL; b != nil {
		var sets []jen.Code
		for _, ep := range []struct{ field, tmpl string }{
			{"AuthorizationURL", b.Endpoints.Authorization}, {"TokenURL", b.Endpoints.Token}, {"UserinfoURL", b.Endpoints.Userinfo},
		} {
			if ep.tmpl != "" {
				sets = append(sets, jen.Id("p").Dot(ep.field).Op("=").Add(baseExpr(ep.tmpl)))
			}
		}
		base := jen.Id("c").Dot("BaseURL")
		if p.BaseURL != "" {
			base = jen.Qual("cmp", "Or").Call(jen.Id("c").Dot("BaseURL"), jen.Lit(p.BaseURL))
		}
		body = append(body, jen.If(jen.Id("base").Op(":=").Add(base), jen.Id("base").Op("!=").Lit("")).Block(
			append([]jen.Code{jen.Comment(b.What + ".")}, sets...)...,
		))
	}
	body = append(body, jen.Id("c").Dot("Apply").Call(jen.Id("p")), jen.Return(jen.Id("p")))

	ctorDoc := fmt.Sprintf("new%s returns the %s provider configured by c.", p.goName, e.Name)
	if p.Name != "" && p.Name != e.Name {
		ctorDoc = fmt.Sprintf("new%s returns the %s provider, named %q in authgen.yaml, configured by c.", p.goName, e.Name, p.Name)
	}
	if e.BaseURL != nil {
		ctorDoc += fmt.Sprintf(" AUTH_%s_BASE_URL points it at %s.", p.envName, e.BaseURL.What)
	}
	doc(f.Group, ctorDoc)
	f.Comment("")
	f.Comment("Documentation: " + e.Docs)
	f.Func().Id("new"+p.goName).Params(jen.Id("c").Qual(pkgEnv, "Provider")).Op("*").Qual(pkgOAuth, "Provider").Block(body...)
	return g.goFile("provider_"+strings.ReplaceAll(p.ID, "-", "_")+"_gen.go", f, Generated)
}

// scopes are the scopes requested: authgen.yaml's when it lists them (even
// none), else the catalog's.
func (p *provider) scopes() []string {
	if p.Scopes != nil {
		return p.Scopes
	}
	return p.entry.Scopes
}

// params are the authorization parameters: the catalog's, with
// authgen.yaml's added over them.
func (p *provider) params() map[string]string {
	out := maps.Clone(p.entry.Params)
	if out == nil && len(p.Params) > 0 {
		out = map[string]string{}
	}
	maps.Copy(out, p.Params)
	return out
}

func typeConst(t catalog.Type) string {
	switch t {
	case catalog.OIDC:
		return "TypeOIDC"
	case catalog.OAuth1:
		return "TypeOAuth1"
	}
	return "TypeOAuth"
}

// checks renders the provider's checks, or nil for the runtime's default
// (PKCE). OpenID Connect providers default to PKCE and nonce; OAuth 1.0a
// providers have none (their request token binds the callback).
func checks(e *catalog.Provider) jen.Code {
	names := e.Checks
	if len(names) == 0 {
		switch e.Type {
		case catalog.OIDC:
			names = []string{"pkce", "nonce"}
		case catalog.OAuth1:
			return nil
		}
	}
	if len(names) == 0 || (len(names) == 1 && names[0] == "pkce") {
		return nil
	}
	consts := map[string]string{"pkce": "PKCE", "state": "State", "nonce": "Nonce"}
	var expr *jen.Statement
	for _, n := range names {
		c := jen.Qual(pkgOAuth, consts[n])
		if expr == nil {
			expr = c
		} else {
			expr = expr.Op("|").Add(c)
		}
	}
	return expr
}

// baseExpr renders "{base}/path" as base + "/path".
func baseExpr(tmpl string) jen.Code {
	rest, ok := strings.CutPrefix(tmpl, "{base}")
	if !ok {
		return jen.Lit(tmpl)
	}
	return jen.Id("base").Op("+").Lit(rest)
}

func litDict(m map[string]string) jen.Dict {
	d := jen.Dict{}
	for k, v := range m {
		d[jen.Lit(k)] = jen.Lit(v)
	}
	return d
}

// structType renders a catalog struct as a Go struct type.
func structType(s catalog.Struct) jen.Code {
	var fields []jen.Code
	for _, fd := range s.Fields {
		var t jen.Code
		switch fd.Kind {
		case catalog.String:
			t = jen.String()
		case catalog.Int:
			t = jen.Int64()
		case catalog.Bool:
			t = jen.Bool()
		case catalog.Float:
			t = jen.Float64()
		case catalog.Object:
			t = structType(*fd.Struct)
		case catalog.Array:
			t = jen.Index().Add(structType(*fd.Struct))
		case catalog.Flex:
			t = jen.Qual(pkgOAuth, "FlexString")
		}
		fields = append(fields, jen.Id(fd.Name).Add(t).Tag(map[string]string{"json": fd.JSON}))
	}
	return jen.Struct(fields...)
}

// mapping renders the user literal of a provider's mapping.
func mapping(e *catalog.Provider) (jen.Code, error) {
	if e.Map.ID == nil {
		return nil, fmt.Errorf("generator: catalog %s: mapping has no ID", e.ID)
	}
	var fields []jen.Code
	for _, f := range []struct {
		name string
		expr catalog.Expr
	}{{"ID", e.Map.ID}, {"Name", e.Map.Name}, {"Email", e.Map.Email}, {"Image", e.Map.Image}} {
		if f.expr == nil {
			continue
		}
		c, err := expr(e.Profile, f.expr)
		if err != nil {
			return nil, fmt.Errorf("generator: catalog %s: %s: %w", e.ID, f.name, err)
		}
		fields = append(fields, kv(f.name, c))
	}
	if v := e.EmailVerified; len(v.Fields) > 0 {
		c, err := verifiedExpr(e.Profile, v.Fields)
		if err != nil {
			return nil, fmt.Errorf("generator: catalog %s: EmailVerified: %w", e.ID, err)
		}
		fields = append(fields, kv("EmailVerified", c))
	}
	return jen.Qual(pkgOAuth, "User").Custom(block, fields...), nil
}

// verifiedExpr renders the condition that every field is true: a Bool
// itself, a Flex that reads "true", an Int that is 1.
func verifiedExpr(s catalog.Struct, fields []catalog.Path) (jen.Code, error) {
	var expr *jen.Statement
	for _, f := range fields {
		kind, err := pathKind(s, string(f))
		if err != nil {
			return nil, err
		}
		ref := fieldRef(string(f))
		var c *jen.Statement
		switch kind {
		case catalog.Bool:
			c = ref
		case catalog.Flex:
			c = ref.Dot("String").Call().Op("==").Lit("true")
		case catalog.Int:
			c = ref.Op("==").Lit(1)
		default:
			return nil, fmt.Errorf("field %s is not a boolean, a flexible string or an integer", f)
		}
		if expr == nil {
			expr = c
		} else {
			expr = expr.Op("&&").Add(c)
		}
	}
	return expr, nil
}

// fieldRef renders a field path of the profile p; "First" steps into an
// array's first element.
func fieldRef(path string) *jen.Statement {
	ref := jen.Id("p")
	for _, part := range strings.Split(path, ".") {
		if part == "First" {
			ref = jen.Qual(pkgOAuth, "First").Call(ref)
			continue
		}
		ref = ref.Dot(part)
	}
	return ref
}

// expr renders a mapping expression as a Go string expression.
func expr(s catalog.Struct, e catalog.Expr) (jen.Code, error) {
	switch e := e.(type) {
	case catalog.Path:
		kind, err := pathKind(s, string(e))
		if err != nil {
			return nil, err
		}
		ref := fieldRef(string(e))
		switch kind {
		case catalog.String:
			return ref, nil
		case catalog.Flex:
			return ref.Dot("String").Call(), nil
		case catalog.Int:
			return jen.Qual("strconv", "FormatInt").Call(ref, jen.Lit(10)), nil
		case catalog.Float:
			return jen.Qual("strconv", "FormatFloat").Call(ref, jen.LitRune('f'), jen.Lit(-1), jen.Lit(64)), nil
		}
		return nil, fmt.Errorf("field %s is not a string or number", e)
	case catalog.FirstOf:
		args, err := exprs(s, e)
		if err != nil {
			return nil, err
		}
		return jen.Qual("cmp", "Or").Call(args...), nil
	case catalog.Join:
		args, err := exprs(s, e.Parts)
		if err != nil {
			return nil, err
		}
		return jen.Qual(pkgOAuth, "Join").Call(append([]jen.Code{jen.Lit(e.Sep)}, args...)...), nil
	case catalog.Format:
		args, err := exprs(s, e.Args)
		if err != nil {
			return nil, err
		}
		return jen.Qual(pkgOAuth, "Format").Call(append([]jen.Code{jen.Lit(e.Format)}, args...)...), nil
	}
	return nil, fmt.Errorf("unknown expression %T", e)
}

func exprs(s catalog.Struct, es []catalog.Expr) ([]jen.Code, error) {
	var out []jen.Code
	for _, e := range es {
		c, err := expr(s, e)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// pathKind resolves a dotted field path in s; "First" steps into an
// array's first element.
func pathKind(s catalog.Struct, path string) (catalog.Kind, error) {
	head, rest, nested := strings.Cut(path, ".")
	for _, f := range s.Fields {
		if f.Name != head {
			continue
		}
		if !nested {
			if f.Kind == catalog.Object || f.Kind == catalog.Array {
				return 0, fmt.Errorf("field %s is not a scalar", head)
			}
			return f.Kind, nil
		}
		switch f.Kind {
		case catalog.Object:
			return pathKind(*f.Struct, rest)
		case catalog.Array:
			first, rest2, ok := strings.Cut(rest, ".")
			if first != "First" || !ok {
				return 0, fmt.Errorf("array %s is reached with %s.First.<field>", head, head)
			}
			return pathKind(*f.Struct, rest2)
		}
		return 0, fmt.Errorf("field %s is not an object", head)
	}
	return 0, fmt.Errorf("profile has no field %s", head)
}
