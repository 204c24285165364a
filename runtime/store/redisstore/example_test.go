package redisstore_test

import (
	"context"
	"log"
	"os"
	"time"

	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/memstore"
	"github.com/authgen/authgen/runtime/store/redisstore"
)

// Sessions in Redis, users in a database (here the in-memory store), as a
// generated project with session.store: redis wires them.
func Example() {
	users := memstore.New()
	sessions, err := redisstore.Open(os.Getenv("REDIS_URL"), redisstore.Options{Prefix: "auth_", Users: users})
	if err != nil {
		log.Fatal(err)
	}
	defer sessions.Close()

	ctx := context.Background()
	u, err := users.CreateUser(ctx, store.User{Name: "Ada", Email: "ada@example.com"})
	if err != nil {
		log.Fatal(err)
	}
	id := store.HashToken("the cookie's token")
	if err := sessions.CreateSession(ctx, store.Session{ID: id, UserID: u.ID, Expires: time.Now().Add(30 * 24 * time.Hour)}); err != nil {
		log.Fatal(err)
	}
	if _, user, err := sessions.GetSessionAndUser(ctx, id, time.Now()); err == nil {
		log.Printf("signed in as %s", user.Name)
	}

	// Deleting a user: their sessions first, then the user.
	if err := sessions.DeleteUserSessions(ctx, u.ID); err != nil {
		log.Fatal(err)
	}
	if err := users.DeleteUser(ctx, u.ID); err != nil {
		log.Fatal(err)
	}
}
