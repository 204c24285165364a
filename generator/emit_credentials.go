package generator

import (
	"bytes"
	"cmp"
	"fmt"
	"go/format"
	"text/template"

	"github.com/dave/jennifer/jen"

	"github.com/authgen/authgen/generator/manifest"
)

// Sign-in forms (the catalog's CredentialsSignIn entries, credentials and
// ldap) are no OAuth providers: each has a provider_<id>_gen.go that
// returns its server.Credentials, which New puts in server.Config's
// Credentials. The credentials entry's Authorize is the user's, in the
// scaffold credentials.go; ldap's is runtime/ldap's Authenticator.

const pkgLDAP = "github.com/authgen/authgen/runtime/ldap"

// formInputTypes are server's constants for catalog.FormField types.
var formInputTypes = map[string]string{"text": "FieldText", "password": "FieldPassword", "email": "FieldEmail"}

// formFile emits provider_<id>_gen.go for the sign-in form p.
func (g *gen) formFile(p provider) (File, error) {
	f := newFile(g.pkgPath, g.m.Package, true)
	var fields []jen.Code
	identifier := ""
	for _, ff := range p.entry.Form {
		c, ok := formInputTypes[ff.Type]
		if !ok {
			return File{}, fmt.Errorf("generator: catalog %s: form field %s has type %q", p.entry.ID, ff.Name, ff.Type)
		}
		fields = append(fields, jen.Values(
			kv("Name", jen.Lit(ff.Name)),
			kv("Label", jen.Lit(cmp.Or(p.Labels[ff.Name], ff.Label))),
			kv("Type", jen.Qual(pkgServer, c)),
		))
		if ff.Identifier {
			identifier = ff.Name
		}
	}
	name := cmp.Or(p.Name, p.entry.Name)
	lit := []jen.Code{
		kv("ID", jen.Lit(p.ID)),
		kv("Name", jen.Lit(name)),
		kv("Fields", jen.Index().Qual(pkgServer, "CredentialField").Custom(block, fields...)),
		kv("Identifier", jen.Lit(identifier)),
	}
	var params []jen.Code
	switch p.ID {
	case manifest.LDAPProviderID:
		params = []jen.Code{jen.Id("dir").Op("*").Qual(pkgLDAP, "Authenticator")}
		lit = append(lit, kv("Authorize", jen.Id("dir").Dot("Authorize")))
		doc(f.Group, "new"+p.goName+" returns the "+name+" sign-in form, which checks the username and password against the directory of AUTH_LDAP_* (runtime/ldap): a search for the user, then a bind as the user. The user's groups reach the JWT callback as in.Profile's Claims[\"groups\"] (the groups' DNs). Its labels come from authgen.yaml's labels.")
	default:
		var conv []jen.Code
		for _, ff := range p.entry.Form {
			conv = append(conv, kv(ff.GoName, jen.Id("in").Dot("Fields").Index(jen.Lit(ff.Name))))
		}
		conv = append(conv, kv("Request", jen.Id("in").Dot("Request")))
		lit = append(lit, kv("Authorize", jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("in").Qual(pkgServer, "CredentialsInput")).Params(jen.Op("*").Qual(pkgServer, "Identity"), jen.Error()).Block(
			jen.Return(jen.Id("Authorize").Call(jen.Id("ctx"), jen.Id("Credentials").Custom(block, conv...))),
		)))
		doc(f.Group, "Credentials is what the "+name+" sign-in form sends, for Authorize (credentials.go).")
		var sf []jen.Code
		for _, ff := range p.entry.Form {
			sf = append(sf, jen.Comment(fmt.Sprintf("%s is the form's %s field.", ff.GoName, ff.Name)), jen.Id(ff.GoName).String())
		}
		sf = append(sf, jen.Comment("Request is the sign-in's request, for its headers (read only)."), jen.Id("Request").Op("*").Qual("net/http", "Request"))
		f.Type().Id("Credentials").Struct(sf...)
		f.Line()
		doc(f.Group, "Identity is who Authorize found: the outside identity that is linked to authgen's users as an account of provider "+p.ID+" (its ID is the account's id).")
		f.Type().Id("Identity").Op("=").Qual(pkgServer, "Identity")
		f.Line()
		doc(f.Group, "new"+p.goName+" returns the "+name+" sign-in form, which Authorize checks. Its labels come from authgen.yaml's labels.")
	}
	if p.TrustEmail {
		lit = append(lit, kv("TrustEmail", jen.True()))
	}
	f.Func().Id("new"+p.goName).Params(params...).Op("*").Qual(pkgServer, "Credentials").Block(
		jen.Return(jen.Op("&").Qual(pkgServer, "Credentials").Custom(block, lit...)),
	)
	return g.goFile("provider_"+p.ID+"_gen.go", f, Generated)
}

// credentialsScaffold is credentials.go, the user's Authorize.
var credentialsScaffold = template.Must(template.New("credentials.go").Parse(`// {{.Ownership}}

package {{.Package}}

import (
	"context"
	"errors"
	"fmt"

	"github.com/authgen/authgen/runtime/password"
	"github.com/authgen/authgen/runtime/server"
)

// Authorize checks a sign-in with the {{.Name}} form against your
// application's own users and returns who signed in. authgen links the
// identity to its own users as an account of provider {{.ID}}, as it
// links an OAuth account: your users table stays yours.
//
// Return an error wrapping server.ErrCredentials for an unknown user and
// for a wrong password alike: the sign-in answers CredentialsSignin, the
// same for both. Any other error means your users table failed: the
// sign-in answers CredentialsUnavailable and the error is logged (never
// put the password in it). Attempts are rate limited per username and per
// client (authgen.yaml rateLimit.credentials and signInPerClient).
func Authorize(ctx context.Context, c Credentials) (*Identity, error) {
	u, err := findUser(ctx, c.Username)
	if errors.Is(err, errNoSuchUser) {
		// Spend the time a verification takes, so that an unknown user
		// and a wrong password cannot be told apart by the answer's time.
		password.VerifyDummy(c.Password)
		return nil, server.ErrCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("users table: %w", err)
	}
	ok, rehash, err := password.Verify(u.PasswordHash, c.Password)
	if err != nil {
		return nil, fmt.Errorf("user %s: password hash: %w", u.ID, err)
	}
	if !ok {
		return nil, server.ErrCredentials
	}
	if rehash {
		// The hash is bcrypt, or argon2id with older parameters: store the
		// password's argon2id hash now that it is known to be right.
		h, err := password.Hash(c.Password)
		if err != nil {
			return nil, fmt.Errorf("user %s: re-hash: %w", u.ID, err)
		}
		if err := updatePasswordHash(ctx, u.ID, h); err != nil {
			return nil, fmt.Errorf("user %s: store the new hash: %w", u.ID, err)
		}
	}
	return &Identity{
		ID:            u.ID,
		Email:         u.Email,
		EmailVerified: u.EmailVerified,
		Name:          u.Name,
	}, nil
}

// errNoSuchUser is findUser's answer for a username nobody has.
var errNoSuchUser = errors.New("no such user")

// user is a row of your users table, as Authorize needs it.
type user struct {
	ID            string
	Email         string
	EmailVerified bool
	Name          string
	// PasswordHash is password.Hash's argon2id hash (a PHC string), or a
	// bcrypt hash ($2a$…, $2b$…) from before, which Authorize upgrades.
	PasswordHash string
}

// findUser returns the user with the username, or errNoSuchUser. Read it
// from your own table, such as:
//
//	row := db.QueryRowContext(ctx,
//		"SELECT id, email, email_verified, name, password_hash FROM users WHERE lower(username) = lower($1)", username)
//	var u user
//	err := row.Scan(&u.ID, &u.Email, &u.EmailVerified, &u.Name, &u.PasswordHash)
//	if errors.Is(err, sql.ErrNoRows) {
//		return nil, errNoSuchUser
//	}
//	return &u, err
//
// Until you do, nobody can sign in with the form.
func findUser(ctx context.Context, username string) (*user, error) {
	return nil, errNoSuchUser
}

// updatePasswordHash stores the user's new password hash, such as:
//
//	_, err := db.ExecContext(ctx, "UPDATE users SET password_hash = $1 WHERE id = $2", hash, id)
//	return err
func updatePasswordHash(ctx context.Context, id, hash string) error {
	return nil
}
`))

// credentialsFile emits the scaffold credentials.go for the sign-in form
// p (the credentials entry).
func (g *gen) credentialsFile(p provider) (File, error) {
	var b bytes.Buffer
	err := credentialsScaffold.Execute(&b, map[string]string{"Ownership": ownership, "Package": g.m.Package, "Name": cmp.Or(p.Name, p.entry.Name), "ID": p.ID})
	if err != nil {
		return File{}, fmt.Errorf("generator: credentials.go: %w", err)
	}
	content, err := format.Source(b.Bytes())
	if err != nil {
		return File{}, fmt.Errorf("generator: credentials.go: %w", err)
	}
	return File{Path: g.file("credentials.go"), Content: content, Kind: Scaffold}, nil
}
