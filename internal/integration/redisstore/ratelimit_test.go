package redisstore_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/ratelimit"
	"github.com/authgen/authgen/runtime/ratelimit/limittest"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store/redisstore"
)

// TestRateLimitConformance runs ratelimit's conformance suite on the
// Redis store: it decides as the memory store does, to the microsecond.
func TestRateLimitConformance(t *testing.T) {
	r := startRedis(t)
	limittest.Run(t, func(t *testing.T) ratelimit.Store { return r.open(t, nil) })
}

// TestRateLimitKeys: a bucket is one key under the prefix, holding its
// theoretical arrival time in microseconds and expiring then (when the
// bucket is full again); Reset deletes it; another prefix counts apart.
func TestRateLimitKeys(t *testing.T) {
	r := startRedis(t)
	s := r.open(t, nil)
	ctx := context.Background()
	now := time.Now().Truncate(time.Millisecond)
	key := ratelimit.BucketKey("email", "alice@example.com")
	b := []ratelimit.Bucket{{Key: key, Limit: ratelimit.Limit{Events: 5, Per: time.Hour}}}
	if _, err := s.Take(ctx, now, b); err != nil {
		t.Fatal(err)
	}
	keys, err := r.rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0] != prefix+"ratelimit:"+key || strings.Contains(keys[0], "alice") {
		t.Fatalf("keys %q, want [%s]", keys, prefix+"ratelimit:"+key)
	}
	value, err := r.rdb.Get(ctx, keys[0]).Result()
	if err != nil {
		t.Fatal(err)
	}
	if want := strconv.FormatInt(now.Add(12*time.Minute).UnixMicro(), 10); value != want {
		t.Errorf("value %s, want the theoretical arrival time %s", value, want)
	}
	expiry, err := r.rdb.PExpireTime(ctx, keys[0]).Result()
	if err != nil {
		t.Fatal(err)
	}
	if want := now.Add(12 * time.Minute).UnixMilli(); int64(expiry/time.Millisecond) != want {
		t.Errorf("expires at %d ms, want %d", expiry/time.Millisecond, want)
	}

	other := openStore(t, r.URL(), redisstore.Options{Prefix: "other_"})
	for range 5 {
		if d, err := other.Take(ctx, now, b); err != nil || !d.Allowed {
			t.Fatalf("another prefix: %+v, %v", d, err)
		}
	}
	if err := s.Reset(ctx, key); err != nil {
		t.Fatal(err)
	}
	if n, _ := r.rdb.Exists(ctx, prefix+"ratelimit:"+key).Result(); n != 0 {
		t.Error("Reset left the key")
	}
	if n, _ := r.rdb.Exists(ctx, "other_ratelimit:"+key).Result(); n != 1 {
		t.Error("Reset deleted another prefix's key")
	}
}

// instance is one instance of an application: its own server.Auth and
// its own connection to the shared Redis.
type instance struct {
	t    *testing.T
	auth *server.Auth
}

// newInstances starts n instances sharing keys, a clock, the limits and
// one Redis (each with its own client), or storeURL's.
func newInstances(t *testing.T, n int, storeURL string, now func() time.Time, limits map[string]ratelimit.Limit) []*instance {
	t.Helper()
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	origin, _ := url.Parse("http://localhost:3000")
	provider := &oauth.Provider{
		ID: "github", Name: "GitHub", Type: oauth.TypeOAuth,
		ClientID: "client", ClientSecret: "secret",
		AuthorizationURL: "https://idp.example/authorize", TokenURL: "https://idp.example/token",
		Checks:  oauth.State | oauth.PKCE,
		Profile: oauth.Map(func(p *struct{ ID string }) oauth.User { return oauth.User{ID: p.ID} }, nil),
	}
	var out []*instance
	for range n {
		s := openStore(t, storeURL, redisstore.Options{Prefix: prefix})
		a, err := server.New(server.Config{
			URL: origin, Keys: ks, Providers: []*oauth.Provider{provider},
			RateLimits: limits, RateLimitStore: s, Now: now,
		})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, &instance{t: t, auth: a})
	}
	return out
}

// start starts a sign-in with GitHub from the client at remote, with a
// CSRF token the instance issues.
func (in *instance) start(remote string) *httptest.ResponseRecorder {
	in.t.Helper()
	w := httptest.NewRecorder()
	in.auth.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://localhost:3000/api/auth/csrf", nil))
	token := strings.Split(w.Body.String(), `"`)[3]
	cookie := w.Result().Cookies()[0]
	req := httptest.NewRequest(http.MethodPost, "http://localhost:3000/api/auth/signin/github", strings.NewReader(url.Values{"csrfToken": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(cookie)
	req.RemoteAddr = remote
	w = httptest.NewRecorder()
	in.auth.ServeHTTP(w, req)
	return w
}

// TestRateLimitSharedByInstances: two instances on one Redis share the
// limit, as one instance would count, also under concurrent requests; the
// bucket refills with the clock.
func TestRateLimitSharedByInstances(t *testing.T) {
	r := startRedis(t)
	r.open(t, nil) // empties the database
	var mu sync.Mutex
	now := time.Now().Truncate(time.Second)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	apps := newInstances(t, 2, r.URL(), clock, map[string]ratelimit.Limit{server.LimitSignInPerClient: {Events: 3, Per: time.Minute}})
	for i := range 3 {
		if w := apps[i%2].start("192.0.2.1:1000"); w.Code != http.StatusFound || !strings.HasPrefix(w.Header().Get("Location"), "https://idp.example/authorize") {
			t.Fatalf("start %d on instance %d: %d %s", i+1, i%2+1, w.Code, w.Header().Get("Location"))
		}
	}
	for i, a := range apps {
		w := a.start("192.0.2.1:1000")
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "20" {
			t.Errorf("instance %d, fourth start: %d, Retry-After %q", i+1, w.Code, w.Header().Get("Retry-After"))
		}
	}
	if w := apps[1].start("192.0.2.2:1000"); w.Code != http.StatusFound {
		t.Errorf("another client: %d", w.Code)
	}
	mu.Lock()
	now = now.Add(20 * time.Second)
	mu.Unlock()
	if w := apps[1].start("192.0.2.1:1000"); w.Code != http.StatusFound {
		t.Errorf("20 s later: %d", w.Code)
	}

	// 40 concurrent starts of one new client over both instances: 3 pass.
	var wg sync.WaitGroup
	var passed sync.Map
	for i := range 40 {
		wg.Go(func() {
			if w := apps[i%2].start("192.0.2.3:1000"); w.Code == http.StatusFound {
				passed.Store(i, true)
			}
		})
	}
	wg.Wait()
	n := 0
	passed.Range(func(any, any) bool { n++; return true })
	if n != 3 {
		t.Errorf("%d of 40 concurrent starts passed, want 3", n)
	}
}

// TestRateLimitRedisDown: while the limiter's Redis is down a sign-in
// start fails with an error page and starts nothing.
func TestRateLimitRedisDown(t *testing.T) {
	r := startRedis(t)
	down := "redis://" + r.Addr() + "/0?max_retries=-1"
	r.Stop(t)
	apps := newInstances(t, 1, down, time.Now, nil)
	w := apps[0].start("192.0.2.1:1000")
	if loc := w.Header().Get("Location"); w.Code != http.StatusFound || !strings.Contains(loc, "error=OAuthSignin") {
		t.Errorf("with Redis down: %d to %q, want the OAuthSignin error", w.Code, loc)
	}
	for _, c := range w.Result().Cookies() {
		if strings.Contains(c.Name, "state") || strings.Contains(c.Name, "pkce") {
			t.Errorf("a start that failed set %s", c.Name)
		}
	}
}
