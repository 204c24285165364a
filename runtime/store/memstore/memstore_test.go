package memstore_test

import (
	"testing"

	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/memstore"
	"github.com/authgen/authgen/runtime/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) store.Store { return memstore.New() })
}

func BenchmarkGetSessionAndUser(b *testing.B) {
	storetest.Bench(b, memstore.New())
}

func TestTwoFactors(t *testing.T) {
	storetest.RunTwoFactors(t, func(*testing.T) storetest.TwoFactorStore { return memstore.New() })
}

func TestPasskeys(t *testing.T) {
	storetest.RunPasskeys(t, func(*testing.T) storetest.PasskeyStore { return memstore.New() })
}
