// Command authgen generates authentication for Go web applications: an
// Auth.js-compatible API, typed providers, sessions and keys, as code in the
// application's own module.
//
//	authgen init            # asks, generates, writes keys
//	authgen keys rotate
//
// Run "authgen help" for every command.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/authgen/authgen/cmd/authgen/internal/cli"
	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], iostreams.System())
	stop()
	os.Exit(code)
}
