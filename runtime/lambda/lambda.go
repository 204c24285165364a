// Package lambda serves an application's http.Handler on AWS Lambda
// function URLs, through aws-lambda-go's lambdaurl package: the handler a
// generated project's cmd/lambda/main.go starts is the same one its main.go
// serves over HTTP.
//
// lambdaurl builds each request from the function URL's event (its URL on
// https and the function URL's domain, its headers and body) and streams
// the answer back, Set-Cookie headers as the response's cookies. It reads
// cookies only from the event's "cookie" header, which function URLs send
// beside the event's cookies list; Handler also takes the list when the
// header is absent (aws-lambda-go issue 597), so that every invocation —
// a function URL's, a test's, a tool's that fills only the list — carries
// the session cookie.
//
// Function URLs must use the RESPONSE_STREAM invoke mode: lambdaurl answers
// only in that mode. docs/DEPLOY.md has the whole deployment.
//
// It is a module of its own so that only projects deployed on Lambda
// require aws-lambda-go.
package lambda

import (
	"context"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	awslambda "github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdaurl"
)

// Start serves h on the Lambda runtime until the function instance ends:
// lambdaurl.Start of Handler(h). Build the function with -tags
// lambda.norpc for the provided.al2023 runtime.
func Start(h http.Handler, options ...awslambda.Option) {
	lambdaurl.Start(Handler(h), options...)
}

// Wrap is the function Start gives the Lambda runtime: it answers one
// function URL event with h. Tests invoke it with
// events.LambdaFunctionURLRequest values, as the runtime does.
func Wrap(h http.Handler) func(context.Context, *events.LambdaFunctionURLRequest) (*events.LambdaFunctionURLStreamingResponse, error) {
	return lambdaurl.Wrap(Handler(h))
}

// Handler is h with the function URL event's cookies list as the request's
// Cookie header when the event has no "cookie" header of its own, so that
// a cookie is never read twice nor missed.
func Handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ev, ok := lambdaurl.RequestFromContext(r.Context()); ok && len(ev.Cookies) > 0 && len(r.Header.Values("Cookie")) == 0 {
			r.Header.Set("Cookie", strings.Join(ev.Cookies, "; "))
		}
		h.ServeHTTP(w, r)
	})
}
