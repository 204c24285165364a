package generator

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/authgen/authgen/generator/manifest"
)

// dialectInfo is what differs between the SQL databases in generated code.
type dialectInfo struct {
	// driver is the database/sql driver name.
	driver string
	// dsn is the runtime/dburl function converting DATABASE_URL.
	dsn string
	// migrate is the runtime/store/sqlmigrate dialect constant.
	migrate string
	// what names the database and its Go driver for comments.
	what string
}

var dialects = map[string]dialectInfo{
	manifest.DBSQLite:   {driver: "sqlite", dsn: "SQLite", migrate: "SQLite", what: "SQLite (modernc.org/sqlite, pure Go)"},
	manifest.DBPostgres: {driver: "pgx", dsn: "Postgres", migrate: "Postgres", what: "PostgreSQL (pgx)"},
	manifest.DBMySQL:    {driver: "mysql", dsn: "MySQL", migrate: "MySQL", what: "MySQL or MariaDB (go-sql-driver/mysql)"},
}

// hasDB reports whether the project keeps users in a database.
func (g *gen) hasDB() bool { return g.m.Database != manifest.DBNone }

// isSQL reports whether the database is one of the SQL ones.
func (g *gen) isSQL() bool { _, ok := dialects[g.m.Database]; return ok }

// checksSchema reports whether New checks the database's schema at start
// with runtime/dbcheck: the SQL stores (their migrations) and MongoDB
// (mongostore's steps; *mongostore.Store is a dbcheck.Schema); a custom
// store migrates as it likes.
func (g *gen) checksSchema() bool { return g.isSQL() || g.m.Database == manifest.DBMongoDB }

// storeType is the type OpenStore returns for the project's database; every
// store file (SQL, MongoDB, custom) declares OpenStore(databaseURL),
// Migrate(ctx, store) and a Close method on it.
func (g *gen) storeType() jen.Code {
	switch g.m.Database {
	case manifest.DBMongoDB:
		return jen.Op("*").Qual(pkgMongoStore, "Store")
	case manifest.DBCustom:
		return jen.Op("*").Id("CustomStore")
	}
	return jen.Op("*").Qual(pkgSQLStore, "Store")
}

// redisSessions reports whether sessions and verification tokens live in
// Redis (generated sessions_gen.go declares OpenSessionStore(redisURL, users)
// returning a *redisstore.Store).
func (g *gen) redisSessions() bool { return g.m.Session.Store == manifest.SessionStoreRedis }

// storeFile emits store_gen.go: opening the database, the dialect's errors,
// and Migrate.
func (g *gen) storeFile() (File, error) {
	d := dialects[g.m.Database]
	f := newFile(g.pkgPath, g.m.Package, true)
	if g.m.Database == manifest.DBPostgres {
		f.Anon(pkgPgxStdlib)
	}
	prefix := g.m.Prefix()

	f.Comment("TablePrefix starts the names of authgen's tables.")
	f.Const().Id("TablePrefix").Op("=").Lit(prefix)
	f.Line()

	doc(f.Group, fmt.Sprintf("dialect describes %s to the store.", d.what))
	dialect := []jen.Code{kv("Name", jen.Lit(g.m.Database))}
	switch g.m.Database {
	case manifest.DBSQLite:
		dialect = append(dialect, kv("UnixMillis", jen.True()))
	case manifest.DBPostgres:
		dialect = append(dialect, kv("Numbered", jen.True()))
	}
	dialect = append(dialect, kv("Classify", jen.Id("classify")))
	f.Var().Id("dialect").Op("=").Qual(pkgSQLStore, "Dialect").Custom(block, dialect...)
	f.Line()

	conflict := func(err jen.Code) jen.Code {
		return jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("%w: %w"), jen.Qual(pkgStore, "ErrConflict"), err))
	}
	notFound := func(err jen.Code) jen.Code {
		return jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("%w: %w"), jen.Qual(pkgStore, "ErrNotFound"), err))
	}
	var body []jen.Code
	switch g.m.Database {
	case manifest.DBSQLite:
		doc(f.Group, "classify maps SQLite's unique and foreign-key violations to the store's errors.")
		body = []jen.Code{
			jen.Var().Id("e").Op("*").Qual(pkgSQLite, "Error"),
			jen.If(jen.Qual("errors", "As").Call(jen.Err(), jen.Op("&").Id("e"))).Block(
				jen.Switch(jen.Id("e").Dot("Code").Call()).Block(
					jen.Case(jen.Qual(pkgSQLiteLib, "SQLITE_CONSTRAINT_UNIQUE"), jen.Qual(pkgSQLiteLib, "SQLITE_CONSTRAINT_PRIMARYKEY")).Block(conflict(jen.Err())),
					jen.Case(jen.Qual(pkgSQLiteLib, "SQLITE_CONSTRAINT_FOREIGNKEY")).Block(notFound(jen.Err())),
				),
			),
			jen.Return(jen.Err()),
		}
	case manifest.DBPostgres:
		doc(f.Group, "classify maps PostgreSQL's unique_violation (23505) and foreign_key_violation (23503) to the store's errors.")
		body = []jen.Code{
			jen.Var().Id("e").Op("*").Qual(pkgPgconn, "PgError"),
			jen.If(jen.Qual("errors", "As").Call(jen.Err(), jen.Op("&").Id("e"))).Block(
				jen.Switch(jen.Id("e").Dot("Code")).Block(
					jen.Case(jen.Lit("23505")).Block(conflict(jen.Err())),
					jen.Case(jen.Lit("23503")).Block(notFound(jen.Err())),
				),
			),
			jen.Return(jen.Err()),
		}
	case manifest.DBMySQL:
		doc(f.Group, "classify maps MySQL's duplicate-entry (1062) and foreign-key (1452) errors to the store's errors.")
		body = []jen.Code{
			jen.Var().Id("e").Op("*").Qual(pkgMySQL, "MySQLError"),
			jen.If(jen.Qual("errors", "As").Call(jen.Err(), jen.Op("&").Id("e"))).Block(
				jen.Switch(jen.Id("e").Dot("Number")).Block(
					jen.Case(jen.Lit(1062)).Block(conflict(jen.Err())),
					jen.Case(jen.Lit(1452)).Block(notFound(jen.Err())),
				),
			),
			jen.Return(jen.Err()),
		}
	}
	f.Func().Id("classify").Params(jen.Err().Error()).Error().Block(body...)
	f.Line()

	doc(f.Group, "OpenStore opens the database at databaseURL (DATABASE_URL) and returns the store on it. The database is contacted when first used, so an application starts while it is down and recovers when it returns.")
	f.Func().Id("OpenStore").Params(jen.Id("databaseURL").String()).Params(jen.Op("*").Qual(pkgSQLStore, "Store"), jen.Error()).Block(
		jen.List(jen.Id("dsn"), jen.Err()).Op(":=").Qual(pkgDBURL, d.dsn).Call(jen.Id("databaseURL")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.List(jen.Id("db"), jen.Err()).Op(":=").Qual("database/sql", "Open").Call(jen.Lit(d.driver), jen.Id("dsn")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(g.m.Package+": open database: %w"), jen.Err()))),
		jen.Return(jen.Qual(pkgSQLStore, "New").Call(jen.Id("db"), jen.Id("dialect"), jen.Id("TablePrefix")), jen.Nil()),
	)
	f.Line()

	f.Comment("//go:embed migrations/*.sql")
	f.Var().Id("migrations").Qual("embed", "FS")
	f.Line()

	migratorT := jen.Op("*").Qual(pkgMigrate, "Migrator")
	doc(f.Group, fmt.Sprintf("migrator reads the migrations in migrations/, the schema this code was generated for, for a %s database.", d.what))
	f.Func().Id("migrator").Params().Params(migratorT, jen.Error()).Block(
		jen.List(jen.Id("fsys"), jen.Err()).Op(":=").Qual("io/fs", "Sub").Call(jen.Id("migrations"), jen.Lit("migrations")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.List(jen.Id("m"), jen.Err()).Op(":=").Qual(pkgMigrate, "New").Call(jen.Qual(pkgMigrate, d.migrate), jen.Id("fsys"), jen.Id("TablePrefix").Op("+").Lit("migrations")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(g.m.Package+": migrations: %w"), jen.Err()))),
		jen.Return(jen.Id("m"), jen.Nil()),
	)
	f.Line()

	doc(f.Group, fmt.Sprintf("Migrate applies the migrations in migrations/ that the store's database lacks, recording them in the %smigrations table in goose's format (so the goose CLI works on them too). Instances migrating one database at once take turns.", prefix))
	f.Func().Id("Migrate").Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("st").Op("*").Qual(pkgSQLStore, "Store")).Error().Block(
		jen.List(jen.Id("m"), jen.Err()).Op(":=").Id("migrator").Call(),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("m").Dot("Up").Call(jen.Id("ctx"), jen.Id("st").Dot("DB").Call()), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(g.m.Package+": migrate: %w"), jen.Err())),
		),
		jen.Return(jen.Nil()),
	)
	f.Line()

	doc(f.Group, "schema is the store's database against the migrations in migrations/, which New checks at start.")
	f.Func().Id("schema").Params(jen.Id("st").Op("*").Qual(pkgSQLStore, "Store")).Params(jen.Qual(pkgDBCheck, "Schema"), jen.Error()).Block(
		jen.List(jen.Id("m"), jen.Err()).Op(":=").Id("migrator").Call(),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Qual(pkgDBCheck, "SQL").Call(jen.Id("m"), jen.Id("st").Dot("DB").Call()), jen.Nil()),
	)
	return g.goFile("store_gen.go", f, Generated)
}
