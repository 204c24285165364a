package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/authgen/authgen/runtime/ratelimit"
)

var _ ratelimit.Store = (*Store)(nil)

// luaTakeTokens takes one token from each bucket, or none when one is
// empty: ratelimit's token bucket (GCRA) on each bucket's theoretical
// arrival time, in Unix microseconds, then SET with PXAT at that time, so
// Redis forgets a bucket when it is full again. It returns {1, remaining}
// when allowed, {0, 0, wait, index} (the 0-based bucket with the longest
// wait, in microseconds) when refused. KEYS: the buckets; ARGV: now, then
// each bucket's interval and size. string.format keeps the numbers whole
// however Lua prints them.
const luaTakeTokens = `local now = tonumber(ARGV[1])
local tats = {}
local remaining = -1
local wait, refused = 0, -1
for i = 1, #KEYS do
	local interval = tonumber(ARGV[2 * i])
	local size = tonumber(ARGV[2 * i + 1])
	local tat = tonumber(redis.call('GET', KEYS[i]) or 0) or 0
	if tat < now then
		tat = now
	end
	local allowAt = tat + interval - interval * size
	if now < allowAt then
		if allowAt - now > wait then
			wait, refused = allowAt - now, i - 1
		end
	else
		local left = math.floor((now - allowAt) / interval)
		if remaining < 0 or left < remaining then
			remaining = left
		end
	end
	tats[i] = tat + interval
end
if refused >= 0 then
	return {0, 0, wait, refused}
end
for i = 1, #KEYS do
	redis.call('SET', KEYS[i], string.format('%.0f', tats[i]), 'PXAT', string.format('%.0f', math.ceil(tats[i] / 1000)))
end
return {1, remaining}`

// Take takes one token from each of the buckets at now, or none when one
// is empty (ratelimit.Store): one Lua script, atomic in Redis, over the
// keys <prefix>ratelimit:<bucket key>, each holding its bucket's
// theoretical arrival time in Unix microseconds and expiring at that time,
// when the bucket is full again. Instances sharing the Redis share the
// buckets.
func (s *Store) Take(ctx context.Context, now time.Time, buckets []ratelimit.Bucket) (ratelimit.Decision, error) {
	keys := make([]string, len(buckets))
	args := make([]any, 0, 1+2*len(buckets))
	args = append(args, now.UnixMicro())
	for i, b := range buckets {
		keys[i] = s.limitKey + b.Key
		args = append(args, int64(b.Limit.Interval()/time.Microsecond), b.Limit.Size())
	}
	res, err := s.takeTokens.Run(ctx, s.rdb, keys, args...).Int64Slice()
	if err != nil {
		return ratelimit.Decision{}, fmt.Errorf("redisstore: take tokens: %w", err)
	}
	switch {
	case len(res) == 2 && res[0] == 1:
		return ratelimit.Decision{Allowed: true, Remaining: int(res[1]), Refused: -1}, nil
	case len(res) == 4 && res[0] == 0:
		return ratelimit.Decision{RetryAfter: time.Duration(res[2]) * time.Microsecond, Refused: int(res[3])}, nil
	}
	return ratelimit.Decision{}, fmt.Errorf("redisstore: take tokens: unexpected answer %s", strconv.Quote(fmt.Sprint(res)))
}

// Reset deletes the buckets with keys, which are then full
// (ratelimit.Store).
func (s *Store) Reset(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	full := make([]string, len(keys))
	for i, k := range keys {
		full[i] = s.limitKey + k
	}
	if err := s.rdb.Del(ctx, full...).Err(); err != nil {
		return fmt.Errorf("redisstore: reset rate limits: %w", err)
	}
	return nil
}
