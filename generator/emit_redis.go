package generator

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
)

// pkgRedis is go-redis, which the generated Redis session store uses.
const pkgRedis = "github.com/redis/go-redis/v9"

// The Lua scripts of the Redis session store. Each receives every key it
// touches in KEYS (as Redis asks, so proxies can route them); values are in
// ARGV, times in Unix milliseconds.
const (
	// luaExtendIndex makes the user's index (KEYS[2]) expire with the
	// longest of its sessions (the highest score). string.format keeps the
	// score an integer however Redis prints it.
	luaExtendIndex = `local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
if last[2] then
	redis.call('PEXPIREAT', KEYS[2], string.format('%.0f', tonumber(last[2])))
end
`
	// luaCreateSession: KEYS session, user's index; ARGV user ID, expiry,
	// session ID. 0 when the ID is taken.
	luaCreateSession = `if redis.call('EXISTS', KEYS[1]) == 1 then
	return 0
end
redis.call('HSET', KEYS[1], 'userId', ARGV[1], 'expires', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
` + luaExtendIndex + `return 1`
	// luaUpdateSession: KEYS session, user's index; ARGV user ID, expiry,
	// session ID. 0 when the session is gone (or is not the user's).
	luaUpdateSession = `if redis.call('HGET', KEYS[1], 'userId') ~= ARGV[1] then
	return 0
end
redis.call('HSET', KEYS[1], 'expires', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
` + luaExtendIndex + `return 1`
	// luaDeleteSession: KEYS session, user's index; ARGV user ID, session
	// ID. 0 when the session is gone.
	luaDeleteSession = `if redis.call('HGET', KEYS[1], 'userId') ~= ARGV[1] then
	return 0
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1`
	// luaDeleteSessions: KEYS the user's index, then sessions; ARGV user
	// ID, cutoff, then the sessions' IDs. Deletes the sessions expiring at
	// or before the cutoff and returns how many; drops from the index the
	// sessions Redis has deleted (not counted), and re-scores a session
	// renewed in the meantime.
	luaDeleteSessions = `local n = 0
local cutoff = tonumber(ARGV[2])
for i = 2, #KEYS do
	local id = ARGV[i + 1]
	local s = redis.call('HMGET', KEYS[i], 'userId', 'expires')
	local expires = tonumber(s[2])
	if s[1] ~= ARGV[1] then
		redis.call('ZREM', KEYS[1], id)
	elseif not expires or expires <= cutoff then
		redis.call('DEL', KEYS[i])
		redis.call('ZREM', KEYS[1], id)
		n = n + 1
	else
		redis.call('ZADD', KEYS[1], s[2], id)
	end
end
return n`
	// luaUseVerification: KEYS token; ARGV identifier. Deletes and returns
	// the token's value when its identifier is ARGV[1]; nil otherwise,
	// leaving it in place.
	luaUseVerification = `local v = redis.call('GET', KEYS[1])
if not v then
	return false
end
local sep = string.find(v, ':', 1, true)
if not sep or string.sub(v, sep + 1) ~= ARGV[1] then
	return false
end
redis.call('DEL', KEYS[1])
return v`
)

// redisFile emits sessions_gen.go, the Redis session store: RedisSessions
// (store.Sessions and store.VerificationTokens on go-redis),
// OpenSessionStore, and Auth.DeleteUser, which deletes a user's sessions in
// Redis before the user.
func (g *gen) redisFile() (File, error) {
	f := newFile(g.pkgPath, g.m.Package, true)
	f.ImportNames(map[string]string{pkgRedis: "redis", pkgStore: "store"})
	pkg, prefix := g.m.Package, g.m.Prefix()
	sessionKey, indexKey, tokenKey := prefix+"session:", prefix+"user_sessions:", prefix+"verification:"

	ctxParam := func() jen.Code { return jen.Id("ctx").Qual("context", "Context") }
	errorf := func(what string, err jen.Code) *jen.Statement {
		return jen.Qual("fmt", "Errorf").Call(jen.Lit(pkg+": "+what+": %w"), err)
	}
	ifErr := func(ret ...jen.Code) jen.Code { return jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(ret...)) }
	isNil := func() jen.Code { return jen.Qual("errors", "Is").Call(jen.Err(), jen.Qual(pkgRedis, "Nil")) }
	recv := func() *jen.Statement { return f.Func().Params(jen.Id("r").Op("*").Id("RedisSessions")) }
	rdb := func() *jen.Statement { return jen.Id("r").Dot("rdb") }
	ms := func(t jen.Code) *jen.Statement { return jen.Add(t).Dot("UnixMilli").Call() }
	fromMS := func(v jen.Code) *jen.Statement {
		return jen.Qual("time", "UnixMilli").Call(v).Dot("UTC").Call()
	}
	script := func(name, text string) {
		f.Var().Id(name).Op("=").Qual(pkgRedis, "NewScript").Call(jen.Op("`" + text + "`"))
	}

	doc(f.Group, fmt.Sprintf("Redis keys, all starting with the table prefix %q, so that one Redis database can serve applications with different prefixes.", prefix))
	var keyDefs []jen.Code
	for i, k := range []struct{ name, key, doc string }{
		{"redisSessionPrefix", sessionKey, "redisSessionPrefix + a session ID (the SHA-256 of its cookie token) is a hash {userId, expires}, expires in Unix milliseconds; Redis deletes the key at that instant (PEXPIREAT)."},
		{"redisUserSessionsPrefix", indexKey, "redisUserSessionsPrefix + a user ID is a sorted set of the user's session IDs scored by their expiry, so that DeleteUserSessions and DeleteExpiredSessions find them. It expires with the user's longest session."},
		{"redisVerificationPrefix", tokenKey, "redisVerificationPrefix + a verification token's hash is a string \"<expires>:<identifier>\", expires in Unix milliseconds; Redis deletes it when the token expires."},
	} {
		if i > 0 {
			keyDefs = append(keyDefs, jen.Line())
		}
		keyDefs = append(append(keyDefs, docs(k.doc)...), jen.Id(k.name).Op("=").Lit(k.key))
	}
	f.Const().Defs(keyDefs...)
	f.Line()

	doc(f.Group, "redisBatch is how many sessions one script deletes at most.")
	f.Const().Id("redisBatch").Op("=").Lit(256)
	f.Line()
	doc(f.Group, "redisForever is a cutoff later than every session's expiry (2^53-1 ms, past the year 287000).")
	f.Const().Id("redisForever").Op("=").Lit("9007199254740991")
	f.Line()

	doc(f.Group, "RedisSessions keeps database sessions and e-mail verification tokens in Redis (REDIS_URL), beside the database of users and accounts: every instance of the application sees the same sessions and sign-outs, and Redis deletes expired sessions by itself. It implements store.Sessions and store.VerificationTokens.\n\n"+
		"Keys (see redisSessionPrefix and the others): "+sessionKey+"<id> is a session, a hash {userId, expires} that Redis deletes when it expires (PEXPIREAT); "+indexKey+"<userId> is the user's sessions, a sorted set scored by expiry that lives as long as the longest of them; "+tokenKey+"<tokenHash> is a verification token, \"<expires>:<identifier>\", deleted by Redis when it expires. Times are Unix milliseconds.\n\n"+
		"A session check (GetSessionAndUser) is one Redis round trip (HGETALL) and the user's lookup in the database, so it returns the user as stored now, and a session whose user is gone is not found. Writes touching several keys are Lua scripts, atomic in Redis. Sessions that Redis expired stay in their user's index until DeleteExpiredSessions (run hourly by sign-ins) drops them. Redis 6.2 or later; a single server or a primary, not Redis Cluster.")
	f.Type().Id("RedisSessions").Struct(
		jen.Id("rdb").Op("*").Qual(pkgRedis, "Client"),
		jen.Comment("users finds a session's user; nil returns users with only an ID."),
		jen.Id("users").Qual(pkgStore, "Users"),
	)
	f.Line()
	f.Var().Defs(
		jen.Id("_").Qual(pkgStore, "Sessions").Op("=").Parens(jen.Op("*").Id("RedisSessions")).Parens(jen.Nil()),
		jen.Id("_").Qual(pkgStore, "VerificationTokens").Op("=").Parens(jen.Op("*").Id("RedisSessions")).Parens(jen.Nil()),
	)
	f.Line()

	doc(f.Group, "OpenSessionStore returns the session store on the Redis at redisURL (REDIS_URL: redis://[user:password@]host:port/db, rediss:// for TLS), which finds sessions' users in users. Redis is contacted when first used, so the application starts while it is down and recovers when it returns.")
	f.Func().Id("OpenSessionStore").Params(jen.Id("redisURL").String(), jen.Id("users").Qual(pkgStore, "Users")).Params(jen.Op("*").Id("RedisSessions"), jen.Error()).Block(
		jen.List(jen.Id("opts"), jen.Err()).Op(":=").Qual(pkgRedis, "ParseURL").Call(jen.Id("redisURL")),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Comment("A url.Error repeats the URL, password included."),
			jen.Var().Id("ue").Op("*").Qual("net/url", "Error"),
			jen.If(jen.Qual("errors", "As").Call(jen.Err(), jen.Op("&").Id("ue"))).Block(
				jen.Err().Op("=").Id("ue").Dot("Err"),
			),
			jen.Return(jen.Nil(), errorf("REDIS_URL", jen.Err())),
		),
		jen.Return(jen.Op("&").Id("RedisSessions").Values(
			jen.Id("rdb").Op(":").Qual(pkgRedis, "NewClient").Call(jen.Id("opts")),
			jen.Id("users").Op(":").Id("users"),
		), jen.Nil()),
	)
	f.Line()

	f.Comment("Close closes the connections to Redis.")
	recv().Id("Close").Params().Error().Block(jen.Return(rdb().Dot("Close").Call()))
	f.Line()

	scripts := []struct{ name, doc, text string }{
		{"redisCreateSession", "redisCreateSession stores a session unless its ID is taken (then 0), adds it to its user's index and makes the index live as long as the user's longest session. KEYS: the session, the user's index; ARGV: user ID, expiry, session ID.", luaCreateSession},
		{"redisUpdateSession", "redisUpdateSession moves a session's expiry, in its hash, its key's TTL and its user's index; 0 when the session is gone. KEYS: the session, the user's index; ARGV: user ID, expiry, session ID.", luaUpdateSession},
		{"redisDeleteSession", "redisDeleteSession deletes a session and its entry in the user's index; 0 when the session is gone. KEYS: the session, the user's index; ARGV: user ID, session ID.", luaDeleteSession},
		{"redisDeleteSessions", "redisDeleteSessions deletes the given sessions of a user that expire at or before the cutoff and returns how many; sessions Redis has deleted leave the index without being counted, and a session renewed meanwhile is kept. KEYS: the user's index, then the sessions; ARGV: user ID, cutoff, then the session IDs.", luaDeleteSessions},
		{"redisUseVerification", "redisUseVerification deletes and returns a verification token when it belongs to the identifier, and returns nil, leaving it, otherwise: a token presented with another identifier is not used up. KEYS: the token; ARGV: identifier.", luaUseVerification},
	}
	for _, s := range scripts {
		if strings.Contains(s.text, "`") {
			return File{}, fmt.Errorf("generator: Lua script %s holds a backquote", s.name)
		}
		doc(f.Group, s.doc)
		script(s.name, s.text)
		f.Line()
	}

	// CreateSession
	doc(f.Group, "CreateSession stores s until it expires: store.ErrConflict when its ID is taken.")
	recv().Id("CreateSession").Params(ctxParam(), jen.Id("s").Qual(pkgStore, "Session")).Error().Block(
		jen.List(jen.Id("created"), jen.Err()).Op(":=").Id("redisCreateSession").Dot("Run").Call(
			jen.Id("ctx"), rdb(),
			jen.Index().String().Values(jen.Id("redisSessionPrefix").Op("+").Id("s").Dot("ID"), jen.Id("redisUserSessionsPrefix").Op("+").Id("s").Dot("UserID")),
			jen.Id("s").Dot("UserID"), ms(jen.Id("s").Dot("Expires")), jen.Id("s").Dot("ID"),
		).Dot("Int").Call(),
		ifErr(errorf("create session", jen.Err())),
		jen.If(jen.Id("created").Op("==").Lit(0)).Block(jen.Return(errorf("create session", jen.Qual(pkgStore, "ErrConflict")))),
		jen.Return(jen.Nil()),
	)
	f.Line()

	// GetSessionAndUser
	doc(f.Group, "GetSessionAndUser returns the session with id, unexpired at now, and its user: one HGETALL, then the user from the database. A missing or expired session, or one whose user no longer exists, is store.ErrNotFound.")
	recv().Id("GetSessionAndUser").Params(ctxParam(), jen.Id("id").String(), jen.Id("now").Qual("time", "Time")).Params(
		jen.Op("*").Qual(pkgStore, "Session"), jen.Op("*").Qual(pkgStore, "User"), jen.Error(),
	).Block(
		jen.List(jen.Id("fields"), jen.Err()).Op(":=").Add(rdb()).Dot("HGetAll").Call(jen.Id("ctx"), jen.Id("redisSessionPrefix").Op("+").Id("id")).Dot("Result").Call(),
		ifErr(jen.Nil(), jen.Nil(), errorf("read session", jen.Err())),
		jen.If(jen.Len(jen.Id("fields")).Op("==").Lit(0)).Block(jen.Return(jen.Nil(), jen.Nil(), errorf("session", jen.Qual(pkgStore, "ErrNotFound")))),
		jen.Id("userID").Op(":=").Id("fields").Index(jen.Lit("userId")),
		jen.List(jen.Id("expires"), jen.Err()).Op(":=").Qual("strconv", "ParseInt").Call(jen.Id("fields").Index(jen.Lit("expires")), jen.Lit(10), jen.Lit(64)),
		jen.If(jen.Err().Op("!=").Nil().Op("||").Id("userID").Op("==").Lit("")).Block(
			jen.Return(jen.Nil(), jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit(pkg+": read session: malformed session in Redis"))),
		),
		jen.Id("s").Op(":=").Op("&").Qual(pkgStore, "Session").Values(
			jen.Id("ID").Op(":").Id("id"), jen.Id("UserID").Op(":").Id("userID"), jen.Id("Expires").Op(":").Add(fromMS(jen.Id("expires"))),
		),
		jen.If(jen.Op("!").Id("s").Dot("Expires").Dot("After").Call(jen.Id("now"))).Block(
			jen.Return(jen.Nil(), jen.Nil(), errorf("session", jen.Qual(pkgStore, "ErrNotFound"))),
		),
		jen.If(jen.Id("r").Dot("users").Op("==").Nil()).Block(
			jen.Return(jen.Id("s"), jen.Op("&").Qual(pkgStore, "User").Values(jen.Id("ID").Op(":").Id("userID")), jen.Nil()),
		),
		jen.List(jen.Id("u"), jen.Err()).Op(":=").Id("r").Dot("users").Dot("GetUser").Call(jen.Id("ctx"), jen.Id("userID")),
		ifErr(jen.Nil(), jen.Nil(), errorf("session's user", jen.Err())),
		jen.Return(jen.Id("s"), jen.Id("u"), jen.Nil()),
	)
	f.Line()

	// sessionUser
	doc(f.Group, "sessionUser returns the user ID of the session with key, or store.ErrNotFound.")
	recv().Id("sessionUser").Params(ctxParam(), jen.Id("key").String()).Params(jen.String(), jen.Error()).Block(
		jen.List(jen.Id("userID"), jen.Err()).Op(":=").Add(rdb()).Dot("HGet").Call(jen.Id("ctx"), jen.Id("key"), jen.Lit("userId")).Dot("Result").Call(),
		jen.If(isNil()).Block(jen.Return(jen.Lit(""), jen.Qual(pkgStore, "ErrNotFound"))),
		jen.Return(jen.Id("userID"), jen.Err()),
	)
	f.Line()

	// UpdateSession, DeleteSession
	keyed := func(name, what, docText, script string, args ...jen.Code) {
		doc(f.Group, docText)
		params := []jen.Code{ctxParam(), jen.Id("id").String()}
		if name == "UpdateSession" {
			params = append(params, jen.Id("expires").Qual("time", "Time"))
		}
		run := append([]jen.Code{
			jen.Id("ctx"), rdb(),
			jen.Index().String().Values(jen.Id("key"), jen.Id("redisUserSessionsPrefix").Op("+").Id("userID")),
			jen.Id("userID"),
		}, args...)
		recv().Id(name).Params(params...).Error().Block(
			jen.Id("key").Op(":=").Id("redisSessionPrefix").Op("+").Id("id"),
			jen.List(jen.Id("userID"), jen.Err()).Op(":=").Id("r").Dot("sessionUser").Call(jen.Id("ctx"), jen.Id("key")),
			ifErr(errorf(what, jen.Err())),
			jen.List(jen.Id("done"), jen.Err()).Op(":=").Id(script).Dot("Run").Call(run...).Dot("Int").Call(),
			ifErr(errorf(what, jen.Err())),
			jen.If(jen.Id("done").Op("==").Lit(0)).Block(jen.Return(errorf(what, jen.Qual(pkgStore, "ErrNotFound")))),
			jen.Return(jen.Nil()),
		)
		f.Line()
	}
	keyed("UpdateSession", "update session", "UpdateSession sets the expiry of the session with id, and when Redis deletes it; a missing session is store.ErrNotFound.",
		"redisUpdateSession", ms(jen.Id("expires")), jen.Id("id"))
	keyed("DeleteSession", "delete session", "DeleteSession deletes the session with id, on every instance at once; a missing session is store.ErrNotFound.",
		"redisDeleteSession", jen.Id("id"))

	// DeleteExpiredSessions
	doc(f.Group, "DeleteExpiredSessions deletes every session expired at now and returns how many. Redis deletes sessions when they expire by its own clock; this walks the users' indexes (SCAN "+indexKey+"*), deletes the sessions expired at now and drops from the indexes those Redis deleted already, which do not count.")
	recv().Id("DeleteExpiredSessions").Params(ctxParam(), jen.Id("now").Qual("time", "Time")).Params(jen.Int64(), jen.Error()).Block(
		jen.Id("cutoff").Op(":=").Qual("strconv", "FormatInt").Call(ms(jen.Id("now")), jen.Lit(10)),
		jen.Var().Id("n").Int64(),
		jen.Id("iter").Op(":=").Add(rdb()).Dot("Scan").Call(jen.Id("ctx"), jen.Lit(0), jen.Id("redisUserSessionsPrefix").Op("+").Lit("*"), jen.Lit(1000)).Dot("Iterator").Call(),
		jen.For(jen.Id("iter").Dot("Next").Call(jen.Id("ctx"))).Block(
			jen.Id("userID").Op(":=").Qual("strings", "TrimPrefix").Call(jen.Id("iter").Dot("Val").Call(), jen.Id("redisUserSessionsPrefix")),
			jen.List(jen.Id("deleted"), jen.Err()).Op(":=").Id("r").Dot("deleteSessions").Call(jen.Id("ctx"), jen.Id("userID"), jen.Id("cutoff")),
			jen.Id("n").Op("+=").Id("deleted"),
			ifErr(jen.Id("n"), errorf("delete expired sessions", jen.Err())),
		),
		jen.If(jen.Err().Op(":=").Id("iter").Dot("Err").Call(), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Id("n"), errorf("delete expired sessions", jen.Err())),
		),
		jen.Return(jen.Id("n"), jen.Nil()),
	)
	f.Line()

	// DeleteUserSessions
	doc(f.Group, "DeleteUserSessions deletes every session of the user with userID, signing them out on every instance; a user without sessions is not an error. Auth.DeleteUser calls it before deleting the user.")
	recv().Id("DeleteUserSessions").Params(ctxParam(), jen.Id("userID").String()).Error().Block(
		jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("r").Dot("deleteSessions").Call(jen.Id("ctx"), jen.Id("userID"), jen.Id("redisForever")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(errorf("delete the user's sessions", jen.Err())),
		),
		jen.Return(jen.Nil()),
	)
	f.Line()

	// deleteSessions
	doc(f.Group, "deleteSessions deletes, in batches, the sessions in the user's index that expire at or before cutoff (Unix milliseconds) and returns how many it deleted.")
	recv().Id("deleteSessions").Params(ctxParam(), jen.List(jen.Id("userID"), jen.Id("cutoff")).String()).Params(jen.Int64(), jen.Error()).Block(
		jen.Id("index").Op(":=").Id("redisUserSessionsPrefix").Op("+").Id("userID"),
		jen.Var().Id("n").Int64(),
		jen.For().Block(
			jen.List(jen.Id("ids"), jen.Err()).Op(":=").Add(rdb()).Dot("ZRangeByScore").Call(jen.Id("ctx"), jen.Id("index"), jen.Op("&").Qual(pkgRedis, "ZRangeBy").Values(
				jen.Id("Min").Op(":").Lit("-inf"), jen.Id("Max").Op(":").Id("cutoff"), jen.Id("Count").Op(":").Id("redisBatch"),
			)).Dot("Result").Call(),
			jen.If(jen.Err().Op("!=").Nil().Op("||").Len(jen.Id("ids")).Op("==").Lit(0)).Block(jen.Return(jen.Id("n"), jen.Err())),
			jen.Id("keys").Op(":=").Append(jen.Make(jen.Index().String(), jen.Lit(0), jen.Len(jen.Id("ids")).Op("+").Lit(1)), jen.Id("index")),
			jen.Id("args").Op(":=").Append(jen.Make(jen.Index().Any(), jen.Lit(0), jen.Len(jen.Id("ids")).Op("+").Lit(2)), jen.Id("userID"), jen.Id("cutoff")),
			jen.For(jen.List(jen.Id("_"), jen.Id("id")).Op(":=").Range().Id("ids")).Block(
				jen.Id("keys").Op("=").Append(jen.Id("keys"), jen.Id("redisSessionPrefix").Op("+").Id("id")),
				jen.Id("args").Op("=").Append(jen.Id("args"), jen.Id("id")),
			),
			jen.List(jen.Id("deleted"), jen.Err()).Op(":=").Id("redisDeleteSessions").Dot("Run").Call(jen.Id("ctx"), rdb(), jen.Id("keys"), jen.Id("args").Op("...")).Dot("Int64").Call(),
			jen.Id("n").Op("+=").Id("deleted"),
			jen.If(jen.Err().Op("!=").Nil().Op("||").Len(jen.Id("ids")).Op("<").Id("redisBatch")).Block(jen.Return(jen.Id("n"), jen.Err())),
		),
	)
	f.Line()

	// CreateVerificationToken
	doc(f.Group, "CreateVerificationToken stores t until it expires (SET NX PXAT): store.ErrConflict when its hash is taken, whatever the identifier.")
	recv().Id("CreateVerificationToken").Params(ctxParam(), jen.Id("t").Qual(pkgStore, "VerificationToken")).Error().Block(
		jen.Id("expires").Op(":=").Add(ms(jen.Id("t").Dot("Expires"))),
		jen.Id("value").Op(":=").Qual("strconv", "FormatInt").Call(jen.Id("expires"), jen.Lit(10)).Op("+").Lit(":").Op("+").Id("t").Dot("Identifier"),
		jen.Err().Op(":=").Add(rdb()).Dot("SetArgs").Call(jen.Id("ctx"), jen.Id("redisVerificationPrefix").Op("+").Id("t").Dot("TokenHash"), jen.Id("value"), jen.Qual(pkgRedis, "SetArgs").Values(
			jen.Id("Mode").Op(":").Lit("NX"), jen.Id("ExpireAt").Op(":").Qual("time", "UnixMilli").Call(jen.Id("expires")),
		)).Dot("Err").Call(),
		jen.Switch().Block(
			jen.Case(isNil()).Block(jen.Return(errorf("create verification token", jen.Qual(pkgStore, "ErrConflict")))),
			jen.Case(jen.Err().Op("!=").Nil()).Block(jen.Return(errorf("create verification token", jen.Err()))),
		),
		jen.Return(jen.Nil()),
	)
	f.Line()

	// UseVerificationToken
	doc(f.Group, "UseVerificationToken deletes and returns the token with tokenHash when it belongs to identifier, atomically, so only one of concurrent uses gets it. An unknown token, one used already, and another identifier's token (which stays usable) are store.ErrNotFound; so is a token Redis deleted when it expired.")
	recv().Id("UseVerificationToken").Params(ctxParam(), jen.List(jen.Id("identifier"), jen.Id("tokenHash")).String()).Params(jen.Op("*").Qual(pkgStore, "VerificationToken"), jen.Error()).Block(
		jen.List(jen.Id("value"), jen.Err()).Op(":=").Id("redisUseVerification").Dot("Run").Call(
			jen.Id("ctx"), rdb(), jen.Index().String().Values(jen.Id("redisVerificationPrefix").Op("+").Id("tokenHash")), jen.Id("identifier"),
		).Dot("Text").Call(),
		jen.If(isNil()).Block(jen.Return(jen.Nil(), errorf("use verification token", jen.Qual(pkgStore, "ErrNotFound")))),
		ifErr(jen.Nil(), errorf("use verification token", jen.Err())),
		jen.List(jen.Id("ms"), jen.Id("_"), jen.Id("_")).Op(":=").Qual("strings", "Cut").Call(jen.Id("value"), jen.Lit(":")),
		jen.List(jen.Id("expires"), jen.Err()).Op(":=").Qual("strconv", "ParseInt").Call(jen.Id("ms"), jen.Lit(10), jen.Lit(64)),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit(pkg+": use verification token: malformed token in Redis"))),
		),
		jen.Return(jen.Op("&").Qual(pkgStore, "VerificationToken").Values(
			jen.Id("Identifier").Op(":").Id("identifier"), jen.Id("TokenHash").Op(":").Id("tokenHash"), jen.Id("Expires").Op(":").Add(fromMS(jen.Id("expires"))),
		), jen.Nil()),
	)
	f.Line()

	// Auth.DeleteUser
	doc(f.Group, "DeleteUser deletes the user with id, their provider accounts and their sessions, which live in Redis; a missing user is store.ErrNotFound. Use it rather than Store().DeleteUser, which cannot reach Redis (the sessions it leaves behind are refused, their user being gone, and expire by themselves). The sessions go first: after a failure the user is signed out everywhere, and calling DeleteUser again finishes the job.")
	f.Func().Params(jen.Id("a").Op("*").Id("Auth")).Id("DeleteUser").Params(ctxParam(), jen.Id("id").String()).Error().Block(
		jen.If(jen.Err().Op(":=").Id("a").Dot("sessions").Dot("DeleteUserSessions").Call(jen.Id("ctx"), jen.Id("id")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Err()),
		),
		jen.Return(jen.Id("a").Dot("store").Dot("DeleteUser").Call(jen.Id("ctx"), jen.Id("id"))),
	)
	return g.goFile("sessions_gen.go", f, Generated)
}
