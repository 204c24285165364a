// Package perf measures authgen's runtime as a generated application runs
// it, on loopback; it holds tests and benchmarks only. docs/PERFORMANCE.md
// has the figures, the commands and what the profiles showed.
//
// TestSessionLoad puts GET /api/auth/session of two applications under
// wrk (apt-get install wrk): one with a signed JWT session, one with
// session.revocation on a SQLite store. It signs in once through a
// GitHub-like provider (runtime/authtest) to get the cookies a browser
// would hold, then runs wrk -t1 -c32 alternately without a cookie, with
// the JWT session and with the revocable one, several rounds, and logs
// each run's requests per second beside the load average and the median
// ratios. It runs only when AUTHGEN_LOAD=1:
//
//	AUTHGEN_LOAD=1 go test -run TestSessionLoad -v -timeout 0 ./perf/
//
// AUTHGEN_LOAD_DURATION (default 10s) is each wrk run's length,
// AUTHGEN_LOAD_ROUNDS (default 5) the number of rounds, AUTHGEN_LOAD_RUNS
// (default none,jwt,revocation) which runs a round makes, and
// AUTHGEN_WRK the wrk binary (default wrk on $PATH). With go test's
// -cpuprofile or -memprofile the profile is the servers' (wrk is another
// process): run one kind alone, AUTHGEN_LOAD_RUNS=jwt, to profile it.
//
// BenchmarkSignIn measures a whole OAuth 2.0 sign-in of a new user with a
// GitHub-like provider, as sign-ins per second, on SQLite and on the
// in-memory store (the floor):
//
//	go test -run '^$' -bench SignIn -benchmem ./perf/
package perf
