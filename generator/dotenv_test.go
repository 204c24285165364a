package generator_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/authgen/authgen/runtime/env"
)

// TestEnvExampleIsDotenv: every .env.example authgen writes reads as a
// .env file, so that copying it to .env (which the demo app reads at
// start) works.
func TestEnvExampleIsDotenv(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "golden", "*", "want", ".env.example"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no .env.example among the goldens (%v)", err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		vars, err := env.ParseDotenv(p, data)
		if err != nil {
			t.Errorf("%v", err)
		} else if len(vars) == 0 {
			t.Errorf("%s sets no variable", p)
		}
	}
}
