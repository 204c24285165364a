package manifest

import (
	"errors"
	"fmt"
	"go/token"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/authgen/authgen/internal/suggest"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/session"
)

// Type is the YAML type of a manifest value.
type Type string

// The types of manifest values.
const (
	TypeString   Type = "string"
	TypeInteger  Type = "integer"
	TypeBool     Type = "boolean"
	TypeDuration Type = "duration"
	// TypeBoolOrDuration is true, false or a duration (hsts).
	TypeBoolOrDuration Type = "boolean or duration"
	// TypeStringList is a sequence of strings.
	TypeStringList Type = "list of strings"
	// TypeStringMap is a mapping of strings to strings.
	TypeStringMap Type = "map of strings"
	// TypeMapping holds the keys listed under its path.
	TypeMapping Type = "mapping"
	// TypeList is a sequence of mappings, each holding the keys listed
	// under its path with "[]".
	TypeList Type = "list of mappings"
)

// Field is one key of authgen.yaml: the validator checks a manifest
// against the fields, and docs/MANIFEST.md is generated from them, so the
// two cannot disagree.
type Field struct {
	// Path names the key from the top of the file: "session.maxAge";
	// "providers[].name" is a key of every entry of providers.
	Path string
	Type Type
	// Required keys must be present.
	Required bool
	// Default says what an absent key means.
	Default string
	// Values are the valid values of an enumerated key.
	Values []string
	// Doc explains the key.
	Doc string
	// Example is a valid value, as YAML.
	Example string

	// check checks a string value (each item of a list of strings, each
	// value of a map) beyond its type and Values.
	check func(v string, ctx checkContext) error
	// checkKey checks each key of a map of strings.
	checkKey func(k string) error
}

// checkContext is what value checks may depend on besides the value.
type checkContext struct {
	// basePath is the manifest's basePath (or its default when invalid).
	basePath string
}

// Name is the key's own name, the last element of Path.
func (f Field) Name() string {
	return f.Path[strings.LastIndexByte(f.Path, '.')+1:]
}

// parent is the path of the mapping holding the key: "" for the top,
// "providers[]" for a key of a providers entry.
func (f Field) parent() string {
	i := strings.LastIndexByte(f.Path, '.')
	if i < 0 {
		return ""
	}
	return f.Path[:i]
}

// Enumerated values besides Databases.
var (
	// Strategies are the values of session.strategy.
	Strategies = []string{StrategyDatabase, StrategyJWT}
	// Tokens are the values of session.token.
	Tokens = []string{TokenSigned, TokenEncrypted}
	// SessionStores are the values of session.store (absent: the database).
	SessionStores = []string{SessionStoreRedis}
)

// DefaultBasePath is where the auth API is served unless basePath says
// otherwise.
const DefaultBasePath = "/api/auth"

// HSTS max-ages: `hsts: true` is DefaultHSTS; a duration is between MinHSTS
// and MaxHSTS.
const (
	DefaultHSTS = 365 * 24 * time.Hour
	MinHSTS     = 5 * time.Minute
	MaxHSTS     = 2 * 365 * 24 * time.Hour
)

// E-mail sign-in tokens last DefaultEmailMaxAge unless email.maxAge, from
// MinEmailMaxAge to MaxEmailMaxAge, says otherwise.
const (
	DefaultEmailMaxAge = 24 * time.Hour
	MinEmailMaxAge     = 5 * time.Minute
	MaxEmailMaxAge     = 7 * 24 * time.Hour
)

// Bounds of the session lifetimes.
const (
	MinMaxAge    = 5 * time.Minute
	MaxMaxAge    = 365 * 24 * time.Hour
	MinUpdateAge = time.Minute
)

// fields is the schema of authgen.yaml, in the order docs/MANIFEST.md
// lists it.
var fields = []Field{
	{Path: "version", Type: TypeInteger, Required: true, Example: "1",
		Doc: "The manifest's format. This authgen reads version 1.", check: checkVersion},
	{Path: "package", Type: TypeString, Required: true, Example: "auth",
		Doc: "The Go package (and directory) the auth code is generated in: a lower-case Go identifier.", check: checkPackage},
	{Path: "basePath", Type: TypeString, Required: true, Example: DefaultBasePath,
		Doc: "Where the auth API (the Auth.js REST API and the built-in pages) is served: a path starting with `/`, without a trailing `/`. An Auth.js client's `basePath` must match.", check: checkBasePath},
	{Path: "cookiePrefix", Type: TypeString, Required: true, Example: "authgen",
		Doc: "Cookie names start with this: `authgen.session-token`, `authgen.csrf-token`, … Letters, digits, `-` and `_`.", check: checkCookiePrefix},
	{Path: "cookieDomain", Type: TypeString, Default: "none: every cookie is host-only", Example: "example.com",
		Doc: "Shares the session with this domain and its subdomains (sign in on auth.example.com, be signed in on www.example.com): the session cookie is written with this `Domain` and, on https, named `__Secure-` instead of `__Host-`. Every host under the domain can then also plant a session cookie in your users' browsers (sign them in as someone else), so set it only when all of them are yours. The CSRF and sign-in check cookies stay host-only. A host outside it (`localhost` in development) gets host-only cookies. Changing it signs users out once (the cookie's name changes).", check: checkCookieDomain},
	{Path: "database", Type: TypeString, Required: true, Values: append(slices.Clone(Databases), DBCustom), Example: DBSQLite,
		Doc: "Where users, accounts and sessions are stored. `custom` is a store of your own (`authgen add adapter custom`); `none` keeps sessions in JWT cookies and users nowhere. Changing it and running `authgen generate` rewrites authgen's migrations in `<package>/migrations` for the new SQL dialect (or removes them for `mongodb` and `none`) while they hold authgen's text; a migration you edited is left as it is, for you to port."},
	{Path: "tablePrefix", Type: TypeString, Default: "`" + DefaultTablePrefix + "`", Example: "myapp_auth_",
		Doc: "authgen's table (or collection, or Redis key) names start with this: `auth_users`, `auth_sessions`, … Lower-case letters, digits and `_`.", check: checkTablePrefix},
	{Path: "router", Type: TypeString, Values: Routers, Default: "`" + RouterNetHTTP + "`", Example: RouterEcho,
		Doc: "The router the auth API is mounted on and the middleware is written for. `nethttp`: the standard library's `http.ServeMux` with Go 1.22 patterns (`Handler`, and `Require` and `WithSession`, `func(http.Handler) http.Handler`). `chi` (github.com/go-chi/chi/v5): the same middlewares, which are chi's, and `r.Mount(auth.BasePath, a.Handler())`. `echo` (github.com/labstack/echo/v4): `MountEcho` serves the API in a group, `EchoRequire` and `EchoWithSession` are `echo.MiddlewareFunc`s, and a handler reads the session with `auth.EchoSession(c)` (or `c.Get(echoauth.SessionKey)`). `gin` (github.com/gin-gonic/gin): `MountGin`, `GinRequire` and `GinWithSession` (`gin.HandlerFunc`s), `auth.GinSession(c)` (or `c.Get(ginauth.SessionKey)`). Under every router the session is also in the request's context (`auth.SessionFrom`). `init` writes the demo's `app/app.go` (the application's `Handler`, which `main.go` serves) for it; changing it and running `authgen generate` switches the generated wiring and prints the lines of your `app/app.go` (or `main.go`) that must change, which authgen never rewrites."},
	{Path: "session", Type: TypeMapping, Required: true, Doc: "How sessions are kept."},
	{Path: "session.strategy", Type: TypeString, Required: true, Values: Strategies, Example: StrategyDatabase,
		Doc: "`database` keeps an opaque token in the cookie and the session in the database (needs a `database`); `jwt` keeps the session in the cookie."},
	{Path: "session.token", Type: TypeString, Required: true, Values: Tokens, Example: TokenSigned,
		Doc: "How a JWT session is protected: `signed` (JWS HS512) or `encrypted` (JWE dir+A256GCM, needed to keep provider tokens in the session without a database)."},
	{Path: "session.store", Type: TypeString, Values: SessionStores, Default: "the database", Example: SessionStoreRedis,
		Doc: "Where database sessions and e-mail tokens live when not in the database: `redis` (`REDIS_URL`). Needs `strategy: database`."},
	{Path: "session.maxAge", Type: TypeDuration, Default: "`" + formatDuration(session.DefaultMaxAge) + "` (30 days)", Example: "720h",
		Doc: fmt.Sprintf("How long a session lasts without being renewed: a Go duration (`720h`, `90m`), from %s to %s.", formatDuration(MinMaxAge), formatDuration(MaxMaxAge)), check: checkMaxAge},
	{Path: "session.updateAge", Type: TypeDuration, Default: "`" + formatDuration(session.DefaultUpdateAge) + "`", Example: "1h",
		Doc: fmt.Sprintf("A session is renewed for another `maxAge` when it is used and its cookie is older than this: a Go duration, at least %s and less than `maxAge`.", formatDuration(MinUpdateAge)), check: checkUpdateAge},
	{Path: "session.absoluteMaxAge", Type: TypeDuration, Default: "`" + formatDuration(session.DefaultAbsoluteMaxAge) + "` (30 days), or `maxAge` when that is longer", Example: "720h",
		Doc:   fmt.Sprintf("How long a session lasts after sign-in, however often it is used and renewed (OWASP ASVS 3.3.2): a Go duration, at least `maxAge` and at most %s; `0` turns it off, so that a session used at least every `maxAge` lasts for ever. Renewals never move the sign-in time (`auth_time` in a JWT, `created_at` of a database session). A database session from before authgen recorded it counts from the migration that added it; a JWT from before, from its last renewal.", formatDuration(MaxMaxAge)),
		check: checkAbsoluteMaxAge},
	{Path: "session.revocation", Type: TypeBool, Default: "`false`", Example: "true",
		Doc: "Makes JWT sessions revocable (needs `strategy: jwt` and a `database`): each session gets a record in the database, so signing out — also everywhere, and ending a session from the list of sessions — ends it on every instance within 30 seconds, for at most one database read per session per 30 seconds. Without it a JWT lives until it expires, whatever happens on the server (sign-out only deletes the browser's cookie): keep `maxAge` short. Turning it on signs JWT users out once (their tokens have no record). Database sessions are revocable anyway."},
	{Path: "providers", Type: TypeList, Default: "none", Example: "[{id: github}]",
		Doc: "The sign-in providers, in the order the sign-in page shows them. `authgen add provider` and `authgen remove provider` edit this list."},
	{Path: "providers[].id", Type: TypeString, Required: true, Example: "github",
		Doc: "The provider's id in URLs (`/api/auth/callback/<id>`) and variables (`AUTH_<ID>_ID`): lower-case letters, digits and `-`. Without `kind`, a provider of the catalog ([PROVIDERS.md](PROVIDERS.md)). `email` and `passkey` are e-mail sign-in's and passkeys' only, and a sign-in form's id is its kind's (`credentials`, `ldap`).", check: checkID},
	{Path: "providers[].kind", Type: TypeString, Default: "the `id`", Example: "oidc",
		Doc: "The catalog entry ([PROVIDERS.md](PROVIDERS.md)) when `id` is a name of your own: a second GitHub (`kind: github`), or any OpenID Connect (`oidc`) or OAuth 2.0 (`oauth`) provider.", check: checkID},
	{Path: "providers[].name", Type: TypeString, Default: "the catalog's name", Example: "Staff SSO",
		Doc: "The name on the sign-in button (\"Sign in with …\"), in `/api/auth/providers` and in messages.", check: checkName},
	{Path: "providers[].issuer", Type: TypeString, Default: "the catalog's, else `AUTH_<ID>_ISSUER`", Example: "https://idp.example.com",
		Doc: "An OpenID Connect provider's issuer; `AUTH_<ID>_ISSUER` still overrides it. https (http only for localhost).", check: checkURL},
	{Path: "providers[].baseUrl", Type: TypeString, Default: "the public instance, else `AUTH_<ID>_BASE_URL`", Example: "https://github.example.com",
		Doc: "A self-hosted instance (GitHub Enterprise Server, GitLab, …), for providers that have one; `AUTH_<ID>_BASE_URL` still overrides it.", check: checkURL},
	{Path: "providers[].logout", Type: TypeBool, Default: "`false`", Example: "true",
		Doc: "Sign-out also ends the provider's session (OpenID Connect RP-initiated logout), when its issuer has an `end_session_endpoint`. OpenID Connect providers only."},
	{Path: "providers[].trustEmail", Type: TypeBool, Default: "`false`", Example: "true",
		Doc: "A sign-in with an account of this provider that is linked to nobody, while nobody is signed in, is linked to the existing user with the same e-mail address — when the provider reports the address verified ([PROVIDERS.md](PROVIDERS.md) says how each one does; one that cannot say is refused this key). Without it that sign-in is refused with `OAuthAccountNotLinked`, as in Auth.js, and the user links the account from their account page once signed in. Turn it on only for a provider you trust to verify addresses: one that reports an address its user does not own hands that address's account over to them. Needs a `database`."},
	{Path: "providers[].scopes", Type: TypeStringList, Default: "the catalog's", Example: "[openid, profile, email, groups]",
		Doc: "The scopes requested, replacing the catalog's (an OpenID Connect provider's must include `openid`). Not for OAuth 1.0a.", check: checkScope},
	{Path: "providers[].params", Type: TypeStringMap, Default: "the catalog's", Example: "{prompt: select_account, hd: example.com}",
		Doc:   "Extra authorization parameters, added to the catalog's (a key given here replaces the catalog's value). `{client_id}` in a value is the client ID. The parameters the flow sets (`client_id`, `redirect_uri`, `state`, `nonce`, PKCE, …) cannot be set, and `scope` is `scopes`. Not for OAuth 1.0a.",
		check: checkParamValue, checkKey: checkParamKey},
	{Path: "providers[].labels", Type: TypeStringMap, Default: "`Username` and `Password`", Example: "{username: Staff ID, password: Password}",
		Doc:   "A sign-in form's labels (`credentials` and `ldap` only), by field: `username`, `password`. The sign-in page shows the form next to the other providers' buttons.",
		check: checkName},
	{Path: "theme", Type: TypeMapping, Doc: "How the built-in pages (sign-in, sign-out, error, check your e-mail) look."},
	{Path: "theme.brand", Type: TypeString, Default: "`#2563eb`", Example: "\"#0f766e\"",
		Doc: "The colour of buttons and links: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa` or a CSS colour name (`teal`). Quote a hex colour: YAML reads `#` after a space as a comment.", check: checkBrand},
	{Path: "theme.logo", Type: TypeString, Default: "none", Example: "/static/logo.svg",
		Doc: "An image shown above the forms: an https URL, or a path on your site.", check: checkLogo},
	{Path: "theme.appName", Type: TypeString, Default: "the last element of the module path", Example: "Acme",
		Doc: "The application's name in page titles.", check: checkName},
	{Path: "pages", Type: TypeMapping,
		Doc: "Your own pages instead of the built-in ones, each a path on your site outside `basePath`. authgen redirects there with Auth.js's query parameters."},
	{Path: "pages.signIn", Type: TypeString, Default: "the built-in page", Example: "/login",
		Doc: "The sign-in page: `GET <basePath>/signin`, the sign-in errors (`?error=OAuthCallback`, …) and protected routes (`Require`) send users there with `callbackUrl` (and `error`).", check: checkPage},
	{Path: "pages.signOut", Type: TypeString, Default: "the built-in page", Example: "/logout",
		Doc: "The sign-out page (`GET <basePath>/signout`); it posts to `<basePath>/signout` with the CSRF token.", check: checkPage},
	{Path: "pages.error", Type: TypeString, Default: "the built-in page", Example: "/auth-error",
		Doc: "The error page for errors that are not the sign-in page's (`Configuration`, `AccessDenied`, `Verification`), with `?error=`.", check: checkPage},
	{Path: "pages.verifyRequest", Type: TypeString, Default: "the built-in page", Example: "/check-email",
		Doc: "The \"check your e-mail\" page shown after an e-mail sign-in link is sent.", check: checkPage},
	{Path: "pages.newUser", Type: TypeString, Default: "none", Example: "/welcome",
		Doc: "Where a user goes after their first sign-in, with `?callbackUrl=` (needs a `database`, which knows who is new).", check: checkPage},
	{Path: "trustedOrigins", Type: TypeStringList, Default: "none", Example: "[https://app.example.com]",
		Doc: "Other origins allowed to POST to the auth API (a front end on another host): `scheme://host[:port]`, no path.", check: checkOrigin},
	{Path: "hsts", Type: TypeBoolOrDuration, Default: "`false`", Example: "true",
		Doc: fmt.Sprintf("The auth API's answers to https requests carry `Strict-Transport-Security`: `true` for a max-age of a year (`%s`), or a Go duration from %s to %s. Browsers then refuse plain http for the host for that long, so turn it on once the site works on https. Without `includeSubDomains`, which your proxy can add when every subdomain is https.", formatDuration(DefaultHSTS), formatDuration(MinHSTS), formatDuration(MaxHSTS)), check: checkHSTS},
	{Path: "emptySessionObject", Type: TypeBool, Default: "`false`", Example: "true",
		Doc: "`GET <basePath>/session` answers `{}` instead of `null` when nobody is signed in, as next-auth v4 clients expect."},
	{Path: "email", Type: TypeMapping, Default: "the defaults below",
		Doc: "E-mail sign-in, when `providers` has `- id: email` (`authgen add provider email`): the user types an address and signs in with the link or the 6-digit code mailed to it. Needs a `database`, which keeps the users and the verification tokens (Redis with `session.store: redis`). The mail goes through the SMTP server of `AUTH_EMAIL_SERVER`, from `AUTH_EMAIL_FROM`; on `http://localhost` without a server it is logged instead, and on https the application refuses to start without one. Its text is yours: `<package>/email/sign-in.html` and `sign-in.txt`, written once from authgen's defaults and built into the application. These settings are kept, unused, while `providers` has no `email`."},
	{Path: "email.maxAge", Type: TypeDuration, Default: "`" + formatDuration(DefaultEmailMaxAge) + "` (24 hours, as Auth.js)", Example: "1h",
		Doc: fmt.Sprintf("How long a sign-in link and code stay valid: a Go duration from %s to %s. Each is used once.", formatDuration(MinEmailMaxAge), formatDuration(MaxEmailMaxAge)), check: checkEmailMaxAge},
	{Path: "email.name", Type: TypeString, Default: "`theme.appName`, else the last element of the module path", Example: "Acme",
		Doc: "The application's name in the mail's subject and text (\"Sign in to Acme\").", check: checkName},
	{Path: "rateLimit", Type: TypeMapping, Default: "every limit on, at its default",
		Doc: "Rate limits, each a token bucket: the rate `N/period` allows N events at once, then one every period/N (`5/h`: five at once, then one every 12 minutes); the period is `s`, `m`, `h`, `d` or a Go duration (`15m`). `{rate: 30/h, burst: 10}` sets how many may come at once apart from the rate; `off` (or `false`) turns a limit off. Past a limit the auth API sends and writes nothing, and answers 429 with `Retry-After`: JSON to JSON clients (`{\"url\", \"error\": \"RateLimited\", \"retryAfter\"}`), the error page saying how long to wait to forms. Requests refused for their CSRF token are not counted. A client is its address (an IPv6 client its /64): the connection's, or with `AUTH_TRUST_HOST` the right-most `X-Forwarded-For`, which must then be an IP address (else 400). The counts live in each instance's memory, or with `session.store: redis` in Redis, shared by every instance."},
	rateLimitField(server.LimitEmail, "3/h",
		"Sign-in e-mails sent to one address (as normalised), whoever asks: nobody's mailbox can be flooded. Whoever spends an address's allowance delays its owner's e-mail sign-in until it refills, so keep the period short."),
	rateLimitField(server.LimitEmailPerClient, "{rate: 30/h, burst: 10}",
		"Sign-in e-mails one client asks for, to any addresses: the application cannot be used to mail many people. Clients behind one address (an office, a mobile carrier's NAT) share it: raise it for a large audience."),
	rateLimitField(server.LimitSignInPerClient, "off",
		"Sign-ins one client starts (`POST <basePath>/signin/<provider>`, e-mail included, and each attempt at a credentials form), which bounds the requests the application makes to providers on a client's behalf."),
	rateLimitField(server.LimitCredentials, "5/15m",
		"Attempts at a credentials provider's form for one identifier (its username, trimmed and lower-cased, counted under a keyed hash), from any client: one account's password cannot be guessed from many addresses. Whoever spends an account's allowance delays its owner's password sign-in until it refills."),
	rateLimitField(server.LimitTwoFactor, "5/h",
		"Two-factor codes tried for one user (at sign-in, and to turn two-factor off or replace the recovery codes), from any client and across restarted sign-ins: whoever has a user's first factor cannot guess the 6-digit code from many addresses. Each sign-in also allows 5 codes of its own. Whoever spends a user's allowance delays that user's sign-in until it refills."),
	rateLimitField(server.LimitEmailCode, "20/d",
		"E-mail sign-in codes typed for one address (as normalised), from any client and across its sign-ins: each sign-in allows 5 codes, and without this an address's few mails an hour would allow hundreds of guesses at a 6-digit code a day. The mail's link is not counted, so whoever spends an address's allowance only makes its owner use the link until it refills."),
	{Path: "authjs", Type: TypeMapping, Default: "none: sessions are authgen's alone",
		Doc: "Shares sessions with an Auth.js application (Next.js with next-auth, @auth/express, …) on the same site — one host, or sibling subdomains with `cookieDomain` — so that signing in on either side signs in on both, and signing out on either ends both ([NEXTJS.md](NEXTJS.md)). The session cookie becomes Auth.js's (`authjs.session-token`, `next-auth.session-token` for version 4, `__Secure-` on https), in Auth.js's format under its secret, `AUTH_SECRET` (with `AUTH_SECRET_1` … `AUTH_SECRET_3` for rotation, as @auth/core reads them); so do the CSRF and callback-url cookies. Needs `session.strategy: jwt`: Auth.js cannot read a database session of authgen's. Two-factor sign-in, revocation, the absolute lifetime and provider tokens held encrypted hold only for sign-ins on the Go side (see NEXTJS.md). Changing it signs users out once (the cookie changes)."},
	{Path: "authjs.version", Type: TypeInteger, Required: true, Values: AuthJSVersions, Example: "5",
		Doc: "The Auth.js application's version: `5` (Auth.js 5: next-auth 5, @auth/core, @auth/express, …) or `4` (next-auth 4, whose `NEXTAUTH_SECRET` is then `AUTH_SECRET`, one secret). The API's error codes and their routing follow that version (v5's client-safe codes, or v4's), and with `4` a signed-out `GET <basePath>/session` answers `{}` as next-auth 4 does."},
	{Path: "twoFactor", Type: TypeString, Values: TwoFactorModes, Default: "`" + TwoFactorOff + "`", Example: TwoFactorOptional,
		Doc: "Two-factor sign-in with TOTP (an authenticator app's 6-digit codes, RFC 6238), after any provider: a signed-in user enrols at `<basePath>/2fa` and gets 10 single-use recovery codes. `optional`: users who enrolled sign in with a code; `required`: every user does, and one who has not enrolled enrols before their session exists. With passkeys (`- id: passkey`) a passkey answers the step too: under `required` a user with a passkey counts as enrolled and one with neither may add a passkey instead of an app, and a passkey sign-in whose authenticator verified the user (PIN, biometrics) is not asked again. The authenticator app shows `theme.appName`. Needs a `database` that keeps the second factors: `sqlite`, `postgres`, `mysql`, `mongodb` (also with `session.store: redis`, since the second factors stay in the database) or `custom`, whose store must then implement `store.TwoFactors` ([ADAPTERS.md](ADAPTERS.md))."},
	{Path: "passkey", Type: TypeMapping, Default: "none: passkeys attach to existing users only",
		Doc: "Passkeys (WebAuthn), when `providers` has `- id: passkey` (`authgen add provider passkey`): a signed-in user registers, renames and deletes passkeys at `<basePath>/passkeys`, and signs in with one from the sign-in page's button (or the browser's autofill of the username field). The relying party is `AUTH_URL`'s host — `cookieDomain` when set, so that the passkeys work on every host that shares the session — and the one origin accepted is `AUTH_URL`'s: nothing to configure, but passkeys registered under one host do not work under another. Needs a `database` that keeps the passkeys: `sqlite`, `postgres`, `mysql`, `mongodb` (also with `session.store: redis`, since the passkeys stay in the database) or `custom`, whose store must then implement `store.Passkeys` ([ADAPTERS.md](ADAPTERS.md)). The project then requires the module `github.com/authgen/authgen/runtime/passkey` (the WebAuthn ceremony, on go-webauthn). These settings need the provider: remove them with it."},
	{Path: "passkey.signup", Type: TypeBool, Default: "`false`", Example: "true",
		Doc: "A visitor without an account may sign up with a passkey from the sign-in page, which creates a user without an e-mail address. `false`: passkeys only attach to users who signed in another way first."},
}

// Fields returns the schema of authgen.yaml, in the order of
// docs/MANIFEST.md.
func Fields() []Field { return slices.Clone(fields) }

// LookupField returns the field at path ("session.maxAge",
// "providers[].name").
func LookupField(path string) (Field, bool) {
	i := slices.IndexFunc(fields, func(f Field) bool { return f.Path == path })
	if i < 0 {
		return Field{}, false
	}
	return fields[i], true
}

// children returns the fields of the mapping at parent.
func children(parent string) []Field {
	var out []Field
	for _, f := range fields {
		if f.parent() == parent {
			out = append(out, f)
		}
	}
	return out
}

// CheckValue checks a string value for the field at path as the manifest
// would: one of its Values, and its own rule. The error explains the
// problem and the fix without naming the field, so a caller names it as
// the user wrote it (a flag, a key). For a list or a map it checks one
// item (value).
func CheckValue(path, value string) error {
	f, ok := LookupField(path)
	if !ok {
		return fmt.Errorf("%s is not a key of %s", path, File)
	}
	return f.checkString(value, checkContext{basePath: DefaultBasePath})
}

// checkString checks a scalar value against Values, the duration syntax
// and the field's check.
func (f Field) checkString(v string, ctx checkContext) error {
	if len(f.Values) > 0 && !slices.Contains(f.Values, v) {
		switch len(f.Values) {
		case 1:
			return fmt.Errorf("%q must be %s%s", v, f.Values[0], suggest.DidYouMean(v, f.Values))
		case 2:
			return fmt.Errorf("%q must be %s or %s%s", v, f.Values[0], f.Values[1], suggest.DidYouMean(v, f.Values))
		}
		return fmt.Errorf("%q is not one of %s%s", v, strings.Join(f.Values, ", "), suggest.DidYouMean(v, f.Values))
	}
	if f.Type == TypeDuration {
		if _, err := parseDuration(v); err != nil {
			return err
		}
	}
	if f.check != nil {
		return f.check(v, ctx)
	}
	return nil
}

// parseDuration reads a Go duration, saying how to write one.
func parseDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err == nil {
		return d, nil
	}
	if _, numErr := strconv.ParseFloat(v, 64); numErr == nil {
		return 0, fmt.Errorf("%q has no unit: write a Go duration such as 720h (30 days) or 90m", v)
	}
	return 0, fmt.Errorf("%q is not a Go duration: write one such as 720h (30 days), 24h or 90m (units h, m, s)", v)
}

// formatDuration writes d the way a user would: 720h, 90m, 1h30m.
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

var (
	identRE       = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	idRE          = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	cookiePrefixE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	tablePrefixRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	paramKeyRE    = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
)

func checkVersion(v string, _ checkContext) error {
	if v != "1" {
		return fmt.Errorf("version %s is not supported: this authgen reads version 1 (a newer authgen may have written it)", v)
	}
	return nil
}

func checkPackage(v string, _ checkContext) error {
	if !identRE.MatchString(v) || token.IsKeyword(v) || v == "main" {
		return fmt.Errorf("%q must be a lower-case Go package name (letters and digits, not a keyword or main), such as auth", v)
	}
	return nil
}

func checkBasePath(v string, _ checkContext) error {
	if !strings.HasPrefix(v, "/") || strings.HasSuffix(v, "/") || strings.ContainsAny(v, " ?#{}%\\") ||
		strings.Contains(v, "//") || slices.Contains(strings.Split(v, "/"), "..") || slices.Contains(strings.Split(v, "/"), ".") {
		return fmt.Errorf("%q must be a path that starts with / and does not end with /, such as %s", v, DefaultBasePath)
	}
	return nil
}

func checkCookiePrefix(v string, _ checkContext) error {
	if !cookiePrefixE.MatchString(v) {
		return fmt.Errorf("%q may only hold letters, digits, - and _, such as authgen", v)
	}
	return nil
}

func checkTablePrefix(v string, _ checkContext) error {
	if !tablePrefixRE.MatchString(v) || len(v) > 32 {
		return fmt.Errorf("%q must start with a lower-case letter and hold only lower-case letters, digits and _ (at most 32), such as %s", v, DefaultTablePrefix)
	}
	return nil
}

func checkMaxAge(v string, _ checkContext) error {
	d, err := parseDuration(v)
	if err != nil {
		return err
	}
	if d < MinMaxAge || d > MaxMaxAge {
		return fmt.Errorf("%s is out of range: a session lasts from %s to %s (one year), such as 720h (30 days)", v, formatDuration(MinMaxAge), formatDuration(MaxMaxAge))
	}
	return nil
}

func checkEmailMaxAge(v string, _ checkContext) error {
	d, err := parseDuration(v)
	if err != nil {
		return err
	}
	if d < MinEmailMaxAge || d > MaxEmailMaxAge {
		return fmt.Errorf("%s is out of range: a sign-in link lasts from %s to %s (a week), such as 1h", v, formatDuration(MinEmailMaxAge), formatDuration(MaxEmailMaxAge))
	}
	return nil
}

func checkAbsoluteMaxAge(v string, _ checkContext) error {
	d, err := parseDuration(v)
	if err != nil {
		return err
	}
	if d != 0 && (d < MinMaxAge || d > MaxMaxAge) {
		return fmt.Errorf("%s is out of range: a session lasts from %s to %s (one year) after sign-in, such as 720h (30 days); 0 turns the limit off", v, formatDuration(MinMaxAge), formatDuration(MaxMaxAge))
	}
	return nil
}

func checkUpdateAge(v string, _ checkContext) error {
	d, err := parseDuration(v)
	if err != nil {
		return err
	}
	if d < MinUpdateAge {
		return fmt.Errorf("%s is too short: renew at most once a minute (at least %s), such as 1h", v, formatDuration(MinUpdateAge))
	}
	return nil
}

func checkID(v string, _ checkContext) error {
	if !idRE.MatchString(v) {
		return fmt.Errorf("%q must be lower-case letters, digits and -, not starting with -, such as github or corp-sso", v)
	}
	return nil
}

// checkName checks a name shown on pages: one line of at most 64
// characters.
func checkName(v string, _ checkContext) error {
	if strings.TrimSpace(v) == "" || strings.ContainsFunc(v, unicode.IsControl) || utf8.RuneCountInString(v) > 64 || !utf8.ValidString(v) {
		return fmt.Errorf("%q must be one line of 1 to 64 characters, such as \"Staff SSO\"", v)
	}
	return nil
}

// checkURL checks an issuer or base URL: https (http only on loopback),
// without credentials, query or fragment.
func checkURL(v string, _ checkContext) error {
	u, err := url.Parse(v)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("%q is not an absolute URL: write one such as https://idp.example.com", v)
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	loopback := host == "localhost" || (ip != nil && ip.IsLoopback())
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback:
	case u.Scheme == "http":
		return fmt.Errorf("%q must use https (http is allowed only for localhost and 127.0.0.1)", v)
	default:
		return fmt.Errorf("%q must be an https URL, such as https://idp.example.com", v)
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(v, "#") {
		return fmt.Errorf("%q must not hold credentials, a query or a fragment", v)
	}
	return nil
}

// checkScope checks a scope token (RFC 6749 §3.3: printable ASCII but
// space, " and \).
func checkScope(v string, _ checkContext) error {
	if v == "" || strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r > '~' || r == '"' || r == '\\' }) {
		return fmt.Errorf("%q is not a scope: one word of printable ASCII without spaces, quotes or backslashes per item, such as read:user", v)
	}
	return nil
}

func checkParamKey(k string) error {
	switch {
	case k == "scope":
		return errors.New("scope is set by scopes: list them under scopes instead")
	case oauth.ReservedParam(k):
		return fmt.Errorf("%s is set by the sign-in flow itself and cannot be changed", k)
	case !paramKeyRE.MatchString(k):
		return fmt.Errorf("%q is not a parameter name: letters, digits, _, . and -", k)
	}
	return nil
}

func checkParamValue(v string, _ checkContext) error {
	if strings.ContainsFunc(v, unicode.IsControl) || !utf8.ValidString(v) {
		return fmt.Errorf("%q holds control characters", v)
	}
	return nil
}

func checkBrand(v string, _ checkContext) error { return server.CheckColor(v) }

func checkLogo(v string, _ checkContext) error { return server.CheckLogo(v) }

func checkPage(v string, ctx checkContext) error { return server.CheckPagePath(v, ctx.basePath) }

func checkOrigin(v string, _ checkContext) error { return server.CheckOrigin(v) }

func checkCookieDomain(v string, _ checkContext) error { return server.CheckCookieDomain(v) }

func checkHSTS(v string, _ checkContext) error {
	d, err := parseDuration(v)
	if err != nil {
		return fmt.Errorf("%w; or true for a year", err)
	}
	if d < MinHSTS || d > MaxHSTS {
		return fmt.Errorf("%s is out of range: a max-age from %s to %s (two years), or true for a year (%s)", v, formatDuration(MinHSTS), formatDuration(MaxHSTS), formatDuration(DefaultHSTS))
	}
	return nil
}
