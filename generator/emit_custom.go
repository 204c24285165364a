package generator

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"

	"github.com/dave/jennifer/jen"

	"github.com/authgen/authgen/generator/manifest"
)

// pkgStoreTest is the conformance suite custom stores run.

// storeMethod is a method of store.Store as the custom scaffold declares
// it: its parameters and results, what it returns besides the error while
// it is not implemented, and its contract in the user's words.
type storeMethod struct {
	name    string
	params  []jen.Code
	results []jen.Code
	// zeros are the results before the error in the unimplemented body.
	zeros []jen.Code
	doc   string
}

// storeGroup is the methods of one interface of package store.
type storeGroup struct {
	iface, what string
	methods     []storeMethod
}

// storeGroups lists every method of store.Store in the order of package
// store, each documented with its contract.
func storeGroups() []storeGroup {
	ctx := func() jen.Code { return jen.Id("ctx").Qual("context", "Context") }
	str := func(names ...string) jen.Code {
		ids := make([]jen.Code, len(names))
		for i, n := range names {
			ids[i] = jen.Id(n)
		}
		return jen.List(ids...).String()
	}
	t := func(name string) jen.Code { return jen.Qual(pkgStore, name) }
	ptr := func(name string) jen.Code { return jen.Op("*").Qual(pkgStore, name) }
	now := func() jen.Code { return jen.Id("now").Qual("time", "Time") }
	userResult := []jen.Code{ptr("User"), jen.Error()}
	nilResult := []jen.Code{jen.Nil()}
	return []storeGroup{
		{iface: "Users", what: "people who sign in, and the provider accounts linked to them", methods: []storeMethod{
			{name: "CreateUser", params: []jen.Code{ctx(), jen.Id("u").Add(t("User"))}, results: userResult, zeros: nilResult,
				doc: `CreateUser stores a new user and returns it as stored. When u.ID is empty, give the user one: store.NewID() makes the random UUID authgen expects. When another user already has u.Email, store nothing and return an error wrapping store.ErrConflict; users without an e-mail address (Email "") never conflict with each other. Keep EmailVerified to the millisecond at least.`},
			{name: "GetUser", params: []jen.Code{ctx(), str("id")}, results: userResult, zeros: nilResult,
				doc: `GetUser returns the user with the ID, or an error wrapping store.ErrNotFound when there is none.`},
			{name: "GetUserByEmail", params: []jen.Code{ctx(), str("email")}, results: userResult, zeros: nilResult,
				doc: `GetUserByEmail returns the user with the e-mail address, or store.ErrNotFound. authgen lower-cases addresses before they reach the store, so comparing them as they are is enough.`},
			{name: "GetUserByAccount", params: []jen.Code{ctx(), str("provider", "providerAccountID")}, results: userResult, zeros: nilResult,
				doc: `GetUserByAccount returns the user that the provider account (provider is its id, such as "github"; providerAccountID the provider's ID of the account) is linked to, or store.ErrNotFound when it is linked to nobody. Every sign-in calls it: index the pair.`},
			{name: "UpdateUser", params: []jen.Code{ctx(), jen.Id("u").Add(t("User"))}, results: userResult, zeros: nilResult,
				doc: `UpdateUser replaces the name, e-mail address, EmailVerified and image of the user with u.ID and returns the user as stored. When there is no such user, return store.ErrNotFound and create none; when another user has the address, return store.ErrConflict and change nothing. Keeping the user's own address, or clearing it, is no conflict.`},
			{name: "DeleteUser", params: []jen.Code{ctx(), str("id")}, results: []jen.Code{jen.Error()},
				doc: `DeleteUser deletes the user together with their accounts and sessions, and nobody else's; their e-mail address and provider accounts can then be used again. Deleting a user that does not exist is store.ErrNotFound.`},
			{name: "CreateUserAndAccount", params: []jen.Code{ctx(), jen.Id("u").Add(t("User")), jen.Id("a").Add(t("Account"))}, results: userResult, zeros: nilResult,
				doc: `CreateUserAndAccount creates u as CreateUser does and links the account a to the new user, whatever a.UserID says, in one transaction: after any failure neither the user nor the link exists. When the provider account is linked already, return store.ErrConflict and create nothing. Two first sign-ins with one account race here and exactly one may win: the unique key on (Provider, ProviderAccountID) must decide, not a read before the write. The loser then finds the winner's user with GetUserByAccount. An e-mail address already taken is store.ErrConflict too, with no account linked.`},
			{name: "LinkAccount", params: []jen.Code{ctx(), jen.Id("a").Add(t("Account"))}, results: []jen.Code{jen.Error()},
				doc: `LinkAccount links the account a to the existing user a.UserID. Return store.ErrNotFound when that user does not exist, and store.ErrConflict when the provider account (a.Provider, a.ProviderAccountID) is linked already, to this user or another, leaving that link as it was.`},
			{name: "UnlinkAccount", params: []jen.Code{ctx(), str("provider", "providerAccountID")}, results: []jen.Code{jen.Error()},
				doc: `UnlinkAccount removes the link of one provider account, leaving the user and their other accounts alone. An account that is not linked is store.ErrNotFound.`},
			{name: "UpdateAccount", params: []jen.Code{ctx(), jen.Id("a").Add(t("Account"))}, results: []jen.Code{jen.Error()},
				doc: `UpdateAccount finds the account by a.Provider and a.ProviderAccountID and replaces its token fields with a's, empty ones included: RefreshToken, AccessToken, ExpiresAt, TokenType, Scope, IDToken, SessionState and TokenSecret. authgen calls it with a refreshed access token or a rotated refresh token. An account that is not linked is store.ErrNotFound; never insert one.`},
			{name: "ListAccounts", params: []jen.Code{ctx(), str("userID")}, results: []jen.Code{jen.Index().Add(t("Account")), jen.Error()}, zeros: nilResult,
				doc: `ListAccounts returns every account linked to the user, with all its fields, ordered by provider, then provider account ID. A user without accounts gets an empty, non-nil slice and no error.`},
		}},
		{iface: "Sessions", what: "database sessions (session strategy database), and the records of revocable JWT sessions", methods: []storeMethod{
			{name: "CreateSession", params: []jen.Code{ctx(), jen.Id("sess").Add(t("Session"))}, results: []jen.Code{jen.Error()},
				doc: `CreateSession stores a session. sess.ID is already the SHA-256 of the cookie's token (store.HashToken): store it as it is, so a copy of the database yields no usable cookie. Keep every other field too: Provider (the provider the user signed in with), CreatedAt (when they signed in, to the millisecond), UserAgent (up to 512 bytes) and IP. An ID in use is store.ErrConflict, leaving that session as it was.`},
			{name: "GetSessionAndUser", params: []jen.Code{ctx(), str("id"), now()}, results: []jen.Code{ptr("Session"), ptr("User"), jen.Error()}, zeros: []jen.Code{jen.Nil(), jen.Nil()},
				doc: `GetSessionAndUser returns the session with the ID (every field as stored) and its user when the session has not expired at now: judge expiry by now, never by the clock. An unknown or expired session is store.ErrNotFound. Every request that reads the session calls it, so make it one query (a join) or one round trip.`},
			{name: "UpdateSession", params: []jen.Code{ctx(), str("id"), jen.Id("expires").Qual("time", "Time")}, results: []jen.Code{jen.Error()},
				doc: `UpdateSession sets the expiry of the session with the ID, later or earlier, keeping its other fields (CreatedAt above all: renewals never move the sign-in time). A missing session is store.ErrNotFound; never create one.`},
			{name: "DeleteSession", params: []jen.Code{ctx(), str("id")}, results: []jen.Code{jen.Error()},
				doc: `DeleteSession deletes the session with the ID (a sign-out) and no other. A missing session is store.ErrNotFound.`},
			{name: "DeleteExpiredSessions", params: []jen.Code{ctx(), now()}, results: []jen.Code{jen.Int64(), jen.Error()}, zeros: []jen.Code{jen.Lit(0)},
				doc: `DeleteExpiredSessions deletes every session expired at now, and only those, and returns how many it deleted.`},
			{name: "ListSessions", params: []jen.Code{ctx(), str("userID")}, results: []jen.Code{jen.Index().Add(t("Session")), jen.Error()}, zeros: nilResult,
				doc: `ListSessions returns every session of the user, with every field, in any order (expired ones not yet deleted may be among them): the user's list of their sessions. Index the user's ID. A user without sessions gets an empty, non-nil slice and no error.`},
			{name: "DeleteUserSessions", params: []jen.Code{ctx(), str("userID")}, results: []jen.Code{jen.Error()},
				doc: `DeleteUserSessions deletes every session of the user and no other (sign out everywhere). A user without sessions is no error.`},
		}},
		{iface: "VerificationTokens", what: "one-time e-mail sign-in tokens", methods: []storeMethod{
			{name: "CreateVerificationToken", params: []jen.Code{ctx(), jen.Id("t").Add(t("VerificationToken"))}, results: []jen.Code{jen.Error()},
				doc: `CreateVerificationToken stores an e-mail sign-in token with its Attempts (0 for a new one). t.TokenHash is a keyed hash of the token sent by e-mail; the token itself never reaches the store. A hash in use, for any identifier, is store.ErrConflict.`},
			{name: "UseVerificationToken", params: []jen.Code{ctx(), str("identifier", "tokenHash")}, results: []jen.Code{ptr("VerificationToken"), jen.Error()}, zeros: nilResult,
				doc: `UseVerificationToken deletes the token with the identifier (the e-mail address) and hash and returns it with its Attempts, in one atomic step: of two concurrent uses exactly one gets the token, the other store.ErrNotFound. An unknown token, a second use, or the hash of another identifier's token (which stays usable) is store.ErrNotFound. Return an expired token like any other: the caller checks Expires.`},
			{name: "CountVerificationAttempt", params: []jen.Code{ctx(), str("identifier", "tokenHash")}, results: []jen.Code{ptr("VerificationToken"), jen.Error()}, zeros: nilResult,
				doc: `CountVerificationAttempt adds one to the Attempts of the token with the identifier and hash (a sign-in code was tried against it) and returns the token with the new count, without using it up. Every call must count, also concurrent ones (an atomic increment, such as UPDATE … SET attempts = attempts + 1): the server refuses a code once the count passes 5. An unknown or used token, or another identifier's, is store.ErrNotFound and counts nothing.`},
		}},
	}
}

// optionalStoreGroups lists the methods of the optional interfaces of
// package store that the manifest's features need of the store of users:
// store.TwoFactors for twoFactor, store.Passkeys for passkeys. The custom
// scaffold declares them as stubs, and `authgen generate` names them when
// a scaffold written before lacks them (CustomStoreHint).
func optionalStoreGroups(twoFactor, passkeys bool) []storeGroup {
	ctx := func() jen.Code { return jen.Id("ctx").Qual("context", "Context") }
	str := func(names ...string) jen.Code {
		ids := make([]jen.Code, len(names))
		for i, n := range names {
			ids[i] = jen.Id(n)
		}
		return jen.List(ids...).String()
	}
	t := func(name string) jen.Code { return jen.Qual(pkgStore, name) }
	ptr := func(name string) jen.Code { return jen.Op("*").Qual(pkgStore, name) }
	errResult := []jen.Code{jen.Error()}
	var groups []storeGroup
	if twoFactor {
		groups = append(groups, storeGroup{iface: "TwoFactors", what: "each user's TOTP second factor and recovery codes (twoFactor in authgen.yaml)", methods: []storeMethod{
			{name: "BeginTwoFactor", params: []jen.Code{ctx(), str("userID", "sealedSecret"), jen.Id("now").Qual("time", "Time")}, results: errResult,
				doc: `BeginTwoFactor stores a new, not yet enabled second factor for the user with the sealed secret (keep the text as it is) and CreatedAt now, replacing one that is not enabled, with its recovery codes. The user already has an enabled one: store.ErrConflict; the user does not exist: store.ErrNotFound.`},
			{name: "GetTwoFactor", params: []jen.Code{ctx(), str("userID")}, results: []jen.Code{ptr("TwoFactor"), jen.Error()}, zeros: []jen.Code{jen.Nil()},
				doc: `GetTwoFactor returns the user's second factor, enabled or not, with how many recovery codes remain, or store.ErrNotFound.`},
			{name: "EnableTwoFactor", params: []jen.Code{ctx(), str("userID", "sealedSecret"), jen.Id("step").Int64(), jen.Id("recoveryHashes").Index().String()}, results: errResult,
				doc: `EnableTwoFactor enables the user's second factor when it is not enabled and its secret is still sealedSecret, records step as its last used step and stores the recovery codes' hashes, all in one transaction: store.ErrNotFound when the user has none that is not enabled (none at all, or one enabled already: of two concurrent confirmations exactly one wins) or a BeginTwoFactor replaced the secret meanwhile.`},
			{name: "UseTwoFactorStep", params: []jen.Code{ctx(), str("userID"), jen.Id("step").Int64()}, results: errResult,
				doc: `UseTwoFactorStep records step as the last used step of the user's enabled second factor when it is later than the one recorded, atomically (UPDATE … WHERE last_step < step): store.ErrConflict when it is not (a replayed code; of two concurrent uses of one step exactly one succeeds), store.ErrNotFound when the user has no enabled second factor.`},
			{name: "UseRecoveryCode", params: []jen.Code{ctx(), str("userID", "codeHash")}, results: errResult,
				doc: `UseRecoveryCode deletes the recovery code with the hash from the user's enabled second factor, once: store.ErrNotFound when it is not there (used already, another user's, or never issued); of two concurrent uses exactly one succeeds.`},
			{name: "ReplaceRecoveryCodes", params: []jen.Code{ctx(), str("userID"), jen.Id("hashes").Index().String()}, results: errResult,
				doc: `ReplaceRecoveryCodes replaces every recovery code of the user's enabled second factor with the hashes given, in one transaction: store.ErrNotFound when the user has no enabled second factor.`},
			{name: "DeleteTwoFactor", params: []jen.Code{ctx(), str("userID")}, results: errResult,
				doc: `DeleteTwoFactor deletes the user's second factor and its recovery codes: store.ErrNotFound when there is none. DeleteUser must delete them too.`},
		}})
	}
	if passkeys {
		groups = append(groups, storeGroup{iface: "Passkeys", what: "each user's passkeys, WebAuthn credentials (the passkey provider in authgen.yaml)", methods: []storeMethod{
			{name: "CreatePasskey", params: []jen.Code{ctx(), jen.Id("p").Add(t("Passkey"))}, results: errResult,
				doc: `CreatePasskey stores the passkey with every field, byte slices byte for byte: store.ErrConflict when its credential ID (p.ID, unique across users) is in use, store.ErrNotFound when the user p.UserID does not exist.`},
			{name: "GetPasskey", params: []jen.Code{ctx(), str("id")}, results: []jen.Code{ptr("Passkey"), jen.Error()}, zeros: []jen.Code{jen.Nil()},
				doc: `GetPasskey returns the passkey with the credential ID, or store.ErrNotFound. Every passkey sign-in calls it: index the ID.`},
			{name: "ListPasskeys", params: []jen.Code{ctx(), str("userID")}, results: []jen.Code{jen.Index().Add(t("Passkey")), jen.Error()}, zeros: []jen.Code{jen.Nil()},
				doc: `ListPasskeys returns the user's passkeys, oldest first. A user without passkeys gets an empty, non-nil slice and no error.`},
			{name: "UsePasskey", params: []jen.Code{ctx(), str("id"), jen.List(jen.Id("prev"), jen.Id("count")).Uint32(), jen.Id("backupState").Bool(), jen.Id("at").Qual("time", "Time")}, results: errResult,
				doc: `UsePasskey records a sign-in with the passkey: its SignCount becomes count, its BackupState backupState and its LastUsedAt at — only when its stored SignCount is still prev, atomically (UPDATE … WHERE sign_count = prev): store.ErrConflict when the count changed meanwhile (of two concurrent uses reporting the same count, one wins), store.ErrNotFound when there is no such passkey.`},
			{name: "RenamePasskey", params: []jen.Code{ctx(), str("userID", "id", "name")}, results: errResult,
				doc: `RenamePasskey sets the name of the user's passkey: store.ErrNotFound when the user has no passkey with that ID (another user's included).`},
			{name: "DeletePasskey", params: []jen.Code{ctx(), str("userID", "id")}, results: errResult,
				doc: `DeletePasskey deletes the user's passkey: store.ErrNotFound when the user has no passkey with that ID (another user's included). DeleteUser must delete a user's passkeys too.`},
		}})
	}
	return groups
}

// customGenFile emits store_gen.go for a custom store: OpenStore and
// Migrate, which every database's store_gen.go declares and New calls, on
// the user's CustomStore (store.go). They are generated, never scaffolded,
// so that changing database in authgen.yaml replaces them instead of
// leaving a second OpenStore in the user's file.
func (g *gen) customGenFile() (File, error) {
	f := newFile(g.pkgPath, g.m.Package, true)
	storeT := jen.Op("*").Id("CustomStore")
	doc(f.Group, "OpenStore returns the store on the database at databaseURL (DATABASE_URL): your CustomStore, opened by OpenCustomStore in store.go.")
	f.Func().Id("OpenStore").Params(jen.Id("databaseURL").String()).Params(storeT, jen.Error()).Block(
		jen.Return(jen.Id("OpenCustomStore").Call(jen.Id("databaseURL"))),
	)
	f.Line()
	doc(f.Group, "Migrate creates what the store needs in its database, or brings it up to date, with CustomStore's Migrate in store.go. `authgen migrate` runs it, and New at start when AUTH_AUTO_MIGRATE=true.")
	f.Func().Id("Migrate").Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("st").Add(storeT)).Error().Block(
		jen.Return(jen.Id("st").Dot("Migrate").Call(jen.Id("ctx"))),
	)
	return g.goFile("store_gen.go", f, Generated)
}

// customStoreFile emits store.go, the scaffold of a store of the user's
// own: CustomStore with every method of store.Store returning
// errors.ErrUnsupported, which the conformance suite reports as "<Method>
// is not implemented".
func (g *gen) customStoreFile() (File, error) {
	f := newFile(g.pkgPath, g.m.Package, false)
	f.HeaderComment(ownership)

	doc(f.Group, "CustomStore keeps authgen's users, their provider accounts, database sessions and e-mail sign-in tokens in a database of your choice. Its methods are the interfaces of package github.com/authgen/authgen/runtime/store, and the comment on each says what it must do. They are called from many goroutines at once.\n\n"+
		"Where a comment asks for store.ErrNotFound or store.ErrConflict, return an error that wraps it, such as fmt.Errorf(\"user %s: %w\", id, store.ErrNotFound): authgen tells them apart with errors.Is. Any other error is an outage: sign-ins fail with an error page and session checks answer 503.\n\n"+
		"Times (EmailVerified, Expires, CreatedAt) must come back as the same instant to the millisecond at least, in any time zone. Strings must come back byte for byte, including emoji and access tokens of several kilobytes.\n\n"+
		"A method that still returns errors.ErrUnsupported is reported by the conformance test in store_test.go as \"<Method> is not implemented\": implement them until `go test ./"+g.m.Package+"/` passes.")
	f.Type().Id("CustomStore").Struct(
		jen.Comment("Your database handle goes here, such as db *sql.DB or a client."),
	)
	f.Line()
	f.Comment("CustomStore must be a store.Store: the build fails until every method exists")
	f.Comment("with the interface's signature.")
	f.Var().Id("_").Qual(pkgStore, "Store").Op("=").Parens(jen.Op("*").Id("CustomStore")).Parens(jen.Nil())
	f.Line()
	optional := optionalStoreGroups(g.m.TwoFactorOn(), g.passkeys)
	for _, grp := range optional {
		f.Comment(fmt.Sprintf("CustomStore must be a store.%s for %s.", grp.iface, grp.what))
		f.Var().Id("_").Qual(pkgStore, grp.iface).Op("=").Parens(jen.Op("*").Id("CustomStore")).Parens(jen.Nil())
		f.Line()
	}

	doc(f.Group, "OpenCustomStore opens the database at databaseURL and returns the store on it. The generated OpenStore (store_gen.go) calls it with DATABASE_URL when New starts the application, and store_test.go with TEST_DATABASE_URL: return an error for a URL you cannot use. Prefer connecting when the store is first used, so the application starts while the database is down and recovers when it returns.")
	f.Func().Id("OpenCustomStore").Params(jen.Id("databaseURL").String()).Params(jen.Op("*").Id("CustomStore"), jen.Error()).Block(
		jen.Comment("Open your database here, for example:"),
		jen.Comment(""),
		jen.Comment("\tdb, err := sql.Open(\"pgx\", databaseURL)"),
		jen.Comment("\tif err != nil {"),
		jen.Comment("\t\treturn nil, err"),
		jen.Comment("\t}"),
		jen.Comment("\treturn &CustomStore{db: db}, nil"),
		jen.Return(jen.Op("&").Id("CustomStore").Values(), jen.Nil()),
	)
	f.Line()

	doc(f.Group, "Migrate creates what the store needs in its database, or brings it up to date: tables, indexes and the unique keys the methods rely on (a user's e-mail address, a provider account, a session ID, a verification token's hash). The generated Migrate (store_gen.go) calls it: `authgen migrate` runs it against DATABASE_URL, and New at start when AUTH_AUTO_MIGRATE=true, so it must be safe to run again, and by several instances at once.")
	f.Func().Params(jen.Id("s").Op("*").Id("CustomStore")).Id("Migrate").Params(jen.Id("ctx").Qual("context", "Context")).Error().Block(
		jen.Comment("Nothing to create yet."),
		jen.Return(jen.Nil()),
	)
	f.Line()

	f.Comment("Close releases the database handle; Auth.Close calls it.")
	f.Func().Params(jen.Id("s").Op("*").Id("CustomStore")).Id("Close").Params().Error().Block(
		jen.Return(jen.Nil()),
	)

	for _, grp := range append(storeGroups(), optional...) {
		f.Line()
		f.Comment(fmt.Sprintf("store.%s: %s.", grp.iface, grp.what))
		for _, m := range grp.methods {
			f.Line()
			doc(f.Group, m.doc)
			unsupported := jen.Qual("fmt", "Errorf").Call(jen.Lit("%w: "+m.name), jen.Qual("errors", "ErrUnsupported"))
			f.Func().Params(jen.Id("s").Op("*").Id("CustomStore")).Id(m.name).Params(m.params...).Params(m.results...).Block(
				jen.Return(append(append([]jen.Code{}, m.zeros...), unsupported)...),
			)
		}
	}
	return g.goFile("store.go", f, Scaffold)
}

// customTestFile emits store_test.go, the scaffold that runs the
// conformance suite against CustomStore.
func (g *gen) customTestFile() (File, error) {
	f := newFile(g.pkgPath, g.m.Package, false)
	f.HeaderComment(ownership)

	open := func(t string) []jen.Code {
		return []jen.Code{
			jen.List(jen.Id("st"), jen.Err()).Op(":=").Id("OpenCustomStore").Call(jen.Qual("os", "Getenv").Call(jen.Lit("TEST_DATABASE_URL"))),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id(t).Dot("Fatalf").Call(jen.Lit("OpenCustomStore: %v"), jen.Err())),
			jen.Id(t).Dot("Cleanup").Call(jen.Func().Params().Block(
				jen.If(jen.Err().Op(":=").Id("st").Dot("Close").Call(), jen.Err().Op("!=").Nil()).Block(
					jen.Id(t).Dot("Errorf").Call(jen.Lit("Close: %v"), jen.Err()),
				),
			)),
			jen.If(jen.Err().Op(":=").Id("st").Dot("Migrate").Call(jen.Id(t).Dot("Context").Call()), jen.Err().Op("!=").Nil()).Block(
				jen.Id(t).Dot("Fatalf").Call(jen.Lit("Migrate: %v"), jen.Err()),
			),
		}
	}
	prefix := g.m.Prefix()

	doc(f.Group, "TestStore runs authgen's conformance suite (package storetest) against CustomStore: the contract of every method, e-mail and account uniqueness, the atomicity of CreateUserAndAccount under concurrent first sign-ins, and single use of verification tokens. Each method that still returns errors.ErrUnsupported fails once, as \"<Method> is not implemented\"; the checks that need it are skipped.\n\n"+
		"It opens the store with TEST_DATABASE_URL. Point that at a database used only by tests: the suite needs it empty at the start of every subtest.")
	body := append(append([]jen.Code{},
		docs("Every subtest calls this function and needs a store backed by an empty database: no users, accounts, sessions or verification tokens. Either open a fresh database or schema here and drop it in t.Cleanup, or delete every row before returning. Subtests run one after another, so one test database emptied here is enough.")...),
		open("t")...)
	body = append(body,
		jen.Comment("Empty the database here, for example:"),
		jen.Comment(""),
		jen.Comment(fmt.Sprintf("\tfor _, table := range []string{%q, %q, %q, %q} {", prefix+"sessions", prefix+"accounts", prefix+"users", prefix+"verification_tokens")),
		jen.Comment("\t\tif _, err := st.db.ExecContext(t.Context(), \"DELETE FROM \"+table); err != nil {"),
		jen.Comment("\t\t\tt.Fatal(err)"),
		jen.Comment("\t\t}"),
		jen.Comment("\t}"),
		jen.Return(jen.Id("st")),
	)
	tt := jen.Id("t").Op("*").Qual("testing", "T")
	f.Func().Id("TestStore").Params(tt).Block(
		jen.Qual(pkgStoreTest, "Run").Call(jen.Id("t"), jen.Func().Params(tt).Qual(pkgStore, "Store").Block(
			jen.Return(jen.Id("emptyStore").Call(jen.Id("t"))))),
	)
	f.Line()
	for _, grp := range optionalStoreGroups(g.m.TwoFactorOn(), g.passkeys) {
		run, iface := "RunTwoFactors", "TwoFactorStore"
		if grp.iface == "Passkeys" {
			run, iface = "RunPasskeys", "PasskeyStore"
		}
		doc(f.Group, "Test"+grp.iface+" runs the conformance suite of store."+grp.iface+" ("+grp.what+") against CustomStore. Each method that still returns errors.ErrUnsupported fails once, as \"<Method> is not implemented\", and the other checks wait until none is.")
		f.Func().Id("Test" + grp.iface).Params(tt).Block(
			jen.Qual(pkgStoreTest, run).Call(jen.Id("t"), jen.Func().Params(tt).Qual(pkgStoreTest, iface).Block(
				jen.Return(jen.Id("emptyStore").Call(jen.Id("t"))))),
		)
		f.Line()
	}
	doc(f.Group, "emptyStore opens the store for one subtest of the suites.")
	f.Func().Id("emptyStore").Params(tt).Op("*").Id("CustomStore").Block(body...)
	f.Line()

	doc(f.Group, "BenchmarkGetSessionAndUser measures GetSessionAndUser, which every request that reads a database session makes: go test -bench . ./"+g.m.Package+"/ (it leaves a user and a session in the test database).")
	f.Func().Id("BenchmarkGetSessionAndUser").Params(jen.Id("b").Op("*").Qual("testing", "B")).Block(append(open("b"),
		jen.Qual(pkgStoreTest, "Bench").Call(jen.Id("b"), jen.Id("st")),
	)...)
	return g.goFile("store_test.go", f, Scaffold)
}

// MissingStoreMethod is a method of an optional store interface that the
// manifest needs and the user's CustomStore (store.go, never rewritten)
// lacks.
type MissingStoreMethod struct {
	// Interface is the interface of package store ("Passkeys").
	Interface string
	// Signature is the method as the scaffold declares it:
	// "func (s *CustomStore) CreatePasskey(ctx context.Context, p store.Passkey) error".
	Signature string
	// Changed: store.go declares the method, but with another number of
	// parameters or results (an older contract, such as EnableTwoFactor
	// before it took the sealed secret).
	Changed bool
}

// signature is the method as CustomStore declares it, without its doc or
// body.
func (sm storeMethod) signature() string {
	return fmt.Sprintf("%#v", jen.Func().Params(jen.Id("s").Op("*").Id("CustomStore")).Id(sm.name).Params(sm.params...).Params(sm.results...))
}

// arity counts a function type's parameters and results, a field naming
// several (a, b string) once per name.
func arity(ft *ast.FuncType) [2]int {
	count := func(fl *ast.FieldList) int {
		if fl == nil {
			return 0
		}
		n := 0
		for _, f := range fl.List {
			n += max(len(f.Names), 1)
		}
		return n
	}
	return [2]int{count(ft.Params), count(ft.Results)}
}

// signatureArity is the arity of a method declared by sig, as
// CustomStoreMissing renders it; false if it does not parse (never, for
// the signatures of optionalStoreGroups: TestStoreSignaturesParse).
func signatureArity(sig string) ([2]int, bool) {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+sig+" {}", parser.SkipObjectResolution)
	if err != nil || len(f.Decls) != 1 {
		return [2]int{}, false
	}
	fn, ok := f.Decls[0].(*ast.FuncDecl)
	if !ok {
		return [2]int{}, false
	}
	return arity(fn.Type), true
}

// CustomStoreMissing returns the methods of the optional store interfaces
// spec's manifest needs (store.TwoFactors for twoFactor, store.Passkeys for
// passkeys) that src, the user's store.go of database custom, does not
// declare on CustomStore, or declares with another number of parameters
// or results (Changed); none for another database, or when src does not
// parse. authgen never rewrites store.go, so a feature turned on after it
// was written needs the user to add them: server.New refuses to start
// until CustomStore implements the interfaces.
func CustomStoreMissing(src []byte, spec Spec) []MissingStoreMethod {
	m := spec.Manifest
	if m == nil || m.Database != manifest.DBCustom {
		return nil
	}
	f, err := parser.ParseFile(token.NewFileSet(), "store.go", src, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	have := map[string][2]int{} // method: its parameter and result counts
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 {
			continue
		}
		recv := fn.Recv.List[0].Type
		if star, ok := recv.(*ast.StarExpr); ok {
			recv = star.X
		}
		if id, ok := recv.(*ast.Ident); ok && id.Name == "CustomStore" {
			have[fn.Name.Name] = arity(fn.Type)
		}
	}
	hasPasskey := m.HasPasskey()
	var out []MissingStoreMethod
	for _, grp := range optionalStoreGroups(m.TwoFactorOn(), hasPasskey) {
		for _, sm := range grp.methods {
			sig := sm.signature()
			got, declared := have[sm.name]
			if want, ok := signatureArity(sig); declared && (!ok || got == want) {
				continue
			}
			out = append(out, MissingStoreMethod{Interface: grp.iface, Signature: sig, Changed: declared})
		}
	}
	return out
}
