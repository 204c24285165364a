package redisstore

// The Lua scripts of the store. Each receives every key it touches in KEYS
// (as Redis asks, so that proxies can route them); values are in ARGV,
// times in Unix milliseconds.

// luaExtendIndex makes the user's index (KEYS[2]) expire with the longest
// of its sessions (the highest score). string.format keeps the score an
// integer however Redis prints it.
const luaExtendIndex = `local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
if last[2] then
	redis.call('PEXPIREAT', KEYS[2], string.format('%.0f', tonumber(last[2])))
end
`

// luaCreateSession stores a session unless its ID is taken (then 0), adds
// it to its user's index and makes the index live as long as the user's
// longest session. KEYS: the session, the user's index; ARGV: user ID,
// expiry, session ID, provider, sign-in time (0: unknown, left out), user
// agent, address.
const luaCreateSession = `if redis.call('EXISTS', KEYS[1]) == 1 then
	return 0
end
redis.call('HSET', KEYS[1], 'userId', ARGV[1], 'expires', ARGV[2], 'provider', ARGV[4], 'userAgent', ARGV[6], 'ip', ARGV[7])
if ARGV[5] ~= '0' then
	redis.call('HSET', KEYS[1], 'createdAt', ARGV[5])
end
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
` + luaExtendIndex + `return 1`

// luaUpdateSession moves a session's expiry, in its hash, its key's TTL and
// its user's index; 0 when the session is gone (or is not the user's). A
// session stored before sessions recorded their sign-in time gets Redis's
// time as its createdAt, so its absolute lifetime counts from its first
// renewal after the upgrade. KEYS: the session, the user's index; ARGV:
// user ID, expiry, session ID.
const luaUpdateSession = `if redis.call('HGET', KEYS[1], 'userId') ~= ARGV[1] then
	return 0
end
if redis.call('HEXISTS', KEYS[1], 'createdAt') == 0 then
	local t = redis.call('TIME')
	redis.call('HSET', KEYS[1], 'createdAt', string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)))
end
redis.call('HSET', KEYS[1], 'expires', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
` + luaExtendIndex + `return 1`

// luaDeleteSession deletes a session and its entry in the user's index; 0
// when the session is gone. KEYS: the session, the user's index; ARGV: user
// ID, session ID.
const luaDeleteSession = `if redis.call('HGET', KEYS[1], 'userId') ~= ARGV[1] then
	return 0
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1`

// luaDeleteSessions deletes the given sessions of a user that expire at or
// before the cutoff and returns how many; sessions Redis has deleted leave
// the index without being counted, and a session renewed meanwhile is kept
// and re-scored. KEYS: the user's index, then the sessions; ARGV: user ID,
// cutoff, then the sessions' IDs.
const luaDeleteSessions = `local n = 0
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

// luaCreateToken stores a verification token unless its hash is taken
// (SET NX PXAT), with its attempts when it has some, expiring with it;
// nil when the hash is taken. KEYS: the token, its attempts; ARGV: the
// value "<expires>:<identifier>", expires (Unix ms), attempts.
const luaCreateToken = `if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PXAT', ARGV[2]) then
	return false
end
if tonumber(ARGV[3]) > 0 then
	redis.call('SET', KEYS[2], ARGV[3], 'PXAT', ARGV[2])
else
	redis.call('DEL', KEYS[2])
end
return 1`

// luaUseToken deletes a verification token and its attempts, and returns
// {value, attempts}, when it belongs to the identifier; it returns nil,
// leaving it, otherwise: a token presented with another identifier is not
// used up. KEYS: the token, its attempts; ARGV: identifier.
const luaUseToken = `local v = redis.call('GET', KEYS[1])
if not v then
	return false
end
local sep = string.find(v, ':', 1, true)
if not sep or string.sub(v, sep + 1) ~= ARGV[1] then
	return false
end
local n = tonumber(redis.call('GET', KEYS[2]) or '0')
redis.call('DEL', KEYS[1], KEYS[2])
return {v, n}`

// luaCountAttempt adds one to a verification token's attempts and returns
// {value, attempts} when it belongs to the identifier; nil otherwise,
// counting nothing. The attempts key expires with the token. KEYS: the
// token, its attempts; ARGV: identifier.
const luaCountAttempt = `local v = redis.call('GET', KEYS[1])
if not v then
	return false
end
local sep = string.find(v, ':', 1, true)
if not sep or string.sub(v, sep + 1) ~= ARGV[1] then
	return false
end
local n = redis.call('INCR', KEYS[2])
redis.call('PEXPIREAT', KEYS[2], string.sub(v, 1, sep - 1))
return {v, n}`
