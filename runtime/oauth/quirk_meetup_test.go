package oauth_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/authgen/authgen/runtime/oauth"
)

// toServer sends every request to srv, keeping its path and query, as if
// srv were the provider's API host.
type toServer struct{ srv *httptest.Server }

func (t toServer) RoundTrip(r *http.Request) (*http.Response, error) {
	u, _ := url.Parse(t.srv.URL)
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = u.Scheme, u.Host
	return t.srv.Client().Transport.RoundTrip(r)
}

func serverClient(t *testing.T, h http.HandlerFunc) *http.Client {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	return &http.Client{Transport: toServer{srv}}
}

// meetupProfile is Meetup's answer to the self query.
type meetupProfile struct {
	Data struct {
		Self struct {
			ID    oauth.FlexString `json:"id"`
			Name  string           `json:"name"`
			Email string           `json:"email"`
		} `json:"self"`
	} `json:"data"`
}

func meetupProvider(hook func(ctx context.Context, profile any, u *oauth.User) error) *oauth.Provider {
	return &oauth.Provider{ID: "meetup", Profile: oauth.Map(func(p *meetupProfile) oauth.User {
		return oauth.User{ID: p.Data.Self.ID.String(), Name: p.Data.Self.Name, Email: p.Data.Self.Email}
	}, hook)}
}

// quirkToken has characters that must survive a header untouched.
const quirkToken = "at/1+2=3"

func TestMeetupUser(t *testing.T) {
	const answer = `{"data":{"self":{"id":42,"name":"Ada Lovelace","email":"Ada@Example.com"}}}`
	// check returns what is wrong with the request.
	check := func(r *http.Request, body string) string {
		var q struct {
			Query string `json:"query"`
		}
		switch {
		case r.Method != http.MethodPost || r.URL.Path != "/gql-ext":
			return "request " + r.Method + " " + r.URL.Path
		case r.Header.Get("Authorization") != "Bearer "+quirkToken:
			return "Authorization " + r.Header.Get("Authorization")
		case r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Accept") != "application/json":
			return "Content-Type " + r.Header.Get("Content-Type") + ", Accept " + r.Header.Get("Accept")
		case json.Unmarshal([]byte(body), &q) != nil || !strings.Contains(q.Query, "self { id name email memberPhoto { baseUrl highResUrl } }"):
			return "body " + body
		}
		return ""
	}
	calls := 0
	client := serverClient(t, func(w http.ResponseWriter, r *http.Request) {
		calls++
		body, _ := io.ReadAll(r.Body)
		if why := check(r, string(body)); why != "" {
			t.Errorf("unexpected %s", why)
			http.Error(w, why, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer)
	})
	tok := &oauth2.Token{AccessToken: quirkToken, TokenType: "Bearer"}
	hooked := 0
	p := meetupProvider(func(_ context.Context, profile any, _ *oauth.User) error {
		hooked++
		if _, ok := profile.(*meetupProfile); !ok {
			t.Errorf("hook profile = %T", profile)
		}
		return nil
	})

	u := &oauth.User{} // mapped from no userinfo
	if err := oauth.MeetupUser(t.Context(), client, p, tok, u); err != nil {
		t.Fatal(err)
	}
	want := oauth.User{ID: "42", Name: "Ada Lovelace", Email: "ada@example.com"}
	if *u != want {
		t.Errorf("user = %+v, want %+v", *u, want)
	}
	if calls != 1 || hooked != 1 {
		t.Errorf("%d requests and %d hook calls, want 1 and 1", calls, hooked)
	}

	// A user read from AUTH_MEETUP_USERINFO_URL is kept.
	kept := &oauth.User{ID: "7", Name: "From userinfo"}
	if err := oauth.MeetupUser(t.Context(), client, p, tok, kept); err != nil || kept.ID != "7" || kept.Name != "From userinfo" {
		t.Errorf("mapped user changed to %+v, %v", kept, err)
	}
	if calls != 1 {
		t.Errorf("%d requests, want none for a mapped user", calls-1)
	}
}

func TestMeetupUserErrors(t *testing.T) {
	tok := &oauth2.Token{AccessToken: quirkToken, TokenType: "Bearer"}
	noToken := func(t *testing.T, err error) {
		t.Helper()
		if strings.Contains(err.Error(), quirkToken) {
			t.Errorf("error %q contains the access token", err)
		}
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    error
		text    string
	}{
		{
			name: "status",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				http.Error(w, `{"error":"invalid_token"}`, http.StatusUnauthorized)
			},
			want: oauth.ErrUserinfo, text: "status 401",
		},
		{
			name: "GraphQL errors",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, `{"errors":[{"message":"Cannot query field \"highResUrl\" on type \"Image\"."}],"data":null}`)
			},
			want: oauth.ErrUserinfo, text: "highResUrl",
		},
		{
			name:    "not JSON",
			handler: func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "<html>") },
			want:    oauth.ErrProfile,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := serverClient(t, tt.handler)
			u := &oauth.User{}
			err := oauth.MeetupUser(t.Context(), client, meetupProvider(nil), tok, u)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.text) {
				t.Fatalf("error = %v, want %v containing %q", err, tt.want, tt.text)
			}
			noToken(t, err)
			if u.ID != "" {
				t.Errorf("user = %+v, want none", u)
			}
		})
	}

	t.Run("unreachable", func(t *testing.T) {
		srv := httptest.NewTLSServer(http.NotFoundHandler())
		srv.Close()
		err := oauth.MeetupUser(t.Context(), &http.Client{Transport: toServer{srv}}, meetupProvider(nil), tok, &oauth.User{})
		if !errors.Is(err, oauth.ErrUserinfo) {
			t.Fatalf("error = %v, want ErrUserinfo", err)
		}
		noToken(t, err)
	})

	t.Run("hook error", func(t *testing.T) {
		client := serverClient(t, func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, `{"data":{"self":{"id":"1"}}}`)
		})
		boom := errors.New("boom")
		p := meetupProvider(func(context.Context, any, *oauth.User) error { return boom })
		u := &oauth.User{}
		if err := oauth.MeetupUser(t.Context(), client, p, tok, u); !errors.Is(err, boom) || u.ID != "" {
			t.Errorf("error = %v, user %+v; want the hook's error and no user", err, u)
		}
	})
}
