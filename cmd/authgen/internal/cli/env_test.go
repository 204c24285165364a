package cli_test

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/runtime/env"
)

// The environment a generated application reads is written down in five
// places derived from one table (runtime/env): .env.example, the
// ProviderSpec literals of config_gen.go (which runtime/env checks),
// docs/PROVIDERS.md, and init's and add's next steps. These tests check
// that the four that list the required variables agree, for every catalog
// entry and for the manifest variants that change what is required.

// providersDocPath is the generated catalog documentation.
const providersDocPath = "../../../../docs/PROVIDERS.md"

// testCallback is the callback URL prefix the parsed LoadConfig uses.
const testCallback = "http://localhost:3000/api/auth/callback/"

// envExampleRequired returns the variables .env.example marks required:
// those whose comment, just above, ends in "Required.".
func envExampleRequired(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	last := ""
	sc := bufio.NewScanner(strings.NewReader(read(t, filepath.Join(dir, ".env.example"))))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			last = line
			continue
		}
		if name, _, ok := strings.Cut(line, "="); ok && strings.HasSuffix(last, " Required.") {
			out = append(out, name)
		}
		last = ""
	}
	return out
}

// clientAuth maps runtime/env's constant names to their values, as
// config_gen.go refers to them.
var clientAuth = map[string]string{"AuthApple": env.AuthApple, "AuthPrivateKeyJWT": env.AuthPrivateKeyJWT}

// loadConfigMissing runs what the generated LoadConfig in dir asks of
// runtime/env on an empty environment — every e.Provider(env.ProviderSpec{…})
// with the literal's values, every e.Required(name, example) and
// e.DatabaseURL(database) — and returns the variables the Reader reports
// missing, and its error.
func loadConfigMissing(t *testing.T, dir string) ([]string, error) {
	t.Helper()
	path := filepath.Join(dir, "auth", "config_gen.go")
	f, err := parser.ParseFile(token.NewFileSet(), path, read(t, path), 0)
	if err != nil {
		t.Fatal(err)
	}
	str := func(e ast.Expr) string {
		switch e := e.(type) {
		case *ast.BasicLit:
			s, err := strconv.Unquote(e.Value)
			if err != nil {
				t.Fatal(err)
			}
			return s
		case *ast.BinaryExpr: // callback + "id"
			if x, ok := e.X.(*ast.Ident); ok && x.Name == "callback" && e.Op == token.ADD {
				if y, ok := e.Y.(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(y.Value)
					return testCallback + s
				}
			}
		case *ast.SelectorExpr: // env.AuthApple
			if v, ok := clientAuth[e.Sel.Name]; ok {
				return v
			}
		}
		t.Fatalf("%s: cannot evaluate %T in LoadConfig", path, e)
		return ""
	}
	r := env.New(func(string) string { return "" })
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "e" {
			return true
		}
		switch sel.Sel.Name {
		case "Required":
			r.Required(str(call.Args[0]), str(call.Args[1]))
		case "DatabaseURL":
			r.DatabaseURL(str(call.Args[0]))
		case "Provider":
			lit := call.Args[0].(*ast.CompositeLit)
			var spec env.ProviderSpec
			sv := reflect.ValueOf(&spec).Elem()
			for _, el := range lit.Elts {
				kv := el.(*ast.KeyValueExpr)
				name := kv.Key.(*ast.Ident).Name
				field := sv.FieldByName(name)
				switch {
				case !field.IsValid():
					t.Fatalf("%s: env.ProviderSpec has no field %s", path, name)
				case field.Kind() == reflect.Bool:
					field.SetBool(kv.Value.(*ast.Ident).Name == "true")
				default:
					field.SetString(str(kv.Value))
				}
			}
			r.Provider(spec)
		}
		return true
	})
	return r.Missing(), r.Err()
}

// nextSteps returns the variables init's next steps export: the NAME=…
// (or NAME=scheme://…) words of its export lines and their continuations.
func nextSteps(out string) []string {
	_, steps, _ := strings.Cut(out, "Done. Next:\n")
	var names []string
	exporting := false
	for _, line := range strings.Split(steps, "\n") {
		line = strings.TrimSpace(line)
		words := strings.Fields(line)
		if len(words) > 0 && words[0] == "export" {
			exporting, words = true, words[1:]
		} else if !exporting {
			continue
		}
		for _, w := range words {
			if name, _, ok := strings.Cut(w, "="); ok && strings.HasSuffix(w, "…") {
				names = append(names, name)
			}
		}
		exporting = strings.HasSuffix(line, `\`)
	}
	return names
}

// addSetupRE is a row of add's variable table: name, required or optional.
var addSetupRE = regexp.MustCompile(`(?m)^  (AUTH_[A-Z0-9_]+) +(required|optional) `)

// addSetup returns the variables add's output lists as required.
func addSetup(out string) []string {
	var names []string
	for _, m := range addSetupRE.FindAllStringSubmatch(out, -1) {
		if m[2] == "required" {
			names = append(names, m[1])
		}
	}
	return names
}

// docsRequired returns, by catalog id, the variables docs/PROVIDERS.md
// lists as required: the `_SUFFIX` words of its "required" column.
func docsRequired(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	suffix := regexp.MustCompile("`(_[A-Z0-9_]+)`")
	col := -1
	for _, line := range strings.Split(read(t, providersDocPath), "\n") {
		if !strings.HasPrefix(line, "| ") {
			continue
		}
		cells := strings.Split(strings.ReplaceAll(line, `\|`, "\x00"), " | ")
		if col < 0 {
			col = slices.Index(cells, "required")
			if col < 0 {
				t.Fatal("docs/PROVIDERS.md's table has no required column")
			}
			continue
		}
		id := strings.Trim(strings.TrimPrefix(cells[0], "| "), "`")
		if id == "---" || strings.HasPrefix(id, "|---") {
			continue
		}
		names := []string{}
		for _, m := range suffix.FindAllStringSubmatch(cells[col], -1) {
			names = append(names, "AUTH_"+catalog.EnvName(id)+m[1])
		}
		out[id] = names
	}
	return out
}

// withPrefix keeps the names of one provider's variables.
func withPrefix(names []string, id string) []string {
	prefix := "AUTH_" + catalog.EnvName(id) + "_"
	return slices.DeleteFunc(slices.Clone(names), func(n string) bool { return !strings.HasPrefix(n, prefix) })
}

// agree fails the test unless every source lists want, in any order.
func agree(t *testing.T, want []string, sources map[string][]string) {
	t.Helper()
	w := slices.Sorted(slices.Values(want))
	for name, got := range sources {
		if g := slices.Sorted(slices.Values(got)); !slices.Equal(g, w) {
			t.Errorf("%s lists %v as required; want %v", name, g, w)
		}
	}
}

// TestEnvironmentAgrees: for every catalog entry, a project made with
// `authgen init --providers ID` requires the same variables in
// .env.example, in runtime/env run on its LoadConfig, in docs/PROVIDERS.md,
// in init's next steps and in add's.
func TestEnvironmentAgrees(t *testing.T) {
	t.Setenv("AUTH_URL", "")
	docs := docsRequired(t)
	for _, e := range catalog.All() {
		if !e.IsOAuth() {
			continue // no OAuth app, no AUTH_<ID>_*: TestAddEmail, TestLDAPEnvironment
		}
		t.Run(e.ID, func(t *testing.T) {
			dir := t.TempDir()
			code, out, errOut := authgen(t, dir, "init", "--module", "example.com/app", "--providers", e.ID,
				"--db", "none", "--session", "jwt", "--token", "encrypted", "--yes", "--skip-tidy")
			if code != 0 {
				t.Fatalf("init: %d\n%s\n%s", code, out, errOut)
			}
			missing, err := loadConfigMissing(t, dir)
			if err == nil {
				t.Fatal("LoadConfig accepts an empty environment")
			}
			for _, name := range missing {
				if !strings.Contains(err.Error(), name) {
					t.Errorf("the error does not name %s:\n%v", name, err)
				}
			}
			if strings.Contains(err.Error(), "at  ") || strings.Contains(err.Error(), " at with ") {
				t.Errorf("the error names an empty place:\n%v", err)
			}
			code, addOut, errOut := authgen(t, dir, "add", "provider", e.ID, "--skip-tidy")
			if code != 0 {
				t.Fatalf("add: %d\n%s\n%s", code, addOut, errOut)
			}
			if strings.Contains(out, " at \n") || strings.Contains(addOut, " at \n") {
				t.Errorf("next steps name an empty URL:\n%s\n%s", out, addOut)
			}
			agree(t, envExampleRequired(t, dir), map[string][]string{
				"runtime/env on LoadConfig": missing,
				"docs/PROVIDERS.md":         docs[e.ID],
				"init's next steps":         nextSteps(out),
				"add's next steps":          addSetup(addOut),
			})
		})
	}
}

// TestEnvironmentAgreesOnVariants: what authgen.yaml says changes what is
// required (an issuer, a base URL), and generic providers require their
// endpoints; each source follows, and a server database and Redis add
// DATABASE_URL and REDIS_URL.
func TestEnvironmentAgreesOnVariants(t *testing.T) {
	t.Setenv("AUTH_URL", "")
	dir := t.TempDir()
	code, initOut, errOut := authgen(t, dir, "init", "--module", "example.com/app", "--providers", "github",
		"--db", "postgres", "--session", "database", "--session-store", "redis", "--token", "signed", "--yes", "--skip-tidy")
	if code != 0 {
		t.Fatalf("init: %d\n%s\n%s", code, initOut, errOut)
	}
	missing, _ := loadConfigMissing(t, dir)
	project := []string{"DATABASE_URL", "REDIS_URL"}
	isProject := func(n string) bool { return !strings.HasPrefix(n, "AUTH_") }
	agree(t, project, map[string][]string{
		".env.example":              slices.DeleteFunc(envExampleRequired(t, dir), func(n string) bool { return !isProject(n) }),
		"runtime/env on LoadConfig": slices.DeleteFunc(missing, func(n string) bool { return !isProject(n) }),
		"init's next steps":         slices.DeleteFunc(nextSteps(initOut), func(n string) bool { return !isProject(n) }),
	})

	variants := []struct {
		name string
		args []string
		// suffixes are the required AUTH_<ID>_* variables.
		suffixes []string
	}{
		{"oidc with issuer", []string{"oidc", "--id", "corp", "--issuer", "https://idp.example.com"}, []string{"ID", "SECRET"}},
		{"oidc without issuer", []string{"oidc", "--id", "corp2"}, []string{"ID", "SECRET", "ISSUER"}},
		{"tenant oidc with issuer", []string{"keycloak", "--id", "kc", "--issuer", "https://kc.example.com/realms/staff"}, []string{"ID", "SECRET"}},
		{"self-hosted base URL", []string{"github", "--id", "ghe", "--base-url", "https://ghe.example.com"}, []string{"ID", "SECRET"}},
		{"required base URL given", []string{"shopify", "--id", "shop", "--base-url", "https://shop.example.com"}, []string{"ID", "SECRET"}},
		{"required base URL", []string{"shopify"}, []string{"ID", "SECRET", "BASE_URL"}},
		{"generic oauth", []string{"oauth", "--id", "acme"}, []string{"ID", "SECRET", "AUTHORIZATION_URL", "TOKEN_URL", "USERINFO_URL"}},
		{"generic oauth1", []string{"oauth1", "--id", "legacy"}, []string{"ID", "SECRET", "REQUEST_TOKEN_URL", "AUTHORIZATION_URL", "TOKEN_URL", "USERINFO_URL"}},
		{"apple", []string{"apple"}, []string{"ID", "TEAM_ID", "KEY_ID", "PRIVATE_KEY"}},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			id := v.args[0]
			if i := slices.Index(v.args, "--id"); i >= 0 {
				id = v.args[i+1]
			}
			code, out, errOut := authgen(t, dir, append([]string{"add", "provider"}, append(v.args, "--skip-tidy")...)...)
			if code != 0 {
				t.Fatalf("add: %d\n%s\n%s", code, out, errOut)
			}
			var want []string
			for _, s := range v.suffixes {
				want = append(want, "AUTH_"+catalog.EnvName(id)+"_"+s)
			}
			missing, _ := loadConfigMissing(t, dir)
			agree(t, want, map[string][]string{
				".env.example":              withPrefix(envExampleRequired(t, dir), id),
				"runtime/env on LoadConfig": withPrefix(missing, id),
				"add's next steps":          addSetup(out),
			})
		})
	}
}

// TestNextStepsAppleAndOIDC: Apple needs its team, key ID and private key
// and no secret; a generic OpenID Connect provider says where to register
// and asks for the issuer.
func TestNextStepsAppleAndOIDC(t *testing.T) {
	t.Setenv("AUTH_URL", "")
	dir := t.TempDir()
	code, out, errOut := authgen(t, dir, "init", "--module", "example.com/app", "--providers", "apple,oidc",
		"--db", "postgres", "--session", "database", "--token", "signed", "--yes", "--skip-tidy")
	if code != 0 {
		t.Fatalf("init: %d\n%s\n%s", code, out, errOut)
	}
	want := []string{"AUTH_APPLE_ID", "AUTH_APPLE_TEAM_ID", "AUTH_APPLE_KEY_ID", "AUTH_APPLE_PRIVATE_KEY", "AUTH_OIDC_ID", "AUTH_OIDC_SECRET", "AUTH_OIDC_ISSUER", "DATABASE_URL"}
	if got := nextSteps(out); !slices.Equal(got, want) {
		t.Errorf("next steps export %v, want %v\n%s", got, want, out)
	}
	for _, s := range []string{
		"# Apple: register an OAuth app at https://developer.apple.com/account/resources/identifiers/list/serviceId\n",
		"#   with the callback URL http://localhost:3000/api/auth/callback/apple\n",
		"AUTH_APPLE_TEAM_ID: Apple team ID, under Membership details, at https://developer.apple.com/account\n",
		"AUTH_APPLE_KEY_ID: Apple key ID of a Sign in with Apple key, at https://developer.apple.com/account/resources/authkeys/list\n",
		"AUTH_APPLE_PRIVATE_KEY: Apple private key: the contents of that key's .p8 file",
		"# OpenID Connect: register an OAuth app in the admin console of your OpenID Connect provider (documentation: https://openid.net/specs/openid-connect-core-1_0.html)\n",
		"AUTH_OIDC_ISSUER: OpenID Connect issuer URL, such as https://idp.example.com\n",
		" AUTH_OIDC_ISSUER=https://…\n",
		"export DATABASE_URL=postgres://…\n",
		"DATABASE_URL: the PostgreSQL database, such as postgres://",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("next steps lack %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "AUTH_APPLE_SECRET") || strings.Contains(out, " at \n") {
		t.Errorf("next steps ask for Apple's secret or name an empty URL:\n%s", out)
	}
}
