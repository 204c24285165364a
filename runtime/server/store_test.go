package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/atrest"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/session"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/memstore"
)

// Tests of the store-backed server: database sessions, stable user IDs,
// account linking, store failures and concurrent first sign-ins.

var (
	uuidRE        = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	opaqueTokenRE = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
	// errDBDown is what a store returns when its database cannot be
	// reached: no sentinel of package store.
	errDBDown = errors.New("dial tcp 10.0.0.7:5432: connect: connection refused")
)

// faultStore is a store.Users and store.Sessions over memstore. It counts
// calls, records every value passed to or returned by the store, remembers
// the users it created, can make any method fail with errDBDown, and runs
// hooks before and after calls to force interleavings of concurrent
// requests.
type faultStore struct {
	mem *memstore.Store

	mu      sync.Mutex
	failing map[string]bool
	before  map[string]func()
	after   map[string]func(error)
	calls   map[string]int
	created []string
	seen    strings.Builder
	// cleaned receives after each DeleteExpiredSessions.
	cleaned chan struct{}
}

var (
	_ store.Users    = (*faultStore)(nil)
	_ store.Sessions = (*faultStore)(nil)
)

func newFaultStore() *faultStore {
	return &faultStore{
		mem:     memstore.New(),
		failing: map[string]bool{},
		before:  map[string]func(){},
		after:   map[string]func(error){},
		calls:   map[string]int{},
		cleaned: make(chan struct{}, 64),
	}
}

// fail makes the methods fail until heal.
func (s *faultStore) fail(ops ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, op := range ops {
		s.failing[op] = true
	}
}

// heal ends every failure.
func (s *faultStore) heal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.failing)
}

// onBefore runs f at the start of every call of op.
func (s *faultStore) onBefore(op string, f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.before[op] = f
}

// onAfter runs f with the result of every call of op that reached memstore.
func (s *faultStore) onAfter(op string, f func(error)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.after[op] = f
}

func (s *faultStore) count(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// seenText is every value that went into or came out of the store.
func (s *faultStore) seenText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen.String()
}

// userIDs returns the IDs of the users the store created that still exist.
func (s *faultStore) userIDs() []string {
	s.mu.Lock()
	ids := append([]string(nil), s.created...)
	s.mu.Unlock()
	var out []string
	for _, id := range ids {
		if _, err := s.mem.GetUser(context.Background(), id); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// onlyUser returns the ID of the one user the store holds.
func (s *faultStore) onlyUser(t *testing.T) string {
	t.Helper()
	ids := s.userIDs()
	if len(ids) != 1 {
		t.Fatalf("store holds %d users (%v), want 1", len(ids), ids)
	}
	return ids[0]
}

// row returns the session with the ID, expired or not.
func (s *faultStore) row(id string) (*store.Session, bool) {
	sess, _, err := s.mem.GetSessionAndUser(context.Background(), id, time.Time{})
	return sess, err == nil
}

// accounts returns "provider/id" of the user's accounts.
func (s *faultStore) accounts(t *testing.T, userID string) []string {
	t.Helper()
	as, err := s.mem.ListAccounts(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, a := range as {
		out = append(out, a.Provider+"/"+a.ProviderAccountID)
	}
	return out
}

// waitCleanup waits for the background deletion of expired sessions a
// sign-in starts, so that later clock moves cannot be seen by it.
func (s *faultStore) waitCleanup(t *testing.T) {
	t.Helper()
	select {
	case <-s.cleaned:
	case <-time.After(10 * time.Second):
		t.Fatal("the sign-in did not delete expired sessions in the background")
	}
}

// enter records a call and returns the injected failure, if any. The
// failure echoes the arguments, as some database drivers do.
func (s *faultStore) enter(op string, args ...any) error {
	s.mu.Lock()
	s.calls[op]++
	s.seen.WriteString(op)
	for _, a := range args {
		fmt.Fprintf(&s.seen, " %+v", a)
	}
	s.seen.WriteString("\n")
	hook, fail := s.before[op], s.failing[op]
	s.mu.Unlock()
	if hook != nil {
		hook()
	}
	if fail {
		return fmt.Errorf("%s %v: %w", op, args, errDBDown)
	}
	return nil
}

// exit records a call's results.
func (s *faultStore) exit(op string, err error, results ...any) {
	s.mu.Lock()
	fmt.Fprintf(&s.seen, "%s returned", op)
	for _, r := range results {
		fmt.Fprintf(&s.seen, " %+v", r)
	}
	fmt.Fprintf(&s.seen, " %v\n", err)
	hook := s.after[op]
	s.mu.Unlock()
	if hook != nil {
		hook(err)
	}
}

func (s *faultStore) created1(u *store.User, err error) {
	if err == nil {
		s.mu.Lock()
		s.created = append(s.created, u.ID)
		s.mu.Unlock()
	}
}

func (s *faultStore) CreateUser(ctx context.Context, u store.User) (*store.User, error) {
	if err := s.enter("CreateUser", u); err != nil {
		return nil, err
	}
	got, err := s.mem.CreateUser(ctx, u)
	s.created1(got, err)
	s.exit("CreateUser", err, got)
	return got, err
}

func (s *faultStore) GetUser(ctx context.Context, id string) (*store.User, error) {
	if err := s.enter("GetUser", id); err != nil {
		return nil, err
	}
	got, err := s.mem.GetUser(ctx, id)
	s.exit("GetUser", err, got)
	return got, err
}

func (s *faultStore) GetUserByEmail(ctx context.Context, email string) (*store.User, error) {
	if err := s.enter("GetUserByEmail", email); err != nil {
		return nil, err
	}
	got, err := s.mem.GetUserByEmail(ctx, email)
	s.exit("GetUserByEmail", err, got)
	return got, err
}

func (s *faultStore) GetUserByAccount(ctx context.Context, provider, providerAccountID string) (*store.User, error) {
	if err := s.enter("GetUserByAccount", provider, providerAccountID); err != nil {
		return nil, err
	}
	got, err := s.mem.GetUserByAccount(ctx, provider, providerAccountID)
	s.exit("GetUserByAccount", err, got)
	return got, err
}

func (s *faultStore) UpdateUser(ctx context.Context, u store.User) (*store.User, error) {
	if err := s.enter("UpdateUser", u); err != nil {
		return nil, err
	}
	got, err := s.mem.UpdateUser(ctx, u)
	s.exit("UpdateUser", err, got)
	return got, err
}

func (s *faultStore) DeleteUser(ctx context.Context, id string) error {
	if err := s.enter("DeleteUser", id); err != nil {
		return err
	}
	err := s.mem.DeleteUser(ctx, id)
	s.exit("DeleteUser", err)
	return err
}

func (s *faultStore) CreateUserAndAccount(ctx context.Context, u store.User, a store.Account) (*store.User, error) {
	if err := s.enter("CreateUserAndAccount", u, a); err != nil {
		return nil, err
	}
	got, err := s.mem.CreateUserAndAccount(ctx, u, a)
	s.created1(got, err)
	s.exit("CreateUserAndAccount", err, got)
	return got, err
}

func (s *faultStore) LinkAccount(ctx context.Context, a store.Account) error {
	if err := s.enter("LinkAccount", a); err != nil {
		return err
	}
	err := s.mem.LinkAccount(ctx, a)
	s.exit("LinkAccount", err)
	return err
}

func (s *faultStore) UnlinkAccount(ctx context.Context, provider, providerAccountID string) error {
	if err := s.enter("UnlinkAccount", provider, providerAccountID); err != nil {
		return err
	}
	err := s.mem.UnlinkAccount(ctx, provider, providerAccountID)
	s.exit("UnlinkAccount", err)
	return err
}

func (s *faultStore) UpdateAccount(ctx context.Context, a store.Account) error {
	if err := s.enter("UpdateAccount", a); err != nil {
		return err
	}
	err := s.mem.UpdateAccount(ctx, a)
	s.exit("UpdateAccount", err)
	return err
}

func (s *faultStore) ListAccounts(ctx context.Context, userID string) ([]store.Account, error) {
	if err := s.enter("ListAccounts", userID); err != nil {
		return nil, err
	}
	got, err := s.mem.ListAccounts(ctx, userID)
	s.exit("ListAccounts", err, got)
	return got, err
}

func (s *faultStore) CreateSession(ctx context.Context, sess store.Session) error {
	if err := s.enter("CreateSession", sess); err != nil {
		return err
	}
	err := s.mem.CreateSession(ctx, sess)
	s.exit("CreateSession", err)
	return err
}

func (s *faultStore) GetSessionAndUser(ctx context.Context, id string, now time.Time) (*store.Session, *store.User, error) {
	if err := s.enter("GetSessionAndUser", id, now); err != nil {
		return nil, nil, err
	}
	sess, u, err := s.mem.GetSessionAndUser(ctx, id, now)
	s.exit("GetSessionAndUser", err, sess, u)
	return sess, u, err
}

func (s *faultStore) UpdateSession(ctx context.Context, id string, expires time.Time) error {
	if err := s.enter("UpdateSession", id, expires); err != nil {
		return err
	}
	err := s.mem.UpdateSession(ctx, id, expires)
	s.exit("UpdateSession", err)
	return err
}

func (s *faultStore) DeleteSession(ctx context.Context, id string) error {
	if err := s.enter("DeleteSession", id); err != nil {
		return err
	}
	err := s.mem.DeleteSession(ctx, id)
	s.exit("DeleteSession", err)
	return err
}

func (s *faultStore) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	if err := s.enter("DeleteExpiredSessions", now); err != nil {
		return 0, err
	}
	n, err := s.mem.DeleteExpiredSessions(ctx, now)
	s.exit("DeleteExpiredSessions", err, n)
	select {
	case s.cleaned <- struct{}{}:
	default:
	}
	return n, err
}

func (s *faultStore) ListSessions(ctx context.Context, userID string) ([]store.Session, error) {
	if err := s.enter("ListSessions", userID); err != nil {
		return nil, err
	}
	got, err := s.mem.ListSessions(ctx, userID)
	s.exit("ListSessions", err, got)
	return got, err
}

func (s *faultStore) DeleteUserSessions(ctx context.Context, userID string) error {
	if err := s.enter("DeleteUserSessions", userID); err != nil {
		return err
	}
	err := s.mem.DeleteUserSessions(ctx, userID)
	s.exit("DeleteUserSessions", err)
	return err
}

// newStoreApp is newApp with a faultStore as Users (and Sessions, for the
// database strategy).
func newStoreApp(t *testing.T, strategy server.Strategy, opts ...appOption) (*app, *faultStore) {
	t.Helper()
	st := newFaultStore()
	withStore := func(c *server.Config) {
		c.Strategy, c.Users = strategy, st
		if strategy == server.StrategyDatabase {
			c.Sessions = st
		}
	}
	return newApp(t, append([]appOption{withStore}, opts...)...), st
}

// trustEmail sets TrustEmail on a provider.
func trustEmail(provider string) appOption {
	return func(c *server.Config) {
		for _, p := range c.Providers {
			if p.ID == provider {
				p.TrustEmail = true
			}
		}
	}
}

// freshBrowser returns the app seen from another browser: same servers,
// empty cookie jar.
func (a *app) freshBrowser() *app {
	a.t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		a.t.Fatal(err)
	}
	b := *a
	b.jar = jar
	b.follow = &http.Client{Jar: jar, Transport: a.follow.Transport, CheckRedirect: a.follow.CheckRedirect}
	b.noFollow = &http.Client{Jar: jar, Transport: a.noFollow.Transport, CheckRedirect: a.noFollow.CheckRedirect}
	return &b
}

// useAccount makes the provider answer as account id, whose (private)
// e-mail address comes from /user/emails as on GitHub.
func (a *app) useAccount(id int, name, email string) {
	a.idp.set(func(p *idp) {
		p.user = fmt.Sprintf(`{"id":%d,"login":"user%d","name":%q,"email":null,"avatar_url":"https://avatars.example/u/%d"}`, id, id, name, id)
		p.emails = fmt.Sprintf(`[{"email":%q,"primary":true,"verified":true}]`, email)
	})
}

// newAccessToken makes the provider issue another access token.
func (a *app) newAccessToken() string {
	token := randomString(a.t, "gho_")
	a.idp.set(func(p *idp) { p.accessToken = token })
	return token
}

// signInOK signs in with provider, checks that it worked and returns the
// new session cookie's value.
func (a *app) signInOK(provider string) string {
	a.t.Helper()
	resp := a.signIn(provider, "/dashboard")
	if got := location(a.t, resp); got != a.origin+"/dashboard" {
		a.t.Fatalf("sign-in with %s ended at %q, want %q", provider, got, a.origin+"/dashboard")
	}
	c := setCookies(resp)[a.cookieName("session-token")]
	if c == nil || c.Value == "" || c.MaxAge < 0 {
		a.t.Fatalf("sign-in with %s set no session cookie: %v", provider, resp.Header.Values("Set-Cookie"))
	}
	return c.Value
}

// protectedID returns the user ID the Require middleware sees, or "" when
// it answers 401.
func (a *app) protectedID() string {
	a.t.Helper()
	resp := a.get("/protected", "Accept", "application/json")
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		return ""
	case http.StatusOK:
		return decodeJSON[map[string]string](a.t, resp)["id"]
	}
	a.t.Fatalf("GET /protected: %s %s", resp.Status, readBody(a.t, resp))
	return ""
}

// signOut posts to /signout with a CSRF token.
func (a *app) signOut() *http.Response {
	a.t.Helper()
	return a.postForm("/api/auth/signout", url.Values{"csrfToken": {a.csrfToken()}})
}

// sessionDeleted reports whether resp deleted the session cookie.
func (a *app) sessionDeleted(resp *http.Response) bool {
	c := setCookies(resp)[a.cookieName("session-token")]
	return c != nil && c.MaxAge < 0
}

func expiresOf(t *testing.T, body string) string {
	t.Helper()
	var v struct{ Expires string }
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return v.Expires
}

func iso(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func TestDatabaseSessionSignIn(t *testing.T) {
	a, st := newStoreApp(t, server.StrategyDatabase)
	ctx := context.Background()
	firstAccessToken := a.idp.accessToken
	signedInAt := a.clock.Now()

	// The session cookie holds an opaque random token, not a JWT.
	token := a.signInOK("github")
	if strings.Contains(token, ".") || !opaqueTokenRE.MatchString(token) {
		t.Errorf("session cookie %q is not an opaque 32-byte base64url token", token)
	}
	// One user with one account.
	uid := st.onlyUser(t)
	if !uuidRE.MatchString(uid) {
		t.Errorf("user ID %q is not a UUID", uid)
	}
	u, err := st.mem.GetUser(ctx, uid)
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Monalisa Octocat" || u.Email != "mona@example.com" || u.Image != "https://avatars.example/u/583231?v=4" || u.EmailVerified == nil {
		t.Errorf("stored user = %+v", u)
	}
	stored, err := st.mem.ListAccounts(ctx, uid)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 || !strings.HasPrefix(stored[0].AccessToken, atrest.Prefix) || strings.Contains(stored[0].AccessToken, firstAccessToken) {
		t.Errorf("the stored access token is not sealed: %+v", stored)
	}
	accounts := openAccounts(t, a.keys, stored...)
	want := store.Account{
		UserID: uid, Type: "oauth", Provider: "github", ProviderAccountID: "583231",
		AccessToken: firstAccessToken, TokenType: "bearer", Scope: "read:user,user:email",
		LinkedAt: signedInAt,
	}
	if len(accounts) != 1 || !reflect.DeepEqual(accounts[0], want) {
		t.Errorf("accounts = %+v, want [%+v]", accounts, want)
	}

	// The store holds the token's SHA-256 only.
	id := store.HashToken(token)
	row, ok := st.row(id)
	if !ok {
		t.Fatal("no session row under the token's hash")
	}
	if row.ID != id || !hex64.MatchString(row.ID) || row.UserID != uid || !row.Expires.Equal(signedInAt.Add(session.DefaultMaxAge)) {
		t.Errorf("session row = %+v", row)
	}
	if _, ok := st.row(token); ok {
		t.Error("a session row is keyed by the raw token")
	}
	if st.count("CreateSession") != 1 {
		t.Errorf("CreateSession called %d times", st.count("CreateSession"))
	}

	// GET /session, the middleware and Session return the user.
	body, _ := a.sessionJSON()
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	wantBody := map[string]any{
		"user":    map[string]any{"name": "Monalisa Octocat", "email": "mona@example.com", "image": "https://avatars.example/u/583231?v=4"},
		"expires": iso(signedInAt.Add(session.DefaultMaxAge)),
	}
	if !reflect.DeepEqual(got, wantBody) {
		t.Errorf("GET /session = %s, want %v", body, wantBody)
	}
	if got := a.protectedID(); got != uid {
		t.Errorf("Require saw user %q, want %q", got, uid)
	}
	req := a.newRequest(http.MethodGet, "/", nil)
	req.AddCookie(&http.Cookie{Name: a.cookieName("session-token"), Value: token})
	if s, err := a.auth.Session(req); err != nil || s.User.ID != uid || !s.Expires.Equal(signedInAt.Add(session.DefaultMaxAge)) {
		t.Errorf("Session = %+v, %v", s, err)
	}

	// The same provider account, from another browser and with new
	// tokens, signs in as the same user and updates the account.
	b := a.freshBrowser()
	secondAccessToken := a.newAccessToken()
	token2 := b.signInOK("github")
	if token2 == token {
		t.Error("two sign-ins got the same session token")
	}
	if got := st.onlyUser(t); got != uid {
		t.Errorf("second sign-in is user %q, want %q", got, uid)
	}
	if got := b.protectedID(); got != uid {
		t.Errorf("second browser is user %q, want %q", got, uid)
	}
	stored, _ = st.mem.ListAccounts(ctx, uid)
	accounts = openAccounts(t, a.keys, stored...)
	if len(accounts) != 1 || accounts[0].AccessToken != secondAccessToken || accounts[0].UserID != uid {
		t.Errorf("accounts after the second sign-in = %+v, want one with the new access token", accounts)
	}
	// Signing in again while signed in keeps the user too.
	a.signInOK("github")
	if got := st.onlyUser(t); got != uid || st.count("CreateUserAndAccount") != 1 {
		t.Errorf("third sign-in: user %q, CreateUserAndAccount called %d times", got, st.count("CreateUserAndAccount"))
	}
	token3 := a.jarCookie("session-token")

	// Sign-out deletes the row; the old cookie replayed reads as null.
	resp := a.signOut()
	if resp.StatusCode != http.StatusFound || !a.sessionDeleted(resp) {
		t.Errorf("sign-out: %s, Set-Cookie %v", resp.Status, resp.Header.Values("Set-Cookie"))
	}
	if _, ok := st.row(store.HashToken(token3)); ok {
		t.Error("sign-out left the session row")
	}
	if got := b.protectedID(); got != uid {
		t.Errorf("signing out one browser signed out the other: %q", got)
	}
	a.setJarCookie(a.cookieName("session-token"), token3)
	body, resp = a.sessionJSON()
	if body != "null" || !a.sessionDeleted(resp) {
		t.Errorf("replayed cookie: GET /session = %s, Set-Cookie %v", body, resp.Header.Values("Set-Cookie"))
	}
	a.setJarCookie(a.cookieName("session-token"), token3)
	if got := a.protectedID(); got != "" {
		t.Errorf("replayed cookie passes Require as %q", got)
	}

	// No raw token ever reached the store.
	seen := st.seenText()
	if !strings.Contains(seen, store.HashToken(token2)) {
		t.Fatal("the store's record lacks the session hashes; the check below would prove nothing")
	}
	for _, tok := range []string{token, token2, token3} {
		if strings.Contains(seen, tok) {
			t.Errorf("the store was given the raw session token %.8s…", tok)
		}
	}
}

func TestDatabaseSessionExpiry(t *testing.T) {
	a, st := newStoreApp(t, server.StrategyDatabase)
	token := a.signInOK("github")
	st.waitCleanup(t)
	id := store.HashToken(token)

	a.clock.Advance(session.DefaultMaxAge + time.Second)
	body, resp := a.sessionJSON()
	if body != "null" {
		t.Errorf("expired session: GET /session = %s", body)
	}
	if !a.sessionDeleted(resp) || a.jarCookie("session-token") != "" {
		t.Errorf("expired session cookie not deleted: %v", resp.Header.Values("Set-Cookie"))
	}
	a.setJarCookie(a.cookieName("session-token"), token)
	if got := a.protectedID(); got != "" {
		t.Errorf("expired session passes Require as %q", got)
	}
	if n := st.count("UpdateSession"); n != 0 {
		t.Errorf("expired session renewed (%d UpdateSession calls)", n)
	}

	// The row stays until CleanupSessions deletes it.
	if _, ok := st.row(id); !ok {
		t.Fatal("expired row gone before CleanupSessions")
	}
	n, err := a.auth.CleanupSessions(context.Background())
	if err != nil || n != 1 {
		t.Errorf("CleanupSessions = %d, %v; want 1", n, err)
	}
	if _, ok := st.row(id); ok {
		t.Error("CleanupSessions left the expired row")
	}
	if n, err := a.auth.CleanupSessions(context.Background()); err != nil || n != 0 {
		t.Errorf("second CleanupSessions = %d, %v; want 0", n, err)
	}
}

func TestCleanupSessions(t *testing.T) {
	a, st := newStoreApp(t, server.StrategyDatabase)
	ctx := context.Background()
	u, err := st.mem.CreateUser(ctx, store.User{Email: "c@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	now := a.clock.Now()
	rows := []struct {
		id                       string
		expires                  time.Time
		goneFirst, goneAfterHour bool
	}{
		{"expired", now.Add(-time.Hour), true, true},
		{"expiring now", now, true, true},
		{"expiring in a second", now.Add(time.Second), false, true},
		{"expiring in two hours", now.Add(2 * time.Hour), false, false},
	}
	for _, r := range rows {
		if err := st.mem.CreateSession(ctx, store.Session{ID: store.HashToken(r.id), UserID: u.ID, Expires: r.expires}); err != nil {
			t.Fatal(err)
		}
	}
	check := func(n int64, err error, want int64, gone func(int) bool) {
		t.Helper()
		if err != nil || n != want {
			t.Errorf("CleanupSessions = %d, %v; want %d", n, err, want)
		}
		for i, r := range rows {
			if _, ok := st.row(store.HashToken(r.id)); ok == gone(i) {
				t.Errorf("row %q: exists = %v", r.id, ok)
			}
		}
	}
	n, err := a.auth.CleanupSessions(ctx)
	check(n, err, 2, func(i int) bool { return rows[i].goneFirst })
	// CleanupSessions uses the configured clock.
	a.clock.Advance(time.Hour)
	n, err = a.auth.CleanupSessions(ctx)
	check(n, err, 1, func(i int) bool { return rows[i].goneAfterHour })
	n, err = a.auth.CleanupSessions(ctx)
	check(n, err, 0, func(i int) bool { return rows[i].goneAfterHour })

	// Without Sessions there is nothing to clean.
	jwtApp := newApp(t)
	if n, err := jwtApp.auth.CleanupSessions(ctx); n != 0 || err != nil {
		t.Errorf("CleanupSessions without Sessions = %d, %v", n, err)
	}
}

func TestDatabaseSessionRenewal(t *testing.T) {
	const maxAge, updateAge = 24 * time.Hour, time.Hour
	a, st := newStoreApp(t, server.StrategyDatabase, func(c *server.Config) {
		c.Session = session.Options{MaxAge: maxAge, UpdateAge: updateAge}
	})
	signedInAt := a.clock.Now()
	token := a.signInOK("github")
	st.waitCleanup(t)
	id := store.HashToken(token)
	expiry := func() time.Time {
		t.Helper()
		s, ok := st.row(id)
		if !ok {
			t.Fatal("session row gone")
		}
		return s.Expires
	}

	// Before UpdateAge nothing is written.
	a.clock.Advance(updateAge - time.Second)
	body, resp := a.sessionJSON()
	if len(resp.Cookies()) != 0 || st.count("UpdateSession") != 0 {
		t.Errorf("renewed before UpdateAge: %v, %d UpdateSession calls", resp.Header.Values("Set-Cookie"), st.count("UpdateSession"))
	}
	if got, want := expiresOf(t, body), iso(signedInAt.Add(maxAge)); got != want {
		t.Errorf("expires = %s, want %s", got, want)
	}
	if got := expiry(); !got.Equal(signedInAt.Add(maxAge)) {
		t.Errorf("row expires %v, want %v", got, signedInAt.Add(maxAge))
	}

	// At UpdateAge the row's expiry moves and the cookie is re-set.
	a.clock.Advance(time.Second)
	renewedAt := a.clock.Now()
	body, resp = a.sessionJSON()
	c := setCookies(resp)[a.cookieName("session-token")]
	if c == nil || c.Value != token || !c.Expires.Equal(renewedAt.Add(maxAge)) {
		t.Fatalf("not renewed at UpdateAge: %v", resp.Header.Values("Set-Cookie"))
	}
	checkCookieAttributes(t, c, false)
	if got := expiry(); !got.Equal(renewedAt.Add(maxAge)) {
		t.Errorf("renewed row expires %v, want %v", got, renewedAt.Add(maxAge))
	}
	if got, want := expiresOf(t, body), iso(renewedAt.Add(maxAge)); got != want {
		t.Errorf("renewed expires = %s, want %s", got, want)
	}
	if n := st.count("UpdateSession"); n != 1 {
		t.Errorf("UpdateSession called %d times, want 1", n)
	}

	// Right after, nothing is written again.
	a.clock.Advance(time.Minute)
	if _, resp := a.sessionJSON(); len(resp.Cookies()) != 0 || st.count("UpdateSession") != 1 {
		t.Errorf("renewed twice: %v", resp.Header.Values("Set-Cookie"))
	}

	// The middleware renews too.
	a.clock.Advance(updateAge)
	renewedAt = a.clock.Now()
	resp = a.get("/protected")
	if c := setCookies(resp)[a.cookieName("session-token")]; resp.StatusCode != http.StatusOK || c == nil || c.Value != token {
		t.Errorf("Require did not renew: %s %v", resp.Status, resp.Header.Values("Set-Cookie"))
	}
	if got := expiry(); !got.Equal(renewedAt.Add(maxAge)) {
		t.Errorf("row expires %v after Require, want %v", got, renewedAt.Add(maxAge))
	}

	// A renewed session outlives its first expiry.
	a.clock.Advance(maxAge - time.Minute)
	if !a.clock.Now().After(signedInAt.Add(maxAge)) {
		t.Fatal("test is wrong: the clock is not past the first expiry")
	}
	if body, _ := a.sessionJSON(); body == "null" {
		t.Error("renewed session expired at its first expiry")
	}
}

func TestJWTSessionWithUsers(t *testing.T) {
	var mu sync.Mutex
	var events []server.SignInEvent
	var triggers []server.Trigger
	a, st := newStoreApp(t, server.StrategyJWT, func(c *server.Config) {
		c.Events.SignIn = func(_ context.Context, e server.SignInEvent) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, e)
		}
		c.Callbacks.JWT = func(_ context.Context, in *server.JWTInput) error {
			mu.Lock()
			defer mu.Unlock()
			triggers = append(triggers, in.Trigger)
			return nil
		}
	})
	token := a.signInOK("github")
	uid := st.onlyUser(t)
	if !uuidRE.MatchString(uid) {
		t.Errorf("user ID %q is not a UUID", uid)
	}
	if sub := claimsOf(t, token)["sub"]; sub != uid {
		t.Errorf("JWT sub = %v, want the store's user ID %q (not github:583231)", sub, uid)
	}
	resp := a.get("/protected")
	if got := decodeJSON[map[string]string](t, resp); got["id"] != uid || got["provider"] != "github" {
		t.Errorf("Require saw %v", got)
	}

	// The next sign-in, from another browser, has the same subject.
	b := a.freshBrowser()
	if sub := claimsOf(t, b.signInOK("github"))["sub"]; sub != uid {
		t.Errorf("second sign-in: sub = %v, want %q", sub, uid)
	}
	if got := st.onlyUser(t); got != uid {
		t.Errorf("second sign-in created user %q", got)
	}
	if n := st.count("CreateSession"); n != 0 {
		t.Errorf("JWT strategy wrote %d database sessions", n)
	}
	mu.Lock()
	defer mu.Unlock()
	wantEvents := []server.SignInEvent{
		{User: server.User{ID: uid, Name: "Monalisa Octocat", Email: "mona@example.com", Image: "https://avatars.example/u/583231?v=4"}, Provider: "github", IsNewUser: true},
		{User: server.User{ID: uid, Name: "Monalisa Octocat", Email: "mona@example.com", Image: "https://avatars.example/u/583231?v=4"}, Provider: "github"},
	}
	if !reflect.DeepEqual(events, wantEvents) {
		t.Errorf("SignIn events = %+v, want %+v", events, wantEvents)
	}
	if want := []server.Trigger{server.TriggerSignUp, server.TriggerSignIn}; !reflect.DeepEqual(triggers, want) {
		t.Errorf("JWT triggers = %v, want %v", triggers, want)
	}
}

func TestAccountLinkingByEmail(t *testing.T) {
	tests := []struct {
		name      string
		dangerous bool
	}{
		{"refused", false},
		{"TrustEmail and verified", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []appOption
			if tt.dangerous {
				opts = append(opts, trustEmail("gitlab"))
			}
			a, st := newStoreApp(t, server.StrategyDatabase, opts...)
			a.signInOK("github")
			uid := st.onlyUser(t)

			// Another browser signs in with a GitLab account with the same
			// e-mail address.
			b := a.freshBrowser()
			resp := b.signIn("gitlab", "/dashboard")
			_, err := st.mem.GetUserByAccount(context.Background(), "gitlab", "583231")
			if !tt.dangerous {
				if got, want := location(t, resp), a.base+"/signin?error=OAuthAccountNotLinked"; got != want {
					t.Errorf("redirected to %q, want %q", got, want)
				}
				checkNoSession(t, b, resp)
				if !errors.Is(err, store.ErrNotFound) {
					t.Errorf("the GitLab account was linked: %v", err)
				}
				if got := st.accounts(t, uid); !reflect.DeepEqual(got, []string{"github/583231"}) {
					t.Errorf("accounts = %v", got)
				}
			} else {
				if got := location(t, resp); got != a.origin+"/dashboard" {
					t.Errorf("redirected to %q", got)
				}
				if got := b.protectedID(); got != uid {
					t.Errorf("signed in as %q, want the existing user %q", got, uid)
				}
				if got := st.accounts(t, uid); !reflect.DeepEqual(got, []string{"github/583231", "gitlab/583231"}) {
					t.Errorf("accounts = %v", got)
				}
			}
			if got := st.onlyUser(t); got != uid {
				t.Errorf("user %q created", got)
			}
		})
	}
}

func TestAccountLinkingWhileSignedIn(t *testing.T) {
	t.Run("new account is linked", func(t *testing.T) {
		a, st := newStoreApp(t, server.StrategyDatabase)
		a.signInOK("github")
		userA := st.onlyUser(t)
		// A GitLab account with another address: only the signed-in user
		// can link it.
		a.useAccount(583231, "Mona at work", "mona.work@example.com")
		a.signInOK("gitlab")
		if got := a.protectedID(); got != userA {
			t.Errorf("signed in as %q, want %q", got, userA)
		}
		if got := st.accounts(t, userA); !reflect.DeepEqual(got, []string{"github/583231", "gitlab/583231"}) {
			t.Errorf("accounts = %v, want GitHub and GitLab", got)
		}
		if got := st.onlyUser(t); got != userA {
			t.Errorf("user %q created", got)
		}
	})
	t.Run("another user's account is refused", func(t *testing.T) {
		a, st := newStoreApp(t, server.StrategyDatabase)
		ctx := context.Background()
		bob := a.freshBrowser()
		a.useAccount(1001, "Bob", "bob@example.com")
		bobAccessToken := a.idp.accessToken
		bobToken := bob.signInOK("github")
		userB := st.onlyUser(t)
		a.useAccount(1002, "Alice", "alice@example.com")
		aliceToken := a.signInOK("github")
		userA := a.protectedID()
		if userA == "" || userA == userB {
			t.Fatalf("Alice is %q, Bob %q", userA, userB)
		}

		// Alice, signed in, signs in with Bob's account.
		a.useAccount(1001, "Bob", "bob@example.com")
		a.newAccessToken()
		resp := a.signIn("github", "/dashboard")
		if got, want := location(t, resp), a.base+"/account?error=OAuthAccountNotLinked"; got != want {
			t.Errorf("redirected to %q, want %q", got, want)
		}
		if c := setCookies(resp)[a.cookieName("session-token")]; c != nil {
			t.Errorf("refused sign-in touched the session cookie: %v", resp.Header.Values("Set-Cookie"))
		}
		if a.jarCookie("session-token") != aliceToken || a.protectedID() != userA {
			t.Error("Alice's session changed")
		}
		if body, _ := a.sessionJSON(); !strings.Contains(body, `"name":"Alice"`) {
			t.Errorf("GET /session = %s, want Alice", body)
		}
		if got := st.accounts(t, userA); !reflect.DeepEqual(got, []string{"github/1002"}) {
			t.Errorf("Alice's accounts = %v", got)
		}
		if got := st.accounts(t, userB); !reflect.DeepEqual(got, []string{"github/1001"}) {
			t.Errorf("Bob's accounts = %v", got)
		}
		if as, _ := st.mem.ListAccounts(ctx, userB); len(as) != 1 || openAccounts(t, a.keys, as...)[0].AccessToken != bobAccessToken {
			t.Errorf("Bob's account tokens were replaced by Alice's sign-in: %+v", as)
		}
		if ids := st.userIDs(); len(ids) != 2 {
			t.Errorf("store holds %d users, want 2", len(ids))
		}
		if bob.jarCookie("session-token") != bobToken || bob.protectedID() != userB {
			t.Error("Bob's session changed")
		}
	})
}

func TestSignInCallbackWithStore(t *testing.T) {
	t.Run("refused new user is not created", func(t *testing.T) {
		var mu sync.Mutex
		var seen []string
		a, st := newStoreApp(t, server.StrategyDatabase, func(c *server.Config) {
			c.Callbacks.SignIn = func(_ context.Context, in *server.SignInInput) error {
				mu.Lock()
				defer mu.Unlock()
				seen = append(seen, in.Provider+" "+in.User.Email)
				return errors.New("not invited")
			}
		})
		resp := a.signIn("github", "/dashboard")
		if got, want := location(t, resp), a.base+"/error?error=AccessDenied"; got != want {
			t.Errorf("redirected to %q, want %q", got, want)
		}
		checkNoSession(t, a, resp)
		if ids := st.userIDs(); len(ids) != 0 {
			t.Errorf("refused sign-in created users %v", ids)
		}
		for _, op := range []string{"CreateUser", "CreateUserAndAccount", "LinkAccount", "CreateSession"} {
			if n := st.count(op); n != 0 {
				t.Errorf("%s called %d times", op, n)
			}
		}
		if _, err := st.mem.GetUserByEmail(context.Background(), "mona@example.com"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetUserByEmail = %v, want ErrNotFound", err)
		}
		mu.Lock()
		defer mu.Unlock()
		if !reflect.DeepEqual(seen, []string{"github mona@example.com"}) {
			t.Errorf("SignIn callback saw %v", seen)
		}
	})

	// Auth.js runs the signIn callback before it links anything: a refused
	// sign-in must leave the store as it was.
	tests := []struct {
		name string
		opts []appOption
		// browser returns the browser that signs in with GitLab.
		browser func(a *app) *app
	}{
		{"refused link to the signed-in user", nil, func(a *app) *app {
			a.useAccount(583231, "Mona at work", "mona.work@example.com")
			return a
		}},
		{"refused link by e-mail", []appOption{trustEmail("gitlab")}, func(a *app) *app { return a.freshBrowser() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refuseGitLab := func(c *server.Config) {
				c.Callbacks.SignIn = func(_ context.Context, in *server.SignInInput) error {
					if in.Provider == "gitlab" {
						return errors.New("no GitLab")
					}
					return nil
				}
			}
			a, st := newStoreApp(t, server.StrategyDatabase, append(tt.opts, refuseGitLab)...)
			a.signInOK("github")
			uid := st.onlyUser(t)
			b := tt.browser(a)
			before := b.jarCookie("session-token")
			resp := b.signIn("gitlab", "/dashboard")
			if got, want := location(t, resp), a.base+"/error?error=AccessDenied"; got != want {
				t.Errorf("redirected to %q, want %q", got, want)
			}
			if got := st.accounts(t, uid); !reflect.DeepEqual(got, []string{"github/583231"}) {
				t.Errorf("refused sign-in linked an account: accounts = %v", got)
			}
			if _, err := st.mem.GetUserByAccount(context.Background(), "gitlab", "583231"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("GitLab account is linked: %v", err)
			}
			if b.jarCookie("session-token") != before {
				t.Error("refused sign-in changed the session cookie")
			}
		})
	}
}

func TestStoreFailureDuringCallback(t *testing.T) {
	tests := []struct {
		op   string
		code string
		// userCreated: the failure comes after the user was created.
		userCreated bool
	}{
		{"GetUserByAccount", "Callback", false},
		{"GetUserByEmail", "Callback", false},
		{"CreateUserAndAccount", "OAuthCreateAccount", false},
		{"CreateSession", "Callback", true},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			a, st := newStoreApp(t, server.StrategyDatabase)
			st.fail(tt.op)
			resp := a.signIn("github", "/dashboard")
			if got, want := location(t, resp), a.base+"/signin?error="+tt.code; got != want {
				t.Errorf("redirected to %q, want %q", got, want)
			}
			if st.count(tt.op) == 0 {
				t.Fatalf("%s was not called", tt.op)
			}
			if c := setCookies(resp)[a.cookieName("session-token")]; c != nil {
				t.Errorf("failed sign-in set a session cookie: %v", resp.Header.Values("Set-Cookie"))
			}
			if ids := st.userIDs(); len(ids) != 0 && !tt.userCreated {
				t.Errorf("failed sign-in created users %v", ids)
			}
			if logs := a.logs.String(); !strings.Contains(logs, "code="+tt.code) || !strings.Contains(logs, errDBDown.Error()) {
				t.Errorf("the store failure was not logged:\n%s", logs)
			}

			// Once the store is back, the sign-in works.
			st.heal()
			checkNoSession(t, a, resp)
			a.signInOK("github")
			uid := st.onlyUser(t)
			if got := a.protectedID(); got != uid {
				t.Errorf("signed in as %q, want %q", got, uid)
			}
		})
	}
}

func TestStoreFailureReadingSession(t *testing.T) {
	a, st := newStoreApp(t, server.StrategyDatabase)
	token := a.signInOK("github")
	uid := st.onlyUser(t)
	name := a.cookieName("session-token")
	st.fail("GetSessionAndUser")

	// GET /session: 503 and null, and the cookie stays.
	resp := a.get("/api/auth/session")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("GET /session: %s, want 503", resp.Status)
	}
	if body := strings.TrimSpace(readBody(t, resp)); body != "null" {
		t.Errorf("GET /session body %q, want null", body)
	}
	checkNoStore(t, resp)
	if c := setCookies(resp)[name]; c != nil {
		t.Errorf("GET /session touched the session cookie: %v", resp.Header.Values("Set-Cookie"))
	}
	if a.jarCookie("session-token") != token {
		t.Fatal("the browser lost its session cookie")
	}

	// Require: 503, not a redirect to the sign-in page.
	tests := []struct {
		name   string
		accept string
		html   bool
	}{
		{"browser", "text/html,application/xhtml+xml,*/*;q=0.8", true},
		{"JSON client", "application/json", false},
		{"no Accept", "", false},
	}
	for _, tt := range tests {
		t.Run("Require/"+tt.name, func(t *testing.T) {
			resp := a.get("/protected", "Accept", tt.accept)
			if resp.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("status %s (Location %q), want 503", resp.Status, resp.Header.Get("Location"))
			}
			if c := setCookies(resp)[name]; c != nil {
				t.Errorf("Require touched the session cookie: %v", resp.Header.Values("Set-Cookie"))
			}
			body := readBody(t, resp)
			if tt.html {
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("Content-Type %q", ct)
				}
				if !strings.Contains(body, `data-error="Configuration"`) {
					t.Errorf("page %q", body)
				}
				return
			}
			var got map[string]string
			if err := json.Unmarshal([]byte(body), &got); err != nil || !reflect.DeepEqual(got, map[string]string{"error": "Configuration"}) {
				t.Errorf("body %q, want {\"error\":\"Configuration\"}", body)
			}
		})
	}

	// WithSession does not pass the request on as signed out: it answers
	// 503 as Require does, keeping the cookie; Session reports the store,
	// not an absent session.
	resp = a.get("/optional", "Accept", "application/json")
	if body := readBody(t, resp); resp.StatusCode != http.StatusServiceUnavailable || strings.Contains(body, "anonymous") || setCookies(resp)[name] != nil {
		t.Errorf("WithSession: %s %q, Set-Cookie %v; want 503", resp.Status, body, resp.Header.Values("Set-Cookie"))
	}
	req := a.newRequest(http.MethodGet, "/", nil)
	req.AddCookie(&http.Cookie{Name: name, Value: token})
	if _, err := a.auth.Session(req); !errors.Is(err, server.ErrStore) || errors.Is(err, server.ErrNoSession) {
		t.Errorf("Session error = %v, want ErrStore", err)
	}
	resp = a.postForm("/api/auth/session", url.Values{"csrfToken": {a.csrfToken()}, "data": {"{}"}})
	if resp.StatusCode != http.StatusServiceUnavailable || setCookies(resp)[name] != nil {
		t.Errorf("POST /session: %s, Set-Cookie %v", resp.Status, resp.Header.Values("Set-Cookie"))
	}
	if a.jarCookie("session-token") != token {
		t.Fatal("the browser lost its session cookie")
	}

	// The store recovers: the same cookie works again.
	st.heal()
	if body, _ := a.sessionJSON(); !strings.Contains(body, `"name":"Monalisa Octocat"`) {
		t.Errorf("after recovery GET /session = %s", body)
	}
	if got := a.protectedID(); got != uid {
		t.Errorf("after recovery Require saw %q, want %q", got, uid)
	}
}

// TestSessionTokenNeverLogged drives database sessions through store
// failures, renewal, sign-out, replay and expiry, with a store whose errors
// echo their arguments, and checks that no log line carries a raw session
// token.
func TestSessionTokenNeverLogged(t *testing.T) {
	const maxAge, updateAge = 24 * time.Hour, time.Hour
	a, st := newStoreApp(t, server.StrategyDatabase, func(c *server.Config) {
		c.Session = session.Options{MaxAge: maxAge, UpdateAge: updateAge}
	})
	b := a.freshBrowser()
	tokens := []string{a.signInOK("github"), b.signInOK("github")}
	st.waitCleanup(t)

	// Reading fails.
	st.fail("GetSessionAndUser")
	a.get("/api/auth/session")
	a.get("/protected", "Accept", "text/html")
	a.get("/protected")
	a.postForm("/api/auth/session", url.Values{"csrfToken": {a.csrfToken()}, "data": {"{}"}})
	a.signOut()
	st.heal()

	// Renewal fails.
	st.fail("UpdateSession")
	a.clock.Advance(updateAge)
	a.sessionJSON()
	st.heal()

	// Sign-out fails, then works; the old cookie is replayed.
	st.fail("DeleteSession")
	a.signOut()
	st.heal()
	a.signOut()
	a.setJarCookie(a.cookieName("session-token"), tokens[0])
	a.sessionJSON()
	a.setJarCookie(a.cookieName("session-token"), tokens[0])
	a.get("/protected")

	// The other session expires.
	a.clock.Advance(maxAge)
	b.sessionJSON()

	// Creating a session fails, then works.
	st.fail("CreateSession")
	a.signIn("github", "/dashboard")
	st.heal()
	tokens = append(tokens, a.signInOK("github"))

	logs := a.logs.String()
	for _, want := range []string{server.ErrStore.Error(), errDBDown.Error(), "session renewal failed", "session cookie rejected", "code=Callback"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q; the check below may prove nothing:\n%s", want, logs)
		}
	}
	for _, line := range strings.Split(logs, "\n") {
		for _, tok := range tokens {
			if strings.Contains(line, tok) {
				t.Errorf("log line carries a session token (%.8s…):\n%s", tok, line)
			}
		}
	}
}

// TestStoreFailureReadingSessionDuringCallback: while the store cannot say
// who is signed in, a sign-in must not go on as if nobody were.
func TestStoreFailureReadingSessionDuringCallback(t *testing.T) {
	a, st := newStoreApp(t, server.StrategyDatabase)
	a.signInOK("github")
	userA := st.onlyUser(t)
	a.useAccount(583231, "Mona at work", "mona.work@example.com")
	st.fail("GetSessionAndUser")
	resp := a.signIn("gitlab", "/dashboard")
	if got, want := location(t, resp), a.base+"/signin?error=Callback"; got != want {
		t.Errorf("redirected to %q, want %q", got, want)
	}
	if c := setCookies(resp)[a.cookieName("session-token")]; c != nil {
		t.Errorf("sign-in set a session cookie: %v", resp.Header.Values("Set-Cookie"))
	}
	st.heal()
	if ids := st.userIDs(); len(ids) != 1 {
		t.Errorf("store holds users %v, want only %q", ids, userA)
	}
	if got := st.accounts(t, userA); !reflect.DeepEqual(got, []string{"github/583231"}) {
		t.Errorf("accounts = %v", got)
	}
}

// TestConcurrentFirstSignIns completes first sign-ins of one new provider
// account from several browsers at once.
func TestConcurrentFirstSignIns(t *testing.T) {
	const browsers = 8
	// await waits for ch; the deadline only keeps a changed server from
	// hanging the test.
	await := func(ch <-chan struct{}) {
		select {
		case <-ch:
		case <-time.After(5 * time.Second):
		}
	}
	tests := []struct {
		name string
		// orchestrate installs hooks forcing an interleaving.
		orchestrate func(st *faultStore)
	}{
		{"unordered", func(*faultStore) {}},
		{"all create at once", func(st *faultStore) {
			// Every request finds neither the account nor the e-mail
			// address before any creates the user.
			var lookups atomic.Int32
			allLooked := make(chan struct{})
			st.onAfter("GetUserByEmail", func(error) {
				if lookups.Add(1) == browsers {
					close(allLooked)
				}
			})
			st.onBefore("CreateUserAndAccount", func() { await(allLooked) })
		}},
		{"user created between lookups", func(st *faultStore) {
			// Every request misses the account; then one creates the user
			// before the others look up the e-mail address.
			var accountLookups, emailLookups atomic.Int32
			allMissed, created := make(chan struct{}), make(chan struct{})
			var once sync.Once
			st.onBefore("GetUserByAccount", func() {
				switch n := accountLookups.Add(1); {
				case n == browsers:
					close(allMissed)
				case n < browsers:
					await(allMissed)
				}
			})
			st.onBefore("GetUserByEmail", func() {
				if emailLookups.Add(1) > 1 {
					await(created)
				}
			})
			st.onAfter("CreateUserAndAccount", func(err error) {
				if err == nil {
					once.Do(func() { close(created) })
				}
			})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, st := newStoreApp(t, server.StrategyDatabase)
			tt.orchestrate(st)
			bs := make([]*app, browsers)
			callbacks := make([]string, browsers)
			for i := range bs {
				bs[i] = a.freshBrowser()
				callbacks[i] = bs[i].authorize(bs[i].startSignIn("github", "/dashboard"))
			}
			type result struct {
				status   int
				location string
				err      error
			}
			results := make([]result, browsers)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i, b := range bs {
				wg.Go(func() {
					<-start
					resp, err := b.noFollow.Get(callbacks[i])
					if err != nil {
						results[i].err = err
						return
					}
					resp.Body.Close()
					results[i] = result{status: resp.StatusCode, location: resp.Header.Get("Location")}
				})
			}
			close(start)
			wg.Wait()

			uid := st.onlyUser(t)
			for i, r := range results {
				if r.err != nil || r.status != http.StatusFound || r.location != a.origin+"/dashboard" {
					t.Errorf("browser %d: %d %q %v, want a redirect to /dashboard", i, r.status, r.location, r.err)
					continue
				}
				if got := bs[i].protectedID(); got != uid {
					t.Errorf("browser %d is signed in as %q, want %q", i, got, uid)
				}
			}
			if got := st.accounts(t, uid); !reflect.DeepEqual(got, []string{"github/583231"}) {
				t.Errorf("accounts = %v", got)
			}
		})
	}
}

func TestStoreConfig(t *testing.T) {
	a := newApp(t)
	st := newFaultStore()
	tests := []struct {
		name   string
		mutate func(c *server.Config)
		ok     bool
	}{
		{"database without Sessions", func(c *server.Config) { c.Strategy, c.Users = server.StrategyDatabase, st }, false},
		{"database without a store", func(c *server.Config) { c.Strategy = server.StrategyDatabase }, false},
		{"unknown strategy", func(c *server.Config) { c.Strategy, c.Users, c.Sessions = "session", st, st }, false},
		{"misspelt strategy", func(c *server.Config) { c.Strategy, c.Users, c.Sessions = "Database", st, st }, false},
		{"database", func(c *server.Config) { c.Strategy, c.Users, c.Sessions = server.StrategyDatabase, st, st }, true},
		{"jwt with Users", func(c *server.Config) { c.Strategy, c.Users = server.StrategyJWT, st }, true},
		{"default strategy with Users", func(c *server.Config) { c.Users = st }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := a.cfg
			tt.mutate(&c)
			auth, err := server.New(c)
			if tt.ok {
				if err != nil || auth == nil {
					t.Errorf("New = %v, %v; want a server", auth, err)
				}
				return
			}
			if !errors.Is(err, server.ErrConfig) {
				t.Errorf("New error = %v, want ErrConfig", err)
			}
			if auth != nil {
				t.Error("New returned a server with its error")
			}
		})
	}
}

// TestDatabaseStrategyWithoutUsers: a configuration New accepts must work.
// The database strategy with Sessions but no Users is either refused or
// signs users in.
func TestDatabaseStrategyWithoutUsers(t *testing.T) {
	st := newFaultStore()
	withoutUsers := func(c *server.Config) { c.Strategy, c.Users, c.Sessions = server.StrategyDatabase, nil, st }
	c := newApp(t).cfg
	withoutUsers(&c)
	if _, err := server.New(c); err != nil {
		if !errors.Is(err, server.ErrConfig) {
			t.Fatalf("New error = %v, want ErrConfig", err)
		}
		return // refused: fine
	}
	a := newApp(t, withoutUsers)
	a.signInOK("github")
	if body, _ := a.sessionJSON(); body == "null" {
		t.Error("database strategy without Users: the sign-in succeeded but GET /session is null")
	}
}
