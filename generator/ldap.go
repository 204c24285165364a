package generator

import (
	"github.com/authgen/authgen/runtime/env"
	"github.com/authgen/authgen/runtime/ldap"
)

// LDAP sign-in's variables are runtime/ldap's table (ldap.Vars), which
// runtime/env cannot list: the core runtime never imports go-ldap. The
// generator, which may, adds them to the application's (AppVars), so
// .env.example, docs/PROVIDERS.md and the commands' next steps list them
// from the one table that ldap.ReadEnv reads.

// LDAPVars returns runtime/ldap's variables as env.Vars.
func LDAPVars() []env.Var {
	var out []env.Var
	for _, v := range ldap.Vars() {
		out = append(out, env.Var{Name: v.Name, Description: v.Description, Required: v.Required, Default: v.Default, Example: v.Example})
	}
	return out
}

// AppVars returns the project-wide variables of spec's application: the
// runtime/env table's (AppEnv), then LDAP sign-in's when it is on.
func AppVars(spec Spec) []env.Var {
	vars := AppEnv(spec).Vars()
	if m := spec.Manifest; m != nil && m.HasLDAP() {
		vars = append(vars, LDAPVars()...)
	}
	return vars
}

// hasLDAP reports whether the project has LDAP sign-in.
func (g *gen) hasLDAP() bool { return g.m.HasLDAP() }
