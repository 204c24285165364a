// This file is yours: authgen wrote it once and never changes it.

// Command passkeys is a web application with sign-in by authgen.
//
// Run it with "go run .", then open http://localhost:3000 ($PORT). It reads its
// configuration from the environment and, for variables the environment lacks,
// from the file .env in its working directory.
package main

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/passkeys/app"
	"example.com/passkeys/auth"
	"github.com/authgen/authgen/runtime/env"
)

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(logger); err != nil {
		fmt.Fprintf(os.Stderr, "passkeys: %v\n", err)
		os.Exit(1)
	}
}

// run serves the application until it is interrupted.
func run(logger *slog.Logger) error {
	// The environment, and under it the variables of .env, when there is one.
	getenv, err := env.Dotenv(env.DotenvFile, os.LookupEnv)
	if err != nil {
		return err
	}
	port := cmp.Or(getenv("PORT"), "3000")
	cfg, err := auth.LoadConfig(getenv, port)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := auth.New(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.Close()

	// A request must arrive within ReadTimeout (a client trickling its body is
	// cut off), an answer may take WriteTimeout (a sign-in's callback waits for
	// the provider), an idle connection is closed after IdleTimeout, and
	// headers are at most MaxHeaderBytes: room for the largest session cookie
	// (16 chunks of 4 KB). The handler is package app's, which cmd/lambda
	// serves too when the application is deployed on AWS Lambda.
	srv := &http.Server{
		Addr:              ":" + port,
		Handler:           app.Handler(a),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    128 << 10,
	}
	errc := make(chan error, 1)
	go func() {
		errc <- srv.ListenAndServe()
	}()
	logger.Info("listening", "addr", srv.Addr, "url", cfg.URL.String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}
