package lambda_test

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/authgen/authgen/runtime/lambda"
)

// event is a function URL event for GET path on example.lambda-url.
func event(path string, headers map[string]string, cookies ...string) *events.LambdaFunctionURLRequest {
	ev := &events.LambdaFunctionURLRequest{RawPath: path, Headers: headers, Cookies: cookies}
	ev.RequestContext.DomainName = "abc.lambda-url.eu-west-1.on.aws"
	ev.RequestContext.HTTP.Method = http.MethodGet
	ev.RequestContext.HTTP.SourceIP = "203.0.113.7"
	return ev
}

// TestWrapCookies: the event's cookies list reaches the handler as its
// Cookie header when the event has no cookie header, the header alone is
// read once when it has one, and Set-Cookie answers come back as the
// response's cookies.
func TestWrapCookies(t *testing.T) {
	var got []string
	h := lambda.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = got[:0]
		for _, c := range r.Cookies() {
			got = append(got, c.Name+"="+c.Value)
		}
		if r.Host != "abc.lambda-url.eu-west-1.on.aws" || r.URL.Scheme != "https" {
			t.Errorf("request for %s://%s, want https and the function URL's domain", r.URL.Scheme, r.Host)
		}
		http.SetCookie(w, &http.Cookie{Name: "a", Value: "1"})
		http.SetCookie(w, &http.Cookie{Name: "b", Value: "2"})
		io.WriteString(w, "ok")
	}))
	for _, tc := range []struct {
		name string
		ev   *events.LambdaFunctionURLRequest
		want []string
	}{
		{"list only", event("/", nil, "s=1", "t=2"), []string{"s=1", "t=2"}},
		{"header and list", event("/", map[string]string{"cookie": "s=1; t=2"}, "s=1", "t=2"), []string{"s=1", "t=2"}},
		{"none", event("/", nil), []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := h(context.Background(), tc.ev)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("the handler read cookies %q, want %q", got, tc.want)
			}
			if resp.StatusCode != http.StatusOK || string(body) != "ok" || len(resp.Cookies) != 2 || !strings.HasPrefix(resp.Cookies[0], "a=1") || !strings.HasPrefix(resp.Cookies[1], "b=2") {
				t.Errorf("answer %d %q with cookies %q, want 200 ok with a=1 and b=2", resp.StatusCode, body, resp.Cookies)
			}
		})
	}
}
