package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
)

// TestEveryCommandHasExamples: the --help of every command, verbs and the
// commands that group them included, shows examples.
func TestEveryCommandHasExamples(t *testing.T) {
	ios := iostreams.New(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" {
				continue
			}
			n++
			path := strings.Fields(sub.CommandPath())[1:]
			var out bytes.Buffer
			code := Run(context.Background(), append(path, "--help"), iostreams.New(strings.NewReader(""), &out, &out))
			if code != ExitOK || !strings.Contains(out.String(), "Examples:\n  ") {
				t.Errorf("authgen %s --help: exit %d, no examples:\n%s", strings.Join(path, " "), code, out.String())
			}
			walk(sub)
		}
	}
	root := newRoot(ios, nil)
	if root.Example == "" {
		t.Error("authgen --help has no examples")
	}
	walk(root)
	if n < 15 {
		t.Errorf("only %d commands", n)
	}
}
