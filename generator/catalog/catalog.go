// Package catalog describes, as data, every identity provider authgen can
// generate: endpoints, scopes, checks, the typed profile the provider
// returns and how that profile maps to a user. The generator turns an entry
// into Go code; behaviour that is more than data (GitHub's e-mail lookup)
// lives in the runtime and is referenced here by name.
//
// One file per provider, each a single exported variable, registered in
// all.go.
package catalog

import (
	"cmp"
	"slices"
	"strings"
)

// Type is the protocol a provider speaks.
type Type string

// Provider types.
const (
	OAuth2 Type = "oauth"
	OIDC   Type = "oidc"
)

// Provider is one catalog entry.
type Provider struct {
	// ID is the provider's id, as in Auth.js ("github").
	ID string
	// Name is the display name ("GitHub").
	Name string
	// GoName is the Go identifier prefix ("GitHub" for GitHubProfile).
	GoName string
	Type   Type
	// Docs is the provider's OAuth documentation.
	Docs string
	// Console is where developers register an OAuth app.
	Console string

	// Endpoints are the default endpoints.
	Endpoints Endpoints
	// BaseURL, when set, lets AUTH_<ID>_BASE_URL point the provider at a
	// self-hosted instance.
	BaseURL *BaseURL

	Scopes []string
	// Params are extra authorization parameters.
	Params map[string]string
	// Checks the provider supports: "pkce", "state", "nonce".
	Checks []string
	// AuthMethod is "client_secret_basic" (default) or "client_secret_post".
	AuthMethod string

	// Profile is the provider's user object.
	Profile Struct
	// Map says how Profile becomes a user.
	Map Mapping
	// Enrich names a runtime/oauth EnrichFunc run after mapping.
	Enrich string
}

// Endpoints of a provider. They may contain {base}, replaced by the base URL.
type Endpoints struct {
	Authorization string
	Token         string
	Userinfo      string
}

// BaseURL describes a self-hosted variant.
type BaseURL struct {
	// What names the variant ("GitHub Enterprise Server").
	What string
	// Endpoints under the base URL, written with {base}.
	Endpoints Endpoints
}

// Struct is a JSON object type.
type Struct struct {
	// Doc is the type's doc comment after its name.
	Doc    string
	Fields []Field
}

// Kind is a field's JSON type.
type Kind int

// Field kinds.
const (
	String Kind = iota
	Int
	Bool
	Float
	Object
)

// Field is one member of a Struct.
type Field struct {
	// Name is the Go field name.
	Name string
	// JSON is the member name.
	JSON string
	Kind Kind
	// Struct describes an Object field.
	Struct *Struct
}

// Mapping gives the expression for each user field. Nil expressions leave
// the field empty.
type Mapping struct {
	ID, Name, Email, Image Expr
	// Doc explains the mapping, for the generated function's comment.
	Doc string
}

// Expr is a mapping expression over the profile.
type Expr interface{ isExpr() }

// Path is a (dotted) field path in the profile: "AvatarURL", "Picture.Data.URL".
type Path string

// FirstOf is the first non-empty of its expressions.
type FirstOf []Expr

// Join joins the non-empty expressions with Sep.
type Join struct {
	Sep   string
	Parts []Expr
}

func (Path) isExpr()    {}
func (FirstOf) isExpr() {}
func (Join) isExpr()    {}

// Lookup returns the catalog entry with the given id.
func Lookup(id string) (*Provider, bool) {
	for _, p := range all {
		if p.ID == id {
			return p, true
		}
	}
	return nil, false
}

// All returns every entry, sorted by id.
func All() []*Provider {
	out := slices.Clone(all)
	slices.SortFunc(out, func(a, b *Provider) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// EnvName is the provider id as it appears in environment variables:
// upper-cased, with "-" turned into "_".
func EnvName(id string) string {
	return strings.ToUpper(strings.ReplaceAll(id, "-", "_"))
}
