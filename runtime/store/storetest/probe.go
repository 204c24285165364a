package storetest

import "github.com/authgen/authgen/runtime/store"

// The probes call every method of an interface once, on a store of their
// own, only to report each method that is not implemented in one subtest;
// what the methods return is checked by the other subtests, which then skip
// the missing methods instead of failing again.

func usersProbe(h *h) {
	h.needUsers()
	us, ctx := h.users, h.ctx
	id := store.NewID()
	u, err := us.CreateUser(ctx, alice())
	h.probe("CreateUser", err)
	if err == nil && u != nil {
		id = u.ID
	}
	_, err = us.GetUser(ctx, id)
	h.probe("GetUser", err)
	_, err = us.GetUserByEmail(ctx, alice().Email)
	h.probe("GetUserByEmail", err)
	h.probe("LinkAccount", us.LinkAccount(ctx, account("github", "1001", id)))
	_, err = us.GetUserByAccount(ctx, "github", "1001")
	h.probe("GetUserByAccount", err)
	h.probe("UpdateAccount", us.UpdateAccount(ctx, account("github", "1001", id)))
	_, err = us.ListAccounts(ctx, id)
	h.probe("ListAccounts", err)
	h.probe("UnlinkAccount", us.UnlinkAccount(ctx, "github", "1001"))
	_, err = us.UpdateUser(ctx, *withID(alice(), id))
	h.probe("UpdateUser", err)
	_, err = us.CreateUserAndAccount(ctx, bob(), account("google", "2001", ""))
	h.probe("CreateUserAndAccount", err)
	h.probe("DeleteUser", us.DeleteUser(ctx, id))
}

func sessionsProbe(h *h) {
	ss, ctx := h.sessions, h.ctx
	id := sid("probe")
	h.probe("CreateSession", ss.CreateSession(ctx, store.Session{ID: id, UserID: store.NewID(), Expires: at(day)}))
	_, _, err := ss.GetSessionAndUser(ctx, id, at(0))
	h.probe("GetSessionAndUser", err)
	h.probe("UpdateSession", ss.UpdateSession(ctx, id, at(2*day)))
	_, err = ss.DeleteExpiredSessions(ctx, at(0))
	h.probe("DeleteExpiredSessions", err)
	_, err = ss.ListSessions(ctx, store.NewID())
	h.probe("ListSessions", err)
	h.probe("DeleteSession", ss.DeleteSession(ctx, id))
	h.probe("DeleteUserSessions", ss.DeleteUserSessions(ctx, store.NewID()))
}

func tokensProbe(h *h) {
	ts, ctx := h.tokens, h.ctx
	t := vt("alice@example.com", "probe", at(day))
	h.probe("CreateVerificationToken", ts.CreateVerificationToken(ctx, t))
	_, err := ts.CountVerificationAttempt(ctx, t.Identifier, t.TokenHash)
	h.probe("CountVerificationAttempt", err)
	_, err = ts.UseVerificationToken(ctx, t.Identifier, t.TokenHash)
	h.probe("UseVerificationToken", err)
}
