package perf

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
)

// BenchmarkSignIn measures a whole OAuth 2.0 sign-in of a new user with a
// GitHub-like provider (runtime/authtest), as browsers make it over
// loopback: GET /csrf, POST /signin/github (CSRF, state and PKCE cookies,
// the redirect), the consent at the provider, and the callback (the code
// exchanged with PKCE, GET /user, the user and its account written with
// the provider's tokens sealed, a database session created and its cookie
// set). Sign-ins run from every core at once (RunParallel), each a new
// GitHub user, and the figure is sign-ins per second: on SQLite, and on
// the in-memory store, the floor that the provider, HTTP and cryptography
// set.
func BenchmarkSignIn(b *testing.B) {
	for _, st := range []string{"memory", "sqlite"} {
		b.Run(st, func(b *testing.B) {
			idp := newGitHub(b)
			a := newApp(b, idp, appConfig{strategy: "database", store: st})
			ctx := context.Background()
			var n atomic.Int64
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := int(n.Add(1))
					if err := a.signIn(ctx, newBrowser(b), idp, gitHubUser(i)); err != nil {
						b.Errorf("sign-in %d: %v", i, err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signins/s")
			// Every sign-in wrote its user and account.
			for _, i := range []int{1, int(n.Load())} {
				id := strconv.Itoa(583231 + i)
				u, err := a.users.GetUserByAccount(ctx, "github", id)
				if err != nil || u.Email != "mona"+id+"@example.com" {
					b.Fatalf("user of sign-in %d: %+v, %v", i, u, err)
				}
			}
		})
	}
}
