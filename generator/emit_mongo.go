package generator

import (
	"strings"

	"github.com/dave/jennifer/jen"
)

// Go packages of the MongoDB store.
const (
	pkgMongo        = "go.mongodb.org/mongo-driver/v2/mongo"
	pkgMongoBSON    = "go.mongodb.org/mongo-driver/v2/bson"
	pkgMongoOptions = "go.mongodb.org/mongo-driver/v2/mongo/options"
)

// mongoFile emits store_gen.go for MongoDB: MongoStore, a store.Store on
// mongo-driver v2, with OpenStore, Migrate and Close. It needs no
// multi-document transaction (FerretDB v1 and standalone servers have
// none): see docs/ARCHITECTURE.md, "MongoDB".
func (g *gen) mongoFile() (File, error) {
	f := newFile(g.pkgPath, g.m.Package, true)
	f.ImportNames(map[string]string{pkgStore: "store", pkgMongo: "mongo", pkgMongoBSON: "bson", pkgMongoOptions: "options"})
	e := &mongoEmitter{f: f, pkg: g.m.Package, prefix: g.m.Prefix()}
	for _, emit := range []func(){e.store, e.migrate, e.documents, e.errors, e.users, e.accounts, e.sessions, e.tokens} {
		emit()
	}
	return g.goFile("store_gen.go", f, Generated)
}

// mongoEmitter writes the declarations of the MongoDB store file. Its
// unexported Go names start with "mongo" so that they do not clash with
// the rest of the package (a Redis session store, the user's files).
type mongoEmitter struct {
	f *jen.File
	// pkg is the package name, which starts error messages.
	pkg string
	// prefix starts the collection names.
	prefix string
}

// The jennifer shorthands of the file.

func (e *mongoEmitter) errorf(format string, args ...jen.Code) *jen.Statement {
	return jen.Qual("fmt", "Errorf").Call(append([]jen.Code{jen.Lit(e.pkg + ": " + format)}, args...)...)
}

func (e *mongoEmitter) ifErr(body ...jen.Code) *jen.Statement {
	return jen.If(jen.Err().Op("!=").Nil()).Block(body...)
}

func (e *mongoEmitter) ctx() jen.Code { return jen.Id("ctx").Qual("context", "Context") }

// s is a field or method of the store.
func (e *mongoEmitter) s(name string) *jen.Statement { return jen.Id("s").Dot(name) }

// bsonM is a bson.M literal: a filter or an update.
func (e *mongoEmitter) bsonM(pairs ...jen.Code) *jen.Statement {
	return jen.Qual(pkgMongoBSON, "M").Values(pairs...)
}

// bsonD is an ascending index or sort on keys.
func (e *mongoEmitter) bsonD(keys ...string) *jen.Statement {
	var elems []jen.Code
	for _, k := range keys {
		elems = append(elems, jen.Values(kv("Key", jen.Lit(k)), kv("Value", jen.Lit(1))))
	}
	return jen.Qual(pkgMongoBSON, "D").Values(elems...)
}

// mongoErr and mongoNotFound call the generated functions.
func (e *mongoEmitter) mongoErr(op, err jen.Code) *jen.Statement {
	return jen.Id("mongoErr").Call(op, err)
}

func (e *mongoEmitter) mongoNotFound(op jen.Code) *jen.Statement {
	return jen.Id("mongoNotFound").Call(op)
}

// method declares a method of *MongoStore.
func (e *mongoEmitter) method(text, name string, params []jen.Code, results jen.Code, body ...jen.Code) {
	doc(e.f.Group, text)
	e.f.Func().Params(jen.Id("s").Op("*").Id("MongoStore")).Id(name).Params(params...).Add(results).Block(body...)
	e.f.Line()
}

// bullet formats a list item of a doc comment as gofmt does.
func (e *mongoEmitter) bullet(text string) []string {
	lines := strings.Split(wrap(text, 73), "\n")
	for i := range lines {
		if i == 0 {
			lines[i] = "  - " + lines[i]
		} else {
			lines[i] = "    " + lines[i]
		}
	}
	return lines
}

// store emits the constants, MongoStore, OpenStore, Close and Database.
func (e *mongoEmitter) store() {
	f, p := e.f, e.prefix
	f.Comment("CollectionPrefix starts the names of authgen's collections.")
	f.Const().Id("CollectionPrefix").Op("=").Lit(p)
	f.Line()
	f.Comment("DefaultDatabase is the database used when DATABASE_URL names none.")
	f.Const().Id("DefaultDatabase").Op("=").Lit("authgen")
	f.Line()

	var consts []jen.Code
	def := func(comment string, defs ...jen.Code) {
		consts = append(append(consts, docs(comment)...), defs...)
	}
	second := jen.Qual("time", "Second")
	def("mongoPendingAge is how long an account may lack its user: younger, it is a first sign-in between its two writes; older, what one that failed half-way left behind.",
		jen.Id("mongoPendingAge").Op("=").Qual("time", "Minute"))
	def("mongoPendingWait is how long GetUserByAccount waits for the user of a pending account, looking every mongoPendingPoll.",
		jen.Id("mongoPendingWait").Op("=").Add(second),
		jen.Id("mongoPendingPoll").Op("=").Lit(25).Op("*").Qual("time", "Millisecond"))
	def("mongoUndoTimeout bounds removing the account of a failed CreateUserAndAccount or LinkAccount, which goes on when the caller's context is done.",
		jen.Id("mongoUndoTimeout").Op("=").Lit(10).Op("*").Add(second))
	def("mongoCloseTimeout bounds how long Close waits for operations in progress.",
		jen.Id("mongoCloseTimeout").Op("=").Lit(10).Op("*").Add(second))
	def("mongoNamespaceExists is the server's error code for a collection that exists already.",
		jen.Id("mongoNamespaceExists").Op("=").Lit(48))
	f.Const().Defs(consts...)
	f.Line()

	doc(f.Group, "MongoStore keeps users, their accounts, sessions and verification tokens in MongoDB, or a server speaking its protocol such as FerretDB, in four collections:")
	f.Comment("")
	for _, item := range []string{
		p + "users: {_id, name, email, emailVerified, image}, empty fields left out; a sparse unique index on email keeps addresses unique and lets any number of users have none.",
		p + "accounts: one document per linked provider account, its _id the provider and the provider's account ID joined by a NUL byte, so that a provider account links to one user at most.",
		p + "sessions: {_id: the SHA-256 of the cookie's token, userId, expires}.",
		p + "verification_tokens: {_id: the token's hash, identifier, expires}.",
	} {
		for _, line := range e.bullet(item) {
			f.Comment(line)
		}
	}
	f.Comment("")
	doc(f.Group, "No method needs a multi-document transaction, which FerretDB v1 and standalone MongoDB servers do not have: CreateUserAndAccount inserts the account first and removes it again when the user cannot be inserted (see there). A MongoStore is safe for concurrent use.")
	f.Type().Id("MongoStore").Struct(
		jen.Id("client").Op("*").Qual(pkgMongo, "Client"),
		jen.Id("db").Op("*").Qual(pkgMongo, "Database"),
		jen.Id("users").Op("*").Qual(pkgMongo, "Collection"),
		jen.Id("accounts").Op("*").Qual(pkgMongo, "Collection"),
		jen.Id("sessions").Op("*").Qual(pkgMongo, "Collection"),
		jen.Id("tokens").Op("*").Qual(pkgMongo, "Collection"),
	)
	f.Line()
	f.Var().Id("_").Qual(pkgStore, "Store").Op("=").Parens(jen.Op("*").Id("MongoStore")).Parens(jen.Nil())
	f.Line()

	collection := func(name string) jen.Code {
		return jen.Id("db").Dot("Collection").Call(jen.Id("CollectionPrefix").Op("+").Lit(name))
	}
	doc(f.Group, "OpenStore returns the store on the database at databaseURL (DATABASE_URL: mongodb://host:port/database or mongodb+srv://…; without a database in the path, DefaultDatabase). The server is contacted when first used, so an application starts while it is down and recovers when it returns.")
	f.Func().Id("OpenStore").Params(jen.Id("databaseURL").String()).Params(jen.Op("*").Id("MongoStore"), jen.Error()).Block(
		jen.List(jen.Id("name"), jen.Err()).Op(":=").Id("mongoDatabaseName").Call(jen.Id("databaseURL")),
		e.ifErr(jen.Return(jen.Nil(), jen.Err())),
		jen.List(jen.Id("client"), jen.Err()).Op(":=").Qual(pkgMongo, "Connect").Call(jen.Qual(pkgMongoOptions, "Client").Call().Dot("ApplyURI").Call(jen.Id("databaseURL"))),
		e.ifErr(jen.Return(jen.Nil(), e.errorf("open database: %w", jen.Err()))),
		jen.Id("db").Op(":=").Id("client").Dot("Database").Call(jen.Id("name")),
		jen.Return(jen.Op("&").Id("MongoStore").Custom(block,
			kv("client", jen.Id("client")),
			kv("db", jen.Id("db")),
			kv("users", collection("users")),
			kv("accounts", collection("accounts")),
			kv("sessions", collection("sessions")),
			kv("tokens", collection("verification_tokens")),
		), jen.Nil()),
	)
	f.Line()

	doc(f.Group, "mongoDatabaseName returns the database a MongoDB connection string names in its path, or DefaultDatabase.")
	f.Func().Id("mongoDatabaseName").Params(jen.Id("databaseURL").String()).Params(jen.String(), jen.Error()).Block(
		jen.List(jen.Id("_"), jen.Id("rest"), jen.Id("_")).Op(":=").Qual("strings", "Cut").Call(jen.Id("databaseURL"), jen.Lit("://")),
		jen.List(jen.Id("_"), jen.Id("path"), jen.Id("_")).Op(":=").Qual("strings", "Cut").Call(jen.Id("rest"), jen.Lit("/")),
		jen.List(jen.Id("path"), jen.Id("_"), jen.Id("_")).Op("=").Qual("strings", "Cut").Call(jen.Id("path"), jen.Lit("?")),
		jen.List(jen.Id("name"), jen.Err()).Op(":=").Qual("net/url", "PathUnescape").Call(jen.Id("path")),
		e.ifErr(jen.Return(jen.Lit(""), e.errorf("the database in DATABASE_URL: %w", jen.Err()))),
		jen.If(jen.Id("name").Op("==").Lit("")).Block(jen.Return(jen.Id("DefaultDatabase"), jen.Nil())),
		jen.Return(jen.Id("name"), jen.Nil()),
	)
	f.Line()

	e.method("Close disconnects from the server, waiting at most 10 seconds for operations in progress.", "Close", nil, jen.Error(),
		jen.List(jen.Id("ctx"), jen.Id("cancel")).Op(":=").Qual("context", "WithTimeout").Call(jen.Qual("context", "Background").Call(), jen.Id("mongoCloseTimeout")),
		jen.Defer().Id("cancel").Call(),
		jen.If(jen.Err().Op(":=").Add(e.s("client")).Dot("Disconnect").Call(jen.Id("ctx")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(e.errorf("close database: %w", jen.Err())),
		),
		jen.Return(jen.Nil()),
	)
	e.method("Database returns the store's database, for the application's own collections and queries.", "Database", nil, jen.Op("*").Qual(pkgMongo, "Database"),
		jen.Return(e.s("db")),
	)
}

// migrate emits Migrate.
func (e *mongoEmitter) migrate() {
	f := e.f
	index := func(comment, coll string, unique bool, name string, keys ...string) jen.Code {
		opts := jen.Qual(pkgMongoOptions, "Index").Call().Dot("SetName").Call(jen.Lit(name))
		if unique {
			opts = opts.Dot("SetUnique").Call(jen.True()).Dot("SetSparse").Call(jen.True())
		}
		return jen.Comment(comment).Line().Values(jen.Id("st").Dot(coll), jen.Qual(pkgMongo, "IndexModel").Custom(block,
			kv("Keys", e.bsonD(keys...)),
			kv("Options", opts),
		))
	}
	se := jen.Id("se")
	doc(f.Group, "Migrate creates the collections and indexes the store's database lacks. It changes nothing that exists, so it is safe at every start and from several instances at once. There is no TTL index (FerretDB v1 has none): expired sessions are deleted by DeleteExpiredSessions, which sign-ins run hourly.")
	f.Func().Id("Migrate").Params(e.ctx(), jen.Id("st").Op("*").Id("MongoStore")).Error().Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("c")).Op(":=").Range().Index().Op("*").Qual(pkgMongo, "Collection").Values(
			jen.Id("st").Dot("users"), jen.Id("st").Dot("accounts"), jen.Id("st").Dot("sessions"), jen.Id("st").Dot("tokens"),
		)).Block(
			jen.Var().Add(se).Qual(pkgMongo, "ServerError"),
			jen.If(
				jen.Err().Op(":=").Id("st").Dot("db").Dot("CreateCollection").Call(jen.Id("ctx"), jen.Id("c").Dot("Name").Call()),
				jen.Err().Op("!=").Nil().Op("&&").Op("!").Parens(
					jen.Qual("errors", "As").Call(jen.Err(), jen.Op("&").Add(se)).Op("&&").Add(se).Dot("HasErrorCode").Call(jen.Id("mongoNamespaceExists")),
				),
			).Block(
				jen.Return(e.errorf("migrate: create %s: %w", jen.Id("c").Dot("Name").Call(), jen.Err())),
			),
		),
		jen.Id("indexes").Op(":=").Index().Struct(
			jen.Id("c").Op("*").Qual(pkgMongo, "Collection"),
			jen.Id("model").Qual(pkgMongo, "IndexModel"),
		).Custom(block,
			index("Unique e-mail addresses; the sparse index skips users without one.", "users", true, "email", "email"),
			index("ListAccounts, in order, and DeleteUser.", "accounts", false, "userId", "userId", "provider", "providerAccountId"),
			index("DeleteUser.", "sessions", false, "userId", "userId"),
			index("DeleteExpiredSessions.", "sessions", false, "expires", "expires"),
		),
		jen.For(jen.List(jen.Id("_"), jen.Id("ix")).Op(":=").Range().Id("indexes")).Block(
			jen.If(
				jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("ix").Dot("c").Dot("Indexes").Call().Dot("CreateOne").Call(jen.Id("ctx"), jen.Id("ix").Dot("model")),
				jen.Err().Op("!=").Nil(),
			).Block(
				jen.Return(e.errorf("migrate: index of %s: %w", jen.Id("ix").Dot("c").Dot("Name").Call(), jen.Err())),
			),
		),
		jen.Return(jen.Nil()),
	)
	f.Line()
}

// documents emits the stored forms of users, accounts, sessions and
// tokens, and their conversions.
func (e *mongoEmitter) documents() {
	f := e.f
	tag := func(name string) map[string]string { return map[string]string{"bson": name} }
	timeT := jen.Qual("time", "Time")

	doc(f.Group, "mongoUser is a user as stored. Empty fields are left out: a user without an e-mail address has no email field, so the sparse unique index skips it.")
	f.Type().Id("mongoUser").Struct(
		jen.Id("ID").String().Tag(tag("_id")),
		jen.Id("Name").String().Tag(tag("name,omitempty")),
		jen.Id("Email").String().Tag(tag("email,omitempty")),
		jen.Id("EmailVerified").Op("*").Qual("time", "Time").Tag(tag("emailVerified,omitempty")),
		jen.Id("Image").String().Tag(tag("image,omitempty")),
	)
	f.Line()
	f.Comment("newMongoUser returns u as stored.")
	f.Func().Id("newMongoUser").Params(jen.Id("u").Qual(pkgStore, "User")).Id("mongoUser").Block(
		jen.Id("d").Op(":=").Id("mongoUser").Values(
			kv("ID", jen.Id("u").Dot("ID")), kv("Name", jen.Id("u").Dot("Name")), kv("Email", jen.Id("u").Dot("Email")), kv("Image", jen.Id("u").Dot("Image")),
		),
		jen.If(jen.Id("u").Dot("EmailVerified").Op("!=").Nil()).Block(
			jen.Comment("BSON keeps milliseconds."),
			jen.Id("t").Op(":=").Id("u").Dot("EmailVerified").Dot("UTC").Call().Dot("Truncate").Call(jen.Qual("time", "Millisecond")),
			jen.Id("d").Dot("EmailVerified").Op("=").Op("&").Id("t"),
		),
		jen.Return(jen.Id("d")),
	)
	f.Line()
	f.Comment("user returns the stored user.")
	f.Func().Params(jen.Id("d").Op("*").Id("mongoUser")).Id("user").Params().Op("*").Qual(pkgStore, "User").Block(
		jen.Return(jen.Op("&").Qual(pkgStore, "User").Values(
			kv("ID", jen.Id("d").Dot("ID")), kv("Name", jen.Id("d").Dot("Name")), kv("Email", jen.Id("d").Dot("Email")),
			kv("EmailVerified", jen.Id("d").Dot("EmailVerified")), kv("Image", jen.Id("d").Dot("Image")),
		)),
	)
	f.Line()

	doc(f.Group, "mongoAccount is a linked provider account as stored; its _id is mongoAccountKey.")
	f.Type().Id("mongoAccount").Struct(
		jen.Id("ID").String().Tag(tag("_id")),
		jen.Id("UserID").String().Tag(tag("userId")),
		jen.Id("Type").String().Tag(tag("type")),
		jen.Id("Provider").String().Tag(tag("provider")),
		jen.Id("ProviderAccountID").String().Tag(tag("providerAccountId")),
		jen.Id("Tokens").Id("mongoTokens").Tag(tag(",inline")),
		jen.Comment("Linked is when the account was inserted, by the application's clock."),
		jen.Id("Linked").Add(timeT).Tag(tag("linked")),
	)
	f.Line()

	tokenFields := []struct{ name, bson string }{
		{"RefreshToken", "refresh_token"}, {"AccessToken", "access_token"}, {"ExpiresAt", "expires_at"}, {"TokenType", "token_type"},
		{"Scope", "scope"}, {"IDToken", "id_token"}, {"SessionState", "session_state"}, {"TokenSecret", "oauth_token_secret"},
	}
	doc(f.Group, "mongoTokens are the fields UpdateAccount replaces, named as in Auth.js's schema.")
	f.Type().Id("mongoTokens").StructFunc(func(g *jen.Group) {
		for _, t := range tokenFields {
			typ := jen.String()
			if t.name == "ExpiresAt" {
				typ = jen.Int64()
			}
			g.Id(t.name).Add(typ).Tag(tag(t.bson))
		}
	})
	f.Line()

	doc(f.Group, "mongoAccountKey is the _id of a provider account. Provider IDs have no NUL byte, so no two accounts share one.")
	f.Func().Id("mongoAccountKey").Params(jen.List(jen.Id("provider"), jen.Id("providerAccountID")).String()).String().Block(
		jen.Return(jen.Id("provider").Op("+").Lit("\x00").Op("+").Id("providerAccountID")),
	)
	f.Line()
	a := func(field string) jen.Code { return jen.Id("a").Dot(field) }
	d := func(field string) jen.Code { return jen.Id("d").Dot(field) }
	f.Comment("newMongoAccount returns a as stored, linked at the time given.")
	f.Func().Id("newMongoAccount").Params(jen.Id("a").Qual(pkgStore, "Account"), jen.Id("linked").Add(timeT)).Id("mongoAccount").Block(
		jen.Return(jen.Id("mongoAccount").Custom(block,
			kv("ID", jen.Id("mongoAccountKey").Call(a("Provider"), a("ProviderAccountID"))),
			kv("UserID", a("UserID")),
			kv("Type", a("Type")),
			kv("Provider", a("Provider")),
			kv("ProviderAccountID", a("ProviderAccountID")),
			kv("Tokens", jen.Id("mongoTokensOf").Call(jen.Id("a"))),
			kv("Linked", jen.Id("linked")),
		)),
	)
	f.Line()
	var toTokens, fromTokens []jen.Code
	for _, t := range tokenFields {
		toTokens = append(toTokens, kv(t.name, a(t.name)))
		fromTokens = append(fromTokens, kv(t.name, jen.Id("t").Dot(t.name)))
	}
	f.Comment("mongoTokensOf returns the token fields of a as stored.")
	f.Func().Id("mongoTokensOf").Params(jen.Id("a").Qual(pkgStore, "Account")).Id("mongoTokens").Block(
		jen.Return(jen.Id("mongoTokens").Custom(block, toTokens...)),
	)
	f.Line()
	f.Comment("account returns the stored account.")
	f.Func().Params(jen.Id("d").Op("*").Id("mongoAccount")).Id("account").Params().Qual(pkgStore, "Account").Block(
		jen.Id("t").Op(":=").Id("d").Dot("Tokens"),
		jen.Return(jen.Qual(pkgStore, "Account").Custom(block, append([]jen.Code{
			kv("UserID", d("UserID")),
			kv("Type", d("Type")),
			kv("Provider", d("Provider")),
			kv("ProviderAccountID", d("ProviderAccountID")),
		}, fromTokens...)...)),
	)
	f.Line()

	f.Comment("mongoSession is a session as stored; its _id is the session's ID.")
	f.Type().Id("mongoSession").Struct(
		jen.Id("ID").String().Tag(tag("_id")),
		jen.Id("UserID").String().Tag(tag("userId")),
		jen.Id("Expires").Add(timeT).Tag(tag("expires")),
	)
	f.Line()
	f.Comment("mongoToken is a verification token as stored; its _id is the token's hash.")
	f.Type().Id("mongoToken").Struct(
		jen.Id("TokenHash").String().Tag(tag("_id")),
		jen.Id("Identifier").String().Tag(tag("identifier")),
		jen.Id("Expires").Add(timeT).Tag(tag("expires")),
	)
	f.Line()
}

// errors emits the error helpers.
func (e *mongoEmitter) errors() {
	f := e.f
	op, err := jen.Id("op"), jen.Err()
	doc(f.Group, "mongoErr prefixes err from op, making a duplicate key store.ErrConflict and a missing document store.ErrNotFound.")
	f.Func().Id("mongoErr").Params(jen.Id("op").String(), jen.Err().Error()).Error().Block(
		jen.Switch().Block(
			jen.Case(jen.Qual(pkgMongo, "IsDuplicateKeyError").Call(err)).Block(jen.Return(jen.Id("mongoConflict").Call(op, err))),
			jen.Case(jen.Qual("errors", "Is").Call(err, jen.Qual(pkgMongo, "ErrNoDocuments"))).Block(jen.Return(e.mongoNotFound(op))),
		),
		jen.Return(e.errorf("%s: %w", op, err)),
	)
	f.Line()
	f.Comment("mongoConflict prefixes err from op as store.ErrConflict.")
	f.Func().Id("mongoConflict").Params(jen.Id("op").String(), jen.Err().Error()).Error().Block(
		jen.Return(e.errorf("%s: %w: %w", op, jen.Qual(pkgStore, "ErrConflict"), err)),
	)
	f.Line()
	f.Comment("mongoNotFound is store.ErrNotFound from op.")
	f.Func().Id("mongoNotFound").Params(jen.Id("op").String()).Error().Block(
		jen.Return(e.errorf("%s: %w", op, jen.Qual(pkgStore, "ErrNotFound"))),
	)
	f.Line()
}

// users emits the user methods of store.Users.
func (e *mongoEmitter) users() {
	u, id, d := jen.Id("u"), jen.Id("id"), jen.Id("d")
	user := jen.Op("*").Qual(pkgStore, "User")
	userResult := jen.Params(user, jen.Error())
	findDoc := func(coll string, filter jen.Code, into jen.Code, fail ...jen.Code) jen.Code {
		return jen.If(jen.Err().Op(":=").Add(e.s(coll)).Dot("FindOne").Call(jen.Id("ctx"), filter).Dot("Decode").Call(jen.Op("&").Add(into)), jen.Err().Op("!=").Nil()).Block(fail...)
	}

	e.method("CreateUser implements store.Users.", "CreateUser", []jen.Code{e.ctx(), jen.Id("u").Qual(pkgStore, "User")}, userResult,
		jen.If(u.Clone().Dot("ID").Op("==").Lit("")).Block(u.Clone().Dot("ID").Op("=").Qual(pkgStore, "NewID").Call()),
		d.Clone().Op(":=").Id("newMongoUser").Call(u),
		jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(e.s("users")).Dot("InsertOne").Call(jen.Id("ctx"), d), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), e.mongoErr(jen.Lit("create user"), jen.Err())),
		),
		jen.Return(d.Clone().Dot("user").Call(), jen.Nil()),
	)
	e.method("GetUser implements store.Users.", "GetUser", []jen.Code{e.ctx(), jen.Id("id").String()}, userResult,
		jen.Return(e.s("findUser").Call(jen.Id("ctx"), jen.Lit("get user"), id)),
	)
	e.method("findUser returns the user with the ID.", "findUser", []jen.Code{e.ctx(), jen.List(jen.Id("op"), jen.Id("id")).String()}, userResult,
		jen.Var().Id("d").Id("mongoUser"),
		findDoc("users", e.bsonM(kvLit("_id", id)), d, jen.Return(jen.Nil(), e.mongoErr(jen.Id("op"), jen.Err()))),
		jen.Return(d.Clone().Dot("user").Call(), jen.Nil()),
	)
	e.method("GetUserByEmail implements store.Users.", "GetUserByEmail", []jen.Code{e.ctx(), jen.Id("email").String()}, userResult,
		jen.Const().Id("op").Op("=").Lit("get user by e-mail"),
		jen.If(jen.Id("email").Op("==").Lit("")).Block(jen.Return(jen.Nil(), e.mongoNotFound(jen.Id("op")))),
		jen.Var().Id("d").Id("mongoUser"),
		findDoc("users", e.bsonM(kvLit("email", jen.Id("email"))), d, jen.Return(jen.Nil(), e.mongoErr(jen.Id("op"), jen.Err()))),
		jen.Return(d.Clone().Dot("user").Call(), jen.Nil()),
	)

	key := jen.Id("mongoAccountKey").Call(jen.Id("provider"), jen.Id("providerAccountID"))
	e.method("GetUserByAccount implements store.Users. An account whose user does not exist is ErrNotFound: while younger than mongoPendingAge it is a first sign-in between its two writes, and its user is waited for up to mongoPendingWait; older, a sign-in that failed half-way left it, and it is removed so that the provider account can sign in again.",
		"GetUserByAccount", []jen.Code{e.ctx(), jen.List(jen.Id("provider"), jen.Id("providerAccountID")).String()}, userResult,
		jen.Const().Id("op").Op("=").Lit("get user by account"),
		jen.Id("deadline").Op(":=").Qual("time", "Now").Call().Dot("Add").Call(jen.Id("mongoPendingWait")),
		jen.For().Block(
			jen.Var().Id("a").Id("mongoAccount"),
			findDoc("accounts", e.bsonM(kvLit("_id", key)), jen.Id("a"), jen.Return(jen.Nil(), e.mongoErr(jen.Id("op"), jen.Err()))),
			jen.List(u, jen.Err()).Op(":=").Add(e.s("findUser")).Call(jen.Id("ctx"), jen.Id("op"), jen.Id("a").Dot("UserID")),
			jen.If(jen.Op("!").Qual("errors", "Is").Call(jen.Err(), jen.Qual(pkgStore, "ErrNotFound"))).Block(jen.Return(u, jen.Err())),
			jen.If(jen.Qual("time", "Since").Call(jen.Id("a").Dot("Linked")).Op(">").Id("mongoPendingAge")).Block(
				jen.If(
					jen.List(jen.Id("_"), jen.Id("derr")).Op(":=").Add(e.s("accounts")).Dot("DeleteOne").Call(jen.Id("ctx"), e.bsonM(kvLit("_id", jen.Id("a").Dot("ID")), kvLit("userId", jen.Id("a").Dot("UserID")))),
					jen.Id("derr").Op("!=").Nil(),
				).Block(jen.Return(jen.Nil(), e.mongoErr(jen.Id("op"), jen.Id("derr")))),
				jen.Return(jen.Nil(), jen.Err()),
			),
			jen.If(jen.Qual("time", "Now").Call().Dot("After").Call(jen.Id("deadline"))).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Select().Block(
				jen.Case(jen.Op("<-").Id("ctx").Dot("Done").Call()).Block(jen.Return(jen.Nil(), e.mongoErr(jen.Id("op"), jen.Id("ctx").Dot("Err").Call()))),
				jen.Case(jen.Op("<-").Qual("time", "After").Call(jen.Id("mongoPendingPoll"))),
			),
		),
	)

	e.method("UpdateUser implements store.Users, replacing the user's document.", "UpdateUser", []jen.Code{e.ctx(), jen.Id("u").Qual(pkgStore, "User")}, userResult,
		jen.Const().Id("op").Op("=").Lit("update user"),
		d.Clone().Op(":=").Id("newMongoUser").Call(u),
		jen.List(jen.Id("res"), jen.Err()).Op(":=").Add(e.s("users")).Dot("ReplaceOne").Call(jen.Id("ctx"), e.bsonM(kvLit("_id", u.Clone().Dot("ID"))), d),
		jen.If(jen.Err().Op("!=").Nil().Op("&&").Add(d.Clone().Dot("Email")).Op("!=").Lit("").Op("&&").Op("!").Qual(pkgMongo, "IsDuplicateKeyError").Call(jen.Err())).Block(
			jen.Comment("FerretDB v1 reports an update that breaks a unique index as an"),
			jen.Comment("internal error: it is a conflict when another user has the"),
			jen.Comment("address."),
			jen.If(
				jen.List(jen.Id("owner"), jen.Id("oerr")).Op(":=").Add(e.s("GetUserByEmail")).Call(jen.Id("ctx"), d.Clone().Dot("Email")),
				jen.Id("oerr").Op("==").Nil().Op("&&").Id("owner").Dot("ID").Op("!=").Add(d.Clone().Dot("ID")),
			).Block(jen.Return(jen.Nil(), jen.Id("mongoConflict").Call(jen.Id("op"), jen.Err()))),
		),
		e.ifErr(jen.Return(jen.Nil(), e.mongoErr(jen.Id("op"), jen.Err()))),
		jen.If(jen.Id("res").Dot("MatchedCount").Op("==").Lit(0)).Block(jen.Return(jen.Nil(), e.mongoNotFound(jen.Id("op")))),
		jen.Return(d.Clone().Dot("user").Call(), jen.Nil()),
	)

	e.method("DeleteUser implements store.Users. The user goes first, then their accounts and sessions — also when the user is gone already, so that repeating a DeleteUser that failed half-way finishes it.",
		"DeleteUser", []jen.Code{e.ctx(), jen.Id("id").String()}, jen.Error(),
		jen.Const().Id("op").Op("=").Lit("delete user"),
		jen.List(jen.Id("res"), jen.Err()).Op(":=").Add(e.s("users")).Dot("DeleteOne").Call(jen.Id("ctx"), e.bsonM(kvLit("_id", id))),
		e.ifErr(jen.Return(e.mongoErr(jen.Id("op"), jen.Err()))),
		jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(e.s("accounts")).Dot("DeleteMany").Call(jen.Id("ctx"), e.bsonM(kvLit("userId", id))), jen.Err().Op("!=").Nil()).Block(
			jen.Return(e.mongoErr(jen.Id("op"), jen.Err())),
		),
		jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(e.s("sessions")).Dot("DeleteMany").Call(jen.Id("ctx"), e.bsonM(kvLit("userId", id))), jen.Err().Op("!=").Nil()).Block(
			jen.Return(e.mongoErr(jen.Id("op"), jen.Err())),
		),
		jen.If(jen.Id("res").Dot("DeletedCount").Op("==").Lit(0)).Block(jen.Return(e.mongoNotFound(jen.Id("op")))),
		jen.Return(jen.Nil()),
	)
}

// accounts emits the account methods of store.Users.
func (e *mongoEmitter) accounts() {
	a, acc := jen.Id("a"), jen.Id("acc")
	ctx := jen.Id("ctx")
	insertAccount := func(fail jen.Code) jen.Code {
		return jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(e.s("accounts")).Dot("InsertOne").Call(ctx, acc), jen.Err().Op("!=").Nil()).Block(fail)
	}
	newAccount := acc.Clone().Op(":=").Id("newMongoAccount").Call(a, jen.Qual("time", "Now").Call())

	e.method("CreateUserAndAccount implements store.Users without a transaction. The account is inserted first: its _id claims the provider account, so of concurrent first sign-ins exactly one gets past it, and the others are ErrConflict having written nothing. Then the user is inserted; when that fails (an e-mail address taken is ErrConflict) the account is removed again. Meanwhile GetUserByAccount waits for the user.",
		"CreateUserAndAccount", []jen.Code{e.ctx(), jen.Id("u").Qual(pkgStore, "User"), jen.Id("a").Qual(pkgStore, "Account")}, jen.Params(jen.Op("*").Qual(pkgStore, "User"), jen.Error()),
		jen.Const().Id("op").Op("=").Lit("create user and account"),
		jen.If(jen.Id("u").Dot("ID").Op("==").Lit("")).Block(jen.Id("u").Dot("ID").Op("=").Qual(pkgStore, "NewID").Call()),
		a.Clone().Dot("UserID").Op("=").Id("u").Dot("ID"),
		newAccount,
		insertAccount(jen.Return(jen.Nil(), e.mongoErr(jen.Id("op"), jen.Err()))),
		jen.Id("d").Op(":=").Id("newMongoUser").Call(jen.Id("u")),
		jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(e.s("users")).Dot("InsertOne").Call(ctx, jen.Id("d")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual("errors", "Join").Call(e.mongoErr(jen.Id("op"), jen.Err()), e.s("undoLink").Call(ctx, acc))),
		),
		jen.Return(jen.Id("d").Dot("user").Call(), jen.Nil()),
	)
	e.method("undoLink removes an account inserted by a CreateUserAndAccount or LinkAccount that failed, also when ctx is done.",
		"undoLink", []jen.Code{e.ctx(), jen.Id("a").Id("mongoAccount")}, jen.Error(),
		jen.List(ctx, jen.Id("cancel")).Op(":=").Qual("context", "WithTimeout").Call(jen.Qual("context", "WithoutCancel").Call(ctx), jen.Id("mongoUndoTimeout")),
		jen.Defer().Id("cancel").Call(),
		jen.If(
			jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(e.s("accounts")).Dot("DeleteOne").Call(ctx, e.bsonM(kvLit("_id", a.Clone().Dot("ID")), kvLit("userId", a.Clone().Dot("UserID")))),
			jen.Err().Op("!=").Nil(),
		).Block(
			jen.Return(e.errorf("remove the %s account %s again: %w", a.Clone().Dot("Provider"), a.Clone().Dot("ProviderAccountID"), jen.Err())),
		),
		jen.Return(jen.Nil()),
	)
	e.method("LinkAccount implements store.Users. The account is inserted before the user is looked up, and removed again when there is none: a DeleteUser running meanwhile deletes the user before their accounts, so either the lookup misses the user or DeleteUser deletes the account.",
		"LinkAccount", []jen.Code{e.ctx(), jen.Id("a").Qual(pkgStore, "Account")}, jen.Error(),
		jen.Const().Id("op").Op("=").Lit("link account"),
		newAccount,
		insertAccount(jen.Return(e.mongoErr(jen.Id("op"), jen.Err()))),
		jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(e.s("findUser")).Call(ctx, jen.Id("op"), a.Clone().Dot("UserID")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Qual("errors", "Join").Call(jen.Err(), e.s("undoLink").Call(ctx, acc))),
		),
		jen.Return(jen.Nil()),
	)

	key := e.bsonM(kvLit("_id", jen.Id("mongoAccountKey").Call(jen.Id("provider"), jen.Id("providerAccountID"))))
	e.method("UnlinkAccount implements store.Users.", "UnlinkAccount", []jen.Code{e.ctx(), jen.List(jen.Id("provider"), jen.Id("providerAccountID")).String()}, jen.Error(),
		e.counted("unlink account", "DeletedCount", e.s("accounts").Dot("DeleteOne").Call(ctx, key))...,
	)
	e.method("UpdateAccount implements store.Users.", "UpdateAccount", []jen.Code{e.ctx(), jen.Id("a").Qual(pkgStore, "Account")}, jen.Error(),
		e.counted("update account", "MatchedCount", e.s("accounts").Dot("UpdateOne").Call(ctx,
			e.bsonM(kvLit("_id", jen.Id("mongoAccountKey").Call(a.Clone().Dot("Provider"), a.Clone().Dot("ProviderAccountID")))),
			e.bsonM(kvLit("$set", jen.Id("mongoTokensOf").Call(a))),
		))...,
	)
	e.method("ListAccounts implements store.Users.", "ListAccounts", []jen.Code{e.ctx(), jen.Id("userID").String()}, jen.Params(jen.Index().Qual(pkgStore, "Account"), jen.Error()),
		jen.Const().Id("op").Op("=").Lit("list accounts"),
		jen.List(jen.Id("cur"), jen.Err()).Op(":=").Add(e.s("accounts")).Dot("Find").Call(ctx, e.bsonM(kvLit("userId", jen.Id("userID"))),
			jen.Line().Qual(pkgMongoOptions, "Find").Call().Dot("SetSort").Call(e.bsonD("provider", "providerAccountId"))),
		e.ifErr(jen.Return(jen.Nil(), e.mongoErr(jen.Id("op"), jen.Err()))),
		jen.Var().Id("docs").Index().Id("mongoAccount"),
		jen.If(jen.Err().Op(":=").Id("cur").Dot("All").Call(ctx, jen.Op("&").Id("docs")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), e.mongoErr(jen.Id("op"), jen.Err())),
		),
		jen.Id("out").Op(":=").Make(jen.Index().Qual(pkgStore, "Account"), jen.Len(jen.Id("docs"))),
		jen.For(jen.Id("i").Op(":=").Range().Id("docs")).Block(
			jen.Id("out").Index(jen.Id("i")).Op("=").Id("docs").Index(jen.Id("i")).Dot("account").Call(),
		),
		jen.Return(jen.Id("out"), jen.Nil()),
	)
}

// counted is the body of a method whose one write must change a document
// (count is the result's field saying how many), else ErrNotFound.
func (e *mongoEmitter) counted(op, count string, write jen.Code) []jen.Code {
	return []jen.Code{
		jen.List(jen.Id("res"), jen.Err()).Op(":=").Add(write),
		e.ifErr(jen.Return(e.mongoErr(jen.Lit(op), jen.Err()))),
		jen.If(jen.Id("res").Dot(count).Op("==").Lit(0)).Block(jen.Return(e.mongoNotFound(jen.Lit(op)))),
		jen.Return(jen.Nil()),
	}
}

// sessions emits the methods of store.Sessions.
func (e *mongoEmitter) sessions() {
	ctx, id := jen.Id("ctx"), jen.Id("id")
	e.method("CreateSession implements store.Sessions.", "CreateSession", []jen.Code{e.ctx(), jen.Id("se").Qual(pkgStore, "Session")}, jen.Error(),
		jen.If(
			jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(e.s("sessions")).Dot("InsertOne").Call(ctx, jen.Id("mongoSession").Values(
				kv("ID", jen.Id("se").Dot("ID")), kv("UserID", jen.Id("se").Dot("UserID")), kv("Expires", jen.Id("se").Dot("Expires")),
			)),
			jen.Err().Op("!=").Nil(),
		).Block(jen.Return(e.mongoErr(jen.Lit("create session"), jen.Err()))),
		jen.Return(jen.Nil()),
	)
	e.method("GetSessionAndUser implements store.Sessions in two reads by _id (FerretDB v1 has no $lookup to join them).",
		"GetSessionAndUser", []jen.Code{e.ctx(), jen.Id("id").String(), jen.Id("now").Qual("time", "Time")},
		jen.Params(jen.Op("*").Qual(pkgStore, "Session"), jen.Op("*").Qual(pkgStore, "User"), jen.Error()),
		jen.Const().Id("op").Op("=").Lit("get session"),
		jen.Var().Id("d").Id("mongoSession"),
		jen.If(
			jen.Err().Op(":=").Add(e.s("sessions")).Dot("FindOne").Call(ctx, e.bsonM(kvLit("_id", id), kvLit("expires", e.bsonM(kvLit("$gt", jen.Id("now")))))).Dot("Decode").Call(jen.Op("&").Id("d")),
			jen.Err().Op("!=").Nil(),
		).Block(jen.Return(jen.Nil(), jen.Nil(), e.mongoErr(jen.Id("op"), jen.Err()))),
		jen.List(jen.Id("u"), jen.Err()).Op(":=").Add(e.s("findUser")).Call(ctx, jen.Id("op"), jen.Id("d").Dot("UserID")),
		e.ifErr(jen.Return(jen.Nil(), jen.Nil(), jen.Err())),
		jen.Return(jen.Op("&").Qual(pkgStore, "Session").Values(
			kv("ID", jen.Id("d").Dot("ID")), kv("UserID", jen.Id("d").Dot("UserID")), kv("Expires", jen.Id("d").Dot("Expires")),
		), jen.Id("u"), jen.Nil()),
	)
	e.method("UpdateSession implements store.Sessions.", "UpdateSession", []jen.Code{e.ctx(), jen.Id("id").String(), jen.Id("expires").Qual("time", "Time")}, jen.Error(),
		e.counted("update session", "MatchedCount", e.s("sessions").Dot("UpdateOne").Call(ctx, e.bsonM(kvLit("_id", id)), e.bsonM(kvLit("$set", e.bsonM(kvLit("expires", jen.Id("expires")))))))...,
	)
	e.method("DeleteSession implements store.Sessions.", "DeleteSession", []jen.Code{e.ctx(), jen.Id("id").String()}, jen.Error(),
		e.counted("delete session", "DeletedCount", e.s("sessions").Dot("DeleteOne").Call(ctx, e.bsonM(kvLit("_id", id))))...,
	)
	e.method("DeleteExpiredSessions implements store.Sessions.", "DeleteExpiredSessions", []jen.Code{e.ctx(), jen.Id("now").Qual("time", "Time")}, jen.Params(jen.Int64(), jen.Error()),
		jen.List(jen.Id("res"), jen.Err()).Op(":=").Add(e.s("sessions")).Dot("DeleteMany").Call(ctx, e.bsonM(kvLit("expires", e.bsonM(kvLit("$lte", jen.Id("now")))))),
		e.ifErr(jen.Return(jen.Lit(0), e.mongoErr(jen.Lit("delete expired sessions"), jen.Err()))),
		jen.Return(jen.Id("res").Dot("DeletedCount"), jen.Nil()),
	)
}

// tokens emits the methods of store.VerificationTokens.
func (e *mongoEmitter) tokens() {
	ctx := jen.Id("ctx")
	e.method("CreateVerificationToken implements store.VerificationTokens.", "CreateVerificationToken", []jen.Code{e.ctx(), jen.Id("t").Qual(pkgStore, "VerificationToken")}, jen.Error(),
		jen.If(
			jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(e.s("tokens")).Dot("InsertOne").Call(ctx, jen.Id("mongoToken").Values(
				kv("TokenHash", jen.Id("t").Dot("TokenHash")), kv("Identifier", jen.Id("t").Dot("Identifier")), kv("Expires", jen.Id("t").Dot("Expires")),
			)),
			jen.Err().Op("!=").Nil(),
		).Block(jen.Return(e.mongoErr(jen.Lit("create verification token"), jen.Err()))),
		jen.Return(jen.Nil()),
	)
	e.method("UseVerificationToken implements store.VerificationTokens. The token is read, then deleted, and only the caller whose delete removed it gets it: of concurrent uses exactly one succeeds (FerretDB v1's find-and-delete is not atomic).",
		"UseVerificationToken", []jen.Code{e.ctx(), jen.List(jen.Id("identifier"), jen.Id("tokenHash")).String()}, jen.Params(jen.Op("*").Qual(pkgStore, "VerificationToken"), jen.Error()),
		jen.Const().Id("op").Op("=").Lit("use verification token"),
		jen.Id("filter").Op(":=").Add(e.bsonM(kvLit("_id", jen.Id("tokenHash")), kvLit("identifier", jen.Id("identifier")))),
		jen.Var().Id("d").Id("mongoToken"),
		jen.If(jen.Err().Op(":=").Add(e.s("tokens")).Dot("FindOne").Call(ctx, jen.Id("filter")).Dot("Decode").Call(jen.Op("&").Id("d")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), e.mongoErr(jen.Id("op"), jen.Err())),
		),
		jen.List(jen.Id("res"), jen.Err()).Op(":=").Add(e.s("tokens")).Dot("DeleteOne").Call(ctx, jen.Id("filter")),
		e.ifErr(jen.Return(jen.Nil(), e.mongoErr(jen.Id("op"), jen.Err()))),
		jen.If(jen.Id("res").Dot("DeletedCount").Op("==").Lit(0)).Block(jen.Return(jen.Nil(), e.mongoNotFound(jen.Id("op")))),
		jen.Return(jen.Op("&").Qual(pkgStore, "VerificationToken").Values(
			kv("Identifier", jen.Id("d").Dot("Identifier")), kv("TokenHash", jen.Id("d").Dot("TokenHash")), kv("Expires", jen.Id("d").Dot("Expires")),
		), jen.Nil()),
	)
}
