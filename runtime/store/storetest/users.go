package storetest

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authgen/authgen/runtime/atrest"
	"github.com/authgen/authgen/runtime/store"
)

// concurrency is how many goroutines race in the concurrency checks.
const concurrency = 16

// uuidShape is what an assigned user ID must look like.
var uuidShape = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// alice is a verified user with every field set.
func alice() store.User {
	v := at(-2 * day)
	return store.User{
		Name:          "Alice Liddell",
		Email:         "alice@example.com",
		EmailVerified: &v,
		Image:         "https://example.com/alice.png",
	}
}

// bob has never verified his address.
func bob() store.User {
	return store.User{
		Name:  "Bob Roberts",
		Email: "bob@example.com",
		Image: "https://example.com/bob.png",
	}
}

// account is a typical OAuth account of userID.
func account(provider, providerAccountID, userID string) store.Account {
	return store.Account{
		UserID:            userID,
		Type:              "oauth",
		Provider:          provider,
		ProviderAccountID: providerAccountID,
		AccessToken:       "at-" + provider + "-" + providerAccountID,
		ExpiresAt:         at(8 * time.Hour).Unix(),
		TokenType:         "bearer",
		Scope:             "read:user user:email",
		LinkedAt:          at(-3 * day),
	}
}

// fullAccount has every field set, with long tokens and an expiry past
// 2^32 seconds. The tokens are as long as the server hands a store a
// 512-byte refresh token, a 4 KB access token and a 2 KB ID token: sealed
// (atrest.SealedLen).
func fullAccount(userID string) store.Account {
	return store.Account{
		UserID:            userID,
		Type:              "oidc",
		Provider:          "google",
		ProviderAccountID: "109876543210987654321",
		RefreshToken:      longToken("refresh", atrest.SealedLen(512)),
		AccessToken:       longToken("access", atrest.SealedLen(4096)),
		ExpiresAt:         1<<33 + 12345,
		TokenType:         "Bearer",
		Scope:             "openid email profile https://www.googleapis.com/auth/userinfo.profile",
		IDToken:           longToken("id", atrest.SealedLen(2048)),
		SessionState:      "7c2d1f0e.9b8a",
		TokenSecret:       "J6zix3FfA9LofH0awS24M3HcBYXO5nI1iYe8EfBA",
		LinkedAt:          at(-5 * day),
	}
}

// longToken returns n token-like characters derived from seed.
func longToken(seed string, n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString(store.HashToken(seed + strconv.Itoa(i)))
		b.WriteString("-_."[i%3 : i%3+1])
	}
	return b.String()[:n]
}

func usersGroups() []group {
	return []group{
		{"CreateUser", []tcase{
			{"assigns a UUID when the ID is empty", createUserAssignsID},
			{"keeps a given ID", createUserKeepsID},
			{"assigns distinct IDs", createUserDistinctIDs},
			{"same e-mail is ErrConflict", createUserSameEmail},
			{"users without e-mail do not conflict", createUserNoEmail},
			{"nil EmailVerified round-trips", createUserNilVerified},
			{"EmailVerified in another zone round-trips", createUserVerifiedZone},
			{"unicode round-trips", createUserUnicode},
		}},
		{"GetUser", []tcase{
			{"unknown ID is ErrNotFound", getUserUnknown},
		}},
		{"GetUserByEmail", []tcase{
			{"finds the user", getUserByEmail},
			{"unknown address is ErrNotFound", getUserByEmailUnknown},
		}},
		{"GetUserByAccount", []tcase{
			{"finds the linked user", getUserByAccount},
			{"unknown account is ErrNotFound", getUserByAccountUnknown},
		}},
		{"UpdateUser", []tcase{
			{"replaces name, e-mail, verification and image", updateUserReplaces},
			{"keeping its own e-mail is no conflict", updateUserOwnEmail},
			{"another user's e-mail is ErrConflict", updateUserConflict},
			{"clearing the e-mail is no conflict", updateUserClearEmail},
			{"unknown ID is ErrNotFound", updateUserUnknown},
		}},
		{"DeleteUser", []tcase{
			{"deletes the user", deleteUser},
			{"deletes the user's accounts", deleteUserAccounts},
			{"unknown ID is ErrNotFound", deleteUserUnknown},
		}},
		{"CreateUserAndAccount", []tcase{
			{"creates the user and links the account", createUserAndAccount},
			{"keeps a given ID", createUserAndAccountKeepsID},
			{"linked account is ErrConflict and creates no user", createUserAndAccountLinked},
			{"e-mail taken is ErrConflict and links no account", createUserAndAccountEmailTaken},
			{"concurrent first sign-ins: exactly one wins", createUserAndAccountConcurrent},
		}},
		{"LinkAccount", []tcase{
			{"links the account", linkAccount},
			{"zero LinkedAt round-trips", linkAccountNoLinkedAt},
			{"LinkedAt in another zone round-trips", linkAccountLinkedAtZone},
			{"unknown user is ErrNotFound", linkAccountUnknownUser},
			{"linked account is ErrConflict", linkAccountConflict},
		}},
		{"UnlinkAccount", []tcase{
			{"unlinks the account only", unlinkAccount},
			{"unknown account is ErrNotFound", unlinkAccountUnknown},
		}},
		{"UpdateAccount", []tcase{
			{"replaces the token fields, keeps LinkedAt", updateAccount},
			{"unknown account is ErrNotFound", updateAccountUnknown},
		}},
		{"ListAccounts", []tcase{
			{"orders by provider, then provider account ID", listAccountsOrder},
			{"lists only the user's accounts", listAccountsOwn},
			{"no accounts is an empty slice", listAccountsEmpty},
			{"every field round-trips, long tokens too", listAccountsFields},
		}},
	}
}

func withID(u store.User, id string) *store.User {
	u.ID = id
	return &u
}

func createUserAssignsID(h *h) {
	h.needUsers()
	in := alice()
	got := h.mustCreateUser("user with an empty ID", in)
	if !uuidShape.MatchString(got.ID) {
		h.t.Fatalf("CreateUser: user with an empty ID: got ID %q, want a UUID (8-4-4-4-12 hex digits)", got.ID)
	}
	want := withID(in, got.ID)
	h.checkUser("CreateUser", "returned user", got, want)
	h.userIs("user created by CreateUser", want)
}

func createUserKeepsID(h *h) {
	h.needUsers()
	in := alice()
	in.ID = store.NewID()
	got := h.mustCreateUser("user with a given ID", in)
	if got.ID != in.ID {
		h.t.Fatalf("CreateUser: user with a given ID: got ID %q, want %q", got.ID, in.ID)
	}
	h.checkUser("CreateUser", "returned user", got, &in)
	h.userIs("user created with a given ID", &in)
}

func createUserDistinctIDs(h *h) {
	h.needUsers()
	a := h.mustCreateUser("first user", alice())
	b := h.mustCreateUser("second user", bob())
	if a.ID == b.ID {
		h.t.Fatalf("CreateUser: two users with empty IDs: both got ID %q, want distinct IDs", a.ID)
	}
	h.userIs("first of two users", withID(alice(), a.ID))
	h.userIs("second of two users", withID(bob(), b.ID))
}

func createUserSameEmail(h *h) {
	h.needUsers()
	first := h.mustCreateUser("first user", alice())
	dup := bob()
	dup.ID = store.NewID()
	dup.Email = first.Email
	_, err := h.createUser(dup)
	h.wantErr("CreateUser", "second user with the same e-mail", err, store.ErrConflict)
	h.userGone("CreateUser", "second user with the same e-mail", dup.ID)
	got, err := h.getUserByEmail(first.Email)
	h.must("GetUserByEmail", "after a conflicting CreateUser", err)
	h.checkUser("GetUserByEmail", "first user, after a conflicting CreateUser", got, withID(alice(), first.ID))
}

func createUserNoEmail(h *h) {
	h.needUsers()
	seen := map[string]bool{}
	for i := range 3 {
		in := store.User{Name: fmt.Sprintf("Anonymous %d", i)}
		got := h.mustCreateUser(fmt.Sprintf("user %d without e-mail (users without e-mail must not conflict)", i+1), in)
		if seen[got.ID] {
			h.t.Fatalf("CreateUser: users without e-mail: ID %q assigned twice", got.ID)
		}
		seen[got.ID] = true
		h.userIs("user without e-mail", withID(in, got.ID))
	}
}

func createUserNilVerified(h *h) {
	h.needUsers()
	in := bob()
	got := h.mustCreateUser("user never verified", in)
	h.checkUser("CreateUser", "returned user never verified", got, withID(in, got.ID))
	h.userIs("user never verified", withID(in, got.ID))
}

func createUserVerifiedZone(h *h) {
	h.needUsers()
	in := alice()
	v := in.EmailVerified.In(elsewhere)
	in.EmailVerified = &v
	got := h.mustCreateUser("EmailVerified given in UTC+05:30", in)
	h.checkUser("CreateUser", "returned user, EmailVerified given in UTC+05:30", got, withID(in, got.ID))
	h.userIs("EmailVerified given in UTC+05:30", withID(in, got.ID))
}

func createUserUnicode(h *h) {
	h.needUsers()
	in := store.User{
		Name:  "Zoë Ñúñez-Ångström 山田太郎 Ελένη 🦊👩🏽‍💻",
		Email: "zoe@example.com",
		Image: "https://example.com/avatars/zoë.png?size=128&v=2",
	}
	got := h.mustCreateUser("user with a unicode name", in)
	h.checkUser("CreateUser", "returned user with a unicode name", got, withID(in, got.ID))
	h.userIs("user with a unicode name", withID(in, got.ID))
}

func getUserUnknown(h *h) {
	h.needUsers()
	h.mustCreateUser("another user", alice())
	_, err := h.getUser(store.NewID())
	h.wantErr("GetUser", "unknown ID", err, store.ErrNotFound)
}

func getUserByEmail(h *h) {
	h.needUsers()
	a := h.mustCreateUser("first user", alice())
	b := h.mustCreateUser("second user", bob())
	for _, want := range []*store.User{withID(alice(), a.ID), withID(bob(), b.ID)} {
		got, err := h.getUserByEmail(want.Email)
		h.must("GetUserByEmail", "address of a user", err)
		h.checkUser("GetUserByEmail", "address "+want.Email, got, want)
	}
}

func getUserByEmailUnknown(h *h) {
	h.needUsers()
	h.mustCreateUser("another user", alice())
	_, err := h.getUserByEmail("nobody@example.com")
	h.wantErr("GetUserByEmail", "unknown address", err, store.ErrNotFound)
}

func getUserByAccount(h *h) {
	h.needUsers()
	a := h.mustCreateUser("first user", alice())
	b := h.mustCreateUser("second user", bob())
	h.mustLink("account of the first user", account("github", "1001", a.ID))
	h.mustLink("account of the second user", account("github", "1002", b.ID))
	got, err := h.getUserByAccount("github", "1002")
	h.must("GetUserByAccount", "linked account", err)
	h.checkUser("GetUserByAccount", "linked account", got, withID(bob(), b.ID))
}

func getUserByAccountUnknown(h *h) {
	h.needUsers()
	a := h.mustCreateUser("user", alice())
	h.mustLink("account", account("github", "1001", a.ID))
	_, err := h.getUserByAccount("github", "1002")
	h.wantErr("GetUserByAccount", "unknown provider account ID", err, store.ErrNotFound)
	_, err = h.getUserByAccount("gitlab", "1001")
	h.wantErr("GetUserByAccount", "provider account ID linked for another provider", err, store.ErrNotFound)
}

func updateUserReplaces(h *h) {
	h.needUsers()
	orig := h.mustCreateUser("user to update", alice())
	other := h.mustCreateUser("another user", bob())

	// Every field changes, and EmailVerified goes from set to nil.
	upd := store.User{ID: orig.ID, Name: "Alice Hargreaves", Email: "alice.hargreaves@example.com", Image: "https://example.com/alice-2.png"}
	got, err := h.updateUser(upd)
	h.must("UpdateUser", "new name, e-mail and image, EmailVerified cleared", err)
	h.checkUser("UpdateUser", "returned user", got, &upd)
	h.userIs("after UpdateUser cleared EmailVerified", &upd)
	h.emailFree("UpdateUser", "the user's former address", orig.Email)
	got, err = h.getUserByEmail(upd.Email)
	h.must("GetUserByEmail", "new address after UpdateUser", err)
	h.checkUser("GetUserByEmail", "new address after UpdateUser", got, &upd)

	// EmailVerified goes from nil to set.
	v := at(-3 * day)
	upd.EmailVerified = &v
	got, err = h.updateUser(upd)
	h.must("UpdateUser", "EmailVerified set", err)
	h.checkUser("UpdateUser", "returned user, EmailVerified set", got, &upd)
	h.userIs("after UpdateUser set EmailVerified", &upd)

	h.userIs("other user, untouched by UpdateUser", withID(bob(), other.ID))
}

func updateUserOwnEmail(h *h) {
	h.needUsers()
	orig := h.mustCreateUser("user to update", alice())
	upd := *withID(alice(), orig.ID)
	upd.Name = "Alice P. Liddell"
	got, err := h.updateUser(upd)
	h.must("UpdateUser", "user keeping their own e-mail", err)
	h.checkUser("UpdateUser", "returned user", got, &upd)
	h.userIs("after UpdateUser kept the e-mail", &upd)
}

func updateUserConflict(h *h) {
	h.needUsers()
	a := h.mustCreateUser("first user", alice())
	b := h.mustCreateUser("second user", bob())
	upd := *withID(bob(), b.ID)
	upd.Email = a.Email
	upd.Name = "Bob Changed"
	_, err := h.updateUser(upd)
	h.wantErr("UpdateUser", "e-mail of another user", err, store.ErrConflict)
	h.userIs("user whose UpdateUser conflicted, unchanged", withID(bob(), b.ID))
	got, err := h.getUserByEmail(a.Email)
	h.must("GetUserByEmail", "after a conflicting UpdateUser", err)
	h.checkUser("GetUserByEmail", "owner of the address, after a conflicting UpdateUser", got, withID(alice(), a.ID))
}

func updateUserClearEmail(h *h) {
	h.needUsers()
	anon := store.User{Name: "Anonymous"}
	n := h.mustCreateUser("user without e-mail", anon)
	a := h.mustCreateUser("user with e-mail", alice())
	upd := *withID(alice(), a.ID)
	upd.Email = ""
	upd.EmailVerified = nil
	got, err := h.updateUser(upd)
	h.must("UpdateUser", "e-mail cleared while another user has none (users without e-mail must not conflict)", err)
	h.checkUser("UpdateUser", "returned user with the e-mail cleared", got, &upd)
	h.userIs("after UpdateUser cleared the e-mail", &upd)
	h.userIs("other user without e-mail", withID(anon, n.ID))
	h.emailFree("UpdateUser", "cleared address", alice().Email)
}

func updateUserUnknown(h *h) {
	h.needUsers()
	h.mustCreateUser("another user", alice())
	upd := bob()
	upd.ID = store.NewID()
	_, err := h.updateUser(upd)
	h.wantErr("UpdateUser", "unknown ID", err, store.ErrNotFound)
	h.userGone("UpdateUser", "unknown ID (it must not insert)", upd.ID)
	h.emailFree("UpdateUser", "unknown ID (it must not insert)", upd.Email)
}

func deleteUser(h *h) {
	h.needUsers()
	a := h.mustCreateUser("user to delete", alice())
	b := h.mustCreateUser("user to keep", bob())
	h.must("DeleteUser", "existing user", h.deleteUser(a.ID))
	h.userGone("DeleteUser", "deleted user", a.ID)
	h.emailFree("DeleteUser", "deleted user's address", a.Email)
	h.userIs("user not deleted", withID(bob(), b.ID))
	err := h.deleteUser(a.ID)
	h.wantErr("DeleteUser", "user deleted already", err, store.ErrNotFound)
	// The address is free again.
	again := h.mustCreateUser("new user with a deleted user's e-mail", alice())
	h.userIs("new user with a deleted user's e-mail", withID(alice(), again.ID))
}

func deleteUserAccounts(h *h) {
	h.needUsers()
	a := h.mustCreateUser("user to delete", alice())
	b := h.mustCreateUser("user to keep", bob())
	h.mustLink("first account of the user to delete", account("github", "1001", a.ID))
	h.mustLink("second account of the user to delete", account("google", "2001", a.ID))
	kept := account("github", "1002", b.ID)
	h.mustLink("account of the user to keep", kept)
	h.must("DeleteUser", "user with accounts", h.deleteUser(a.ID))
	h.accountGone("DeleteUser", "account of the deleted user", "github", "1001")
	h.accountGone("DeleteUser", "account of the deleted user", "google", "2001")
	got, err := h.listAccounts(a.ID)
	if err == nil && len(got) != 0 {
		h.t.Errorf("DeleteUser: ListAccounts of the deleted user: got accounts %s, want none", accountKeys(got))
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.t.Errorf("DeleteUser: ListAccounts of the deleted user: %s", gotErr(err, nil, store.ErrNotFound))
	}
	h.accountIs("DeleteUser", "account of another user", "github", "1002", b.ID)
	got, err = h.listAccounts(b.ID)
	h.must("ListAccounts", "user not deleted", err)
	h.checkAccounts("DeleteUser", "ListAccounts of the user not deleted", got, []store.Account{kept})
	// The provider account can be linked again.
	h.mustLink("account of a deleted user, linked to another user", account("github", "1001", b.ID))
}

func deleteUserUnknown(h *h) {
	h.needUsers()
	a := h.mustCreateUser("another user", alice())
	err := h.deleteUser(store.NewID())
	h.wantErr("DeleteUser", "unknown ID", err, store.ErrNotFound)
	h.userIs("user not deleted", withID(alice(), a.ID))
}

func createUserAndAccount(h *h) {
	h.needUsers()
	in := alice()
	acc := fullAccount("")
	got, err := h.createUserAndAccount(in, acc)
	h.must("CreateUserAndAccount", "new user and account", err)
	if !uuidShape.MatchString(got.ID) {
		h.t.Fatalf("CreateUserAndAccount: user with an empty ID: got ID %q, want a UUID (8-4-4-4-12 hex digits)", got.ID)
	}
	want := withID(in, got.ID)
	h.checkUser("CreateUserAndAccount", "returned user", got, want)
	h.userIs("user created by CreateUserAndAccount", want)
	u, err := h.getUserByAccount(acc.Provider, acc.ProviderAccountID)
	h.must("GetUserByAccount", "account linked by CreateUserAndAccount", err)
	h.checkUser("GetUserByAccount", "account linked by CreateUserAndAccount", u, want)
	accs, err := h.listAccounts(got.ID)
	h.must("ListAccounts", "user created by CreateUserAndAccount", err)
	acc.UserID = got.ID
	h.checkAccounts("CreateUserAndAccount", "ListAccounts of the new user (UserID set to the new user's ID)", accs, []store.Account{acc})
}

func createUserAndAccountKeepsID(h *h) {
	h.needUsers()
	in := bob()
	in.ID = store.NewID()
	acc := account("github", "1001", in.ID)
	got, err := h.createUserAndAccount(in, acc)
	h.must("CreateUserAndAccount", "user with a given ID", err)
	if got.ID != in.ID {
		h.t.Fatalf("CreateUserAndAccount: user with a given ID: got ID %q, want %q", got.ID, in.ID)
	}
	h.userIs("user created by CreateUserAndAccount with a given ID", &in)
	h.accountIs("CreateUserAndAccount", "user with a given ID", "github", "1001", in.ID)
}

func createUserAndAccountLinked(h *h) {
	h.needUsers()
	first, err := h.createUserAndAccount(alice(), account("github", "1001", ""))
	h.must("CreateUserAndAccount", "first sign-in", err)
	late := bob()
	late.ID = store.NewID()
	_, err = h.createUserAndAccount(late, account("github", "1001", ""))
	h.wantErr("CreateUserAndAccount", "account already linked", err, store.ErrConflict)
	h.emailFree("CreateUserAndAccount", "account already linked: the new user must not be created", late.Email)
	h.userGone("CreateUserAndAccount", "account already linked: the new user must not be created", late.ID)
	h.accountIs("CreateUserAndAccount", "account already linked: the link must not change", "github", "1001", first.ID)
}

func createUserAndAccountEmailTaken(h *h) {
	h.needUsers()
	owner := h.mustCreateUser("owner of the address", alice())
	late := bob()
	late.Email = owner.Email
	_, err := h.createUserAndAccount(late, account("github", "1001", ""))
	h.wantErr("CreateUserAndAccount", "e-mail of another user", err, store.ErrConflict)
	h.accountGone("CreateUserAndAccount", "e-mail of another user: the account must not be linked", "github", "1001")
	h.userIs("owner of the address, after a conflicting CreateUserAndAccount", withID(alice(), owner.ID))
	accs, err := h.listAccounts(owner.ID)
	h.must("ListAccounts", "owner of the address", err)
	h.checkAccounts("CreateUserAndAccount", "ListAccounts of the owner of the address, after a conflicting CreateUserAndAccount", accs, []store.Account{})
}

func createUserAndAccountConcurrent(h *h) {
	h.needUsers()
	const what = "16 concurrent first sign-ins with one provider account"
	users := make([]store.User, concurrency)
	got := make([]*store.User, concurrency)
	errs := make([]error, concurrency)
	for i := range users {
		users[i] = store.User{ID: store.NewID(), Name: fmt.Sprintf("Racer %d", i), Email: fmt.Sprintf("racer-%d@example.com", i)}
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range users {
		wg.Go(func() {
			<-start
			got[i], errs[i] = h.users.CreateUserAndAccount(h.ctx, users[i], account("github", "4242", ""))
		})
	}
	close(start)
	wg.Wait()

	var winners []int
	for i, err := range errs {
		h.impl("CreateUserAndAccount", err)
		switch {
		case err == nil && got[i] == nil:
			h.t.Fatalf("CreateUserAndAccount: %s: goroutine %d: got a nil user and a nil error", what, i)
		case err == nil:
			winners = append(winners, i)
		case !errors.Is(err, store.ErrConflict):
			h.t.Errorf("CreateUserAndAccount: %s: goroutine %d: %s", what, i, gotErr(err, nil, store.ErrConflict))
		}
	}
	if len(winners) != 1 {
		h.t.Fatalf("CreateUserAndAccount: %s: %d succeeded (goroutines %v), want exactly one", what, len(winners), winners)
	}
	winner := winners[0]
	h.accountIs("CreateUserAndAccount", what+": the winner is linked", "github", "4242", got[winner].ID)
	h.userIs(what+": the winner", withID(users[winner], got[winner].ID))
	accs, err := h.listAccounts(got[winner].ID)
	h.must("ListAccounts", what+": the winner", err)
	want := account("github", "4242", got[winner].ID)
	h.checkAccounts("CreateUserAndAccount", what+": ListAccounts of the winner", accs, []store.Account{want})
	var leaked []string
	for i, u := range users {
		if errs[i] == nil {
			continue
		}
		_, err1 := h.getUserByEmail(u.Email)
		_, err2 := h.getUser(u.ID)
		switch {
		case err1 == nil || err2 == nil:
			leaked = append(leaked, strconv.Itoa(i))
		case !errors.Is(err1, store.ErrNotFound):
			h.t.Errorf("CreateUserAndAccount: %s: goroutine %d lost: GetUserByEmail(%q): %s", what, i, u.Email, gotErr(err1, store.ErrNotFound))
		case !errors.Is(err2, store.ErrNotFound):
			h.t.Errorf("CreateUserAndAccount: %s: goroutine %d lost: GetUser(%q): %s", what, i, u.ID, gotErr(err2, store.ErrNotFound))
		}
	}
	if len(leaked) > 0 {
		h.t.Errorf("CreateUserAndAccount: %s: the users of %d losing goroutines (%s) exist, want none (nothing is created on ErrConflict)",
			what, len(leaked), strings.Join(leaked, ", "))
	}
}

func linkAccount(h *h) {
	h.needUsers()
	u := h.mustCreateUser("user", alice())
	a1 := account("github", "1001", u.ID)
	a2 := account("google", "2001", u.ID)
	h.must("LinkAccount", "first account of a user", h.linkAccount(a1))
	h.must("LinkAccount", "second account of a user", h.linkAccount(a2))
	h.accountIs("LinkAccount", "first account", "github", "1001", u.ID)
	h.accountIs("LinkAccount", "second account", "google", "2001", u.ID)
	got, err := h.listAccounts(u.ID)
	h.must("ListAccounts", "user with two linked accounts", err)
	h.checkAccounts("LinkAccount", "ListAccounts after two links", got, []store.Account{a1, a2})
}

func linkAccountNoLinkedAt(h *h) {
	h.needUsers()
	u := h.mustCreateUser("user", alice())
	a := account("github", "1001", u.ID)
	a.LinkedAt = time.Time{} // an account stored before LinkedAt was recorded
	h.must("LinkAccount", "account without LinkedAt", h.linkAccount(a))
	got, err := h.listAccounts(u.ID)
	h.must("ListAccounts", "account without LinkedAt", err)
	h.checkAccounts("LinkAccount", "ListAccounts of an account linked without LinkedAt (zero reads back as zero)", got, []store.Account{a})
}

func linkAccountLinkedAtZone(h *h) {
	h.needUsers()
	u := h.mustCreateUser("user", alice())
	a := account("github", "1001", u.ID)
	a.LinkedAt = a.LinkedAt.In(time.FixedZone("UTC+05:30", 5*3600+1800))
	h.must("LinkAccount", "LinkedAt given in UTC+05:30", h.linkAccount(a))
	got, err := h.listAccounts(u.ID)
	h.must("ListAccounts", "LinkedAt given in UTC+05:30", err)
	h.checkAccounts("LinkAccount", "ListAccounts of an account linked with LinkedAt in UTC+05:30", got, []store.Account{a})
}

func linkAccountUnknownUser(h *h) {
	h.needUsers()
	h.mustCreateUser("another user", alice())
	err := h.linkAccount(account("github", "1001", store.NewID()))
	h.wantErr("LinkAccount", "unknown user", err, store.ErrNotFound)
	h.accountGone("LinkAccount", "unknown user: the account must not be linked", "github", "1001")
}

func linkAccountConflict(h *h) {
	h.needUsers()
	a := h.mustCreateUser("first user", alice())
	b := h.mustCreateUser("second user", bob())
	orig := account("github", "1001", a.ID)
	h.mustLink("account", orig)
	dup := account("github", "1001", b.ID)
	dup.AccessToken = "another-access-token"
	err := h.linkAccount(dup)
	h.wantErr("LinkAccount", "account linked to another user", err, store.ErrConflict)
	dup.UserID = a.ID
	err = h.linkAccount(dup)
	h.wantErr("LinkAccount", "account linked to the same user already", err, store.ErrConflict)
	h.accountIs("LinkAccount", "after conflicting links", "github", "1001", a.ID)
	got, err := h.listAccounts(a.ID)
	h.must("ListAccounts", "owner of the account", err)
	h.checkAccounts("LinkAccount", "ListAccounts of the owner, after conflicting links", got, []store.Account{orig})
	got, err = h.listAccounts(b.ID)
	h.must("ListAccounts", "user whose link conflicted", err)
	h.checkAccounts("LinkAccount", "ListAccounts of the user whose link conflicted", got, []store.Account{})
}

func unlinkAccount(h *h) {
	h.needUsers()
	u := h.mustCreateUser("user", alice())
	keep := account("google", "2001", u.ID)
	h.mustLink("account to unlink", account("github", "1001", u.ID))
	h.mustLink("account to keep", keep)
	h.must("UnlinkAccount", "linked account", h.unlinkAccount("github", "1001"))
	h.accountGone("UnlinkAccount", "unlinked account", "github", "1001")
	h.accountIs("UnlinkAccount", "other account of the user", "google", "2001", u.ID)
	h.userIs("user after UnlinkAccount", withID(alice(), u.ID))
	got, err := h.listAccounts(u.ID)
	h.must("ListAccounts", "after UnlinkAccount", err)
	h.checkAccounts("UnlinkAccount", "ListAccounts after UnlinkAccount", got, []store.Account{keep})
	err = h.unlinkAccount("github", "1001")
	h.wantErr("UnlinkAccount", "account unlinked already", err, store.ErrNotFound)
}

func unlinkAccountUnknown(h *h) {
	h.needUsers()
	u := h.mustCreateUser("user", alice())
	h.mustLink("account", account("github", "1001", u.ID))
	err := h.unlinkAccount("github", "1002")
	h.wantErr("UnlinkAccount", "unknown provider account ID", err, store.ErrNotFound)
	err = h.unlinkAccount("gitlab", "1001")
	h.wantErr("UnlinkAccount", "provider account ID linked for another provider", err, store.ErrNotFound)
	h.accountIs("UnlinkAccount", "account not unlinked", "github", "1001", u.ID)
}

func updateAccount(h *h) {
	h.needUsers()
	u := h.mustCreateUser("user", alice())
	orig := fullAccount(u.ID)
	other := account("github", "1001", u.ID)
	h.mustLink("account to update", orig)
	h.mustLink("other account", other)
	upd := orig
	upd.RefreshToken = longToken("rotated-refresh", 300)
	upd.AccessToken = longToken("refreshed-access", 2000)
	upd.ExpiresAt = orig.ExpiresAt + 3600
	upd.TokenType = "bearer"
	upd.Scope = "openid email"
	upd.IDToken = longToken("new-id", 1500)
	upd.SessionState = ""        // replaced, also by an empty value
	upd.LinkedAt = at(time.Hour) // kept: an update is no new link
	h.must("UpdateAccount", "linked account", h.updateAccount(upd))
	got, err := h.listAccounts(u.ID)
	h.must("ListAccounts", "after UpdateAccount", err)
	upd.LinkedAt = orig.LinkedAt
	h.checkAccounts("UpdateAccount", "ListAccounts after UpdateAccount (every token field replaced, SessionState by \"\", LinkedAt kept)", got, []store.Account{other, upd})
	h.accountIs("UpdateAccount", "updated account", upd.Provider, upd.ProviderAccountID, u.ID)
}

func updateAccountUnknown(h *h) {
	h.needUsers()
	u := h.mustCreateUser("user", alice())
	h.mustLink("account", account("github", "1001", u.ID))
	err := h.updateAccount(account("github", "1002", u.ID))
	h.wantErr("UpdateAccount", "unknown account", err, store.ErrNotFound)
	h.accountGone("UpdateAccount", "unknown account (it must not insert)", "github", "1002")
}

func listAccountsOrder(h *h) {
	h.needUsers()
	u := h.mustCreateUser("user", alice())
	// Linked out of order; "10" sorts before "2" as a string.
	linked := []store.Account{
		account("google", "500", u.ID),
		account("github", "2", u.ID),
		account("discord", "77", u.ID),
		account("github", "10", u.ID),
		account("apple", "001.abc", u.ID),
	}
	for _, a := range linked {
		h.mustLink("account "+a.Provider+"/"+a.ProviderAccountID, a)
	}
	want := []store.Account{linked[4], linked[2], linked[3], linked[1], linked[0]}
	got, err := h.listAccounts(u.ID)
	h.must("ListAccounts", "user with five accounts", err)
	h.checkAccounts("ListAccounts", "user with five accounts", got, want)
}

func listAccountsOwn(h *h) {
	h.needUsers()
	a := h.mustCreateUser("first user", alice())
	b := h.mustCreateUser("second user", bob())
	mine := account("github", "1001", a.ID)
	h.mustLink("account of the first user", mine)
	h.mustLink("account of the second user", account("github", "1002", b.ID))
	h.mustLink("account of the second user", account("apple", "1003", b.ID))
	got, err := h.listAccounts(a.ID)
	h.must("ListAccounts", "user with one account", err)
	h.checkAccounts("ListAccounts", "user with one account, another user with two", got, []store.Account{mine})
}

func listAccountsEmpty(h *h) {
	h.needUsers()
	a := h.mustCreateUser("user without accounts", alice())
	b := h.mustCreateUser("user with an account", bob())
	h.mustLink("account of another user", account("github", "1002", b.ID))
	got, err := h.listAccounts(a.ID)
	h.must("ListAccounts", "user without accounts (none is an empty slice, not an error)", err)
	h.checkAccounts("ListAccounts", "user without accounts", got, []store.Account{})
}

func listAccountsFields(h *h) {
	h.needUsers()
	u := h.mustCreateUser("user", alice())
	full := fullAccount(u.ID)
	h.mustLink("account with every field set, a 4 KB access token and a 2 KB ID token", full)
	got, err := h.listAccounts(u.ID)
	h.must("ListAccounts", "account with every field set", err)
	h.checkAccounts("ListAccounts", "account with every field set, a 4 KB access token and a 2 KB ID token", got, []store.Account{full})
}
