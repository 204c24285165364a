// Package redisstore keeps authgen's database sessions and verification
// tokens in Redis with go-redis v9.
package redisstore
