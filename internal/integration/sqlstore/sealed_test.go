package sqlstore_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/authgen/authgen/internal/integration/sealedtokens"
	"github.com/authgen/authgen/runtime/store/sqlstore"
)

// Provider tokens at rest in each SQL database: sealed in the rows, read
// after a key rotation, plaintext rows from before still read, values
// moved between rows do not open, and the longest token that fits.
// MySQL's TEXT holds 65,535 bytes, so MariaDB refuses a sealed token one
// byte longer than sealedtokens.MaxToken; SQLite's and PostgreSQL's TEXT
// have no such limit.

func TestSealedTokensSQLite(t *testing.T) { sealedTokens(t, openSQLite(t), sqliteDialect, false) }
func TestSealedTokensPostgres(t *testing.T) {
	sealedTokens(t, openPostgres(t), postgresDialect, false)
}
func TestSealedTokensMariaDB(t *testing.T) { sealedTokens(t, openMariaDB(t), mysqlDialect, true) }

func sealedTokens(t *testing.T, db *sql.DB, d sqlstore.Dialect, textLimit bool) {
	q := func(s string) string {
		if d.Numbered {
			return numbered(s)
		}
		return s
	}
	column := func(t testing.TB, col string) string {
		switch col {
		case "access_token", "refresh_token", "id_token", "oauth_token_secret":
			return col
		}
		t.Fatalf("unknown column %q", col)
		return ""
	}
	sealedtokens.Run(t, sqlstore.New(db, d, prefix), sealedtokens.DB{
		Dump: func(t testing.TB) string {
			rows, err := db.QueryContext(t.Context(), "SELECT * FROM "+prefix+"accounts")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			cols, err := rows.Columns()
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for rows.Next() {
				vals := make([]sql.RawBytes, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for i, v := range vals {
					fmt.Fprintf(&b, "%s=%s\t", cols[i], v)
				}
				b.WriteByte('\n')
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			return b.String()
		},
		Get: func(t testing.TB, provider, accountID, col string) string {
			var v sql.NullString
			err := db.QueryRowContext(t.Context(), q("SELECT "+column(t, col)+" FROM "+prefix+"accounts WHERE provider = ? AND provider_account_id = ?"), provider, accountID).Scan(&v)
			if err != nil {
				t.Fatal(err)
			}
			return v.String
		},
		Set: func(t testing.TB, provider, accountID, col, value string) {
			res, err := db.ExecContext(t.Context(), q("UPDATE "+prefix+"accounts SET "+column(t, col)+" = ? WHERE provider = ? AND provider_account_id = ?"), value, provider, accountID)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				t.Fatalf("UPDATE changed %d rows", n)
			}
		},
	}, textLimit)
}
