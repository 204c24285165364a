// Package redisstore keeps authgen's database sessions and e-mail
// verification tokens in Redis with go-redis v9, beside a database that
// keeps the users and their accounts. It is the store of projects generated
// with session.store: redis, and a module of its own, so that go-redis is a
// dependency only of the applications that use it.
//
// [Open] returns a [Store], which implements store.Sessions,
// store.VerificationTokens and ratelimit.Store. Every instance of an
// application on the same Redis sees the same sessions and sign-outs and
// counts against the same rate limits, and Redis deletes expired sessions
// and tokens, and full rate-limit buckets, by itself.
//
// # Keys
//
// Every key starts with [Options.Prefix] (authgen passes the table prefix,
// "auth_" by default), so that one Redis database can serve applications
// with different prefixes:
//
//   - <prefix>session:<id> is a session: a hash {userId, expires,
//     provider, createdAt, userAgent, ip}, where id is the SHA-256 of the
//     session's cookie token (store.HashToken). Redis deletes the key at
//     its expiry (PEXPIREAT). A hash written before sessions had a
//     provider, a sign-in time, a user agent or an address lacks those
//     fields and reads them as empty; nothing needs migrating. A hash
//     without createdAt gets Redis's time (TIME) as its createdAt when it
//     is first renewed, so the absolute lifetime of a session from before
//     the upgrade counts from its first renewal after it.
//   - <prefix>user_sessions:<userId> is the user's sessions: a sorted set
//     of their session IDs scored by expiry, which lives as long as the
//     longest of them. ListSessions and DeleteUserSessions read it;
//     DeleteExpiredSessions walks all of them (SCAN).
//   - <prefix>verification:<tokenHash> is a verification token: the string
//     "<expires>:<identifier>", written with SET NX PXAT, so Redis deletes
//     it when it expires.
//   - <prefix>verification_attempts:<tokenHash> counts the sign-in codes
//     tried against the token (INCR), expiring with it; absent for none.
//   - <prefix>ratelimit:<limit>:<hash> is a rate limit's bucket (see
//     package ratelimit; the hash is of the e-mail address or client
//     address counted, never the value in clear): the time at which the
//     bucket is full again, in Unix microseconds, written with PXAT at
//     that time, so Redis deletes it once it is full.
//
// Times are Unix milliseconds, in values, scores and expiries, but for
// the rate limits' microseconds.
//
// # Consistency
//
// Writes that touch several keys, and using or counting the attempts of a
// verification token, are Lua scripts, atomic in Redis, that receive every
// key they touch in KEYS. A
// verification token is not used with GETDEL: a token presented with
// another identifier must stay usable, so the script deletes it only when
// the identifier matches. Taking an event's tokens from its rate limits'
// buckets (from all of them, or from none when one is empty) is one
// script too.
//
// The user is never copied into Redis: a session check (GetSessionAndUser)
// is one HGETALL, then the user from [Options.Users], so a changed or
// deleted user shows at once. Deleting a user from the database alone
// leaves their sessions in Redis, refused (their user is gone) until they
// expire; an application deletes a user's sessions first with
// [Store.DeleteUserSessions], as the generated Auth.DeleteUser does.
//
// # Outages
//
// Open does not connect: go-redis dials when a command is sent, so an
// application starts while Redis is down, its calls fail with errors that
// are neither store.ErrNotFound nor store.ErrConflict (authgen's server
// answers session checks with 503 and keeps the cookie), and everything
// works again when Redis returns. go-redis retries a failed command three
// times by default, so a call fails after about two seconds with Redis
// down; ?max_retries=-1 in the URL makes it fail after its connection
// attempts alone (about half a second).
//
// Redis 6.2 or later (PXAT); a single server or a primary, not Redis
// Cluster (DeleteExpiredSessions scans one server).
package redisstore
