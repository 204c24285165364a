package mongostore_test

import (
	"testing"

	"github.com/authgen/authgen/internal/integration/linking"
	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/runtime/store/mongostore"
)

// TestLinking: account linking and unlinking through the auth API on
// MongoDB (FerretDB), as the SQL stores' tests do.
func TestLinking(t *testing.T) {
	linking.Run(t, openStore(t, testsvc.Mongo(t), mongostore.Options{}))
}
