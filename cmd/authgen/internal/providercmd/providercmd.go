// Package providercmd implements the provider verbs: "authgen add provider"
// and "authgen remove provider" edit authgen.yaml and regenerate, and
// "authgen providers" lists the catalog.
package providercmd

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/cmd/authgen/internal/usage"
	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/generator/writer"
	"github.com/authgen/authgen/runtime/env"
)

// defaultOrigin is where the generated demo app listens; AUTH_URL replaces
// it in the callback URL shown.
const defaultOrigin = "http://localhost:3000"

// parentRun is the action of "add" and "remove" without their provider
// verb: help, or an error pointing at the verb.
func parentRun(verb string) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		if args[0] == "providers" && len(args) > 1 {
			args = args[1:]
		}
		return usage.Errorf("%s: unknown %q; %s a provider with `authgen %s provider %s`", verb, args[0], verb, verb, args[0])
	}
}

// proj is the project a verb works on.
type proj struct{ *project.Project }

// load finds the module at or above the working directory and reads its
// manifest.
func load() (*proj, error) {
	p, err := project.Load(".")
	if err != nil {
		return nil, err
	}
	return &proj{p}, nil
}

// plan plans regenerating the project as `authgen generate` does, and
// writing the edited manifest; Plan.Apply makes it all or nothing. With
// force, generated files that lack the marker are overwritten too; scaffold
// files the user already has are never rewritten by the provider verbs.
func (p *proj) plan(force bool) (*project.Plan, error) {
	plan, err := project.PlanGenerate(p.Root, p.Spec(), writer.Options{ForceGenerated: force})
	if err != nil {
		return nil, err
	}
	data, err := p.Manifest.Bytes()
	if err != nil {
		return nil, err
	}
	c, err := writer.PlanWrite(p.Root, manifest.File, data, 0o644)
	if err != nil {
		return nil, err
	}
	plan.Add(c)
	return plan, nil
}

// origin is the application's public origin for callback URLs: AUTH_URL
// as the application at root reads it — from the environment, else from
// its .env (a malformed .env is the application's to report; it gives the
// environment alone here) — else the demo's default.
func origin(root string) string {
	getenv, err := env.Dotenv(filepath.Join(root, env.DotenvFile), os.LookupEnv)
	if err != nil {
		getenv = os.Getenv
	}
	if u := strings.TrimRight(getenv("AUTH_URL"), "/"); u != "" {
		return u
	}
	return defaultOrigin
}

// callbackURL is the redirect URI to register for provider id of the
// project at root.
func callbackURL(root string, m *manifest.Manifest, id string) string {
	return origin(root) + m.BasePath + "/callback/" + id
}

// checkURL validates an issuer or base URL flag: absolute https, or http on
// the loopback host; no credentials, query or fragment.
func checkURL(flag, raw string) error { return usage.URL(flag, raw) }

// suggest returns the catalog ids nearest to name, best first, at most
// five.
func suggest(name string) []string { return catalog.Suggest(name, 5) }

// orList joins items as "a, b or c".
func orList(items []string) string { return usage.OrList(items) }

// unknownProvider is the error for a name the catalog lacks.
func unknownProvider(name string) error {
	// "github-enterprise": a second GitHub app wants --id.
	for _, e := range catalog.All() {
		if rest, ok := strings.CutPrefix(name, e.ID+"-"); ok && rest != "" && manifest.ValidID(name) {
			return usage.Errorf("unknown provider %q: to add another %s app, run `authgen add provider %s --id %s` (`authgen providers` lists the catalog)", name, e.Name, e.ID, name)
		}
	}
	if s := suggest(name); len(s) > 0 {
		return usage.Errorf("unknown provider %q: did you mean %s? (`authgen providers` lists the catalog)", name, orList(s))
	}
	return usage.Errorf("unknown provider %q (`authgen providers` lists the catalog; \"oidc\" and \"oauth\" add any OpenID Connect or OAuth 2.0 provider)", name)
}
