package generator

import (
	"slices"

	"github.com/authgen/authgen/generator/manifest"
)

// Requirement is a module the generated code imports.
type Requirement struct {
	Path string
	// Version is the pinned version of a third-party module; empty for
	// authgen's own modules, which the CLI requires at its own version.
	Version string
	// Dir is, for authgen's own modules, the module's directory in the
	// authgen repository ("runtime"), where a checkout replaces it.
	Dir string
}

// Authgen reports whether r is one of authgen's own modules.
func (r Requirement) Authgen() bool { return r.Dir != "" }

// authgen's modules that generated code imports.
var (
	reqRuntime    = Requirement{Path: "github.com/authgen/authgen/runtime", Dir: "runtime"}
	reqMongoStore = Requirement{Path: "github.com/authgen/authgen/runtime/store/mongostore", Dir: "runtime/store/mongostore"}
	reqRedisStore = Requirement{Path: "github.com/authgen/authgen/runtime/store/redisstore", Dir: "runtime/store/redisstore"}
	reqSMTP       = Requirement{Path: "github.com/authgen/authgen/runtime/email/smtp", Dir: "runtime/email/smtp"}
	reqLDAP       = Requirement{Path: pkgLDAP, Dir: "runtime/ldap"}
	reqQRCode     = Requirement{Path: pkgQRCode, Dir: "runtime/qrcode"}
	// reqPasskey, the WebAuthn ceremony, brings go-webauthn: only projects
	// with passkeys require it.
	reqPasskey = Requirement{Path: pkgPasskey, Dir: "runtime/passkey"}
	// reqLambda, for cmd/lambda, brings aws-lambda-go at the version its
	// go.mod requires.
	reqLambda   = Requirement{Path: pkgLambda, Dir: "runtime/lambda"}
	reqEchoAuth = Requirement{Path: pkgEchoAuth, Dir: "runtime/echoauth"}
	reqGinAuth  = Requirement{Path: pkgGinAuth, Dir: "runtime/ginauth"}
)

// Third-party versions generated projects are pinned to: versions whose
// whole module graph resolves (newer sqlite releases have needed test-only
// dependencies that the module proxy refuses, which breaks go mod tidy).
// The integration module's tests run on the same versions
// (TestPinsMatchTestedVersions).
var (
	reqSQLite = Requirement{Path: "modernc.org/sqlite", Version: "v1.60.1"}
	reqPgx    = Requirement{Path: "github.com/jackc/pgx/v5", Version: "v5.12.0"}
	reqMySQL  = Requirement{Path: "github.com/go-sql-driver/mysql", Version: "v1.10.1"}
	// reqOAuth2 is imported by auth_gen.go (ProviderToken's result); its
	// version is the runtime's.
	reqOAuth2 = Requirement{Path: "golang.org/x/oauth2", Version: "v0.37.0"}
	// The routers (manifest router). gin is pinned below its newest
	// release, whose gin-contrib/sse needs a newer Go.
	reqChi  = Requirement{Path: pkgChi, Version: "v5.5.0"}
	reqEcho = Requirement{Path: pkgEcho, Version: "v4.16.5"}
	reqGin  = Requirement{Path: pkgGin, Version: "v1.12.0"}
)

// Requirements returns the modules spec's generated code imports: authgen's
// runtime modules, then third-party modules at pinned versions, for go.mod
// before go mod tidy.
func Requirements(spec Spec) []Requirement {
	reqs := []Requirement{reqRuntime}
	switch spec.Manifest.Database {
	case manifest.DBMongoDB:
		reqs = append(reqs, reqMongoStore)
	}
	if spec.Manifest.Session.Store == manifest.SessionStoreRedis {
		reqs = append(reqs, reqRedisStore)
	}
	if spec.Manifest.HasEmail() {
		reqs = append(reqs, reqSMTP)
	}
	if spec.Manifest.HasLDAP() {
		reqs = append(reqs, reqLDAP)
	}
	if spec.Manifest.TwoFactorOn() {
		reqs = append(reqs, reqQRCode)
	}
	if spec.Manifest.HasPasskey() {
		reqs = append(reqs, reqPasskey)
	}
	if slices.Contains(spec.Targets, TargetLambda) {
		reqs = append(reqs, reqLambda)
	}
	switch spec.Manifest.RouterOrDefault() {
	case manifest.RouterEcho:
		reqs = append(reqs, reqEchoAuth)
	case manifest.RouterGin:
		reqs = append(reqs, reqGinAuth)
	}
	reqs = append(reqs, reqOAuth2)
	switch spec.Manifest.RouterOrDefault() {
	case manifest.RouterChi:
		reqs = append(reqs, reqChi)
	case manifest.RouterEcho:
		reqs = append(reqs, reqEcho)
	case manifest.RouterGin:
		reqs = append(reqs, reqGin)
	}
	switch spec.Manifest.Database {
	case manifest.DBSQLite:
		reqs = append(reqs, reqSQLite)
	case manifest.DBPostgres:
		reqs = append(reqs, reqPgx)
	case manifest.DBMySQL:
		reqs = append(reqs, reqMySQL)
	}
	return reqs
}
