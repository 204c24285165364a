package generator

import "github.com/authgen/authgen/generator/manifest"

// Requirement is a module version the generated code needs.
type Requirement struct {
	Path    string
	Version string
}

// Module versions generated projects are pinned to: versions whose whole
// module graph resolves (newer sqlite and goose releases need test-only
// dependencies that the module proxy refuses, which breaks go mod tidy).
var (
	reqGoose  = Requirement{"github.com/pressly/goose/v3", "v3.28.0"}
	reqSQLite = Requirement{"modernc.org/sqlite", "v1.60.1"}
	reqPgx    = Requirement{"github.com/jackc/pgx/v5", "v5.12.0"}
	reqMySQL  = Requirement{"github.com/go-sql-driver/mysql", "v1.10.1"}
	reqMongo  = Requirement{"go.mongodb.org/mongo-driver/v2", "v2.9.3"}
	reqRedis  = Requirement{"github.com/redis/go-redis/v9", "v9.23.0"}
	// reqOAuth2 is imported by auth_gen.go (ProviderToken's result); its
	// version is the runtime's.
	reqOAuth2 = Requirement{"golang.org/x/oauth2", "v0.37.0"}
)

// Requirements returns the modules spec's generated code imports beyond
// authgen's runtime, at pinned versions, for go.mod before go mod tidy.
func Requirements(spec Spec) []Requirement {
	reqs := []Requirement{reqOAuth2}
	switch spec.Manifest.Database {
	case manifest.DBSQLite:
		reqs = append(reqs, reqGoose, reqSQLite)
	case manifest.DBPostgres:
		reqs = append(reqs, reqGoose, reqPgx)
	case manifest.DBMySQL:
		reqs = append(reqs, reqGoose, reqMySQL)
	case manifest.DBMongoDB:
		reqs = append(reqs, reqMongo)
	}
	if spec.Manifest.Session.Store == manifest.SessionStoreRedis {
		reqs = append(reqs, reqRedis)
	}
	return reqs
}
