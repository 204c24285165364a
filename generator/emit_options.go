package generator

import (
	"cmp"
	"path"
	"strings"
	"time"

	"github.com/dave/jennifer/jen"

	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/runtime/ratelimit"
)

// The server.Config fields that authgen.yaml sets besides the providers
// and the database: session lifetimes, the cookie domain, trusted origins,
// HSTS, the empty-session shape, pages and theme. Each is emitted only when the manifest sets it
// (the theme's AppName always, defaulting to the module's last element),
// so the runtime's defaults stay the defaults.

// sessionOptions is the session.Options literal: the token protection, and
// maxAge, updateAge and absoluteMaxAge when the manifest sets them.
func (g *gen) sessionOptions(protection string) jen.Code {
	fields := []jen.Code{kv("Protection", jen.Qual(pkgSession, protection))}
	if d := g.m.Session.MaxAge; d != 0 {
		fields = append(fields, kv("MaxAge", durationExpr(d)))
	}
	if d := g.m.Session.UpdateAge; d != 0 {
		fields = append(fields, kv("UpdateAge", durationExpr(d)))
	}
	switch d := g.m.Session.AbsoluteMaxAge; {
	case d == nil:
	case *d == 0:
		fields = append(fields, kv("AbsoluteMaxAge", jen.Qual(pkgSession, "NoAbsoluteMaxAge")))
	default:
		fields = append(fields, kv("AbsoluteMaxAge", durationExpr(time.Duration(*d))))
	}
	return jen.Qual(pkgSession, "Options").Values(fields...)
}

// manifestOptions are the CookieDomain, TrustedOrigins, HSTS,
// EmptySessionObject, Pages and Theme fields of server.Config.
func (g *gen) manifestOptions() []jen.Code {
	var fields []jen.Code
	if d := g.m.CookieDomain; d != "" {
		fields = append(fields, kv("CookieDomain", jen.Lit(d)))
	}
	if origins := g.m.TrustedOrigins; len(origins) > 0 {
		fields = append(fields, kv("TrustedOrigins", jen.Index().String().ValuesFunc(func(vg *jen.Group) {
			for _, o := range origins {
				vg.Lit(o)
			}
		})))
	}
	if h := g.m.HSTS; h != 0 {
		fields = append(fields, kv("HSTS", durationExpr(time.Duration(h))))
	}
	if g.m.EmptySessionObject {
		fields = append(fields, kv("EmptySessionObject", jen.True()))
	}
	p := g.m.Pages
	var pages []jen.Code
	for _, f := range []struct{ name, page string }{
		{"SignIn", p.SignIn}, {"SignOut", p.SignOut}, {"Error", p.Error}, {"VerifyRequest", p.VerifyRequest}, {"NewUser", p.NewUser},
	} {
		if f.page != "" {
			pages = append(pages, kv(f.name, jen.Lit(f.page)))
		}
	}
	if len(pages) > 0 {
		fields = append(fields, kv("Pages", jen.Qual(pkgServer, "Pages").Custom(block, pages...)))
	}
	t := g.m.Theme
	theme := []jen.Code{kv("AppName", jen.Lit(cmp.Or(t.AppName, path.Base(g.spec.Module))))}
	if t.Brand != "" {
		theme = append(theme, kv("Brand", jen.Lit(t.Brand)))
	}
	if t.Logo != "" {
		theme = append(theme, kv("Logo", jen.Lit(t.Logo)))
	}
	themeLit := jen.Qual(pkgServer, "Theme").Values(theme...)
	if len(theme) > 1 {
		themeLit = jen.Qual(pkgServer, "Theme").Custom(block, theme...)
	}
	return append(fields, kv("Theme", themeLit))
}

// rateLimits is the server.Config.RateLimits literal of the limits
// authgen.yaml's rateLimit sets, in the schema's order, keyed by the
// server's constants (server.LimitEmail, …); nil when it sets none, so the
// runtime's defaults apply.
func (g *gen) rateLimits() jen.Code {
	var items []jen.Code
	for _, name := range manifest.RateLimitNames() {
		r, ok := g.m.RateLimit[name]
		if !ok {
			continue
		}
		items = append(items, jen.Qual(pkgServer, "Limit"+strings.ToUpper(name[:1])+name[1:]).Op(":").Add(limitExpr(ratelimit.Limit(r))))
	}
	if len(items) == 0 {
		return nil
	}
	return jen.Map(jen.String()).Qual(pkgRateLimit, "Limit").Custom(block, items...)
}

// limitExpr writes a rate limit as a ratelimit.Limit literal without its
// type (an element of a map literal), or ratelimit.Off.
func limitExpr(l ratelimit.Limit) jen.Code {
	if l.IsOff() {
		return jen.Qual(pkgRateLimit, "Off")
	}
	fields := []jen.Code{kv("Events", jen.Lit(l.Events)), kv("Per", durationExpr(l.Per))}
	if l.Burst != 0 && l.Burst != l.Events {
		fields = append(fields, kv("Burst", jen.Lit(l.Burst)))
	}
	return jen.Values(fields...)
}

// twoFactor is the server.Config.TwoFactor literal of authgen.yaml's
// twoFactor, nil when it is off, with runtime/qrcode drawing the enrolment
// page's QR code. Its Issuer stays the runtime's default, Theme.AppName,
// which manifestOptions always sets: the name is written once.
func (g *gen) twoFactor() jen.Code {
	if !g.m.TwoFactorOn() {
		return nil
	}
	mode := "TwoFactorOptional"
	if g.m.TwoFactor == manifest.TwoFactorRequired {
		mode = "TwoFactorRequired"
	}
	return jen.Op("&").Qual(pkgServer, "TwoFactor").Values(
		kv("Mode", jen.Qual(pkgServer, mode)),
		kv("QRCode", jen.Qual(pkgQRCode, "Matrix")),
	)
}

// durationExpr writes d as a Go expression in its largest whole unit:
// 720 * time.Hour, time.Minute, 90 * time.Second.
func durationExpr(d time.Duration) jen.Code {
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{time.Hour, "Hour"}, {time.Minute, "Minute"}, {time.Second, "Second"}, {time.Millisecond, "Millisecond"}} {
		if d%u.unit != 0 {
			continue
		}
		if n := int64(d / u.unit); n != 1 {
			return jen.Lit(int(n)).Op("*").Qual("time", u.name)
		}
		return jen.Qual("time", u.name)
	}
	return jen.Qual("time", "Duration").Call(jen.Lit(int64(d)))
}
