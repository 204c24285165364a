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
	OAuth1 Type = "oauth1"
	// EmailSignIn is e-mail sign-in (the Email entry): no OAuth at all,
	// and none of the OAuth fields of Provider apply.
	EmailSignIn Type = "email"
	// CredentialsSignIn is a sign-in form (the Credentials and LDAP
	// entries): the runtime's server.Credentials checks its fields, and
	// none of the OAuth fields of Provider apply; Form lists the fields.
	CredentialsSignIn Type = "credentials"
	// PasskeySignIn is passkeys (the Passkey entry, WebAuthn): the
	// runtime's server.Config.Passkeys does the work, and none of the
	// OAuth fields of Provider apply.
	PasskeySignIn Type = "passkey"
)

// Client authentication methods at the token endpoint.
const (
	// ClientSecretBasic is the default.
	ClientSecretBasic = "client_secret_basic"
	ClientSecretPost  = "client_secret_post"
	// PrivateKeyJWT signs a client assertion with AUTH_<ID>_PRIVATE_KEY.
	PrivateKeyJWT = "private_key_jwt"
	// AppleSecret makes Apple's ES256 client-secret JWT from
	// AUTH_<ID>_TEAM_ID, AUTH_<ID>_KEY_ID and AUTH_<ID>_PRIVATE_KEY.
	AppleSecret = "apple"
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

	// Endpoints are the default endpoints. An OpenID Connect provider may
	// leave them to discovery.
	Endpoints Endpoints
	// NeedsEndpoints: there are no defaults; AUTH_<ID>_AUTHORIZATION_URL,
	// _TOKEN_URL and _USERINFO_URL (and _REQUEST_TOKEN_URL for OAuth 1.0a)
	// are required (the generic OAuth providers).
	NeedsEndpoints bool
	// BaseURL, when set, lets AUTH_<ID>_BASE_URL point the provider at a
	// self-hosted instance.
	BaseURL *BaseURL

	// Issuer is an OpenID Connect provider's issuer. Empty means it is
	// required from AUTH_<ID>_ISSUER (tenant or self-hosted providers).
	Issuer string
	// DiscoveryURL is where the discovery document is, when not at
	// <issuer>/.well-known/openid-configuration; "{issuer}" stands for the
	// issuer.
	DiscoveryURL string
	// IssuerExample shows the form of a required issuer in messages
	// ("https://<tenant>.okta.com").
	IssuerExample string
	// FetchUserinfo also reads an OpenID Connect provider's userinfo.
	FetchUserinfo bool
	// IDTokenSecretKey: ID tokens are HS256-signed with the client secret.
	IDTokenSecretKey bool
	// ResponseMode "form_post" makes the provider POST the callback.
	ResponseMode string

	Scopes []string
	// Params are extra authorization parameters; values may use
	// {client_id}.
	Params map[string]string
	// TokenParams are extra token request parameters; values may use
	// {client_id} and {client_secret}.
	TokenParams map[string]string
	// TokenExchange names a runtime/oauth function replacing the code
	// exchange, for providers that do not follow RFC 6749 there.
	TokenExchange string
	// Checks the provider supports: "pkce", "state", "nonce". Default:
	// pkce (OAuth 2.0), pkce and nonce (OpenID Connect), none (OAuth 1.0a).
	Checks []string
	// AuthMethod is one of the client authentication methods above.
	AuthMethod string
	// UserinfoMethod is GET unless set (POST for Dropbox).
	UserinfoMethod string
	// NeedsAPIKey: the API wants an application key besides the token,
	// read from AUTH_<ID>_API_KEY for the {api_key} template.
	NeedsAPIKey bool
	// UserinfoHeader is added to the userinfo request. Values (and the
	// userinfo URL) may use {client_id}, {api_key}, {access_token} and
	// {token.NAME};
	// an Authorization header replaces "Bearer <token>".
	UserinfoHeader map[string]string

	// Profile is the provider's user object (for OpenID Connect: the ID
	// token's claims, completed by userinfo when fetched).
	Profile Struct
	// Map says how Profile becomes a user.
	Map Mapping
	// ProfileWrap names a runtime/oauth function wrapping the profile
	// mapping ("AppleName").
	ProfileWrap string
	// Enrich names a runtime/oauth EnrichFunc run after mapping.
	Enrich string
	// EmailVerified says how the provider reports that the address it
	// gives is verified, which is what lets a provider with trustEmail in
	// authgen.yaml link a sign-in to the existing user with that address.
	// Every entry sets it; one that cannot say (Never) never links.
	EmailVerified Verification

	// Example is a documented sign-in, for tests: what the provider answers
	// and the user it maps to.
	Example Example

	// Form is a CredentialsSignIn entry's sign-in form, in order; the
	// manifest's labels key relabels its fields.
	Form []FormField
}

// FormField is one input of a CredentialsSignIn entry's form.
type FormField struct {
	// Name is the form field's name ("username") and the key of its label
	// in the manifest's labels.
	Name string
	// GoName is the field of the generated Credentials type ("Username").
	GoName string
	// Label is the default label.
	Label string
	// Type is the input's type: "text", "password" or "email"
	// (server.FieldText, …).
	Type string
	// Identifier: attempts are rate limited by this field's value (the
	// username). Exactly one field of a form is.
	Identifier bool
}

// Verification is how a provider reports that the user's e-mail address
// is verified. Exactly one of Fields, Runtime and Never is set.
type Verification struct {
	// Fields are the profile fields that are all true when the address is
	// verified: each a Bool, a Flex that reads "true" (OpenID Connect's
	// email_verified, which some providers send as a string), or an Int
	// that is 1.
	Fields []Path
	// Runtime: the runtime function named in ProfileWrap or Enrich sets
	// oauth.User.EmailVerified (GitHub's /user/emails, a primary address's
	// flag); Note says how.
	Runtime bool
	// Never: the provider does not say, or gives no address, so a sign-in
	// with it never links by e-mail; Note says why.
	Never bool
	// Note explains Runtime and Never for docs/PROVIDERS.md.
	Note string
}

// Verified is a Verification by profile fields, all of which must be true.
func Verified(fields ...Path) Verification { return Verification{Fields: fields} }

// VerifiedByRuntime is a Verification made by the runtime function of the
// entry; note says how.
func VerifiedByRuntime(note string) Verification { return Verification{Runtime: true, Note: note} }

// NeverVerified is the Verification of a provider that cannot say; why
// says why.
func NeverVerified(why string) Verification { return Verification{Never: true, Note: why} }

// Reasons a provider never links by e-mail, for NeverVerified.
const (
	// NoEmail: the provider gives no e-mail address.
	NoEmail = "no e-mail address"
	// NotReported: the provider gives an address but does not say whether
	// it is verified.
	NotReported = "not reported"
)

// Example is a provider's documented answers and the expected user.
type Example struct {
	// Userinfo is the userinfo (profile) response body.
	Userinfo string
	// Claims are the ID token's claims beyond iss, aud, exp, iat and nonce
	// (OpenID Connect), as JSON.
	Claims string
	// Token holds extra members of the token response, as JSON (VK's
	// e-mail).
	Token string
	// Responses are further API answers by path ("/user/emails").
	Responses map[string]string
	// Want is the user the answers map to.
	Want User
}

// User is a mapped user, for examples.
type User struct {
	ID, Name, Email, Image string
	// EmailVerified is what the entry's EmailVerified makes of the example.
	EmailVerified bool
}

// Endpoints of a provider. They may contain {base}, replaced by the base URL.
type Endpoints struct {
	Authorization string
	Token         string
	Userinfo      string
	// RequestToken is OAuth 1.0a's temporary-credentials endpoint.
	RequestToken string
}

// BaseURL describes a self-hosted variant.
type BaseURL struct {
	// What names the variant ("GitHub Enterprise Server").
	What string
	// Required: the provider has no default instance (a Shopify shop), so
	// AUTH_<ID>_BASE_URL (or the manifest's baseUrl) must be set.
	Required bool
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
	// Object is a nested object (Struct).
	Object
	// Array is a list of objects (Struct); paths reach its first element
	// with "First": "Images.First.URL".
	Array
	// Flex is a string that some answers send as a number or boolean
	// (oauth.FlexString).
	Flex
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

// Format is fmt.Sprintf of its arguments, or "" when any is empty:
// Format{"https://cdn.example/avatars/%s/%s.png", []Expr{Path("ID"), Path("Avatar")}}.
type Format struct {
	Format string
	Args   []Expr
}

func (Path) isExpr()    {}
func (FirstOf) isExpr() {}
func (Join) isExpr()    {}
func (Format) isExpr()  {}

// IsEmail reports whether the entry is e-mail sign-in rather than an
// OAuth or OpenID Connect provider.
func (p *Provider) IsEmail() bool { return p.Type == EmailSignIn }

// IsCredentials reports whether the entry is a sign-in form (credentials,
// ldap) rather than an OAuth or OpenID Connect provider.
func (p *Provider) IsCredentials() bool { return p.Type == CredentialsSignIn }

// IsPasskey reports whether the entry is passkeys (WebAuthn) rather than an
// OAuth or OpenID Connect provider.
func (p *Provider) IsPasskey() bool { return p.Type == PasskeySignIn }

// IsOAuth reports whether the entry is an OAuth 2.0, OAuth 1.0a or OpenID
// Connect provider: neither e-mail sign-in, a sign-in form nor passkeys.
func (p *Provider) IsOAuth() bool { return !p.IsEmail() && !p.IsCredentials() && !p.IsPasskey() }

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
