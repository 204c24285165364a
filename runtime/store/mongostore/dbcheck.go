package mongostore

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/authgen/authgen/runtime/dbcheck"
)

var _ dbcheck.Schema = (*Store)(nil)

// CheckSchema implements dbcheck.Schema with Status: nil when the database
// has every step of SchemaVersion and nothing newer, an error wrapping
// dbcheck.ErrPending (and ErrPending) when it lacks some, dbcheck.ErrNewer
// (and ErrUnknownVersion) when a newer program migrated it, and the
// database's own error when it cannot be read.
func (s *Store) CheckSchema(ctx context.Context) error {
	st, err := s.Status(ctx)
	if err != nil {
		return err
	}
	err = st.Check()
	switch {
	case errors.Is(err, ErrPending):
		return fmt.Errorf("%w: %w", dbcheck.ErrPending, err)
	case errors.Is(err, ErrUnknownVersion):
		return fmt.Errorf("%w: %w", dbcheck.ErrNewer, err)
	}
	return err
}

// migrateErr classifies an error of Migrate for dbcheck: an error the
// server answered with is dbcheck.ErrSchema (migrating does not fix it);
// anything else (an unreachable server) is left as it is.
func migrateErr(err error) error {
	var se mongo.ServerError
	if errors.As(err, &se) {
		return fmt.Errorf("%w: %w", dbcheck.ErrSchema, err)
	}
	return err
}
