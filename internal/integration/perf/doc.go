// Package perf measures authgen's runtime as a generated application runs
// it, on loopback; it holds tests and benchmarks only. docs/PERFORMANCE.md
// has the figures, the commands and what the profiles showed.
//
// TestSessionLoad puts GET /api/auth/session of two applications under
// wrk (apt-get install wrk): one with a signed JWT session, one with
// session.revocation on a SQLite store. It signs in once through a
// GitHub-like provider (runtime/authtest) to get the cookies a browser
// would hold, then runs wrk -t1 -c32 alternately without a cookie, with
// the JWT session and with the revocable one, round after round, and logs
// each run's requests per second and the servers' CPU time per request
// beside the load average, then the medians of the per-round ratios.
// Short alternating runs share the machine's load alike, so the median
// ratio holds up better on a busy machine than long runs do; the CPU time
// per request (getrusage of this process; wrk is another) holds up better
// still. It runs only when AUTHGEN_LOAD=1 (Linux and other Unix systems):
//
//	AUTHGEN_LOAD=1 go test -run TestSessionLoad -v -timeout 0 ./perf/
//
// AUTHGEN_LOAD_DURATION (default 3s) is each wrk run's length,
// AUTHGEN_LOAD_ROUNDS (default 11) the number of rounds, AUTHGEN_LOAD_RUNS
// (default none,jwt,revocation) which runs a round makes, and AUTHGEN_WRK
// the wrk binary (default wrk on $PATH). With go test's -cpuprofile or
// -memprofile the profile is the servers': run one kind alone,
// AUTHGEN_LOAD_RUNS=jwt, to profile it.
//
// BenchmarkSignIn measures a whole OAuth 2.0 sign-in of a new user with a
// GitHub-like provider, as sign-ins per second, on SQLite and on the
// in-memory store (the floor):
//
//	go test -run '^$' -bench SignIn -benchmem ./perf/
package perf
