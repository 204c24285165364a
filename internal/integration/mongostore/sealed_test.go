package mongostore_test

import (
	"fmt"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/authgen/authgen/internal/integration/sealedtokens"
	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/runtime/store/mongostore"
)

// TestSealedTokens: provider tokens at rest in MongoDB (FerretDB): sealed
// in the account documents, read after a key rotation, plaintext documents
// from before still read, values moved between documents do not open, and
// the longest token MySQL's TEXT would hold round-trips (a document holds
// up to 16 MB, so a longer one does too).
func TestSealedTokens(t *testing.T) {
	srv := testsvc.Mongo(t)
	st := openStore(t, srv, mongostore.Options{})
	accounts := collection(st, "accounts")
	id := func(provider, accountID string) bson.M { return bson.M{"_id": provider + "\x00" + accountID} }
	sealedtokens.Run(t, st, sealedtokens.DB{
		Dump: func(t testing.TB) string {
			cur, err := accounts.Find(t.Context(), bson.M{})
			if err != nil {
				t.Fatal(err)
			}
			var docs []bson.M
			if err := cur.All(t.Context(), &docs); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, d := range docs {
				fmt.Fprintf(&b, "%v\n", d)
			}
			return b.String()
		},
		Get: func(t testing.TB, provider, accountID, field string) string {
			var doc bson.M
			if err := accounts.FindOne(t.Context(), id(provider, accountID)).Decode(&doc); err != nil {
				t.Fatal(err)
			}
			v, _ := doc[field].(string)
			return v
		},
		Set: func(t testing.TB, provider, accountID, field, value string) {
			res, err := accounts.UpdateOne(t.Context(), id(provider, accountID), bson.M{"$set": bson.M{field: value}})
			if err != nil {
				t.Fatal(err)
			}
			if res.MatchedCount != 1 {
				t.Fatalf("the update matched %d documents", res.MatchedCount)
			}
		},
	}, false)
}
