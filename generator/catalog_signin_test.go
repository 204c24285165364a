package generator_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"go/token"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/internal/gentest"
)

// The catalog harness: every catalog entry signs in, in a generated
// project, through an authtest provider that answers with the entry's
// documented response shapes (its Example), and the mapped user is the
// example's. See TestCatalogSignIn.

var catalogDir = flag.String("catalog-dir", "", "build the catalog sign-in harness's project in this (new or empty) directory and keep it, instead of a temporary one")

// catalogModule is the generated project's module path.
const catalogModule = "example.com/catalogsignin"

// oneProviderSpec is a project (no database, JWT sessions) with the
// catalog entries ids, each under its catalog id.
func oneProviderSpec(t *testing.T, ids ...string) generator.Spec {
	t.Helper()
	m, err := manifest.New(manifest.Choices{Providers: ids, Database: manifest.DBNone, Strategy: manifest.StrategyJWT, Token: manifest.TokenEncrypted})
	if err != nil {
		t.Fatal(err)
	}
	return generator.Spec{Module: catalogModule, Manifest: m}
}

var catalogIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// oauthEntries is the catalog without e-mail sign-in and the sign-in
// forms, which have no OAuth flow (TestEmailEntry and TestFormEntries
// check them).
func oauthEntries() []*catalog.Provider {
	return slices.DeleteFunc(catalog.All(), func(e *catalog.Provider) bool { return !e.IsOAuth() })
}

// TestEmailEntry: e-mail sign-in is in the catalog, generates with a
// database (no provider file: server.Config.Email and the templates) and
// is refused without one.
func TestEmailEntry(t *testing.T) {
	e, ok := catalog.Lookup(manifest.EmailProviderID)
	if !ok || !e.IsEmail() || e.Name == "" || !isHTTPS(e.Docs) {
		t.Fatalf("catalog entry email: %+v", e)
	}
	m, err := manifest.New(manifest.Choices{Providers: []string{"github", "email"}, Database: manifest.DBSQLite, Strategy: manifest.StrategyDatabase, Token: manifest.TokenSigned})
	if err != nil {
		t.Fatal(err)
	}
	files, err := generator.Generate(generator.Spec{Module: catalogModule, Manifest: m})
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]generator.Kind{}
	for _, f := range files {
		paths[f.Path] = f.Kind
	}
	for path, kind := range map[string]generator.Kind{"auth/email_gen.go": generator.Generated, "auth/email/sign-in.html": generator.Scaffold, "auth/email/sign-in.txt": generator.Scaffold} {
		if k, ok := paths[path]; !ok || k != kind {
			t.Errorf("%s: kind %v (present %v), want %v", path, k, ok, kind)
		}
	}
	if _, ok := paths["auth/provider_email_gen.go"]; ok {
		t.Error("e-mail sign-in got a provider file")
	}
	if _, err := manifest.New(manifest.Choices{Providers: []string{"email"}, Database: manifest.DBNone, Strategy: manifest.StrategyJWT, Token: manifest.TokenSigned}); err == nil || !strings.Contains(err.Error(), "email needs a database") {
		t.Errorf("without a database: %v", err)
	}
}

// TestCatalogEntries checks every entry in process: the data is well
// formed and the entry generates.
func TestCatalogEntries(t *testing.T) {
	entries := oauthEntries()
	if len(entries) == 0 {
		t.Fatal("the catalog is empty")
	}
	ids, goNames, envNames := map[string]int{}, map[string]int{}, map[string]int{}
	for _, e := range entries {
		ids[e.ID]++
		goNames[e.GoName]++
		envNames[catalog.EnvName(e.ID)]++
	}
	for _, e := range entries {
		t.Run(e.ID, func(t *testing.T) {
			checkEntry(t, e)
			if ids[e.ID] > 1 {
				t.Errorf("id %q is used by %d entries", e.ID, ids[e.ID])
			}
			if goNames[e.GoName] > 1 {
				t.Errorf("GoName %q is used by %d entries (their generated identifiers would clash)", e.GoName, goNames[e.GoName])
			}
			if n := envNames[catalog.EnvName(e.ID)]; n > 1 {
				t.Errorf("variable prefix AUTH_%s_ is used by %d entries", catalog.EnvName(e.ID), n)
			}
			if _, err := generator.Generate(oneProviderSpec(t, e.ID)); err != nil {
				t.Errorf("does not generate: %v", err)
			}
		})
	}
}

// checkEntry checks one entry's data.
func checkEntry(t *testing.T, e *catalog.Provider) {
	t.Helper()
	if !catalogIDRE.MatchString(e.ID) {
		t.Errorf("id %q must be lower-case letters, digits and -", e.ID)
	}
	if !token.IsIdentifier(e.GoName) || !token.IsExported(e.GoName) {
		t.Errorf("GoName %q is not an exported Go identifier", e.GoName)
	}
	if e.Name == "" {
		t.Error("Name is empty")
	}
	if !isHTTPS(e.Docs) {
		t.Errorf("Docs %q is not an https URL", e.Docs)
	}
	if e.Console != "" && !isHTTPS(e.Console) {
		t.Errorf("Console %q is not an https URL", e.Console)
	}
	switch e.Type {
	case catalog.OAuth2, catalog.OIDC, catalog.OAuth1:
	default:
		t.Errorf("Type %q is not oauth, oidc or oauth1", e.Type)
	}
	switch e.AuthMethod {
	case "", catalog.ClientSecretBasic, catalog.ClientSecretPost, catalog.PrivateKeyJWT, catalog.AppleSecret:
	default:
		t.Errorf("AuthMethod %q is unknown", e.AuthMethod)
	}
	switch e.UserinfoMethod {
	case "", "GET", "POST":
	default:
		t.Errorf("UserinfoMethod %q is not GET or POST", e.UserinfoMethod)
	}
	for _, c := range e.Checks {
		if c != "pkce" && c != "state" && c != "nonce" {
			t.Errorf("check %q is not pkce, state or nonce", c)
		}
	}
	if e.ResponseMode != "" && e.ResponseMode != "form_post" && e.ResponseMode != "query" {
		t.Errorf("ResponseMode %q is not form_post", e.ResponseMode)
	}
	endpoints := map[string]string{
		"Authorization": e.Endpoints.Authorization, "Token": e.Endpoints.Token,
		"Userinfo": e.Endpoints.Userinfo, "RequestToken": e.Endpoints.RequestToken,
	}
	for name, u := range endpoints {
		if u == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(u, "{base}"); ok {
			if e.BaseURL == nil {
				t.Errorf("endpoint %s %q uses {base} but the entry has no BaseURL", name, u)
			}
			if !strings.HasPrefix(rest, "/") {
				t.Errorf("endpoint %s %q: {base} must be followed by a path", name, u)
			}
			continue
		}
		if !isHTTPS(u) {
			t.Errorf("endpoint %s %q is not an https URL", name, u)
		}
	}
	if e.BaseURL != nil {
		for _, u := range []string{e.BaseURL.Endpoints.Authorization, e.BaseURL.Endpoints.Token, e.BaseURL.Endpoints.Userinfo} {
			if u != "" && !strings.HasPrefix(u, "{base}/") {
				t.Errorf("BaseURL endpoint %q does not start with {base}/", u)
			}
		}
	}
	need := []string{}
	switch {
	case e.NeedsEndpoints:
	case e.Type == catalog.OAuth2:
		need = []string{"Authorization", "Token"}
	case e.Type == catalog.OAuth1:
		need = []string{"RequestToken", "Authorization", "Token", "Userinfo"}
	}
	for _, name := range need {
		if endpoints[name] == "" {
			t.Errorf("the %s endpoint is missing (set it, or NeedsEndpoints)", name)
		}
	}
	if e.Type == catalog.OIDC {
		if e.Issuer != "" && !isHTTPS(e.Issuer) {
			t.Errorf("Issuer %q is not an https URL", e.Issuer)
		}
		if !slices.Contains(e.Scopes, "openid") {
			t.Errorf("an OpenID Connect entry's scopes %v lack openid", e.Scopes)
		}
	}
	for name, doc := range map[string]string{"Userinfo": e.Example.Userinfo, "Claims": e.Example.Claims, "Token": e.Example.Token} {
		if doc != "" && !json.Valid([]byte(doc)) {
			t.Errorf("Example.%s is not JSON: %s", name, doc)
		}
	}
	for path, doc := range e.Example.Responses {
		if !strings.HasPrefix(path, "/") || !json.Valid([]byte(doc)) {
			t.Errorf("Example.Responses[%q] must be a path with a JSON body", path)
		}
	}
	if e.Example.Want.ID == "" {
		t.Errorf("catalog entry %s has no example", e.ID)
	}
	checkVerification(t, e)
}

// checkVerification checks how the entry says an address is verified:
// exactly one way, a note where the code does not say it, a runtime
// function when the runtime decides, and never for an entry without an
// address.
func checkVerification(t *testing.T, e *catalog.Provider) {
	t.Helper()
	v := e.EmailVerified
	ways := 0
	for _, set := range []bool{len(v.Fields) > 0, v.Runtime, v.Never} {
		if set {
			ways++
		}
	}
	switch {
	case ways != 1:
		t.Errorf("EmailVerified must say one way (Verified, VerifiedByRuntime or NeverVerified); it says %d", ways)
	case len(v.Fields) > 0 && v.Note != "":
		t.Errorf("EmailVerified by fields needs no note (docs/PROVIDERS.md names the fields); it has %q", v.Note)
	case len(v.Fields) == 0 && v.Note == "":
		t.Error("EmailVerified needs a note saying how (VerifiedByRuntime) or why not (NeverVerified)")
	case v.Runtime && e.ProfileWrap == "" && e.Enrich == "":
		t.Error("EmailVerified by the runtime needs the runtime function (ProfileWrap or Enrich) that sets it")
	case !v.Never && e.Map.Email == nil && e.ProfileWrap == "" && e.Enrich == "":
		t.Error("the entry maps no e-mail address, so its EmailVerified must be NeverVerified(catalog.NoEmail)")
	}
	if v.Never && e.Example.Want.EmailVerified {
		t.Error("an entry that never reports a verified address has an example that wants one")
	}
}

func isHTTPS(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == "https" && u.Host != ""
}

// signInRow is one entry in the generated sign-in test.
type signInRow struct {
	ID, GoName, EnvName, Name, Callback string
	// Spec is the env.ProviderSpec the generated LoadConfig makes, as a
	// Go literal.
	Spec   string
	OAuth1 bool
	// BaseURL: the entry has a base URL, set to the fake's.
	BaseURL bool
	// TokenExchange: the entry replaces the code exchange; the fake reads
	// its token request leniently (authtest.LenientTokenRequest).
	TokenExchange bool
	// The authtest.Config.
	ClientID                    string
	AuthMethod, UserinfoMethod  string
	OIDC, IDTokenHS256          bool
	Userinfo, Claims, TokenJSON string
	Responses                   map[string]string
	Paths                       map[string]string
	// Endpoints are the variables (AUTHORIZATION_URL, …) pointing the
	// provider at the fake: the entry's paths on its URL.
	Endpoints map[string]string
	Header    map[string]string
	Want      catalog.User
}

// urlPath is a catalog URL's path and query: "https://api.x.com/2/users/me?f=1"
// → "/2/users/me?f=1", "{base}/oauth/token" → "/oauth/token".
func urlPath(raw string) string {
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

// authtestMethod is the client authentication the fake enforces for an
// entry: exactly what the generated provider uses.
var authtestMethod = map[string]string{
	"":                        "client_secret_basic",
	catalog.ClientSecretBasic: "client_secret_basic",
	catalog.ClientSecretPost:  "client_secret_post",
	catalog.AppleSecret:       "apple",
	catalog.PrivateKeyJWT:     "private_key_jwt",
}

func newSignInRow(e *catalog.Provider) signInRow {
	r := signInRow{
		ID: e.ID, GoName: e.GoName, EnvName: catalog.EnvName(e.ID), Name: e.Name,
		Callback:       "http://localhost:3000/api/auth/callback/" + e.ID,
		BaseURL:        e.BaseURL != nil,
		TokenExchange:  e.TokenExchange != "",
		OAuth1:         e.Type == catalog.OAuth1,
		AuthMethod:     authtestMethod[e.AuthMethod],
		UserinfoMethod: e.UserinfoMethod,
		OIDC:           e.Type == catalog.OIDC,
		IDTokenHS256:   e.IDTokenSecretKey,
		Userinfo:       e.Example.Userinfo,
		Claims:         e.Example.Claims,
		TokenJSON:      e.Example.Token,
		Responses:      e.Example.Responses,
		Paths:          map[string]string{},
		Endpoints:      map[string]string{},
		Header:         e.UserinfoHeader,
		Want:           e.Example.Want,
	}
	spec, err := generator.ProviderEnv(manifest.Provider{ID: e.ID}, r.Callback)
	if err != nil {
		panic(err)
	}
	r.Spec = fmt.Sprintf("%#v", spec)
	// An example ID token issued to a named client (its azp or aud) is
	// that client's: the fake registers it.
	var claims struct {
		Azp string          `json:"azp"`
		Aud json.RawMessage `json:"aud"`
	}
	if json.Unmarshal([]byte(e.Example.Claims), &claims) == nil {
		var aud string
		_ = json.Unmarshal(claims.Aud, &aud)
		r.ClientID = cmp.Or(claims.Azp, aud)
	}
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
		path := urlPath(ep.url)
		if ep.url != "" && path == "" {
			path = "/"
		}
		if ep.url == "" && e.NeedsEndpoints && (ep.field != "RequestToken" || e.Type == catalog.OAuth1) {
			path = ep.def
		}
		if path == "" {
			continue
		}
		r.Paths[ep.field] = path
		r.Endpoints[ep.variable] = path
	}
	if e.Type == catalog.OIDC && e.Issuer != "" {
		r.Paths["Issuer"] = urlPath(e.Issuer)
	}
	return r
}

var signInTemplate = template.Must(template.New("signin").Funcs(template.FuncMap{
	"q": strconv.Quote,
	// lit is a raw string literal when it can be, for readable JSON.
	"lit": func(s string) string {
		if s != "" && !strings.ContainsAny(s, "`\r") {
			return "`" + s + "`"
		}
		return strconv.Quote(s)
	},
	"strmap": func(m map[string]string) string {
		if len(m) == 0 {
			return "nil"
		}
		var b strings.Builder
		b.WriteString("map[string]string{")
		for _, k := range slices.Sorted(maps.Keys(m)) {
			fmt.Fprintf(&b, "%q: %q, ", k, m[k])
		}
		b.WriteString("}")
		return b.String()
	},
}).Parse(`// Code generated by authgen's catalog sign-in harness
// (generator/catalog_signin_test.go). DO NOT EDIT.

package auth

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/env"
	"github.com/authgen/authgen/runtime/oauth"
)

// catalogRow is a catalog entry's documented sign-in.
type catalogRow struct {
	id, envName string
	newProvider func(env.Provider) *oauth.Provider
	spec        env.ProviderSpec
	// baseURL: AUTH_<ID>_BASE_URL is set to the fake's URL.
	baseURL bool
	idp     authtest.Config
	// endpoints are the AUTH_<ID>_*_URL variables, as paths on the fake.
	endpoints map[string]string
	// header is the entry's UserinfoHeader.
	header map[string]string
	want   oauth.User
}

var catalogRows = []catalogRow{
{{- range .}}
	{
		id:          {{q .ID}},
		envName:     {{q .EnvName}},
		newProvider: new{{.GoName}},
		spec:        {{.Spec}},
		baseURL: {{.BaseURL}},
		idp: authtest.Config{
			ClientID: {{q .ClientID}}, AuthMethod: {{q .AuthMethod}}, UserinfoMethod: {{q .UserinfoMethod}},
			OIDC: {{.OIDC}}, OAuth1: {{.OAuth1}}, IDTokenHS256: {{.IDTokenHS256}}, AnyHost: true,
			{{- if .TokenExchange}}
			TokenRequest: authtest.LenientTokenRequest,
			{{- end}}
			Userinfo:  {{lit .Userinfo}},
			Claims:    {{lit .Claims}},
			Token:     {{lit .TokenJSON}},
			Responses: {{strmap .Responses}},
			Paths: authtest.Paths{
				{{- range $k, $v := .Paths}}{{$k}}: {{q $v}}, {{end -}}
			},
		},
		endpoints: {{strmap .Endpoints}},
		header:    {{strmap .Header}},
		want:      oauth.User{ID: {{q .Want.ID}}, Name: {{q .Want.Name}}, Email: {{q .Want.Email}}, Image: {{q .Want.Image}}, EmailVerified: {{.Want.EmailVerified}}},
	},
{{- end}}
}

// catalogExpand fills a header template ({client_id}, {access_token},
// {token.NAME}) as runtime/oauth documents it.
func catalogExpand(tmpl, clientID, accessToken string, extra func(string) any) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		j := strings.IndexByte(tmpl[i+1:], '}')
		if i < 0 || j < 0 {
			return b.String() + tmpl
		}
		name := tmpl[i+1 : i+1+j]
		b.WriteString(tmpl[:i])
		switch {
		case name == "client_id":
			b.WriteString(clientID)
		case name == "access_token":
			b.WriteString(accessToken)
		case strings.HasPrefix(name, "token."):
			if v := extra(strings.TrimPrefix(name, "token.")); v != nil {
				b.WriteString(fmt.Sprint(v))
			}
		default:
			b.WriteString("{" + name + "}")
		}
		tmpl = tmpl[i+2+j:]
	}
}

// TestCatalogSignIn signs in with every catalog provider's generated
// constructor through an authtest provider answering with the entry's
// example, and checks the mapped user.
func TestCatalogSignIn(t *testing.T) {
	for _, r := range catalogRows {
		t.Run(r.id, func(t *testing.T) {
			t.Parallel()
			idp := authtest.NewProvider(t, r.idp)
			prefix := "AUTH_" + r.envName + "_"
			vars := map[string]string{}
			for k, v := range idp.Env(r.envName) {
				if !strings.HasSuffix(k, "_URL") { // the entry's own endpoints follow
					vars[k] = v
				}
			}
			for k, path := range r.endpoints {
				vars[prefix+k] = idp.URL + path
			}
			if r.baseURL {
				vars[prefix+"BASE_URL"] = idp.URL
			}
			vars[prefix+"API_KEY"] = "catalog-api-key"
			e := env.New(func(k string) string { return vars[k] })
			c := e.Provider(r.spec)
			if err := e.Err(); err != nil {
				t.Fatalf("configuration: %v", err)
			}
			p := r.newProvider(c)
			ctx, client := t.Context(), idp.Client()
			authURL, checks, err := p.Begin(ctx, client, r.spec.CallbackURL, nil)
			if err != nil {
				t.Fatalf("Begin: %v", err)
			}
			cb, err := idp.Authorize(ctx, authURL)
			if err != nil {
				t.Fatalf("authorize: %v", err)
			}
			if u, _ := url.Parse(r.spec.CallbackURL); cb.Host != u.Host || cb.Path != u.Path {
				t.Fatalf("the provider sent the browser to %s, not the callback", cb.Redacted())
			}
			res, err := p.Finish(ctx, client, cb.Query(), r.spec.CallbackURL, checks)
			if err != nil {
				t.Fatalf("Finish: %v", err)
			}
			got := oauth.User{ID: res.User.ID, Name: res.User.Name, Email: res.User.Email, Image: res.User.Image, EmailVerified: res.User.EmailVerified}
			if got != r.want {
				t.Errorf("mapped user\n got %+v\nwant %+v", got, r.want)
			}
			if len(r.header) > 0 {
				h := idp.UserinfoHeader()
				if h == nil {
					t.Errorf("the entry sets UserinfoHeader but made no userinfo request")
				}
				for k, tmpl := range r.header {
					want := catalogExpand(strings.ReplaceAll(tmpl, "{api_key}", p.APIKey), p.ClientID, res.Token.AccessToken, res.Token.Extra)
					if got := h.Get(k); got != want {
						t.Errorf("userinfo request header %s = %q, want %q (%s)", k, got, want, tmpl)
					}
				}
			}
			if hosts := idp.StrayHosts(); len(hosts) > 0 {
				t.Logf("requests to hard-coded hosts %v were answered by the fake", hosts)
			}
		})
	}
}
`))

// catalogResult is an entry's outcome in the generated project.
type catalogResult struct {
	action string
	output string
}

// TestCatalogSignIn builds one project with every catalog entry, signs in
// with each through authtest in a generated test, and reports each entry
// as a subtest. Entries without an example fail.
func TestCatalogSignIn(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated project")
	}
	entries := oauthEntries()
	// Entries that do not generate are left out (TestCatalogEntries says
	// why) so the others still run.
	var ids []string
	broken := map[string]string{}
	for _, e := range entries {
		if _, err := generator.Generate(oneProviderSpec(t, e.ID)); err != nil {
			broken[e.ID] = fmt.Sprintf("does not generate: %v", err)
			continue
		}
		ids = append(ids, e.ID)
	}
	dir := t.TempDir()
	if *catalogDir != "" {
		dir = *catalogDir
	}
	start := time.Now()
	results, out, err := runCatalogProject(t, dir, entries, ids)
	t.Logf("generated project with %d providers: built and tested in %s", len(ids), time.Since(start).Round(time.Millisecond))
	if err != nil {
		// A compile error names the provider files at fault: fail those
		// and run the rest once more.
		culprits := buildCulprits(out, ids)
		if len(culprits) == 0 {
			t.Fatalf("the generated project failed: %v\n%s", err, out)
		}
		for id := range culprits {
			broken[id] = "the generated code does not build:\n" + culprits[id]
		}
		ids = slices.DeleteFunc(ids, func(id string) bool { _, bad := culprits[id]; return bad })
		dir = t.TempDir()
		start = time.Now()
		results, out, err = runCatalogProject(t, dir, entries, ids)
		t.Logf("second build without %d broken providers: %s", len(culprits), time.Since(start).Round(time.Millisecond))
		if err != nil {
			t.Fatalf("the generated project failed: %v\n%s", err, out)
		}
	}
	passed := 0
	for _, e := range entries {
		t.Run(e.ID, func(t *testing.T) {
			if e.Example.Want.ID == "" {
				t.Fatalf("catalog entry %s has no example", e.ID)
			}
			if why, bad := broken[e.ID]; bad {
				t.Fatal(why)
			}
			r := results[e.ID]
			switch {
			case r == nil:
				t.Fatalf("no result from the generated test\n%s", out)
			case r.action == "pass":
				passed++
			case r.action == "skip":
				t.Skip(r.output)
			case e.TokenExchange != "":
				t.Fatalf("sign-in failed in the generated project:\n%s(the entry's TokenExchange %s is served by authtest.LenientTokenRequest; extend it if the exchange differs)", r.output, e.TokenExchange)
			default:
				t.Fatalf("sign-in failed in the generated project:\n%s", r.output)
			}
		})
	}
	t.Logf("%d of %d catalog entries signed in", passed, len(entries))
}

// runCatalogProject generates the project with the providers ids, writes
// its go.mod and sign-in test, and runs the test. It returns each
// provider's result, the output that is no test's, and the error of go.
func runCatalogProject(t *testing.T, dir string, entries []*catalog.Provider, ids []string) (map[string]*catalogResult, string, error) {
	t.Helper()
	spec := oneProviderSpec(t, ids...)
	files, err := generator.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	gentest.WriteModule(t, dir, spec, files)
	var rows []signInRow
	for _, e := range entries {
		if slices.Contains(ids, e.ID) && e.Example.Want.ID != "" {
			rows = append(rows, newSignInRow(e))
		}
	}
	var src bytes.Buffer
	if err := signInTemplate.Execute(&src, rows); err != nil {
		t.Fatal(err)
	}
	formatted, err := format.Source(src.Bytes())
	if err != nil {
		t.Fatalf("the generated test is not Go: %v\n%s", err, src.Bytes())
	}
	if err := os.WriteFile(filepath.Join(dir, spec.Manifest.Package, "catalog_harness_test.go"), formatted, 0o644); err != nil {
		t.Fatal(err)
	}
	tidyStart := time.Now()
	gentest.Go(t, dir, nil, "mod", "tidy")
	t.Logf("go mod tidy: %s", time.Since(tidyStart).Round(time.Millisecond))
	res, stderr, runErr := gentest.Test(dir, nil, "-count=1", "-timeout=5m", "-run=^TestCatalogSignIn$", "./"+spec.Manifest.Package+"/")
	results := map[string]*catalogResult{}
	other := stderr + res.Other
	for name, r := range res.Tests {
		if id, ok := strings.CutPrefix(name, "TestCatalogSignIn/"); ok {
			results[id] = &catalogResult{action: r.Action, output: r.Output.String()}
		} else {
			other += r.Output.String()
		}
	}
	if runErr != nil && len(results) > 0 {
		// Failing subtests make go test fail; their results say why.
		runErr = nil
	}
	return results, other, runErr
}

// buildCulprits maps compile errors in provider_<id>_gen.go files to the
// entries.
func buildCulprits(out string, ids []string) map[string]string {
	culprits := map[string]string{}
	for line := range strings.SplitSeq(out, "\n") {
		for _, id := range ids {
			if strings.Contains(line, "provider_"+strings.ReplaceAll(id, "-", "_")+"_gen.go:") {
				culprits[id] += line + "\n"
			}
		}
	}
	return culprits
}
