// This file is yours: authgen wrote it once and never changes it.

// Command lambda serves the application on AWS Lambda behind a function URL
// (invoke mode RESPONSE_STREAM): package app's handler, the one main.go serves
// over HTTP.
//
// scripts/build-lambda.sh builds it into build/lambda/bootstrap.zip for the
// provided.al2023 runtime. Its configuration is the function's environment (no
// .env file): AUTH_URL, the keys in AUTH_KEYS, the providers' variables and,
// with a database, DATABASE_URL; docs/DEPLOY.md in authgen's repository lists
// them.
package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"

	"example.com/myapp/app"
	"example.com/myapp/auth"
	"github.com/authgen/authgen/runtime/lambda"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	h, err := handler(context.Background(), os.Getenv, logger)
	if err != nil {
		logger.Error("cannot start", "err", err)
		os.Exit(1)
	}
	lambda.Start(h)
}

// handler is the application as the function serves it, configured by getenv.
// AUTH_URL is required: the function URL (https://ID.lambda-url.REGION.on.aws)
// or the domain in front of it; without it the callback URLs sent to providers
// would name localhost. A function instance is frozen between invocations and
// ended without notice, so the store is never closed.
func handler(ctx context.Context, getenv func(string) string, logger *slog.Logger) (http.Handler, error) {
	if getenv("AUTH_URL") == "" {
		return nil, errors.New("AUTH_URL is required on Lambda: the function URL, https://ID.lambda-url.REGION.on.aws, or the domain in front of it")
	}
	cfg, err := auth.LoadConfig(getenv, "")
	if err != nil {
		return nil, err
	}
	a, err := auth.New(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	return app.Handler(a), nil
}
