package sqlstore_test

import (
	"testing"

	"github.com/authgen/authgen/internal/integration/linking"
	"github.com/authgen/authgen/runtime/store/sqlstore"
)

// Account linking and unlinking through the auth API on each SQL
// database: Auth.js's rules with trustEmail, the accounts list, unlinking
// and refusing the last way to sign in, CSRF on both POSTs.

func TestLinkingSQLite(t *testing.T) {
	linking.Run(t, sqlstore.New(openSQLite(t), sqliteDialect, prefix))
}

func TestLinkingPostgres(t *testing.T) {
	linking.Run(t, sqlstore.New(openPostgres(t), postgresDialect, prefix))
}

func TestLinkingMariaDB(t *testing.T) {
	linking.Run(t, sqlstore.New(openMariaDB(t), mysqlDialect, prefix))
}
